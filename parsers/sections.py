"""Agenda items and the lines recorded under each.

Items come from numbered headings ("1. Welcome", "2) Access", "Item 3:
Finance", "4a Budget", Word-numbered heading paragraphs), from unnumbered
headings when a document numbers none, and from rows of agenda tables
(No | Item | Discussion | Action).  An item's lead is read from the heading
("– EM", "(Lead: SK)", "(Gareth)", "– Yasmin Haddad (LXP)", "(all)") or from
a second line of the Item cell.  Action tables and action logs
(Ref | Action | Owner | Due | Status) become action lines; a Ref of "3.1"
belongs to item 3.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from parsers.dates import parse_date
from parsers.docx_blocks import Block
from parsers.labels import ATTENDANCE, read_label
from parsers.model import ParsedItem, ParsedSpeaker
from parsers.speakers import Cast, read_who

_NUMBERED = re.compile(
    # Board-style minute references ("21/03", "2021/45") number items too.
    r"^\s*(?:(?:agenda\s+)?item\s+)?(?P<num>\d{2,4}/\d{1,3}(?![/\d])|(?-i:[A-Z]{1,5})/\d{2,4}/\d{1,4}"
    r"|\d{1,2}(?:\.\d{1,2})*[a-z]?"
    r"|[a-z](?=[.)]))"
    r"(?:[.):]|\s*[-–—])?\s+(?P<title>\S.*)$",
    re.IGNORECASE | re.DOTALL,
)
# "Item 2:- Overall aim", "Item One: - Post-mortem": the word "Item" and a
# number make an agenda item whatever the line looks like.
_WORD_NUMBERS = {
    "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
    "seven": "7", "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12",
}  # fmt: skip
_EXPLICIT_ITEM = re.compile(
    r"^\s*(?:agenda\s+)?item\s+(?P<num>\d{1,2}(?:\.\d{1,2})*[a-z]?|"
    + "|".join(_WORD_NUMBERS)
    + r")\s*(?:[.):]\s*[-–—]?|[-–—])\s*(?P<title>[\w\"'(“‘].*)$",
    re.IGNORECASE | re.DOTALL,
)
_LONG_NOTE = re.compile(r"\s+\((?:[^()]*\s){4}[^()]*(?:\)|$)\s*$")  # "(What will the ... "
_BULLET = re.compile(r"^\s*(?:[•●▪◦·‣∙*○§]|[-–—o](?=\s))\s*")
_BULLET_CHARS = "•●▪◦·‣∙*○§-–—o"
_LABEL_LINE = re.compile(
    r"^\s*(?:actions?|agreed|decisions?|resolved|approved|present|apologies|attendees"
    r"|date|time|venue|note|noted|in attendance|minutes|outcome)\b[^:]{0,25}:\s*\S",
    re.IGNORECASE,
)
_ACTION_SECTION = re.compile(
    r"^(?:(?:summary\s+of\s+|agreed\s+|new\s+|key\s+)?actions?(?:\s+(?:log|points?"
    r"|tracker|list|summary|agreed|arising|register|and\s+next\s+steps))?"
    r"|next\s+steps|action\s+log|actions?\s+from\s+(?:this|the)\s+meeting)\s*:?$",
    re.IGNORECASE,
)
_DECISION_SECTION = re.compile(
    r"^(?:(?:summary\s+of\s+|key\s+)?decisions?(?:\s+(?:log|made|taken|agreed|register))?"
    r"|resolutions?|agreed\s+outcomes?)\s*:?$",
    re.IGNORECASE,
)
_SKIP_SECTION = re.compile(
    r"^(?:date\s+(?:and\s+time\s+)?of\s+(?:the\s+)?next\s+meeting|next\s+meeting"
    r"|dates?\s+of\s+future\s+meetings)\b",
    re.IGNORECASE,
)
_LEAD_IN_TITLE = re.compile(
    r"\s*[(\[]\s*(?:lead|led by|presented by|presenter|owner)\s*[:\-–]?\s*(?P<who>[^)\]]+)"
    r"[)\]]\s*$|\s*[-–—:]\s*(?:lead|led by|presented by)\s*[:\-–]?\s*(?P<who2>.+)$",
    re.IGNORECASE,
)
_TRAILING_PAREN = re.compile(r"\s*\((?P<who>[^()]{1,60})\)\s*$")
_TRAILING_DASH = re.compile(r"\s+[-–—]\s+(?P<who>[^-–—]{1,60})$")
_KV_LABEL = re.compile(
    r"^\s*(?:meeting\s+)?(?:date|time|venue|location|where|when|chair|chaired\s+by"
    r"|present|apologies|attendees|in\s+attendance|minutes?|notes?\s+taken\s+by"
    r"|minute\s+taker|meeting|title|dial[\s-]in|room|format)(?:\s*(?:and|&|/)\s*\w+)?"
    r"\s*:?\s*$",
    re.IGNORECASE,
)
_ROLE_PATTERNS = (
    ("number", r"^(?:no\.?|num(?:ber)?|#|item\s*no\.?|ref\.?|reference|item\s+ref|id"
               r"|minute\s+(?:ref(?:erence)?|no)\.?|min\.?\s+ref\.?"
               r"|agenda\s+(?:item\s+)?no\.?|action\s+(?:no\.?|ref\.?))$"),
    ("owner", r"^action\s+(?:owner|by|lead|holder)s?\b"),
    ("action", r"^(?:agreed\s+)?actions?\b|^action\s*(?:required|points?|agreed)"),
    ("decision", r"^decisions?\b"),
    ("owner", r"^(?:owner|lead|responsib|by\s+whom|who\b|action\s+by|assigned|person"
              r"|name|present(?:er|ed\s+by)|speaker)"),
    ("due", r"^(?:due|deadline|by\s+when|when\b|target|date\s+due|date|timescale"
            r"|completion|by\b)"),
    ("status", r"^(?:status|rag|progress|open\s*/\s*closed|complete)"),
    ("title", r"^(?:agenda\s+)?(?:item|topic|subject|title|agenda|heading)s?\b"),
    ("discussion", r"discussion|notes|minutes|summary|update|comments?|points?|detail"
                   r"|narrative|report|outcome|what\s+was\s+said"),
)  # fmt: skip


_SUBTOPIC = re.compile(r"^(?:topics?|themes?|issues?|areas?|subjects?)\b", re.IGNORECASE)
_SPEAKER_HEADER = re.compile(r"^(?:name|who|speaker|attendee|member|person)s?\b", re.IGNORECASE)
_ROLE_RES = tuple((role, re.compile(pattern)) for role, pattern in _ROLE_PATTERNS)


@dataclass(slots=True)
class Line:
    """One recorded unit (paragraph, bullet, line of a cell) and its context."""

    text: str
    block: Block
    order: int  # index of the block among the body blocks
    item: int | None = None  # index into Outline.items
    column: str = ""  # table column role: "discussion", "action", "decision"
    owner: str = ""  # Owner / Responsibility cell of an action row
    due: str = ""  # Due cell of an action row
    status: str = ""  # Status cell of an action row
    row_action: bool = False  # one row of an action table: surely an action
    section: str = ""  # "actions", "decisions" when the heading says so
    bullet: bool = False  # a list item (Word's or a typed bullet)
    lead_in: bool = False  # ends with ":" and introduces the lines after it
    speaker: str = ""  # Name cell of a Name | What was said row


@dataclass
class Outline:
    """The agenda items of one document and the lines under them."""

    items: list[ParsedItem] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    listed: dict[str, int] = field(default_factory=dict)  # agenda-table numbers


# Header words that name a column's role anywhere in the header ("Follow Up
# Action", "Who is responsible", "What people told us"), tried when the
# usual header names above do not match.
_ROLE_FALLBACK = tuple(
    (role, re.compile(pattern))
    for role, pattern in (
        ("number", r"^(?:sec(?:tion)?\.?(?:\s*no\.?)?|s/?n)$"),
        ("title", r"^(?:issues?|themes?|matters?|areas?|items? of business)$"),
        ("owner", r"^(?:resp\.?|responsible|members?|assignee|assigned\s+to|who\s+\w+)$"
                  r"|\bresponsib|\bwho\s+(?:is|will)\b"),
        ("action", r"\b(?:follow[\s-]*up(?:\s+actions?)?|actions?|tasks?|to[\s-]?dos?)\b"),
        ("due", r"\b(?:deadline|due|by\s+when|target\s+date)\b"),
        ("discussion", r"\b(?:told\s+us|said|feedback|comments?|notes?|details?|description"
                       r"|discussed|raised|response)\b"),
    )
)  # fmt: skip


def column_roles(header: Sequence[str]) -> list[str]:
    """Name each column of a table from its header text ("" if unknown)."""
    roles = []
    for text in header:
        words = " ".join(text.lower().replace(":", " ").split())
        role = next((r for r, p in _ROLE_RES if p.search(words)), "")
        if not role and words:
            role = next((r for r, p in _ROLE_FALLBACK if p.search(words)), "")
        roles.append(role)
    # Item | Subject | Lead: the "Item" column before a subject column numbers it.
    titles = [c for c, r in enumerate(roles) if r == "title"]
    if (
        len(titles) >= 2
        and "number" not in roles
        and re.match(r"^\s*(?:agenda\s+)?item\b", header[titles[0]], re.IGNORECASE)
    ):
        roles[titles[0]] = "number"
    return roles


def _table_kind(roles: list[str], header: Sequence[str]) -> str:
    if header and _KV_LABEL.match(header[0]) and len(set(header)) <= 3:
        return "kv"
    kinds = set(roles)
    if (
        "action" in kinds
        and kinds & {"owner", "due", "status"}
        and not kinds & {"discussion", "title"}
    ):
        return "actions"
    if "action" in kinds and {"owner", "due"} <= kinds and "title" not in kinds:
        return "actions"  # an action log with an Update / Comments column
    if "decision" in kinds and not kinds & {"discussion", "title", "action"}:
        return "decisions"  # a decision log: Decision | Date | Made by
    if "discussion" in kinds or ("title" in kinds and kinds & {"number", "action"}):
        return "agenda"
    return ""


def split_item_title(title: str, cast: Cast) -> tuple[str, ParsedSpeaker | None]:
    """Split "Access and waiting times – NR" into the title and its lead."""
    title = " ".join(title.split()).rstrip(" :")
    m = _LEAD_IN_TITLE.search(title)
    if m:
        who = read_who(m["who"] or m["who2"], cast, loose=True)
        if who is not None:
            return title[: m.start()].strip(" -–—:"), who
    m = _TRAILING_DASH.search(title)
    if m:
        who = read_who(m["who"], cast)
        if who is not None:
            return title[: m.start()].strip(" -–—"), who
    m = _TRAILING_PAREN.search(title)
    if m and m.start() > 0:
        who = read_who(m["who"], cast)
        if who is not None:
            return title[: m.start()].strip(" -–—"), who
    return title, None


_TRAILING_BRACKET = re.compile(r"\s*\([^()]*\)\s*$")
_CAPITALS = re.compile(r"^[^a-z]*[A-Z]{2}[^a-z]*\s[^a-z]*[A-Z][^a-z]*$")  # two words or more


def _is_heading(block: Block, text: str) -> bool:
    if len(text) > 160 or _LABEL_LINE.match(text):
        return False
    if block.heading is not None and block.heading >= 1:
        return True
    short = len(text) <= 100 and not text.endswith((".", ";", ","))
    capitals = _CAPITALS.match(_TRAILING_BRACKET.sub("", text))  # "3. PLAN (Lead: AO)"
    if (block.all_bold or capitals) and short and not text.endswith(":"):
        return True  # a bold line, or one in capitals ("3. WAITING LIST INITIATIVES")
    underlined_number = _NUMBERED.match(text) and block.bold_prefix and short
    return bool(underlined_number)


def read_outline(
    blocks: Sequence[Block], skip: frozenset[int], cast: Cast, start: int = 0
) -> Outline:
    """Split the body blocks (from start, minus skip) into items and lines."""
    outline = Outline()
    tables = _tables(blocks)
    numbered_doc = any(
        _NUMBERED.match(b.text.strip()) and _is_heading(b, b.text.strip())
        for b in blocks[start:]
        if b.cell is None
    ) or any(
        b.list_number and b.list_level == 0 and _is_heading(b, b.text.strip())
        for b in blocks[start:]
        if b.cell is None
    )
    current: int | None = None
    section = ""
    i = start
    while i < len(blocks):
        block = blocks[i]
        if i in skip:
            i += 1
            continue
        if block.cell is not None:
            table = block.cells[0].table
            i = _read_table(blocks, i, table, tables, outline, cast, current, section)
            continue
        text = block.text.strip()
        explicit = _EXPLICIT_ITEM.match(text) if text[:1] in "Ii" else None
        if explicit:
            number = _WORD_NUMBERS.get(explicit["num"].lower(), explicit["num"])
            title = _LONG_NOTE.sub("", " ".join(explicit["title"].split())).rstrip(" :")
            title, lead = split_item_title(title, cast)
            if number in outline.listed:
                current = outline.listed[number]
            else:
                outline.items.append(ParsedItem(number, title, lead, order=i))
                current = len(outline.items) - 1
            section = ""
            i += 1
            continue
        numbered = _NUMBERED.match(text)
        heading = _is_heading(block, text)
        led = _LEAD_LINE.match(text) if not heading else None
        if (
            led
            and current is not None
            and outline.items[current].lead is None
            and _just_after(outline, current, i)
        ):
            who = read_who(led["who"], cast, loose=True)
            if who is not None:  # "Presented by: Dr Menon" under the item's heading
                item = outline.items[current]
                outline.items[current] = ParsedItem(item.number, item.title, who, item.order)
                i += 1
                continue
        label = None if heading and (numbered or block.list_number) else read_label(text)
        if label is not None and (label.alone or label.kind == "meta"):
            # A label in any dress opens a section; "Recorder: Ben" is no statement.
            if label.alone:
                section, current = _enter(label.kind, current)
            i += 1
            continue
        if section == "value" or (section == "names" and len(text.split()) <= 8):
            section = "" if section == "value" else section
            i += 1
            continue  # the value under a meta label, a name under an attendance label
        if section == "names":
            section = ""
        if heading and (numbered or block.list_number or not _is_sentence(text)):
            number, title = "", text
            if numbered:
                number, title = numbered["num"], numbered["title"]
            elif block.list_number and block.list_level == 0:
                number = block.list_number
            title, lead = split_item_title(title, cast)
            if not number and _captions(blocks, i, title):
                i += 1  # "What people told us" over a table headed the same: a caption
                continue
            if _SKIP_SECTION.match(title):
                section = "skip"
            elif not number and _ACTION_SECTION.match(title):
                section, current = "actions", None
            elif not number and _DECISION_SECTION.match(title):
                section, current = "decisions", None
            elif number and number.rstrip(".") in outline.listed:
                # "Item 3 – ..." minutes an item the agenda table listed.
                current, section = outline.listed[number.rstrip(".")], ""
            elif number or not (numbered_doc or any(it.number for it in outline.items)):
                outline.items.append(ParsedItem(number, title, lead, order=i))
                current = len(outline.items) - 1
                titled = read_label(title)
                section = (
                    "actions"
                    if _ACTION_SECTION.match(title)
                    else "decisions"
                    if _DECISION_SECTION.match(title)
                    else "previous"
                    if titled is not None and titled.kind == "previous-actions"
                    else ""
                )
            i += 1
            continue
        if section != "skip":
            _add_lines(outline, block, i, text, current, section)
        i += 1
    return outline


def _enter(kind: str, current: int | None) -> tuple[str, int | None]:
    """Return the (section, item) a label alone on its line opens."""
    if kind == "actions":
        return "actions", None
    if kind == "decisions":
        return "decisions", None
    if kind == "previous-actions":
        return "previous", current
    if kind == "next-meeting":
        return "skip", current
    if kind == "meta":
        return "value", current
    if kind in ATTENDANCE:
        return "names", current
    return "", current  # discussion, agenda: the lines are the record


_LEAD_LINE = re.compile(
    r"^\s*(?:presented\s+by|presenter|lead|led\s+by|introduced\s+by|item\s+lead)\s*:\s*"
    r"(?P<who>[^:]{2,60}?)\s*\.?$",
    re.IGNORECASE,
)


def _just_after(outline: Outline, item: int, i: int) -> bool:
    """Tell whether block i is the first line recorded under the item's heading."""
    if outline.items[item].order != i - 1:
        return False
    return not any(line.item == item for line in outline.lines[-3:])


def _captions(blocks: Sequence[Block], i: int, title: str) -> bool:
    """Tell whether an unnumbered heading only captions the table right under it."""
    if i + 1 >= len(blocks) or not blocks[i + 1].cells:
        return False
    wanted = " ".join(title.lower().split()).strip(" :")
    return any(" ".join(h.lower().split()).strip(" :") == wanted for h in blocks[i + 1].header_row)


def _is_sentence(text: str) -> bool:
    return len(text.split()) > 12 or text.endswith((".", "?", "!"))


def _add_lines(
    outline: Outline,
    block: Block,
    order: int,
    text: str,
    item: int | None,
    section: str,
    **extra: object,
) -> None:
    for raw in text.split("\n") if "\n" in text else (text,):
        line = raw.strip()
        if not line:
            continue
        bullet = block.list_level is not None
        m = _BULLET.match(line) if line[0] in _BULLET_CHARS else None
        if m and len(line) > m.end():
            line, bullet = line[m.end() :].strip(), True
        elif line[0].isdigit() and (
            block.list_number or (block.list_level is None and not block.cells)
        ):
            sub = _NUMBERED.match(line)
            if sub and "." in sub["num"] and len(line.split()) > 4:
                line = sub["title"].strip()  # "2.1 The minutes were agreed."
        outline.lines.append(
            Line(
                text=line,
                block=block,
                order=order,
                item=item,
                section=section,
                bullet=bullet,
                lead_in=line.endswith(":"),
                **extra,  # type: ignore[arg-type]
            )
        )


def _tables(blocks: Sequence[Block]) -> dict[int, tuple[str, ...]]:
    headers: dict[int, tuple[str, ...]] = {}
    for block in blocks:
        if block.cells:
            table = block.cells[-1].table
            if table not in headers:
                headers[table] = block.header_row
    return headers


def _read_table(
    blocks: Sequence[Block],
    i: int,
    table: int,
    headers: dict[int, tuple[str, ...]],
    outline: Outline,
    cast: Cast,
    current: int | None,
    section: str,
) -> int:
    """Read the outer table starting at block i; return the index after it."""
    end = i
    while end < len(blocks) and blocks[end].cells and blocks[end].cells[0].table == table:
        end += 1
    rows = _rows(blocks, i, end, depth=0)
    header = headers.get(table, ())
    if _is_details_table(blocks, rows):
        return end  # Date | Time | Venue rows: the meeting's details, not its record
    roles = _content_roles(column_roles(header), rows, blocks, cast)
    if section == "actions" and "action" not in roles and "owner" in roles:
        # Under an "Actions" label, the Detail column of a No | Detail | Resp.
        # log states the actions.
        for col, role in enumerate(roles):
            if role in ("discussion", ""):
                roles[col] = "action"
                break
    kind = _table_kind(roles, header)
    if kind == "kv":
        return end
    if not kind and "title" in roles and set(roles) <= {"title", "owner", "due", "status", "topic"}:
        # Item | Lead with no numbers: an agenda listing.  When headings
        # follow, they minute the items and the listing adds nothing.
        later = blocks[end : end + 400]
        if any(b.cell is None and _is_heading(b, b.text.strip()) for b in later):
            return end
        kind = "agenda"
    if kind in ("", "agenda") and _person_rows(
        rows, roles, header, outline, blocks, cast, current, section
    ):
        return end
    if kind == "actions":
        _action_rows(rows, roles, outline, current, section, blocks, headers)
    elif kind == "decisions":
        for r in sorted(rows):
            cells = _cell(rows, r, roles, "decision")
            text = _text(blocks, cells, 0)
            if r == 0 or not text:
                continue
            ref = _text(blocks, _cell(rows, r, roles, "number"), 0)
            item = _item_for_ref(ref, outline) if ref else current
            outline.lines.append(
                Line(
                    text=text,
                    block=blocks[cells[0]],
                    order=cells[0],
                    item=item,
                    column="decision",
                    section=section or "decisions",
                )
            )
    elif kind == "agenda":
        named = any(_SPEAKER_HEADER.match(h.strip()) for h in header)
        if current is not None and "number" not in roles:
            # Topic | What people told us inside an item: the topics are the
            # item's sub-headings, not agenda items of their own.
            roles = [
                "topic" if r == "title" and _SUBTOPIC.match(h.strip()) else r
                for r, h in zip(roles, list(header) + [""] * len(roles), strict=False)
            ]
        _agenda_rows(rows, roles, outline, cast, blocks, headers, current, named)
    else:
        titled = _header_section(header, cast)
        label_col = next((c for c, h in enumerate(header) if h.strip()), 0)
        for j in range(i, end):
            text = blocks[j].text.strip()
            if titled is None:
                _add_lines(outline, blocks[j], j, text, current, section)
            elif blocks[j].cells[0].row > 0 and blocks[j].cells[0].col == label_col:
                # The header row is never content; nor are the columns beside
                # the label's ("Hours"), which no role names.
                inner, owner = titled
                _add_lines(outline, blocks[j], j, text, current, inner, owner=owner)
    return end


def _person_rows(
    rows: Rows,
    roles: list[str],
    header: Sequence[str],
    outline: Outline,
    blocks: Sequence[Block],
    cast: Cast,
    current: int | None,
    section: str,
) -> bool:
    """Read a Name | text table: each row's text said (or, under actions, owned) by its name.

    The first row is content too when its name cell holds a name rather
    than a column header.  Returns False when the table is not of this shape.
    """
    owners = [c for c, r in enumerate(roles) if r == "owner"]
    texts = [c for c, r in enumerate(roles) if r in ("", "discussion", "action")]
    if len(owners) != 1 or len(texts) != 1 or len(roles) != 2:
        return False
    who_col, text_col = owners[0], texts[0]
    first = rows.get(0, {})
    head_name = " ".join(blocks[j].text.strip() for j in first.get(who_col, []))
    data_head = not column_roles(header)[who_col] and read_owners_text(head_name, cast, loose=False)
    acting = section == "actions" or roles[text_col] == "action"
    for r in sorted(rows):
        if r == 0 and not data_head:
            continue
        who = _text(blocks, rows[r].get(who_col, []), 0)
        for j in rows[r].get(text_col, []):
            if len(blocks[j].cells) != 1:
                continue
            text = blocks[j].text.strip()
            if acting:
                extra: dict[str, object] = {"column": "action", "owner": who, "row_action": True}
            else:
                extra = {"column": "discussion", "speaker": who}
            _add_lines(outline, blocks[j], j, text, current, section, **extra)
    return True


_OWNED_TASKS = re.compile(
    r"^\s*(?:(?P<who>[A-Z][^:]{0,60}?)(?:['’]s)?\s+(?i:tasks?|actions?|to[\s-]?dos?|jobs?)"
    r"|(?i:tasks?|actions?)\s+(?i:for|of)\s+(?P<who2>[A-Z][^:]{0,60}?))\s*:?\s*$"
)


def _header_section(header: Sequence[str], cast: Cast) -> tuple[str, str] | None:
    """Read a one-label header row ("Connor tasks:", "Discussed topics") as a section.

    Returns (section, owner text) for the rows under it, or None when the
    header row is not one label.
    """
    texts = [h.strip() for h in header if h.strip()]
    if not texts or any(t != texts[0] and len(t.split()) > 2 for t in texts):
        return None  # one label, perhaps beside short column names ("Hours")
    text = texts[0]
    m = _OWNED_TASKS.match(text)
    if m:
        who = m["who"] or m["who2"]
        if read_owners_text(who, cast):
            return "actions", who
    label = read_label(text)
    if label is None or not label.alone:
        return None
    return _enter(label.kind, None)[0], ""


_FULL_NAME = re.compile(r"^[A-Z][a-z'’-]+(?:\s+[A-Z][a-z'’-]+){1,2}$")


def read_owners_text(text: str, cast: Cast, *, loose: bool = True) -> bool:
    """Tell whether text names people or a group ("Connor", "Jamie and Caitlin", "All").

    Not loose: each part must be known to the cast, or a group, or read as a
    full name ("Kyle Bodin"), so that "Verbal" or "A" is no one.
    """
    parts = [p.strip() for p in re.split(r"\s*(?:,|/|&|\band\b)\s*", text) if p.strip()]
    if not loose:
        return bool(parts) and all(
            read_who(p, cast) is not None or _FULL_NAME.match(p) for p in parts
        )
    return bool(parts) and all(read_who(p, cast, loose=True) is not None for p in parts)


_REF = re.compile(r"^\s*(?:item\s+)?\d{1,3}(?:\.\d{1,2})*[a-z]?[.)]?\s*$", re.IGNORECASE)
_STATUS = re.compile(
    r"^\W*(?:open|closed?|complete[d]?|done|ongoing|in\s+progress|not\s+started|pending"
    r"|overdue|red|amber|green|rag|c|o|wip|on\s+hold|carried\s+forward|n/?a)\W*$",
    re.IGNORECASE,
)


_DONE = re.compile(r"^\W*(?:complete[d]?|closed|done|finished|achieved)\b", re.IGNORECASE)


def _is_details_table(blocks: Sequence[Block], rows: Rows) -> bool:
    """Tell whether a table holds the meeting's details: label | value rows."""
    labelled = total = 0
    for r, cells in rows.items():
        first = [blocks[j].text for j in cells.get(min(cells), []) if len(blocks[j].cells) == 1]
        text = " ".join(" ".join(first).split())
        if not text or (r == 0 and len(cells) == 1):
            continue  # a title cell spanning the first row
        total += 1
        label = read_label(text)
        if (label is not None and label.kind in _DETAIL_KINDS) or _KV_LABEL.match(text):
            labelled += 1
    return total >= 2 and labelled / total >= 0.6


_DETAIL_KINDS = frozenset({"meta", "present", "in-attendance", "apologies"})


def _content_roles(roles: list[str], rows: Rows, blocks: Sequence[Block], cast: Cast) -> list[str]:
    """Give columns the header does not name a role from what their cells hold.

    Numbers or references -> number, dates -> due, names or initials -> owner,
    status words -> status, long text -> discussion.  A column needs two
    filled cells, all alike (long text: most of them), to get a role.
    """
    width = max((max(cells) + 1 for cells in rows.values() if cells), default=0)
    roles = list(roles) + [""] * max(0, width - len(roles))
    for col, role in enumerate(roles):
        if role:
            continue
        texts = []
        for r, cells in rows.items():
            if r == 0:
                continue
            text = " ".join(
                blocks[j].text.strip() for j in cells.get(col, []) if len(blocks[j].cells) == 1
            ).strip()
            if text and text not in ("-", "–"):
                texts.append(text)
        if len(texts) < 2:
            continue
        if all(_REF.match(t) for t in texts):
            roles[col] = "number"
        elif all(len(t) <= 30 and parse_date(t, year=2000) for t in texts):
            roles[col] = "due"
        elif all(_STATUS.match(t) for t in texts):
            roles[col] = "status"
        elif all(len(t) <= 60 and read_owners_text(t, cast, loose=False) for t in texts):
            roles[col] = "owner"
        elif sum(len(t.split()) >= 6 for t in texts) * 2 > len(texts):
            roles[col] = "discussion"
    return roles


# rows[row][col] = list of block indexes in that cell (nested tables included)
Rows = dict[int, dict[int, list[int]]]


def _rows(blocks: Sequence[Block], i: int, end: int, depth: int) -> Rows:
    rows: Rows = {}
    for j in range(i, end):
        ref = blocks[j].cells[depth]
        rows.setdefault(ref.row, {}).setdefault(ref.col, []).append(j)
    return rows


def _cell(rows: Rows, row: int, roles: list[str], role: str) -> list[int]:
    cells = rows.get(row, {})
    out: list[int] = []
    for col, r in enumerate(roles):
        if r == role:
            out.extend(cells.get(col, []))
    return out


def _text(blocks: Sequence[Block], indexes: list[int], depth: int) -> str:
    return " ".join(
        blocks[j].text.strip()
        for j in indexes
        if len(blocks[j].cells) == depth + 1 and blocks[j].text.strip()
    )


def _item_for_ref(ref: str, outline: Outline) -> int | None:
    ref = ref.strip().rstrip(".")
    if not ref:
        return None
    for candidate in (ref, ref.split(".")[0], re.sub(r"[a-z]$", "", ref)):
        for k, item in enumerate(outline.items):
            if item.number and candidate in (item.number, item.number.removesuffix(".0")):
                return k
    return None


def _action_rows(
    rows: Rows,
    roles: list[str],
    outline: Outline,
    current: int | None,
    section: str,
    blocks: Sequence[Block],
    headers: dict[int, tuple[str, ...]],
    depth: int = 0,
) -> None:
    del headers
    refs = {r: _text(blocks, _cell(rows, r, roles, "number"), depth) for r in rows if r > 0}
    # When some refs name this meeting's items, a ref of the same shape naming
    # none is an action carried over from an earlier meeting ("PMH/21/049" in
    # a log of PMH/22/015-020), as is a row already complete.
    known = {r for r, ref in refs.items() if ref and _item_for_ref(ref, outline) is not None}
    shapes = {re.sub(r"\d+", "#", refs[r]) for r in known}
    for r in sorted(rows):
        if r == 0:
            continue
        action_cells = _cell(rows, r, roles, "action")
        text = _text(blocks, action_cells, depth)
        if not text:
            continue
        ref = refs.get(r, "")
        status = _text(blocks, _cell(rows, r, roles, "status"), depth)
        earlier = ref and r not in known and re.sub(r"\d+", "#", ref) in shapes
        if section != "previous" and (_DONE.match(status) or earlier):
            continue
        item = _item_for_ref(ref, outline) if ref else None
        if item is None and not ref:
            item = current
        first = action_cells[0]
        outline.lines.append(
            Line(
                text=text,
                block=blocks[first],
                order=first,
                item=item,
                column="action",
                owner=_text(blocks, _cell(rows, r, roles, "owner"), depth),
                due=_text(blocks, _cell(rows, r, roles, "due"), depth),
                status=_text(blocks, _cell(rows, r, roles, "status"), depth)
                or _text(blocks, _cell(rows, r, roles, "discussion"), depth),
                row_action=True,
                section=section or "actions",
            )
        )


def _agenda_rows(
    rows: Rows,
    roles: list[str],
    outline: Outline,
    cast: Cast,
    blocks: Sequence[Block],
    headers: dict[int, tuple[str, ...]],
    current: int | None = None,
    named: bool = False,
) -> None:
    # An agenda listing (Item | Subject | Lead | Paper) records no statements.
    listing = not set(roles) & {"discussion", "action", "decision"}
    # Name | What was said: with no action column, the Name cell says who spoke.
    by_name = named and "owner" in roles and "action" not in roles and not listing
    for r in sorted(rows):
        if r == 0:
            continue
        number = _text(blocks, _cell(rows, r, roles, "number"), 0).rstrip(".")
        title_cells = [j for j in _cell(rows, r, roles, "title") if len(blocks[j].cells) == 1]
        title_lines = [blocks[j].text.strip() for j in title_cells if blocks[j].text.strip()]
        if title_lines or number:
            title = title_lines[0] if title_lines else ""
            m = _NUMBERED.match(title)
            if not number and m:
                number, title = m["num"], m["title"]
            title, lead = split_item_title(title, cast)
            lead_line = 0
            if lead is None and len(title_lines) > 1 and not title_lines[0].endswith(":"):
                lead = read_who(title_lines[1], cast, loose=True)  # "Access" / "Jane Smith"
                lead_line = 1 if lead is not None else 0
            if listing and lead is None:
                lead = read_who(_text(blocks, _cell(rows, r, roles, "owner"), 0), cast)
            order = (
                title_cells[0]
                if title_cells
                else min(j for cells in rows[r].values() for j in cells)
            )
            outline.items.append(ParsedItem(number, title, lead, order=order))
            current = len(outline.items) - 1
            if (
                number
                and number not in outline.listed
                and not any(role == "discussion" for role in roles)
            ):
                outline.listed[number] = current
            if not listing:
                # The title cell's further paragraphs are the record of the item.
                for k, j in enumerate(title_cells[1:], 1):
                    if k != lead_line:
                        text = blocks[j].text.strip()
                        _add_lines(outline, blocks[j], j, text, current, "", column="discussion")
        task = _row_task(rows, r, roles, blocks, title_cells) if not listing else None
        for col, role in enumerate(roles):
            if role in ("number", "title") or listing:
                continue
            cell = rows[r].get(col, [])
            if task is not None and role == "discussion" and task in cell:
                continue
            _cell_lines(cell, role, outline, current, blocks, headers, rows, r, roles, by_name)
        if task is not None:
            owner = _text(blocks, _cell(rows, r, roles, "owner"), 0)
            due = _text(blocks, _cell(rows, r, roles, "due"), 0)
            text = blocks[task].text.strip()
            _add_lines(outline, blocks[task], task, text, current, "", column="action",
                       owner=owner, due=due)  # fmt: skip


_CONTENT_WORD = re.compile(r"[a-z]{4,}")


def _row_task(
    rows: Rows, r: int, roles: list[str], blocks: Sequence[Block], title_cells: list[int]
) -> int | None:
    """Return the block that states a row's task when its Action cell is empty.

    In a table with Action, Member and Deadline columns, a row that names
    someone or a deadline but leaves the Action cell empty is still a task:
    the Discussion cell states it when it restates the topic (shares a word
    with it), else the topic does.
    """
    if "action" not in roles or _text(blocks, _cell(rows, r, roles, "action"), 0):
        return None
    owner = _text(blocks, _cell(rows, r, roles, "owner"), 0).strip(" -–")
    due = _text(blocks, _cell(rows, r, roles, "due"), 0).strip(" -–")
    if not (owner or due) or not title_cells:
        return None
    topic = set(_CONTENT_WORD.findall(blocks[title_cells[0]].text.lower()))
    said = [j for j in _cell(rows, r, roles, "discussion") if len(blocks[j].cells) == 1]
    for j in said[:1]:
        if topic & set(_CONTENT_WORD.findall(blocks[j].text.lower())):
            return j
    return title_cells[0]


def _cell_lines(
    cell: list[int],
    role: str,
    outline: Outline,
    item: int | None,
    blocks: Sequence[Block],
    headers: dict[int, tuple[str, ...]],
    rows: Rows,
    r: int,
    roles: list[str],
    by_name: bool = False,
) -> None:
    k = 0
    while k < len(cell):
        j = cell[k]
        block = blocks[j]
        if len(block.cells) > 1:
            # A table nested in this cell: read it as a table of its own.
            inner = block.cells[1].table
            group = [
                x
                for x in cell[k:]
                if len(blocks[x].cells) > 1 and blocks[x].cells[1].table == inner
            ]
            inner_rows = _rows(blocks, group[0], group[-1] + 1, depth=1)
            inner_roles = column_roles(headers.get(inner, ()))
            if "action" in inner_roles:
                _action_rows(inner_rows, inner_roles, outline, item, "", blocks, headers, depth=1)
            else:
                for x in group:
                    _add_lines(outline, blocks[x], x, blocks[x].text.strip(), item, "")
            k += len(group)
            continue
        extra: dict[str, object] = {"column": role}
        if by_name and role == "discussion":
            extra["speaker"] = _text(blocks, _cell(rows, r, roles, "owner"), 0)
        if role == "action":
            # Several actions in one cell, their owners and dates on matching
            # lines of the cells beside it: pair them line by line.
            plain = [x for x in cell if len(blocks[x].cells) == 1]
            for field in ("owner", "due"):
                beside = [x for x in _cell(rows, r, roles, field) if len(blocks[x].cells) == 1]
                if len(plain) > 1 and len(beside) == len(plain) and j in plain:
                    extra[field] = blocks[beside[plain.index(j)]].text.strip()
                else:
                    extra[field] = _text(blocks, beside, 0)
        if role in ("discussion", "action", "decision", ""):
            _add_lines(outline, block, j, block.text.strip(), item, "", **extra)
        k += 1
