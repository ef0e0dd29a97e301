"""Who was there: Present / In attendance / Apologies, in lines or tables.

Reads "Present: A (Chair), B, C (LXP)", "Present: Dr Ewan McAllister (EM) –
Chair; Nadia Rahman (NR)", a "Present:" label followed by one name per line
("Gareth Lloyd, Programme Manager"), first names ("Olly (notes)"),
"Siobhan G", bare initials, and a Present cell of a Date/Present table.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from parsers.docx_blocks import Block
from parsers.labels import ATTENDANCE, read_label
from parsers.model import ParsedAttendee
from parsers.names import TITLES

_LABELS = (
    (r"in\s+attendance|also\s+(?:present|in\s+attendance|attending)|guests?|observers?"
     r"|invited|by\s+invitation|attending\s+for\s+items?[^:]*", "in-attendance"),
    (r"apologies(?:\s+(?:received|for\s+absence))?(?:\s+from)?|apologies\s+were"
     r"\s+received\s+from|sent\s+apologies", "apologies"),
    (r"present|attendees|attendance|attending|members\s+present|in\s+the\s+room"
     r"|participants|those\s+present|present\s+members", "present"),
)  # fmt: skip
_LABEL = re.compile(
    r"^\s*(?P<label>" + "|".join(f"(?:{p})" for p, _ in _LABELS) + r")\s*(?::|-|–)\s*"
    r"(?P<rest>.*)$",
    re.IGNORECASE | re.DOTALL,
)
_BARE_LABEL = re.compile(
    r"^\s*(?P<label>" + "|".join(f"(?:{p})" for p, _ in _LABELS) + r")\s*:?\s*$",
    re.IGNORECASE,
)
# "Members: A, B" is attendance only in the front matter (before any agenda
# item); inside an item it may be a point the members made.
_FRONT_LABEL = re.compile(
    r"^\s*(?:(?P<label>members)\s*(?::|-|–)|(?P<role>chair(?:ed\s+by)?|chairperson|minutes"
    r"|minute[\s-]taker|notes(?:\s+taken\s+by)?|note[\s-]taker)\s*:)\s*(?P<rest>\S.*)$",
    re.IGNORECASE | re.DOTALL,
)
_TAKER = re.compile(r"^(?:minute|note)", re.IGNORECASE)
# Attendance tables: Name | Role | Present/Apologies (Y / N / ✓ / "Apologies").
_NAME_HEADER = re.compile(r"^(?:name|member|attendee|person)s?\b", re.IGNORECASE)
_MARK_HEADER = re.compile(r"\b(?:present|attend(?:ed|ance|ing)?|apologies|absent)\b", re.IGNORECASE)
_ROLE_HEADER = re.compile(
    r"^(?:role|title|job|position|organi[sz]ation|representing)", re.IGNORECASE
)
_YES = re.compile(
    r"^\W*(?:y|yes|present|attended|in\s+person|remote|virtual|[✓✔☑✅x])\W*$"
    r"|^[✓✔☑✅]$",
    re.IGNORECASE,
)
_NO = re.compile(r"^\W*(?:n|no|apologies|apols?|absent|sent\s+apologies|[✗✘×])\W*$", re.IGNORECASE)
_IN_ATTENDANCE = re.compile(r"^\W*in\s+attendance\W*$", re.IGNORECASE)
_ITEM_START = re.compile(
    r"^\s*(?:(?:agenda\s+)?item\s+)?\d{1,2}(?:\.\d+)*[a-z]?"
    r"(?:[.):]|\s+[-–—])?\s+[A-Za-z]",
    re.IGNORECASE,
)
_AGENDA_HEADER = re.compile(
    r"^(?:agenda\s+)?(?:item|topic|subject|discussion|minutes|notes)s?\b", re.IGNORECASE
)
# Attendance written as a sentence: "Apologies were received from A and B.",
# "A and B sent apologies."
_APOLOGY_SENTENCE = re.compile(
    r"^\s*(?:apologies\s+(?:for\s+absence\s+)?(?:were|was|had\s+been|have\s+been)"
    r"\s+(?:received|noted|given|sent|recorded)\s+from\s+(?P<rest>.+?)"
    r"|(?P<who>.+?)\s+(?:sent|gave|offered)\s+(?:(?:their|her|his)\s+)?apologies)"
    r"\s*\.?\s*$",
    re.IGNORECASE | re.DOTALL,
)
_NONE = re.compile(r"^\W*(?:none|nil|n/?a|no\s+apologies|-)\W*$", re.IGNORECASE)
_ROLE_WORDS = {
    "chair", "co-chair", "vice-chair", "notes", "minutes", "secretary", "lxp", "lxps",
    "lead", "manager", "officer", "director", "consultant", "gp", "nurse",
    "coordinator", "co-ordinator", "administrator", "admin", "commissioner",
    "representative", "rep", "clinical", "programme", "senior", "head", "guest",
    "observer", "psychologist", "psychiatrist", "therapist", "dietitian",
    "practitioner", "member", "adviser", "advisor", "analyst", "deputy", "chief",
    "executive", "associate", "specialist", "worker", "item", "items", "network",
    "service", "services", "trust", "team", "nhs", "council", "university", "ltd",
    "uk", "england", "group", "chairing", "chairperson", "facilitator", "note-taker",
    "minute-taker", "taker", "speaker", "presenter", "expert", "experience",
}  # fmt: skip
_NAME_TOKEN = re.compile(r"^[A-Z][\w'’\-]*\.?$")
_NAMEISH = re.compile(r"^[A-Z][\w'’.\-]*(?:\s+[\w'’.\-]+){0,3}$")


@dataclass(frozen=True)
class Attendance:
    """Attendees found, the initials they were given, and the blocks used."""

    attendees: tuple[ParsedAttendee, ...]
    aliases: tuple[str, ...]  # initials given in brackets, e.g. "EM"
    used: frozenset[int]  # indexes of the blocks that were attendance


def _status(label: str) -> str:
    for pattern, status in _LABELS:
        if re.fullmatch(pattern, label.strip(), re.IGNORECASE):
            return status
    return "present"


def _split(text: str) -> list[str]:
    """Split a list of people on ; (if any) else , and "and", outside brackets."""
    separator = ";" if ";" in text else ","
    parts, depth, current = [], 0, []
    for ch in text:
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(depth - 1, 0)
        if (ch == separator and depth == 0) or ch == "\n":
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    out = []
    for part in parts:
        # "Amara and Tom" -> two people; "Smith and Jones Ltd" stays whole.
        pieces = re.split(r"\s+(?:and|&)\s+", part.strip())
        bare = [re.sub(r"\s*\([^()]*\)", "", p).strip() for p in pieces]
        if len(pieces) > 1 and all(_NAMEISH.match(p) and len(p.split()) <= 3 for p in bare):
            out.extend(pieces)
        else:
            out.append(part)
    return [p.strip(" .\t") for p in out if p.strip(" .\t")]


def _is_role(text: str) -> bool:
    bare = re.sub(r"\([^()]*\)", " ", text).strip()
    words = re.findall(r"[\w'-]+", bare.lower())
    return not words or any(w in _ROLE_WORDS for w in words) or bare[:1].islower()


def _entry(text: str) -> tuple[str, str | None, str | None] | None:
    """Read "Dr Ewan McAllister (EM) – Chair" -> (name, role, initials)."""
    text = " ".join(text.split())
    if not text or _NONE.match(text):
        return None
    role_parts: list[str] = []
    alias = None
    name = re.sub(r"\s*\([^()]*\)", "", text)
    first_letters = "".join(w[0] for w in name.split() if w[:1].isupper())
    for inner in re.findall(r"\(([^()]*)\)", text):
        inner = inner.strip()
        if (
            re.fullmatch(r"[A-Z]{2,4}", inner)
            and inner[0] in first_letters
            and (inner[-1] in first_letters)
        ):
            alias = inner
        else:
            role_parts.append(inner)
    pieces = re.split(r"\s+[-–—]\s+|\s*,\s*", name, maxsplit=1)
    name = pieces[0].strip(" ,;:-–")
    if len(pieces) > 1 and pieces[1].strip():
        role_parts.insert(0, pieces[1].strip(" ,;:-–"))
    words = name.split()
    while len(words) > 1 and words[0].lower().rstrip(".") in TITLES:
        words = words[1:]
    name = " ".join(words)
    if (
        not words
        or len(words) > 4
        or not all(
            _NAME_TOKEN.match(w) or w.lower() in ("van", "de", "der", "von", "da", "le")
            for w in words
        )
    ):
        return None
    return name, ", ".join(p for p in role_parts if p) or None, alias


_ACRONYM = re.compile(r"^\s*[A-Z]{2,5}\s*$")
_EVERYONE = re.compile(r"^\W*(?:all|all\s+members|everyone|all\s+present|whole\s+team)\W*$", re.I)


def _people(text: str, status: str, one_per_line: bool) -> list[tuple[ParsedAttendee, str | None]]:
    if _EVERYONE.match(text):
        return []  # "present: all" names nobody
    parts = _split(text)
    if len(parts) > 1 and all((_is_role(p) or _ACRONYM.match(p)) and _entry(p) for p in parts):
        # "CIO, IT Manager, Security Officer": people recorded by their roles.
        return [(ParsedAttendee(_entry(p)[0], status, None), None) for p in parts]  # type: ignore[index]
    if one_per_line and ";" not in text and len(parts) > 1:
        first = _entry(parts[0])
        if any(_is_role(p) for p in parts[1:]) or (first is not None and first[2]):
            # "Gareth Lloyd, Programme Manager", "Nadia Lewis (NL), Northshire,
            # Finance": one person, then their role or organisation.
            parts = [text]
    found: list[tuple[ParsedAttendee, str | None]] = []
    for part in parts:
        if found and ";" not in text and _is_role(part) and not one_per_line:
            # "Gareth Lloyd, Programme Manager, ..." : a role for the previous name.
            last, alias = found[-1]
            role = ", ".join(r for r in (last.role, part) if r)
            found[-1] = (ParsedAttendee(last.as_written, last.status, role), alias)
            continue
        entry = _entry(part)
        if entry is not None:
            name, role, alias = entry
            found.append((ParsedAttendee(name, status, role), alias))
    return found


def parse_attendance(blocks: Sequence[Block]) -> Attendance:
    """Find the attendance lists among the body blocks (indexes into blocks)."""
    attendees: list[ParsedAttendee] = []
    aliases: list[str] = []
    used: set[int] = set()
    status: str | None = None  # set while reading a one-name-per-line list
    front = True  # no agenda item seen yet
    for i, block in enumerate(blocks):
        text = block.text.strip()
        cell = block.cell
        if front and _starts_agenda(block, text):
            front = False
        if front and cell is None:
            m = _FRONT_LABEL.match(text)
            if m:
                label = "in-attendance" if _TAKER.match(m["role"] or "") else "present"
                _add(_people(m["rest"].strip(), label, one_per_line=False), attendees, aliases)
                used.add(i)
                status = None
                continue
        if cell is not None and cell.row == 0 and cell.col == 0 and len(block.cells) == 1:
            found_rows = _attendance_table(blocks, i)
            if found_rows is None and status is not None:
                # "Present:" over a Name | Title table: its rows are the people.
                found_rows = _names_table(blocks, i, status)
            if found_rows is not None:
                people, rows_used = found_rows
                _add(people, attendees, aliases)
                used.update(rows_used)
                status = None
        if i in used:
            continue
        if (
            cell is not None
            and cell.row == 0
            and len(block.header_row) > 1
            and all(_BARE_LABEL.match(h) for h in block.header_row)
        ):
            # Present | Apologies as column headers: the names sit below.
            header = block.header_row
            for j in range(i, min(i + 400, len(blocks))):
                other = blocks[j].cell
                if other is None or other.table != cell.table:
                    break
                used.add(j)
                if other.row > 0 and other.col < len(header):
                    label = _BARE_LABEL.match(header[other.col])["label"]
                    _add(
                        _people(blocks[j].text, _status(label), one_per_line=True),
                        attendees,
                        aliases,
                    )
            status = None
            continue
        if cell is not None and cell.col == 0 and _BARE_LABEL.match(text):
            # A "Present | names" row of a table.
            label_status = _status(_BARE_LABEL.match(text)["label"])
            for j in range(i + 1, min(i + 40, len(blocks))):
                other = blocks[j].cell
                if other is None or (other.table, other.row) != (cell.table, cell.row):
                    break
                found = _people(blocks[j].text, label_status, one_per_line=False)
                _add(found, attendees, aliases)
                used.add(j)
            used.add(i)
            status = None
            continue
        if cell is not None and (status is None or cell.col != 0):
            status = None
            continue
        sentence = _APOLOGY_SENTENCE.match(text) if cell is None else None
        if sentence:
            names = sentence["rest"] or sentence["who"]
            found = _people(names, "apologies", one_per_line=False)
            if found and len(found) == len(_split(names)):  # names only, no prose
                _add(found, attendees, aliases)
                used.add(i)
                status = None
                continue
        if front and cell is None and not _LABEL.match(text):
            said = read_label(text) if ":" in text[:40] else None
            if said is not None and said.kind in ATTENDANCE and said.rest:
                # "Who came: Rosa, Bethan", "Sorry we missed: Dr Menon"
                _add(_people(said.rest, said.kind, one_per_line=False), attendees, aliases)
                used.add(i)
                status = None
                continue
        m = _LABEL.match(text)
        if m and (m["rest"].strip() or _BARE_LABEL.match(text)):
            label_status = _status(m["label"])
            rest = m["rest"].strip()
            used.add(i)
            if rest:
                _add(_people(rest, label_status, one_per_line=False), attendees, aliases)
                status = None
            else:
                status = label_status
            continue
        if _BARE_LABEL.match(text):
            status = _status(_BARE_LABEL.match(text)["label"])
            used.add(i)
            continue
        alone = read_label(text) if cell is None and len(text) <= 70 else None
        if alone is not None and alone.alone and alone.kind in ATTENDANCE:
            status = alone.kind  # "0. Attendance", "Members present", "Absent"
            used.add(i)
            continue
        if status is not None and cell is None:
            ending = read_label(text)
            if ending is not None and ending.kind not in ATTENDANCE:
                status = None  # "Discussion Summary:" ends the list of names
        if status is not None:
            if _NONE.match(text):
                used.add(i)
                continue
            if (
                block.heading is not None
                or re.match(r"^\d+[.)]?\s", text)
                or (_ITEM_START.match(text))
                or len(text) > 120
            ):
                status = None
                continue
            found = _people(text, status, one_per_line=True)
            if not found and (len(text.split()) > 4 or block.all_bold):
                status = None  # a sentence or a bold heading: the list is over
                continue
            _add(found, attendees, aliases)
            used.add(i)
    return Attendance(tuple(attendees), tuple(aliases), frozenset(used))


def _attendance_table(
    blocks: Sequence[Block], i: int
) -> tuple[list[tuple[ParsedAttendee, str | None]], set[int]] | None:
    """Read a Name | Role | Present/Apologies table starting at block i."""
    header = blocks[i].header_row
    if not header or not _NAME_HEADER.match(header[0].strip()):
        return None
    marks = [c for c, h in enumerate(header) if _MARK_HEADER.search(h)]
    roles = [c for c, h in enumerate(header) if _ROLE_HEADER.match(h.strip())]
    if not marks:
        return None
    table = blocks[i].cells[0].table
    cells: dict[int, dict[int, str]] = {}
    used: set[int] = set()
    for j in range(i, min(len(blocks), i + 2000)):
        ref = blocks[j].cells[0] if blocks[j].cells else None
        if ref is None or ref.table != table:
            break
        used.add(j)
        row = cells.setdefault(ref.row, {})
        row[ref.col] = " ".join(filter(None, (row.get(ref.col, ""), blocks[j].text.strip())))
    found: list[tuple[ParsedAttendee, str | None]] = []
    for r in sorted(cells):
        if r == 0:
            continue
        row = cells[r]
        entry = _entry(row.get(0, ""))
        if entry is None:
            continue
        name, role, alias = entry
        role = " ".join(row.get(c, "") for c in roles).strip() or role
        status = None
        for c in marks:
            mark, head = row.get(c, "").strip(), header[c].lower()
            negative = bool(re.match(r"^\W*(?:apologies|absent)", head))
            if _IN_ATTENDANCE.match(mark):
                status = "in-attendance"
            elif _YES.match(mark):
                status = "apologies" if negative else "present"
            elif _NO.match(mark) and not negative:
                status = "apologies"
            if status:
                break
        if status:
            found.append((ParsedAttendee(name, status, role or None), alias))
    return (found, used) if found else None


def _names_table(
    blocks: Sequence[Block], i: int, status: str
) -> tuple[list[tuple[ParsedAttendee, str | None]], set[int]] | None:
    """Read the people of a Name | Title table under an attendance label."""
    table = blocks[i].cells[0].table
    cells: dict[int, dict[int, str]] = {}
    used: set[int] = set()
    for j in range(i, min(len(blocks), i + 2000)):
        ref = blocks[j].cells[0] if blocks[j].cells else None
        if ref is None or ref.table != table:
            break
        used.add(j)
        row = cells.setdefault(ref.row, {})
        row[ref.col] = " ".join(filter(None, (row.get(ref.col, ""), blocks[j].text.strip())))
    found: list[tuple[ParsedAttendee, str | None]] = []
    for r in sorted(cells):
        row = cells[r]
        if r == 0 and _NAME_HEADER.match(row.get(0, "").strip()):
            continue
        entry = _entry(row.get(0, ""))
        if entry is None:
            return None  # not a list of people
        name, role, alias = entry
        role = " ".join(v for c, v in sorted(row.items()) if c > 0).strip() or role
        found.append((ParsedAttendee(name, status, role or None), alias))
    return (found, used) if found else None


def _starts_agenda(block: Block, text: str) -> bool:
    """Tell whether block is (part of) the first agenda item."""
    label = read_label(text) if len(text) <= 40 else None
    if label is not None and label.kind in ATTENDANCE:
        return False  # "0. Attendance", numbered or not, is front matter
    if block.cell is not None:
        return block.cell.row > 0 and any(_AGENDA_HEADER.match(h) for h in block.header_row)
    if block.list_number and block.list_level == 0:
        return True
    return ((block.heading or 0) >= 1 or block.all_bold) and bool(_ITEM_START.match(text))


def _add(
    found: list[tuple[ParsedAttendee, str | None]],
    attendees: list[ParsedAttendee],
    aliases: list[str],
) -> None:
    seen = {a.as_written.lower() for a in attendees}
    for attendee, alias in found:
        if attendee.as_written.lower() not in seen:
            attendees.append(attendee)
            seen.add(attendee.as_written.lower())
        if alias:
            aliases.append(alias)
