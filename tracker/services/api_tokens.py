"""Read-only API keys: created and revoked by an admin, stored only as a SHA-256."""

from __future__ import annotations

import hashlib
import secrets

from sqlmodel import Session, select

from tracker.errors import BadInput, NotFound
from tracker.models import ApiToken, utcnow
from tracker.services.audit import record_event
from tracker.services.scope import programme_named

PREFIX = "trk_"


def hash_token(raw: str) -> str:
    """The stored form of a key. Keys are 256-bit random, so a plain SHA-256 is enough."""
    return hashlib.sha256(raw.encode()).hexdigest()


def create_token(
    *, session: Session, name: str, actor: str, programme: str | None = None
) -> tuple[ApiToken, str]:
    """Make a key; return the row and the key itself, which is shown once and never stored.

    With ``programme``, the key reads only that programme; without, every programme."""
    name = " ".join(name.split())
    if not name:
        raise BadInput("give the key a name that says who or what uses it")
    if len(name) > 100:
        raise BadInput("keep the key's name under 100 characters")
    raw = PREFIX + secrets.token_urlsafe(32)
    programme_id = programme_named(session, programme) if (programme or "").strip() else None
    token = ApiToken(
        name=name,
        token_hash=hash_token(raw),
        prefix=raw[:10],
        created_by=actor,
        programme_id=programme_id,
    )
    session.add(token)
    session.flush()
    record_event(
        session,
        actor=actor,
        action="api_token.create",
        object_type="api_token",
        object_id=token.id or 0,
        name=name,
    )
    session.commit()
    return token, raw


def revoke_token(*, session: Session, token_id: int, actor: str) -> ApiToken:
    """Stop a key working, at once."""
    token = session.get(ApiToken, token_id)
    if token is None:
        raise NotFound(f"no API key {token_id}")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        session.add(token)
        record_event(
            session,
            actor=actor,
            action="api_token.revoke",
            object_type="api_token",
            object_id=token_id,
        )
        session.commit()
    return token


def list_tokens(*, session: Session) -> list[ApiToken]:
    """Every key, newest first (hashes only)."""
    return list(session.exec(select(ApiToken).order_by(ApiToken.id.desc())).all())  # type: ignore[union-attr]


def authenticate(*, session: Session, raw: str | None) -> ApiToken | None:
    """Return the live key matching a presented key, or None."""
    if not raw or not raw.startswith(PREFIX) or len(raw) > 200:
        return None
    token = session.exec(select(ApiToken).where(ApiToken.token_hash == hash_token(raw))).first()
    if token is None or token.revoked_at is not None:
        return None
    now = utcnow()
    # Note use at most once a minute, so busy clients do not write on every call.
    last = token.last_used_at
    if last is None or (now - last.replace(tzinfo=now.tzinfo)).total_seconds() > 60:
        token.last_used_at = now
        session.add(token)
        session.commit()
    return token
