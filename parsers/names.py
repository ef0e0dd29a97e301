"""Resolve a name as minutes write it ("EM", "Olly", "Dr Kapoor") to a person.

Pure: the roster comes in as plain ``RosterName`` values.  Stronger readings
win (full name, then alias, then initials, first name, surname, then a
short form); when one reading fits several people, the meeting's attendee
list settles it, else the answer is None (ambiguous is never guessed).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

TITLES = {
    "dr", "doctor", "prof", "professor", "mr", "mrs", "ms", "miss", "mx", "sir",
    "dame", "cllr", "councillor", "rev", "revd", "lord", "lady",
}  # fmt: skip
_PARTICLES = {"van", "von", "der", "de", "da", "di", "le", "la", "du", "bin", "al"}


@dataclass(frozen=True)
class RosterName:
    """One person the app knows: key (e.g. person id), name, aliases, role."""

    key: str
    name: str
    aliases: tuple[str, ...] = ()
    role: str = "staff"  # "lxp" or "staff"


def normalise(text: str) -> str:
    """Fold case, accents, punctuation, titles and roles in brackets away."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"\(.*?\)|\[.*?\]", " ", text).replace("’", "'")
    words = re.sub(r"[^\w'\- ]+", " ", text.casefold()).replace("-", " ").split()
    while words and words[0] in TITLES:
        words = words[1:]
    return " ".join(words)


def initials(name: str) -> str:
    """Return the initials of a full name: "Ewan McAllister" -> "em"."""
    words = [w for w in normalise(name).split() if w not in _PARTICLES]
    return "".join(w[0] for w in words) if len(words) >= 2 else ""


def _parts(name: str) -> list[str]:
    return normalise(name).split()


def _readings(person: RosterName) -> list[set[str]]:
    """Return the sets of strings that name this person, strongest first."""
    full = normalise(person.name)
    words = full.split()
    aliases = {normalise(a) for a in person.aliases if normalise(a)}
    first, last = (words[0], words[-1]) if words else ("", "")
    tiers = [
        {full},
        aliases,
        {initials(person.name)} - {""},
        {first} if len(words) >= 2 else set(),
        {f"{first} {last[0]}", f"{first[0]} {last}", last} if len(words) >= 2 else set(),
    ]
    return tiers


def _short_form(written: str, person: RosterName) -> bool:
    """Is written a short form of the first name ("Tom" for "Tomasz")?"""
    words = _parts(person.name)
    return len(written) >= 3 and " " not in written and bool(words) and (
        words[0].startswith(written) and words[0] != written
    )


def resolve_name(as_written: str, roster: Sequence[RosterName],
                 attendees: Sequence[str] = ()) -> RosterName | None:
    """Return the roster person as_written names, or None if unknown/ambiguous."""
    written = normalise(as_written)
    if not written or not roster:
        return None
    readings = [(person, _readings(person)) for person in roster]
    tiers: list[Callable[[RosterName, list[set[str]]], bool]] = [
        lambda _p, r: written in r[0],
        lambda _p, r: written in r[1],
        lambda _p, r: written in r[2],
        lambda _p, r: written in r[3],
        lambda _p, r: written in r[4],
        lambda p, _r: _short_form(written, p),
    ]
    for fits in tiers:
        found = [person for person, r in readings if fits(person, r)]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            return _settle(found, attendees)
    return None


def _settle(candidates: list[RosterName],
            attendees: Sequence[str]) -> RosterName | None:
    """Keep the one candidate the attendee list names, if exactly one."""
    present = []
    for person in candidates:
        full, aliases = normalise(person.name), {normalise(a) for a in person.aliases}
        first = full.split()[0] if full else ""
        for attendee in attendees:
            seen = normalise(attendee)
            if seen == full or seen in aliases:
                present.append(person)
                break
            # "Siobhan G" or a bare first name unique among the candidates.
            words = seen.split()
            if words and words[0] == first and (
                len(words) == 1 or full.split()[-1].startswith(words[-1])
            ):
                present.append(person)
                break
    return present[0] if len(present) == 1 else None
