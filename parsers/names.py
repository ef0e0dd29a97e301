"""Resolve a name as minutes write it ("EM", "Olly", "Dr Kapoor") to a person.

Pure: the roster comes in as plain ``RosterName`` values.  Stronger readings
win (full name, then alias, then initials, first name, surname, then a
short form); when one reading fits several people, the meeting's attendee
list settles it, else the answer is None (ambiguous is never guessed).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
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


@functools.lru_cache(maxsize=8192)
def normalise(text: str) -> str:
    """Fold case, accents, punctuation, titles and roles in brackets away."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"\(.*?\)|\[.*?\]", " ", text).replace("’", "'")
    # Dotted initials: "R.K." reads as "RK".
    text = re.sub(
        r"\b((?:[A-Za-z]\.){1,3}[A-Za-z])\.?(?!\w)", lambda m: m.group(1).replace(".", ""), text
    )
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


class RosterIndex:
    """A roster with every reading normalised once, for repeated look-ups."""

    def __init__(self, roster: Sequence[RosterName]) -> None:
        self.roster = tuple(roster)
        # tiers[k][reading] = the people that reading names at strength k
        self.tiers: list[dict[str, list[RosterName]]] = [{} for _ in range(5)]
        self.first_words: list[tuple[RosterName, str]] = []
        for person in self.roster:
            for tier, readings in zip(self.tiers, _readings(person), strict=True):
                for reading in readings:
                    tier.setdefault(reading, []).append(person)
            words = _parts(person.name)
            self.first_words.append((person, words[0] if words else ""))

    def resolve_name(self, as_written: str, attendees: Sequence[str] = ()) -> RosterName | None:
        """Return the person as_written names, or None if unknown/ambiguous."""
        written = normalise(as_written)
        if not written or not self.roster:
            return None
        for tier in self.tiers:
            found = tier.get(written)
            if found:
                # Keep roster order, as a scan of the roster would.
                return found[0] if len(found) == 1 else _settle(found, attendees)
        if len(written) >= 3 and " " not in written:
            found = [
                p for p, first in self.first_words if first.startswith(written) and first != written
            ]
            if len(found) == 1:
                return found[0]
            if found:
                return _settle(found, attendees)
        return None


@functools.lru_cache(maxsize=16)
def roster_index(roster: tuple[RosterName, ...]) -> RosterIndex:
    """Return the (cached) index of one roster."""
    return RosterIndex(roster)


def resolve_name(
    as_written: str, roster: Sequence[RosterName] | RosterIndex, attendees: Sequence[str] = ()
) -> RosterName | None:
    """Return the roster person as_written names, or None if unknown/ambiguous.

    The roster is indexed once per distinct roster (cached), so calling this
    for every name of a corpus import does not re-normalise the roster.
    """
    if isinstance(roster, RosterIndex):
        return roster.resolve_name(as_written, attendees)
    if not roster:
        return None
    return roster_index(tuple(roster)).resolve_name(as_written, attendees)


def _settle(candidates: list[RosterName], attendees: Sequence[str]) -> RosterName | None:
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
            if (
                words
                and words[0] == first
                and (len(words) == 1 or full.split()[-1].startswith(words[-1]))
            ):
                present.append(person)
                break
    return present[0] if len(present) == 1 else None
