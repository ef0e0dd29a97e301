"""The chair's check after each meeting, and actions on a lost point."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from tracker.domain.vocab import Role
from tracker.errors import BadInput
from tracker.numbers import is_number
from tracker.services import checks, linking
from tracker.web import get_session, guard_programmes, viewer_programmes
from tracker.web.auth import roles_required

bp = Blueprint("checks", __name__, url_prefix="/checks")
bp.before_request(guard_programmes)
CHECKERS = (Role.CHAIR, Role.LEAD, Role.ADMIN)


def _settings():
    return current_app.config["TRACKER"]


@bp.get("/")
@roles_required(*CHECKERS)
def index() -> str:
    """Points waiting for a check, per body; recent meetings; agenda requests."""
    session, mine = get_session(), viewer_programmes()
    recent, bodies = checks.recent_meetings(session, programmes=mine)
    return render_template(
        "checks/index.html",
        waiting=checks.waiting_by_body(session=session, settings=_settings(), programmes=mine),
        recent=recent,
        bodies=bodies,
        requests=checks.agenda_requests(session=session, programmes=mine),
    )


@bp.get("/meetings/<int:meeting_id>")
@roles_required(*CHECKERS)
def meeting(meeting_id: int) -> str:
    """One meeting's check: each open point beside its best candidates."""
    page = checks.check_page(session=get_session(), meeting_id=meeting_id, settings=_settings())
    return render_template("checks/meeting.html", page=page)


def _back(meeting_id: int, anchor: str = "") -> Response:
    url = url_for("checks.meeting", meeting_id=meeting_id)
    return redirect(url + (f"#{anchor}" if anchor else ""), code=303)


@bp.post("/meetings/<int:meeting_id>/confirm/<int:link_id>")
@roles_required(*CHECKERS)
def confirm(meeting_id: int, link_id: int) -> Response:
    """This record of the meeting takes the point up."""
    checks.confirm_candidate(
        session=get_session(), meeting_id=meeting_id, link_id=link_id, actor=g.user.email
    )
    flash("Confirmed. The LXP will read that the chair confirmed it.", "info")
    return _back(meeting_id)


@bp.post("/meetings/<int:meeting_id>/reject/<int:link_id>")
@roles_required(*CHECKERS)
def reject(meeting_id: int, link_id: int) -> Response:
    """This record does not take the point up, and why."""
    try:
        linking.reject_link(
            session=get_session(),
            link_id=link_id,
            reason=request.form.get("reason", ""),
            actor=g.user.email,
        )
    except BadInput:
        flash("Say why this record is not the same point, then reject it.", "error")
        return _back(meeting_id, f"candidate-{link_id}")
    flash("Rejected.", "info")
    return _back(meeting_id)


@bp.post("/meetings/<int:meeting_id>/none/<int:contribution_id>")
@roles_required(*CHECKERS)
def none(meeting_id: int, contribution_id: int) -> Response:
    """None of this meeting's records takes the point up."""
    checks.none_of_these(
        session=get_session(),
        meeting_id=meeting_id,
        contribution_id=contribution_id,
        actor=g.user.email,
    )
    flash("Checked: this meeting does not take the point up.", "info")
    return _back(meeting_id)


@bp.get("/points/<int:contribution_id>")
@roles_required(*CHECKERS)
def point(contribution_id: int) -> tuple[str, int] | str:
    """Act on a lost point: not taken forward, link by hand, or ask for an agenda item."""
    session = get_session()
    c, m, body = checks.lost_point(session, contribution_id)
    words = request.args.get("q", "").strip()
    found, error = [], None
    if words:
        try:
            found = checks.search_later_records(
                session=session, contribution_id=contribution_id, words=words
            )
        except BadInput as exc:
            error = exc.message
    shown = checks.point_shown(session, c)
    return render_template(
        "checks/point.html",
        c=c,
        text=shown.text,
        said_by=shown.who,
        can_mark_story=g.user.role in ("chair", "admin") and not c.is_story,
        meeting=m,
        body=body,
        outcome=checks.point_outcome(session, contribution_id),
        words=words,
        found=found,
        error=error,
        governance=checks.governance_bodies(session, contribution_id),
        # Naming who raised it beside the words would undo "quote me without my name".
        lxps=checks.lxps_who_raised(session, contribution_id) if shown.named else [],
        requests=[
            r
            for r in checks.agenda_requests(session=session)
            if r.request.contribution_id == contribution_id
        ],
    ), (400 if error else 200)


def _to_point(contribution_id: int) -> Response:
    return redirect(url_for("checks.point", contribution_id=contribution_id), code=303)


@bp.post("/points/<int:contribution_id>/not-taken-forward")
@roles_required(*CHECKERS)
def not_taken_forward(contribution_id: int) -> Response:
    """Record why the point is not taken forward; the LXP reads the reason."""
    try:
        linking.set_not_taken_forward(
            session=get_session(),
            contribution_id=contribution_id,
            reason=request.form.get("reason", ""),
            actor=g.user.email,
        )
    except BadInput:
        flash("Give the reason; it is shared with the LXPs who raised the point.", "error")
        return _to_point(contribution_id)
    flash("Saved. The reason will be shared with the LXPs who raised the point.", "info")
    return _to_point(contribution_id)


@bp.post("/points/<int:contribution_id>/story")
@roles_required("chair", "admin")
def story(contribution_id: int) -> Response:
    """Mark the point as a personal story (only its LXP can unmark it)."""
    checks.mark_story(session=get_session(), contribution_id=contribution_id, actor=g.user.email)
    flash("Marked as a personal story: it is quoted to nobody else from now on.", "info")
    return _to_point(contribution_id)


@bp.post("/points/<int:contribution_id>/withdraw")
@roles_required(*CHECKERS)
def withdraw(contribution_id: int) -> Response:
    """Withdraw a recorded not-taken-forward; the links decide the outcome again."""
    try:
        linking.withdraw_not_taken_forward(
            session=get_session(), contribution_id=contribution_id, actor=g.user.email
        )
    except BadInput:
        flash("This point is not recorded as not taken forward.", "error")
        return _to_point(contribution_id)
    flash("Withdrawn. The outcome follows the minutes again.", "info")
    return _to_point(contribution_id)


@bp.post("/points/<int:contribution_id>/link")
@roles_required(*CHECKERS)
def link(contribution_id: int) -> Response:
    """Link the point by hand to a later record found by its words."""
    raw = request.form.get("record", "")
    kind, _, number = raw.partition(":")
    try:
        if not is_number(number):
            raise BadInput("choose one of the records found")
        checks.link_by_hand(
            session=get_session(),
            contribution_id=contribution_id,
            kind=kind,
            record_id=int(number),
            actor=g.user.email,
        )
    except BadInput as exc:
        flash(exc.message[:1].upper() + exc.message[1:] + ".", "error")
        return _to_point(contribution_id)
    flash("Linked. The point's outcome now rests on this record, confirmed by you.", "info")
    return _to_point(contribution_id)


@bp.post("/points/<int:contribution_id>/agenda")
@roles_required(*CHECKERS)
def agenda(contribution_id: int) -> Response:
    """Ask for the point to go on the next agenda of a governance body."""
    raw = request.form.get("body_id", "")
    try:
        if not is_number(raw):
            raise BadInput("choose the body whose next agenda should hold the point")
        checks.request_agenda_item(
            session=get_session(),
            contribution_id=contribution_id,
            body_id=int(raw),
            invite_lxps="invite" in request.form,
            actor=g.user.email,
        )
    except BadInput as exc:
        flash(exc.message[:1].upper() + exc.message[1:] + ".", "error")
        return _to_point(contribution_id)
    flash("Requested. It is tracked until a later meeting of that body takes it up.", "info")
    return _to_point(contribution_id)
