"""Actions: "ACTION:" lines, "X to do Y", action tables and action logs.

Owners come from an Owner / Responsibility cell, a "– OS, by 31/07/21"
suffix, an "Action (JT):" label or the sentence's subject ("EM to write
..."); several owners are split on "/", "&", "and" and commas; groups such as
"All members" and "Programme Team" are kept as groups.  Due dates come from a
Due cell or the sentence ("by 12 March", "on 18 March", "within two weeks",
"by the next meeting"), counted from the meeting date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from parsers.dates import find_dates, parse_date, relative_date
from parsers.model import ParsedSpeaker
from parsers.speakers import Cast, group_of, read_who

_LABEL = re.compile(
    r"^\s*(?:agreed\s+|new\s+|further\s+)?actions?(?:\s+(?:points?|agreed|arising"
    r"|required|for|owner))?\s*(?:\((?P<who>[^()]{1,40})\))?\s*(?:[:\-–—]|\s(?=[A-Z]{2}))"
    r"\s*(?P<rest>.*)$",
    re.IGNORECASE | re.DOTALL,
)
_OWNER_COLON = re.compile(r"^(?P<who>[A-Z][\w.'’ /&,-]{0,40}?)\s*:\s+(?P<rest>\S.*)$")
_TRAILING_LABEL = re.compile(
    r"[.;,]?\s*\(?\b(?:action|owner|lead)s?\s*[:\-–—]\s*(?P<who>[^()]{1,40}?)\)?\s*\.?$",
    re.IGNORECASE,
)
_SUFFIX = re.compile(
    r"\s+[-–—]\s*(?P<who>[^–—]{1,60}?)"
    r"(?:\s*,\s*(?:(?:by|due|before)\s+)?(?P<due>[^,]{3,40}))?\s*\.?$",
)
_PAREN_OWNER = re.compile(
    r"\s*\((?:lead|owner|action)?\s*[:\-]?\s*(?P<who>[^()]{1,40})\)\s*\.?$", re.IGNORECASE
)
_SUBJECT = re.compile(
    r"^(?P<who>[^,;:()]{1,60}?(?:\([^()]*\))?)\s+(?:(?:will|to|must|should|shall|needs?\s+to"
    r"|(?:is|are|has|have)\s+to)\s+(?:need\s+to\s+)?)"
    r"(?P<verb>[a-z][a-z-]+)\b",
)
# Owners written before the task: "[NL] task", "(Jamie) task", "Brendan: task",
# "George Croucher- task"; and after it: "... by Brendan".
_LEAD_OWNER = re.compile(
    r"^\s*(?:\[(?P<bracket>[^\]]{1,40})\]|\((?P<paren>[^()]{1,40})\)"
    r"|(?P<plain>[A-Z][^:;,\-–—\[\]()]{0,40}?)\s*(?::|[-–—](?=\s)))\s*(?P<rest>\S.*)$",
    re.DOTALL,
)
_BY_OWNER = re.compile(
    r"\s+by\s+(?P<who>[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,2}|all\s+members|everyone)"
    r"(?=\s*(?:,\s*(?:due|by|before)\b[^,]*)?\s*\.?$)"
)
BRACKET_OWNER = re.compile(r"^\s*\[(?P<who>[A-Z]{2,4}(?:\s*[,/&]\s*[A-Z]{2,4})*)\]\s+\S")
_OBLIGED = re.compile(r"\b(?:must|should|shall|needs?\s+to|(?:is|are|has|have)\s+to)\b")
_ONWARDS = re.compile(r"^\s*(?:onwards?|on)\b", re.IGNORECASE)
_FROM = re.compile(r"\b(?:from|starting|since|beginning|begin|after)\s*$", re.IGNORECASE)
_BY = re.compile(r"\b(?:by|before|due|deadline|no\s+later\s+than|for)\b\s*:?\s*", re.IGNORECASE)
_INITIALS = re.compile(r"[A-Z]{2,3}")
_SPLIT = re.compile(r"\s*(?:/|&|;|,|\+|\band\b)\s*")


@dataclass(frozen=True)
class ActionParts:
    """An action's text with its owners and due date read out of it."""

    text: str
    owners: tuple[ParsedSpeaker, ...]
    due: date | None


def read_owners(text: str, cast: Cast, *, loose: bool = True) -> tuple[ParsedSpeaker, ...]:
    """Read "KT/LM", "MF / OS", "All members", "Programme Team" as owners."""
    text = " ".join(text.split()).strip(" .")
    if not text:
        return ()
    whole = read_who(text, cast, loose=loose)
    if whole is not None and (whole.group or not _SPLIT.search(text)):
        return (whole,)
    owners: list[ParsedSpeaker] = []
    for part in _SPLIT.split(text):
        who = read_who(part, cast, loose=loose) if part.strip() else None
        if who is None and owners and _INITIALS.fullmatch(part.strip()):
            who = ParsedSpeaker(part.strip())  # "GL and EM": initials beside a known owner
        if who is None:
            return () if not owners else tuple(owners)
        owners.append(who)
    return tuple(owners)


def label_action(text: str) -> tuple[str, str] | None:
    """Return (rest, owner text) for "ACTION: ..." / "Action (JT): ...", else None."""
    if "action" not in text[:24].lower():
        return None
    m = _LABEL.match(text)
    if m is None:
        return None
    rest = (m["rest"] or "").strip()
    who = (m["who"] or "").strip()
    if not who:
        owner = _OWNER_COLON.match(rest)
        if owner and re.fullmatch(r"[A-Z]{2,3}(?:\s*[/&,]\s*[A-Z]{2,3})*", owner["who"]):
            who, rest = owner["who"], owner["rest"].strip()
    return rest, who


def subject_owners(text: str, cast: Cast) -> tuple[ParsedSpeaker, ...]:
    """Return the owners of "EM to write ..." / "All members to ...", or ()."""
    m = _SUBJECT.match(text)
    if m is None:
        return ()
    who = m["who"].strip()
    if group_of(who):
        return (ParsedSpeaker(who, group_of(who)),)
    return read_owners(who, cast, loose=False)


def is_action_sentence(text: str, cast: Cast) -> bool:
    """Tell whether text reads as "Name to do something"."""
    if " to " not in text:
        return False
    m = _SUBJECT.match(text)
    if m is None or " to " not in f" {text[: m.end('verb')]} ":
        return False
    if _OBLIGED.search(text[: m.end("verb")]):
        return False  # "Jordan needs to ...", "X should ...": said, not assigned
    return bool(subject_owners(text, cast))


def due_date(text: str, meeting: date | None, next_meeting: date | None = None) -> date | None:
    """Return the due date a sentence or Due cell gives, or None."""
    if meeting is None:
        return parse_date(text)
    dates = [
        d
        for d in find_dates(text, year=meeting.year, after=meeting)
        # "from 20 February onwards" says when work starts, not when it is due
        if not _ONWARDS.match(text[d.end : d.end + 10])
        and not _FROM.search(text[max(0, d.start - 12) : d.start])
    ]
    if dates:
        marked = [d for d in dates if _BY.search(text[max(0, d.start - 14) : d.start])]
        return (marked or dates)[-1].value
    return relative_date(text, meeting, next_meeting)


def read_action(
    text: str,
    cast: Cast,
    *,
    owner_text: str = "",
    due_text: str = "",
    label_owner: str = "",
    meeting: date | None = None,
    next_meeting: date | None = None,
) -> ActionParts:
    """Split an action into its text, owners and due date."""
    text = " ".join(text.split())
    whole = text  # the due date may sit in a part the owner notation takes off
    owners: tuple[ParsedSpeaker, ...] = ()
    due = None
    if due_text:
        due = parse_date(due_text, year=meeting.year if meeting else None, after=meeting) or (
            relative_date(due_text, meeting, next_meeting) if meeting else None
        )
    head = text[:48]
    lead = text[:1] in "[(" or ":" in head or " -" in head or "- " in head or "–" in head
    m = _LEAD_OWNER.match(text) if lead else None
    if m:
        # A name written before the task ("(Jamie) create ...") is the owner,
        # narrowing the people a task table or label names.
        who = m["bracket"] or m["paren"] or m["plain"]
        found = read_owners(who, cast, loose=False)
        if found and len(found) == len([p for p in _SPLIT.split(who) if p.strip()]):
            owners, text = found, m["rest"].strip()
    if owner_text and not owners:
        owners = read_owners(owner_text, cast)
    if label_owner:
        owners = owners or read_owners(label_owner, cast)
    m = _SUFFIX.search(text)
    if m:
        found = read_owners(m["who"], cast)
        if found:
            owners = owners or found
            if m["due"] and not due_text:
                due = due_date(m["due"], meeting, next_meeting)
            text = text[: m.start()].rstrip(" ,;")
    m = _TRAILING_LABEL.search(text)
    if m and m.start() > 0:
        found = read_owners(m["who"], cast)
        if found:
            owners = owners or found
            text = text[: m.start()].rstrip(" ,;")
    m = _PAREN_OWNER.search(text)
    if m and m.start() > 0:
        found = read_owners(m["who"], cast, loose=False)
        if found:
            owners = owners or found
            text = text[: m.start()].rstrip(" ,;")
    if not owners:
        m = _BY_OWNER.search(text) if " by " in text else None
        if m and m.start() > 0 and parse_date(m["who"]) is None:
            # "... to be drafted by Name": the owner is read, the sentence kept whole.
            found = read_owners(m["who"], cast, loose=False)
            if found:
                owners = found
            elif group_of(m["who"]):
                owners = (ParsedSpeaker(m["who"], group_of(m["who"])),)
    if not owners:
        owners = subject_owners(text, cast)
    if due is None and not due_text:
        due = due_date(whole, meeting, next_meeting)
    return ActionParts(text.rstrip(" ."), owners, due)
