"""Uploads waiting for a chair's review: parse, keep aside, fix, then store.

A parsed upload is kept under ``instance/pending/<token>/`` (the original
bytes and the parsed minutes as JSON) until the chair saves or discards it.
Nothing reaches the database before the chair presses Save, and a failed
parse leaves nothing behind at all.
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from sqlmodel import Session, select

from parsers import ParsedMinutes
from tracker import clock
from tracker.config import Settings
from tracker.db import begin_write
from tracker.domain import vocab
from tracker.errors import BadInput, Conflict, NotFound
from tracker.models import Body, Meeting, Person
from tracker.services import editor, ingest
from tracker.services.audit import record_event
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


def _root(settings: Settings) -> Path:
    return Path(settings.instance_dir) / "pending"


def _folder(settings: Settings, token: str) -> Path:
    if not _TOKEN.match(token):
        raise NotFound("no such upload")
    return _root(settings) / token


def stage_upload(
    *,
    session: Session,
    settings: Settings,
    data: bytes,
    filename: str,
    user_id: int,
    body_name: str | None = None,
) -> Pending:
    """Parse one upload in the worker and keep it aside for review."""
    filename = ingest.clean_filename(filename)
    ingest.check_size(filename, len(data), settings)
    existing = session.exec(select(Meeting).where(Meeting.sha256 == sha256_of(data))).first()
    if existing is not None:
        raise Conflict(f"{filename}: this exact file was already uploaded (meeting {existing.id})")
    parsed = ingest.read_minutes(session=session, settings=settings, data=data, filename=filename)
    _sweep(settings)
    token = secrets.token_urlsafe(18)
    folder = _root(settings) / token
    folder.mkdir(parents=True, mode=0o700)
    (folder / "source.docx").write_bytes(data)
    pending = Pending(token, filename, user_id, body_name or None, parsed, clock.timestamp())
    _write(folder, pending)
    return pending


def _write(folder: Path, pending: Pending) -> None:
    meta = {
        "filename": pending.filename,
        "user_id": pending.user_id,
        "body_name": pending.body_name,
        "created": pending.created,
        "new_people": pending.new_people,
        "new_body": pending.new_body,
        "edits": pending.edits,
        "minutes": minutes_to_dict(pending.parsed),
    }
    tmp = folder / "pending.json.tmp"
    tmp.write_text(json.dumps(meta), encoding="utf-8")
    tmp.replace(folder / "pending.json")


def load_pending(*, settings: Settings, token: str, user_id: int) -> Pending:
    """Return the upload this user is reviewing; anyone else gets NotFound."""
    folder = _folder(settings, token)
    try:
        meta = json.loads((folder / "pending.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise NotFound("no such upload") from None
    if meta.get("user_id") != user_id:
        raise NotFound("no such upload")
    return Pending(
        token,
        meta["filename"],
        meta["user_id"],
        meta.get("body_name"),
        minutes_from_dict(meta["minutes"]),
        meta.get("created", 0.0),
        dict(meta.get("new_people") or {}),
        meta.get("new_body"),
        dict(meta.get("edits") or {}),
    )


def list_pending(*, settings: Settings, user_id: int) -> list[Pending]:
    """Uploads this user has not yet saved or discarded, newest first."""
    root = _root(settings)
    if not root.is_dir():
        return []
    found = []
    for folder in root.iterdir():
        try:
            found.append(load_pending(settings=settings, token=folder.name, user_id=user_id))
        except NotFound:
            continue
    return sorted(found, key=lambda p: -p.created)


def discard_pending(*, settings: Settings, token: str, user_id: int) -> None:
    """Throw an upload away without saving it."""
    load_pending(settings=settings, token=token, user_id=user_id)
    shutil.rmtree(_folder(settings, token), ignore_errors=True)


def _sweep(settings: Settings) -> None:
    """Delete uploads nobody reviewed within KEEP_HOURS."""
    root = _root(settings)
    if not root.is_dir():
        return
    cutoff = clock.timestamp() - KEEP_HOURS * 3600
    for folder in root.iterdir():
        try:
            if folder.stat().st_mtime < cutoff:
                shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            continue


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
    *, session: Session, settings: Settings, token: str, user_id: int, form: Mapping[str, str]
) -> Pending:
    """Apply one post of the review page to an upload under review and keep the result."""
    pending = load_pending(settings=settings, token=token, user_id=user_id)
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
    _write(_folder(settings, token), updated)
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
    settings: Settings,
    token: str,
    user_id: int,
    form: Mapping[str, str],
    actor: str,
) -> ImportResult:
    """Apply the last edits and store the meeting (a new version when one exists).

    New people and a new body are created in the same transaction as the
    meeting: all of it is stored, or none.
    """
    pending = update_pending(
        session=session, settings=settings, token=token, user_id=user_id, form=form
    )
    if pending.parsed.date is None:
        raise BadInput("set the meeting date before saving")
    if not pending.body_name:
        raise BadInput("choose which meeting (body) these minutes belong to before saving")
    data = (_folder(settings, token) / "source.docx").read_bytes()
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
            shutil.rmtree(_folder(settings, token), ignore_errors=True)
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
        session.commit()
    except BaseException:
        session.rollback()
        raise
    shutil.rmtree(_folder(settings, token), ignore_errors=True)
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
