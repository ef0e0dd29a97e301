"""Digest preferences and unsubscribe, reached from signed links in the email.

GET never changes anything (mail scanners prefetch links): it shows a page
with a button.  POST acts.  The unsubscribe URL is also the List-Unsubscribe
target, and mail clients POST ``List-Unsubscribe=One-Click`` to it (RFC 8058)
without a CSRF token, so that one endpoint is exempt from CSRF: the signed,
expiring, per-purpose token in its URL is what authorises it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flask import Blueprint, Response, abort, current_app, render_template, request

from tracker.config import Settings, load_settings
from tracker.domain.vocab import FREQUENCIES, Frequency
from tracker.services import digest_prefs
from tracker.signing import PREFERENCES, UNSUBSCRIBE, BadToken
from tracker.web import get_session

if TYPE_CHECKING:
    from sqlmodel import Session

    from tracker.models import Person

bp = Blueprint("digest_links", __name__, url_prefix="/digests")


def _settings() -> Settings:
    settings = current_app.config.get("TRACKER")
    return settings if isinstance(settings, Settings) else load_settings()


def _person_for(session: Session, purpose: str, token: str) -> Person:
    """Return the person a link is for, or raise BadToken."""
    return digest_prefs.person_for_link(session, _settings(), purpose, token)


def _invalid(exc: BadToken) -> tuple[str, int]:
    return render_template("digests/invalid.html", message=exc.message), 400


@bp.after_request
def _private(response: Response) -> Response:
    # Token-bearing pages: never leak the URL, never cache.
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    return response


@bp.get("/preferences/<token>")
def preferences(token: str) -> Any:
    """Show the person's digest choices; change nothing."""
    try:
        person = _person_for(get_session(), PREFERENCES, token)
    except BadToken as exc:
        return _invalid(exc)
    return render_template(
        "digests/preferences.html", person=person, token=token, frequencies=FREQUENCIES
    )


@bp.post("/preferences/<token>")
def save_preferences(token: str) -> Any:
    """Save the person's digest choices."""
    frequency = request.form.get("frequency", "")
    if frequency not in FREQUENCIES:
        abort(400)
    session = get_session()
    try:
        person = _person_for(session, PREFERENCES, token)
    except BadToken as exc:
        return _invalid(exc)
    digest_prefs.save_preferences(
        session,
        person,
        frequency=frequency,
        positive=request.form.get("positive") == "on",
        critical=request.form.get("critical") == "on",
        plain_text=request.form.get("plain_text") == "on",
    )
    return render_template(
        "digests/saved.html", person=person, stopped=frequency == Frequency.NEVER
    )


@bp.get("/unsubscribe/<token>")
def confirm_unsubscribe(token: str) -> Any:
    """Ask the person to confirm; a GET (or a link scanner) changes nothing."""
    try:
        _person_for(get_session(), UNSUBSCRIBE, token)
    except BadToken as exc:
        return _invalid(exc)
    return render_template("digests/unsubscribe.html", token=token)


@bp.post("/unsubscribe/<token>")
def unsubscribe(token: str) -> Any:
    """Stop digests: the confirm button, or a mail client's RFC 8058 one-click POST."""
    session = get_session()
    try:
        person = _person_for(session, UNSUBSCRIBE, token)
    except BadToken as exc:
        return _invalid(exc)
    one_click = request.form.get("List-Unsubscribe") == "One-Click"
    digest_prefs.unsubscribe(session, person, one_click=one_click)
    return render_template("digests/saved.html", person=person, stopped=True)


def _exempt_one_click(app: Any) -> bool:
    csrf = app.extensions.get("csrf")
    if csrf is None:
        return False
    csrf.exempt(unsubscribe)
    return True


@bp.record_once
def _register_csrf_exemption(state: Any) -> None:
    # Works whether CSRFProtect is set up before or after this blueprint: if
    # it is not there yet, our before_request (registered first, so run first)
    # exempts the one-click endpoint before CSRFProtect checks the request.
    app = state.app
    if _exempt_one_click(app):
        return
    done = {"flag": False}

    def exempt_late() -> None:
        if not done["flag"]:
            done["flag"] = _exempt_one_click(app)

    app.before_request(exempt_late)
