"""Decision wording beyond "agreed", and what is not a decision."""

from __future__ import annotations

import pytest

from parsers.decisions import is_decision


@pytest.mark.parametrize(
    "text",
    [
        "The motion to adopt the new constitution passed unanimously.",
        "Moved by Jane, seconded by Raj, carried.",
        "The revised budget was carried nem con.",
        "The motion was carried.",
        "It was decided to move the meeting to Thursdays.",
        "Decided that the newsletter goes monthly.",
        "We fixed the overworld. Decided that we will use a linear map.",
        "The group decided to pause recruitment.",
        "The decision was made to close the waiting list.",
        "The terms of reference were ratified.",
        "The minutes of the meeting held on 20.08.19 were approved as an accurate record.",
        "The minutes of the meeting held on Thursday 2nd May 2019 were approved.",
    ],
)
def test_decision_wording(text: str) -> None:
    """Is each common way of recording a decision read as one?"""
    assert is_decision(text)


@pytest.mark.parametrize(
    "text",
    [
        "The venue is still to be decided.",
        "The team decided on some features to look at next time.",
        "Jane asked whether the board had decided yet; it has not decided.",
        "The motion was defeated.",
        "To reduce the cost, it was decided by the supplier to raise prices.",
    ],
)
def test_not_decisions(text: str) -> None:
    """Are open questions, defeated motions and reported choices of others left alone?"""
    assert not is_decision(text)
