"""Load the matcher's glossary and rewrite text onto its canonical phrases."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path

DEFAULT_GLOSSARY = Path(__file__).resolve().parent.parent / "glossary.toml"

Synonyms = Mapping[str, tuple[str, ...]]


def parse_synonyms(text: str) -> dict[str, tuple[str, ...]]:
    """Read a TOML glossary: a [synonyms] table of canonical = [variants]."""
    table = tomllib.loads(text).get("synonyms", {})
    return _clean(table)


def _clean(table: Mapping[str, Iterable[str] | str]) -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for canonical, variants in table.items():
        if isinstance(variants, str):
            variants = [variants]
        key = " ".join(str(canonical).split())
        if not key:
            raise ValueError("glossary: empty canonical phrase")
        kept = tuple(" ".join(str(v).split()) for v in variants if str(v).strip())
        out[key] = kept
    return out


@lru_cache(maxsize=1)
def default_synonyms() -> dict[str, tuple[str, ...]]:
    """Return the glossary shipped with the product (tracker/glossary.toml)."""
    return parse_synonyms(DEFAULT_GLOSSARY.read_text(encoding="utf-8"))


def merge_synonyms(
    base: Synonyms, extra: Mapping[str, Iterable[str] | str] | None
) -> dict[str, tuple[str, ...]]:
    """Merge user synonyms (config [matcher.synonyms]) into a base glossary."""
    merged = {k: tuple(v) for k, v in base.items()}
    for key, variants in _clean(extra or {}).items():
        old = merged.get(key, ())
        merged[key] = old + tuple(v for v in variants if v not in old)
    return merged


def _is_abbreviation(variant: str) -> bool:
    # Capitals-only variants (PD, GP, T&F) are abbreviations: match them in
    # capitals only, so "ED" never fires on an ordinary word, and allow a
    # plural or possessive ("GPs", "LXP's").
    letters = [c for c in variant if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


# A word for the glossary: letters and digits, joined by & or ' ("A&E", "GP's").
_TOKEN = re.compile(r"[A-Za-z0-9]+(?:[&'][A-Za-z0-9]+)*")


class Glossary:
    """A compiled glossary: one regex pass rewrites variants to canonical."""

    def __init__(self, synonyms: Synonyms) -> None:
        self._exact: dict[str, str] = {}
        self._folded: dict[str, str] = {}
        for canonical, variants in synonyms.items():
            for variant in variants:
                if _is_abbreviation(variant):
                    self._exact[variant] = canonical
                else:
                    self._folded[variant.lower()] = canonical
            # The canonical phrase is a variant of itself, so that concept()
            # turns it into one token too.
            self._folded.setdefault(canonical.lower(), canonical)
        # Token-level index for concept_tokens(): variants as word tuples.
        self._exact_seq = {tuple(_TOKEN.findall(v)): c for v, c in self._exact.items()}
        self._folded_seq = {tuple(_TOKEN.findall(v.lower())): c for v, c in self._folded.items()}
        # First words of variants: most words start none, and skip the look-ups.
        self._starts = {k[0] for k in self._folded_seq if k} | {
            k[0].lower() for k in self._exact_seq if k
        }
        self._longest = max((len(k) for k in (*self._exact_seq, *self._folded_seq)), default=0)
        # A text with no word that could start a variant skips the n-gram
        # look-ups: one set test. The set holds each start word with plural
        # and possessive endings, so it may over-match (then the slow path
        # decides) and never under-matches a real variant.
        self._loose = frozenset(
            w + end for w in self._starts for end in ("", "s", "ss", "'s", "'ss")
        )
        # One pass, longest variant first ("GP practice" before "GP"), so a
        # canonical phrase just written is never rewritten again.
        parts = [(v, rf"(?-i:{re.escape(v)}(?:'?s)?)") for v in self._exact]
        parts += [(v, re.escape(v)) for v in self._folded]
        parts.sort(key=lambda p: len(p[0]), reverse=True)
        self._pattern = (
            re.compile(
                r"(?<![\w&])(?:" + "|".join(p for _, p in parts) + r")(?![\w&])",
                re.IGNORECASE,
            )
            if parts
            else None
        )

    def apply(self, text: str) -> str:
        """Rewrite every known variant in text to its canonical phrase."""
        text = text.replace("\u2019", "'").replace("\u2018", "'")
        if self._pattern is None:
            return text
        return self._pattern.sub(self._canonical_of, text)

    def concept_tokens(self, text: str) -> list[str]:
        """Lower-cased words of text, each glossary variant as one concept
        token ("GPs" and "general practitioners" both give
        "general_practitioner"). Faster than the regex: dictionary look-ups
        over word n-grams, longest first.
        """
        text = text.replace("\u2019", "'")
        words = _TOKEN.findall(text)
        lower = " ".join(words).lower().split()
        if self._loose.isdisjoint(lower):
            return lower
        out: list[str] = []
        i, n = 0, len(words)
        starts = self._starts
        while i < n:
            if lower[i] not in starts and lower[i].rstrip("s").rstrip("'") not in starts:
                out.append(lower[i])
                i += 1
                continue
            for k in range(min(self._longest, n - i), 0, -1):
                canonical = self._folded_seq.get(tuple(lower[i : i + k]))
                if canonical is None:
                    seq = words[i : i + k]
                    canonical = self._exact_seq.get(tuple(seq))
                    if canonical is None and seq[-1][-1:] == "s":
                        # Plural or possessive abbreviation: "GPs", "LXP's".
                        last = seq[-1][:-1].removesuffix("'")
                        canonical = self._exact_seq.get((*seq[:-1], last))
                if canonical is not None:
                    out.append("_".join(_TOKEN.findall(canonical.lower())))
                    i += k
                    break
            else:
                out.append(lower[i])
                i += 1
        return out

    def _canonical_of(self, m: re.Match[str]) -> str:
        word = m.group(0)
        for form in (word, word.removesuffix("s").removesuffix("'")):
            if form in self._exact:
                return self._exact[form]
        return self._folded.get(word.lower(), word)
