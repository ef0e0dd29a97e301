"""Reports for programme leads: lost LXP points and the meetings that missed them."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from tracker import clock
from tracker.domain import vocab
from tracker.domain.disclosure import Audience, disclose
from tracker.domain.vocab import BodyKind, Group
from tracker.models import Body, Contribution, Meeting, Outcome, Person
from tracker.services.evidence import point_of

LOST_COLUMNS = (
    "contribution_id",
    "date",
    "body",
    "workstream",
    "said_by",
    "text",
    "missed_by",
    "days_since",
    "basis",
)


def speaker_label(contribution: Contribution, people: dict[int, Person]) -> str:
    """Say who made a point, in words."""
    if contribution.speaker_person_id in people:
        person = people[contribution.speaker_person_id]  # type: ignore[index]
        return person.name if person.erased_at is None else "a former LXP"
    if contribution.speaker_group == Group.LXP:
        return "LXPs"
    if contribution.speaker_group == Group.STAFF:
        return "programme team"
    return contribution.speaker_as_written or "not recorded"


def lost_points(*, session: Session, today: date | None = None) -> list[dict[str, object]]:
    """Return every lost LXP point with the later governance meetings that missed it."""
    today = today or clock.today()
    people = {p.id: p for p in session.exec(select(Person)).all()}
    bodies = {b.id: b for b in session.exec(select(Body)).all()}
    meetings = {
        m.id: m
        for m in session.exec(select(Meeting).where(Meeting.is_current == True)).all()  # noqa: E712
    }
    governance = sorted(
        (m for m in meetings.values() if bodies[m.body_id].kind == BodyKind.GOVERNANCE),
        key=lambda m: m.date,
    )
    query = (
        select(Outcome, Contribution)
        .join(Contribution, Contribution.id == Outcome.contribution_id)
        .where(Outcome.status == vocab.Outcome.LOST)
    )
    rows = []
    for outcome, contribution in session.exec(query).all():
        meeting = meetings.get(contribution.meeting_id)
        if meeting is None:
            continue
        body = bodies[meeting.body_id]
        missed = [
            f"{bodies[m.body_id].name} {m.date.isoformat()}"
            for m in governance
            if bodies[m.body_id].workstream == body.workstream and m.date > meeting.date
        ]
        # One disclosure rule for every surface: consent, stories, erasure.
        person = people.get(contribution.speaker_person_id or 0)
        shown = disclose(point_of(contribution, person), Audience.LEAD)
        rows.append(
            {
                "contribution_id": f"c{contribution.id}",
                "date": meeting.date.isoformat(),
                "body": body.name,
                "workstream": body.workstream,
                "said_by": shown.who,
                "text": shown.text,
                "missed_by": "; ".join(missed),
                "basis": outcome.basis,
                "days_since": (today - meeting.date).days,
            }
        )
    rows.sort(key=lambda r: (str(r["date"]), str(r["contribution_id"])))
    return rows
