"""British dates as minutes write them, and the one date a meeting sat.

"Tuesday 9th March 2021", "Thurs 4 Feb 21", "18/03/21", "18.03.2021",
"9th June" (year from context), "w/c 15 Jan", "end of March"; "TBC" is no
date.  Numeric dates are read day first.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from parsers.docx_blocks import Block
from parsers.labels import read_label

MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_YEAR = r"(?:\d{4}|'?\d{2}(?![:.]\d))"
_DMY = re.compile(
    rf"\b(?P<day>[0-3]?\d)(?:st|nd|rd|th)?(?:\s+of)?[\s\-]*(?P<mon>{_MONTH})(?![a-z])"
    rf"(?:,?[\s\-]*(?P<year>{_YEAR})\b)?",
    re.IGNORECASE,
)
_MDY = re.compile(
    rf"\b(?P<mon>{_MONTH})\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\b(?![:.]\d)"
    r"(?:,?\s*(?P<year>\d{4})\b)?",
    re.IGNORECASE,
)
_NUMERIC = re.compile(
    r"(?<![\d/.\-])(?P<day>[0-3]?\d)(?P<sep>[/.\-])(?P<mon>[01]?\d)(?P=sep)"
    r"(?P<year>\d{4}|\d{2})(?![\d/.\-]*\d)"
)
_DIGIT = re.compile(r"\d")
_ISO = re.compile(r"\b(?P<year>(?:19|20)\d{2})-(?P<mon>[01]\d)-(?P<day>[0-3]\d)\b")
_END_OF = re.compile(
    rf"\b(?P<when>end|mid|middle|beginning|start)(?:\s+of)?[\s\-]+(?P<mon>{_MONTH})(?![a-z])"
    rf"(?:\s+(?P<year>\d{{4}}))?",
    re.IGNORECASE,
)
_UNKNOWN = re.compile(r"^\W*(?:tbc|tba|tbd|n/?a|ongoing|asap|none|-+)\W*$", re.IGNORECASE)
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_RELATIVE = re.compile(
    r"\b(?:within|in)\s+(?P<n>\d+|one|two|three|four|six)\s+(?P<unit>day|week|month)s?\b"
    r"|\b(?:(?:by|before|until|ahead\s+of|for)\s+(?:the\s+)?)(?P<next>next)\s+(?P<what>week|month|meeting)\b"
    r"|\bend\s+of\s+(?:the\s+)?(?P<eom>this\s+month|month|next\s+month)\b"
    r"|\b(?:by|on|before)\s+(?:next\s+)?(?P<wd>(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?)\b",
    re.IGNORECASE,
)
_TRAILING_WEEKDAY = re.compile(
    r"\b(?P<wd>(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)day)\s*[.!]?\s*$",
    re.IGNORECASE,
)
# Loose due dates of action logs: "End Q2" (UK financial quarters, April to
# March), "Oct-21", "October 2021" (the end of that month).
_QUARTER = re.compile(
    r"\b(?:(?:end|by)\s+(?:of\s+)?)?q(?P<q>[1-4])(?:\s*(?P<y>\d{2}(?:\d{2})?"
    r"(?:/\d{2})?))?\b",
    re.IGNORECASE,
)
_MONTH_YEAR = re.compile(
    rf"\b(?P<mon>{_MONTH})[\s\-/']+(?P<year>20\d{{2}}|\d{{2}})(?![\d:.])", re.IGNORECASE
)
_DAY_MONTH = re.compile(r"^\s*(?P<day>[0-3]?\d)[/.](?P<mon>[01]?\d)\s*$")
_WORD_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "six": 6}
_DATE_LABEL = re.compile(
    r"^\s*(?:meeting\s+)?date(?:\s+of\s+meeting)?(?:\s*(?:and|&|/)\s*time)?\s*[:\-–]?\s*$",
    re.IGNORECASE,
)
_DATE_LINE = re.compile(r"^\s*(?:meeting\s+)?date(?:\s+and\s+time)?\s*:", re.IGNORECASE)
_NOT_THIS_MEETING = re.compile(
    r"next\s+(?:meeting|forum|session|catch[\s-]?up|workshop)|previous|last\s+meeting"
    r"|future\s+meeting|deadline|\bdue\b"
    r"|printed|created|\bversion\b|\bv\d|updated|circulated|\bissued",
    re.IGNORECASE,
)
_ITEM_START = re.compile(
    rf"^\s*(?:item\s+)?\d+(?:\.\d+)*[a-z]?(?:[.):]|\s+[-–—])?\s+(?!{_MONTH}(?![a-z]))[a-z]",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DateMatch:
    """A date found in text, where it was, and whether it named its year."""

    value: date
    start: int
    end: int
    has_year: bool


def _year(text: str | None, default: int | None) -> int | None:
    if not text:
        return default
    text = text.lstrip("'")
    value = int(text)
    if len(text) == 2:
        value += 2000 if value < 70 else 1900
    return value


def _make(year: int | None, month: int, day: int) -> date | None:
    if year is None or not 1900 <= year <= 2199:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _roll(found: date, after: date | None, has_year: bool) -> date:
    """Move a yearless date into the next year when it would fall long before."""
    if has_year or after is None or found >= after - timedelta(days=92):
        return found
    return _make(found.year + 1, found.month, found.day) or found


def find_dates(text: str, *, year: int | None = None, after: date | None = None) -> list[DateMatch]:
    """Return the dates written in text, in order; yearless ones use year."""
    found: list[DateMatch] = []
    taken: list[tuple[int, int]] = []
    digits = _DIGIT.search(text) is not None  # every pattern but "end of" needs one

    def add(value: date | None, m: re.Match[str], has_year: bool) -> None:
        if value is None or any(s < m.end() and m.start() < e for s, e in taken):
            return
        taken.append((m.start(), m.end()))
        found.append(DateMatch(_roll(value, after, has_year), m.start(), m.end(), has_year))

    for m in _ISO.finditer(text) if digits else ():
        add(_make(int(m["year"]), int(m["mon"]), int(m["day"])), m, True)
    for m in _NUMERIC.finditer(text) if digits else ():
        add(_make(_year(m["year"], None), int(m["mon"]), int(m["day"])), m, True)
    for m in _END_OF.finditer(text):
        y = _year(m["year"], year)
        month = MONTHS[m["mon"][:3].lower()]
        if y is not None:
            last = calendar.monthrange(y, month)[1]
            day = {"end": last, "mid": 15, "middle": 15}.get(m["when"].lower(), 1)
            add(_make(y, month, day), m, m["year"] is not None)
    for pattern in (_DMY, _MDY) if digits else ():
        for m in pattern.finditer(text):
            y = _year(m["year"], year)
            add(_make(y, MONTHS[m["mon"][:3].lower()], int(m["day"])), m, m["year"] is not None)
    found.sort(key=lambda d: d.start)
    return found


def parse_date(text: str, *, year: int | None = None, after: date | None = None) -> date | None:
    """Return the first date in text, or None ("TBC", no date, bad date)."""
    if not text or _UNKNOWN.match(text):
        return None
    dates = find_dates(text, year=year, after=after)
    return dates[0].value if dates else None


def relative_date(text: str, meeting: date, next_meeting: date | None = None) -> date | None:
    """Read "within two weeks", "by Friday", "end of the month" from meeting."""
    m = _RELATIVE.search(text)
    if m is None:
        end = _TRAILING_WEEKDAY.search(text)
        if end is not None:  # "Design the menu 1 hour Thursday": the day it is due
            weekday = _WEEKDAYS.index(end["wd"][:3].lower())
            return meeting + timedelta(days=(weekday - meeting.weekday()) % 7 or 7)
        return _loose_date(text, meeting)
    if m["n"]:
        n = int(m["n"]) if m["n"].isdigit() else _WORD_NUMBERS[m["n"].lower()]
        unit = m["unit"].lower()
        if unit == "month":
            return _add_months(meeting, n)
        return meeting + timedelta(days=n * (7 if unit == "week" else 1))
    if m["next"]:
        what = m["what"].lower()
        if what == "meeting":
            return next_meeting
        return meeting + timedelta(days=7) if what == "week" else _add_months(meeting, 1)
    if m["eom"]:
        target = _add_months(meeting, 1) if "next" in m["eom"].lower() else meeting
        last = calendar.monthrange(target.year, target.month)[1]
        return target.replace(day=last)
    weekday = _WEEKDAYS.index(m["wd"][:3].lower())
    ahead = (weekday - meeting.weekday()) % 7 or 7
    return meeting + timedelta(days=ahead)


def _loose_date(text: str, meeting: date) -> date | None:
    """Read "End Q2" (financial quarter) or "Oct-21" (month end), else None."""
    m = _DAY_MONTH.match(text)  # a whole Due cell such as "14/05"
    if m:
        found = _make(meeting.year, int(m["mon"]), int(m["day"]))
        return _roll(found, meeting, False) if found else None
    m = _QUARTER.search(text)
    if m:
        start = meeting.year if meeting.month >= 4 else meeting.year - 1
        if m["y"]:
            start = _year(m["y"].split("/")[0], None) or start
        quarter = int(m["q"])
        year = start + 1 if quarter == 4 else start
        month = {1: 6, 2: 9, 3: 12, 4: 3}[quarter]
        return date(year, month, calendar.monthrange(year, month)[1])
    m = _MONTH_YEAR.search(text)
    if m:
        year = _year(m["year"], None) or meeting.year
        month = MONTHS[m["mon"][:3].lower()]
        return date(year, month, calendar.monthrange(year, month)[1])
    return None


def _add_months(start: date, n: int) -> date:
    month = start.month - 1 + n
    year, month = start.year + month // 12, month % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def document_year(texts: Sequence[str]) -> int | None:
    """Return the year most dates in these texts name, for yearless dates."""
    counts: dict[int, int] = {}
    for text in texts:
        for found in find_dates(text):
            if found.has_year:
                counts[found.value.year] = counts.get(found.value.year, 0) + 1
    return max(counts, key=lambda y: counts[y]) if counts else None


def _first(text: str, year: int | None) -> date | None:
    if _NOT_THIS_MEETING.search(text):
        return None
    return parse_date(text, year=year)


_WHEN_WORD = re.compile(r"\b(?:date|when)\b", re.IGNORECASE)


def _is_date_label(text: str) -> bool:
    """Tell whether a label cell announces the date: "Date", "Meeting Location, Date & Time"."""
    if _DATE_LABEL.match(text):
        return True
    label = read_label(text)
    return (
        label is not None and label.alone and label.kind == "meta" and bool(_WHEN_WORD.search(text))
    )


def find_meeting_date(blocks: Sequence[Block], filename: str = "") -> date | None:
    """Return the date the meeting sat: date cell, title lines, header, filename."""
    year = document_year([b.text for b in blocks[:40]] + [filename])
    body = [b for b in blocks if b.part == "body"]
    # 1. A "Date" cell of a Date/Time/Venue table, or a "Date:" line on top.
    for i, block in enumerate(body[:60]):
        cell = block.cell
        if cell is not None and cell.col == 0 and _is_date_label(block.text):
            for other in body[i + 1 : i + 8]:
                here = other.cell
                if here is None or (here.table, here.row) != (cell.table, cell.row):
                    break
                if (found := parse_date(other.text, year=year)) is not None:
                    return found
        if cell is not None and cell.row == 0 and _DATE_LABEL.match(block.text):
            # Date | Time | Venue as column headers: the date sits below.
            for other in body[i + 1 : i + 40]:
                here = other.cell
                if (
                    here is not None
                    and (here.table, here.row, here.col) == (cell.table, 1, cell.col)
                    and (found := parse_date(other.text, year=year)) is not None
                ):
                    return found
        if _DATE_LINE.match(block.text) and (found := _first(block.text, year)):
            return found
    # 2. The title and the lines under it, before the first agenda item.
    seen = 0
    skip_next = False
    for block in body:
        if block.cell is not None:
            continue
        if skip_next:  # the date under a "Next meeting:" label is not this one's
            skip_next = False
            continue
        label = read_label(block.text)
        if label is not None and label.alone and label.kind == "next-meeting":
            skip_next = True
            continue
        if seen and (block.list_level is not None or _ITEM_START.match(block.text)):
            break
        seen += 1
        if seen > 8:
            break
        if (found := _first(block.text, year)) is not None:
            return found
    # 3. The page header or footer.
    for block in blocks:
        if block.part != "body" and (found := _first(block.text, year)) is not None:
            return found
    # 4. The file name, when it says the whole date.
    stem = re.sub(r"\.\w+$", "", filename.rsplit("/", 1)[-1])
    dates = find_dates(stem.replace("_", " "))
    full = [d for d in dates if d.has_year]
    return full[0].value if full else None
