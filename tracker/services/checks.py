"""The chair's check, and what people can do about a lost point.

After a governance or working meeting is stored, the chair reviews the open
LXP points of its workstream (dated before it, within the matcher's window,
not settled by a person) against that meeting's best candidates (top 3 each,
uncertain ones first): confirm one, reject one with a reason, or "none of
these" (the point is then checked for that meeting; checked against every
later meeting of its window, a lost point is a confirmed loss).

A lost point can also be acted on: not taken forward with a reason (fed back
to the LXP), linked by hand to any later record found by its words, or put
on the next agenda of a governance body with the LXPs who raised it invited
to lead the item (an AgendaRequest, open until a later meeting of that body
traces the point).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from sqlmodel import Session, select

from tracker.config import Settings
from tracker.domain import vocab
from tracker.domain.disclosure import NOT_QUOTED as NOT_QUOTED  # one wording, re-exported
from tracker.domain.disclosure import Audience, Shown
from tracker.domain.matching import DEFAULT_THRESHOLDS
from tracker.domain.vocab import MACHINE_STATUSES, BodyKind
from tracker.errors import BadInput, NotFound
from tracker.models import (
    RECORD_MODELS,
    AgendaRequest,
    Attendee,
    Body,
    Contribution,
    Link,
    Meeting,
    Outcome,
    Person,
    PointCheck,
    utcnow,
)
from tracker.services.audit import record_event
from tracker.services.evidence import people_of, said_by, show, traces_of
from tracker.services.linking import confirm_link
from tracker.services.refresh import recompute_points
from tracker.services.scope import Scope, same_programme, scope_bodies, scope_meetings

MODELS: dict[str, Any] = RECORD_MODELS
KIND_WORDS = vocab.RECORD_LABELS
#: Link statuses a check shows: the matcher's, which a person has not decided.
UNDECIDED = MACHINE_STATUSES
NONE_REASON = "None of these (chair's check)"


@dataclass
class Candidate:
    link_id: int
    kind: str
    text: str
    score: float
    status: str
    confidence: float | None = None  # calibrated, when the matcher gives one


@dataclass
class OpenPoint:
    contribution: Contribution
    meeting: Meeting
    body: Body
    said_by: str
    outcome: Outcome | None
    candidates: list[Candidate] = field(default_factory=list)
    uncertainty: float = 1.0  # 0 = as uncertain as can be


@dataclass
class CheckPage:
    meeting: Meeting
    body: Body
    points: list[OpenPoint]


def _text(row: Any, kind: str) -> str:
    """A record's words as the chair's check may show them (the one disclosure rule)."""
    if kind == "agenda_item":
        return str(row.title)
    if kind == "contribution":
        return show(row, {}, Audience.LEAD).text
    return str(row.text)


def _said_by(c: Contribution, people: dict[int, Person]) -> str:
    return said_by(c, people, show(c, people, Audience.LEAD))


def point_shown(session: Session, c: Contribution) -> Shown:
    """What the check pages (chairs, leads, admins) may show of one point."""
    people = people_of(session, [c])
    shown = show(c, people, Audience.LEAD)
    return replace(shown, who=said_by(c, people, shown))


def _checkable(session: Session, meeting_id: int) -> tuple[Meeting, Body]:
    meeting = session.get(Meeting, meeting_id)
    body = session.get(Body, meeting.body_id) if meeting is not None else None
    if (
        meeting is None
        or body is None
        or not meeting.is_current
        or body.kind == vocab.BodyKind.CATCH_UP
    ):
        raise NotFound(f"no governance or working meeting {meeting_id}")
    return meeting, body


def _is_lxp_input(c: Contribution, body: Body, people: dict[int, Person]) -> bool:
    person = people.get(c.speaker_person_id or 0)
    return (
        body.kind == vocab.BodyKind.CATCH_UP
        or c.speaker_group == vocab.Group.LXP
        or (person is not None and person.role == vocab.PersonRole.LXP)
    )


def _open_points(
    session: Session, of: Body, before: date, window_days: int | None
) -> list[tuple[Contribution, Meeting, Body, Outcome | None]]:
    """LXP points of ``of``'s workstream and programme dated before ``before``
    (within the window), not settled."""
    bodies = {
        b.id: b
        for b in session.exec(
            select(Body).where(Body.workstream == of.workstream, *same_programme(of))
        ).all()
    }
    meetings = {
        m.id: m
        for m in session.exec(
            select(Meeting).where(
                Meeting.is_current == True,  # noqa: E712
                Meeting.body_id.in_(list(bodies)),  # type: ignore[attr-defined]
                Meeting.date < before,
                Meeting.date >= (before - timedelta(days=window_days) if window_days else date.min),
            )
        ).all()
    }
    if not meetings:
        return []
    people = {p.id: p for p in session.exec(select(Person)).all()}
    rows = session.exec(
        select(Contribution, Outcome)
        .join(Outcome, Outcome.contribution_id == Contribution.id, isouter=True)
        .where(Contribution.meeting_id.in_(list(meetings)))  # type: ignore[attr-defined]
    ).all()
    out = []
    for c, outcome in rows:
        meeting = meetings[c.meeting_id]
        body = bodies[meeting.body_id]
        if not _is_lxp_input(c, body, people):
            continue
        if outcome is not None and (
            outcome.status == vocab.Outcome.NOT_TAKEN_FORWARD or outcome.basis == "confirmed"
        ):
            continue
        out.append((c, meeting, body, outcome))
    return out


def _uncertainty(candidates: list[Candidate], floor: float) -> float:
    """How far the best candidate is from the line between yes and no (0: on it):
    a calibrated confidence's distance from 0.5, else the score's from the floor."""
    if not candidates:
        return 1.0
    best = candidates[0]
    if best.confidence is not None:
        return abs(best.confidence - 0.5)
    return abs(best.score - floor)


def _confidence(link: Link) -> float | None:
    value = getattr(link, "confidence", None)
    return float(value) if value is not None else None


def check_page(*, session: Session, meeting_id: int, settings: Settings) -> CheckPage:
    """The open points of the meeting's workstream, with its best candidates for each."""
    meeting, body = _checkable(session, meeting_id)
    points = _open_points(session, body, meeting.date, settings.match_window_days)
    checked = set(
        session.exec(
            select(PointCheck.contribution_id).where(PointCheck.meeting_id == meeting.id)
        ).all()
    )
    points = [p for p in points if p[0].id not in checked]
    ids = [c.id for c, *_ in points]
    targets: dict[str, dict[int, Any]] = {}
    for kind, model in MODELS.items():
        targets[kind] = {
            r.id: r for r in session.exec(select(model).where(model.meeting_id == meeting.id)).all()
        }
    links: dict[int, list[Link]] = defaultdict(list)
    if ids:
        for link in session.exec(
            select(Link).where(
                Link.contribution_id.in_(ids),  # type: ignore[attr-defined]
                Link.status.in_(UNDECIDED),  # type: ignore[attr-defined]
            )
        ).all():
            if link.target_id in targets.get(link.target_type, {}):
                links[link.contribution_id].append(link)
    people = {p.id: p for p in session.exec(select(Person)).all()}
    # The one evidence service shows each candidate as a lead may see it.
    candidate_text = {
        t.link_id: t.text
        for traces in traces_of(
            session=session,
            links=[k for ks in links.values() for k in ks],
            audience=Audience.LEAD,
        ).values()
        for t in traces
    }
    floor = settings.match_threshold or DEFAULT_THRESHOLDS.get(settings.match_method, 0.2)
    out = []
    for c, m, b, outcome in points:
        best = sorted(
            links.get(c.id or 0, []),
            key=lambda k: (-(_confidence(k) or k.score), k.id),
        )[:3]
        candidates = [
            Candidate(
                link_id=k.id or 0,
                kind=KIND_WORDS[k.target_type],
                text=candidate_text.get(k.id or 0, ""),
                score=round(float(k.score), 2),
                status=k.status,
                confidence=_confidence(k),
            )
            for k in best
        ]
        point = OpenPoint(c, m, b, _said_by(c, people), outcome, candidates)
        point.uncertainty = _uncertainty(candidates, floor)
        shown = show(c, people, Audience.LEAD)
        if not shown.quoted:
            point.contribution = Contribution.model_validate(c.model_dump() | {"text": shown.text})
        out.append(point)
    # Uncertain ones first; points with no candidate at all last.
    out.sort(key=lambda p: (not p.candidates, p.uncertainty, p.meeting.date, p.contribution.id))
    return CheckPage(meeting, body, out)


def _record_check(session: Session, contribution_id: int, meeting_id: int, result: str, actor: str):
    row = session.exec(
        select(PointCheck).where(
            PointCheck.contribution_id == contribution_id, PointCheck.meeting_id == meeting_id
        )
    ).first()
    if row is None:
        row = PointCheck(
            contribution_id=contribution_id, meeting_id=meeting_id, result=result, checked_by=actor
        )
    row.result, row.checked_by, row.checked_at = result, actor, utcnow()
    session.add(row)


def _target_meeting(session: Session, link: Link) -> int | None:
    row = session.get(MODELS[link.target_type], link.target_id)
    return row.meeting_id if row is not None else None


def confirm_candidate(*, session: Session, meeting_id: int, link_id: int, actor: str) -> None:
    """The chair confirms that this record of the meeting takes the point up."""
    _checkable(session, meeting_id)
    link = session.get(Link, link_id)
    if link is None or _target_meeting(session, link) != meeting_id:
        raise NotFound(f"no candidate {link_id} from this meeting")
    _record_check(session, link.contribution_id, meeting_id, "linked", actor)
    confirm_link(session=session, link_id=link_id, actor=actor)


def none_of_these(*, session: Session, meeting_id: int, contribution_id: int, actor: str) -> int:
    """The chair found the point nowhere in this meeting: its candidates there are
    rejected and the point is checked for the meeting. Returns how many were rejected."""
    meeting, _ = _checkable(session, meeting_id)
    if session.get(Contribution, contribution_id) is None:
        raise NotFound(f"no point {contribution_id}")
    rejected = 0
    for link in session.exec(
        select(Link).where(
            Link.contribution_id == contribution_id,
            Link.status.in_(UNDECIDED),  # type: ignore[attr-defined]
        )
    ).all():
        if _target_meeting(session, link) == meeting.id:
            link.status, link.reason = "rejected", NONE_REASON
            link.decided_by, link.decided_at = actor, utcnow()
            session.add(link)
            rejected += 1
    _record_check(session, contribution_id, meeting_id, "none", actor)
    record_event(
        session,
        actor=actor,
        action="check.none",
        object_type="contribution",
        object_id=contribution_id,
        meeting_id=meeting_id,
        rejected=rejected,
    )
    session.flush()
    recompute_points(session, [contribution_id])
    session.commit()
    return rejected


@dataclass(frozen=True)
class Waiting:
    body: Body
    points: int  # open points with at least one meeting of this body not yet checked
    latest: Meeting | None  # the body's newest meeting with points waiting


def waiting_by_body(
    *, session: Session, settings: Settings, programmes: Scope = None
) -> list[Waiting]:
    """How many points wait for the chair's check, per governance or working body.

    A point waits for a body when a meeting of that body sits in its window
    (after it, within ``matcher.window_days``) and has not been checked for it.
    Named columns only, and a binary search per point: this runs on the dashboard.
    """
    window = settings.match_window_days
    bodies = {b.id: b for b in session.exec(scope_bodies(select(Body), programmes)).all()}
    people_lxp = set(
        session.exec(select(Person.id).where(Person.role == vocab.PersonRole.LXP)).all()
    )
    dated = session.exec(
        scope_meetings(
            select(Meeting.id, Meeting.date, Meeting.body_id).where(Meeting.is_current == True),  # noqa: E712
            programmes,
        )
    ).all()
    day_of = {mid: day for mid, day, _ in dated}
    by_body: dict[int, list[tuple[int, int]]] = defaultdict(list)  # body -> (ordinal, id)
    for mid, day, body_id in dated:
        if bodies[body_id].kind != vocab.BodyKind.CATCH_UP:
            by_body[body_id].append((day.toordinal(), mid))
    for rows in by_body.values():
        rows.sort()
    checked: dict[int, set[int]] = defaultdict(set)
    for cid, mid in session.exec(select(PointCheck.contribution_id, PointCheck.meeting_id)):
        checked[cid].add(mid)
    # (programme, workstream) -> (cid, ordinal): points never wait across programmes.
    points: dict[tuple[int | None, str], list[tuple[int, int]]] = defaultdict(list)
    query = (
        select(
            Contribution.id,
            Contribution.meeting_id,
            Contribution.speaker_person_id,
            Contribution.speaker_group,
            Outcome.status,
            Outcome.basis,
        )
        .join(Outcome, Outcome.contribution_id == Contribution.id)
        .where(
            Outcome.status != vocab.Outcome.NOT_TAKEN_FORWARD,
            Outcome.basis != "confirmed",
            Contribution.meeting_id.in_(list(day_of)),  # type: ignore[attr-defined]
        )
    )
    body_of = {mid: body_id for mid, _, body_id in dated}
    for cid, mid, speaker, group, _, _ in session.exec(query).all():
        body = bodies[body_of[mid]]
        if (
            body.kind == vocab.BodyKind.CATCH_UP
            or group == vocab.Group.LXP
            or speaker in people_lxp
        ):
            points[(body.programme_id, body.workstream)].append((cid, day_of[mid].toordinal()))
    from bisect import bisect_right

    out = []
    for body_id, rows in sorted(by_body.items(), key=lambda kv: bodies[kv[0]].name):
        body = bodies[body_id]
        days = [d for d, _ in rows]
        waiting, latest = 0, None
        for cid, day in points.get((body.programme_id, body.workstream), []):
            lo, hi = bisect_right(days, day), bisect_right(days, day + window)
            if lo == hi:
                continue  # no meeting of this body in the point's window
            done = checked.get(cid)
            if done:  # the few points a chair has checked somewhere: look closer
                unchecked = [mid for _, mid in rows[lo:hi] if mid not in done]
                if not unchecked:
                    continue
                last = unchecked[-1]
            else:
                last = rows[hi - 1][1]
            waiting += 1
            if latest is None or day_of[last] > day_of[latest]:
                latest = last
        meeting = session.get(Meeting, latest) if latest is not None else None
        out.append(Waiting(body, waiting, meeting))
    return out


# ------------------------------------------------------------ lost points


@dataclass
class Found:
    kind: str
    record_id: int
    kind_words: str
    text: str
    meeting: Meeting
    body: Body


def lost_point(session: Session, contribution_id: int) -> tuple[Contribution, Meeting, Body]:
    """The point, its meeting and body; NotFound unless it is current LXP input."""
    c = session.get(Contribution, contribution_id)
    outcome = session.get(Outcome, contribution_id)
    meeting = session.get(Meeting, c.meeting_id) if c is not None else None
    if c is None or outcome is None or meeting is None or not meeting.is_current:
        raise NotFound(f"no LXP point {contribution_id}")
    body = session.get(Body, meeting.body_id)
    assert body is not None
    return c, meeting, body


def mark_story(*, session: Session, contribution_id: int, actor: str) -> Contribution:
    """A chair marks a point as a personal story: quoted to nobody else from now on.

    Only the LXP who said it can unmark it (on their page): the LXP decides
    whether their story may be quoted.  Audited, without the words.
    """
    c, _, _ = lost_point(session, contribution_id)
    if not c.is_story:
        c.is_story = True
        session.add(c)
        record_event(
            session,
            actor=actor,
            action="story.change",
            object_type="contribution",
            object_id=contribution_id,
            before=False,
            after=True,
        )
        session.commit()
    return c


def search_later_records(
    *, session: Session, contribution_id: int, words: str, limit: int = 20
) -> list[Found]:
    """Later records of the point's workstream (governance or working) holding all the words."""
    _, meeting, body = lost_point(session, contribution_id)
    terms = [w for w in words.split() if len(w) > 1][:8]
    if not terms:
        raise BadInput("type a few words from the record you are looking for")
    bodies = {
        b.id: b
        for b in session.exec(
            select(Body).where(
                Body.workstream == body.workstream,
                Body.kind != vocab.BodyKind.CATCH_UP,
                *same_programme(body),
            )
        ).all()
    }
    later = {
        m.id: m
        for m in session.exec(
            select(Meeting).where(
                Meeting.is_current == True,  # noqa: E712
                Meeting.date > meeting.date,
                Meeting.body_id.in_(list(bodies)),  # type: ignore[attr-defined]
            )
        ).all()
    }
    out: list[Found] = []
    for kind, model in MODELS.items():
        column = model.title if kind == "agenda_item" else model.text
        query = select(model).where(model.meeting_id.in_(list(later)))
        for term in terms:
            query = query.where(column.ilike(f"%{term}%"))
        for row in session.exec(query.limit(limit)).all():
            if kind == "contribution" and not show(row, {}, Audience.LEAD).quoted:
                continue  # words that may not be quoted are not searchable either
            m = later[row.meeting_id]
            out.append(
                Found(kind, row.id, KIND_WORDS[kind], _text(row, kind), m, bodies[m.body_id])
            )
    out.sort(key=lambda f: (f.meeting.date, f.kind, f.record_id))
    return out[:limit]


def link_by_hand(
    *, session: Session, contribution_id: int, kind: str, record_id: int, actor: str
) -> Link:
    """A person links the point to a later record they found: a confirmed link."""
    _, meeting, body = lost_point(session, contribution_id)
    model = MODELS.get(kind)
    row = session.get(model, record_id) if model is not None else None
    target_meeting = session.get(Meeting, row.meeting_id) if row is not None else None
    target_body = session.get(Body, target_meeting.body_id) if target_meeting else None
    if (
        row is None
        or target_meeting is None
        or target_body is None
        or not target_meeting.is_current
        or target_meeting.date <= meeting.date
        or target_body.workstream != body.workstream
        or target_body.programme_id != body.programme_id
        or target_body.kind == vocab.BodyKind.CATCH_UP
    ):
        raise BadInput("choose a record of a later governance or working meeting of its workstream")
    link = session.exec(
        select(Link).where(
            Link.contribution_id == contribution_id,
            Link.target_type == kind,
            Link.target_id == record_id,
        )
    ).first()
    if link is None:
        link = Link(
            contribution_id=contribution_id,
            target_type=kind,
            target_id=record_id,
            target_text=_text(row, kind),
            method="by hand",
        )
    link.status, link.reason = "confirmed", None
    link.decided_by, link.decided_at = actor, utcnow()
    session.add(link)
    _record_check(session, contribution_id, target_meeting.id or 0, "linked", actor)
    record_event(
        session,
        actor=actor,
        action="link.by-hand",
        object_type="contribution",
        object_id=contribution_id,
        target_type=kind,
        target_id=record_id,
    )
    session.flush()
    recompute_points(session, [contribution_id])
    session.commit()
    return link


def governance_bodies(session: Session, contribution_id: int) -> list[Body]:
    """The governance bodies of the point's workstream (where it can be put on the agenda)."""
    _, _, body = lost_point(session, contribution_id)
    return list(
        session.exec(
            select(Body)
            .where(
                Body.workstream == body.workstream,
                Body.kind == vocab.BodyKind.GOVERNANCE,
                *same_programme(body),
            )
            .order_by(Body.name)
        ).all()
    )


def lxps_who_raised(session: Session, contribution_id: int) -> list[Person]:
    """The LXP who said the point, or for the LXP group the LXPs present at that meeting."""
    c, meeting, _ = lost_point(session, contribution_id)
    if c.speaker_person_id is not None:
        person = session.get(Person, c.speaker_person_id)
        return [person] if person is not None and person.role == vocab.PersonRole.LXP else []
    return list(
        session.exec(
            select(Person)
            .join(Attendee, Attendee.person_id == Person.id)
            .where(
                Attendee.meeting_id == meeting.id,
                Attendee.status != "apologies",
                Person.role == vocab.PersonRole.LXP,
                Person.erased_at == None,  # noqa: E711
            )
            .order_by(Person.name)
        ).all()
    )


def request_agenda_item(
    *, session: Session, contribution_id: int, body_id: int, actor: str, invite_lxps: bool = True
) -> AgendaRequest:
    """Ask for the point to go on the next agenda of a governance body."""
    lost_point(session, contribution_id)
    if body_id not in {b.id for b in governance_bodies(session, contribution_id)}:
        raise BadInput("choose a governance body of the point's workstream")
    open_one = session.exec(
        select(AgendaRequest).where(
            AgendaRequest.contribution_id == contribution_id,
            AgendaRequest.body_id == body_id,
            AgendaRequest.status == "open",
        )
    ).first()
    if open_one is not None:
        return open_one
    row = AgendaRequest(
        contribution_id=contribution_id,
        body_id=body_id,
        lxps_invited=invite_lxps,
        requested_by=actor,
    )
    session.add(row)
    record_event(
        session,
        actor=actor,
        action="agenda.request",
        object_type="contribution",
        object_id=contribution_id,
        body_id=body_id,
    )
    session.commit()
    return row


@dataclass(frozen=True)
class RequestView:
    request: AgendaRequest
    body: Body
    point_text: str
    point_date: date
    taken_up: Meeting | None


def agenda_requests(*, session: Session, programmes: Scope = None) -> list[RequestView]:
    """Every agenda request (for bodies of the given programmes), open ones first."""
    out = []
    for req in session.exec(select(AgendaRequest).order_by(AgendaRequest.id)).all():
        c = session.get(Contribution, req.contribution_id)
        meeting = session.get(Meeting, c.meeting_id) if c is not None else None
        body = session.get(Body, req.body_id)
        if c is None or meeting is None or body is None:
            continue
        if programmes is not None and body.programme_id not in programmes:
            continue
        text = show(c, {}, Audience.LEAD).text
        taken = session.get(Meeting, req.taken_up_meeting_id) if req.taken_up_meeting_id else None
        out.append(RequestView(req, body, text, meeting.date, taken))
    out.sort(key=lambda r: (r.request.status != "open", -(r.request.id or 0)))
    return out


def recent_meetings(
    session: Session, limit: int = 20, programmes: Scope = None
) -> tuple[list[Meeting], dict[int, Body]]:
    """The latest meetings a chair may check (no catch-ups, only the given
    programmes), and those programmes' bodies by id."""
    bodies = {b.id: b for b in session.exec(scope_bodies(select(Body), programmes)).all()}
    recent = [
        m
        for m in session.exec(
            scope_meetings(select(Meeting).where(Meeting.is_current == True), programmes)  # noqa: E712
            .order_by(Meeting.date.desc(), Meeting.id.desc())  # type: ignore[attr-defined]
            .limit(limit * 3)
        ).all()
        if bodies[m.body_id].kind != BodyKind.CATCH_UP
    ][:limit]
    return recent, bodies  # type: ignore[return-value]


def point_outcome(session: Session, contribution_id: int) -> Outcome | None:
    """The stored outcome of one LXP point."""
    return session.get(Outcome, contribution_id)
