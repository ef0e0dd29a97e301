"""An LXP's own record: contributions and outcomes, flags, consent, digest choices.

Every query here is scoped to one person: an LXP asking for anyone else's
contribution gets NotFound, never someone else's words.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.orm import defer
from sqlmodel import Session, select

from tracker.domain import vocab
from tracker.domain.disclosure import Audience
from tracker.domain.vocab import COUNTING_STATUSES
from tracker.errors import BadInput, NotFound
from tracker.models import (
    Attendee,
    Body,
    Contribution,
    Flag,
    Link,
    Meeting,
    Outcome,
    Person,
    utcnow,
)
from tracker.services.audit import record_event
from tracker.services.evidence import traces_of

CONSENTS = {
    "quote-named": "Quote me with my name",
    "quote-anonymous": "Quote me without my name",
    "count-only": "Do not quote me; only count this point",
}
FREQUENCIES = vocab.FREQUENCIES
FLAG_KINDS = {
    "not-what-i-said": "This is not what I said",
    "missing": "I said something that is missing",
}
KIND_WORDS = {kind: vocab.record_words(kind) for kind in vocab.RECORD_KINDS}


@dataclass
class Evidence:
    """A later record that traces an LXP point."""

    link_id: int
    status: str  # suggested | confirmed
    kind: str
    text: str
    meeting_title: str
    body_name: str
    when: date | None
    quoted: bool = True  # False: a placeholder stands for another person's words


@dataclass
class MyContribution:
    contribution: Contribution
    meeting: Meeting
    body: Body
    outcome: Outcome | None
    evidence: list[Evidence] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)


def _own(session: Session, person_id: int, contribution_id: int) -> Contribution:
    row = session.get(Contribution, contribution_id)
    if row is None or row.speaker_person_id != person_id:
        raise NotFound("no such contribution")
    return row


def my_contributions(*, session: Session, person_id: int) -> list[MyContribution]:
    """Everything this person said in current minutes, newest meeting first."""
    rows = session.exec(
        select(Contribution, Meeting, Body)
        .join(Meeting, Contribution.meeting_id == Meeting.id)  # type: ignore[arg-type]
        .join(Body, Meeting.body_id == Body.id)  # type: ignore[arg-type]
        .where(Contribution.speaker_person_id == person_id, Meeting.is_current == True)  # noqa: E712
        .order_by(Meeting.date.desc(), Contribution.position)  # type: ignore[attr-defined]
        # The page never shows the document itself: leave the .docx and its text unread.
        .options(defer(Meeting.original), defer(Meeting.text))  # type: ignore[arg-type]
    ).all()
    ids = [c.id for c, _, _ in rows]
    outcomes = {
        o.contribution_id: o
        for o in session.exec(select(Outcome).where(Outcome.contribution_id.in_(ids))).all()  # type: ignore[attr-defined]
    }
    links = session.exec(
        # Candidates (for the chair's check) count toward nothing and are not shown.
        select(Link).where(
            Link.contribution_id.in_(ids),  # type: ignore[attr-defined]
            Link.status.in_(COUNTING_STATUSES),  # type: ignore[attr-defined]
        )
    ).all()
    flags: dict[int, list[Flag]] = defaultdict(list)
    for flag in session.exec(select(Flag).where(Flag.person_id == person_id)).all():
        if flag.contribution_id is not None:
            flags[flag.contribution_id].append(flag)
    evidence: dict[int, list[Evidence]] = defaultdict(list)
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
            flags.get(c.id or 0, []),
        )
        for c, m, b in rows
    ]


def _evidence_of(session: Session, links: list[Link], viewer: int) -> list[Evidence]:
    """The records the links point at, as this LXP may see them (one rule, batched).

    Another person's words that they asked not to be quoted, or a personal
    story, are never shown: only that a discussion took place.
    """
    found = {
        t.link_id: t
        for traces in traces_of(
            session=session, links=links, audience=Audience.OTHER_LXP, viewer_person_id=viewer
        ).values()
        for t in traces
    }
    out = []
    for link in links:
        t = found.get(link.id or 0)
        out.append(
            Evidence(
                link_id=link.id or 0,
                status=link.status,
                kind=KIND_WORDS.get(link.target_type, link.target_type),
                text=t.text if t else "",
                meeting_title=t.meeting_title if t else "",
                body_name=t.body_name if t else "",
                when=t.when if t else None,
                quoted=t.quoted if t else False,
            )
        )
    return out


def my_contribution(*, session: Session, person_id: int, contribution_id: int) -> MyContribution:
    """One of this person's contributions, or NotFound."""
    _own(session, person_id, contribution_id)
    for mine in my_contributions(session=session, person_id=person_id):
        if mine.contribution.id == contribution_id:
            return mine
    raise NotFound("no such contribution")


def set_consent(
    *, session: Session, person_id: int, contribution_id: int, consent: str, actor: str
) -> Contribution:
    """Record how this person's point may be quoted; applies from the next digest."""
    if consent not in CONSENTS:
        raise BadInput("choose one of the three options")
    row = _own(session, person_id, contribution_id)
    before = row.consent
    row.consent = consent
    session.add(row)
    record_event(
        session,
        actor=actor,
        action="consent.change",
        object_type="contribution",
        object_id=contribution_id,
        before=before,
        after=consent,
    )
    session.commit()
    return row


STORY_CHOICES = {
    "no": "This is not a personal story",
    "yes": "This is a personal story: do not quote it to anyone else",
}


def set_story(
    *, session: Session, person_id: int, contribution_id: int, story: str, actor: str
) -> Contribution:
    """Mark (or unmark) this person's own point as a personal story; audited, no text."""
    if story not in STORY_CHOICES:
        raise BadInput("choose whether this is a personal story")
    row = _own(session, person_id, contribution_id)
    before = row.is_story
    row.is_story = story == "yes"
    session.add(row)
    record_event(
        session,
        actor=actor,
        action="story.change",
        object_type="contribution",
        object_id=contribution_id,
        before=before,
        after=row.is_story,
    )
    session.commit()
    return row


def set_digest_preferences(
    *,
    session: Session,
    person_id: int,
    frequency: str,
    positive: bool,
    critical: bool,
    plain_text: bool,
    actor: str,
) -> Person:
    """Save how often, and with what, this person's digest comes."""
    if frequency not in FREQUENCIES:
        raise BadInput("choose weekly, fortnightly, monthly or never")
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound("no such person")
    person.digest_frequency = frequency
    person.digest_positive, person.digest_critical = positive, critical
    person.digest_plain_text = plain_text
    session.add(person)
    record_event(
        session,
        actor=actor,
        action="digest.preferences",
        object_type="person",
        object_id=person_id,
        frequency=frequency,
        positive=positive,
        critical=critical,
        plain_text=plain_text,
    )
    session.commit()
    return person


def my_meetings(*, session: Session, person_id: int) -> list[tuple[Meeting, Body]]:
    """Current meetings this person attended or spoke at, newest first."""
    attended = {
        a.meeting_id for a in session.exec(select(Attendee).where(Attendee.person_id == person_id))
    }
    spoke = {
        c.meeting_id
        for c in session.exec(
            select(Contribution).where(Contribution.speaker_person_id == person_id)
        )
    }
    ids = attended | spoke
    if not ids:
        return []
    rows = session.exec(
        select(Meeting, Body)
        .join(Body, Meeting.body_id == Body.id)  # type: ignore[arg-type]
        .where(Meeting.id.in_(ids), Meeting.is_current == True)  # type: ignore[union-attr]  # noqa: E712
        .order_by(Meeting.date.desc())  # type: ignore[attr-defined]
    ).all()
    return list(rows)


def raise_flag(
    *,
    session: Session,
    person_id: int,
    kind: str,
    message: str,
    actor: str,
    contribution_id: int | None = None,
    meeting_id: int | None = None,
) -> Flag:
    """Record an LXP's challenge to the record; it lands in the chair's queue."""
    if kind not in FLAG_KINDS:
        raise BadInput("choose what is wrong")
    message = message.strip()
    if not message:
        raise BadInput("say in a few words what is wrong or missing")
    if len(message) > 4000:
        raise BadInput("please keep the message under 4,000 characters")
    if kind == "not-what-i-said":
        if contribution_id is None:
            raise BadInput("choose which point is wrong")
        meeting_id = _own(session, person_id, contribution_id).meeting_id
    else:
        allowed = {m.id for m, _ in my_meetings(session=session, person_id=person_id)}
        if meeting_id is None or meeting_id not in allowed:
            raise BadInput("choose the meeting where you said it")
        contribution_id = None
    flag = Flag(
        person_id=person_id,
        contribution_id=contribution_id,
        meeting_id=meeting_id,
        kind=kind,
        message=message,
    )
    session.add(flag)
    session.flush()
    record_event(
        session, actor=actor, action="flag.raise", object_type="flag", object_id=flag.id or 0
    )
    session.commit()
    return flag


def my_flags(*, session: Session, person_id: int) -> list[Flag]:
    """This person's flags, newest first."""
    return list(
        session.exec(
            select(Flag).where(Flag.person_id == person_id).order_by(Flag.created_at.desc())  # type: ignore[attr-defined]
        ).all()
    )


@dataclass
class FlagView:
    flag: Flag
    person: Person | None
    meeting: Meeting | None
    body: Body | None
    contribution: Contribution | None


def flag_queue(*, session: Session, actor: str, include_answered: bool = False) -> list[FlagView]:
    """Flags for chairs to answer (open first); viewing them is audited."""
    query = select(Flag).order_by(Flag.status.desc(), Flag.created_at)  # type: ignore[attr-defined]
    if not include_answered:
        query = query.where(Flag.status == "open")
    out = []
    for flag in session.exec(query).all():
        meeting = session.get(Meeting, flag.meeting_id) if flag.meeting_id else None
        out.append(
            FlagView(
                flag,
                session.get(Person, flag.person_id),
                meeting,
                session.get(Body, meeting.body_id) if meeting else None,
                session.get(Contribution, flag.contribution_id) if flag.contribution_id else None,
            )
        )
    record_event(session, actor=actor, action="flags.view", count=len(out))
    session.commit()
    return out


def answer_flag(*, session: Session, flag_id: int, answer: str, actor: str) -> Flag:
    """Record the chair's answer; the LXP sees it beside their flag."""
    flag = session.get(Flag, flag_id)
    if flag is None:
        raise NotFound("no such flag")
    answer = answer.strip()
    if not answer:
        raise BadInput("write an answer for the LXP")
    flag.answer, flag.status = answer[:4000], "answered"
    flag.answered_by, flag.answered_at = actor, utcnow()
    session.add(flag)
    record_event(session, actor=actor, action="flag.answer", object_type="flag", object_id=flag_id)
    session.commit()
    return flag
