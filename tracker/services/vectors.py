"""A cache of sentence vectors for the optional semantic matcher.

Each distinct text is encoded once: vectors are kept by the SHA-256 of the
text, so matching a new meeting only encodes that meeting's sentences.  They
live in the database (table ``cachedvector``, float32 bytes), so every
worker on every host shares one cache; a ``.npz`` file (``path``) is kept
for the command line's tests and benches.  The web process never imports
the model; only matching with method ``semantic`` or ``hybrid`` loads it.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from sqlalchemy import Engine
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, delete, select

from tracker.models import CachedVector

Encoder = Callable[[Sequence[str]], np.ndarray]


def text_key(text: str) -> str:
    """Return the cache key of a text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class CachedEncoder:
    """Wrap an encoder so each distinct text is encoded once, across runs."""

    def __init__(self, path: Path | None, encode: Encoder, *, engine: Engine | None = None) -> None:
        self.path, self.engine = path, engine
        self.encode = encode
        self.vectors: dict[str, np.ndarray] = {}
        self.stored: set[str] = set()  # keys already in the database
        self.encoded = 0  # texts sent to the model by this instance
        if engine is not None:
            with Session(engine) as session:
                for key, blob in session.exec(select(CachedVector.key, CachedVector.vector)):
                    self.vectors[key] = np.frombuffer(blob, dtype=np.float32)
            self.stored = set(self.vectors)
        elif path is not None and path.is_file():
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

    def save(self, session: Session | None = None) -> None:
        """Keep the new vectors: in the database (in ``session``'s transaction when
        given; the caller commits), or in the file, written atomically."""
        if self.engine is not None:
            self._save_rows(session)
            return
        if not self.vectors or self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        keys = np.array(list(self.vectors))
        matrix = np.stack(list(self.vectors.values()))
        partial = self.path.with_suffix(".partial.npz")
        np.savez(partial, keys=keys, vectors=matrix)
        os.replace(partial, self.path)

    def _save_rows(self, session: Session | None) -> None:
        fresh = [k for k in self.vectors if k not in self.stored]
        if not fresh or self.engine is None:
            return
        dialect = self.engine.dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        rows = [
            {"key": k, "vector": np.asarray(self.vectors[k], dtype=np.float32).tobytes()}
            for k in fresh
        ]
        own = session is None
        with Session(self.engine) if own else contextlib.nullcontext(session) as target:
            # Another worker may have stored the same text meanwhile: keep theirs.
            for start in range(0, len(rows), 500):
                target.execute(
                    insert(CachedVector)
                    .values(rows[start : start + 500])
                    .on_conflict_do_nothing(index_elements=["key"])
                )
            if own:
                target.commit()
        self.stored.update(fresh)


def forget(session: Session, texts: Sequence[str]) -> int:
    """Delete the cached vectors of these texts (an erasure; no commit); return how many."""
    keys = [text_key(t) for t in texts]
    removed = 0
    for start in range(0, len(keys), 500):
        result = session.exec(  # type: ignore[call-overload]
            delete(CachedVector).where(col(CachedVector.key).in_(keys[start : start + 500]))
        )
        removed += int(result.rowcount or 0)
    return removed
