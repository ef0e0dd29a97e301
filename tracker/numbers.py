"""Whole numbers from people and URLs: ASCII digits only, inside the database's range.

``int()`` accepts "٣" and "²".isdigit() is true (int() then fails), and an id
of 2**63 or more overflows SQLite and PostgreSQL integers: each gave HTTP 500.
Every id or count read from a URL, a form or the command line goes through
here instead.
"""

from __future__ import annotations

import re

MAX_ID = 2**63 - 1  # the largest BIGINT / SQLite INTEGER
_DIGITS = re.compile(r"[0-9]{1,19}")


def is_number(text: str, *, low: int = 1, high: int = MAX_ID) -> bool:
    """True when text is ASCII digits whose value lies in low..high."""
    return bool(_DIGITS.fullmatch(text)) and low <= int(text) <= high
