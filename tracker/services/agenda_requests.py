"""Agenda requests close themselves when a later meeting of the body takes the point up."""

from __future__ import annotations

from sqlalchemy import or_
from sqlmodel import Session, select

from tracker.domain.vocab import LinkStatus
from tracker.models import RECORD_MODELS, AgendaRequest, Link, Meeting


def update_agenda_requests(session: Session) -> int:
    """Close open requests whose point a later meeting of the body now traces (no commit)."""
    closed = 0
    requests = session.exec(select(AgendaRequest).where(AgendaRequest.status == "open")).all()
    for req in requests:
        for link in session.exec(
            select(Link).where(
                Link.contribution_id == req.contribution_id,
                or_(Link.status == LinkStatus.SUGGESTED, Link.status == LinkStatus.CONFIRMED),
            )
        ).all():
            target = RECORD_MODELS.get(link.target_type)
            row = session.get(target, link.target_id) if target is not None else None
            meeting = session.get(Meeting, row.meeting_id) if row is not None else None
            if meeting is not None and meeting.is_current and meeting.body_id == req.body_id:
                req.status, req.taken_up_meeting_id = "taken-up", meeting.id
                session.add(req)
                closed += 1
                break
    return closed
