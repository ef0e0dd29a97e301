"""The LXP group's priority areas for a year, and the points tagged to them.

The group chooses at most five priorities a year, up to three of them
overarching. A simple matcher suggests which LXP points belong to which
priority (rapidfuzz token_set_ratio of the title against the point); a person
confirms or rejects each suggestion, and only confirmed tags are counted.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from rapidfuzz import fuzz, process
from rapidfuzz.utils import default_process
from sqlalchemy import func
from sqlmodel import Session, select

from tracker.domain.disclosure import Audience
from tracker.errors import BadInput, Conflict, NotFound
from tracker.models import Contribution, Meeting, Outcome, Priority, PriorityTag
from tracker.services.audit import record_event
from tracker.services.evidence import show

MAX_PRIORITIES = 5
MAX_OVERARCHING = 3
TAG_STATUSES = ("suggested", "confirmed", "rejected")
# token_set_ratio is 100 when every word of the title appears in the point.
DEFAULT_THRESHOLD = 80.0
MIN_WORDS = 3  # shorter points ("Agreed.") match anything; leave them to people


@dataclass(frozen=True)
class PriorityEntry:
    title: str
    overarching: bool = False


def check_priorities(entries: Sequence[PriorityEntry]) -> None:
    """Raise BadInput unless the set fits the rules (≤5, ≤3 overarching, named, distinct)."""
    if len(entries) > MAX_PRIORITIES:
        raise BadInput(
            f"the LXP group chooses at most {MAX_PRIORITIES} priorities a year; "
            f"this would make {len(entries)}"
        )
    overarching = sum(1 for e in entries if e.overarching)
    if overarching > MAX_OVERARCHING:
        raise BadInput(
            f"at most {MAX_OVERARCHING} priorities can be overarching; "
            f"this would make {overarching}"
        )
    seen: set[str] = set()
    for entry in entries:
        title = " ".join(entry.title.split())
        if not title:
            raise BadInput("a priority needs a title")
        if len(title) > 200:
            raise BadInput("keep a priority's title under 200 characters")
        if title.lower() in seen:
            raise BadInput(f"{title!r} is already a priority for that year")
        seen.add(title.lower())


def _check_year(year: int) -> None:
    if not 2000 <= year <= 2100:
        raise BadInput(f"{year} is not a year we can record priorities for")


def list_priorities(*, session: Session, year: int | None = None) -> list[Priority]:
    """Priorities of one year (or all), overarching first."""
    query = select(Priority)
    if year is not None:
        query = query.where(Priority.year == year)
    query = query.order_by(Priority.year.desc(), Priority.overarching.desc(), Priority.id)  # type: ignore[attr-defined]
    return list(session.exec(query).all())


def _entries(session: Session, year: int, skip: int | None = None) -> list[PriorityEntry]:
    return [
        PriorityEntry(p.title, p.overarching)
        for p in list_priorities(session=session, year=year)
        if p.id != skip
    ]


def add_priority(
    *, session: Session, year: int, title: str, overarching: bool = False, actor: str
) -> Priority:
    """Record one more priority for a year, within the rules."""
    _check_year(year)
    title = " ".join(title.split())
    check_priorities([*_entries(session, year), PriorityEntry(title, overarching)])
    priority = Priority(year=year, title=title, overarching=overarching)
    session.add(priority)
    session.flush()
    record_event(
        session,
        actor=actor,
        action="priority.add",
        object_type="priority",
        object_id=priority.id or 0,
        year=year,
        overarching=overarching,
    )
    session.commit()
    return priority


def update_priority(
    *, session: Session, priority_id: int, title: str, overarching: bool, actor: str
) -> Priority:
    """Rename a priority or change whether it is overarching."""
    priority = session.get(Priority, priority_id)
    if priority is None:
        raise NotFound(f"no priority {priority_id}")
    title = " ".join(title.split())
    check_priorities(
        [*_entries(session, priority.year, skip=priority_id), PriorityEntry(title, overarching)]
    )
    priority.title, priority.overarching = title, overarching
    session.add(priority)
    record_event(
        session,
        actor=actor,
        action="priority.update",
        object_type="priority",
        object_id=priority_id,
        overarching=overarching,
    )
    session.commit()
    return priority


def remove_priority(*, session: Session, priority_id: int, actor: str) -> None:
    """Delete a priority and its tags."""
    priority = session.get(Priority, priority_id)
    if priority is None:
        raise NotFound(f"no priority {priority_id}")
    for tag in session.exec(
        select(PriorityTag).where(PriorityTag.priority_id == priority_id)
    ).all():
        session.delete(tag)
    session.flush()
    session.delete(priority)
    record_event(
        session,
        actor=actor,
        action="priority.remove",
        object_type="priority",
        object_id=priority_id,
        year=priority.year,
    )
    session.commit()


def suggest_tags(
    *, session: Session, year: int, threshold: float = DEFAULT_THRESHOLD, actor: str
) -> int:
    """Suggest tags for the year's LXP points; keep people's decisions. Return new suggestions.

    Points a lead may not read (count-only, personal stories) are left out: a
    person could not judge them without reading them.
    """
    priorities = list_priorities(session=session, year=year)
    if not priorities:
        return 0
    rows = session.exec(
        select(
            Contribution.id,
            Contribution.text,
            Contribution.consent,
            Contribution.is_story,
            Contribution.speaker_person_id,
            Contribution.speaker_group,
            Contribution.speaker_as_written,
        )
        .join(Outcome, Outcome.contribution_id == Contribution.id)
        .join(Meeting, Meeting.id == Contribution.meeting_id)
        .where(
            Meeting.is_current == True,  # noqa: E712
            Meeting.date >= date(year, 1, 1),
            Meeting.date <= date(year, 12, 31),
        )
        .order_by(Contribution.id)
    ).all()
    # Points a lead may not read (count-only, stories) are not suggested: one rule.
    points = [
        (r.id, r.text)
        for r in rows
        if len(r.text.split()) >= MIN_WORDS and show(r, {}, Audience.LEAD).quoted
    ]
    if not points:
        return 0
    existing = {
        (t.priority_id, t.contribution_id)
        for t in session.exec(
            select(PriorityTag).where(
                PriorityTag.priority_id.in_([p.id for p in priorities])  # type: ignore[attr-defined]
            )
        ).all()
    }
    scores = process.cdist(
        [p.title for p in priorities],
        [text for _, text in points],
        scorer=fuzz.token_set_ratio,
        processor=default_process,
        score_cutoff=threshold,
    )
    added = 0
    for i, priority in enumerate(priorities):
        for j, (cid, _) in enumerate(points):
            if scores[i][j] >= threshold and (priority.id, cid) not in existing:
                session.add(PriorityTag(priority_id=priority.id or 0, contribution_id=cid))
                added += 1
    record_event(session, actor=actor, action="priority.suggest", year=year, suggested=added)
    session.commit()
    return added


def tag_point(
    *, session: Session, priority_id: int, contribution_id: int, actor: str
) -> PriorityTag:
    """Tag an LXP point to a priority by hand (confirmed at once)."""
    if session.get(Priority, priority_id) is None:
        raise NotFound(f"no priority {priority_id}")
    if session.get(Outcome, contribution_id) is None:
        raise BadInput(f"contribution {contribution_id} is not an LXP point")
    tag = session.exec(
        select(PriorityTag).where(
            PriorityTag.priority_id == priority_id,
            PriorityTag.contribution_id == contribution_id,
        )
    ).one_or_none()
    if tag is not None and tag.status == "confirmed":
        raise Conflict("that point is already tagged to this priority")
    tag = tag or PriorityTag(priority_id=priority_id, contribution_id=contribution_id)
    tag.status = "confirmed"
    session.add(tag)
    session.flush()
    record_event(
        session,
        actor=actor,
        action="priority.tag",
        object_type="prioritytag",
        object_id=tag.id or 0,
        status="confirmed",
    )
    session.commit()
    return tag


def decide_tag(*, session: Session, tag_id: int, status: str, actor: str) -> PriorityTag:
    """Confirm or reject a suggested tag."""
    if status not in ("confirmed", "rejected"):
        raise BadInput("a tag is confirmed or rejected")
    tag = session.get(PriorityTag, tag_id)
    if tag is None:
        raise NotFound(f"no tag {tag_id}")
    tag.status = status
    session.add(tag)
    record_event(
        session,
        actor=actor,
        action=f"priority.tag.{status}",
        object_type="prioritytag",
        object_id=tag_id,
    )
    session.commit()
    return tag


def tag_queue(*, session: Session, year: int, limit: int = 100) -> list[dict[str, Any]]:
    """Suggested tags waiting for a person, with the point as it may be shown."""
    rows = session.exec(
        select(PriorityTag, Priority, Contribution, Meeting)
        .join(Priority, Priority.id == PriorityTag.priority_id)
        .join(Contribution, Contribution.id == PriorityTag.contribution_id)
        .join(Meeting, Meeting.id == Contribution.meeting_id)
        .where(PriorityTag.status == "suggested", Priority.year == year)
        .order_by(Meeting.date, PriorityTag.id)
        .limit(limit)
    ).all()
    return [
        {
            "tag_id": tag.id,
            "priority": priority.title,
            "contribution_id": c.id,
            "date": m.date.isoformat(),
            "text": show(c, {}, Audience.LEAD).text,
        }
        for tag, priority, c, m in rows
    ]


@dataclass
class PriorityView:
    """A priority with what moved under it: confirmed points by outcome."""

    id: int
    year: int
    title: str
    overarching: bool
    points: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)


def moved_views(session: Session, query: Any, priorities: list[Priority]) -> list[PriorityView]:
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    for pid, status, n in session.connection().execute(query).all():
        counts[pid][status] += n
    return [
        PriorityView(
            id=p.id or 0,
            year=p.year,
            title=p.title,
            overarching=p.overarching,
            points=sum(counts[p.id or 0].values()),
            outcomes=dict(counts[p.id or 0]),
        )
        for p in priorities
    ]


def tagged_outcomes() -> Any:
    return (
        select(PriorityTag.priority_id, Outcome.status, func.count())
        .select_from(PriorityTag)
        .join(Outcome, Outcome.contribution_id == PriorityTag.contribution_id)
        .join(Contribution, Contribution.id == PriorityTag.contribution_id)
        .join(Meeting, Meeting.id == Contribution.meeting_id)
        .where(PriorityTag.status == "confirmed", Meeting.is_current == True)  # noqa: E712
        .group_by(PriorityTag.priority_id, Outcome.status)
    )


def priorities_for_person(
    *, session: Session, person_id: int, year: int | None = None
) -> list[PriorityView]:
    """The LXP group's priorities (newest year, or the one asked) with this person's points.

    For the LXP's own page: counts only, of the person's own confirmed points.
    """
    if year is None:
        year = session.exec(select(func.max(Priority.year))).first()
        if year is None:
            return []
    priorities = list_priorities(session=session, year=year)
    query = tagged_outcomes().where(Contribution.speaker_person_id == person_id)
    return moved_views(session, query, priorities)
