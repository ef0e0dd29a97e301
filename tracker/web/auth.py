"""Sign-in and sign-out, the signed-in user on g, and access decorators."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from werkzeug.wrappers import Response

from tracker.models import Person, User
from tracker.services import accounts
from tracker.web import get_session

bp = Blueprint("auth", __name__)
limiter = Limiter(key_func=get_remote_address, default_limits=[])

IDLE_SECONDS = 30 * 60
ABSOLUTE_SECONDS = 12 * 3600
LOGIN_LIMIT = "5/minute;20/hour"
ROLE_NAMES = {"chair": "Chair", "lxp": "LXP", "lead": "Programme lead", "admin": "Admin"}

F = TypeVar("F", bound=Callable[..., Any])


def _account_key() -> str:
    """Rate-limit key for the account being tried (falls back to the address)."""
    email = (request.form.get("email") or "").strip().lower()
    return f"account:{email}" if email else f"ip:{get_remote_address()}"


def _failed_login(response: Response) -> bool:
    # Only failed attempts count towards the limit; signing in does not.
    return response.status_code != 303


def login_required(view: F) -> F:
    """Send people who are not signed in to the sign-in page."""

    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if g.get("user") is None:
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def roles_required(*roles: str) -> Callable[[F], F]:
    """Allow only signed-in users with one of these roles (others get 403)."""

    def decorator(view: F) -> F:
        @functools.wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            user = g.get("user")
            if user is None:
                return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
            if user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        wrapped.allowed_roles = roles  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return decorator


def _load_user() -> None:
    """Put the signed-in user (and their person) on g; end stale sessions."""
    g.user, g.person = None, None
    uid = session.get("uid")
    if uid is None or request.endpoint == "static":
        return
    now = int(time.time())
    user = get_session().get(User, uid)
    reason = None
    if user is None or not user.active or session.get("sv") != user.session_version:
        reason = "You have been signed out. Please sign in again."
    elif now - int(session.get("t0", 0)) > ABSOLUTE_SECONDS:
        reason = "You were signed in for 12 hours, so we signed you out. Please sign in again."
    elif now - int(session.get("seen", 0)) > IDLE_SECONDS:
        reason = "You were away for 30 minutes, so we signed you out. Please sign in again."
    if reason:
        session.clear()
        flash(reason, "info")
        return
    assert user is not None
    if now - int(session.get("seen", 0)) > 30:
        session["seen"] = now
    g.user = user
    if user.person_id is not None:
        g.person = get_session().get(Person, user.person_id)


def _safe_next(target: str | None) -> str | None:
    """Accept only a path on this site as the place to go after sign-in."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target:
        return None
    return target


def home_for(user: User) -> str:
    """Return the first page a user of this role sees."""
    if user.role == "lxp":
        return url_for("me.contributions")
    if user.role == "lead" and "dashboard" in current_app.blueprints:
        return url_for("dashboard.index")
    if user.role == "admin" and "admin" in current_app.blueprints:
        return url_for("meetings.index")
    return url_for("meetings.index")


@bp.get("/")
def index() -> Response:
    """Send people to their home page, or to sign in."""
    if g.get("user") is None:
        return redirect(url_for("auth.login"))
    return redirect(home_for(g.user))


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(LOGIN_LIMIT, methods=["POST"], deduct_when=_failed_login)
@limiter.limit(LOGIN_LIMIT, methods=["POST"], key_func=_account_key, deduct_when=_failed_login)
def login() -> Any:
    """Show the sign-in form; sign in on POST."""
    error = None
    if request.method == "POST":
        email = (request.form.get("email") or "").strip()
        password = request.form.get("password") or ""
        user = accounts.authenticate(
            session=get_session(), email=email, password=password, ip=get_remote_address()
        )
        if user is not None:
            session.clear()
            now = int(time.time())
            session.update(uid=user.id, sv=user.session_version, t0=now, seen=now)
            session.permanent = True
            target = _safe_next(request.args.get("next")) or home_for(user)
            return redirect(target, code=303)
        error = "That email and password do not match an account. Check them and try again."
    status = 401 if error else 200
    return render_template("auth/login.html", error=error), status


@bp.post("/logout")
def logout() -> Response:
    """Sign out here and everywhere else this account is signed in."""
    user = g.get("user")
    if user is not None:
        accounts.end_sessions(session=get_session(), user_id=user.id, actor=user.email)
    session.clear()
    flash("You are signed out.", "info")
    return redirect(url_for("auth.login"), code=303)


def _rate_limited(_exc: Exception) -> tuple[str, int]:
    if request.endpoint == "auth.login":
        accounts.record_denial(
            session=get_session(),
            actor=(request.form.get("email") or "")[:200] or "anonymous",
            what="login.throttled",
            ip=get_remote_address(),
        )
    message = "Too many tries. Wait a minute, then try again."
    return (
        render_template("errors/error.html", status=429, title="Too many tries", message=message),
        429,
    )


def init_auth(app: Flask) -> None:
    """Attach the rate limiter and the user loader to the app."""
    limiter.init_app(app)
    app.before_request(_load_user)
    app.register_error_handler(429, _rate_limited)
    app.jinja_env.globals["role_name"] = lambda role: ROLE_NAMES.get(role, role)
