"""One date format for every table on the pages: "9 Mar 2021"."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from tracker.web.formats import table_date


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (date(2021, 3, 9), "9 Mar 2021"),
        ("2021-03-09", "9 Mar 2021"),
        (datetime(2021, 12, 25, 14, 5, tzinfo=UTC), "25 Dec 2021"),
        ("2021-12-25T14:05:00+00:00", "25 Dec 2021"),
        (None, "no date"),
        ("", "no date"),
        ("not a date", "not a date"),
    ],
)
def test_table_dates_read_day_short_month_year(value, shown):
    assert table_date(value) == shown


def test_a_time_is_added_only_when_asked_and_only_to_datetimes():
    when = datetime(2021, 3, 9, 7, 30, tzinfo=UTC)
    assert table_date(when, time=True) == "9 Mar 2021, 07:30 UTC"
    assert table_date(date(2021, 3, 9), time=True) == "9 Mar 2021"
