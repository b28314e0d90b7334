"""Write the vectors shipped with the app: the background subjects' (``content.subjects``).

    .venv/bin/python -m simulator.meaning.seed

Run it after changing ``content/subjects/ml-interviews.json`` or the bundled embedding model;
``tests/unit/test_meaning.py`` fails while the shipped vectors are not those of today's texts.
The files are named as the cache folder names them (a hash of the model's version and the
texts), so a changed text or model is simply embedded again at run time, never misread.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from content.subjects import background_texts
from simulator.meaning.index import SEED_FOLDER, MeaningIndex, load_index


def write_seed(folder: Path = SEED_FOLDER) -> list[Path]:
    """Embed the background subjects and put their vectors in ``folder``, replacing its old
    ones; the files written."""
    with tempfile.TemporaryDirectory() as scratch:
        index = load_index(Path(scratch))
        fresh = MeaningIndex(index.encoder, Path(scratch) / "fresh", seed_folder=None)
        fresh.text_vectors(background_texts(), pinned=True)
        made = sorted((Path(scratch) / "fresh" / "embeddings").glob("*.npy"))
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.npy"):
            if old.name not in {m.name for m in made}:
                old.unlink()
        for made_file in made:
            shutil.copyfile(made_file, folder / made_file.name)
        return [folder / m.name for m in made]


if __name__ == "__main__":
    for written in write_seed():
        print(written)
