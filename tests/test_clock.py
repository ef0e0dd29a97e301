"""The one clock: setting it moves every "now" the tracker reads."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from tracker import clock
from tracker.models import AuditEvent
from tracker.services.digests import now_utc


@pytest.fixture
def fixed():
    clock.set_now(datetime(2021, 3, 9, 10, 30))
    yield
    clock.set_now(None)


def test_set_clock_is_read_by_models_services_and_today(fixed):
    assert clock.today() == date(2021, 3, 9)
    assert now_utc() == datetime(2021, 3, 9, 10, 30, tzinfo=UTC)
    assert AuditEvent(actor="a", action="b").at == datetime(2021, 3, 9, 10, 30, tzinfo=UTC)
    assert clock.timestamp() == datetime(2021, 3, 9, 10, 30, tzinfo=UTC).timestamp()


def test_clock_runs_when_not_set():
    clock.set_now(None)
    assert clock.now().tzinfo is UTC
    assert abs((clock.now() - datetime.now(UTC)).total_seconds()) < 5
