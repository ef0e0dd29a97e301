"""Programmes kept apart: which programmes a sign-in may see.

Every body and person belongs to a programme. Admins see all of them; a lead
or chair sees only the programmes they were given (least privilege: none
given, nothing shown). A database with no programme at all (never migrated
to programmes, e.g. a bare test database) has nothing to keep apart.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from tracker.domain.vocab import Role
from tracker.errors import BadInput, NotFound
from tracker.models import (
    DEFAULT_PROGRAMME,
    Body,
    Contribution,
    Link,
    Meeting,
    Programme,
    User,
    UserProgramme,
)

#: Programme ids a sign-in may see; None means every programme.
Scope = frozenset[int] | None


def programmes_of(session: Session, user: User | None) -> Scope:
    """The programme ids ``user`` may see (None: all, for admins)."""
    if user is not None and user.role == Role.ADMIN:
        return None
    if session.exec(select(Programme.id).limit(1)).first() is None:
        return None
    if user is None:
        return frozenset()
    rows = session.exec(
        select(UserProgramme.programme_id).where(UserProgramme.user_id == user.id)
    ).all()
    return frozenset(rows)


def scope_bodies(query: Any, scope: Scope) -> Any:
    """Limit a select that involves Body to the bodies of the scope's programmes."""
    if scope is None:
        return query
    return query.where(Body.programme_id.in_(sorted(scope)))  # type: ignore[union-attr]


def scope_meetings(query: Any, scope: Scope) -> Any:
    """Limit a select that involves Meeting to meetings of bodies in scope."""
    if scope is None:
        return query
    ids = select(Body.id).where(Body.programme_id.in_(sorted(scope)))  # type: ignore[union-attr]
    return query.where(Meeting.body_id.in_(ids))  # type: ignore[attr-defined]


def same_programme(body: Body) -> list[Any]:
    """Where-clauses for bodies of ``body``'s programme (none without programmes)."""
    if body.programme_id is None:
        return []
    return [Body.programme_id == body.programme_id]


def scope_points(query: Any, column: Any, scope: Scope) -> Any:
    """Limit a select to rows whose ``column`` is a contribution id in scope."""
    if scope is None:
        return query
    bodies = select(Body.id).where(Body.programme_id.in_(sorted(scope)))  # type: ignore[union-attr]
    meetings = select(Meeting.id).where(Meeting.body_id.in_(bodies))  # type: ignore[attr-defined]
    points = select(Contribution.id).where(Contribution.meeting_id.in_(meetings))  # type: ignore[attr-defined]
    return query.where(column.in_(points))


def check_body(body: Body | None, scope: Scope) -> None:
    """Raise NotFound (a 404, as if it did not exist) for a body out of scope."""
    if body is None or (scope is not None and body.programme_id not in scope):
        raise NotFound("no such record")


def check_meeting(session: Session, meeting_id: int, scope: Scope) -> None:
    """NotFound for a meeting of a programme outside the scope (or no such meeting)."""
    if scope is None:
        return
    meeting = session.get(Meeting, meeting_id)
    check_body(session.get(Body, meeting.body_id) if meeting else None, scope)


def check_contribution(session: Session, contribution_id: int, scope: Scope) -> None:
    """NotFound for a contribution of a programme outside the scope."""
    if scope is None:
        return
    row = session.get(Contribution, contribution_id)
    if row is None:
        raise NotFound("no such record")
    check_meeting(session, row.meeting_id, scope)


def check_link(session: Session, link_id: int, scope: Scope) -> None:
    """NotFound for a link whose LXP point is outside the scope."""
    if scope is None:
        return
    link = session.get(Link, link_id)
    if link is None:
        raise NotFound("no such link")
    check_contribution(session, link.contribution_id, scope)


def list_programmes(session: Session) -> list[Programme]:
    return list(session.exec(select(Programme).order_by(Programme.name)).all())


def add_programme(*, session: Session, name: str) -> Programme:
    """Add a programme; one clear line if the name is empty or taken."""
    name = " ".join(name.split())
    if not name:
        raise BadInput("a programme needs a name")
    if session.exec(select(Programme).where(Programme.name == name)).first():
        raise BadInput(f"there is already a programme called {name!r}")
    programme = Programme(name=name)
    session.add(programme)
    session.commit()
    session.refresh(programme)
    return programme


def programme_named(session: Session, name: str | None) -> int | None:
    """The id of the programme called ``name``; with no name, the default one.

    No name and no programme at all gives None (nothing to keep apart);
    no name and several programmes with no default is an error.
    """
    name = " ".join((name or "").split())
    if name:
        found = session.exec(select(Programme).where(Programme.name == name)).first()
        if found is None:
            raise BadInput(f"no programme called {name!r} (add it with 'tracker programmes add')")
        return found.id
    every = list_programmes(session)
    if not every:
        return None
    if len(every) == 1:
        return every[0].id
    for p in every:
        if p.name == DEFAULT_PROGRAMME:
            return p.id
    raise BadInput("there are several programmes: say which one")


def programme_ids(session: Session, names: list[str] | tuple[str, ...]) -> set[int]:
    """Ids of the named programmes (no names: the only or default one, if any)."""
    ids = (
        {programme_named(session, n) for n in names} if names else {programme_named(session, None)}
    )
    return {i for i in ids if i is not None}


def give_programmes(session: Session, user_id: int, ids: set[int]) -> None:
    """Give a sign-in these programmes. The caller commits."""
    for pid in sorted(ids):
        session.add(UserProgramme(user_id=user_id, programme_id=pid))
