"""The semantic stage's vector cache: each distinct text is encoded once."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from tracker.services.vectors import CachedEncoder


class CountingEncoder:
    """A stand-in for the sentence model: a deterministic vector per text."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        self.seen.extend(texts)
        return np.array([[len(t), t.count("e"), 1.0] for t in texts], dtype=np.float32)


def test_each_text_is_encoded_once_across_runs(tmp_path: Path) -> None:
    """Does a second run, from the saved cache, encode only new texts?"""
    path = tmp_path / "vectors.npz"
    model = CountingEncoder()
    first = CachedEncoder(path, model)
    vectors = first(["peer support", "menu of support", "peer support"])
    assert model.seen == ["peer support", "menu of support"]
    assert vectors.shape == (3, 3) and np.array_equal(vectors[0], vectors[2])
    first.save()
    second = CachedEncoder(path, model)
    again = second(["menu of support", "evening groups"])
    assert model.seen[2:] == ["evening groups"]
    assert np.array_equal(again[0], vectors[1])
    assert second.encoded == 1


def test_save_leaves_no_partial_file(tmp_path: Path) -> None:
    """Is the cache written atomically, with no leftover partial file?"""
    cache = CachedEncoder(tmp_path / "v.npz", CountingEncoder())
    cache(["a"])
    cache.save()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["v.npz"]
