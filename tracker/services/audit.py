"""Append-only audit trail. Never pass contribution or story text here."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from tracker.models import AuditEvent


def record_event(
    session: Session,
    *,
    actor: str,
    action: str,
    object_type: str = "",
    object_id: str | int = "",
    **detail: Any,
) -> AuditEvent:
    """Add an audit row to the session; the caller's commit makes it stick."""
    event = AuditEvent(
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        detail=detail,
    )
    session.add(event)
    return event
