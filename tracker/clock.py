"""The one clock: every "now" and "today" in the tracker comes from here.

Tests (and the demo) may set it with :func:`set_now`; monotonic timers
(timeouts) keep using ``time.monotonic`` because they measure, not tell, time.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

_fixed: datetime | None = None


def now() -> datetime:
    """The current time in UTC, timezone-aware."""
    return _fixed if _fixed is not None else datetime.now(UTC)


def today() -> date:
    """Today's date (UTC)."""
    return now().date()


def timestamp() -> float:
    """Seconds since the epoch, as ``time.time()`` gives."""
    return now().timestamp()


def set_now(value: datetime | None) -> None:
    """Fix the clock at ``value`` (naive means UTC); ``None`` lets it run again."""
    global _fixed
    if value is not None and value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    _fixed = value
