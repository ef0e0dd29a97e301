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
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from parsers import (
    ParsedAction,
    ParsedContribution,
    ParsedDecision,
    ParsedItem,
    ParsedMinutes,
    ParsedSpeaker,
)
from parsers.names import resolve_name
from tracker.config import Settings
from tracker.errors import BadInput, Conflict, NotFound
from tracker.models import Body, Meeting, Person
from tracker.numbers import is_number
from tracker.services.meetings import ImportResult, sha256_of, store_minutes
from tracker.services.parsing import minutes_from_dict, minutes_to_dict, parse_in_worker
from tracker.services.people import find_body, roster_names

KINDS = ("contribution", "action", "decision")
GROUP_LABELS = {"lxp": "LXPs (as a group)", "staff": "Programme team", "all": "All members"}
GROUP_WORDS = {"lxp": "LXPs", "staff": "Programme team", "all": "All members"}
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
    filename = Path(filename or "minutes.docx").name[:200]
    if not data:
        raise BadInput(f"{filename}: the file is empty")
    existing = session.exec(select(Meeting).where(Meeting.sha256 == sha256_of(data))).first()
    if existing is not None:
        raise Conflict(f"{filename}: this exact file was already uploaded (meeting {existing.id})")
    parsed = parse_in_worker(
        data,
        filename,
        roster=roster_names(session),
        max_bytes=settings.max_upload_mb * 1_000_000,
        timeout=settings.max_parse_seconds,
    )
    _sweep(settings)
    token = secrets.token_urlsafe(18)
    folder = _root(settings) / token
    folder.mkdir(parents=True, mode=0o700)
    (folder / "source.docx").write_bytes(data)
    pending = Pending(token, filename, user_id, body_name or None, parsed, time.time())
    _write(folder, pending)
    return pending


def _write(folder: Path, pending: Pending) -> None:
    meta = {
        "filename": pending.filename,
        "user_id": pending.user_id,
        "body_name": pending.body_name,
        "created": pending.created,
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
    cutoff = time.time() - KEEP_HOURS * 3600
    for folder in root.iterdir():
        try:
            if folder.stat().st_mtime < cutoff:
                shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            continue


# ---- quick fixes -------------------------------------------------------------


def speaker_choice(speaker: ParsedSpeaker | None, session: Session) -> str:
    """Return the form value for a parsed speaker: p:ID, g:GROUP, w (as written) or none."""
    if speaker is None:
        return "none"
    if speaker.group:
        return f"g:{speaker.group}"
    found = resolve_name(speaker.as_written, roster_names(session), ())
    return f"p:{found.key}" if found is not None else "w"


def _speaker_from(
    choice: str, current: ParsedSpeaker | None, people: Mapping[int, Person]
) -> ParsedSpeaker | None:
    if choice in ("", "w"):
        return current
    if choice == "none":
        return None
    if choice.startswith("g:") and choice[2:] in GROUP_WORDS:
        return ParsedSpeaker(as_written=GROUP_WORDS[choice[2:]], group=choice[2:])
    if choice.startswith("p:") and is_number(choice[2:]) and int(choice[2:]) in people:
        return ParsedSpeaker(as_written=people[int(choice[2:])].name)
    raise BadInput("pick a person from the list")


def apply_fixes(
    parsed: ParsedMinutes, form: Mapping[str, str], people: Mapping[int, Person]
) -> ParsedMinutes:
    """Apply the review screen's choices: speakers, owners, leads, kinds and date."""
    items = tuple(
        replace(item, lead=_speaker_from(form.get(f"i-{n}-lead", ""), item.lead, people))
        for n, item in enumerate(parsed.items)
    )
    records: list[tuple[int, str, str, ParsedSpeaker | None, Any]] = []
    for n, c in enumerate(parsed.contributions):
        who = _speaker_from(form.get(f"c-{n}-who", ""), c.speaker, people)
        records.append((c.order, form.get(f"c-{n}-kind", "contribution"), c.text, who, c))
    for n, a in enumerate(parsed.actions):
        first = a.owners[0] if a.owners else None
        who = _speaker_from(form.get(f"x-{n}-who", ""), first, people)
        records.append((a.order, form.get(f"x-{n}-kind", "action"), a.text, who, a))
    for n, d in enumerate(parsed.decisions):
        records.append((d.order, form.get(f"d-{n}-kind", "decision"), d.text, None, d))
    contributions, actions, decisions = [], [], []
    for order, kind, text, who, original in sorted(records, key=lambda r: r[0]):
        if kind not in KINDS:
            raise BadInput("choose contribution, action or decision")
        item = original.item
        if kind == "contribution":
            contributions.append(ParsedContribution(text=text, speaker=who, item=item, order=order))
        elif kind == "action":
            if isinstance(original, ParsedAction):
                rest = original.owners[1:] if original.owners else ()
                owners = ((who,) if who else ()) + tuple(rest)
                actions.append(replace(original, owners=owners))
            else:
                owners = (who,) if who else ()
                actions.append(ParsedAction(text=text, owners=owners, item=item, order=order))
        else:
            decisions.append(ParsedDecision(text=text, item=item, order=order))
    when = parsed.date
    raw_date = (form.get("date") or "").strip()
    if raw_date:
        try:
            when = date.fromisoformat(raw_date)
        except ValueError:
            raise BadInput("write the date as a full date, for example 2021-03-18") from None
    return replace(
        parsed,
        date=when,
        items=items,
        contributions=tuple(contributions),
        actions=tuple(actions),
        decisions=tuple(decisions),
    )


def update_pending(
    *, session: Session, settings: Settings, token: str, user_id: int, form: Mapping[str, str]
) -> Pending:
    """Apply quick fixes to an upload under review and keep the result."""
    pending = load_pending(settings=settings, token=token, user_id=user_id)
    people = {p.id or 0: p for p in session.exec(select(Person)).all()}
    fixed = apply_fixes(pending.parsed, form, people)
    body = (form.get("body") or "").strip() or pending.body_name
    updated = replace(pending, parsed=fixed, body_name=body)
    _write(_folder(settings, token), updated)
    return updated


def save_pending(
    *,
    session: Session,
    settings: Settings,
    token: str,
    user_id: int,
    form: Mapping[str, str],
    actor: str,
) -> ImportResult:
    """Apply the last fixes and store the meeting (a new version when one exists)."""
    pending = update_pending(
        session=session, settings=settings, token=token, user_id=user_id, form=form
    )
    if pending.parsed.date is None:
        raise BadInput("set the meeting date before saving")
    if not pending.body_name:
        raise BadInput("choose which meeting (body) these minutes belong to before saving")
    data = (_folder(settings, token) / "source.docx").read_bytes()
    parsed = replace(pending.parsed, warnings=tuple(review_warnings(pending.parsed)))
    try:
        result = store_minutes(
            session=session,
            parsed=parsed,
            data=data,
            filename=pending.filename,
            body_name=pending.body_name,
            actor=actor,
        )
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


def attribution_warnings(parsed: ParsedMinutes) -> list[str]:
    """Plain-language counts of what still says nobody."""
    notes = []
    total = len(parsed.contributions)
    nobody = sum(1 for c in parsed.contributions if c.speaker is None)
    if nobody:
        noun = "statement does" if total == 1 else "statements do"
        notes.append(f"{nobody} of {total} {noun} not say who spoke.")
    leadless = sum(1 for i in parsed.items if i.lead is None)
    if leadless:
        noun = "agenda item does" if leadless == 1 else "agenda items do"
        notes.append(f"{leadless} of {len(parsed.items)} {noun} not name a lead.")
    ownerless = sum(1 for a in parsed.actions if not a.owners)
    if ownerless:
        notes.append(f"{ownerless} of {len(parsed.actions)} actions have no owner.")
    if parsed.date is None:
        notes.append("We could not find the meeting date. Set it below.")
    return notes


# Parser notes that the review screen recounts live, after the chair's fixes.
_RECOUNTED = ("who spoke", "name a lead", "no owner")


def review_warnings(parsed: ParsedMinutes) -> list[str]:
    """Live attribution counts, then the parser's other notes."""
    rest = [w for w in parsed.warnings if not any(k in w for k in _RECOUNTED)]
    return attribution_warnings(parsed) + rest


def roster_choices(session: Session) -> tuple[list[Person], list[Person]]:
    """LXPs and staff on the roster, by name, for the pickers."""
    people = session.exec(
        select(Person).where(Person.erased_at.is_(None)).order_by(Person.name)  # type: ignore[union-attr]
    ).all()
    return [p for p in people if p.role == "lxp"], [p for p in people if p.role != "lxp"]


def body_names(session: Session) -> list[str]:
    """Every body's name, sorted."""
    return sorted(b.name for b in session.exec(select(Body)).all())


def item_titles(items: Sequence[ParsedItem]) -> list[str]:
    """Human labels for agenda items ("3. Peer support")."""
    return [f"{i.number}. {i.title}" if i.number else i.title for i in items]
