"""parsers.decisions: what the meeting agreed, resolved or approved."""

from __future__ import annotations

import pytest

from parsers.decisions import is_decision, label_decision


@pytest.mark.parametrize(
    ("text", "rest"),
    [
        (
            "Agreed: an LXP will sit on the interview panel.",
            "an LXP will sit on the interview panel.",
        ),
        (
            "DECISION: The service specification will be revised.",
            "The service specification will be revised.",
        ),
        ("RESOLVED that the budget is approved.", "the budget is approved."),
        ("Agreed:", ""),
        ("Agreement was not reached.", None),
        ("The group agreed the terms of reference.", None),
    ],
)
def test_label_decision(text: str, rest: str | None) -> None:
    """Is the text after a decision label returned, and only for labels?"""
    assert label_decision(text) == rest


@pytest.mark.parametrize(
    ("text", "decided"),
    [
        ("The Board APPROVED the annual plan.", True),
        ("It was agreed that papers go out a week ahead.", True),
        ("The group agreed the terms of reference, with work ending in July.", True),
        ("Members agreed to pilot evening groups.", True),
        ("Terms of reference approved subject to the change to quorum.", True),
        ("The minutes of the meeting held on 18 March were approved.", True),
        ("The minutes of 16 February were agreed as accurate.", True),
        ("The terms of reference were agreed.", True),
        ("The Board NOTED the update.", False),
        ("The Trust's medicines committee has approved the new protocol.", False),
        ("Precious reported that two people have agreed to share their stories.", False),
        ("Communications: terms of reference agreed; a guide is being drafted.", False),
        ("The group discussed the wording; no decision was reached.", False),
        ("Draft terms of reference were circulated in advance.", False),
    ],
)
def test_is_decision(text: str, decided: bool) -> None:
    """Are recorded approvals decisions, and reports of other bodies not?"""
    assert is_decision(text) is decided
