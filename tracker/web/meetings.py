"""Chairs: upload Word minutes, review what was parsed, save; answer flags."""

from __future__ import annotations

from flask import Blueprint, render_template

from tracker.web.auth import roles_required

bp = Blueprint("meetings", __name__, url_prefix="/meetings")


@bp.get("/")
@roles_required("chair", "admin")
def index() -> str:
    """List stored minutes and pending uploads."""
    return render_template("meetings/index.html")


@bp.get("/flags")
@roles_required("chair", "admin")
def flags() -> str:
    """The queue of LXP flags to answer."""
    return render_template("meetings/flags.html")
