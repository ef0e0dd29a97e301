"""The evidence of a point, and what a viewer may see of any point: one service.

Every surface that shows a contribution's words or who said it (dashboard,
downloads, API, LXP pages, digests, the chair's check, priorities, reports,
export) asks here; the rule itself is tracker/domain/disclosure.py.  A later
record that is itself a contribution (another LXP's words) passes the same
rule, so a count-only point is never quoted as someone else's evidence either.

Batched: a few queries per call whatever the number of points or links.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, select

from tracker.domain import vocab
from tracker.domain.disclosure import Audience, Point, Shown, disclose
from tracker.domain.vocab import COUNTING_STATUSES
from tracker.models import (
    RECORD_MODELS,
    Body,
    Contribution,
    Link,
    Meeting,
    Person,
)

TARGET_MODELS: dict[str, Any] = RECORD_MODELS
TARGET_LABELS = vocab.RECORD_LABELS


def point_of(c: Any, person: Person | None) -> Point:
    """The facts the rule needs about one contribution (a row or a model)."""
    return Point(
        c.text or "",
        consent=c.consent,
        is_story=bool(c.is_story),
        speaker_person_id=c.speaker_person_id,
        speaker_name=person.name if person is not None else None,
        speaker_as_written=c.speaker_as_written,
        speaker_group=c.speaker_group,
        speaker_erased=bool(person is not None and person.erased_at is not None),
    )


def people_of(session: Session, contributions: Iterable[Any]) -> dict[int, Person]:
    """The speakers of these contributions, in one query."""
    ids = {c.speaker_person_id for c in contributions if c.speaker_person_id}
    if not ids:
        return {}
    return {
        p.id or 0: p
        for p in session.exec(select(Person).where(Person.id.in_(ids))).all()  # type: ignore[union-attr]
    }


def show(
    c: Any,
    people: dict[int, Person],
    audience: Audience,
    viewer_person_id: int | None = None,
) -> Shown:
    """What this audience may see of one contribution."""
    person = people.get(c.speaker_person_id or 0)
    return disclose(point_of(c, person), audience, viewer_person_id=viewer_person_id)


def said_by(c: Any, people: dict[int, Person], shown: Shown) -> str:
    """``shown.who`` with the speaker's role when they are named (LXP or staff)."""
    person = people.get(c.speaker_person_id or 0)
    if shown.named and person is not None and person.erased_at is None:
        return f"{shown.who} ({'LXP' if person.role == vocab.PersonRole.LXP else 'staff'})"
    return shown.who


@dataclass(frozen=True)
class Trace:
    """One later record linked to a point, as this viewer may see it."""

    link_id: int
    contribution_id: int
    status: str
    score: float
    target_type: str
    target_id: int
    kind: str  # plain words: Agenda item, Discussion, Action, Decision
    text: str
    quoted: bool
    when: date | None
    meeting_id: int | None
    meeting_title: str
    body_name: str


def evidence_of(
    *,
    session: Session,
    contribution_ids: Iterable[int],
    audience: Audience,
    viewer_person_id: int | None = None,
    statuses: Iterable[str] = COUNTING_STATUSES,
    current_only: bool = True,
) -> dict[int, list[Trace]]:
    """Point id -> its linked later records (confirmed first), disclosure applied.

    Named columns only: a meeting row also holds the whole document.
    """
    ids = {int(i) for i in contribution_ids}
    if not ids:
        return {}
    links = session.exec(
        select(Link).where(
            Link.contribution_id.in_(ids),  # type: ignore[attr-defined]
            Link.status.in_(tuple(statuses)),  # type: ignore[attr-defined]
        )
    ).all()
    return traces_of(
        session=session,
        links=links,
        audience=audience,
        viewer_person_id=viewer_person_id,
        current_only=current_only,
    )


def traces_of(
    *,
    session: Session,
    links: Iterable[Link],
    audience: Audience,
    viewer_person_id: int | None = None,
    current_only: bool = True,
) -> dict[int, list[Trace]]:
    """The same for links already loaded (one query per kind of record)."""
    links = list(links)
    wanted: dict[str, set[int]] = defaultdict(set)
    for link in links:
        if link.target_type in TARGET_MODELS:
            wanted[link.target_type].add(link.target_id)
    texts: dict[tuple[str, int], tuple[int, str, bool]] = {}  # -> meeting, text, quoted
    for kind, target_ids in wanted.items():
        model = TARGET_MODELS[kind]
        if kind == "contribution":
            rows = session.exec(
                select(
                    Contribution.id,
                    Contribution.meeting_id,
                    Contribution.text,
                    Contribution.consent,
                    Contribution.is_story,
                    Contribution.speaker_person_id,
                    Contribution.speaker_group,
                    Contribution.speaker_as_written,
                ).where(Contribution.id.in_(target_ids))  # type: ignore[union-attr]
            ).all()
            people = people_of(session, rows)
            for row in rows:
                shown = show(row, people, audience, viewer_person_id)
                texts[(kind, row.id)] = (row.meeting_id, shown.text, shown.quoted)
            continue
        column = model.title if kind == "agenda_item" else model.text
        for tid, meeting_id, text in session.exec(
            select(model.id, model.meeting_id, column).where(model.id.in_(target_ids))
        ).all():
            texts[(kind, tid)] = (meeting_id, text or "", True)
    meeting_ids = {m for m, _, _ in texts.values()}
    meetings = {
        row.id: row
        for row in session.exec(
            select(
                Meeting.id, Meeting.title, Meeting.date, Meeting.body_id, Meeting.is_current
            ).where(
                Meeting.id.in_(meeting_ids)  # type: ignore[union-attr]
            )
        ).all()
    }
    bodies = dict(
        session.exec(
            select(Body.id, Body.name).where(
                Body.id.in_({m.body_id for m in meetings.values()})  # type: ignore[union-attr]
            )
        ).all()
    )
    out: dict[int, list[Trace]] = defaultdict(list)
    for link in links:
        found = texts.get((link.target_type, link.target_id))
        if found is None:
            continue
        meeting = meetings.get(found[0])
        if current_only and (meeting is None or not meeting.is_current):
            continue
        text, quoted = found[1], found[2]
        if link.target_type != "contribution" and link.target_text:
            text = link.target_text  # the matched sentence, when the matcher kept one
        out[link.contribution_id].append(
            Trace(
                link_id=link.id or 0,
                contribution_id=link.contribution_id,
                status=link.status,
                score=round(float(link.score or 0), 2),
                target_type=link.target_type,
                target_id=link.target_id,
                kind=TARGET_LABELS[link.target_type],
                text=text,
                quoted=quoted,
                when=meeting.date if meeting else None,
                meeting_id=meeting.id if meeting else None,
                meeting_title=meeting.title if meeting else "",
                body_name=bodies.get(meeting.body_id, "") if meeting else "",
            )
        )
    for traces in out.values():
        traces.sort(key=lambda t: (t.status != "confirmed", -t.score, t.when or date.min))
    return dict(out)
