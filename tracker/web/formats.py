"""How pages show values: one date format for every table ("9 Mar 2021")."""

from __future__ import annotations

from datetime import date, datetime


def table_date(value: date | datetime | str | None, *, time: bool = False) -> str:
    """A date as tables show it, "9 Mar 2021"; ISO strings are read first.

    ``time=True`` adds the time of a datetime ("9 Mar 2021, 14:05 UTC").
    No value reads "no date"; a string that is not a date comes back unchanged.
    """
    if value is None or value == "":
        return "no date"
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
        except ValueError:
            return value
    shown = f"{value.day} {value:%b} {value.year}"
    if time and isinstance(value, datetime):
        shown += f", {value:%H:%M} UTC"
    return shown
