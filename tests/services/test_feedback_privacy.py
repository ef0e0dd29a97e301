"""An LXP's page never shows another person's unquotable words as evidence."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session

from factories import (
    make_body,
    make_contribution,
    make_link,
    make_meeting,
    make_person,
)
from tracker.domain.disclosure import NOT_QUOTED, STORY
from tracker.services.feedback import my_contributions


@pytest.mark.parametrize(
    ("consent", "story", "hidden"),
    [
        ("quote-named", False, False),
        ("quote-anonymous", False, False),
        ("count-only", False, True),
        ("quote-named", True, True),
    ],
)
def test_evidence_hides_other_peoples_private_words(
    session: Session, consent: str, story: bool, hidden: bool
) -> None:
    """Is another LXP's count-only remark or story shown only as 'a discussion'?"""
    catch_up = make_meeting(session, make_body(session, kind="catch-up"), date(2021, 3, 9))
    crg = make_meeting(session, make_body(session, kind="governance"), date(2021, 3, 18))
    ann, ben = make_person(session, "Ann Lee"), make_person(session, "Ben Ray")
    point = make_contribution(session, catch_up, "Evening peer support groups", speaker=ann)
    words = "When I was discharged nobody called me; evening groups would have helped"
    later = make_contribution(session, crg, words, speaker=ben, consent=consent, is_story=story)
    make_link(session, point, later, status="confirmed")
    session.commit()
    [mine] = my_contributions(session=session, person_id=ann.id or 0)
    [evidence] = mine.evidence
    assert (evidence.text in (NOT_QUOTED, STORY)) is hidden
    assert evidence.quoted is not hidden
    assert (words in evidence.text) is not hidden
    # Ann's own words are always hers to see.
    assert mine.contribution.text == "Evening peer support groups"
