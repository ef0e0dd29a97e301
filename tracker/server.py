"""Run the web app: waitress for one process, gunicorn for several workers.

One process (the default) is waitress with threads; ``--workers N`` runs
gunicorn with N forked worker processes of ``gthread`` workers.  Several
workers need what several hosts need: rate limits in Redis
(``TRACKER_REDIS_URL``) and one secret key (``TRACKER_SECRET_KEY``); the
metrics of the workers are summed through ``PROMETHEUS_MULTIPROC_DIR``.

gunicorn can also be started by hand with the app factory::

    gunicorn -w 3 -k gthread --threads 8 -b 0.0.0.0:8000 'tracker.wsgi:app'
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
from pathlib import Path
from typing import Any

from tracker.config import Settings
from tracker.errors import BadInput

log = logging.getLogger("tracker.server")


def prepare_metrics_dir(settings: Settings, port: int) -> None:
    """Give the workers an empty folder to share their metrics through.

    Must run before prometheus_client is imported, in the parent process.
    """
    if "prometheus_client" in sys.modules and not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        raise RuntimeError("prometheus_client was imported before the metrics folder was set")
    folder = Path(
        os.environ.get("PROMETHEUS_MULTIPROC_DIR")
        or Path(settings.instance_dir).resolve() / f"metrics-{port}"
    )
    if folder.is_dir():
        shutil.rmtree(folder)  # counts from an earlier run must not be added in
    folder.mkdir(parents=True)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(folder)


def warn_if_not_shared(settings: Settings, workers: int) -> None:
    """Say what will go wrong with several processes and per-process settings."""
    # Redis is the sign of several hosts; one host's workers share its key file.
    if settings.redis_url and not settings.secret_key:
        log.warning(
            "web.secret_key is not set: this host keeps its own key in %s/secret_key, "
            "so sign-ins made here will not work on other hosts (set TRACKER_SECRET_KEY)",
            settings.instance_dir,
        )
    if workers > 1 and not settings.redis_url:
        log.warning(
            "web.redis_url is not set: each of the %d workers counts wrong passwords on "
            "its own (set TRACKER_REDIS_URL)",
            workers,
        )


def serve_waitress(app: Any, host: str, port: int, threads: int) -> None:
    from waitress import serve

    log.info("serving on http://%s:%d/ with waitress (%d threads)", host, port, threads)
    serve(
        app,
        host=host,
        port=port,
        threads=threads,
        ident="tracker",
        clear_untrusted_proxy_headers=True,
        # Refuse a body over the upload limit from its Content-Length (413),
        # before reading it: waitress would otherwise buffer up to 1 GB to disk.
        max_request_body_size=app.config["MAX_CONTENT_LENGTH"],
    )


def serve_gunicorn(app: Any, host: str, port: int, workers: int, threads: int) -> None:
    """Fork ``workers`` gunicorn processes that share the app built here."""
    try:
        from gunicorn.app.base import BaseApplication
        from gunicorn.glogging import Logger
    except ImportError:
        raise BadInput(
            "--workers needs gunicorn: pip install 'tracker[server]' (or use one worker)"
        ) from None

    class QuietLogger(Logger):  # type: ignore[misc]
        """gunicorn's own lines go through our handlers (text or JSON)."""

        def setup(self, cfg: Any) -> None:
            super().setup(cfg)
            for logger in (self.error_log, self.access_log):
                logger.handlers.clear()
            self.error_log.propagate = True
            self.access_log.propagate = False  # our own access line says more

    def post_fork(_server: Any, _worker: Any) -> None:
        # The engine was built before the fork; never share its connections.
        app.extensions["engine"].dispose(close=False)

    def child_exit(_server: Any, worker: Any) -> None:
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)

    class Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            options = {
                "bind": f"{host}:{port}",
                "workers": workers,
                "worker_class": "gthread",
                "threads": threads,
                "logger_class": QuietLogger,
                "post_fork": post_fork,
                "child_exit": child_exit,
                "graceful_timeout": 20,
                "timeout": 60,
                "proc_name": "tracker",
            }
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            return app

    log.info("serving on http://%s:%d/ with gunicorn (%d workers)", host, port, workers)
    Server().run()
