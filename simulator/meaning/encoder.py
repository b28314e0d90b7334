"""Sentence embeddings: a 6-layer BERT (all-MiniLM-L6-v2) run in plain numpy on the CPU.

No torch and no onnx conversion: the weights are read straight from the bundled safetensors
file and the forward pass is a few matrix products per layer. Texts are tokenized with the
``tokenizers`` package (already installed by faster-whisper), batched by length, mean-pooled
over their tokens and normalised, so the dot product of two embeddings is their cosine. The
same pass gives each word piece's vector in context (``TokenVectors``), which the soft recall of
``simulator.meaning.alignment`` reads: the states of a middle layer and of the last one, side by
side (``TOKEN_LAYERS``).
"""

from __future__ import annotations

import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from tokenizers import Tokenizer

from simulator.meaning.model import EmbeddingModelFiles, RowsOnDisk, load_safetensors

MAX_TOKENS = 128
"""Longest input in word pieces; the model was trained on 128 (sentences, clauses)."""
BATCH = 4
"""Texts per forward pass: larger batches are no faster on 2 cores and hold more temporaries."""
HEADS = 12
TOKEN_LAYERS = (4, 6)
"""The layers whose states make a word piece's vector: each normalised, the two side by side
(divided by sqrt 2, so two pieces' dot product is the mean of their cosines in the two layers).
BERTScore found middle layers match words better than the last one; on the SemEval train split
layer 4 and layer 6 alone ranked answers about equally (mean ROC AUC 0.803) and the two together
better on both datasets (0.806; BENCHMARKS.md)."""
LAYER_NORM_EPS = 1e-12
WORD_EMBEDDINGS = "embeddings.word_embeddings.weight"


@dataclass(frozen=True)
class TokenVectors:
    """The word pieces of one text in context: a unit vector each (``TOKEN_LAYERS`` side by
    side), kept as int8 codes times a scale per piece (a quarter of float32: the cache holds
    hundreds of sentences; measured on the paraphrase answers, a cosine moves by 0.0005 on
    average, 0.005 at most), and where each piece stands in the text (start, end character
    offsets)."""

    codes: np.ndarray
    scales: np.ndarray
    offsets: np.ndarray

    @classmethod
    def of(cls, vectors: np.ndarray, offsets: np.ndarray) -> TokenVectors:
        """Quantize ``vectors`` (one row per piece) to int8 codes with a scale per row."""
        vectors = np.asarray(vectors, dtype=np.float32)
        scales = np.maximum(np.abs(vectors).max(axis=1, initial=0.0), 1e-12) / 127.0
        codes = np.round(vectors / scales[:, None]).astype(np.int8)
        return cls(codes, scales.astype(np.float32), offsets)

    @property
    def vectors(self) -> np.ndarray:
        """The pieces' vectors, float32."""
        return self.codes.astype(np.float32) * self.scales[:, None]

    def __len__(self) -> int:
        return len(self.codes)


_NO_TOKENS = TokenVectors.of(
    np.zeros((0, 384 * len(TOKEN_LAYERS)), dtype=np.float32), np.zeros((0, 2), dtype=np.int32)
)


class SentenceEncoder:
    """Texts -> unit vectors (float32, 384 wide). Thread-safe; load once, share."""

    def __init__(self, files: EmbeddingModelFiles) -> None:
        self.files = files
        self._weights = load_safetensors(files.weights)
        self._word_rows = RowsOnDisk(files.weights, WORD_EMBEDDINGS)
        self._tokenizer = Tokenizer.from_file(str(files.tokenizer))
        self._tokenizer.enable_truncation(MAX_TOKENS)
        self._tokenizer.no_padding()
        self._untruncated = Tokenizer.from_file(str(files.tokenizer))
        self._untruncated.no_truncation()
        self._untruncated.no_padding()
        self._layers = sum(1 for k in self._weights if k.endswith("attention.self.query.weight"))
        self._token_layers = [n for n in TOKEN_LAYERS if n <= self._layers] or [self._layers]
        self._lock = threading.Lock()

    @property
    def dimension(self) -> int:
        return self._word_rows.shape[1]

    @property
    def version(self) -> str:
        return self.files.version

    def count_pieces(self, texts: Sequence[str]) -> list[int]:
        """How many word pieces each text is, without [CLS] and [SEP] and without truncation."""
        encodings = self._untruncated.encode_batch(list(texts))
        return [len(e.ids) - 2 for e in encodings]

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One row per text; an empty text gets a zero row."""
        return self.encode_with_tokens(texts)[0]

    def encode_with_tokens(self, texts: Sequence[str]) -> tuple[np.ndarray, list[TokenVectors]]:
        """Per text, its sentence vector (an empty text gets a zero row) and, from the same
        forward pass, the unit vectors of its word pieces in context."""
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        pieces: list[TokenVectors] = [_NO_TOKENS] * len(texts)
        if not texts:
            return out, pieces
        encodings = self._tokenizer.encode_batch([t or "" for t in texts])
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        with self._lock:
            for begin in range(0, len(order), BATCH):
                rows = order[begin : begin + BATCH]
                ids = [encodings[i].ids for i in rows]
                states, mask, layers = self._states(ids)
                pooled = (states * mask[..., None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)
                out[rows] = _unit(pooled)
                side_by_side = np.concatenate([_unit(s) for s in layers], axis=-1)
                side_by_side /= np.sqrt(len(layers))
                for row, i in enumerate(rows):
                    inner = slice(1, len(ids[row]) - 1)  # without [CLS] and [SEP]
                    pieces[i] = TokenVectors.of(
                        side_by_side[row, inner],
                        np.array(encodings[i].offsets[inner], dtype=np.int32).reshape(-1, 2),
                    )
        for i, text in enumerate(texts):
            if not text.strip():
                out[i] = 0.0
                pieces[i] = _NO_TOKENS
        return out, pieces

    def _states(self, batch: list[list[int]]) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
        """The last layer's states, the mask of real tokens, and the states of ``TOKEN_LAYERS``."""
        w = self._weights
        length = max(len(ids) for ids in batch)
        ids = np.zeros((len(batch), length), dtype=np.int64)
        mask = np.zeros((len(batch), length), dtype=np.float32)
        for row, seq in enumerate(batch):
            ids[row, : len(seq)] = seq
            mask[row, : len(seq)] = 1.0
        x = (
            self._word_rows.take(ids)
            + w["embeddings.position_embeddings.weight"][:length][None]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        bias = (1.0 - mask)[:, None, None, :] * -1e9
        kept = []
        for layer in range(self._layers):
            x = self._block(x, bias, f"encoder.layer.{layer}.")
            if layer + 1 in self._token_layers:
                kept.append(x)
        return x, mask, kept

    def _block(self, x: np.ndarray, bias: np.ndarray, p: str) -> np.ndarray:
        w = self._weights
        batch, length, width = x.shape
        head = width // HEADS

        def heads(name: str) -> np.ndarray:
            y = _linear(
                x, w[p + f"attention.self.{name}.weight"], w[p + f"attention.self.{name}.bias"]
            )
            return y.reshape(batch, length, HEADS, head).transpose(0, 2, 1, 3)

        q, k, v = heads("query"), heads("key"), heads("value")
        scores = q @ k.transpose(0, 1, 3, 2) * (1.0 / math.sqrt(head)) + bias
        scores -= scores.max(axis=-1, keepdims=True)
        probs = np.exp(scores)
        probs /= probs.sum(axis=-1, keepdims=True)
        context = (probs @ v).transpose(0, 2, 1, 3).reshape(batch, length, width)
        attended = _linear(
            context, w[p + "attention.output.dense.weight"], w[p + "attention.output.dense.bias"]
        )
        x = _layer_norm(
            x + attended,
            w[p + "attention.output.LayerNorm.weight"],
            w[p + "attention.output.LayerNorm.bias"],
        )
        hidden = _gelu(
            _linear(x, w[p + "intermediate.dense.weight"], w[p + "intermediate.dense.bias"])
        )
        out = _linear(hidden, w[p + "output.dense.weight"], w[p + "output.dense.bias"])
        return _layer_norm(
            x + out, w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"]
        )


def _unit(x: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(x, axis=-1, keepdims=True)
    return (x / np.maximum(norms, 1e-12)).astype(np.float32)


def _linear(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    return x @ weight.T + bias


def _layer_norm(x: np.ndarray, gain: np.ndarray, bias: np.ndarray) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var + LAYER_NORM_EPS) * gain + bias


def _gelu(x: np.ndarray) -> np.ndarray:
    """BERT's exact GELU, x * Phi(x), with erf from Abramowitz-Stegun 7.1.26 (error < 2e-7).

    Constants are Python floats: a numpy float64 scalar would turn float32 states into float64
    (NumPy 2 promotion), doubling memory and time (measured before: a block peaked at 36 MB)."""
    # In place, on three arrays the size of x: the widest states of the model (1,536 per piece).
    a = np.abs(x)
    a *= 1.0 / math.sqrt(2.0)
    t = a * 0.3275911
    t += 1.0
    np.reciprocal(t, out=t)
    poly = t * 1.061405429
    for coefficient in (-1.453152027, 1.421413741, -0.284496736, 0.254829592):
        poly += coefficient
        poly *= t
    np.square(a, out=a)
    np.negative(a, out=a)
    np.exp(a, out=a)
    poly *= a
    np.subtract(1.0, poly, out=poly)
    np.copysign(poly, x, out=poly)
    poly += 1.0
    poly *= x
    poly *= 0.5
    return poly


_shared: dict[Path, SentenceEncoder] = {}
_shared_lock = threading.Lock()


def shared_encoder(files: EmbeddingModelFiles) -> SentenceEncoder:
    """One encoder per weights file for the whole process."""
    with _shared_lock:
        encoder = _shared.get(files.weights)
        if encoder is None:
            encoder = _shared[files.weights] = SentenceEncoder(files)
        return encoder
