"""Digest preferences and unsubscribe, reached from the signed links in each email."""

from __future__ import annotations

from sqlmodel import Session

from tracker.config import Settings
from tracker.domain.vocab import Frequency
from tracker.models import Person
from tracker.services.audit import record_event
from tracker.signing import BadToken, read_token, resolve_secret_key


def person_for_link(session: Session, settings: Settings, purpose: str, token: str) -> Person:
    """Return the person a link is for, or raise BadToken."""
    claims = read_token(resolve_secret_key(settings), purpose, token)
    person = session.get(Person, claims.person_id)
    if (
        person is None
        or person.erased_at is not None
        or person.digest_token_version != claims.token_version
    ):
        raise BadToken("This link is no longer valid. Use the link in your latest email.")
    return person


def _audit(session: Session, person: Person, action: str, **detail: object) -> None:
    record_event(
        session,
        actor=f"person:{person.id}",
        action=action,
        object_type="person",
        object_id=person.id or "",
        **detail,
    )


def save_preferences(
    session: Session,
    person: Person,
    *,
    frequency: str,
    positive: bool,
    critical: bool,
    plain_text: bool,
) -> None:
    """Store the person's digest choices (the frequency is already checked)."""
    person.digest_frequency = frequency
    person.digest_positive = positive
    person.digest_critical = critical
    person.digest_plain_text = plain_text
    session.add(person)
    _audit(
        session,
        person,
        "digest.preferences",
        frequency=frequency,
        positive=positive,
        critical=critical,
        plain_text=plain_text,
    )
    session.commit()


def unsubscribe(session: Session, person: Person, *, one_click: bool) -> None:
    """Stop the person's digests."""
    person.digest_frequency = Frequency.NEVER.value
    session.add(person)
    _audit(session, person, "digest.unsubscribe", one_click=one_click)
    session.commit()
