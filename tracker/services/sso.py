"""Single sign-on: turn an identity provider's verified claims into a sign-in.

The web layer (tracker/web/oidc.py, Authlib) checks the id_token's signature,
issuer, audience, expiry and nonce; this module only decides who that is here:

1. a sign-in already tied to this subject (issuer + ``oid``/``sub``);
2. else a sign-in with the same email, not yet tied to anyone (an admin added
   or invited it): it is tied now, on first sign-in;
3. else, if the person's groups give a role (``[oidc.roles]``), a new sign-in
   with that role (an LXP must also be on the roster with that email);
4. else nobody: they are told to ask an admin, and the attempt is audited.

When groups give a role, they are the source of truth: the role follows the
groups at every sign-in.  Without a mapped group, the admin's role stands.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, select

from tracker.domain.vocab import Role
from tracker.models import Person, User
from tracker.services.accounts import EMAIL, ROLES
from tracker.services.audit import record_event

# No password matches this: argon2 refuses it as "not a hash", so a sign-in
# made by single sign-on cannot be used with a password.
NO_PASSWORD = "!sso"
# Most powerful first: someone in several mapped groups gets the first.
ROLE_ORDER = (Role.ADMIN, Role.LEAD, Role.CHAIR, Role.LXP)


@dataclass(frozen=True)
class SsoOutcome:
    """The sign-in to start, or why there is none (a sentence for the person)."""

    user: User | None
    refusal: str = ""


def subject_of(claims: Mapping[str, Any]) -> str:
    """Return a stable key for the person: issuer, then Entra's oid or the sub."""
    return f"{claims.get('iss', '')}|{claims.get('oid') or claims.get('sub')}"


def email_of(claims: Mapping[str, Any]) -> str:
    """Return the email (Entra ID may only give preferred_username, the UPN)."""
    for key in ("email", "preferred_username", "upn"):
        value = str(claims.get(key) or "").strip().lower()
        if EMAIL.match(value):
            return value
    return ""


def role_from_groups(
    claims: Mapping[str, Any], groups_claim: str, role_groups: Mapping[str, Sequence[str]]
) -> str | None:
    """Return the role the person's groups give, or None."""
    raw = claims.get(groups_claim) or []
    groups = {raw} if isinstance(raw, str) else {str(g) for g in raw}
    for role in ROLE_ORDER:
        if groups & set(role_groups.get(role, ())):
            return role
    return None


def sign_in_with_claims(
    *,
    session: Session,
    claims: Mapping[str, Any],
    groups_claim: str = "groups",
    role_groups: Mapping[str, Sequence[str]] | None = None,
    ip: str = "",
) -> SsoOutcome:
    """Find, tie or create the sign-in for verified claims; audit the outcome."""
    role_groups = role_groups or {}
    subject = subject_of(claims)
    email = email_of(claims)
    role = role_from_groups(claims, groups_claim, role_groups)
    user = session.exec(select(User).where(User.oidc_subject == subject)).first()
    if user is None and email:
        by_email = session.exec(select(User).where(User.email == email)).first()
        if by_email is not None and by_email.oidc_subject is None:
            user = by_email
            user.oidc_subject = subject
            record_event(
                session,
                actor=email,
                action="sso.linked",
                object_type="user",
                object_id=user.id or 0,
            )
    if user is None and role is not None and email:
        person = session.exec(select(Person).where(Person.email == email)).first()
        if role == Role.LXP and person is None:
            return _refuse(
                session,
                email,
                ip,
                "Your account is not on the roster yet. Ask your programme admin to add you.",
            )
        user = User(
            email=email,
            password_hash=NO_PASSWORD,
            role=role,
            person_id=person.id if person else None,
            oidc_subject=subject,
        )
        session.add(user)
        session.flush()
        record_event(
            session,
            actor=email,
            action="user.add",
            object_type="user",
            object_id=user.id or 0,
            role=role,
            via="sso",
        )
    if user is None:
        return _refuse(
            session,
            email or "unknown",
            ip,
            "You do not have access to the tracker yet. Ask your programme admin to add "
            f"{email or 'your work email'} under Admin > Sign-ins, then sign in again.",
        )
    if not user.active:
        return _refuse(
            session, user.email, ip, "Your sign-in has been switched off. Ask your programme admin."
        )
    if role is not None and role != user.role and role in ROLES:
        record_event(
            session,
            actor=user.email,
            action="user.role",
            object_type="user",
            object_id=user.id or 0,
            role=role,
            was=user.role,
            via="sso groups",
        )
        user.role = role
    session.add(user)
    record_event(
        session,
        actor=user.email,
        action="login.ok",
        object_type="user",
        object_id=user.id or 0,
        via="sso",
    )
    session.commit()
    return SsoOutcome(user)


def _refuse(session: Session, actor: str, ip: str, message: str) -> SsoOutcome:
    session.rollback()
    record_event(session, actor=actor[:200], action="sso.refused", ip=ip)
    session.commit()
    return SsoOutcome(None, message)
