"""Store parsed minutes as meetings: idempotent, all or nothing."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, func, select

from parsers import ParsedMinutes, ParsedSpeaker
from parsers.names import RosterName, resolve_name
from tracker.db import begin_write
from tracker.errors import BadInput, NotFound
from tracker.models import (
    Action,
    ActionOwner,
    AgendaItem,
    Attendee,
    Body,
    Contribution,
    Decision,
    Meeting,
    Person,
)
from tracker.services import refresh
from tracker.services.audit import record_event
from tracker.services.linking import carry_links_forward
from tracker.services.people import find_body, roster_names
from tracker.services.scope import Scope, check_body, scope_bodies


@dataclass(frozen=True)
class ImportResult:
    """What happened to one file."""

    filename: str
    meeting_id: int
    created: bool  # False when the same bytes were already stored
    items: int = 0
    contributions: int = 0
    actions: int = 0
    decisions: int = 0
    unattributed: int = 0
    version: int = 1
    warnings: tuple[str, ...] = ()
    identical_to: int | None = None  # the version whose text a re-saved file repeats

    def summary(self) -> str:
        """One line for the command line."""
        if self.identical_to is not None:
            return (
                f"{self.filename}: unchanged (its text is identical to meeting "
                f"{self.meeting_id} version {self.identical_to}; nothing stored)"
            )
        if not self.created:
            return f"{self.filename}: unchanged (already imported as meeting {self.meeting_id})"
        version = f", version {self.version}" if self.version > 1 else ""
        counts = ", ".join(
            f"{n} {word if n == 1 else word + 's'}"
            for n, word in (
                (self.items, "item"),
                (self.contributions, "contribution"),
                (self.actions, "action"),
                (self.decisions, "decision"),
            )
        )
        head = f"{self.filename}: meeting {self.meeting_id}{version}"
        return f"{head}: {counts}, {self.unattributed} unattributed"


def _same_text(stored: str, parsed: str) -> bool:
    return bool(stored.strip()) and " ".join(stored.split()) == " ".join(parsed.split())


def sha256_of(data: bytes) -> str:
    """Return the hex SHA-256 of a document."""
    return hashlib.sha256(data).hexdigest()


class _Resolver:
    """Resolve names as written to roster people for one meeting."""

    def __init__(self, roster: Sequence[RosterName], attendees: Sequence[str]) -> None:
        self.roster = roster
        self.attendees = tuple(attendees)
        self._cache: dict[str, int | None] = {}

    def person_id(self, as_written: str | None) -> int | None:
        if not as_written:
            return None
        if as_written not in self._cache:
            found = resolve_name(as_written, self.roster, self.attendees)
            self._cache[as_written] = int(found.key) if found is not None else None
        return self._cache[as_written]

    def speaker(self, speaker: ParsedSpeaker | None) -> tuple[int | None, str | None, str | None]:
        """Return (person id, group, as written) for a parsed speaker."""
        if speaker is None:
            return None, None, None
        if speaker.group:
            return None, speaker.group, speaker.as_written or None
        return self.person_id(speaker.as_written), None, speaker.as_written or None


def store_minutes(
    *,
    session: Session,
    parsed: ParsedMinutes,
    data: bytes,
    filename: str,
    body_name: str | None = None,
    actor: str = "cli",
    keep_original: bool = True,
    corrected: bool = False,
) -> ImportResult:
    """Store one parsed document as a meeting (or a new version of one) and commit.

    ``corrected``: a person changed the records on the review screen, so a
    file whose text repeats the current version still makes a new version.
    """
    digest = sha256_of(data)
    if parsed.date is None:
        raise BadInput(f"{filename}: we could not find the meeting date")
    # One short write transaction, taken before reading what it depends on:
    # two versions of one meeting stored at once queue here (SQLite: the
    # write lock; PostgreSQL: the body's row), so the second sees the first.
    begin_write(session)
    body = find_body(
        session,
        title=parsed.title,
        name=body_name,
        heading_lines=parsed.heading_lines,
        filename=filename,
    )
    session.exec(select(Body.id).where(Body.id == body.id).with_for_update()).first()
    existing = session.exec(select(Meeting).where(Meeting.sha256 == digest)).first()
    if existing is not None:
        found = existing.id or 0
        session.rollback()
        return ImportResult(filename, found, created=False)
    previous = session.exec(
        select(Meeting).where(
            Meeting.body_id == body.id,
            Meeting.date == parsed.date,
            Meeting.is_current == True,  # noqa: E712
        )
    ).first()
    if previous is not None and not corrected and _same_text(previous.text, parsed.text):
        # Re-saved in Word: new bytes, same minutes.  Not a new version.
        found, version = previous.id or 0, previous.version
        session.rollback()
        return ImportResult(filename, found, created=False, identical_to=version)
    roster = roster_names(session)
    resolver = _Resolver(roster, [a.as_written for a in parsed.attendees])
    meeting = Meeting(
        body_id=body.id or 0,
        title=parsed.title or filename,
        date=parsed.date,
        source_filename=filename,
        sha256=digest,
        original=data if keep_original else None,
        text=parsed.text,
        warnings=list(parsed.warnings),
        imported_by=actor,
    )
    if previous is not None:
        previous.is_current = False
        meeting.version = previous.version + 1
        meeting.supersedes_id = previous.id
        session.add(previous)
    session.add(meeting)
    session.flush()
    for attendee in parsed.attendees:
        session.add(
            Attendee(
                meeting_id=meeting.id or 0,
                person_id=resolver.person_id(attendee.as_written),
                as_written=attendee.as_written,
                status=attendee.status,
                role=attendee.role,
            )
        )
    item_ids: list[int] = []
    for position, item in enumerate(parsed.items):
        person, group, written = resolver.speaker(item.lead)
        row = AgendaItem(
            meeting_id=meeting.id or 0,
            position=position,
            number=item.number,
            title=item.title,
            lead_person_id=person,
            lead_group=group,
            lead_as_written=written,
        )
        session.add(row)
        session.flush()
        item_ids.append(row.id or 0)

    def item_id(index: int | None) -> int | None:
        return item_ids[index] if index is not None and 0 <= index < len(item_ids) else None

    unattributed = 0
    for position, contribution in enumerate(parsed.contributions):
        person, group, written = resolver.speaker(contribution.speaker)
        unattributed += person is None and group is None and not written
        session.add(
            Contribution(
                meeting_id=meeting.id or 0,
                agenda_item_id=item_id(contribution.item),
                position=position,
                text=contribution.text,
                speaker_person_id=person,
                speaker_group=group,
                speaker_as_written=written,
            )
        )
    for position, action in enumerate(parsed.actions):
        row = Action(
            meeting_id=meeting.id or 0,
            agenda_item_id=item_id(action.item),
            position=position,
            text=action.text,
            due=action.due,
            status=action.status,
        )
        session.add(row)
        session.flush()
        for owner in action.owners:
            person, group, written = resolver.speaker(owner)
            session.add(
                ActionOwner(
                    action_id=row.id or 0, person_id=person, group=group, as_written=written
                )
            )
    for position, decision in enumerate(parsed.decisions):
        session.add(
            Decision(
                meeting_id=meeting.id or 0,
                agenda_item_id=item_id(decision.item),
                position=position,
                text=decision.text,
            )
        )
    session.flush()
    if previous is not None:
        carry_links_forward(
            session=session, old_meeting_id=previous.id or 0, new_meeting_id=meeting.id or 0
        )
    record_event(
        session,
        actor=actor,
        action="meeting.import",
        object_type="meeting",
        object_id=meeting.id or 0,
        filename=filename,
        sha256=digest,
        version=meeting.version,
    )
    refresh.after_meeting_stored(session, meeting.id or 0)
    session.commit()
    return ImportResult(
        filename,
        meeting.id or 0,
        created=True,
        items=len(parsed.items),
        contributions=len(parsed.contributions),
        actions=len(parsed.actions),
        decisions=len(parsed.decisions),
        unattributed=unattributed,
        version=meeting.version,
        warnings=parsed.warnings,
    )


@dataclass(frozen=True)
class StoredMeetings:
    """The chair's list of stored minutes."""

    meetings: list[tuple[Meeting, Body]]
    counts: dict[int, int]  # contributions per meeting
    unattributed: dict[int, int]  # contributions with no speaker at all


def stored_meetings(session: Session, programmes: Scope = None) -> StoredMeetings:
    """Current meetings (of the given programmes), newest first, with their contribution counts."""
    meetings = session.exec(
        scope_bodies(
            select(Meeting, Body)
            .join(Body, Meeting.body_id == Body.id)  # type: ignore[arg-type]
            .where(Meeting.is_current == True),  # noqa: E712
            programmes,
        ).order_by(Meeting.date.desc(), Meeting.id.desc())  # type: ignore[attr-defined, union-attr]
    ).all()
    counts = dict(
        session.exec(
            select(Contribution.meeting_id, func.count()).group_by(Contribution.meeting_id)
        ).all()
    )
    unattributed = dict(
        session.exec(
            select(Contribution.meeting_id, func.count())
            .where(
                Contribution.speaker_person_id.is_(None),  # type: ignore[union-attr]
                Contribution.speaker_group.is_(None),  # type: ignore[union-attr]
                Contribution.speaker_as_written.is_(None),  # type: ignore[union-attr]
            )
            .group_by(Contribution.meeting_id)
        ).all()
    )
    return StoredMeetings(list(meetings), counts, unattributed)  # type: ignore[arg-type]


def meeting_detail(
    session: Session, *, meeting_id: int, actor: str, programmes: Scope = None
) -> dict[str, Any]:
    """One stored meeting and all its records, for the page; the view is audited.

    A meeting of a programme outside ``programmes`` is not found."""
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound("no such meeting")
    try:
        check_body(session.get(Body, meeting.body_id), programmes)
    except NotFound:
        raise NotFound("no such meeting") from None
    people = {p.id: p for p in session.exec(select(Person)).all()}

    def rows(model: Any) -> list[Any]:
        return list(
            session.exec(
                select(model).where(model.meeting_id == meeting_id).order_by(model.position)
            ).all()
        )

    actions = rows(Action)
    owners: dict[int, list[ActionOwner]] = {}
    for action in actions:
        owners[action.id] = list(
            session.exec(select(ActionOwner).where(ActionOwner.action_id == action.id)).all()
        )
    attendees = list(session.exec(select(Attendee).where(Attendee.meeting_id == meeting_id)))
    record_event(
        session, actor=actor, action="meeting.view", object_type="meeting", object_id=meeting_id
    )
    session.commit()
    return {
        "meeting": meeting,
        "body": session.get(Body, meeting.body_id),
        "people": people,
        "attendees": attendees,
        "items": {i.id: i for i in rows(AgendaItem)},
        "contributions": rows(Contribution),
        "actions": actions,
        "owners": owners,
        "decisions": rows(Decision),
    }
