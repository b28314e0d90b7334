"""Embeddings of key points and of what the candidate said, cached so scoring stays fast.

Key points: each is represented by its label, its phrasings of two words or more and the
sentence of the model answer it came from; their vectors are computed once per bank and kept in
the cache folder, keyed by the model and the texts' content (``embeddings/<key>.npy``, their
word-piece vectors in ``<key>.npz``), so a restart or a second session on the same bank embeds
nothing. Answer units: a text -> vector cache in memory, filled ahead of time (``warm``) by the
live transcript as it commits sentences and by the typed draft, so the embedding work of an
answer is done while it is being given and Space-to-feedback does not grow with its length. The
same forward pass gives each text's word-piece vectors (``tokens``), kept in a smaller cache of
their own.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
import threading
import zipfile
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import BinaryIO

import numpy as np

from simulator.meaning.encoder import MAX_TOKENS, SentenceEncoder, TokenVectors
from simulator.meaning.units import split_passages

SEED_FOLDER = Path(__file__).resolve().parent / "seed"
"""Vectors shipped with the app, read like the cache folder's (``simulator.meaning.seed`` writes
them): the background subjects, which every first run would otherwise embed."""
UNIT_CACHE_SIZE = 20_000
"""Answer texts kept in memory (1.5 KB each: at most 30 MB)."""
DAMAGED_CACHE_FILE = (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile)
"""What reading a missing, truncated or foreign cache file raises: the vectors are computed
again (and the file rewritten), never a failed score."""
CHUNK_PIECES = 100
"""Longest chunk of a long text in word pieces (``text_vectors``), inside the model's 128."""
CHUNKED_CACHE_SIZE = 2_000
"""Whole texts whose chunks (``text_vectors``) are remembered: a bank's model answers."""
TOKEN_CACHE_SIZE = 800
"""Texts whose word-piece vectors are kept (int8, two layers side by side: about 20 KB for a
sentence, some 16 MB), enough for a long answer and the model answers of the questions around
it."""


class MeaningIndex:
    """An encoder plus its caches. Thread-safe: the live decoder warms it while the UI scores."""

    def __init__(
        self,
        encoder: SentenceEncoder,
        cache_dir: Path | None = None,
        seed_folder: Path | None = SEED_FOLDER,
    ) -> None:
        self.encoder = encoder
        self._folder = cache_dir / "embeddings" if cache_dir else None
        self._seed_folder = seed_folder
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._fixed: dict[str, np.ndarray] = {}
        self._tokens: OrderedDict[str, TokenVectors] = OrderedDict()
        self._fixed_tokens: dict[str, TokenVectors] = {}
        self._chunked: OrderedDict[str, list[tuple[str, int]]] = OrderedDict()
        self._lock = threading.Lock()

    def vectors(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors for ``texts`` (rows in order), embedding only the ones not seen yet."""
        with self._lock:
            missing = [
                t for t in dict.fromkeys(texts) if t not in self._fixed and t not in self._vectors
            ]
        if missing:
            self._embed(missing)
        with self._lock:
            rows = []
            for text in texts:
                vector = self._fixed.get(text)
                if vector is None:
                    vector = self._vectors[text]
                    self._vectors.move_to_end(text)
                rows.append(vector)
        if not rows:
            return np.zeros((0, self.encoder.dimension), dtype=np.float32)
        return np.stack(rows)

    def text_vectors(self, texts: Sequence[str], pinned: bool = False) -> np.ndarray:
        """Unit vectors of whole texts (an answer, a model answer). The model reads at most
        ``MAX_TOKENS`` word pieces, so a longer text is the mean of its chunks (whole sentences
        up to ``CHUNK_PIECES`` pieces each, weighted by their pieces): a two-minute answer is
        judged on all it says, not on its first hundred words (every complete answer of the
        paraphrase tune set was longer than the model reads). ``pinned``: a bank's own texts,
        embedded once and kept (``pin``)."""
        chunked = [self._chunks(text) for text in texts]
        if pinned:
            self.pin([c for chunks in chunked for c, _ in chunks])
        rows = []
        for text, chunks in zip(texts, chunked, strict=True):
            if len(chunks) <= 1:
                rows.append(self.vectors([text])[0])
                continue
            vectors = self.vectors([c for c, _ in chunks])
            weights = np.array([n for _, n in chunks], dtype=np.float32)
            mean = (vectors * weights[:, None]).sum(axis=0)
            rows.append((mean / max(float(np.linalg.norm(mean)), 1e-12)).astype(np.float32))
        if not rows:
            return np.zeros((0, self.encoder.dimension), dtype=np.float32)
        return np.stack(rows)

    def _chunks(self, text: str) -> list[tuple[str, int]]:
        """``text`` as chunks of whole sentences the model reads entirely, with their sizes in
        word pieces; one chunk (the text) when it fits. Remembered for the bank's texts."""
        with self._lock:
            found = self._chunked.get(text)
            if found is not None:
                self._chunked.move_to_end(text)
                return found
        chunks = self._cut(text)
        with self._lock:
            self._chunked[text] = chunks
            while len(self._chunked) > CHUNKED_CACHE_SIZE:
                self._chunked.popitem(last=False)
        return chunks

    def _cut(self, text: str) -> list[tuple[str, int]]:
        if not text.strip() or self.encoder.count_pieces([text])[0] <= MAX_TOKENS - 2:
            return [(text, 0)]
        passages = split_passages(text)
        sizes = self.encoder.count_pieces([p.text for p in passages])
        chunks: list[tuple[str, int]] = []
        first, total = 0, 0
        for i, size in enumerate(sizes):
            if i > first and total + size > CHUNK_PIECES:
                chunks.append((text[passages[first].start : passages[i - 1].end], total))
                first, total = i, 0
            total += size
        chunks.append((text[passages[first].start : passages[-1].end], total))
        return chunks

    def tokens(self, texts: Sequence[str]) -> list[TokenVectors]:
        """The word-piece vectors of ``texts`` in context, embedding the ones not cached."""
        with self._lock:
            missing = [
                t
                for t in dict.fromkeys(texts)
                if t not in self._tokens and t not in self._fixed_tokens
            ]
        if missing:
            self._embed(missing)
        with self._lock:
            out = []
            for text in texts:
                found = self._fixed_tokens.get(text)
                if found is not None:
                    out.append(found)
                    continue
                found = self._tokens.get(text)
                if found is None:  # pushed out by a concurrent warm-up: embed it again
                    found = self.encoder.encode_with_tokens([text])[1][0]
                else:
                    self._tokens.move_to_end(text)
                out.append(found)
            return out

    def _embed(self, texts: list[str]) -> None:
        """One forward pass for ``texts``: their sentence vectors and word-piece vectors."""
        vectors, pieces = self.encoder.encode_with_tokens(texts)
        with self._lock:
            for text, vector, piece in zip(texts, vectors, pieces, strict=True):
                if text not in self._fixed:
                    self._vectors[text] = vector
                self._tokens[text] = piece
            while len(self._vectors) > UNIT_CACHE_SIZE:
                self._vectors.popitem(last=False)
            while len(self._tokens) > TOKEN_CACHE_SIZE:
                self._tokens.popitem(last=False)

    def preload(self, texts: Sequence[str], vectors: np.ndarray) -> None:
        """Take vectors computed earlier for these texts (a benchmark's cache)."""
        with self._lock:
            self._fixed.update(zip(texts, vectors.astype(np.float32), strict=True))

    def preload_tokens(self, texts: Sequence[str], pieces: Sequence[TokenVectors]) -> None:
        """Take word-piece vectors computed earlier for these texts (a benchmark's cache)."""
        with self._lock:
            self._tokens.update(zip(texts, pieces, strict=True))

    def snapshot_tokens(self) -> tuple[list[str], list[TokenVectors]]:
        """Every text whose word-piece vectors are cached, and those (for a benchmark's cache)."""
        with self._lock:
            return list(self._tokens), list(self._tokens.values())

    def snapshot(self) -> tuple[list[str], np.ndarray]:
        """Every text embedded so far and its vector (for a benchmark's cache)."""
        with self._lock:
            items = {**self._vectors, **self._fixed}
        texts = list(items)
        if not texts:
            return [], np.zeros((0, self.encoder.dimension), dtype=np.float32)
        return texts, np.stack([items[t] for t in texts])

    def warm(self, texts: Iterable[str]) -> None:
        """Embed ``texts`` now so a later scoring finds them cached."""
        self.vectors([t for t in texts if t.strip()])

    def pin(self, texts: Sequence[str]) -> None:
        """Embed a bank's key-point texts, from the disk cache when it has them; kept for good."""
        texts = [t for t in dict.fromkeys(texts) if t.strip()]
        with self._lock:
            todo = [t for t in texts if t not in self._fixed]
        if not todo:
            return
        key = hashlib.sha256("\n".join([self.encoder.version, *sorted(todo)]).encode()).hexdigest()[
            :24
        ]
        vectors = self._load(key, todo)
        if vectors is None:
            vectors = self.encoder.encode(todo)
            self._save(key, vectors)
        with self._lock:
            self._fixed.update(zip(todo, vectors, strict=True))

    def pin_tokens(self, texts: Sequence[str]) -> None:
        """The word-piece vectors of a bank's own texts (key points), from the disk cache when
        it has them; kept for good, so scoring an answer embeds only the answer."""
        texts = [t for t in dict.fromkeys(texts) if t.strip()]
        with self._lock:
            todo = [t for t in texts if t not in self._fixed_tokens]
        if not todo:
            return
        key = hashlib.sha256(
            "\n".join([self.encoder.version, "tokens", *sorted(todo)]).encode()
        ).hexdigest()[:24]
        pieces = self._load_tokens(key, todo)
        if pieces is None:
            pieces = self.encoder.encode_with_tokens(todo)[1]
            self._save_tokens(key, pieces)
        with self._lock:
            self._fixed_tokens.update(zip(todo, pieces, strict=True))

    def _load_tokens(self, key: str, texts: list[str]) -> list[TokenVectors] | None:
        if self._folder is None:
            return None
        try:
            with np.load(self._folder / f"{key}.npz") as saved:
                lengths, codes = saved["lengths"], saved["codes"]
                scales, offsets = saved["scales"], saved["offsets"]
        except DAMAGED_CACHE_FILE:
            return None
        if len(lengths) != len(texts) or int(lengths.sum()) != len(codes):
            return None
        cuts = np.cumsum(lengths)[:-1]
        return [
            TokenVectors(c, s, o)
            for c, s, o in zip(
                np.split(codes, cuts), np.split(scales, cuts), np.split(offsets, cuts), strict=True
            )
        ]

    def _save_tokens(self, key: str, pieces: list[TokenVectors]) -> None:
        self._write(
            f"{key}.npz",
            lambda out: np.savez(
                out,
                lengths=np.array([len(p) for p in pieces], dtype=np.int64),
                codes=np.concatenate([p.codes for p in pieces]),
                scales=np.concatenate([p.scales for p in pieces]),
                offsets=np.concatenate([p.offsets for p in pieces]),
            ),
        )

    def _load(self, key: str, texts: list[str]) -> np.ndarray | None:
        """The vectors saved under ``key``: in the cache folder, else among those shipped with
        the app (``SEED_FOLDER``); None when neither has them whole."""
        for folder in (self._folder, self._seed_folder):
            if folder is None:
                continue
            try:
                vectors = np.load(folder / f"{key}.npy")
            except DAMAGED_CACHE_FILE:
                continue
            if vectors.shape == (len(texts), self.encoder.dimension):
                return vectors.astype(np.float32)
        return None

    def _save(self, key: str, vectors: np.ndarray) -> None:
        self._write(f"{key}.npy", lambda out: np.save(out, vectors))

    def _write(self, name: str, write: Callable[[BinaryIO], None]) -> None:
        """Best effort, atomically: a cache that cannot be written costs time, never an answer."""
        if self._folder is None:
            return
        staging = None
        try:
            self._folder.mkdir(parents=True, exist_ok=True)
            handle, staging = tempfile.mkstemp(dir=self._folder, suffix=Path(name).suffix)
            with os.fdopen(handle, "wb") as out:
                write(out)
            os.replace(staging, self._folder / name)
        except (OSError, ValueError):
            if staging is not None:
                with contextlib.suppress(OSError):
                    os.unlink(staging)  # a full disk: leave nothing half-written behind


def load_index(cache_dir: Path) -> MeaningIndex:
    """The bundled model's index (raises ``EmbeddingModelUnavailable`` with what to do)."""
    from simulator.meaning.encoder import shared_encoder
    from simulator.meaning.model import resolve_embedding_model

    return MeaningIndex(shared_encoder(resolve_embedding_model(cache_dir)), cache_dir)
