"""Admin pages' work: people (names, aliases, roles), bodies, workstreams, sign-ins.

Every change is audited (who, what, which row); no free text from minutes
ever reaches the audit trail.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, select

from tracker.domain import vocab
from tracker.errors import BadInput, Conflict, NotAllowed, NotFound
from tracker.models import Body, Meeting, Person, User
from tracker.services.audit import record_event

PERSON_ROLES = vocab.PERSON_ROLES
BODY_KINDS = vocab.BODY_KINDS
USER_ROLES = vocab.ROLES
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def split_list(value: str) -> list[str]:
    """Split a ';' or newline separated list, dropping blanks and repeats."""
    seen: list[str] = []
    for part in re.split(r"[;\n]", value or ""):
        part = " ".join(part.split())
        if part and part not in seen:
            seen.append(part)
    return seen


# ------------------------------------------------------------------ people


@dataclass(frozen=True)
class PersonForm:
    name: str
    aliases: str = ""
    role: str = "staff"
    email: str = ""
    self_described_group: str = ""


def _clean_person(session: Session, form: PersonForm, person_id: int | None) -> dict:
    name = " ".join(form.name.split())
    if not name:
        raise BadInput("the name is empty")
    role = form.role.strip().lower()
    if role not in PERSON_ROLES:
        raise BadInput("the role must be lxp or staff")
    email = form.email.strip().lower() or None
    if email and not EMAIL.match(email):
        raise BadInput(f"{email!r} is not an email address")
    clash = session.exec(
        select(Person).where(func.lower(Person.name) == name.lower(), Person.id != person_id)
    ).first()
    if clash is not None:
        raise Conflict(f"there is already a person called {name!r}")
    if email:
        taken = session.exec(
            select(Person).where(Person.email == email, Person.id != person_id)
        ).first()
        if taken is not None:
            raise Conflict(f"{email} already belongs to someone else")
    group = " ".join(form.self_described_group.split()) or None
    return {
        "name": name,
        "aliases": split_list(form.aliases),
        "role": role,
        "email": email,
        "self_described_group": group,
    }


def list_people(*, session: Session) -> list[Person]:
    """Everyone on the roster, by name."""
    return list(session.exec(select(Person).order_by(Person.name)).all())


def _apply_update(
    session: Session, row: Person | Body, values: dict[str, Any], actor: str, kind: str
) -> None:
    """Set the new values, audit which fields changed (never their content), commit."""
    changed = sorted(k for k, v in values.items() if getattr(row, k) != v)
    for key, value in values.items():
        setattr(row, key, value)
    session.add(row)
    record_event(
        session,
        actor=actor,
        action=f"{kind}.update",
        object_type=kind,
        object_id=row.id or 0,
        changed=changed,
    )
    session.commit()


def get_person(*, session: Session, person_id: int) -> Person:
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound(f"no person {person_id}")
    return person


def create_person(*, session: Session, form: PersonForm, actor: str) -> Person:
    """Add someone to the roster."""
    person = Person(**_clean_person(session, form, None))
    session.add(person)
    session.flush()
    record_event(
        session,
        actor=actor,
        action="person.create",
        object_type="person",
        object_id=person.id or 0,
        role=person.role,
    )
    session.commit()
    return person


def update_person(*, session: Session, person_id: int, form: PersonForm, actor: str) -> Person:
    """Change someone's name, aliases, role, email or self-described group."""
    person = get_person(session=session, person_id=person_id)
    _apply_update(session, person, _clean_person(session, form, person_id), actor, "person")
    return person


# ------------------------------------------------------------------ bodies


@dataclass(frozen=True)
class BodyForm:
    name: str
    kind: str
    workstream: str
    patterns: str = ""


def _clean_body(session: Session, form: BodyForm, body_id: int | None) -> dict:
    name = " ".join(form.name.split())
    if not name:
        raise BadInput("the name is empty")
    kind = form.kind.strip().lower()
    if kind not in BODY_KINDS:
        raise BadInput("the kind must be catch-up, governance or working")
    workstream = " ".join(form.workstream.split())
    if not workstream:
        raise BadInput("the workstream is empty")
    clash = session.exec(
        select(Body).where(func.lower(Body.name) == name.lower(), Body.id != body_id)
    ).first()
    if clash is not None:
        raise Conflict(f"there is already a body called {name!r}")
    return {
        "name": name,
        "kind": kind,
        "workstream": workstream,
        "patterns": split_list(form.patterns) or [name],
    }


def list_bodies(*, session: Session) -> list[Body]:
    """Every body, by workstream then name."""
    return list(session.exec(select(Body).order_by(Body.workstream, Body.name)).all())


def get_body(*, session: Session, body_id: int) -> Body:
    body = session.get(Body, body_id)
    if body is None:
        raise NotFound(f"no body {body_id}")
    return body


def create_body(*, session: Session, form: BodyForm, actor: str) -> Body:
    """Add a recurring meeting."""
    body = Body(**_clean_body(session, form, None))
    session.add(body)
    session.flush()
    record_event(
        session,
        actor=actor,
        action="body.create",
        object_type="body",
        object_id=body.id or 0,
        kind=body.kind,
        workstream=body.workstream,
    )
    session.commit()
    return body


def update_body(*, session: Session, body_id: int, form: BodyForm, actor: str) -> Body:
    """Change a body's name, kind, workstream or title patterns."""
    body = get_body(session=session, body_id=body_id)
    _apply_update(session, body, _clean_body(session, form, body_id), actor, "body")
    return body


@dataclass(frozen=True)
class Workstream:
    name: str
    bodies: dict[str, int]  # kind -> number of bodies
    meetings: int


def list_workstreams(*, session: Session) -> list[Workstream]:
    """Each workstream with its bodies by kind and its number of current meetings."""
    kinds: dict[str, Counter[str]] = {}
    for workstream, kind, n in session.exec(
        select(Body.workstream, Body.kind, func.count()).group_by(Body.workstream, Body.kind)
    ).all():
        kinds.setdefault(workstream, Counter())[kind] += n
    meetings = dict(
        session.exec(
            select(Body.workstream, func.count())
            .select_from(Meeting)
            .join(Body, Body.id == Meeting.body_id)
            .where(Meeting.is_current == True)  # noqa: E712
            .group_by(Body.workstream)
        ).all()
    )
    return [Workstream(w, dict(kinds[w]), meetings.get(w, 0)) for w in sorted(kinds)]


# ------------------------------------------------------------------- users


def list_users(*, session: Session) -> list[User]:
    """Every sign-in, by email."""
    return list(session.exec(select(User).order_by(User.email)).all())


def _user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"no sign-in {user_id}")
    return user


def _other_active_admins(session: Session, user_id: int) -> int:
    return len(
        session.exec(
            select(User.id).where(
                User.role == vocab.Role.ADMIN,
                User.active == True,  # noqa: E712
                User.id != user_id,
            )
        ).all()
    )


def set_user_role(*, session: Session, user_id: int, role: str, actor: str) -> User:
    """Change a sign-in's role; it is signed out everywhere (session_version bumps)."""
    user = _user(session, user_id)
    if role not in USER_ROLES:
        raise BadInput(f"the role must be one of {', '.join(USER_ROLES)}")
    if role == vocab.Role.LXP and user.person_id is None:
        raise BadInput("an lxp sign-in must be tied to a roster person; add it with the CLI")
    if (
        user.role == vocab.Role.ADMIN
        and role != vocab.Role.ADMIN
        and not _other_active_admins(session, user_id)
    ):
        raise NotAllowed("this is the last admin; make someone else admin first")
    if role != user.role:
        old = user.role
        user.role = role
        user.session_version += 1
        session.add(user)
        record_event(
            session,
            actor=actor,
            action="user.role",
            object_type="user",
            object_id=user_id,
            old=old,
            new=role,
        )
        session.commit()
    return user


def set_user_active(*, session: Session, user_id: int, active: bool, actor: str) -> User:
    """Deactivate (signing out everywhere) or reactivate a sign-in."""
    user = _user(session, user_id)
    if not active and user.role == vocab.Role.ADMIN and not _other_active_admins(session, user_id):
        raise NotAllowed("this is the last admin; it cannot be deactivated")
    if user.active != active:
        user.active = active
        user.session_version += 1
        session.add(user)
        record_event(
            session,
            actor=actor,
            action="user.activate" if active else "user.deactivate",
            object_type="user",
            object_id=user_id,
        )
        session.commit()
    return user
