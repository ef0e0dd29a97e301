"""The web fixtures (an app on SQLite and PostgreSQL, a client, login(role)), shared."""

import sys
import types
from pathlib import Path

# A parser test puts bench/ on sys.path, and bench/web.py (a module) would then
# win over the tests/web namespace package: name the package explicitly.
if not hasattr(sys.modules.get("web"), "__path__"):
    _web = types.ModuleType("web")
    _web.__path__ = [str(Path(__file__).resolve().parents[1] / "web")]
    sys.modules["web"] = _web

from web.conftest import _cheap_hashes, app, client, db, login, settings

__all__ = ["_cheap_hashes", "app", "client", "db", "login", "settings"]
