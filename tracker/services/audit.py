"""Append-only audit trail. Never pass contribution or story text here."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session

from tracker import clock
from tracker.models import AuditEvent


def record_event(
    session: Session,
    *,
    actor: str,
    action: str,
    object_type: str = "",
    object_id: str | int = "",
    at: datetime | None = None,
    **detail: Any,
) -> AuditEvent:
    """Add an audit row to the session; the caller's commit makes it stick.

    This is the one way to write an audit row; ``at`` defaults to the clock.
    """
    event = AuditEvent(
        at=at or clock.now(),
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        detail=detail,
    )
    session.add(event)
    return event


def record_and_commit(session: Session, **fields: Any) -> None:
    """Write one audit row on its own (a page view, an API read, a refusal) and commit."""
    record_event(session, **fields)
    session.commit()
