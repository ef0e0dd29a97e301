"""Admins invite sign-ins by email; the invited person chooses a password."""

from __future__ import annotations

import logging
from email.utils import make_msgid
from typing import Any

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from werkzeug.wrappers import Response

from tracker.domain.vocab import Role
from tracker.errors import BadInput, Conflict
from tracker.numbers import is_number
from tracker.services import invites
from tracker.services.accounts import ROLES
from tracker.services.admin import list_people
from tracker.web import get_session
from tracker.web.auth import ROLE_NAMES, roles_required

bp = Blueprint("invites", __name__)
log = logging.getLogger("tracker.web.invites")


def _send(email: str, role: str, token: str) -> bool:
    """Email the invitation now; return False if the mail server refused or failed."""
    from tracker.mail import DeliveryError, make_sender, render_email

    settings = current_app.config["TRACKER"]
    base = settings.base_url.rstrip("/")
    message = render_email(
        "invite",
        {
            "inviter": g.user.email,
            "role_name": ROLE_NAMES.get(role, role),
            "login_url": f"{base}/login",
            "invite_url": f"{base}/invite/{token}",
            "sso_label": settings.oidc_label if settings.oidc_issuer else None,
            "passwords": settings.password_sign_in,
        },
        mail_from=settings.mail_from,
        to=email,
        message_id=make_msgid(domain="tracker.invalid"),
    )
    sender = make_sender(settings.smtp_url, settings.resolved_outbox_dir)
    try:
        sender.send(message)
        return True
    except DeliveryError as exc:
        log.warning("invitation not sent: %s", type(exc).__name__)
        return False
    finally:
        sender.close()


@bp.route("/admin/invite", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def new() -> Any:
    """An admin adds a sign-in; the person gets an email."""
    session = get_session()
    people = list_people(session=session)
    form = {
        "email": (request.form.get("email") or "").strip(),
        "role": request.form.get("role") or Role.CHAIR,
        "person_id": request.form.get("person_id") or "",
    }
    error = None
    if request.method == "POST":
        try:
            person_id = int(form["person_id"]) if is_number(form["person_id"]) else None
            invitation = invites.invite_user(
                session=session,
                secret=current_app.config["SECRET_KEY"],
                email=form["email"],
                role=form["role"],
                person_id=person_id,
                actor=g.user.email,
            )
        except (BadInput, Conflict) as exc:
            error = exc.message
        else:
            email = invitation.user.email
            if _send(email, invitation.user.role, invitation.token):
                flash(f"Invitation sent to {email}.", "success")
            else:
                flash(
                    f"The sign-in for {email} is ready, but the email could not be sent. "
                    "Check the mail settings, then press Send the invitation again.",
                    "info",
                )
            return redirect(url_for("admin.users"), code=303)
    settings = current_app.config["TRACKER"]
    return (
        render_template(
            "admin/invite.html",
            form=form,
            roles=ROLES,
            people=people,
            error=error,
            sso_label=settings.oidc_label if settings.oidc_issuer else None,
        ),
        400 if error else 200,
    )


@bp.post("/admin/invite/<int:user_id>/resend")
@roles_required(Role.ADMIN)
def resend(user_id: int) -> Response:
    """Email a waiting invitation again (the earlier link keeps working until used)."""
    try:
        invitation = invites.invite_again(
            session=get_session(),
            secret=current_app.config["SECRET_KEY"],
            user_id=user_id,
            actor=g.user.email,
        )
    except BadInput as exc:
        flash(exc.message, "info")
        return redirect(url_for("admin.users"), code=303)
    user, token = invitation.user, invitation.token
    if _send(user.email, user.role, token):
        flash(f"Invitation sent again to {user.email}.", "success")
    else:
        flash(f"The email to {user.email} could not be sent. Check the mail settings.", "info")
    return redirect(url_for("admin.users"), code=303)


@bp.route("/invite/<token>", methods=["GET", "POST"])
def accept(token: str) -> Any:
    """The invited person chooses their password (the link works once)."""
    session = get_session()
    secret = current_app.config["SECRET_KEY"]
    try:
        user = invites.open_invitation(session=session, secret=secret, token=token)
    except BadInput as exc:
        return (
            render_template(
                "errors/error.html", status=400, title="Invitation not valid", message=exc.message
            ),
            400,
        )
    error = None
    if request.method == "POST":
        password = request.form.get("password") or ""
        if password != (request.form.get("confirm") or ""):
            error = "The two passwords are not the same. Type them again."
        else:
            try:
                invites.accept_invitation(
                    session=session, secret=secret, token=token, password=password
                )
            except BadInput as exc:
                error = exc.message[0].upper() + exc.message[1:] + "."
            else:
                flash("Your password is set. Sign in with it now.", "success")
                return redirect(url_for("auth.login"), code=303)
    return render_template("auth/invite.html", email=user.email, error=error), (
        400 if error else 200
    )
