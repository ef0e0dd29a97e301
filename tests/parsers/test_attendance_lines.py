"""Attendance written as one labelled paragraph before the agenda table."""

from __future__ import annotations

import pytest

from docx_builder import build_docx
from parsers import parse_minutes

AGENDA = {"table": [
    ["No", "Item", "Discussion", "Action / Responsibility"],
    ["1", "Welcome and introductions", "Helen Price said the notes will be shared.", ""],
    ["2", "Service update", "Grace Bell reported that referrals rose.",
     "Tom to send the figures"],
]}  # fmt: skip
META = {"table": [["Date", "9 March 2021"], ["Time", "10:00"], ["Venue", "Teams"]]}


def minutes(line: str, *, apologies: bool = False) -> bytes:
    spec = [{"text": "PD Clinical Reference Group minutes", "style": "Heading 1"}, META, line]
    if apologies:
        spec.append("Apologies: Sam Ward")
    return build_docx([*spec, AGENDA])


@pytest.mark.parametrize("label", ["Members", "Present", "Attendees", "Attending"])
@pytest.mark.parametrize("apologies", [False, True])
def test_single_labelled_line_is_attendance(label: str, apologies: bool) -> None:
    """Is "Members: A (Chair), B, C" read as attendees, with or without apologies?"""
    line = f"{label}: Dr Arun Patel (Chair), Helen Price, Grace Bell, Tom Riley"
    parsed = parse_minutes(minutes(line, apologies=apologies), "crg.docx")
    present = [a.as_written for a in parsed.attendees if a.status == "present"]
    assert present == ["Arun Patel", "Helen Price", "Grace Bell", "Tom Riley"]
    assert not any("Arun Patel" in c.text for c in parsed.contributions)
    assert [i.title for i in parsed.items] == ["Welcome and introductions", "Service update"]


def test_members_line_inside_an_item_stays_a_contribution() -> None:
    """After the first agenda item, "Members: ..." is not attendance."""
    data = build_docx(
        [
            {"text": "PD Clinical Reference Group minutes", "style": "Heading 1"},
            META,
            "Present: Helen Price, Grace Bell",
            {"text": "1. Welcome", "style": "Heading 2"},
            "Members: agreed the terms of reference need a refresh.",
        ]
    )
    parsed = parse_minutes(data, "crg.docx")
    assert [a.as_written for a in parsed.attendees] == ["Helen Price", "Grace Bell"]


@pytest.mark.parametrize(
    "line",
    [
        "Apologies were received from Sam Ward and Priya Shah.",
        "Apologies for absence were received from Sam Ward, Priya Shah",
        "Sam Ward and Priya Shah sent their apologies.",
    ],
)
def test_apologies_written_as_a_sentence(line: str) -> None:
    """Is "Apologies were received from X and Y." read as apologies?"""
    data = build_docx(
        [
            {"text": "PD Clinical Reference Group minutes", "style": "Heading 1"},
            META,
            "Present: Helen Price, Grace Bell",
            line,
            AGENDA,
        ]
    )
    parsed = parse_minutes(data, "crg.docx")
    sent = [a.as_written for a in parsed.attendees if a.status == "apologies"]
    assert sent == ["Sam Ward", "Priya Shah"]
    assert not any("apologies" in c.text.lower() for c in parsed.contributions)


def test_prose_about_apologies_is_not_attendance() -> None:
    """Is a sentence that only mentions apologies left alone?"""
    data = build_docx(
        [
            {"text": "PD Clinical Reference Group minutes", "style": "Heading 1"},
            META,
            "Present: Helen Price, Grace Bell",
            "The chair noted that the service sent apologies to families affected.",
            AGENDA,
        ]
    )
    parsed = parse_minutes(data, "crg.docx")
    assert not [a for a in parsed.attendees if a.status == "apologies"]
