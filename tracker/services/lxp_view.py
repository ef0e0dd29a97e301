"""What LXPs are told about their points: stored outcomes, in words honest about checks.

Reads the stored outcome (services/refresh.py keeps it current) and says a
suggested outcome as a suggestion ("the minutes of X seem to take this up;
the chair has been asked to check"), a confirmed one as a fact.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy.orm import defer
from sqlmodel import Session, select

from tracker.domain import vocab
from tracker.domain.disclosure import Audience
from tracker.domain.outcomes import explanation, headline
from tracker.domain.vocab import BodyKind, Group
from tracker.models import Attendee, Body, Contribution, Link, Meeting, Outcome
from tracker.services.evidence import show
from tracker.services.feedback import MyContribution, _evidence_of


@dataclass(frozen=True)
class Told:
    """What an LXP page says about one point."""

    status: str | None
    basis: str
    headline: str
    sentence: str


def _day(value: object) -> str:
    return f"{value.day} {value:%B %Y}"  # type: ignore[attr-defined]


def first_later_governance(session: Session, meetings: list[Meeting]) -> dict[int, str]:
    """Meeting id -> "Body, 18 March 2021": the next governance meeting of its workstream."""
    bodies = {b.id: b for b in session.exec(select(Body)).all()}
    # Keyed by (programme, workstream): never another programme's meeting.
    governance: dict[tuple[int | None, str], list[tuple[object, str]]] = defaultdict(list)
    rows = session.exec(
        select(Meeting.date, Meeting.body_id).where(Meeting.is_current == True)  # noqa: E712
    ).all()
    for day, body_id in rows:
        body = bodies[body_id]
        if body.kind == BodyKind.GOVERNANCE:
            governance[(body.programme_id, body.workstream)].append(
                (day, f"{body.name}, {_day(day)}")
            )
    for dated in governance.values():
        dated.sort(key=lambda pair: pair[0])  # type: ignore[arg-type, return-value]
    out: dict[int, str] = {}
    for meeting in meetings:
        body = bodies[meeting.body_id]
        workstream = (body.programme_id, body.workstream)
        later = [label for day, label in governance.get(workstream, []) if day > meeting.date]  # type: ignore[operator]
        if later and meeting.id is not None:
            out[meeting.id] = later[0]
    return out


def tell(session: Session, points: list[MyContribution]) -> dict[int, Told]:
    """What to say about each point, keyed by contribution id."""
    missed = first_later_governance(session, [p.meeting for p in points])
    out: dict[int, Told] = {}
    for p in points:
        status = p.outcome.status if p.outcome else None
        basis = p.outcome.basis if p.outcome else "suggested"
        counting = [e for e in p.evidence if e.status in ("suggested", "confirmed") and e.when]
        if basis == "confirmed":
            counting = [e for e in counting if e.status == vocab.LinkStatus.CONFIRMED] or counting
        first = min(counting, key=lambda e: e.when, default=None)  # type: ignore[arg-type, return-value]
        taken = f"{first.body_name}, {_day(first.when)}" if first else ""
        out[p.contribution.id or 0] = Told(
            status,
            basis,
            headline(status, basis),
            explanation(status, basis, taken, missed.get(p.meeting.id or 0, "")),
        )
    return out


def group_points(session: Session, person_id: int) -> list[MyContribution]:
    """Points the LXP group raised at current meetings this person attended, newest first."""
    attended = session.exec(
        select(Attendee.meeting_id).where(
            Attendee.person_id == person_id, Attendee.status != "apologies"
        )
    ).all()
    if not attended:
        return []
    rows = session.exec(
        select(Contribution, Meeting, Body)
        .join(Meeting, Contribution.meeting_id == Meeting.id)  # type: ignore[arg-type]
        .join(Body, Meeting.body_id == Body.id)  # type: ignore[arg-type]
        .where(
            Contribution.speaker_group == Group.LXP,
            Contribution.speaker_person_id == None,  # noqa: E711
            Contribution.meeting_id.in_(set(attended)),  # type: ignore[attr-defined]
            Meeting.is_current == True,  # noqa: E712
        )
        .order_by(Meeting.date.desc(), Contribution.position)  # type: ignore[attr-defined]
        .options(defer(Meeting.original), defer(Meeting.text))  # type: ignore[arg-type]
    ).all()
    ids = [c.id for c, _, _ in rows]
    outcomes = {
        o.contribution_id: o
        for o in session.exec(select(Outcome).where(Outcome.contribution_id.in_(ids))).all()  # type: ignore[attr-defined]
    }
    links = list(
        session.exec(
            select(Link).where(
                Link.contribution_id.in_(ids),  # type: ignore[attr-defined]
                Link.status.in_(("suggested", "confirmed")),  # type: ignore[attr-defined]
            )
        ).all()
    )
    evidence: dict[int, list] = defaultdict(list)
    for link, found in zip(links, _evidence_of(session, links, person_id), strict=True):
        evidence[link.contribution_id].append(found)
    return [
        MyContribution(
            c,
            m,
            b,
            outcomes.get(c.id or 0),
            sorted(
                evidence.get(c.id or 0, []),
                key=lambda e: (e.status != vocab.LinkStatus.CONFIRMED, e.when),
            ),
        )
        for c, m, b in rows
        # Group points that may not be quoted (count-only, a story) are counted
        # elsewhere, never shown: the one disclosure rule decides.
        if show(c, {}, Audience.OTHER_LXP, person_id).quoted
    ]
