"""The migrations and the models agree, and round-trip, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlmodel import SQLModel

import tracker.models  # noqa: F401
from tracker.db import downgrade_schema, make_engine, upgrade_schema


def _differences(url: str) -> list:
    engine = make_engine(url)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, SQLModel.metadata)
    engine.dispose()
    return diff


def test_models_match_migrations(db_url: str) -> None:
    """Does autogenerate find nothing to change after `upgrade head`?"""
    assert _differences(db_url) == []


def test_downgrade_then_upgrade_round_trips(db_url: str) -> None:
    """Can we go down to base and back up, ending where the models are?"""
    downgrade_schema(db_url, "base")
    engine = make_engine(db_url)
    tables = set(inspect(engine).get_table_names()) - {"alembic_version"}
    engine.dispose()
    assert tables == set()
    upgrade_schema(db_url)
    assert _differences(db_url) == []


def test_upgrade_is_idempotent(db_url: str) -> None:
    """Does `tracker init` on an up-to-date database change nothing?"""
    upgrade_schema(db_url)
    upgrade_schema(db_url)
    assert _differences(db_url) == []
