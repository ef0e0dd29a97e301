"""Suggested links to review: confirm, reject with a reason, or not taken forward."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from tracker.domain.vocab import Role
from tracker.services import link_queue, linking
from tracker.web import get_session, guard_programmes, viewer_programmes
from tracker.web.auth import roles_required

bp = Blueprint("links", __name__, url_prefix="/links")
bp.before_request(guard_programmes)
REVIEWERS = (Role.CHAIR, Role.LEAD, Role.ADMIN)


@bp.get("/")
@roles_required(*REVIEWERS)
def queue() -> str:
    """Each suggested link: the LXP point beside the later record, shared words marked."""
    session, mine = get_session(), viewer_programmes()
    return render_template(
        "links/queue.html",
        entries=link_queue.review_queue(session=session, programmes=mine),
        waiting=link_queue.count_waiting(session=session, programmes=mine),
    )


@bp.post("/<int:link_id>/confirm")
@roles_required(*REVIEWERS)
def confirm(link_id: int) -> Response:
    """Confirm that the later record traces the LXP point."""
    linking.confirm_link(session=get_session(), link_id=link_id, actor=g.user.email)
    flash("Link confirmed. The LXP will see this in their record.", "info")
    return redirect(url_for("links.queue"), code=303)


@bp.post("/<int:link_id>/reject")
@roles_required(*REVIEWERS)
def reject(link_id: int) -> Response:
    """Reject a suggestion, saying why it is not the same point."""
    linking.reject_link(
        session=get_session(),
        link_id=link_id,
        reason=request.form.get("reason", ""),
        actor=g.user.email,
    )
    flash("Link rejected.", "info")
    return redirect(url_for("links.queue"), code=303)


@bp.post("/points/<int:contribution_id>/not-taken-forward")
@roles_required(*REVIEWERS)
def not_taken_forward(contribution_id: int) -> Response:
    """Record that a point was considered and not taken forward; the LXP sees why."""
    linking.set_not_taken_forward(
        session=get_session(),
        contribution_id=contribution_id,
        reason=request.form.get("reason", ""),
        actor=g.user.email,
    )
    flash("Saved. The reason will be shared with the LXP.", "info")
    return redirect(url_for("links.queue"), code=303)
