"""LXPs: my contributions, what became of each, flags, consent and digest settings."""

from __future__ import annotations

from flask import Blueprint, render_template

from tracker.web.auth import roles_required

bp = Blueprint("me", __name__, url_prefix="/me")


@bp.get("/")
@roles_required("lxp")
def contributions() -> str:
    """Everything I said, and what became of it."""
    return render_template("me/contributions.html")


@bp.get("/settings")
@roles_required("lxp")
def settings() -> str:
    """My digest preferences."""
    return render_template("me/settings.html")
