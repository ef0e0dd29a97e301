"""Plain factory functions for tests: real rows in a real database.

Each returns the stored row (flushed, so it has an id) without committing;
call ``session.commit()`` when the test needs it visible to other sessions.
"""

from __future__ import annotations

from datetime import date
from itertools import count
from typing import Any

from sqlmodel import Session

from tracker.models import (
    Action,
    ActionOwner,
    AgendaItem,
    Body,
    Contribution,
    Decision,
    Link,
    Meeting,
    Outcome,
    Person,
)

_serial = count(1)


def make_person(
    session: Session, name: str | None = None, *, role: str = "lxp", **kw: Any
) -> Person:
    n = next(_serial)
    name = name or f"Person {n}"
    kw.setdefault("email", f"{name.lower().replace(' ', '.')}.{n}@example.org")
    kw.setdefault("aliases", [])
    person = Person(name=name, role=role, **kw)
    session.add(person)
    session.flush()
    return person


def make_body(
    session: Session,
    name: str | None = None,
    *,
    kind: str = "catch-up",
    workstream: str = "PD",
    **kw: Any,
) -> Body:
    name = name or f"{workstream} {kind} {next(_serial)}"
    kw.setdefault("patterns", [name])
    body = Body(name=name, kind=kind, workstream=workstream, **kw)
    session.add(body)
    session.flush()
    return body


def make_meeting(session: Session, body: Body, when: date, **kw: Any) -> Meeting:
    n = next(_serial)
    kw.setdefault("title", f"{body.name} {when.isoformat()}")
    kw.setdefault("source_filename", f"{body.name} {n}.docx")
    kw.setdefault("sha256", f"{n:064x}")
    meeting = Meeting(body_id=body.id or 0, date=when, **kw)
    session.add(meeting)
    session.flush()
    return meeting


def make_item(session: Session, meeting: Meeting, title: str, **kw: Any) -> AgendaItem:
    item = AgendaItem(meeting_id=meeting.id or 0, title=title, **kw)
    session.add(item)
    session.flush()
    return item


def make_contribution(
    session: Session,
    meeting: Meeting,
    text: str,
    *,
    speaker: Person | None = None,
    group: str | None = None,
    item: AgendaItem | None = None,
    **kw: Any,
) -> Contribution:
    row = Contribution(
        meeting_id=meeting.id or 0,
        text=text,
        speaker_person_id=speaker.id if speaker else None,
        speaker_group=group,
        speaker_as_written=speaker.name if speaker else ("LXPs" if group == "lxp" else None),
        agenda_item_id=item.id if item else None,
        **kw,
    )
    session.add(row)
    session.flush()
    return row


def make_action(
    session: Session,
    meeting: Meeting,
    text: str,
    *,
    owners: tuple[Person, ...] = (),
    due: date | None = None,
    item: AgendaItem | None = None,
) -> Action:
    row = Action(
        meeting_id=meeting.id or 0, text=text, due=due, agenda_item_id=item.id if item else None
    )
    session.add(row)
    session.flush()
    for owner in owners:
        session.add(ActionOwner(action_id=row.id or 0, person_id=owner.id, as_written=owner.name))
    session.flush()
    return row


def make_decision(
    session: Session, meeting: Meeting, text: str, *, item: AgendaItem | None = None
) -> Decision:
    row = Decision(meeting_id=meeting.id or 0, text=text, agenda_item_id=item.id if item else None)
    session.add(row)
    session.flush()
    return row


def make_link(
    session: Session,
    contribution: Contribution,
    target: Any,
    *,
    status: str = "suggested",
    score: float = 0.8,
) -> Link:
    kind = {
        AgendaItem: "agenda_item",
        Contribution: "contribution",
        Action: "action",
        Decision: "decision",
    }[type(target)]
    link = Link(
        contribution_id=contribution.id or 0,
        target_type=kind,
        target_id=target.id,
        target_text=getattr(target, "text", getattr(target, "title", "")),
        score=score,
        method="test",
        status=status,
    )
    session.add(link)
    session.flush()
    return link


def make_outcome(session: Session, contribution: Contribution, status: str, **kw: Any) -> Outcome:
    row = Outcome(contribution_id=contribution.id or 0, status=status, **kw)
    session.add(row)
    session.flush()
    return row
