"""The one disclosure rule: every consent x story x audience, by an explicit table."""

from __future__ import annotations

import pytest

from tracker.domain.disclosure import (
    ANONYMOUS,
    FORMER,
    NOT_QUOTED,
    STORY,
    Audience,
    Point,
    disclose,
)

WORDS = "Evening groups would let people who work come along"
JADE = {"speaker_person_id": 7, "speaker_name": "Jade Morgan", "speaker_as_written": "JM"}
READERS = (Audience.LEAD, Audience.OTHER_LXP, Audience.EXPORT)

# (consent, story) -> (text shown, who) for readers: leads, other LXPs, the export.
READER_TABLE = {
    ("quote-named", False): (WORDS, "Jade Morgan"),
    ("quote-named", True): (STORY, "Jade Morgan"),
    ("quote-anonymous", False): (WORDS, ANONYMOUS),
    ("quote-anonymous", True): (STORY, ANONYMOUS),
    ("count-only", False): (NOT_QUOTED, "Jade Morgan"),
    ("count-only", True): (NOT_QUOTED, "Jade Morgan"),
}


@pytest.mark.parametrize(("consent", "story"), READER_TABLE)
@pytest.mark.parametrize("audience", list(Audience))
def test_individual_speaker_matrix(consent: str, story: bool, audience: Audience) -> None:
    """Each audience sees exactly what the table says of a named LXP's point."""
    shown = disclose(Point(WORDS, consent=consent, is_story=story, **JADE), audience)
    if audience in (Audience.SPEAKER, Audience.RECORD_KEEPER):
        expected = (WORDS, "Jade Morgan")
    else:
        expected = READER_TABLE[(consent, story)]
    assert (shown.text, shown.who) == expected
    assert shown.quoted == (shown.text == WORDS)
    assert shown.named == (shown.who == "Jade Morgan")


@pytest.mark.parametrize("consent", ["quote-named", "quote-anonymous", "count-only"])
@pytest.mark.parametrize("audience", READERS)
def test_the_speaker_always_sees_their_own_point(consent: str, audience: Audience) -> None:
    """Whatever the audience of the page, the person who said it sees it whole."""
    point = Point(WORDS, consent=consent, is_story=True, **JADE)
    shown = disclose(point, audience, viewer_person_id=7)
    assert (shown.text, shown.who, shown.quoted, shown.named) == (WORDS, "Jade Morgan", True, True)
    other = disclose(point, audience, viewer_person_id=8)
    assert other.text != WORDS


@pytest.mark.parametrize(
    ("consent", "story", "text"),
    [
        ("quote-named", False, WORDS),
        ("quote-anonymous", False, WORDS),
        ("quote-named", True, STORY),
        ("count-only", False, NOT_QUOTED),
    ],
)
@pytest.mark.parametrize("audience", READERS)
def test_a_group_point_names_the_group_and_follows_consent_for_words(
    consent: str, story: bool, text: str, audience: Audience
) -> None:
    """'LXPs suggested ...' names no person: the group is shown; the words follow consent."""
    point = Point(WORDS, consent=consent, is_story=story, speaker_group="lxp")
    shown = disclose(point, audience)
    assert (shown.text, shown.who, shown.named) == (text, "LXPs", True)


@pytest.mark.parametrize("audience", list(Audience))
def test_an_erased_speaker_is_never_named(audience: Audience) -> None:
    """After erasure nobody, not even a record keeper, sees the name."""
    point = Point("[removed at the person's request]", speaker_erased=True, **JADE)
    shown = disclose(point, audience)
    assert (shown.who, shown.named) == (FORMER, False)


def test_an_unresolved_name_as_written_is_an_individual() -> None:
    """A speaker written as 'Dr X' but not on the roster is still a person: consent applies."""
    point = Point(WORDS, consent="quote-anonymous", speaker_as_written="Dr X")
    assert disclose(point, Audience.LEAD).who == ANONYMOUS
    assert disclose(point, Audience.RECORD_KEEPER).who == "Dr X"


def test_an_unknown_consent_is_refused() -> None:
    """A consent value outside the three is a programming error, not a silent default."""
    with pytest.raises(ValueError, match="unknown consent"):
        disclose(Point(WORDS, consent="public"), Audience.LEAD)
