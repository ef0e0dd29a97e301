"""Database tables (SQLModel). Vocabulary from DESIGN.md.

Speakers, leads and owners that could not be resolved to a Person keep the
name as written (``*_as_written``); collectives keep their group.  Enumerated
values are stored as short strings checked by the services, which keeps the
migrations simple on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, LargeBinary, UniqueConstraint, event, text
from sqlalchemy.orm import Session
from sqlmodel import Field, SQLModel

from tracker import clock
from tracker.domain.vocab import Frequency, RecordKind


def utcnow() -> datetime:
    """Return the current time in UTC, timezone-aware (SQLModel's UTCDateTime needs it)."""
    return clock.now()


class Programme(SQLModel, table=True):
    """A co-production programme: bodies and people belong to one; leads and
    chairs see only the programmes they are given (tracker.services.scope)."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)


#: Name of the programme that existing rows join when programmes are introduced.
DEFAULT_PROGRAMME = "Default programme"


class Person(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    programme_id: int | None = Field(default=None, foreign_key="programme.id", index=True)
    name: str = Field(index=True)
    aliases: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    role: str = "staff"  # lxp | staff
    email: str | None = Field(default=None, unique=True)
    # Voluntary self-description (never inferred), used only in suppressed aggregates.
    self_described_group: str | None = None
    digest_frequency: str = Frequency.WEEKLY.value  # tracker.domain.vocab.FREQUENCIES
    digest_positive: bool = True
    digest_critical: bool = True
    digest_plain_text: bool = False
    digest_token_version: int = 1
    erased_at: datetime | None = None


class Body(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    kind: str  # catch-up | governance | working
    workstream: str = Field(index=True)
    programme_id: int | None = Field(default=None, foreign_key="programme.id", index=True)
    patterns: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))


class Meeting(SQLModel, table=True):
    __table_args__ = (
        Index("ix_meeting_body_date", "body_id", "date"),
        # Current minutes newest first: the lost and uncredited lists stop after one page.
        Index("ix_meeting_current_date", "is_current", "date"),
        # One current version per meeting: two corrected versions stored at
        # the same moment cannot both stay current (the second one fails).
        Index(
            "uq_meeting_one_current",
            "body_id",
            "date",
            unique=True,
            sqlite_where=text("is_current"),
            postgresql_where=text("is_current"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    body_id: int = Field(foreign_key="body.id")
    title: str
    date: date
    source_filename: str
    sha256: str = Field(unique=True)
    original: bytes | None = Field(default=None, sa_column=Column(LargeBinary))
    text: str = ""  # plain text of the document, for the review screen
    warnings: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    version: int = 1
    supersedes_id: int | None = Field(default=None, foreign_key="meeting.id")
    is_current: bool = True
    imported_at: datetime = Field(default_factory=utcnow)
    imported_by: str = "cli"


class Attendee(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    person_id: int | None = Field(default=None, foreign_key="person.id")
    as_written: str
    status: str  # present | in-attendance | apologies
    role: str | None = None


class AgendaItem(SQLModel, table=True):
    # Covers the dashboard's count of LXP-led items per meeting.
    __table_args__ = (
        Index("ix_agendaitem_meeting_lead", "meeting_id", "lead_person_id", "lead_group"),
    )

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    position: int = 0
    number: str = ""
    title: str
    lead_person_id: int | None = Field(default=None, foreign_key="person.id")
    lead_group: str | None = None
    lead_as_written: str | None = None


class Contribution(SQLModel, table=True):
    __table_args__ = (
        Index("ix_contribution_speaker", "speaker_person_id", "meeting_id"),
        # Covers the dashboard's attribution count per meeting (no table reads).
        Index(
            "ix_contribution_meeting_speaker", "meeting_id", "speaker_person_id", "speaker_group"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    agenda_item_id: int | None = Field(default=None, foreign_key="agendaitem.id")
    position: int = 0
    text: str
    speaker_person_id: int | None = Field(default=None, foreign_key="person.id")
    speaker_group: str | None = None
    speaker_as_written: str | None = None
    # quote-named | quote-anonymous | count-only, set by the LXP who said it.
    consent: str = "quote-named"
    is_story: bool = False


class Action(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    agenda_item_id: int | None = Field(default=None, foreign_key="agendaitem.id")
    position: int = 0
    text: str
    due: date | None = None
    status: str | None = None


class ActionOwner(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    action_id: int = Field(foreign_key="action.id", index=True)
    person_id: int | None = Field(default=None, foreign_key="person.id")
    group: str | None = None
    as_written: str | None = None


class Decision(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    agenda_item_id: int | None = Field(default=None, foreign_key="agendaitem.id")
    position: int = 0
    text: str


class Link(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("contribution_id", "target_type", "target_id"),
        Index("ix_link_target", "target_type", "target_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    contribution_id: int = Field(foreign_key="contribution.id", index=True)
    target_type: str  # agenda_item | contribution | action | decision
    target_id: int
    # Snapshot of the target's text, so a confirmed link can follow it to a
    # corrected version of the minutes.
    target_text: str = ""
    score: float = 0.0
    # Calibrated probability that the link is right (None: set by a person
    # or before confidences existed).
    confidence: float | None = None
    method: str = ""
    why: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # suggested | candidate (shown for a check, counts toward nothing) |
    # confirmed | rejected
    status: str = "suggested"
    needs_reconfirmation: bool = False
    reason: str | None = None
    decided_by: str | None = None
    decided_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)


class Outcome(SQLModel, table=True):
    # Lost and uncredited lists start from the outcome.
    __table_args__ = (Index("ix_outcome_status", "status", "credited"),)

    contribution_id: int = Field(foreign_key="contribution.id", primary_key=True)
    status: str  # acted | heard | lost | awaiting | not-taken-forward
    credited: bool = False
    days_to_first_trace: int | None = None
    # confirmed: a person stands behind it; suggested: the matcher's alone.
    basis: str = "suggested"
    reason: str | None = None  # why not taken forward, fed back to the LXP
    set_by: str | None = None
    set_at: datetime | None = None
    computed_at: datetime = Field(default_factory=utcnow)


class RefreshJob(SQLModel, table=True):
    """A pending "keep outcomes current" job (services/refresh.py).

    Written in the same transaction as the change that needs it, so a change
    is never stored without its refresh; deleted once the refresh commits.
    """

    id: int | None = Field(default=None, primary_key=True)
    kind: str  # workstream | contribution | all
    key: str = ""  # the workstream name or contribution id
    created_at: datetime = Field(default_factory=utcnow)
    attempts: int = 0
    last_error: str | None = None


class StagedUpload(SQLModel, table=True):
    """An upload waiting for its chair's review (services/review.py).

    Kept in the database, not on one host's disk, so it can be uploaded on
    one web host and reviewed and saved on another.  ``state`` holds the
    parsed minutes and the chair's edits as JSON; it is empty while the
    upload is still being read (``status`` ``reading``).
    """

    token: str = Field(primary_key=True)
    user_id: int = Field(index=True)
    filename: str
    body_name: str | None = None
    status: str = "ready"  # reading | ready | failed
    error: str | None = None  # the one-line reason a read failed
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    state: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)


class Job(SQLModel, table=True):
    """One piece of background work (services/jobs.py): claimed by one worker only.

    ``(kind, key)`` is unique, so the one scheduler can queue "the digest
    round of week W" or "retention on day D" any number of times and it is
    done once.
    """

    __table_args__ = (UniqueConstraint("kind", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str  # parse | digest-round | retention | drain
    key: str = ""
    status: str = Field(default="queued", index=True)  # queued | running | done | failed
    attempts: int = 0
    run_after: datetime = Field(default_factory=utcnow)
    lease_until: datetime | None = None
    worker: str | None = None
    last_error: str | None = None  # an exception's type name, never its message
    created_at: datetime = Field(default_factory=utcnow)
    finished_at: datetime | None = None


class CachedVector(SQLModel, table=True):
    """One sentence vector of the optional semantic matcher, by the SHA-256 of its text."""

    key: str = Field(primary_key=True)
    vector: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class PointCheck(SQLModel, table=True):
    """The chair's check of one LXP point against one later meeting."""

    __table_args__ = (UniqueConstraint("contribution_id", "meeting_id"),)

    id: int | None = Field(default=None, primary_key=True)
    contribution_id: int = Field(foreign_key="contribution.id", index=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    result: str  # linked | none
    checked_by: str
    checked_at: datetime = Field(default_factory=utcnow)


class AgendaRequest(SQLModel, table=True):
    """A request that a lost point goes on the next agenda of a governance body."""

    id: int | None = Field(default=None, primary_key=True)
    contribution_id: int = Field(foreign_key="contribution.id", index=True)
    body_id: int = Field(foreign_key="body.id", index=True)
    lxps_invited: bool = True  # the LXPs who raised it are invited to lead the item
    status: str = "open"  # open | taken-up
    taken_up_meeting_id: int | None = Field(default=None, foreign_key="meeting.id")
    requested_by: str
    requested_at: datetime = Field(default_factory=utcnow)


class AuditEvent(SQLModel, table=True):
    """Append-only trail of who did what. Never holds contribution text."""

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    actor: str
    action: str
    object_type: str = ""
    object_id: str = ""
    detail: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class User(SQLModel, table=True):
    """A sign-in. LXP users are tied to their Person."""

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(unique=True)
    password_hash: str
    role: str  # chair | lxp | lead | admin
    person_id: int | None = Field(default=None, foreign_key="person.id")
    session_version: int = 1
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow)
    # Two-step sign-in (leads and admins): the base32 TOTP key, and the last
    # 30-second time step whose code was accepted (a code is never taken twice).
    totp_secret: str | None = None
    totp_last_step: int | None = None
    # Single sign-on: "issuer|object id" of the person at the identity provider.
    oidc_subject: str | None = Field(default=None, unique=True)


class UserProgramme(SQLModel, table=True):
    """A sign-in's programmes (admins see every programme whatever is here)."""

    user_id: int = Field(foreign_key="user.id", primary_key=True)
    programme_id: int = Field(foreign_key="programme.id", primary_key=True)


class Flag(SQLModel, table=True):
    """An LXP's challenge to the record, answered by the chair."""

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    contribution_id: int | None = Field(default=None, foreign_key="contribution.id")
    meeting_id: int | None = Field(default=None, foreign_key="meeting.id")
    kind: str  # not-what-i-said | missing
    message: str
    status: str = "open"  # open | answered
    answer: str | None = None
    answered_by: str | None = None
    created_at: datetime = Field(default_factory=utcnow)
    answered_at: datetime | None = None


class Priority(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    year: int
    title: str
    overarching: bool = False


class PriorityTag(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("priority_id", "contribution_id"),)

    id: int | None = Field(default=None, primary_key=True)
    priority_id: int = Field(foreign_key="priority.id", index=True)
    contribution_id: int = Field(foreign_key="contribution.id", index=True)
    status: str = "suggested"  # suggested | confirmed | rejected


class DigestPeriod(SQLModel, table=True):
    """One row per person and period: the outbox of 'you said, we did' mail."""

    __table_args__ = (UniqueConstraint("person_id", "kind", "period"),)

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    kind: str = "lxp-digest"  # lxp-digest | lead-summary
    period: str  # ISO week such as 2021-W11
    covers_from: datetime | None = None
    covers_to: datetime
    status: str = "pending"  # pending | sending | sent | failed | unknown | empty
    message_id: str
    subject: str = ""
    body_text: str = ""
    body_html: str = ""
    attempts: int = 0
    next_attempt_at: datetime | None = None
    lease_until: datetime | None = None
    last_error: str | None = None
    created_at: datetime = Field(default_factory=utcnow)
    sent_at: datetime | None = None


class ApiToken(SQLModel, table=True):
    """A read-only API key. Only its SHA-256 is stored; the key is shown once."""

    id: int | None = Field(default=None, primary_key=True)
    name: str
    token_hash: str = Field(unique=True)
    prefix: str  # first characters of the key, so people can tell keys apart
    created_by: str
    created_at: datetime = Field(default_factory=utcnow)
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None
    # The one programme the key may read (None: every programme).
    programme_id: int | None = Field(default=None, foreign_key="programme.id")


class GlossaryPair(SQLModel, table=True):
    """An admin's edit of the programme's glossary for matching.

    ``added``: the admin says ``variant`` means ``phrase``. ``removed``: a pair
    the confirmed links taught is switched off. Learned pairs themselves are
    not stored: they follow from the confirmed links at every match.
    """

    __table_args__ = (UniqueConstraint("phrase", "variant"),)

    id: int | None = Field(default=None, primary_key=True)
    phrase: str
    variant: str
    status: str  # added | removed
    set_by: str
    set_at: datetime = Field(default_factory=utcnow)


#: The table behind each record kind a link can point at (tracker.domain.vocab.RecordKind).
RECORD_MODELS: dict[str, type[AgendaItem | Contribution | Action | Decision]] = {
    RecordKind.AGENDA_ITEM: AgendaItem,
    RecordKind.CONTRIBUTION: Contribution,
    RecordKind.ACTION: Action,
    RecordKind.DECISION: Decision,
}


@event.listens_for(Session, "before_flush")
def _default_programme(session: Session, _context: Any, _instances: Any) -> None:
    """Every new body and person belongs to a programme: with none given, the
    default programme (or the only one). A database without programmes keeps none."""
    new = [
        row for row in session.new if isinstance(row, (Body, Person)) and row.programme_id is None
    ]
    if not new:
        return
    with session.no_autoflush:
        rows = session.execute(text("SELECT id, name FROM programme ORDER BY id")).all()
    if not rows:
        return
    chosen = next((pid for pid, name in rows if name == DEFAULT_PROGRAMME), None)
    if chosen is None and len(rows) == 1:
        chosen = rows[0][0]
    for row in new:
        row.programme_id = chosen
