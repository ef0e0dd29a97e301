"""Uploads waiting for a chair's review: parse, keep aside, fix, then store.

A staged upload is one ``stagedupload`` row (the original bytes, and the
parsed minutes with the chair's edits as JSON) until the chair saves or
discards it.  It lives in the database, never on one host's disk, so an
upload staged on one web host is reviewed and saved on any other.  Nothing
reaches the meetings before the chair presses Save, and a failed parse
leaves nothing behind at all.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import timedelta

from sqlmodel import Session, col, delete, select

from parsers import ParsedMinutes
from tracker.config import Settings
from tracker.db import begin_write
from tracker.domain import vocab
from tracker.errors import BadInput, Conflict, NotFound, TrackerError
from tracker.models import Body, Meeting, Person, StagedUpload, utcnow
from tracker.services import editor, ingest
from tracker.services.audit import record_event
from tracker.services.jobs import enqueue
from tracker.services.meetings import ImportResult, sha256_of, store_minutes
from tracker.services.parsing import minutes_from_dict, minutes_to_dict
from tracker.services.people import BODY_KINDS, find_body, roster_names

KEEP_HOURS = 24
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


@dataclass(frozen=True)
class Pending:
    """One parsed upload waiting for review."""

    token: str
    filename: str
    user_id: int
    body_name: str | None
    parsed: ParsedMinutes
    created: float
    # Names typed as "someone new", with the role each will have (lxp | staff).
    new_people: dict[str, str] = field(default_factory=dict)
    # A body to create on save: {"name", "kind", "workstream"}.
    new_body: dict[str, str] | None = None
    # How many edits of each sort the chair made (audited on save; no text).
    edits: dict[str, int] = field(default_factory=dict)


def stage_upload(
    *,
    session: Session,
    settings: Settings,
    data: bytes,
    filename: str,
    user_id: int,
    body_name: str | None = None,
    defer: bool = False,
) -> Pending | Staged:
    """Keep one upload aside for review (commits).

    Parsed here (in a limited child process), or with ``defer`` stored as it
    is and read by a background job (``read_staged``): the request returns
    at once and the review page says "reading" until the job is done.
    """
    filename = ingest.clean_filename(filename)
    ingest.check_size(filename, len(data), settings)
    existing = session.exec(select(Meeting).where(Meeting.sha256 == sha256_of(data))).first()
    if existing is not None:
        raise Conflict(f"{filename}: this exact file was already uploaded (meeting {existing.id})")
    if defer:
        sweep(session)
        row = StagedUpload(
            token=secrets.token_urlsafe(18),
            user_id=user_id,
            filename=filename,
            body_name=body_name or None,
            status="reading",
            data=data,
        )
        session.add(row)
        enqueue(session, "parse", row.token)  # in the same transaction as the upload
        session.commit()
        return Staged(row.token, row.filename, row.status, None)
    parsed = ingest.read_minutes(session=session, settings=settings, data=data, filename=filename)
    sweep(session)
    pending = Pending(secrets.token_urlsafe(18), filename, user_id, body_name or None, parsed, 0.0)
    row = StagedUpload(
        token=pending.token,
        user_id=user_id,
        filename=filename,
        body_name=pending.body_name,
        data=data,
        state=_state(pending),
    )
    session.add(row)
    session.commit()
    return replace(pending, created=row.created_at.timestamp())


@dataclass(frozen=True)
class Staged:
    """An upload as the review page first sees it: still being read, read, or refused."""

    token: str
    filename: str
    status: str  # reading | ready | failed
    error: str | None  # why it was refused (one line, no document text)


def staged_status(*, session: Session, token: str, user_id: int) -> Staged:
    """Where this user's upload is; anyone else gets NotFound."""
    row = session.get(StagedUpload, token) if _TOKEN.match(token) else None
    if row is None or row.user_id != user_id:
        raise NotFound("no such upload")
    staged = Staged(row.token, row.filename, row.status, row.error)
    session.rollback()  # end the read (SQLite)
    return staged


def read_staged(*, session: Session, settings: Settings, token: str) -> str:
    """The parse job: read a staged upload and keep the result; return its new status.

    A file we cannot read is no failure of the job: the upload is marked
    ``failed`` with the one-line reason the chair sees.  Anything else raises,
    and the queue tries again later.
    """
    row = session.get(StagedUpload, token)
    if row is None or row.status != "reading":
        session.rollback()
        return "gone" if row is None else row.status  # discarded, or read already
    filename, data, user_id, body_name = row.filename, row.data, row.user_id, row.body_name
    session.rollback()  # no transaction open while the child parses
    try:
        parsed = ingest.read_minutes(
            session=session, settings=settings, data=data, filename=filename
        )
    except TrackerError as exc:  # counted in /metrics by the parser
        status, error, state = "failed", exc.message, {}
        data = b""  # nothing to keep of a file we cannot read
    else:
        pending = Pending(token, filename, user_id, body_name, parsed, 0.0)
        status, error, state = "ready", None, _state(pending)
    session.rollback()
    begin_write(session)
    row = session.get(StagedUpload, token)
    if row is None or row.status != "reading":
        session.rollback()
        return "gone" if row is None else row.status
    row.status, row.error, row.state, row.data = status, error, state, data
    session.add(row)
    session.commit()
    return status


def _state(pending: Pending) -> dict:
    return {
        "new_people": pending.new_people,
        "new_body": pending.new_body,
        "edits": pending.edits,
        "minutes": minutes_to_dict(pending.parsed),
    }


def _row(session: Session, token: str, user_id: int) -> StagedUpload:
    if not _TOKEN.match(token):
        raise NotFound("no such upload")
    row = session.get(StagedUpload, token)
    if row is None or row.user_id != user_id or row.status != "ready":
        raise NotFound("no such upload")
    return row


def _pending(row: StagedUpload) -> Pending:
    state = row.state
    return Pending(
        row.token,
        row.filename,
        row.user_id,
        row.body_name,
        minutes_from_dict(state["minutes"]),
        row.created_at.timestamp(),
        dict(state.get("new_people") or {}),
        state.get("new_body"),
        dict(state.get("edits") or {}),
    )


def load_pending(*, session: Session, token: str, user_id: int) -> Pending:
    """Return the upload this user is reviewing; anyone else gets NotFound."""
    return _pending(_row(session, token, user_id))


def list_waiting(*, session: Session, user_id: int) -> list[Staged]:
    """This user's uploads not yet saved or discarded, read or not, newest first."""
    rows = session.exec(
        select(StagedUpload.token, StagedUpload.filename, StagedUpload.status, StagedUpload.error)
        .where(StagedUpload.user_id == user_id)
        .order_by(col(StagedUpload.created_at).desc())
    ).all()
    return [Staged(*row) for row in rows]


def discard_pending(*, session: Session, token: str, user_id: int) -> None:
    """Throw an upload away without saving it, read or not (commits)."""
    row = session.get(StagedUpload, token) if _TOKEN.match(token) else None
    if row is None or row.user_id != user_id:
        raise NotFound("no such upload")
    session.delete(row)
    session.commit()


def sweep(session: Session, keep_hours: int = KEEP_HOURS) -> int:
    """Delete uploads nobody reviewed within ``keep_hours`` (no commit); return how many."""
    cutoff = utcnow() - timedelta(hours=keep_hours)
    result = session.exec(  # type: ignore[call-overload]
        delete(StagedUpload).where(col(StagedUpload.created_at) < cutoff)
    )
    return int(result.rowcount or 0)


# ---- the editor -------------------------------------------------------------


def roster_for(session: Session, pending: Pending | None = None) -> editor.Roster:
    """Who the review page's choices can name."""
    people = session.exec(select(Person).where(Person.erased_at.is_(None))).all()  # type: ignore[union-attr]
    return editor.Roster(
        people={p.id or 0: p.name for p in people},
        names=roster_names(session),
        new_people=dict(pending.new_people) if pending else {},
    )


def _new_body(form: Mapping[str, str]) -> dict[str, str] | None:
    name = " ".join(form.get("new-body-name", "").split())
    if not name:
        raise BadInput("type the new meeting's (body's) name, or choose one from the list")
    if len(name) > 200:
        raise BadInput("the meeting's name is too long; use at most 200 characters")
    kind = form.get("new-body-kind", "")
    if kind not in BODY_KINDS:
        raise BadInput("choose what kind of meeting it is: catch-up, governance or working")
    workstream = " ".join(form.get("new-body-workstream", "").split())
    if not workstream:
        raise BadInput("type the workstream the new meeting belongs to, for example PD")
    return {"name": name, "kind": kind, "workstream": workstream[:100]}


NEW_BODY = "__new__"
BODY_KIND_LABELS = vocab.BODY_KIND_LABELS


def update_pending(
    *, session: Session, token: str, user_id: int, form: Mapping[str, str]
) -> Pending:
    """Apply one post of the review page to an upload under review and keep the result."""
    row = _row(session, token, user_id)
    pending = _pending(row)
    edited = editor.apply_form(pending.parsed, form, roster_for(session, pending))
    body, new_body = pending.body_name, pending.new_body
    chosen = (form.get("body") or "").strip()
    if chosen == NEW_BODY:
        new_body = _new_body(form)
        body = new_body["name"]
    elif chosen:
        body, new_body = chosen, None
    edits = dict(pending.edits)
    for key, n in edited.edits.items():
        edits[key] = edits.get(key, 0) + n
    updated = replace(
        pending,
        parsed=edited.parsed,
        body_name=body,
        new_body=new_body,
        new_people=edited.new_people,
        edits=edits,
    )
    row.body_name, row.state = body, _state(updated)
    session.add(row)
    session.commit()
    return updated


def pending_checks(session: Session, pending: Pending) -> list[ingest.Check]:
    """What the chair should check in an upload under review, after their edits."""
    known = pending.new_body is not None or bool(
        pending.body_name or guess_body(session, pending.parsed, pending.filename)
    )
    return ingest.checks_for(pending.parsed, new_people=pending.new_people, has_body=known)


def _create_body(session: Session, spec: dict[str, str], actor: str) -> None:
    if any(b.name.lower() == spec["name"].lower() for b in session.exec(select(Body)).all()):
        return
    body = Body(
        name=spec["name"], kind=spec["kind"], workstream=spec["workstream"], patterns=[spec["name"]]
    )
    session.add(body)
    session.flush()
    record_event(
        session, actor=actor, action="body.add", object_type="body", object_id=body.id or 0
    )


def _create_people(session: Session, new_people: Mapping[str, str], actor: str) -> int:
    """Add people typed as 'someone new' to the roster, with no sign-in."""
    taken = {p.name.lower() for p in session.exec(select(Person)).all()}
    added = 0
    for name, role in sorted(new_people.items()):
        if name.lower() in taken:
            continue
        person = Person(name=name, role=role if role in editor.PERSON_ROLES else "staff")
        session.add(person)
        session.flush()
        record_event(
            session,
            actor=actor,
            action="person.add",
            object_type="person",
            object_id=person.id or 0,
            role=person.role,
            source="review",
        )
        added += 1
    return added


def save_pending(
    *,
    session: Session,
    token: str,
    user_id: int,
    form: Mapping[str, str],
    actor: str,
) -> ImportResult:
    """Apply the last edits and store the meeting (a new version when one exists).

    New people and a new body are created in the same transaction as the
    meeting: all of it is stored, or none.
    """
    pending = update_pending(session=session, token=token, user_id=user_id, form=form)
    if pending.parsed.date is None:
        raise BadInput("set the meeting date before saving")
    if not pending.body_name:
        raise BadInput("choose which meeting (body) these minutes belong to before saving")
    row = _row(session, token, user_id)
    data = row.data
    # What is left to check in the minutes themselves, as `tracker import` stores it.
    checks = ingest.checks_for(pending.parsed)
    parsed = replace(pending.parsed, warnings=tuple(ingest.check_lines(checks)))
    try:
        begin_write(session)  # reads then writes: take the write lock first
        if pending.new_body:
            _create_body(session, pending.new_body, actor)
        added = _create_people(session, pending.new_people, actor)
        result = store_minutes(
            session=session,
            parsed=parsed,
            data=data,
            filename=pending.filename,
            body_name=pending.body_name,
            actor=actor,
            corrected=bool(pending.edits),
        )
        if not result.created:
            # The same minutes are stored already (word for word): nothing new.
            session.rollback()
            discard_pending(session=session, token=token, user_id=user_id)
            return result
        record_event(
            session,
            actor=actor,
            action="meeting.review",
            object_type="meeting",
            object_id=result.meeting_id,
            edits=pending.edits,
            people_added=added,
            body_added=bool(pending.new_body),
        )
        session.delete(row)  # saved: the staged copy goes in the same transaction
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return result


def guess_body(session: Session, parsed: ParsedMinutes, filename: str) -> str | None:
    """Return the body the heading block or file name points to, or None when unclear."""
    try:
        return find_body(
            session, title=parsed.title, heading_lines=parsed.heading_lines, filename=filename
        ).name
    except BadInput:
        return None


def roster_choices(session: Session) -> tuple[list[Person], list[Person]]:
    """LXPs and staff on the roster, by name, for the pickers."""
    people = session.exec(
        select(Person).where(Person.erased_at.is_(None)).order_by(Person.name)  # type: ignore[union-attr]
    ).all()
    return [p for p in people if p.role == vocab.PersonRole.LXP], [
        p for p in people if p.role != vocab.PersonRole.LXP
    ]


def body_names(session: Session) -> list[str]:
    """Every body's name, sorted."""
    return sorted(b.name for b in session.exec(select(Body)).all())
