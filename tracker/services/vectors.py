"""A disk cache of sentence vectors for the optional semantic matcher.

Each distinct text is encoded once: vectors are kept by the SHA-256 of the
text in one ``.npz`` file under the instance folder, so matching a new meeting
only encodes that meeting's sentences.  The web process never imports torch;
only ``tracker match`` with method ``semantic`` or ``hybrid`` loads the model.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

Encoder = Callable[[Sequence[str]], np.ndarray]


def text_key(text: str) -> str:
    """Return the cache key of a text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class CachedEncoder:
    """Wrap an encoder so each distinct text is encoded once, across runs."""

    def __init__(self, path: Path, encode: Encoder) -> None:
        self.path = path
        self.encode = encode
        self.vectors: dict[str, np.ndarray] = {}
        self.encoded = 0  # texts sent to the model by this instance
        if path.is_file():
            with np.load(path) as stored:
                keys, matrix = stored["keys"], stored["vectors"]
                self.vectors = {str(k): matrix[i] for i, k in enumerate(keys)}

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        keys = [text_key(t) for t in texts]
        missing: dict[str, str] = {}
        for key, text in zip(keys, texts, strict=True):
            if key not in self.vectors:
                missing.setdefault(key, text)
        if missing:
            fresh = self.encode(list(missing.values()))
            self.encoded += len(missing)
            for key, vector in zip(missing, fresh, strict=True):
                self.vectors[key] = np.asarray(vector, dtype=np.float32)
        if not keys:
            return np.zeros((0, 0), dtype=np.float32)
        return np.stack([self.vectors[k] for k in keys])

    def save(self) -> None:
        """Write the cache atomically (a crash never leaves half a file)."""
        if not self.vectors:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        keys = np.array(list(self.vectors))
        matrix = np.stack(list(self.vectors.values()))
        partial = self.path.with_suffix(".partial.npz")
        np.savez(partial, keys=keys, vectors=matrix)
        os.replace(partial, self.path)
