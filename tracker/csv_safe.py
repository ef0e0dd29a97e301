"""Every CSV the tracker writes goes through here: no cell runs as a formula.

Spreadsheets treat a cell that starts with = + - @ (or a tab or carriage
return before one) as a formula, so a point someone said, such as
"=HYPERLINK(...)" or "-2 beds", could run or be mangled (CSV injection,
OWASP).  Such text cells get a leading apostrophe, which spreadsheets show
as plain text.  Numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def safe_cell(value: Any) -> Any:
    """Return the value as it should go into a CSV cell."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """Return a whole CSV document (header first), every cell made safe."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([safe_cell(h) for h in header])
    writer.writerows([safe_cell(v) for v in row] for row in rows)
    return out.getvalue()
