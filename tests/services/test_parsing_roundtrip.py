"""ParsedMinutes survive the trip to and from the parse worker whole."""

from __future__ import annotations

import dataclasses

from parsers import parse_minutes
from tracker.services.parsing import minutes_from_dict, minutes_to_dict
from tracker.services.template_docx import build_template

EXAMPLE = {
    "title": "PD Clinical Reference Group minutes",
    "date": "18 March 2021",
    "present": ["Helen Price (Chair)", "Jade Morgan (LXP)"],
    "apologies": ["Arun Patel"],
    "items": [
        {
            "title": "Peer support",
            "lead": "Helen Price",
            "lines": [
                "Jade Morgan: Evening groups would help.",
                "ACTION: HP to ask the board by 31/03/21",
                "DECISION: Agreed to pilot evening groups.",
            ],
        }
    ],
}


def test_every_field_of_parsed_minutes_round_trips():
    parsed = parse_minutes(build_template(example=EXAMPLE), "crg.docx")
    again = minutes_from_dict(minutes_to_dict(parsed))
    assert again == parsed
    # No field may be left at its default by the trip when the parser set it.
    for field in dataclasses.fields(parsed):
        assert getattr(again, field.name) == getattr(parsed, field.name), field.name
    assert parsed.heading_lines and parsed.actions and parsed.decisions
