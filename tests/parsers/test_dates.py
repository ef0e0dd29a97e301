"""parsers.dates: British dates, and finding the date a meeting sat."""

from __future__ import annotations

from datetime import date

import pytest

from docx_builder import build_docx
from parsers.dates import find_meeting_date, parse_date, relative_date
from parsers.docx_blocks import read_blocks


@pytest.mark.parametrize(
    ("text", "year", "want"),
    [
        ("Tuesday 9th March 2021", None, date(2021, 3, 9)),
        ("Thurs 4 Feb 21, 13:30–15:00", None, date(2021, 2, 4)),
        ("18/03/21", None, date(2021, 3, 18)),
        ("18.03.2021", None, date(2021, 3, 18)),
        ("27-04-21", None, date(2021, 4, 27)),
        ("19.1.21", None, date(2021, 1, 19)),
        ("18 March 2021", None, date(2021, 3, 18)),
        ("2nd Feb 2021, 10.30–12.00, Teams", None, date(2021, 2, 2)),
        ("Tues 18 May 2021, 11:00", None, date(2021, 5, 18)),
        ("9th June", 2021, date(2021, 6, 9)),
        ("9th June", None, None),
        ("w/c 15 Jan", 2021, date(2021, 1, 15)),
        ("end of March", 2021, date(2021, 3, 31)),
        ("the 3rd of Sept 2020", None, date(2020, 9, 3)),
        ("March 9th, 2021", None, date(2021, 3, 9)),
        ("2021-03-09", None, date(2021, 3, 9)),
        ("31 May 2021", None, date(2021, 5, 31)),
        ("TBC", 2021, None),
        ("tba", 2021, None),
        ("10:00 – 11:30", 2021, None),
        ("Q1 2021/22", 2021, None),
        ("31/02/2021", None, None),
        ("9 June 10:00", 2021, date(2021, 6, 9)),
    ],
)
def test_parse_date(text: str, year: int | None, want: date | None) -> None:
    """Is each common British way of writing a date read day first?"""
    assert parse_date(text, year=year) == want


def test_yearless_dates_roll_into_next_year_after_the_meeting() -> None:
    """Is "by 15 January" at a December meeting next January?"""
    assert parse_date("by 15 January", year=2021, after=date(2021, 12, 9)) == date(2022, 1, 15)


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("within two weeks", date(2021, 3, 23)),
        ("by Friday", date(2021, 3, 12)),
        ("by end of the month", date(2021, 3, 31)),
        ("by the next meeting", date(2021, 4, 20)),
        ("as soon as possible", None),
    ],
)
def test_relative_due_dates_count_from_the_meeting(text: str, want: date | None) -> None:
    """Are relative due dates counted from the meeting (Tuesday 9 March 2021)?"""
    assert relative_date(text, date(2021, 3, 9), date(2021, 4, 20)) == want


def meeting_date(spec: list, filename: str = "") -> date | None:
    return find_meeting_date(read_blocks(build_docx(spec)), filename)


def test_date_in_a_date_time_venue_table() -> None:
    """Is the Date cell of a Date/Time/Venue table the meeting date?"""
    spec = [
        "PD Clinical Reference Group – Minutes",
        {"table": [["Date:", "28/01/2021"], ["Time:", "10:00 – 11:30"]]},
        "Present: Rebecca Asante (Chair)",
        "The minutes of the meeting held on 3 December 2020 were agreed.",
        "Date of next meeting: Thursday 18 March 2021",
    ]
    assert meeting_date(spec) == date(2021, 1, 28)


def test_date_on_the_line_under_the_title() -> None:
    """Is a date under the title taken, not the next meeting's date?"""
    spec = [
        "Date of next meeting: 27 April 2021",
        {"text": "Eating Disorders Steering Group", "style": "Heading 1"},
        "Minutes of the meeting held on Tuesday 16 February 2021, via Teams",
    ]
    assert meeting_date(spec) == date(2021, 2, 16)


def test_date_only_in_the_page_header() -> None:
    """Is the page header read when the body names no date on top?"""
    spec = [
        {"header": "PD Comms Task and Finish Group | Wednesday 24 February 2021"},
        {"text": "PD Communications Task and Finish Group", "style": "Heading 1"},
        {"text": "1. Welcome", "bold": True},
        "EM to write to GP leads by 12 March 2021.",
    ]
    assert meeting_date(spec) == date(2021, 2, 24)


def test_body_due_dates_are_not_the_meeting_date() -> None:
    """Are due dates and previous-minutes dates in the body left alone?"""
    spec = [
        "Steering Group",
        {"text": "1. Minutes", "bold": True},
        "The minutes of 12 January 2021 were agreed.",
        "ACTION: NR to circulate the draft by 26 February 2021.",
    ]
    assert meeting_date(spec) is None


def test_yearless_title_date_takes_the_year_from_the_document() -> None:
    """Does "9th June" in the title get its year from elsewhere in the file?"""
    spec = ["PD Comms TFG – 9th June", {"text": "1. Welcome", "bold": True}, "Due 30/06/2021"]
    assert meeting_date(spec) == date(2021, 6, 9)


def test_filename_is_the_last_resort() -> None:
    """Is a full date in the file name used when the document has none?"""
    assert meeting_date(["Minutes", "Hello"], "CRG minutes 18.03.21.docx") == date(2021, 3, 18)
