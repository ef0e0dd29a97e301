"""Sign-ins: create users, check passwords (argon2id), end sessions."""

from __future__ import annotations

import re

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, select

from tracker.errors import BadInput, Conflict
from tracker.models import Person, User
from tracker.services.audit import record_event

ROLES = ("chair", "lxp", "lead", "admin")
MIN_PASSWORD = 8
MAX_PASSWORD = 256
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

# A short offline list of passwords seen most often in breaches (ASVS V6.2.12
# asks for a breached-password check; this is the part that needs no network).
COMMON_PASSWORDS = frozenset(
    """
    password password1 password123 passw0rd 12345678 123456789 1234567890 qwerty123
    qwertyuiop iloveyou sunshine princess football baseball welcome1 welcome123
    abc12345 letmein1 trustno1 11111111 00000000 12341234 87654321 admin123
    administrator changeme changeme1 superman starwars dragon12 monkey123 whatever
    computer internet liverpool chelsea arsenal1 q1w2e3r4 1q2w3e4r zaq12wsx
    """.split()  # noqa: SIM905
)

_hasher = PasswordHasher()  # argon2id with the library's recommended costs


def use_hasher(hasher: PasswordHasher) -> None:
    """Swap the password hasher (tests use cheaper costs to stay fast)."""
    global _hasher, _dummy_hash
    _hasher, _dummy_hash = hasher, None


def check_password_rules(password: str) -> None:
    """Refuse passwords that are too short, too long or too common."""
    if len(password) < MIN_PASSWORD:
        raise BadInput(f"the password must be at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise BadInput(f"the password must be at most {MAX_PASSWORD} characters")
    if password.lower() in COMMON_PASSWORDS:
        raise BadInput("that password is too common; choose another")


def hash_password(password: str) -> str:
    """Return an argon2id hash of the password."""
    return _hasher.hash(password)


def create_user(
    *,
    session: Session,
    email: str,
    password: str,
    role: str,
    person_name: str | None = None,
    actor: str = "cli",
) -> User:
    """Add a sign-in; LXP accounts are tied to their roster person."""
    email = email.strip().lower()
    if not EMAIL.match(email):
        raise BadInput(f"{email!r} is not an email address")
    if role not in ROLES:
        raise BadInput(f"role {role!r} must be one of {', '.join(ROLES)}")
    check_password_rules(password)
    if session.exec(select(User).where(User.email == email)).first() is not None:
        raise Conflict(f"there is already a sign-in for {email}")
    person = _find_person(session, person_name, email)
    if role == "lxp" and person is None:
        raise BadInput(
            "an lxp sign-in needs a roster person: use --person NAME "
            "(or an email that is on the roster)"
        )
    user = User(
        email=email,
        password_hash=hash_password(password),
        role=role,
        person_id=person.id if person else None,
    )
    session.add(user)
    session.flush()
    record_event(
        session,
        actor=actor,
        action="user.add",
        object_type="user",
        object_id=user.id or 0,
        role=role,
    )
    session.commit()
    return user


def _find_person(session: Session, name: str | None, email: str) -> Person | None:
    if name:
        wanted = name.strip().lower()
        for person in session.exec(select(Person)).all():
            if person.name.lower() == wanted or wanted in (a.lower() for a in person.aliases):
                return person
        raise BadInput(f"no roster person called {name!r}; add them with `tracker people import`")
    return session.exec(select(Person).where(Person.email == email)).first()


def authenticate(*, session: Session, email: str, password: str, ip: str = "") -> User | None:
    """Return the active user with this email and password, else None; audit both."""
    email = email.strip().lower()
    user = session.exec(select(User).where(User.email == email)).first()
    stored = user.password_hash if user is not None else _dummy()
    try:
        # Verify even for unknown emails, so timing does not reveal who exists.
        _hasher.verify(stored, password[:MAX_PASSWORD])
        ok = user is not None and user.active
    except (VerificationError, InvalidHashError):
        ok = False
    if ok and user is not None:
        if _hasher.check_needs_rehash(user.password_hash):
            user.password_hash = hash_password(password)
            session.add(user)
        record_event(
            session, actor=email, action="login.ok", object_type="user", object_id=user.id or 0
        )
        session.commit()
        return user
    record_event(session, actor=email[:200], action="login.failed", ip=ip)
    session.commit()
    return None


def end_sessions(*, session: Session, user_id: int, actor: str) -> None:
    """Invalidate every session of a user (sign-out, role change)."""
    user = session.get(User, user_id)
    if user is None:
        return
    user.session_version += 1
    session.add(user)
    record_event(session, actor=actor, action="logout", object_type="user", object_id=user_id)
    session.commit()


def record_denial(*, session: Session, actor: str, what: str, **detail: object) -> None:
    """Audit a refused request (rate limit, forbidden page)."""
    record_event(session, actor=actor, action=what, **detail)
    session.commit()


_dummy_hash: str | None = None


def _dummy() -> str:
    """A hash with the current costs, verified for unknown emails to even out timing."""
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = _hasher.hash("not a real password")
    return _dummy_hash
