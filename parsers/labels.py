"""Section labels: the words that say what the lines after them are.

The vocabulary lives in ``labels.toml`` beside this module, so a deployment
can extend it without code.  ``read_label`` tells whether a line is a label,
in any of the forms minutes use: alone on a line ("Attendees", "0.
Attendance", "Action Items:", "DECISIONS"), or opening the line ("Recorder:
Ben", "Meeting Opened: 1318", "Attendees: - A, B").  How the line looks
(heading style, bold, capitals, a table's header row) does not matter here:
a label is a label in any dress.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

VOCABULARY = Path(__file__).with_name("labels.toml")
KINDS = (
    "present",
    "in-attendance",
    "apologies",
    "actions",
    "previous-actions",
    "decisions",
    "discussion",
    "agenda",
    "next-meeting",
    "meta",
)
ATTENDANCE = frozenset({"present", "in-attendance", "apologies"})

# A leading number or bullet: "0.", "3)", "4a.", "Item 4 -", "•".
_LEAD = re.compile(
    r"^\s*(?:(?:agenda\s+)?item\s+)?(?:\d{1,2}(?:\.\d{1,2})*[a-z]?[.):]?|[a-z][.)]|[ivx]{1,4}[.)]"
    r"|[•●▪◦·‣∙*○§\-–—])\s+",
    re.IGNORECASE,
)
_TRAIL = re.compile(r"[\s:;,.\-–—]+$")
_NOT_WORD = re.compile(r"[^\w\s'&/-]")
_DATE_WORD = re.compile(r"\s+(?:from|of|on|dated)\s+", re.IGNORECASE)


def _without_date_tail(text: str) -> str:
    """Drop a trailing "from 14 March 2022" (the last such phrase holding a digit)."""
    cuts = [
        m.start() for m in _DATE_WORD.finditer(text) if any(c.isdigit() for c in text[m.end() :])
    ]
    return text[: cuts[-1]] if cuts else text


_COLON = re.compile(r"^(?P<label>[^:]{1,60}?)\s*:\s*(?:[-–—]\s*)?(?P<rest>.*)$", re.DOTALL)


@dataclass(frozen=True)
class Label:
    """A line read as a label: its kind, and the text after it ("" if alone)."""

    kind: str
    rest: str = ""

    @property
    def alone(self) -> bool:
        return not self.rest


def normalise(text: str) -> str:
    """Return a label's comparable form: lower case, no number, no trailing colon."""
    text = _LEAD.sub("", " ".join(text.split()), count=1)
    text = _TRAIL.sub("", text).lower().replace("&", " and ").replace("/", " and ")
    text = _NOT_WORD.sub(" ", text)
    return " ".join(text.split())


@cache
def vocabulary(path: Path = VOCABULARY) -> dict[str, str]:
    """Map each normalised label to its kind, from the TOML file."""
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    kinds = data.get("kinds", {})
    out: dict[str, str] = {}
    for kind in KINDS:
        for word in kinds.get(kind, ()):
            out.setdefault(normalise(word), kind)
    unknown = set(kinds) - set(KINDS)
    if unknown:
        raise ValueError(f"labels.toml: unknown kinds {sorted(unknown)}")
    return out


@lru_cache(maxsize=8192)
def _kind(text: str) -> str | None:
    return vocabulary().get(normalise(text))


def read_label(text: str) -> Label | None:
    """Return the label this line is or opens, else None."""
    colon = text.find(":", 0, 64)
    if len(text) > 80 and colon < 0:
        return None  # a sentence: the usual case, decided without a regex
    text = text.strip()
    if not text:
        return None
    if len(text) <= 70 and text.count(" ") <= 9:  # a label is a few words
        kind = _kind(text)
        if kind is None and any(c.isdigit() for c in text):
            # "Review of actions from 14 March 2022:": a label with a date
            kind = _kind(_without_date_tail(text))
        if kind is not None:
            return Label(kind)
    if colon < 0 or text.count(" ", 0, colon) > 9:
        return None
    m = _COLON.match(text)
    if m is None:
        return None
    kind = _kind(m["label"])
    if kind is None:
        return None
    return Label(kind, m["rest"].strip())
