"""Roster and bodies: import from CSV, resolve names to people."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlmodel import Session, select

from parsers.names import RosterName
from tracker.domain import vocab
from tracker.errors import BadInput
from tracker.models import Body, Person
from tracker.services.audit import record_event
from tracker.services.erasure import ERASED_TEXT as ERASED_TEXT
from tracker.services.erasure import erase_person as erase
from tracker.services.scope import programme_named

ROLES = vocab.PERSON_ROLES
BODY_KINDS = vocab.BODY_KINDS
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


def _programme(session: Session, row: dict[str, str], line: int, what: str) -> int | None:
    """The optional programme column (None when empty: new rows take the default,
    rows already stored keep theirs)."""
    if not row.get("programme"):
        if what == "bodies" or what == "roster":
            pass
        return None
    try:
        return programme_named(session, row["programme"])
    except BadInput as exc:
        raise BadInput(f"{what} line {line}: {exc.message}") from None


def _default(session: Session) -> Callable[[], int | None]:
    """The default programme's id, looked up once and only when a new row needs it."""
    found: list[int | None] = []

    def get() -> int | None:
        if not found:
            found.append(programme_named(session, None))
        return found[0]

    return get


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
        programme = _programme(session, row, line, "roster")
        parsed.append((name, _split(row["aliases"]), role, email or None, programme))
    existing = {p.name.lower(): p for p in session.exec(select(Person)).all()}
    added = updated = 0
    default = _default(session)
    for name, aliases, role, email, programme in parsed:
        person = existing.get(name.lower())
        if person is None:
            session.add(
                Person(
                    name=name,
                    aliases=aliases,
                    role=role,
                    email=email,
                    programme_id=programme if programme is not None else default(),
                )
            )
            added += 1
        else:
            person.aliases, person.role = aliases, role
            person.programme_id = programme if programme is not None else person.programme_id
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
        programme = _programme(session, row, line, "bodies")
        parsed.append((name, kind, workstream, _split(row["patterns"]) or [name], programme))
    existing = {b.name.lower(): b for b in session.exec(select(Body)).all()}
    added = updated = 0
    default = _default(session)
    for name, kind, workstream, patterns, programme in parsed:
        body = existing.get(name.lower())
        if body is None:
            session.add(
                Body(
                    name=name,
                    kind=kind,
                    workstream=workstream,
                    patterns=patterns,
                    programme_id=programme if programme is not None else default(),
                )
            )
            added += 1
        else:
            body.kind, body.workstream, body.patterns = kind, workstream, patterns
            body.programme_id = programme if programme is not None else body.programme_id
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


def _file_words(filename: str) -> str:
    """Return a file name's stem as words: "2021-03-09_PD_CRG.docx" -> "2021-03-09 PD CRG"."""
    stem = filename.replace("\\", "/").rsplit("/", 1)[-1]
    stem = re.sub(r"\.(?:docx?|dotx|odt)$", "", stem, flags=re.IGNORECASE)
    return " ".join(stem.replace("_", " ").replace("+", " ").split())


def find_body(
    session: Session,
    *,
    title: str,
    name: str | None = None,
    heading_lines: Sequence[str] = (),
    filename: str = "",
) -> Body:
    """Pick the body by name, else by its patterns in the heading block or file name.

    Every pattern of every body is tried against the title, each heading-block
    line (organisation and body lines, the first table's cells, page header
    and footer) and the file name; the longest pattern found wins, and a tie
    between two bodies is refused rather than guessed.  The title is matched
    as written; the other lines only at word boundaries.
    """
    bodies = session.exec(select(Body)).all()
    where = f"{filename}: " if filename else ""
    if name:
        for body in bodies:
            if body.name.lower() == name.strip().lower():
                return body
        raise BadInput(f"{where}no body called {name!r}; add it with `tracker bodies import`")
    lowered = " ".join(title.lower().split())
    others = [" ".join(line.lower().split()) for line in heading_lines]
    if filename:
        others.append(_file_words(filename).lower())
    best: list[tuple[int, Body]] = []
    for body in bodies:
        for pattern in body.patterns or [body.name]:
            wanted = " ".join(pattern.lower().split())
            if not wanted:
                continue
            bounded = re.compile(rf"(?<!\w){re.escape(wanted)}(?!\w)")
            if wanted in lowered or any(bounded.search(line) for line in others):
                best.append((len(wanted), body))
    if not best:
        shown = title or _file_words(filename)
        raise BadInput(
            f"{where}could not tell which body the minutes titled {shown[:80]!r} belong to; "
            "use --body NAME"
        )
    best.sort(key=lambda pair: -pair[0])
    top = [b for n, b in best if n == best[0][0]]
    if len({b.id for b in top}) > 1:
        raise BadInput(
            f"{where}the minutes titled {title[:80]!r} fit more than one body "
            f"({', '.join(sorted({b.name for b in top}))}); use --body NAME"
        )
    return top[0]


def erase_person(
    *, session: Session, person_id: int, actor: str = "cli", settings: object = None
) -> Person:
    """Erase a person's identity and words everywhere, keeping the counts.

    The work is in tracker.services.erasure (database rows, stored originals,
    outbox and instance files, the database file's free space).
    """
    erase(session=session, person_id=person_id, actor=actor, settings=settings)
    person = session.get(Person, person_id)
    assert person is not None
    return person
