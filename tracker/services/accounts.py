"""Sign-ins: create users, check passwords (argon2id) and TOTP codes, end sessions."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import or_, update
from sqlmodel import Session, select

from tracker import clock
from tracker.domain import vocab
from tracker.errors import BadInput, Conflict, NotFound
from tracker.models import Person, User
from tracker.services import scope
from tracker.services.audit import record_event

ROLES = vocab.ROLES
MFA_ROLES = vocab.MFA_ROLES
TOTP_ISSUER = "You said, we did tracker"
TOTP_DRIFT_STEPS = 1  # accept the code of the previous and next 30 s step too
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
    programmes: tuple[str, ...] = (),
) -> User:
    """Add a sign-in; LXP accounts are tied to their roster person.

    ``programmes`` names the programmes a lead or chair may see (none named:
    the only or default programme)."""
    email = email.strip().lower()
    if not EMAIL.match(email):
        raise BadInput(f"{email!r} is not an email address")
    if role not in ROLES:
        raise BadInput(f"role {role!r} must be one of {', '.join(ROLES)}")
    check_password_rules(password)
    if session.exec(select(User).where(User.email == email)).first() is not None:
        raise Conflict(f"there is already a sign-in for {email}")
    person = _find_person(session, person_name, email)
    if role == vocab.Role.LXP and person is None:
        raise BadInput(
            "an lxp sign-in needs a roster person: use --person NAME "
            "(or an email that is on the roster)"
        )
    programme_ids = scope.programme_ids(session, programmes)
    user = User(
        email=email,
        password_hash=hash_password(password),
        role=role,
        person_id=person.id if person else None,
    )
    session.add(user)
    session.flush()
    scope.give_programmes(session, user.id or 0, programme_ids)
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


# --- Two-step sign-in (TOTP, RFC 6238: 6 digits, 30 s, SHA-1) -------------


def needs_mfa(user: User) -> bool:
    """Is this role asked for an authenticator code after the password?"""
    return user.role in MFA_ROLES


def new_totp_secret() -> str:
    """Return a fresh random base32 key (160 bits)."""
    return pyotp.random_base32()


def enrolment_secret(server_key: str, user_id: int, nonce: str) -> str:
    """Derive the key offered on the enrolment page (nothing secret goes in the cookie)."""
    digest = hmac.new(
        server_key.encode(), f"totp-enrol:{user_id}:{nonce}".encode(), hashlib.sha256
    ).digest()
    return base64.b32encode(digest[:20]).decode("ascii")


def totp_uri(secret: str, email: str) -> str:
    """Return the otpauth:// address authenticator apps accept."""
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=TOTP_ISSUER)


def grouped(secret: str) -> str:
    """Return the key in groups of four, easier to type."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _matching_step(secret: str, code: str, now: float | None = None) -> int | None:
    """Return the time step whose code this is (allowing one step of drift), else None."""
    code = re.sub(r"[\s-]", "", code or "")
    if not re.fullmatch(r"\d{6}", code):
        return None
    totp = pyotp.TOTP(secret)
    current = int((clock.timestamp() if now is None else now) // totp.interval)
    found = None
    for step in range(current - TOTP_DRIFT_STEPS, current + TOTP_DRIFT_STEPS + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            found = step
    return found


def _claim_step(session: Session, user_id: int, step: int) -> bool:
    """Record the step as used, atomically; False if it (or a later one) was used already."""
    last = User.totp_last_step
    result = session.execute(
        update(User)
        .where(User.id == user_id, or_(last.is_(None), last < step))  # type: ignore[union-attr, operator, arg-type]
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1  # type: ignore[attr-defined, no-any-return]


def check_totp(*, session: Session, user: User, code: str, ip: str = "") -> bool:
    """Check an enrolled user's code once: refuse wrong, stale and replayed codes; audit."""
    assert user.id is not None and user.totp_secret
    step = _matching_step(user.totp_secret, code)
    reason = "wrong"
    if step is not None:
        if _claim_step(session, user.id, step):
            record_event(
                session,
                actor=user.email,
                action="login.mfa_ok",
                object_type="user",
                object_id=user.id,
            )
            session.commit()
            session.refresh(user)
            return True
        reason = "replayed"
    session.rollback()
    record_event(
        session,
        actor=user.email,
        action="login.mfa_failed",
        object_type="user",
        object_id=user.id,
        reason=reason,
        ip=ip,
    )
    session.commit()
    return False


def enrol_totp(*, session: Session, user: User, secret: str, code: str, ip: str = "") -> bool:
    """Save the key if the code proves the app has it; audit either way."""
    assert user.id is not None
    step = _matching_step(secret, code)
    if step is None:
        record_event(
            session,
            actor=user.email,
            action="login.mfa_failed",
            object_type="user",
            object_id=user.id,
            reason="enrolment",
            ip=ip,
        )
        session.commit()
        return False
    user.totp_secret, user.totp_last_step = secret, step
    session.add(user)
    record_event(
        session,
        actor=user.email,
        action="login.mfa_enrolled",
        object_type="user",
        object_id=user.id,
    )
    record_event(
        session, actor=user.email, action="login.mfa_ok", object_type="user", object_id=user.id
    )
    session.commit()
    return True


def set_totp_secret(*, session: Session, user: User, actor: str = "cli") -> str:
    """Give a lead or admin a fresh key (replacing any old one); return it."""
    if not needs_mfa(user):
        raise BadInput("only lead and admin sign-ins use an authenticator code")
    secret = new_totp_secret()
    user.totp_secret, user.totp_last_step = secret, None
    session.add(user)
    record_event(
        session, actor=actor, action="user.totp_set", object_type="user", object_id=user.id or 0
    )
    session.commit()
    return secret


def reset_totp(*, session: Session, email: str, actor: str = "cli") -> User:
    """Forget a lost authenticator: the next sign-in sets up a new one.

    Every session of the account ends too, so a stolen phone stops working.
    """
    user = session.exec(select(User).where(User.email == email.strip().lower())).first()
    if user is None:
        raise NotFound(f"no sign-in for {email}")
    user.totp_secret, user.totp_last_step = None, None
    user.session_version += 1
    session.add(user)
    record_event(
        session, actor=actor, action="user.totp_reset", object_type="user", object_id=user.id or 0
    )
    session.commit()
    return user


def user_by_id(session: Session, user_id: int) -> User | None:
    """The account with this id, if any."""
    return session.get(User, user_id)


def person_by_id(session: Session, person_id: int) -> Person | None:
    """The person with this id, if any."""
    return session.get(Person, person_id)
