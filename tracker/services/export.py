"""Everything the tracker knows, shaped like contract/export.schema.json."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlmodel import Session, select

from tracker.domain.disclosure import Audience, disclose
from tracker.domain.vocab import Group, PersonRole
from tracker.models import (
    Action,
    ActionOwner,
    AgendaItem,
    Attendee,
    Body,
    Contribution,
    Decision,
    Link,
    Meeting,
    Outcome,
    Person,
)
from tracker.services.audit import record_event
from tracker.services.evidence import point_of
from tracker.services.linking import record_id

SCHEMA = "tracker-export/1"


def _speaker(
    person_id: int | None, group: str | None, as_written: str | None
) -> dict[str, Any] | None:
    if person_id is None and group is None and not as_written:
        return None
    return {
        "person_id": f"p{person_id}" if person_id is not None else None,
        "as_written": as_written,
        "group": group,
    }


def _item_ref(item_id: int | None) -> str | None:
    return record_id("agenda_item", item_id) if item_id is not None else None


def _contribution(c: Contribution, people: dict[int, Person]) -> dict[str, Any]:
    """One contribution as the disclosure rule lets it leave the tracker."""
    person = people.get(c.speaker_person_id or 0)
    shown = disclose(point_of(c, person), Audience.EXPORT)
    speaker = _speaker(c.speaker_person_id, c.speaker_group, c.speaker_as_written)
    if not shown.named and speaker is not None:
        # Still counted as LXP (or staff) input; no longer says who.
        group = c.speaker_group or (
            (Group.LXP.value if person.role == PersonRole.LXP else Group.STAFF.value)
            if person
            else None
        )
        speaker = _speaker(None, group, None)
    return {
        "id": record_id("contribution", c.id or 0),
        "agenda_item_id": _item_ref(c.agenda_item_id),
        "text": shown.text,
        "speaker": speaker,
    }


def build_export(*, session: Session, actor: str | None = None) -> dict[str, Any]:
    """Return the whole current record; with an actor, audit the export.

    Contributions pass the disclosure rule (tracker/domain/disclosure.py) for
    the export audience: count-only points and personal stories are not
    quoted, anonymous ones are not attributed to a person.
    """
    people = session.exec(select(Person).order_by(Person.id)).all()
    by_id = {p.id or 0: p for p in people}
    bodies = session.exec(select(Body).order_by(Body.id)).all()
    meetings = session.exec(
        select(Meeting).where(Meeting.is_current == True).order_by(Meeting.date, Meeting.id)  # noqa: E712
    ).all()
    ids = [m.id for m in meetings]

    def rows(model: type) -> dict[int, list[Any]]:
        grouped: dict[int, list[Any]] = defaultdict(list)
        query = select(model).where(model.meeting_id.in_(ids)).order_by(model.id)  # type: ignore[attr-defined]
        for row in session.exec(query).all():
            grouped[row.meeting_id].append(row)
        return grouped

    attendees, items = rows(Attendee), rows(AgendaItem)
    contributions, actions, decisions = rows(Contribution), rows(Action), rows(Decision)
    owners: dict[int, list[ActionOwner]] = defaultdict(list)
    for owner in session.exec(select(ActionOwner).order_by(ActionOwner.id)).all():
        owners[owner.action_id].append(owner)
    live: set[str] = set()
    out_meetings = []
    for m in meetings:
        mid = m.id or 0
        entry = {
            "id": f"m{mid}",
            "body_id": f"b{m.body_id}",
            "title": m.title,
            "date": m.date.isoformat(),
            "source": {"filename": m.source_filename, "sha256": m.sha256},
            "attendees": [
                {
                    "person_id": f"p{a.person_id}" if a.person_id else None,
                    "as_written": a.as_written,
                    "status": a.status,
                }
                for a in attendees[mid]
            ],
            "agenda_items": [
                {
                    "id": record_id("agenda_item", i.id or 0),
                    "number": i.number,
                    "title": i.title,
                    "lead": _speaker(i.lead_person_id, i.lead_group, i.lead_as_written),
                }
                for i in items[mid]
            ],
            "contributions": [_contribution(c, by_id) for c in contributions[mid]],
            "actions": [
                {
                    "id": record_id("action", x.id or 0),
                    "agenda_item_id": _item_ref(x.agenda_item_id),
                    "text": x.text,
                    "owners": [
                        _speaker(o.person_id, o.group, o.as_written) for o in owners[x.id or 0]
                    ],
                    "due": x.due.isoformat() if x.due else None,
                }
                for x in actions[mid]
            ],
            "decisions": [
                {
                    "id": record_id("decision", d.id or 0),
                    "agenda_item_id": _item_ref(d.agenda_item_id),
                    "text": d.text,
                }
                for d in decisions[mid]
            ],
        }
        for kind in ("agenda_items", "contributions", "actions", "decisions"):
            live.update(r["id"] for r in entry[kind])
        out_meetings.append(entry)
    links = []
    for link in session.exec(select(Link).order_by(Link.id)).all():
        source = record_id("contribution", link.contribution_id)
        target = record_id(link.target_type, link.target_id)
        if source in live and target in live:
            links.append(
                {
                    "id": f"l{link.id}",
                    "contribution_id": source,
                    "target_type": link.target_type,
                    "target_id": target,
                    "score": max(0.0, min(1.0, float(link.score))),
                    "status": link.status,
                    **({"confidence": link.confidence} if link.confidence is not None else {}),
                    "method": link.method,
                    "why": list(link.why),
                }
            )
    outcomes = []
    for o in session.exec(select(Outcome).order_by(Outcome.contribution_id)).all():
        cid = record_id("contribution", o.contribution_id)
        if cid in live:
            row = {
                "contribution_id": cid,
                "status": o.status,
                "credited": bool(o.credited),
                "days_to_first_trace": o.days_to_first_trace,
                "basis": o.basis if o.basis in ("confirmed", "suggested") else "suggested",
            }
            if o.reason:
                row["reason"] = o.reason
            outcomes.append(row)
    export = {
        "schema": SCHEMA,
        "people": [
            {"id": f"p{p.id}", "name": p.name, "role": p.role, "aliases": list(p.aliases)}
            for p in people
        ],
        "bodies": [
            {"id": f"b{b.id}", "name": b.name, "kind": b.kind, "workstream": b.workstream}
            for b in bodies
        ],
        "meetings": out_meetings,
        "links": links,
        "outcomes": outcomes,
    }
    if actor is not None:
        record_event(
            session,
            actor=actor,
            action="export",
            meetings=len(out_meetings),
            links=len(links),
            outcomes=len(outcomes),
        )
        session.commit()
    return export
