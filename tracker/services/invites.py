"""Invitations: an admin adds a sign-in by email; the person chooses a password.

The invited sign-in has no usable password until the person opens the signed
link in the email (itsdangerous, its own salt, valid 7 days) and chooses one.
The link names only the sign-in's id and session version; choosing a password
raises the version, so a link works once. With single sign-on the person may
simply sign in with it instead: the sign-in is tied on first use.
"""

from __future__ import annotations

from dataclasses import dataclass

from itsdangerous import BadData, SignatureExpired, URLSafeTimedSerializer
from sqlmodel import Session, select

from tracker.domain.vocab import Role
from tracker.errors import BadInput, Conflict
from tracker.models import Person, User
from tracker.services import scope
from tracker.services.accounts import EMAIL, ROLES, check_password_rules, hash_password
from tracker.services.audit import record_event

INVITED = "!invited"  # not an argon2 hash: no password matches it
MAX_AGE_SECONDS = 7 * 24 * 3600
SALT = "tracker.invite"


@dataclass(frozen=True)
class Invitation:
    user: User
    token: str


def _serializer(secret: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt=SALT)


def invite_user(
    *,
    session: Session,
    secret: str,
    email: str,
    role: str,
    person_id: int | None = None,
    actor: str,
) -> Invitation:
    """Add a sign-in waiting for its password; return it with its link token."""
    email = email.strip().lower()
    if not EMAIL.match(email):
        raise BadInput("Enter an email address such as name@example.org.")
    if role not in ROLES:
        raise BadInput("Choose a role.")
    if session.exec(select(User).where(User.email == email)).first() is not None:
        raise Conflict(f"There is already a sign-in for {email}.")
    person = session.get(Person, person_id) if person_id else None
    if person_id and person is None:
        raise BadInput("Choose a person from the roster.")
    if role == Role.LXP and person is None:
        raise BadInput("An LXP sign-in must be tied to their roster person: choose the person.")
    programme_ids = scope.programme_ids(session, ())  # the only or default programme
    user = User(
        email=email,
        password_hash=INVITED,
        role=role,
        person_id=person.id if person else None,
    )
    session.add(user)
    session.flush()
    scope.give_programmes(session, user.id or 0, programme_ids)
    record_event(
        session, actor=actor, action="user.invite", object_type="user", object_id=user.id or 0
    )
    session.commit()
    return Invitation(user, make_invite_token(secret, user))


def invite_again(*, session: Session, secret: str, user_id: int, actor: str) -> Invitation:
    """Return a fresh link for a sign-in still waiting for its password."""
    user = session.get(User, user_id)
    if user is None or user.password_hash != INVITED or not user.active:
        raise BadInput("That sign-in is not waiting for an invitation.")
    record_event(
        session, actor=actor, action="user.invite_resent", object_type="user", object_id=user_id
    )
    session.commit()
    return Invitation(user, make_invite_token(secret, user))


def make_invite_token(secret: str, user: User) -> str:
    return str(_serializer(secret).dumps({"u": user.id, "v": user.session_version}))


def open_invitation(
    *,
    session: Session,
    secret: str,
    token: str,
) -> User:
    """Return the sign-in a link invites to set up, or raise BadInput saying why not."""
    try:
        data = _serializer(secret).loads(token, max_age=MAX_AGE_SECONDS)
    except SignatureExpired:
        raise BadInput(
            "This invitation has expired. Ask your programme admin to invite you again."
        ) from None
    except BadData:
        raise BadInput("This invitation link is not valid.") from None
    user = session.get(User, data.get("u")) if isinstance(data, dict) else None
    if (
        user is None
        or not user.active
        or user.session_version != data.get("v")
        or user.password_hash != INVITED
    ):
        raise BadInput(
            "This invitation has already been used or withdrawn. Sign in, or ask your "
            "programme admin for a new one."
        )
    return user


def accept_invitation(*, session: Session, secret: str, token: str, password: str) -> User:
    """Set the invited sign-in's password; the link stops working."""
    user = open_invitation(session=session, secret=secret, token=token)
    check_password_rules(password)
    user.password_hash = hash_password(password)
    user.session_version += 1
    session.add(user)
    record_event(
        session,
        actor=user.email,
        action="user.invite_accepted",
        object_type="user",
        object_id=user.id or 0,
    )
    session.commit()
    return user
