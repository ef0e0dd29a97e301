"""Learn a programme's vocabulary from the links its people confirmed.

Pure. A confirmed link says "this later record takes this point up"; when
the two share few words, the rare words each uses alone are the programme's
own ways of saying the same thing ("menu of support" / "directory of the
post-diagnostic offer"). ``glossary_pairs`` proposes such phrase pairs;
``learn_glossary`` merges them into the matcher's synonyms so later points
and records meet on them. Rejected links are used by the matcher itself
(``Decisions``): records that restate a rejected one are pushed down for
that point.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from tracker.domain.glossary import Synonyms, merge_synonyms
from tracker.domain.matching import MatchSettings, Normaliser, Record

#: A word that appears in more than this share of a programme's records is
#: too common to stand for a point.
MAX_DF_SHARE = 0.02
#: Rarest words of each side considered per confirmed link.
WORDS_PER_SIDE = 6
#: Distinct confirmed links that must show a pair before it joins the
#: glossary: one link alone cannot tell which of its words pair up.
MIN_SUPPORT = 2


def glossary_pairs(
    records: Sequence[Record],
    confirmed: Iterable[tuple[str, str]],
    synonyms: Synonyms,
    *,
    min_support: int = MIN_SUPPORT,
) -> list[tuple[str, str, int]]:
    """(point word, record word, support) pairs the confirmed links teach.

    For each confirmed (point, record) pair: the rare content words the
    point uses and the record (with its item title) does not, and the other
    way round; the rarest few of each side pair up. A pair joins when
    ``min_support`` confirmed links show it.
    """
    norm = Normaliser(synonyms)
    by_id = {r.id: r for r in records}
    df: Counter[str] = Counter()
    for r in records:
        df.update(set(norm.tokens(r.text)))
    n = max(1, len(records))
    limit = max(5, MAX_DF_SHARE * n)

    def rare(text: str) -> dict[str, str]:
        return {s: w for s, w in norm.surface(text).items() if df[s] <= limit and not s.isdigit()}

    support: Counter[tuple[str, str]] = Counter()
    for sid, tid in confirmed:
        src, tgt = by_id.get(sid), by_id.get(tid)
        if src is None or tgt is None:
            continue
        mine = rare(src.text)
        theirs = rare(f"{tgt.text} {tgt.item_title}")
        only_mine = {s: w for s, w in mine.items() if s not in theirs}
        only_theirs = {s: w for s, w in theirs.items() if s not in mine}
        if not only_mine or not only_theirs:
            continue

        def rarest(words: dict[str, str]) -> list[str]:
            return [w for _, w in sorted((df[s], w) for s, w in words.items())[:WORDS_PER_SIDE]]

        for a in rarest(only_mine):
            for b in rarest(only_theirs):
                support[(a, b)] += 1
    return sorted(
        ((a, b, k) for (a, b), k in support.items() if k >= min_support),
        key=lambda p: (-p[2], p[0], p[1]),
    )


def learn_glossary(
    records: Sequence[Record],
    confirmed: Iterable[tuple[str, str]],
    settings: MatchSettings,
    *,
    min_support: int = MIN_SUPPORT,
) -> dict[str, tuple[str, ...]]:
    """The matcher's synonyms with the pairs confirmed links teach merged in."""
    pairs = glossary_pairs(records, confirmed, settings.synonyms, min_support=min_support)
    extra: dict[str, list[str]] = {}
    for a, b, _ in pairs:
        if a != b:
            extra.setdefault(a, []).append(b)
    return merge_synonyms(settings.synonyms, extra)


__all__ = ["glossary_pairs", "learn_glossary"]
