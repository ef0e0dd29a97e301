"""The review queue of suggested links, each with both sides to compare."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, func, or_, select

from tracker.domain import vocab
from tracker.domain.disclosure import Audience
from tracker.models import (
    RECORD_MODELS,
    AgendaItem,
    Body,
    Contribution,
    Link,
    Meeting,
    Outcome,
    Person,
)
from tracker.services.evidence import people_of, said_by, show
from tracker.services.scope import Scope, scope_points

MODEL_OF_KIND: dict[str, Any] = RECORD_MODELS
KIND_WORDS = vocab.RECORD_LABELS


@dataclass
class Side:
    text: str
    who: str
    meeting: Meeting | None
    body: Body | None


@dataclass
class QueueEntry:
    link: Link
    point: Contribution
    source: Side
    target: Side
    target_kind: str
    outcome: Outcome | None
    private: bool = False  # either side may not be quoted: no shared words shown either


def _who(session: Session, person_id: int | None, group: str | None, written: str | None) -> str:
    if person_id is not None:
        person = session.get(Person, person_id)
        if person is not None:
            return person.name + (" (LXP)" if person.role == vocab.PersonRole.LXP else " (staff)")
    if group:
        return vocab.GROUP_LABELS.get(group, group)
    return f"{written} (not on the roster)" if written else "Nobody recorded"


def _disclosed(session: Session, c: Contribution) -> tuple[str, str, bool]:
    """(text, who, quoted) of a contribution as a chair, lead or admin may see it."""
    people = people_of(session, [c])
    shown = show(c, people, Audience.LEAD)
    return shown.text, said_by(c, people, shown), shown.quoted


def _side(session: Session, row: Any, text: str, who: str) -> Side:
    meeting = session.get(Meeting, row.meeting_id) if row is not None else None
    body = session.get(Body, meeting.body_id) if meeting is not None else None
    return Side(text, who, meeting, body)


def count_waiting(*, session: Session, programmes: Scope = None) -> int:
    """How many links (of the given programmes' points) wait for a person's decision."""
    return session.exec(
        scope_points(
            select(func.count())
            .select_from(Link)
            .where(
                or_(Link.status == vocab.LinkStatus.SUGGESTED, Link.needs_reconfirmation == True)  # noqa: E712
            ),
            Link.contribution_id,
            programmes,
        )
    ).one()


def review_queue(
    *, session: Session, limit: int = 50, programmes: Scope = None
) -> list[QueueEntry]:
    """Suggested links (and confirmed ones to reconfirm) of the given programmes' points,
    best score first."""
    links = session.exec(
        scope_points(
            select(Link).where(
                or_(Link.status == vocab.LinkStatus.SUGGESTED, Link.needs_reconfirmation == True)  # noqa: E712
            ),
            Link.contribution_id,
            programmes,
        )
        .order_by(Link.needs_reconfirmation.desc(), Link.score.desc(), Link.id)  # type: ignore[attr-defined]
        .limit(limit)
    ).all()
    out = []
    for link in links:
        point = session.get(Contribution, link.contribution_id)
        if point is None:
            continue
        model = MODEL_OF_KIND.get(link.target_type)
        target = session.get(model, link.target_id) if model else None
        if isinstance(target, AgendaItem):
            target_who = _who(
                session, target.lead_person_id, target.lead_group, target.lead_as_written
            )
            target_text, target_quoted = link.target_text or target.title, True
        elif isinstance(target, Contribution):
            # Someone's words: the one disclosure rule (services/evidence.py).
            target_text, target_who, target_quoted = _disclosed(session, target)
        else:
            target_who = ""
            target_text, target_quoted = link.target_text or getattr(target, "text", ""), True
        point_text, point_who, point_quoted = _disclosed(session, point)
        out.append(
            QueueEntry(
                link=link,
                point=point,
                source=_side(session, point, point_text, point_who),
                target=_side(session, target, target_text, target_who),
                target_kind=KIND_WORDS.get(link.target_type, link.target_type),
                outcome=session.get(Outcome, point.id),
                private=not (point_quoted and target_quoted),
            )
        )
    return out
