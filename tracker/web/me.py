"""LXPs: my contributions and what became of them, flags, consent, digest settings."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from tracker.domain.vocab import Role
from tracker.errors import NotFound, TrackerError
from tracker.numbers import is_number
from tracker.services import feedback, lxp_view
from tracker.web import get_session
from tracker.web.auth import roles_required

bp = Blueprint("me", __name__, url_prefix="/me")


def _person_id() -> int:
    if g.get("person") is None:
        abort(403)
    return int(g.person.id)


@bp.get("/")
@roles_required(Role.LXP)
def contributions() -> str:
    """Everything I said, when and where, and what became of it."""
    session, pid = get_session(), _person_id()
    mine = feedback.my_contributions(session=session, person_id=pid)
    group = lxp_view.group_points(session, pid)
    return render_template(
        "me/contributions.html",
        mine=mine,
        group=group,
        told=lxp_view.tell(session, mine + group),
        flags=feedback.my_flags(session=session, person_id=pid),
        consents=feedback.CONSENTS,
        kinds=feedback.FLAG_KINDS,
    )


@bp.get("/contributions/<int:contribution_id>")
@roles_required(Role.LXP)
def contribution(contribution_id: int) -> str:
    """One of my points, with its evidence, consent and a way to flag it."""
    mine = feedback.my_contribution(
        session=get_session(), person_id=_person_id(), contribution_id=contribution_id
    )
    return render_template(
        "me/contribution.html",
        m=mine,
        told=lxp_view.tell(get_session(), [mine])[contribution_id],
        consents=feedback.CONSENTS,
        stories=feedback.STORY_CHOICES,
        kinds=feedback.FLAG_KINDS,
    )


@bp.post("/contributions/<int:contribution_id>/story")
@roles_required("lxp")
def story(contribution_id: int) -> Response:
    """Say whether this point is a personal story (never quoted to anyone else)."""
    feedback.set_story(
        session=get_session(),
        person_id=_person_id(),
        contribution_id=contribution_id,
        story=request.form.get("story", ""),
        actor=g.user.email,
    )
    flash("Saved. This applies from your next digest, page and export.", "info")
    return redirect(url_for("me.contribution", contribution_id=contribution_id), code=303)


@bp.post("/contributions/<int:contribution_id>/consent")
@roles_required(Role.LXP)
def consent(contribution_id: int) -> Response:
    """Choose how this point may be quoted."""
    feedback.set_consent(
        session=get_session(),
        person_id=_person_id(),
        contribution_id=contribution_id,
        consent=request.form.get("consent", ""),
        actor=g.user.email,
    )
    flash("Saved. This applies from your next digest, page and export.", "info")
    return redirect(url_for("me.contribution", contribution_id=contribution_id), code=303)


@bp.post("/contributions/<int:contribution_id>/flag")
@roles_required(Role.LXP)
def flag(contribution_id: int) -> Any:
    """Say 'this is not what I said'; it goes to the chair."""
    try:
        feedback.raise_flag(
            session=get_session(),
            person_id=_person_id(),
            kind="not-what-i-said",
            message=request.form.get("message", ""),
            contribution_id=contribution_id,
            actor=g.user.email,
        )
    except NotFound:
        raise
    except TrackerError as exc:
        mine = feedback.my_contribution(
            session=get_session(), person_id=_person_id(), contribution_id=contribution_id
        )
        return render_template(
            "me/contribution.html",
            m=mine,
            told=lxp_view.tell(get_session(), [mine])[contribution_id],
            consents=feedback.CONSENTS,
            kinds=feedback.FLAG_KINDS,
            error=exc.message,
        ), 400
    flash("Thank you. The chair will look at this and answer you here.", "info")
    return redirect(url_for("me.contribution", contribution_id=contribution_id), code=303)


@bp.route("/missing", methods=["GET", "POST"])
@roles_required(Role.LXP)
def missing() -> Any:
    """Say 'I said something that is missing' from a meeting's minutes."""
    session, pid = get_session(), _person_id()
    error = None
    if request.method == "POST":
        raw = request.form.get("meeting_id", "")
        try:
            feedback.raise_flag(
                session=session,
                person_id=pid,
                kind="missing",
                message=request.form.get("message", ""),
                meeting_id=int(raw) if is_number(raw) else None,
                actor=g.user.email,
            )
        except TrackerError as exc:
            error = exc.message
        else:
            flash("Thank you. The chair will look at this and answer you.", "info")
            return redirect(url_for("me.contributions"), code=303)
    return render_template(
        "me/missing.html",
        meetings=feedback.my_meetings(session=session, person_id=pid),
        error=error,
    ), (400 if error else 200)


@bp.route("/settings", methods=["GET", "POST"])
@roles_required(Role.LXP)
def settings() -> Any:
    """How often my 'you said, we did' digest comes, and what it holds."""
    person = g.person
    if person is None:
        abort(403)
    if request.method == "POST":
        feedback.set_digest_preferences(
            session=get_session(),
            person_id=person.id,
            frequency=request.form.get("frequency", ""),
            positive="positive" in request.form,
            critical="critical" in request.form,
            plain_text="plain_text" in request.form,
            actor=g.user.email,
        )
        flash("Your digest settings are saved.", "info")
        return redirect(url_for("me.settings"), code=303)
    return render_template("me/settings.html", person=person, frequencies=feedback.FREQUENCIES)
