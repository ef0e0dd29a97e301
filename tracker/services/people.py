"""Roster and bodies: import from CSV, resolve names to people."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session, select

from parsers.names import RosterName
from tracker.errors import BadInput, NotFound
from tracker.models import Body, Person, utcnow
from tracker.services.audit import record_event

ROLES = ("lxp", "staff")
BODY_KINDS = ("catch-up", "governance", "working")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class ImportCount:
    added: int
    updated: int


def _rows(text: str, required: Sequence[str], what: str) -> list[tuple[int, dict[str, str]]]:
    """Read CSV rows with their line numbers; fail on a missing column."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip().lower() for h in reader.fieldnames or []]
    missing = [c for c in required if c not in header]
    if missing:
        raise BadInput(
            f"{what} line 1: missing column(s) {', '.join(missing)}; expected {','.join(required)}"
        )
    reader.fieldnames = header
    rows = []
    for row in reader:
        clean = {k: (v or "").strip() for k, v in row.items() if k}
        if any(clean.values()):
            rows.append((reader.line_num, clean))
    return rows


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(";") if part.strip()]


def import_people(*, session: Session, text: str, actor: str = "cli") -> ImportCount:
    """Add or update people from a name,aliases,role,email CSV; all or nothing."""
    rows = _rows(text, ("name", "aliases", "role", "email"), "roster")
    seen: set[str] = set()
    parsed = []
    for line, row in rows:
        name, role, email = row["name"], row["role"].lower(), row["email"].lower()
        if not name:
            raise BadInput(f"roster line {line}: the name is empty")
        if role not in ROLES:
            raise BadInput(f"roster line {line}: role {row['role']!r} must be lxp or staff")
        if email and not EMAIL.match(email):
            raise BadInput(f"roster line {line}: {email!r} is not an email address")
        if name.lower() in seen:
            raise BadInput(f"roster line {line}: {name!r} appears twice")
        seen.add(name.lower())
        parsed.append((name, _split(row["aliases"]), role, email or None))
    existing = {p.name.lower(): p for p in session.exec(select(Person)).all()}
    added = updated = 0
    for name, aliases, role, email in parsed:
        person = existing.get(name.lower())
        if person is None:
            session.add(Person(name=name, aliases=aliases, role=role, email=email))
            added += 1
        else:
            person.aliases, person.role = aliases, role
            person.email = email or person.email
            updated += 1
    record_event(session, actor=actor, action="people.import", added=added, updated=updated)
    session.commit()
    return ImportCount(added, updated)


def import_bodies(*, session: Session, text: str, actor: str = "cli") -> ImportCount:
    """Add or update bodies from a name,kind,workstream,patterns CSV; all or nothing."""
    rows = _rows(text, ("name", "kind", "workstream", "patterns"), "bodies")
    seen: set[str] = set()
    parsed = []
    for line, row in rows:
        name, kind, workstream = row["name"], row["kind"].lower(), row["workstream"]
        if not name:
            raise BadInput(f"bodies line {line}: the name is empty")
        if kind not in BODY_KINDS:
            raise BadInput(
                f"bodies line {line}: kind {row['kind']!r} must be one of " + ", ".join(BODY_KINDS)
            )
        if not workstream:
            raise BadInput(f"bodies line {line}: the workstream is empty")
        if name.lower() in seen:
            raise BadInput(f"bodies line {line}: {name!r} appears twice")
        seen.add(name.lower())
        parsed.append((name, kind, workstream, _split(row["patterns"]) or [name]))
    existing = {b.name.lower(): b for b in session.exec(select(Body)).all()}
    added = updated = 0
    for name, kind, workstream, patterns in parsed:
        body = existing.get(name.lower())
        if body is None:
            session.add(Body(name=name, kind=kind, workstream=workstream, patterns=patterns))
            added += 1
        else:
            body.kind, body.workstream, body.patterns = kind, workstream, patterns
            updated += 1
    record_event(session, actor=actor, action="bodies.import", added=added, updated=updated)
    session.commit()
    return ImportCount(added, updated)


def roster_names(session: Session) -> list[RosterName]:
    """Return the roster in the parser's plain form (key = person id)."""
    people = session.exec(select(Person).where(Person.erased_at.is_(None))).all()  # type: ignore[union-attr]
    return [
        RosterName(key=str(p.id), name=p.name, aliases=tuple(p.aliases), role=p.role)
        for p in people
    ]


def find_body(session: Session, *, title: str, name: str | None = None) -> Body:
    """Pick the body by name, else by the title patterns (longest match wins)."""
    bodies = session.exec(select(Body)).all()
    if name:
        for body in bodies:
            if body.name.lower() == name.strip().lower():
                return body
        raise BadInput(f"no body called {name!r}; add it with `tracker bodies import`")
    lowered = " ".join(title.lower().split())
    best: list[tuple[int, Body]] = []
    for body in bodies:
        for pattern in body.patterns or [body.name]:
            if " ".join(pattern.lower().split()) in lowered:
                best.append((len(pattern), body))
    if not best:
        raise BadInput(
            f"could not tell which body the minutes titled {title[:80]!r} belong to; "
            "use --body NAME"
        )
    best.sort(key=lambda pair: -pair[0])
    top = [b for n, b in best if n == best[0][0]]
    if len({b.id for b in top}) > 1:
        raise BadInput(
            f"the title {title[:80]!r} fits more than one body "
            f"({', '.join(sorted({b.name for b in top}))}); use --body NAME"
        )
    return top[0]


ERASED_TEXT = "[removed at the person's request]"


def erase_person(*, session: Session, person_id: int, actor: str = "cli") -> Person:
    """Erase a person's identity and words, keeping the counts they contributed to.

    Name, aliases, email and self-description go; the text of everything they
    said is replaced, so personal stories do not survive; contributions,
    outcomes and links stay, so totals on the dashboard do not change.
    """
    from tracker.models import ActionOwner, AgendaItem, Attendee, Contribution, User

    person = session.get(Person, person_id)
    if person is None:
        raise NotFound(f"no person {person_id}")
    if person.erased_at is None:
        person.name = f"Erased person {person.id}"
        person.aliases, person.email, person.self_described_group = [], None, None
        person.digest_frequency = "never"
        person.erased_at = utcnow()
        for row in session.exec(
            select(Contribution).where(Contribution.speaker_person_id == person_id)
        ).all():
            row.text, row.speaker_as_written = ERASED_TEXT, None
            row.consent = "count-only"
            session.add(row)
        for model, column, written in (
            (Attendee, Attendee.person_id, "as_written"),
            (AgendaItem, AgendaItem.lead_person_id, "lead_as_written"),
            (ActionOwner, ActionOwner.person_id, "as_written"),
        ):
            for row in session.exec(select(model).where(column == person_id)).all():
                setattr(row, written, person.name)
                session.add(row)
        for user in session.exec(select(User).where(User.person_id == person_id)).all():
            user.active = False
            user.session_version += 1
            session.add(user)
        session.add(person)
        record_event(
            session, actor=actor, action="person.erase", object_type="person", object_id=person_id
        )
        from tracker.services.refresh import after_person_erased

        after_person_erased(session, person_id)
        session.commit()
    return person
