"""Sign-in and sign-out, the signed-in user on g, and access decorators."""

from __future__ import annotations

import functools
import secrets
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar
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

from tracker import clock
from tracker.domain import vocab
from tracker.services import accounts
from tracker.web import get_session

if TYPE_CHECKING:
    from tracker.models import User

bp = Blueprint("auth", __name__)
limiter = Limiter(key_func=get_remote_address, default_limits=[])

IDLE_SECONDS = 30 * 60
ABSOLUTE_SECONDS = 12 * 3600
LOGIN_LIMIT = "5/minute;20/hour"
MFA_PENDING_SECONDS = 10 * 60  # time allowed between the password and the code
ROLE_NAMES = vocab.ROLE_LABELS

F = TypeVar("F", bound=Callable[..., Any])


def _account_key() -> str:
    """Rate-limit key for the account being tried (falls back to the address)."""
    email = (request.form.get("email") or "").strip().lower()
    return f"account:{email}" if email else f"ip:{get_remote_address()}"


def _pending_key() -> str:
    """Rate-limit key for the account waiting for its code (falls back to the address)."""
    uid = session.get("mfa_uid")
    return f"mfa:{uid}" if uid else f"ip:{get_remote_address()}"


def _failed_login(response: Response) -> bool:
    # Only failed attempts count towards the limit; signing in does not.
    return response.status_code != 303


def _mfa_required() -> bool:
    return bool(current_app.config["TRACKER"].require_mfa)


def _pending_user() -> User | None:
    """Return the user who gave the right password and owes a code, if still in time."""
    uid = session.get("mfa_uid")
    if uid is None:
        return None
    user = accounts.user_by_id(get_session(), uid)
    fresh = int(clock.timestamp()) - int(session.get("mfa_t0", 0)) <= MFA_PENDING_SECONDS
    if user is None or not user.active or session.get("mfa_sv") != user.session_version:
        fresh = False
    if not fresh:
        session.clear()
        return None
    return user


def _to_sign_in() -> Response:
    """Send a visitor to the step they are on: the code, enrolment, or the password."""
    if session.get("mfa_uid") is not None:
        user = _pending_user()
        if user is not None:
            return redirect(url_for("auth.mfa_code" if user.totp_secret else "auth.mfa_enrol"))
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def login_required(view: F) -> F:
    """Send people who are not signed in to the sign-in page."""

    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if g.get("user") is None:
            return _to_sign_in()
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def roles_required(*roles: str) -> Callable[[F], F]:
    """Allow only signed-in users with one of these roles (others get 403)."""

    def decorator(view: F) -> F:
        @functools.wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            user = g.get("user")
            if user is None:
                return _to_sign_in()
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
    now = int(clock.timestamp())
    user = accounts.user_by_id(get_session(), uid)
    reason = None
    if user is None or not user.active or session.get("sv") != user.session_version:
        reason = "You have been signed out. Please sign in again."
    elif now - int(session.get("t0", 0)) > ABSOLUTE_SECONDS:
        reason = "You were signed in for 12 hours, so we signed you out. Please sign in again."
    elif now - int(session.get("seen", 0)) > IDLE_SECONDS:
        reason = "You were away for 30 minutes, so we signed you out. Please sign in again."
    elif accounts.needs_mfa(user) and _mfa_required() and not session.get("mfa"):
        # A lead or admin session made without the code (for example before a
        # role change or before two-step sign-in was switched on) is not enough.
        reason = "Please sign in again; your role needs a code from your authenticator app."
    if reason:
        session.clear()
        flash(reason, "info")
        return
    assert user is not None
    if now - int(session.get("seen", 0)) > 30:
        session["seen"] = now
    g.user = user
    if user.person_id is not None:
        g.person = accounts.person_by_id(get_session(), user.person_id)


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
    if user.role == vocab.Role.LXP:
        return url_for("me.contributions")
    if user.role == vocab.Role.LEAD and "dashboard" in current_app.blueprints:
        return url_for("dashboard.index")
    if user.role == vocab.Role.ADMIN and "admin" in current_app.blueprints:
        return url_for("meetings.index")
    return url_for("meetings.index")


@bp.get("/")
def index() -> Response:
    """Send people to their home page, or to sign in."""
    if g.get("user") is None:
        if session.get("mfa_uid") is not None:
            return _to_sign_in()
        return redirect(url_for("auth.login"))
    return redirect(home_for(g.user))


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(LOGIN_LIMIT, methods=["POST"], deduct_when=_failed_login)
@limiter.limit(LOGIN_LIMIT, methods=["POST"], key_func=_account_key, deduct_when=_failed_login)
def login() -> Any:
    """Show the sign-in form; sign in on POST."""
    error = None
    settings = current_app.config["TRACKER"]
    if request.method == "POST" and not settings.password_sign_in:
        error = f"Signing in with a password is switched off. Sign in with {settings.oidc_label}."
    elif request.method == "POST":
        email = (request.form.get("email") or "").strip()
        password = request.form.get("password") or ""
        user = accounts.authenticate(
            session=get_session(), email=email, password=password, ip=get_remote_address()
        )
        if user is not None:
            target = _safe_next(request.args.get("next"))
            if accounts.needs_mfa(user) and _mfa_required():
                # Not signed in yet: only the code (or enrolment) page is open.
                session.clear()
                session.update(
                    mfa_uid=user.id,
                    mfa_sv=user.session_version,
                    mfa_t0=int(clock.timestamp()),
                    mfa_next=target,
                    mfa_nonce=secrets.token_urlsafe(16),
                )
                step = "auth.mfa_code" if user.totp_secret else "auth.mfa_enrol"
                return redirect(url_for(step), code=303)
            return _start_session(user, target, mfa=False)
        error = "That email and password do not match an account. Check them and try again."
    status = 401 if error else 200
    return (
        render_template(
            "auth/login.html",
            error=error,
            passwords=settings.password_sign_in,
            sso_label=settings.oidc_label if settings.oidc_issuer else None,
            next_path=_safe_next(request.args.get("next")),
        ),
        status,
    )


def _start_session(user: User, target: str | None, *, mfa: bool) -> Response:
    """Sign the user in: a new session (no fixation), then their page."""
    session.clear()
    now = int(clock.timestamp())
    session.update(uid=user.id, sv=user.session_version, t0=now, seen=now, mfa=mfa)
    session.permanent = True
    return redirect(target or home_for(user), code=303)


def qr_data_uri(text: str) -> str:
    """Return a QR code of ``text`` as an inline SVG image (segno; allowed by the CSP)."""
    import segno

    return str(segno.make(text, error="m").svg_data_uri(scale=5, border=4))


def _code_from_form() -> str:
    return (request.form.get("code") or "")[:20]


CODE_ERROR = (
    "That code did not work. Type the 6 digits your authenticator app shows now; "
    "each code works only once."
)


@bp.route("/login/code", methods=["GET", "POST"])
@limiter.limit(LOGIN_LIMIT, methods=["POST"], deduct_when=_failed_login)
@limiter.limit(LOGIN_LIMIT, methods=["POST"], key_func=_pending_key, deduct_when=_failed_login)
def mfa_code() -> Any:
    """Second step for leads and admins: the 6-digit code from their app."""
    if g.get("user") is not None:
        return redirect(home_for(g.user), code=303)
    user = _pending_user()
    if user is None:
        flash("Please sign in with your email and password first.", "info")
        return redirect(url_for("auth.login"), code=303)
    if not user.totp_secret:
        return redirect(url_for("auth.mfa_enrol"), code=303)
    error = None
    if request.method == "POST":
        if accounts.check_totp(
            session=get_session(), user=user, code=_code_from_form(), ip=get_remote_address()
        ):
            return _start_session(user, session.get("mfa_next"), mfa=True)
        error = CODE_ERROR
    status = 401 if error else 200
    return render_template("auth/code.html", error=error), status


@bp.route("/login/enrol", methods=["GET", "POST"])
@limiter.limit(LOGIN_LIMIT, methods=["POST"], deduct_when=_failed_login)
@limiter.limit(LOGIN_LIMIT, methods=["POST"], key_func=_pending_key, deduct_when=_failed_login)
def mfa_enrol() -> Any:
    """First sign-in of a lead or admin: set up the authenticator app, confirm one code."""
    if g.get("user") is not None:
        return redirect(home_for(g.user), code=303)
    user = _pending_user()
    if user is None:
        flash("Please sign in with your email and password first.", "info")
        return redirect(url_for("auth.login"), code=303)
    if user.totp_secret:
        return redirect(url_for("auth.mfa_code"), code=303)
    assert user.id is not None
    secret = accounts.enrolment_secret(
        current_app.config["SECRET_KEY"], user.id, session.get("mfa_nonce", "")
    )
    error = None
    if request.method == "POST":
        if accounts.enrol_totp(
            session=get_session(),
            user=user,
            secret=secret,
            code=_code_from_form(),
            ip=get_remote_address(),
        ):
            response = _start_session(user, session.get("mfa_next"), mfa=True)
            flash(  # after the new session starts, or it would be cleared
                "Your authenticator app is set up. You will need a code each time you sign in.",
                "success",
            )
            return response
        error = CODE_ERROR
    status = 401 if error else 200
    return (
        render_template(
            "auth/enrol.html",
            error=error,
            key=accounts.grouped(secret),
            uri=accounts.totp_uri(secret, user.email),
            qr=qr_data_uri(accounts.totp_uri(secret, user.email)),
        ),
        status,
    )


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
    elif request.endpoint in ("auth.mfa_code", "auth.mfa_enrol"):
        pending = (
            accounts.user_by_id(get_session(), session["mfa_uid"]) if "mfa_uid" in session else None
        )
        accounts.record_denial(
            session=get_session(),
            actor=pending.email if pending is not None else "anonymous",
            what="login.mfa_throttled",
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
