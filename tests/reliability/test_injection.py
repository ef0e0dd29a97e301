"""Case 44: SQL in a filter or search value is only ever a value (no extra rows)."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from services.test_dashboard import build_programme
from tracker.services.dashboard import build_dashboard, list_points, parse_filters

ATTACKS = ("' OR 1=1 --", "PD' OR '1'='1", "x'; DROP TABLE meeting; --", '" OR ""="')


@pytest.mark.parametrize("attack", ATTACKS)
def test_sql_in_the_workstream_filter_matches_nothing(session: Session, attack: str) -> None:
    """Does ' OR 1=1 -- as a workstream give no rows (and drop nothing)?"""
    build_programme(session)
    everything = build_dashboard(session=session, filters=parse_filters({}))
    assert everything.headline["points"] > 0
    filters = parse_filters({"workstream": attack})
    board = build_dashboard(session=session, filters=filters)
    assert board.headline["points"] == 0
    assert list_points(session=session, filters=filters, kind="lost").total == 0
    # The tables are still there, unchanged.
    again = build_dashboard(session=session, filters=parse_filters({}))
    assert again.headline == everything.headline
