"""Suggested links to review: confirm, reject with a reason, or not taken forward."""

from __future__ import annotations

from flask import Blueprint, render_template

from tracker.web.auth import roles_required

bp = Blueprint("links", __name__, url_prefix="/links")


@bp.get("/")
@roles_required("chair", "lead", "admin")
def queue() -> str:
    """Show suggested links, LXP point beside the later record."""
    return render_template("links/queue.html")
