"""parsers.actions: action text, owners and due dates."""

from __future__ import annotations

from datetime import date

import pytest

from parsers.actions import is_action_sentence, label_action, read_action, read_owners
from parsers.speakers import build_cast

CAST = build_cast(
    attendees=["Ewan McAllister", "Oliver Stanton", "Nadia", "Olly"], aliases=["EM", "OS"]
)
MEETING = date(2021, 2, 16)


def owners(parts: tuple) -> list[tuple[str, str | None]]:
    return [(o.as_written, o.group) for o in parts]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (
            "ACTION: EM to write to GP leads by 12 March.",
            ("EM to write to GP leads by 12 March.", ""),
        ),
        ("Action (JT): circulate the paper", ("circulate the paper", "JT")),
        ("Actions agreed:", ("", "")),
        ("Action: DB", ("DB", "")),
        ("Actions 3 and 4 are in progress.", None),
    ],
)
def test_label_action(text: str, want: tuple[str, str] | None) -> None:
    """Is an ACTION label taken off, with any owner in brackets?"""
    assert label_action(text) == want


@pytest.mark.parametrize(
    ("owner_text", "want"),
    [
        ("KT/LM", [("KT", None), ("LM", None)]),
        ("MF / OS", [("MF", None), ("OS", None)]),
        ("All members", [("All members", "all")]),
        ("Programme Team", [("Programme Team", "staff")]),
        ("Lived Experience Practitioners", [("Lived Experience Practitioners", "lxp")]),
        ("Nadia and Olly", [("Nadia", None), ("Olly", None)]),
        ("Gareth", [("Gareth", None)]),
    ],
)
def test_read_owners(owner_text: str, want: list) -> None:
    """Are several owners and group owners read from an Owner cell?"""
    assert owners(read_owners(owner_text, CAST)) == want


@pytest.mark.parametrize(
    ("text", "kwargs", "want_text", "want_owners", "due"),
    [
        (
            "EM to write to GP leads in each ICS by 12 March.",
            {},
            "EM to write to GP leads in each ICS by 12 March",
            [("EM", None)],
            date(2021, 3, 12),
        ),
        (
            "Map the treatment offer – OS, by 31/07/21",
            {},
            "Map the treatment offer",
            [("OS", None)],
            date(2021, 7, 31),
        ),
        (
            "Check whether payments include preparation time – DB",
            {},
            "Check whether payments include preparation time",
            [("DB", None)],
            None,
        ),
        (
            "Share translated leaflets",
            {"owner_text": "GL", "due_text": "TBC"},
            "Share translated leaflets",
            [("GL", None)],
            None,
        ),
        (
            "Circulate the template",
            {"owner_text": "Gareth", "due_text": "01/07/2021"},
            "Circulate the template",
            [("Gareth", None)],
            date(2021, 7, 1),
        ),
        (
            "All members to think about good practice examples",
            {},
            "All members to think about good practice examples",
            [("All members", "all")],
            None,
        ),
        (
            "Nadia to take the feedback to the Steering Group on 16 February",
            {},
            "Nadia to take the feedback to the Steering Group on 16 February",
            [("Nadia", None)],
            date(2021, 2, 16),
        ),
        (
            "Olly to send the notes within two weeks",
            {},
            "Olly to send the notes within two weeks",
            [("Olly", None)],
            date(2021, 3, 2),
        ),
        (
            "Some team members will design a prototype",
            {},
            "Some team members will design a prototype",
            [],
            None,
        ),
    ],
)
def test_read_action(
    text: str, kwargs: dict, want_text: str, want_owners: list, due: date | None
) -> None:
    """Are owners and due dates read from cells, suffixes and the sentence?"""
    parts = read_action(text, CAST, meeting=MEETING, **kwargs)
    assert parts.text == want_text
    assert owners(parts.owners) == want_owners
    assert parts.due == due


@pytest.mark.parametrize(
    ("text", "action"),
    [
        ("Oliver Stanton to take these points to the CRG", True),
        ("Nadia to ask Ewan for a date", True),
        ("EM to circulate the report", True),
        ("Therapists need to understand breathlessness", False),
        ("The wait is hard to bear", False),
    ],
)
def test_is_action_sentence(text: str, action: bool) -> None:
    """Is "Name to do something" an action, and other "to" sentences not?"""
    assert is_action_sentence(text, CAST) is action


def test_start_dates_are_not_due_dates() -> None:
    """Is "from 20 February onwards" no due date, while "by 20 February" is one?"""
    from datetime import date

    from parsers.actions import due_date

    meeting = date(2020, 1, 30)
    assert due_date("Begin data exploration (20 February onwards)", meeting) is None
    assert due_date("Run the survey from 3 March", meeting) is None
    assert due_date("Send the report by 20 February", meeting) == date(2020, 2, 20)
