"""The "you said, we did" tracker: the web app factory lives here."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask

    from tracker.config import Settings

PACKAGE = Path(__file__).resolve().parent
ROOT = PACKAGE.parent


def create_app(settings: Settings | None = None, *, proxy_hops: int = 0) -> Flask:
    """Build the web app; start nothing.

    ``proxy_hops`` is how many reverse proxies sit in front of the app; their
    X-Forwarded-For/Proto headers are trusted that many hops deep, so that
    rate limits key on the real client address.
    """
    from flask import Flask

    from tracker.config import read_settings
    from tracker.db import make_engine
    from tracker.observability import init_observability
    from tracker.signing import resolve_secret_key
    from tracker.web import init_web

    settings = settings or read_settings()
    app = Flask(
        "tracker",
        template_folder=str(ROOT / "templates"),
        static_folder=str(PACKAGE / "static"),
        instance_path=str(Path(settings.instance_dir).resolve()),
    )
    https = settings.base_url.lower().startswith("https://")
    app.config.from_mapping(
        SECRET_KEY=resolve_secret_key(settings),
        TRACKER=settings,
        HTTPS=https,
        # One request carries one file (the page sends several files one by
        # one); a little room is left for the form fields around it.
        MAX_CONTENT_LENGTH=settings.max_upload_mb * 1_000_000 + 64_000,
        MAX_FORM_MEMORY_SIZE=1_000_000,
        SESSION_COOKIE_NAME="__Host-session" if https else "tracker_session",
        SESSION_COOKIE_SECURE=https,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_PATH="/",
        SESSION_COOKIE_DOMAIN=None,
        PERMANENT_SESSION_LIFETIME=timedelta(hours=12),
        SESSION_REFRESH_EACH_REQUEST=True,
        WTF_CSRF_TIME_LIMIT=12 * 3600,
        WTF_CSRF_SSL_STRICT=https,
        # With several hosts or workers, sign-in limits are counted in Redis so
        # every process sees the same count; if Redis goes away, each process
        # counts on its own until it is back (sign-in keeps working).
        RATELIMIT_STORAGE_URI=settings.redis_url or "memory://",
        RATELIMIT_KEY_PREFIX=settings.redis_prefix,
        RATELIMIT_IN_MEMORY_FALLBACK_ENABLED=bool(settings.redis_url),
        RATELIMIT_HEADERS_ENABLED=False,
    )
    if proxy_hops:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxy_hops, x_proto=proxy_hops, x_host=proxy_hops
        )
    app.extensions["engine"] = make_engine(settings.resolved_database_url)
    init_observability(app)
    from tracker.services.refresh import configure

    configure(settings)
    _observe_queue(app.extensions["engine"])
    init_web(app)
    return app


def _observe_queue(engine: Any) -> None:
    """Register the job kinds, and put the queue on /readyz and /metrics."""
    from tracker.observability import add_queue_depth, add_readiness_check
    from tracker.services import job_kinds, jobs, refresh

    assert job_kinds  # imported to register the kinds this app's thread can do
    add_readiness_check("queue", jobs.reachable(engine))
    add_queue_depth("jobs", lambda s: (c := jobs.counts(s))["queued"] + c["running"])
    add_queue_depth("jobs-failed", lambda s: jobs.counts(s)["failed"])
    add_queue_depth("refresh", refresh.pending_count)
