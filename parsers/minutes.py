"""Parse one set of Word minutes: guard, read blocks, then find the record.

``parse_minutes`` raises only ``UploadRejected``: the guard refuses unsafe
files, anything python-docx or lxml raise becomes "damaged", and a document
with no text or no meeting date is refused with a plain-language message.
"""

from __future__ import annotations

import gc
import logging
import re
import traceback
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from parsers.actions import (
    BRACKET_OWNER,
    is_action_sentence,
    label_action,
    read_action,
    read_owners,
)
from parsers.attendance import parse_attendance
from parsers.dates import find_meeting_date, parse_date
from parsers.decisions import is_decision, label_decision
from parsers.docx_blocks import Block, read_blocks
from parsers.errors import UploadRejected
from parsers.guard import check_docx
from parsers.heading import heading_lines
from parsers.labels import Label, read_label
from parsers.model import (
    ParsedAction,
    ParsedContribution,
    ParsedDecision,
    ParsedItem,
    ParsedMinutes,
    ParsedSpeaker,
)
from parsers.names import RosterName, resolve_name
from parsers.sections import Line, read_outline
from parsers.speakers import Cast, attribute, build_cast, lead_in_source, read_who

logger = logging.getLogger(__name__)

DAMAGED = "This Word file is damaged; open it in Word and save it again."
EMPTY = "This Word file has no text in it; please choose the saved minutes."
NO_DATE = (
    "We could not find the meeting date in this file; please add it under the"
    " title (for example 'Tuesday 9 March 2021') and upload it again."
)
UNREADABLE = "We could not read the minutes in this file; please tell the team and attach the file."
_BOILERPLATE = re.compile(
    r"^\W*(?:none|nil|n/?a|no\s+other\s+business|no\s+aob|no\s+items?(?:\s+raised)?"
    r"|nothing\s+(?:further|to\s+report|else)|no\s+further\s+business|not\s+applicable"
    r"|close|there\s+(?:was|were)\s+(?:none|nothing(?:\s+further)?|no\s+other\s+business)"
    r"|meeting\s+(?:closed|ended|finished|adjourned|concluded).*"
    r"|the\s+meeting\s+(?:closed|ended|finished|was\s+closed|adjourned).*"
    r"|-+|tbc)\W*$",
    re.IGNORECASE,
)
_NEXT_MEETING = re.compile(
    r"^\W*(?:date\s+(?:and\s+time\s+)?of\s+(?:the\s+)?next\s+meeting|next\s+meeting"
    r"|future\s+meeting\s+dates?|dates?\s+of\s+future\s+meetings"
    # "Next forum: 13 April", "Next catch-up: ...": the next sitting of any kind
    r"|next\s+(?:forum|session|catch[\s-]?up|group|committee|board|workshop|gathering)\s*:)",
    re.IGNORECASE,
)
_ITEM = re.compile(
    r"^\s*(?:item\s+)?\d{1,2}(?:\.\d+)*[a-z]?(?:[.):]|\s+[-–—])?\s+[A-Za-z]", re.IGNORECASE
)
# What a boilerplate, next-meeting or Date/Time line can start with: one
# cheap match before the three full patterns.
_SKIPPABLE = re.compile(
    r"^\W*(?:$|none|nil|n/?a|no|nothing|not|close|meeting|the|there|tbc|date|next|future|time"
    r"|venue|location|chair|-)",
    re.IGNORECASE,
)
# Section labels that say what kind of note follows, not who spoke or what
# was decided: "Outcome: The committee SUPPORTED ...", "Discussion: ...".
_NOTE_LABEL = re.compile(
    r"^\s*(?:outcomes?|discussion|summary|notes?|update|key\s+points?)\s*:\s*(?P<rest>\S.*)$",
    re.IGNORECASE | re.DOTALL,
)
# "It was agreed that:", "Following discussion, members agreed the following:":
# the lead-in says nothing the points under it do not.
_BARE_AGREEMENT = re.compile(
    r"\b(?:agreed|resolved|decided|approved|confirmed)(?:\s+(?:that|the\s+following(?:\s+\w+)?"
    r"|as\s+follows|on\s+the\s+following(?:\s+\w+)?))?\W*$",
    re.IGNORECASE,
)
_TITLE_LABEL = re.compile(r"^\W*(?:meeting\s+)?(?:title|name)\b", re.IGNORECASE)
_META_LINE = re.compile(r"^\s*(?:date|time|venue|location|chair)\s*:", re.IGNORECASE)


def parse_minutes(
    data: bytes,
    filename: str = "",
    *,
    max_bytes: int = 10_000_000,
    roster: Sequence[RosterName] = (),
) -> ParsedMinutes:
    """Parse one .docx into ParsedMinutes, or raise UploadRejected."""
    check_docx(data, max_bytes=max_bytes)
    # The parse makes many small objects and no reference cycles: pausing the
    # cyclic collector saves its repeated full passes (10-20% on big files).
    paused = gc.isenabled()
    if paused:
        gc.disable()
    try:
        blocks = _read(data)
        try:
            return _analyse(blocks, filename, tuple(roster))
        except UploadRejected:
            raise
        except Exception as exc:  # a bug of ours must still reach the user politely
            # The type and frames only: the message could quote the minutes.
            logger.error(
                "parsing failed (%s)\n%s",
                type(exc).__name__,
                "".join(traceback.format_tb(exc.__traceback__)),
            )
            raise UploadRejected("unreadable", UNREADABLE) from exc
    finally:
        if paused:
            gc.enable()


def _read(data: bytes) -> list[Block]:
    try:
        return read_blocks(data)
    except UploadRejected:
        raise
    except (RecursionError, MemoryError, SystemError) as exc:  # SystemError: lxml out of memory
        raise UploadRejected("too-complex", "This Word file is too complex to read.") from exc
    except Exception as exc:  # BadZipFile, KeyError, XMLSyntaxError, ValueError...
        if _out_of_memory(exc):  # libxml2 out of memory (the worker's cap)
            raise UploadRejected("too-complex", "This Word file is too complex to read.") from exc
        raise UploadRejected("damaged", DAMAGED) from exc


def _out_of_memory(exc: Exception) -> bool:
    """libxml2 reports running out of memory as a syntax error (ERR_NO_MEMORY, code 2)."""
    if "memory" in str(exc).lower():
        return True
    log = getattr(exc, "error_log", None) or ()
    return any(getattr(entry, "type_name", "") == "ERR_NO_MEMORY" for entry in log)


def _title(body: Sequence[Block], skip: frozenset[int]) -> str:
    """Return the document's title: its first line, or the value of a "Meeting Title" label."""
    lines = [
        " ".join(b.text.split())
        for b in body[:40]
        if b.text.strip() and (b.cell is None or b.cells[0].row < 4)
    ]
    for n, text in enumerate(lines):
        label = read_label(text)
        if label is not None and label.kind == "meta" and _TITLE_LABEL.search(text):
            if label.rest:
                return label.rest
            if n + 1 < len(lines):
                return lines[n + 1]
    for i, block in enumerate(body):
        if block.cell is None and i not in skip and block.text.strip():
            return " ".join(block.text.split())
    return next((" ".join(b.text.split()) for b in body if b.text.strip()), "")


def find_start(body: Sequence[Block], used: frozenset[int]) -> int:
    """Return the index of the first block after the title and front matter."""
    first = next((i for i, b in enumerate(body) if b.text.strip()), 0)
    marks = []
    front = _front_end(body, used, first)
    if front is not None:
        marks.append(front + 1)
    title_table = body[first].cells[0].table if body and body[first].cells else None
    for i in range(first + 1, len(body)):
        block = body[i]
        if i in used:
            continue
        if block.cell is not None:
            table = block.cells[0].table
            if table != title_table and (
                i == 0 or not body[i - 1].cells or body[i - 1].cells[0].table != table
            ):
                # A table before any heading is record (or details, skipped);
                # plain lines under the title before it are record too.
                after = _after_title(body, first)
                return min(i, max(after, front + 1) if front is not None else after)
            continue
        if front is not None and i < front and _TITLE_WORDS.search(block.text):
            continue  # "Weekly Scrum Meeting Minutes": a title line, not an item
        text = block.text.strip()
        numbered = _ITEM.match(text) and not parse_date(text[:20], year=2000)
        if block.list_level is not None or (block.heading or 0) >= 1 or numbered:
            marks.append(i)
            break
    if marks:
        return min(marks)
    return _after_title(body, first)


def _after_title(body: Sequence[Block], first: int) -> int:
    """Return the first block after the title and the date and label lines under it."""
    start = first + 1
    while start < min(len(body), first + 4) and (
        parse_date(body[start].text, year=2000)
        or (read_label(body[start].text) or _NO_LABEL).kind in _FRONT_KINDS
        or (len(body[start].text.split()) <= 3 and _is_front_line(body[start]))
    ):
        start += 1
    if start < len(body) and body[start].cells:
        # Never start inside a table: read it whole (a details table is skipped).
        table = body[start].cells[0].table
        while start > 0 and body[start - 1].cells and body[start - 1].cells[0].table == table:
            start -= 1
    return start


_NO_LABEL = Label("")
_FRONT_KINDS = frozenset({"meta", "present", "in-attendance", "apologies"})


def _is_front_line(block: Block) -> bool:
    """Tell whether a short line under the title is more heading (styled, capitals) than record."""
    text = block.text.strip()
    if _ITEM.match(text) or _MINUTE_REF.match(text):
        return False  # "PMH/22/017 Leaflet review": an item, however short
    return block.all_bold or block.heading is not None or text.isupper() or text.istitle()


_MINUTE_REF = re.compile(r"^\s*[A-Z]{0,5}/?\d{1,4}/\d{1,4}\b")


def _front_end(body: Sequence[Block], used: frozenset[int], first: int) -> int | None:
    """Return the last attendance block of the front matter, None if there is none.

    Attendance read further down ("Minute taker: ..." at the end) does not
    move the start: only attendance reached from the title through short
    front-matter lines (date, time, venue, labels) counts.
    """
    end = None
    for i in range(first, min(len(body), 60)):
        if i in used:
            end = i
            continue
        block = body[i]
        text = block.text.strip()
        if not text or i == first or block.cells:
            continue
        if read_label(text) is not None:
            continue
        styled = block.list_level is not None or (block.heading or 0) >= 1 or _ITEM.match(text)
        if styled and not _TITLE_WORDS.search(text):
            break  # an agenda item opens before any attendance
        words = len(text.split())
        if words <= 8 or (words <= 16 and _TITLE_WORDS.search(text)):
            continue  # "Minutes of the meeting held on 7 June 2021"
        break
    return end


_TITLE_WORDS = re.compile(r"\b(?:minutes|meeting|agenda|notes)\b", re.IGNORECASE)


def _next_meeting(body: Sequence[Block], meeting: date) -> date | None:
    for block in body:
        if _NEXT_MEETING.match(block.text):
            return parse_date(block.text, year=meeting.year, after=meeting)
    return None


@dataclass
class _Record:
    """The statements, actions and decisions found so far, in order."""

    contributions: list[ParsedContribution] = field(default_factory=list)
    actions: list[ParsedAction] = field(default_factory=list)
    decisions: list[ParsedDecision] = field(default_factory=list)


@dataclass
class _Mode:
    """What a lead-in line ("ACTION:", "LXPs suggested the following:") sets."""

    kind: str  # "action", "decision" or "speaker"
    line: Line
    speaker: ParsedSpeaker | None = None
    label_owner: str = ""


def _applies(mode: _Mode, line: Line, first: bool) -> bool:
    lead = mode.line
    if line.item != lead.item or line.block.cells[:-1] != lead.block.cells[:-1]:
        return False
    if line.block.cells and lead.block.cells and line.block.cells != lead.block.cells:
        return False
    if line.bullet and (
        not lead.bullet or (line.block.list_level or 0) > (lead.block.list_level or 0)
    ):
        return True
    return first and not line.lead_in


def _classify(
    lines: Sequence[Line], cast: Cast, meeting: date, next_meeting: date | None
) -> _Record:
    record = _Record()
    mode: _Mode | None = None
    since_mode = 0
    last_person: dict[int | None, ParsedSpeaker] = {}

    def add_action(line: Line, text: str, label_owner: str = "") -> None:
        parts = read_action(
            text,
            cast,
            owner_text=line.owner,
            due_text=line.due,
            label_owner=label_owner,
            meeting=meeting,
            next_meeting=next_meeting,
        )
        if parts.text:
            record.actions.append(
                ParsedAction(
                    parts.text, parts.owners, parts.due, line.status or None, line.item, line.order
                )
            )

    def add_decision(line: Line, text: str) -> None:
        text = text.strip()
        if text:
            record.decisions.append(ParsedDecision(text, line.item, line.order))

    for n, line in enumerate(lines):
        text = line.text.strip()
        # Actions of earlier meetings, reviewed here, are what was said of them.
        reviewing = line.section == "previous"
        if line.row_action and not reviewing:
            add_action(line, text)
            continue
        if not text or (
            _SKIPPABLE.match(text)
            and (
                _BOILERPLATE.match(text)
                or _NEXT_MEETING.match(text)
                or (_META_LINE.match(text) and parse_date(text, year=meeting.year))
            )
        ):
            continue
        if mode is not None:
            since_mode += 1
            if not _applies(mode, line, since_mode == 1):
                mode = None
        noted = _NOTE_LABEL.match(text)
        if noted:
            text = noted["rest"].strip()
        labelled = None if reviewing else label_action(text)
        if labelled is not None:
            rest, who = labelled
            if (
                rest
                and not who
                and len(rest.split()) <= 4
                and _introduces(lines, n)
                and (read_owners(rest, cast, loose=False))
            ):
                rest, who = "", rest  # "Action: ALL" over the bullets it owns
            if not rest:
                mode, since_mode = _Mode("action", line, label_owner=who), 0
            else:
                add_action(line, rest, who)
            continue
        decided = label_decision(text)
        if decided is not None:
            if not decided:
                mode, since_mode = _Mode("decision", line), 0
            else:
                add_decision(line, decided)
            continue
        if line.lead_in and _introduces(lines, n) and is_decision(text.rstrip(" :")):
            # "The group agreed that:": the points under it are what was
            # agreed; the line itself only when it says more than that.
            if not _BARE_AGREEMENT.search(text.rstrip(" :")):
                add_decision(line, text.rstrip(" :"))
            mode, since_mode = _Mode("decision", line), 0
            continue
        if line.lead_in and _introduces(lines, n):
            said = attribute(text.rstrip(":"), cast)
            speaker = said.speaker or (last_person.get(line.item) if said.pronoun else None)
            speaker = speaker or lead_in_source(text, cast)
            mode, since_mode = _Mode("speaker", line, speaker), 0
            continue
        if mode is not None and mode.kind == "action":
            add_action(line, text, mode.label_owner)
            continue
        if mode is not None and mode.kind == "decision":
            add_decision(line, text)
            continue
        if not reviewing and (
            line.column == "action" or (line.section == "actions" and mode is None)
        ):
            add_action(line, text)
            continue
        bracket = BRACKET_OWNER.match(text) if text[:1] == "[" else None
        if (
            bracket
            and not reviewing
            and mode is None
            and read_owners(bracket["who"], cast, loose=False)
        ):
            add_action(line, text)  # "[JP] Circulate the guidance", in any section
            continue
        if line.column == "decision" or line.section == "decisions" or is_decision(text):
            add_decision(line, text)
            continue
        if mode is None and not reviewing and (is_action_sentence(text, cast)):
            add_action(line, text)
            continue
        said = attribute(text, cast, bold_prefix=line.block.bold_prefix)
        speaker = said.speaker
        if said.pronoun:
            speaker = last_person.get(line.item)
        elif speaker is None and mode is not None:
            speaker = mode.speaker
        if speaker is None and line.speaker:
            speaker = read_who(line.speaker, cast, loose=True)
        if speaker is not None and speaker.group is None:
            last_person[line.item] = speaker
        if said.text:
            record.contributions.append(
                ParsedContribution(said.text, speaker, line.item, line.order)
            )
    return record


def _introduces(lines: Sequence[Line], n: int) -> bool:
    """Tell whether the line ending with ":" leads into the lines after it."""
    if n + 1 >= len(lines):
        return False
    here, after = lines[n], lines[n + 1]
    return after.item == here.item and (after.bullet or after.block.cells == here.block.cells)


def _warnings(
    items: Sequence[ParsedItem], record: _Record, attendees: int, cast: Cast
) -> tuple[str, ...]:
    notes = []
    if not attendees:
        notes.append("No list of who attended was found.")
    unattributed = sum(c.speaker is None for c in record.contributions)
    if unattributed:
        total = len(record.contributions)
        notes.append(f"{unattributed} of {total} statements do not say who spoke.")
    if items:
        no_lead = sum(i.lead is None for i in items)
        if no_lead:
            noun = "agenda item does" if no_lead == 1 else "agenda items do"
            notes.append(f"{no_lead} {noun} not name a lead.")
    else:
        notes.append("No numbered agenda items were found.")
    no_owner = sum(not a.owners for a in record.actions)
    if no_owner:
        noun = "action has" if no_owner == 1 else "actions have"
        notes.append(f"{no_owner} {noun} no owner.")
    if cast.roster:
        unknown = sorted(
            {
                who.as_written
                for who in _people(items, record)
                if who.group is None
                and resolve_name(who.as_written, cast.roster, cast.people) is None
            }
        )
        if unknown:
            notes.append("Not on the people list: " + ", ".join(unknown) + ".")
    return tuple(notes)


def _people(items: Sequence[ParsedItem], record: _Record) -> list[ParsedSpeaker]:
    found = [i.lead for i in items if i.lead]
    found += [c.speaker for c in record.contributions if c.speaker]
    found += [o for a in record.actions for o in a.owners]
    return found


def _analyse(blocks: list[Block], filename: str, roster: tuple[RosterName, ...]) -> ParsedMinutes:
    if not any(b.text.strip() for b in blocks):
        raise UploadRejected("empty-document", EMPTY)
    body = [b for b in blocks if b.part == "body"]
    meeting = find_meeting_date(blocks, filename)
    if meeting is None:
        raise UploadRejected("no-date", NO_DATE)
    attendance = parse_attendance(body)
    cast = build_cast(roster, [a.as_written for a in attendance.attendees], attendance.aliases)
    start = find_start(body, attendance.used)
    outline = read_outline(body, attendance.used, cast, start)
    record = _classify(outline.lines, cast, meeting, _next_meeting(body, meeting))
    return ParsedMinutes(
        title=_title(body, attendance.used),
        date=meeting,
        attendees=attendance.attendees,
        items=tuple(outline.items),
        contributions=tuple(record.contributions),
        actions=tuple(record.actions),
        decisions=tuple(record.decisions),
        text="\n".join(b.text for b in body),
        warnings=_warnings(outline.items, record, len(attendance.attendees), cast),
        heading_lines=heading_lines(body, start, blocks),
    )
