"""WSGI entry point for running under gunicorn (or any WSGI server) by hand.

    gunicorn -w 3 -k gthread --threads 8 -b 0.0.0.0:8000 'tracker.wsgi:app'

Settings come from ./config.toml (or TRACKER_CONFIG) and TRACKER_* variables.
With several workers also set PROMETHEUS_MULTIPROC_DIR to an empty folder.
"""

from __future__ import annotations

from tracker import create_app

app = create_app()
