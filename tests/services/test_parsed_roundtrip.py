"""Parsed minutes survive the JSON crossing between the parse worker and the app."""

from __future__ import annotations

import json
from datetime import date

from parsers import ParsedMinutes
from tracker.services.parsing import minutes_from_dict, minutes_to_dict


def test_heading_lines_cross_the_worker_boundary() -> None:
    """Do the heading-block lines (used to find the body) come back intact from JSON?"""
    parsed = ParsedMinutes(
        title="Northshire NHS Foundation Trust",
        date=date(2021, 4, 6),
        heading_lines=("Northshire NHS Foundation Trust", "PD Clinical Reference Group"),
    )
    again = minutes_from_dict(json.loads(json.dumps(minutes_to_dict(parsed))))
    assert again == parsed
