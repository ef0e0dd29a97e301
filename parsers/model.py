"""Typed result of parsing one set of Word minutes.

Everything here is a frozen dataclass of plain values: no database ids, no
roster objects.  The app resolves names to people later (``parsers.names``).
Indexes (``item``) point into ``ParsedMinutes.items`` by position.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

# Collectives a speaker, lead or owner can be, as in the export contract.
GROUPS = ("lxp", "staff", "all")
ATTENDANCE = ("present", "in-attendance", "apologies")


@dataclass(frozen=True)
class ParsedSpeaker:
    """Who said, leads or owns something, exactly as the minutes put it.

    ``group`` is set for collectives ("LXPs suggested" -> "lxp",
    "Programme Team" -> "staff", "All members" -> "all"); otherwise
    ``as_written`` holds the name, initials or first name as written.
    """

    as_written: str
    group: str | None = None


@dataclass(frozen=True)
class ParsedAttendee:
    as_written: str  # the name without the role that follows it
    status: str  # one of ATTENDANCE
    role: str | None = None  # "LXP", "Chair", "notes" ... as written


@dataclass(frozen=True)
class ParsedItem:
    number: str  # "1", "4a", "3.1"; "" when the minutes do not number it
    title: str
    lead: ParsedSpeaker | None = None
    order: int = 0  # position of the heading among all blocks


@dataclass(frozen=True)
class ParsedContribution:
    text: str  # verbatim, speaker prefix and trailing "(Name)" removed
    speaker: ParsedSpeaker | None  # None = the minutes do not say who
    item: int | None = None  # index into ParsedMinutes.items
    order: int = 0


@dataclass(frozen=True)
class ParsedAction:
    text: str
    owners: tuple[ParsedSpeaker, ...] = ()
    due: date | None = None
    status: str | None = None  # as written in an action log ("Open", "Complete")
    item: int | None = None
    order: int = 0


@dataclass(frozen=True)
class ParsedDecision:
    text: str
    item: int | None = None
    order: int = 0


@dataclass(frozen=True)
class ParsedMinutes:
    title: str  # the document title as written (used to find the body)
    date: date | None
    attendees: tuple[ParsedAttendee, ...] = ()
    items: tuple[ParsedItem, ...] = ()
    contributions: tuple[ParsedContribution, ...] = ()
    actions: tuple[ParsedAction, ...] = ()
    decisions: tuple[ParsedDecision, ...] = ()
    # Plain text of the whole document, paragraph by paragraph, for review.
    text: str = ""
    # Plain-language notes for the chair ("4 of 9 statements are unattributed").
    warnings: tuple[str, ...] = field(default_factory=tuple)
    # The heading block: opening lines, first-table cells, page header and
    # footer, each as written; the app finds the body among them.
    heading_lines: tuple[str, ...] = field(default_factory=tuple)
