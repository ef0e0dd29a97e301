"""Blueprints, the request's database session, error pages and security headers."""

from __future__ import annotations

import importlib
import importlib.util
import logging
import re
import traceback
from typing import Any

from flask import Flask, current_app, g, jsonify, render_template, request
from flask_wtf.csrf import CSRFError, CSRFProtect
from sqlalchemy.exc import DataError
from sqlmodel import Session
from werkzeug import routing
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from tracker.domain import vocab
from tracker.errors import BadInput, Conflict, NotAllowed, NotFound, TrackerError
from tracker.numbers import MAX_ID, is_number
from tracker.web.formats import table_date

log = logging.getLogger("tracker.web")
csrf = CSRFProtect()

# Other engineers' blueprints, registered when their modules exist.
OPTIONAL_BLUEPRINTS = (
    "dashboard",
    "api",
    "admin",
    "digest_links",
    "oidc",
    "invites",
    "checks",
)

CSP = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    )
)


class IntegerConverter(routing.IntegerConverter):
    """``<int:...>`` in every route: ASCII digits, 1 to 2**63-1, else 404.

    Werkzeug's own converter takes any Unicode digit and any size, so "/x/٣"
    or an id of 2**63 reached the database and gave HTTP 500.  (Same name as
    Werkzeug's, so code that asks a rule for its IntegerConverter still works.)
    """

    regex = r"[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        if not is_number(value):
            raise routing.ValidationError
        return int(value)

    def to_url(self, value: Any) -> str:
        number = int(value)
        if not 1 <= number <= MAX_ID:
            raise ValueError(f"id {number} is out of range")
        return str(number)


def wants_json() -> bool:
    """Is this request for the JSON API (errors answered as problem+json)?"""
    return request.path == "/api" or request.path.startswith("/api/")


def _problem(status: int, title: str, detail: str) -> tuple[Response, int]:
    response = jsonify({"status": status, "title": title, "detail": detail})
    response.mimetype = "application/problem+json"
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="tracker"'
    return response, status


def get_session() -> Session:
    """Return this request's session, opening it on first use."""
    if "db_session" not in g:
        g.db_session = Session(current_app.extensions["engine"], expire_on_commit=False)
    return g.db_session  # type: ignore[no-any-return]


def viewer_programmes() -> frozenset[int] | None:
    """Programme ids the signed-in user may see (None: all; API keys see all)."""
    from tracker.services.scope import programmes_of

    if "programmes" not in g:
        user = g.get("user")
        g.programmes = None if user is None else programmes_of(get_session(), user)
    return g.programmes  # type: ignore[no-any-return]


def guard_programmes() -> None:
    """Before a request: a meeting or contribution of another programme is not
    found (404), on every route of the blueprint that names one."""
    from tracker.services import scope

    args = request.view_args or {}
    if not {"meeting_id", "contribution_id", "link_id"} & set(args):
        return
    mine = viewer_programmes()
    if "link_id" in args:
        scope.check_link(get_session(), args["link_id"], mine)
    if "meeting_id" in args:
        scope.check_meeting(get_session(), args["meeting_id"], mine)
    if "contribution_id" in args:
        scope.check_contribution(get_session(), args["contribution_id"], mine)


def close_session(_exc: BaseException | None = None) -> None:
    """Close the request's session (rolling back anything uncommitted)."""
    session = g.pop("db_session", None)
    if session is not None:
        session.close()


def register_blueprints(app: Flask) -> None:
    """Register our blueprints, then the dashboard, API and admin ones if present."""
    from tracker.web import auth, links, me, meetings

    for module in (auth, meetings, links, me):
        app.register_blueprint(module.bp)
    for name in OPTIONAL_BLUEPRINTS:
        if importlib.util.find_spec(f"tracker.web.{name}") is not None:
            module = importlib.import_module(f"tracker.web.{name}")
            app.register_blueprint(module.bp)


def _error_page(status: int, title: str, message: str) -> tuple[str, int] | tuple[Response, int]:
    if wants_json():
        return _problem(status, title, message)
    return render_template("errors/error.html", status=status, title=title, message=message), status


def _handle_tracker_error(exc: TrackerError) -> tuple[str, int] | tuple[Response, int]:
    if isinstance(exc, NotFound):
        return _error_page(404, "Not found", "We could not find that page.")
    if isinstance(exc, NotAllowed):
        return _error_page(403, "Not allowed", exc.message)
    if isinstance(exc, Conflict):
        return _error_page(409, "Already done", exc.message)
    return _error_page(400, "We could not do that", exc.message)


def _handle_http(exc: HTTPException) -> tuple[str, int] | tuple[Response, int] | HTTPException:
    status = exc.code or 500
    if status < 400:
        return exc
    messages = {
        400: ("Bad request", "We could not understand that request."),
        403: ("Not allowed", "Your account cannot open this page."),
        404: ("Not found", "We could not find that page."),
        405: ("Not allowed", "This page cannot be used that way."),
        413: (
            "File too big",
            f"The upload is over the {current_app.config['TRACKER'].max_upload_mb} MB limit. "
            "Save the minutes without pictures, or split them, and try again.",
        ),
        429: ("Too many tries", "Too many tries. Wait a minute, then try again."),
    }
    title, message = messages.get(status, ("Something went wrong", "Please try again."))
    return _error_page(status, title, message)


def _handle_csrf(_exc: CSRFError) -> tuple[str, int] | tuple[Response, int]:
    return _error_page(
        400,
        "The form expired",
        "The form was out of date or incomplete. Go back, reload the page and try again.",
    )


def _handle_data_error(_exc: DataError) -> tuple[str, int] | tuple[Response, int]:
    # A number the column cannot hold (PostgreSQL ids are 32-bit): no such row.
    session = g.get("db_session")
    if session is not None:
        session.rollback()
    return _error_page(404, "Not found", "We could not find that page.")


def _handle_unexpected(
    exc: Exception,
) -> tuple[str, int] | tuple[Response, int] | HTTPException:
    if isinstance(exc, HTTPException):
        return _handle_http(exc)
    # Frames and the type only: exception messages may quote minutes text.
    log.error(
        "unexpected %s on %s %s\n%s",
        type(exc).__name__,
        request.method,
        request.path,
        "".join(traceback.format_tb(exc.__traceback__)),
    )
    return _error_page(
        500,
        "Something went wrong",
        "Something went wrong on our side. Nothing was changed. Please try again later.",
    )


def _security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    # same-origin: our own https forms send a Referer (Flask-WTF's strict check
    # needs it) while links out of the site leak nothing.
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if current_app.config.get("HTTPS"):
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if request.endpoint != "static":
        # Pages show personal data: never keep them in shared caches or history.
        headers["Cache-Control"] = "no-store"
    return response


def split_terms(text: str, terms: list[str] | tuple[str, ...]) -> list[tuple[str, bool]]:
    """Split text into (piece, is_shared_term) so templates can mark terms safely."""
    words = sorted({t.strip() for t in terms if t and t.strip()}, key=len, reverse=True)
    if not words or not text:
        return [(text or "", False)]
    pattern = re.compile(r"\b(" + "|".join(re.escape(w) for w in words) + r")\w*", re.IGNORECASE)
    pieces: list[tuple[str, bool]] = []
    last = 0
    for match in pattern.finditer(text):
        if match.start() > last:
            pieces.append((text[last : match.start()], False))
        pieces.append((match.group(0), True))
        last = match.end()
    if last < len(text):
        pieces.append((text[last:], False))
    return pieces


def _template_globals() -> dict[str, Any]:
    user = g.get("user")
    return {
        "current_user": user,
        "current_role": user.role if user else None,
        "has_blueprint": lambda name: name in current_app.blueprints,
    }


def init_web(app: Flask) -> None:
    """Wire sessions, CSRF, rate limits, error pages, headers and blueprints."""
    from tracker.web.auth import init_auth

    # Before any blueprint adds a rule: every <int:...> becomes a checked id.
    app.url_map.converters["int"] = IntegerConverter
    app.teardown_appcontext(close_session)
    csrf.init_app(app)
    init_auth(app)
    app.register_error_handler(TrackerError, _handle_tracker_error)
    app.register_error_handler(BadInput, _handle_tracker_error)
    app.register_error_handler(CSRFError, _handle_csrf)
    app.register_error_handler(DataError, _handle_data_error)
    app.register_error_handler(HTTPException, _handle_http)
    app.register_error_handler(Exception, _handle_unexpected)
    app.after_request(_security_headers)
    app.context_processor(_template_globals)
    app.jinja_env.globals["split_terms"] = split_terms
    app.jinja_env.filters["table_date"] = table_date
    app.jinja_env.globals["vocab"] = vocab  # labels for the terms of DESIGN.md
    register_blueprints(app)
