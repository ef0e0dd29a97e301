"""parsers.names: a name as written -> the roster person, or None."""

from __future__ import annotations

import pytest

from parsers.names import RosterName, initials, resolve_name

ROSTER = (
    RosterName("1", "Ewan McAllister", ("EM", "Dr McAllister"), "staff"),
    RosterName("2", "Oliver Stanton", ("OS", "Olly"), "staff"),
    RosterName("3", "Siobhan Gallagher", (), "lxp"),
    RosterName("4", "Siobhan Green", (), "lxp"),
    RosterName("5", "Tomasz Nowicki", (), "lxp"),
    RosterName("6", "Sunita Kapoor", (), "staff"),
    RosterName("7", "Sam Kelly", (), "staff"),
    RosterName("8", "Zoë O'Neill", (), "lxp"),
)


@pytest.mark.parametrize(
    ("written", "want"),
    [
        ("Ewan McAllister", "1"),
        ("ewan mcallister", "1"),
        ("Dr Ewan McAllister", "1"),
        ("EM", "1"),
        ("Dr McAllister", "1"),
        ("Ewan", "1"),
        ("Olly", "2"),
        ("Oliver S", "2"),
        ("O Stanton", "2"),
        ("Tom", "5"),
        ("Dr Kapoor", "6"),
        ("Siobhan Gallagher (LXP)", "3"),
        ("Zoe O'Neill", "8"),
        ("Siobhan", None),  # two Siobhans, no attendee list
        ("SG", None),  # the same initials
        ("Hannah Cole", None),
        ("", None),
    ],
)
def test_resolve_name(written: str, want: str | None) -> None:
    """Are full names, aliases, initials, first names and titles resolved?"""
    found = resolve_name(written, ROSTER)
    assert (found.key if found else None) == want


@pytest.mark.parametrize(
    ("written", "attendees", "want"),
    [
        ("Siobhan", ["Siobhan Gallagher", "Ewan McAllister"], "3"),
        ("SG", ["Siobhan Green"], "4"),
        ("Siobhan", ["Siobhan G", "Olly"], None),  # G fits both surnames
        ("Siobhan", ["Siobhan Gr", "Olly"], "4"),
        ("Siobhan", ["Siobhan Gallagher", "Siobhan Green"], None),
        ("SK", ["Sunita Kapoor"], "6"),
        ("SK", ["Sam Kelly"], "7"),
    ],
)
def test_attendees_settle_ambiguous_names(
    written: str, attendees: list[str], want: str | None
) -> None:
    """Does the attendee list pick between people who share a reading?"""
    found = resolve_name(written, ROSTER, attendees)
    assert (found.key if found else None) == want


def test_initials() -> None:
    """Are initials taken from each part of the name, skipping titles?"""
    assert initials("Dr Ewan McAllister") == "em"
    assert initials("Ludwig van Beethoven") == "lb"
    assert initials("Cher") == ""


def test_roster_index_matches_resolve_name_and_is_cached() -> None:
    """Does the cached index answer as resolve_name does, without re-reading?"""
    from parsers.names import RosterIndex, roster_index

    people = tuple(ROSTER)
    index = RosterIndex(people)
    for written in ("EM", "Ewan", "nobody at all", ""):
        assert index.resolve_name(written) == resolve_name(written, people)
        assert resolve_name(written, index) == resolve_name(written, list(people))
    assert roster_index(people) is roster_index(tuple(people))
