"""The web fixtures (an app on SQLite and PostgreSQL, a client, login(role)), shared."""

import sys
from pathlib import Path

# A parser test puts bench/ first on sys.path, and bench/web.py would then
# shadow tests/web (the helpers imported below): put tests/ back in front.
_TESTS = str(Path(__file__).resolve().parents[1])
if not hasattr(sys.modules.get("web"), "__path__"):
    sys.modules.pop("web", None)
    sys.path.insert(0, _TESTS)

from web.conftest import _cheap_hashes, app, client, db, login, settings  # noqa: E402

__all__ = ["_cheap_hashes", "app", "client", "db", "login", "settings"]
