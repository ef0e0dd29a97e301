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


def test_the_cache_in_the_database_is_shared_by_every_worker(engine) -> None:
    """Does a second worker (another instance on the same database) encode only new
    texts, does a save in the caller's transaction keep them, and does an erasure
    forget a text's vector?"""
    from sqlmodel import Session, func, select

    from tracker.models import CachedVector
    from tracker.services.vectors import forget

    model = CountingEncoder()
    first = CachedEncoder(None, model, engine=engine)
    vectors = first(["peer support", "menu of support"])
    first.save()
    first.save()  # nothing new: nothing written twice
    second = CachedEncoder(None, model, engine=engine)
    again = second(["menu of support", "evening groups"])
    assert model.seen == ["peer support", "menu of support", "evening groups"]
    assert np.array_equal(again[0], vectors[1])
    with Session(engine) as session:
        second.save(session)
        session.rollback()  # the caller's transaction decides
        assert session.exec(select(func.count()).select_from(CachedVector)).one() == 2
        second.stored.clear()
        second.save(session)
        session.commit()
        assert session.exec(select(func.count()).select_from(CachedVector)).one() == 3
        assert forget(session, ["peer support", "never seen"]) == 1
        session.commit()
        keys = set(session.exec(select(CachedVector.key)).all())
    third = CachedEncoder(None, model, engine=engine)
    assert len(keys) == 2 and set(third.vectors) == keys
    third(["peer support"])
    assert model.seen[-1] == "peer support"  # encoded again after being forgotten
