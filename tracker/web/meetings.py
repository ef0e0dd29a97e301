"""Chairs: upload Word minutes, review what was parsed, save; answer LXP flags."""

from __future__ import annotations

import io
from typing import Any

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from werkzeug.wrappers import Response

from tracker.domain.vocab import Role
from tracker.errors import NotFound, TrackerError
from tracker.services import editor, feedback, jobs, review
from tracker.services import meetings as meetings_service
from tracker.services.audit import record_and_commit
from tracker.web import get_session, guard_programmes, viewer_programmes
from tracker.web.auth import roles_required

bp = Blueprint("meetings", __name__, url_prefix="/meetings")
bp.before_request(guard_programmes)
CHAIRS = (Role.CHAIR, Role.ADMIN)


def _settings() -> Any:
    return current_app.config["TRACKER"]


@bp.get("/")
@roles_required(*CHAIRS)
def index() -> str:
    """Stored minutes, newest first, and uploads waiting for review."""
    stored = meetings_service.stored_meetings(get_session(), programmes=viewer_programmes())
    pending = review.list_waiting(session=get_session(), user_id=g.user.id)
    return render_template(
        "meetings/index.html",
        meetings=stored.meetings,
        counts=stored.counts,
        unattributed=stored.unattributed,
        pending=pending,
    )


@bp.get("/upload")
@roles_required(*CHAIRS)
def upload_form() -> str:
    """The upload page: drag and drop, or pick files."""
    return render_template(
        "meetings/upload.html",
        bodies=review.body_names(get_session()),
        max_mb=_settings().max_upload_mb,
        results=None,
    )


def _wants_json() -> bool:
    return request.headers.get("X-Requested-With") == "fetch"


@bp.post("/upload")
@roles_required(*CHAIRS)
def upload() -> Any:
    """Parse each uploaded file in the worker; keep good ones aside for review."""
    files = [f for f in request.files.getlist("files") if f and f.filename]
    body_name = (request.form.get("body") or "").strip() or None
    results: list[dict[str, Any]] = []
    if not files:
        results.append({"filename": "", "ok": False, "message": "Choose at least one .docx file."})
    for upload in files:
        name = upload.filename or "minutes.docx"
        try:
            pending = review.stage_upload(
                session=get_session(),
                settings=_settings(),
                data=upload.read(),
                filename=name,
                user_id=g.user.id,
                body_name=body_name,
                # `tracker serve`: read by a background job (any worker), not in this request.
                defer=bool(current_app.config.get("TRACKER_PARSE_JOBS")),
            )
        except TrackerError as exc:
            results.append({"filename": name, "ok": False, "message": exc.message})
            record_and_commit(
                get_session(), actor=g.user.email, action="meeting.upload-rejected", filename=name
            )
            continue
        if isinstance(pending, review.Staged):
            results.append(
                {
                    "filename": pending.filename,
                    "ok": True,
                    "message": "Received. It is being read now; open it to check it.",
                    "review_url": url_for("meetings.review_page", token=pending.token),
                    "status_url": url_for("meetings.review_status", token=pending.token),
                    "warnings": [],
                }
            )
            continue
        results.append(
            {
                "filename": pending.filename,
                "ok": True,
                "message": "Read. Check it before saving.",
                "review_url": url_for("meetings.review_page", token=pending.token),
                "warnings": [c.message for c in review.pending_checks(get_session(), pending)],
            }
        )
    failed = any(not r["ok"] for r in results)
    if _wants_json():
        return jsonify(results=results), 400 if failed and len(results) == 1 else 200
    if len(results) == 1 and results[0]["ok"]:
        return redirect(results[0]["review_url"], code=303)
    return render_template(
        "meetings/upload.html",
        bodies=review.body_names(get_session()),
        max_mb=_settings().max_upload_mb,
        results=results,
    ), (400 if failed and len(results) == 1 else 200)


PAGE_ROWS = 40  # records per page of the review screen, so a long document stays light
TEXT_SHOWN = 200_000  # characters of the original text shown beside the editor


def _page_number(value: Any) -> int:
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return 1


def _review_context(pending: review.Pending, page: int = 1) -> dict[str, Any]:
    session = get_session()
    lxps, staff = review.roster_choices(session)
    parsed = pending.parsed
    roster = review.roster_for(session, pending)
    rows = editor.page_rows(parsed)
    pages = max(1, -(-len(rows) // PAGE_ROWS))
    page = min(page, pages)
    names: dict[str, str] = {}
    links: dict[str, str] = {}
    for n, row in enumerate(rows):
        names[row.key] = f"row {n + 1}"
        where = n // PAGE_ROWS + 1
        links[row.key] = ("" if where == page else f"?page={where}") + f"#row-{row.key}"
    attendees = editor.to_draft(parsed).attendees
    for n, row in enumerate(attendees):
        names[row.key] = f"attendee {n + 1}"
        links[row.key] = ("" if page == 1 else "?page=1") + f"#row-{row.key}"
    body = pending.body_name or review.guess_body(session, parsed, pending.filename)
    return {
        "pending": pending,
        "parsed": parsed,
        "lxps": lxps,
        "staff": staff,
        "groups": editor.GROUP_LABELS,
        "bodies": review.body_names(session),
        "body": body,
        "body_kinds": review.BODY_KIND_LABELS,
        "checks": review.pending_checks(session, pending),
        "rows": rows[(page - 1) * PAGE_ROWS : page * PAGE_ROWS],
        "page": page,
        "pages": pages,
        "row_names": names,
        "row_links": links,
        "attendees": attendees,
        "items": [(r.key, _item_label(r)) for r in rows if r.kind == "item"],
        "kinds": editor.KINDS,
        "kind_labels": editor.KIND_LABELS,
        "attendance": editor.ATTENDANCE,
        "person_roles": editor.PERSON_ROLES,
        "new_people": sorted(pending.new_people.items()),
        "max_owners": editor.MAX_OWNERS,
        "original_text": parsed.text[:TEXT_SHOWN],
        "text_cut": len(parsed.text) > TEXT_SHOWN,
        "choice": lambda speaker: editor.speaker_choice(speaker, roster),
    }


def _item_label(row: editor.ViewRow) -> str:
    return f"{row.number}. {row.text}" if row.number else row.text


@bp.get("/review/<token>/status")
@roles_required(*CHAIRS)
def review_status(token: str) -> Any:
    """Whether an upload has been read yet (the upload page asks while it waits)."""
    staged = _staged(token)
    return jsonify(status=staged.status, error=staged.error)


def _staged(token: str) -> review.Staged:
    """Where an upload is; read here if no background worker took it in time."""
    staged = review.staged_status(session=get_session(), token=token, user_id=g.user.id)
    if staged.status == "reading":
        engine, settings = current_app.extensions["engine"], _settings()
        if jobs.run_if_waiting(engine, settings, "parse", token, waited=jobs.NO_WORKER_AFTER):
            staged = review.staged_status(session=get_session(), token=token, user_id=g.user.id)
    return staged


@bp.get("/review/<token>")
@roles_required(*CHAIRS)
def review_page(token: str) -> str:
    """The parsed meeting as an editor, with the original text to hand."""
    staged = _staged(token)
    if staged.status != "ready":
        # Still being read by a background job, or refused: say so (no script needed).
        return render_template("meetings/reading.html", staged=staged)
    pending = review.load_pending(session=get_session(), token=token, user_id=g.user.id)
    page = _page_number(request.args.get("page"))
    return render_template("meetings/review.html", **_review_context(pending, page))


_DONE = {
    "add": "Added. Check it, then save.",
    "add-attendee": "Attendee added. Check the list, then save.",
    "delete": "Removed. Nothing is saved until you press Save these minutes.",
    "split": "Split into separate records. Check them, then save.",
    "merge": "Merged with the next record. Check it, then save.",
}


@bp.post("/review/<token>")
@roles_required(*CHAIRS)
def review_save(token: str) -> Any:
    """Apply the chair's edits and show the page again, save the meeting, or discard it."""
    session, form = get_session(), request.form.to_dict()
    action = form.get("do", "apply")
    page = _page_number(form.get("page"))
    if action == "discard":
        review.discard_pending(session=session, token=token, user_id=g.user.id)
        flash("The upload was discarded. Nothing was saved.", "info")
        return redirect(url_for("meetings.index"), code=303)
    try:
        if action == "save":
            result = review.save_pending(
                session=session,
                token=token,
                user_id=g.user.id,
                form=form,
                actor=g.user.email,
            )
        else:
            review.update_pending(session=session, token=token, user_id=g.user.id, form=form)
    except NotFound:
        raise
    except TrackerError as exc:
        session.rollback()
        pending = review.load_pending(session=session, token=token, user_id=g.user.id)
        context = _review_context(pending, page)
        return render_template("meetings/review.html", error=exc.message, **context), 400
    if action == "save":
        if not result.created:
            if result.identical_to is None:
                message = (
                    "Already uploaded: this exact file was saved before. Nothing new was stored."
                )
            else:
                message = (
                    f"Nothing was saved: the text is identical to version {result.identical_to} "
                    f"of meeting {result.meeting_id}, which is already stored. Upload a "
                    "corrected file, or correct the records before saving."
                )
            flash(message, "info")
            return redirect(url_for("meetings.detail", meeting_id=result.meeting_id), code=303)
        if result.version > 1:
            flash(f"Saved as version {result.version}. Confirmed links were carried over.", "info")
        else:
            flash(
                "Saved. We are now working out which earlier LXP points these minutes "
                "take up; the chair's check shows them within a minute.",
                "info",
            )
        return redirect(url_for("meetings.detail", meeting_id=result.meeting_id), code=303)
    flash(_DONE.get(action.partition(":")[0], "Changes applied. Check them, then save."), "info")
    return redirect(url_for("meetings.review_page", token=token, page=page), code=303)


@bp.get("/<int:meeting_id>")
@roles_required(*CHAIRS)
def detail(meeting_id: int) -> str:
    """One stored meeting: what we recorded, beside the original text."""
    found = meetings_service.meeting_detail(
        get_session(), meeting_id=meeting_id, actor=g.user.email, programmes=viewer_programmes()
    )
    return render_template("meetings/detail.html", **found)


@bp.get("/template.docx")
@roles_required(Role.CHAIR, Role.LEAD, Role.ADMIN)
def template() -> Response:
    """Download the Word minutes template designed for attribution."""
    from tracker.services.template_docx import build_template

    data = build_template(bodies=review.body_names(get_session()))
    return send_file(
        io.BytesIO(data),
        mimetype="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        as_attachment=True,
        download_name="minutes-template.docx",
    )


@bp.get("/flags")
@roles_required(*CHAIRS)
def flags() -> str:
    """LXP flags to answer: 'not what I said' and 'missing'."""
    show_all = request.args.get("show") == "all"
    queue = feedback.flag_queue(
        session=get_session(), actor=g.user.email, include_answered=show_all
    )
    return render_template(
        "meetings/flags.html", queue=queue, show_all=show_all, kinds=feedback.FLAG_KINDS
    )


@bp.post("/flags/<int:flag_id>/answer")
@roles_required(*CHAIRS)
def answer_flag(flag_id: int) -> Response:
    """Answer one flag; the LXP sees the answer on their page."""
    feedback.answer_flag(
        session=get_session(),
        flag_id=flag_id,
        answer=request.form.get("answer", ""),
        actor=g.user.email,
    )
    flash("Answer saved. The LXP will see it on their page.", "info")
    return redirect(url_for("meetings.flags"), code=303)
