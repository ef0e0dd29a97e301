"""The web fixtures (an app on SQLite and PostgreSQL, a client, login(role)), shared."""

from web.conftest import _cheap_hashes, app, client, db, login, settings

__all__ = ["_cheap_hashes", "app", "client", "db", "login", "settings"]
