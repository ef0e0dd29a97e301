"""parsers.speakers: who said it, and the statement without the speaker."""

from __future__ import annotations

import pytest

from parsers.names import RosterName
from parsers.speakers import attribute, build_cast, group_of, is_person, read_who

CAST = build_cast(
    attendees=["Ewan McAllister", "Siobhan G", "Gareth Lloyd", "Olly", "Hannah Cole"],
    aliases=["EM"],
)
EMPTY = build_cast()


@pytest.mark.parametrize(
    ("text", "who", "group", "rest"),
    [
        ("EM reported that all three sites are live.", "EM", None, "all three sites are live."),
        (
            "Gareth Lloyd said that the pathway is commissioned.",
            "Gareth Lloyd",
            None,
            "the pathway is commissioned.",
        ),
        (
            "Dr Joanne Pereira noted that reviews focus on HbA1c.",
            "Joanne Pereira",
            None,
            "reviews focus on HbA1c.",
        ),
        (
            "Siobhan: The check-in calls have started.",
            "Siobhan",
            None,
            "The check-in calls have started.",
        ),
        (
            "Communications (OS): the guide has been drafted.",
            "OS",
            None,
            "the guide has been drafted.",
        ),
        (
            "Kwame also said that people are rarely referred.",
            "Kwame",
            None,
            "people are rarely referred.",
        ),
        (
            "Yasmin described how her daughter was discharged.",
            "Yasmin",
            None,
            "her daughter was discharged.",
        ),
        (
            "Parents have no idea what to expect (Siobhan)",
            "Siobhan",
            None,
            "Parents have no idea what to expect",
        ),
        (
            "One LXP said the wait is the most dangerous time",
            "One LXP",
            "lxp",
            "the wait is the most dangerous time",
        ),
        (
            "Another LXP said people are turned away.",
            "Another LXP",
            "lxp",
            "people are turned away.",
        ),
        (
            "The programme team reported that two LXPs were recruited.",
            "The programme team",
            "staff",
            "two LXPs were recruited.",
        ),
        (
            "All members agreed to share examples.",
            "All members",
            "all",
            "All members agreed to share examples.",
        ),
        (
            "The group noted that the CQUIN applies to children only.",
            None,
            None,
            "The group noted that the CQUIN applies to children only.",
        ),
        (
            "Members discussed the balance of digital delivery.",
            None,
            None,
            "Members discussed the balance of digital delivery.",
        ),
        (
            "Workforce: the survey closed with 212 responses.",
            None,
            None,
            "Workforce: the survey closed with 212 responses.",
        ),
        (
            "Primary care: a GP session is planned.",
            None,
            None,
            "Primary care: a GP session is planned.",
        ),
        (
            "Introductions were made and apologies noted.",
            None,
            None,
            "Introductions were made and apologies noted.",
        ),
        (
            "Early intervention (FREED) works well.",
            None,
            None,
            "Early intervention (FREED) works well.",
        ),
        ("Waits are long – EM", "EM", None, "Waits are long"),
    ],
)
def test_attribute(text: str, who: str | None, group: str | None, rest: str) -> None:
    """Is the speaker read from each common pattern, and the rest kept verbatim?"""
    said = attribute(text, CAST)
    assert (said.speaker.as_written if said.speaker else None) == who
    assert (said.speaker.group if said.speaker else None) == group
    assert said.text == rest


NAMES = build_cast(attendees=["Tom Riley", "Helen Price", "Grace Bell"])


@pytest.mark.parametrize(
    "text",
    [
        "Tom welcomed everyone and explained how notes will be shared.",
        "Tom gave an update on the programme plan for 2021/22.",
        "Helen Price presented the draft leaflet.",
        "Grace agreed to circulate the slides.",
        "Tom shared the survey results with the group.",
        "Helen provided an update on recruitment.",
        "Grace offered to host the next session.",
        "Tom outlined the three options.",
        "Helen welcomed the new members to the group.",
    ],
)
def test_non_reporting_verb_keeps_the_whole_sentence(text: str) -> None:
    """Does "Name <non-reporting verb> ..." keep every word, with the speaker set?"""
    said = attribute(text, NAMES)
    assert said.text == text
    assert said.speaker is not None and said.speaker.group is None
    assert text.startswith(said.speaker.as_written + " ")


@pytest.mark.parametrize(
    ("text", "who", "rest"),
    [
        ("Tom said the leaflet is too long.", "Tom", "the leaflet is too long."),
        ("Tom explained how notes will be shared.", "Tom", "notes will be shared."),
        ("Helen asked whether the clinic opens late.", "Helen", "whether the clinic opens late."),
        ("Grace felt that the wait was too long.", "Grace", "the wait was too long."),
        ("Tom shared that two sites had closed.", "Tom", "two sites had closed."),
        ("Helen agreed that the survey was useful.", "Helen", "the survey was useful."),
        ("Grace suggested a second session.", "Grace", "a second session."),
    ],
)
def test_reporting_frame_is_stripped(text: str, who: str, rest: str) -> None:
    """Is a real reporting frame ("X said/asked whether/shared that") taken off?"""
    said = attribute(text, NAMES)
    assert said.speaker is not None and said.speaker.as_written == who
    assert said.text == rest


def test_pronoun_with_a_non_reporting_verb_keeps_the_sentence() -> None:
    """Is "She welcomed ..." the previous speaker's, kept whole?"""
    said = attribute("She welcomed the new terms of reference.", NAMES)
    assert said.pronoun
    assert said.text == "She welcomed the new terms of reference."


def test_pronoun_points_to_the_previous_speaker() -> None:
    """Is "He added that" marked as the previous speaker's?"""
    said = attribute("He added that three services offer evening clinics.", CAST)
    assert said.pronoun and said.speaker is None
    assert said.text == "three services offer evening clinics."


def test_bold_name_opening_a_paragraph() -> None:
    """Is a bold name at the start of a paragraph its speaker?"""
    said = attribute("Hannah Cole the leaflet is ready.", CAST, bold_prefix="Hannah Cole")
    assert said.speaker is not None and said.speaker.as_written == "Hannah Cole"
    assert said.text == "the leaflet is ready."


def test_unknown_names_still_read_by_pattern_with_an_empty_roster() -> None:
    """Does a name plus a reporting verb work with no roster or attendees?"""
    said = attribute("Priya Nair explained that the buttons are too small.", EMPTY)
    assert said.speaker is not None and said.speaker.as_written == "Priya Nair"
    said = attribute("SH noted that the survey closed.", EMPTY)
    assert said.speaker is not None and said.speaker.as_written == "SH"


def test_roster_names_are_known() -> None:
    """Does the roster make a lone first name a person?"""
    cast = build_cast([RosterName("1", "Farhan Chowdhury", ("FC",), "lxp")])
    assert is_person("Farhan", cast)
    assert is_person("FC", cast)
    assert not is_person("Finance", cast)


@pytest.mark.parametrize(
    ("text", "group"),
    [
        ("LXPs", "lxp"),
        ("Lived Experience Practitioners", "lxp"),
        ("LXP representatives", "lxp"),
        ("experts by experience", "lxp"),
        ("Programme Team", "staff"),
        ("All members", "all"),
        ("all", "all"),
        ("Members", None),
        ("Gareth", None),
    ],
)
def test_group_of(text: str, group: str | None) -> None:
    """Are the LXP, staff and all-members collectives recognised?"""
    assert group_of(text) == group


def test_read_who_for_leads_and_owners() -> None:
    """Are "Lead: SK", "Yasmin Haddad (LXP)" and "(all)" read as who?"""
    assert read_who("Lead: EM", CAST).as_written == "EM"  # type: ignore[union-attr]
    who = read_who("Yasmin Haddad (LXP)", CAST)
    assert who is not None and who.as_written == "Yasmin Haddad" and who.group is None
    assert read_who("all", CAST).group == "all"  # type: ignore[union-attr]
    assert read_who("FREED", CAST) is None
