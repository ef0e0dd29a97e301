"""The review screen's editor: pure edits of parsed minutes before they are stored.

Rows are named as the page names them: ``c-N`` statements (contributions),
``x-N`` actions, ``d-N`` decisions, ``i-N`` agenda items and ``a-N``
attendees, N being the position in that kind's list.  A form post carries
fields of the rows on the page (a field that is missing means "no change",
so a page of a long document only touches its own rows) and at most one
command in ``do``: ``add``, ``add-attendee``, ``delete:KEY``, ``split:KEY`` or
``merge:KEY``.  Nothing here touches the database: ``review`` keeps the result
aside until the chair saves.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from parsers import (
    ParsedAction,
    ParsedAttendee,
    ParsedContribution,
    ParsedDecision,
    ParsedItem,
    ParsedMinutes,
    ParsedSpeaker,
)
from parsers.names import RosterName, resolve_name
from tracker.domain import vocab
from tracker.errors import BadInput
from tracker.numbers import is_number

KINDS = ("contribution", "action", "decision", "item", "attendee")
RECORD_KINDS = ("contribution", "action", "decision")
KIND_LABELS = {
    "contribution": "Statement",
    "action": "Action",
    "decision": "Decision",
    "item": "Agenda item",
    "attendee": "Attendee",
}
PREFIX = {"contribution": "c", "action": "x", "decision": "d", "item": "i", "attendee": "a"}
ATTENDANCE = {"present": "Present", "in-attendance": "In attendance", "apologies": "Apologies"}
PERSON_ROLES = vocab.PERSON_ROLE_LABELS
GROUP_LABELS = vocab.GROUP_LABELS
GROUP_WORDS = vocab.GROUP_WORDS
MAX_OWNERS = 6
MAX_TEXT = 20_000
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")


@dataclass(eq=False)  # rows are told apart by identity: two may read the same
class Row:
    """One editable record, agenda item or attendee (a working copy)."""

    kind: str
    text: str
    who: list[ParsedSpeaker] = field(default_factory=list)
    due: date | None = None
    status: str | None = None  # an action's status as written, or attendance
    role: str | None = None  # an attendee's role as written
    number: str = ""  # an agenda item's number
    item: Row | None = None  # the agenda item a record sits under
    key: str = ""  # the row's name on the page it was posted from


@dataclass
class Draft:
    """Parsed minutes as rows: agenda items and records in order, then attendees."""

    body: list[Row]
    attendees: list[Row]
    keys: dict[str, Row]


@dataclass(frozen=True)
class Roster:
    """Who a choice can name: people on the list, and people to be added on save."""

    people: Mapping[int, str]  # person id -> name
    names: Sequence[RosterName] = ()
    new_people: Mapping[str, str] = field(default_factory=dict)  # name -> lxp | staff


@dataclass(frozen=True)
class Edited:
    """The minutes after one form post, the people to add, and what changed."""

    parsed: ParsedMinutes
    new_people: dict[str, str]
    edits: Counter[str]


def to_draft(parsed: ParsedMinutes) -> Draft:
    """Turn parsed minutes into rows, each named as the review page names it."""
    keys: dict[str, Row] = {}
    items = []
    ranked: list[tuple[int, int, int, Row]] = []
    for n, i in enumerate(parsed.items):
        row = Row("item", i.title, [i.lead] if i.lead else [], number=i.number, key=f"i-{n}")
        items.append(row)
        ranked.append((i.order, 0, n, row))

    def under(index: int | None) -> Row | None:
        return items[index] if index is not None and 0 <= index < len(items) else None

    for n, c in enumerate(parsed.contributions):
        who = [c.speaker] if c.speaker else []
        ranked.append((c.order, 1, n, Row("contribution", c.text, who, item=under(c.item))))
        ranked[-1][3].key = f"c-{n}"
    for n, a in enumerate(parsed.actions):
        row = Row("action", a.text, list(a.owners), a.due, a.status, item=under(a.item))
        row.key = f"x-{n}"
        ranked.append((a.order, 1, n, row))
    for n, d in enumerate(parsed.decisions):
        ranked.append((d.order, 1, n, Row("decision", d.text, item=under(d.item), key=f"d-{n}")))
    body = [row for *_, row in sorted(ranked, key=lambda r: r[:3])]
    attendees = [
        Row("attendee", a.as_written, status=a.status, role=a.role, key=f"a-{n}")
        for n, a in enumerate(parsed.attendees)
    ]
    for row in [*body, *attendees]:
        keys[row.key] = row
    return Draft(body, attendees, keys)


def from_draft(draft: Draft, parsed: ParsedMinutes) -> ParsedMinutes:
    """Turn rows back into parsed minutes, in order."""
    items = [r for r in draft.body if r.kind == "item"]
    index = {id(r): n for n, r in enumerate(items)}
    out: dict[str, list] = {k: [] for k in ("item", *RECORD_KINDS)}
    for order, row in enumerate(draft.body):
        first = row.who[0] if row.who else None
        item = index.get(id(row.item)) if row.item is not None else None
        if row.kind == "item":
            out["item"].append(ParsedItem(row.number, row.text, first, order))
        elif row.kind == "contribution":
            out["contribution"].append(ParsedContribution(row.text, first, item, order))
        elif row.kind == "action":
            owners = tuple(row.who)
            out["action"].append(ParsedAction(row.text, owners, row.due, row.status, item, order))
        else:
            out["decision"].append(ParsedDecision(row.text, item, order))
    attendees = tuple(
        ParsedAttendee(r.text, r.status if r.status in ATTENDANCE else "present", r.role)
        for r in draft.attendees
    )
    return replace(
        parsed,
        attendees=attendees,
        items=tuple(out["item"]),
        contributions=tuple(out["contribution"]),
        actions=tuple(out["action"]),
        decisions=tuple(out["decision"]),
    )


# ---- choosing people -----------------------------------------------------------


def clean_name(raw: str) -> str:
    """Return a typed name tidied, or raise BadInput when it cannot be a name."""
    name = " ".join(raw.split())
    if not re.search(r"[^\W\d_]", name) or len(name) > 100:
        raise BadInput(f"'{name[:40]}' is not a name; type the person's name")
    return name


def speaker_choice(speaker: ParsedSpeaker | None, roster: Roster) -> str:
    """Return the form value for a speaker: p:ID, g:GROUP, n:NAME (new), w (as written), none."""
    if speaker is None:
        return "none"
    if speaker.group:
        return f"g:{speaker.group}"
    if speaker.as_written in roster.new_people:
        return f"n:{speaker.as_written}"
    found = resolve_name(speaker.as_written, roster.names, ())
    return f"p:{found.key}" if found is not None else "w"


def _speaker(value: str, current: ParsedSpeaker | None, roster: Roster) -> ParsedSpeaker | None:
    if value in ("", "w"):
        return current
    if value == "none":
        return None
    if value.startswith("g:") and value[2:] in GROUP_WORDS:
        return ParsedSpeaker(as_written=GROUP_WORDS[value[2:]], group=value[2:])
    if value.startswith("p:") and is_number(value[2:]) and int(value[2:]) in roster.people:
        return ParsedSpeaker(as_written=roster.people[int(value[2:])])
    if value.startswith("n:") and value[2:] in roster.new_people:
        return ParsedSpeaker(as_written=value[2:])
    raise BadInput("pick a person from the list")


class _People:
    """The people one form post names who are not on the list yet."""

    def __init__(self, roster: Roster, form: Mapping[str, str], draft: Draft) -> None:
        self.roster, self.draft = roster, draft
        self.known = {name.lower(): name for name in roster.people.values()}
        self.new = dict(roster.new_people)
        for n, name in enumerate(sorted(roster.new_people)):
            role = form.get(f"np-{n}-role")
            if role in PERSON_ROLES:
                self.new[name] = role

    def typed(self, raw: str, role: str = "staff") -> ParsedSpeaker:
        """A name typed as 'someone new': a roster person if the name is taken."""
        name = clean_name(raw)
        if name.lower() in self.known:
            return ParsedSpeaker(as_written=self.known[name.lower()])
        self.new.setdefault(name, role if role in PERSON_ROLES else "staff")
        return ParsedSpeaker(as_written=name)

    def choice(self, value: str, current: ParsedSpeaker | None) -> ParsedSpeaker | None:
        return _speaker(value, current, replace(self.roster, new_people=self.new))

    def still_named(self, draft: Draft) -> dict[str, str]:
        named = {s.as_written for r in draft.body for s in r.who if not s.group}
        named |= {r.text for r in draft.attendees}
        return {name: role for name, role in self.new.items() if name in named}


def _guess_role(name: str, draft: Draft) -> str:
    """An LXP when the attendance list marks the same name as one, else staff."""
    name = " ".join(name.split()).lower()
    for row in draft.attendees:
        if row.text.lower() == name and (row.role or "").strip().upper() == "LXP":
            return vocab.PersonRole.LXP
    return vocab.PersonRole.STAFF


# ---- one form post ---------------------------------------------------------------


def _text(raw: str) -> str:
    if len(raw) > MAX_TEXT:
        raise BadInput(f"a record is over {MAX_TEXT:,} characters; split it")
    return " ".join(raw.split())


def _due(raw: str) -> date | None:
    raw = raw.strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise BadInput("write the due date as a full date, for example 2021-04-01") from None


def _retype(row: Row, kind: str, draft: Draft) -> None:
    """Move a row to another kind; who, text and place carry over where they can."""
    if kind not in KINDS:
        raise BadInput("choose statement, action, decision, agenda item or attendee")
    if kind == row.kind:
        return
    was = row.kind
    if was == "item":
        for other in draft.body:
            if other.item is row:
                other.item = None
    if kind == "attendee":
        draft.body.remove(row)
        row.text = row.text.rstrip(":").strip()
        row.status, row.role, row.item, row.who = "present", None, None, []
        draft.attendees.append(row)
    elif was == "attendee":
        draft.attendees.remove(row)
        row.text, row.status, row.role = row.text.rstrip(":").strip(), None, None
        moved = sum(1 for r in draft.body if r.key.startswith("a-"))
        draft.body.insert(moved, row)
    if kind in ("contribution", "item") and len(row.who) > 1:
        row.who = row.who[:1]
    if kind == "item":
        row.item = None
    if kind != "action":
        row.due = None
        if was == "action":
            row.status = None
    row.kind = kind


def _apply_fields(
    draft: Draft, form: Mapping[str, str], people: _People, split_key: str, edits: Counter[str]
) -> None:
    for key, row in list(draft.keys.items()):
        raw = form.get(f"{key}-text")
        if raw is not None:
            text = raw.replace("\r\n", "\n") if key == split_key else _text(raw)
            if not text.strip():
                raise BadInput("a record cannot be empty; write what it says, or delete it")
            if text != row.text:
                edits["text"] += 1
                row.text = text
        if row.kind != "attendee":
            _apply_who(key, row, form, people, edits)
        if row.kind in RECORD_KINDS and f"{key}-item" in form:
            value = form[f"{key}-item"]
            item = draft.keys.get(value) if value else None
            if item is not None and item.kind != "item":
                item = None
            if item is not row.item:
                edits["item"] += 1
                row.item = item
        if row.kind == "action" and f"{key}-due" in form:
            due = _due(form[f"{key}-due"])
            if due != row.due:
                edits["due"] += 1
                row.due = due
        if row.kind == "item" and f"{key}-number" in form:
            row.number = " ".join(form[f"{key}-number"].split())[:20]
        if row.kind == "attendee":
            status = form.get(f"{key}-status")
            if status is not None and status != row.status:
                if status not in ATTENDANCE:
                    raise BadInput("choose present, in attendance or apologies")
                edits["attendance"] += 1
                row.status = status
        kind = form.get(f"{key}-kind")
        if kind and kind != row.kind:
            _retype(row, kind, draft)
            edits["kind"] += 1


def _apply_who(
    key: str, row: Row, form: Mapping[str, str], people: _People, edits: Counter[str]
) -> None:
    before = list(row.who)
    names = [f"{key}-who"] + [f"{key}-who-{j}" for j in range(1, MAX_OWNERS)]
    if any(name in form for name in names):
        chosen = []
        for j, name in enumerate(names):
            current = before[j] if j < len(before) else None
            who = people.choice(form[name], current) if name in form else current
            if who is not None and who not in chosen:
                chosen.append(who)
        row.who = chosen if row.kind == "action" else chosen[:1]
    typed = form.get(f"{key}-who-new", "").strip()
    if typed:
        who = people.typed(typed, _guess_role(typed, people.draft))
        row.who = [*row.who, who] if row.kind == "action" else [who]
    if row.who != before:
        edits["who"] += 1


def _record(draft: Draft, key: str) -> Row:
    row = draft.keys.get(key)
    if row is None or (row not in draft.body and row not in draft.attendees):
        raise BadInput("that row is no longer there; check the page again")
    return row


def _split(draft: Draft, row: Row) -> None:
    if row.kind not in RECORD_KINDS:
        raise BadInput("only statements, actions and decisions can be split")
    parts = [_text(p) for p in row.text.split("\n") if p.strip()]
    if len(parts) < 2:
        parts = _SENTENCE_END.split(_text(row.text), maxsplit=1)
    if len(parts) < 2:
        raise BadInput("to split a record, put a line break where it should split, then Split")
    row.text = parts[0]
    at = draft.body.index(row)
    for n, part in enumerate(parts[1:], start=1):
        draft.body.insert(at + n, replace(row, text=part, who=list(row.who), key=""))


def _merge(draft: Draft, row: Row) -> None:
    if row.kind not in RECORD_KINDS:
        raise BadInput("only statements, actions and decisions can be merged")
    at = draft.body.index(row)
    following = [r for r in draft.body[at + 1 :] if r.kind in RECORD_KINDS]
    if not following:
        raise BadInput("there is no record after this one to merge it with")
    other = following[0]
    row.text = f"{row.text} {other.text}"
    if row.kind == "action":
        row.who += [w for w in other.who if w not in row.who]
    elif not row.who:
        row.who = other.who[:1]
    row.due = row.due or other.due
    row.item = row.item or other.item
    draft.body.remove(other)


def _add(draft: Draft, form: Mapping[str, str], people: _People) -> None:
    kind = form.get("new-kind", "contribution")
    if kind not in ("item", *RECORD_KINDS):
        raise BadInput("choose statement, action, decision or agenda item")
    text = _text(form.get("new-text", ""))
    if not text:
        raise BadInput("write what the new record says before adding it")
    row = Row(kind, text)
    who = people.choice(form.get("new-who", "none"), None)
    typed = form.get("new-who-new", "").strip()
    row.who = [w for w in (who,) if w is not None]
    if typed:
        row.who = [*row.who, people.typed(typed, _guess_role(typed, draft))]
    if kind != "action":
        row.who = row.who[:1]
    if kind == "action":
        row.due = _due(form.get("new-due", ""))
    if kind == "decision":
        row.who = []
    item = draft.keys.get(form.get("new-item", ""))
    if kind != "item" and item is not None and item.kind == "item" and item in draft.body:
        row.item = item
        at = draft.body.index(item)
        for n, other in enumerate(draft.body):
            if other.item is item:
                at = max(at, n)
        draft.body.insert(at + 1, row)
    else:
        draft.body.append(row)


def _add_attendee(draft: Draft, form: Mapping[str, str], people: _People) -> None:
    typed = form.get("na-name", "").strip()
    if typed:
        who = people.typed(typed, form.get("na-role", "staff"))
    else:
        who = people.choice(form.get("na-who", "none"), None)
    if who is None or who.group:
        raise BadInput("choose who attended from the list, or type the name of someone new")
    if any(r.text.lower() == who.as_written.lower() for r in draft.attendees):
        raise BadInput(f"{who.as_written} is already in the attendance list")
    status = form.get("na-status", "present")
    if status not in ATTENDANCE:
        raise BadInput("choose present, in attendance or apologies")
    draft.attendees.append(Row("attendee", who.as_written, status=status))


def apply_form(parsed: ParsedMinutes, form: Mapping[str, str], roster: Roster) -> Edited:
    """Apply one post of the review page: field changes, then its command."""
    draft = to_draft(parsed)
    people = _People(roster, form, draft)
    edits: Counter[str] = Counter()
    command, _, key = form.get("do", "apply").partition(":")
    _apply_fields(draft, form, people, key if command == "split" else "", edits)
    if command == "delete":
        row = _record(draft, key)
        (draft.attendees if row.kind == "attendee" else draft.body).remove(row)
        for other in draft.body:
            if other.item is row:
                other.item = None
        edits["deleted"] += 1
    elif command == "split":
        _split(draft, _record(draft, key))
        edits["split"] += 1
    elif command == "merge":
        _merge(draft, _record(draft, key))
        edits["merged"] += 1
    elif command == "add":
        _add(draft, form, people)
        edits["added"] += 1
    elif command == "add-attendee":
        _add_attendee(draft, form, people)
        edits["attendee-added"] += 1
    when = parsed.date
    if (form.get("date") or "").strip():
        try:
            when = date.fromisoformat(form["date"].strip())
        except ValueError:
            raise BadInput("write the date as a full date, for example 2021-03-18") from None
    edited = replace(from_draft(draft, parsed), date=when)
    return Edited(edited, people.still_named(draft), edits)


@dataclass(frozen=True)
class ViewRow:
    """One row of the review page."""

    key: str
    kind: str
    text: str
    who: tuple[ParsedSpeaker, ...]
    due: date | None
    item: str  # the key of the agenda item it sits under, or ""
    number: str = ""


def page_rows(parsed: ParsedMinutes) -> list[ViewRow]:
    """Agenda items and records in document order, as the review page lists them."""
    draft = to_draft(parsed)
    return [
        ViewRow(
            r.key,
            r.kind,
            r.text,
            tuple(r.who),
            r.due,
            r.item.key if r.item is not None else "",
            r.number,
        )
        for r in draft.body
    ]
