"""The review editor's edits, on plain parsed minutes (no app, no database)."""

from __future__ import annotations

from datetime import date

import pytest

from parsers import (
    ParsedAction,
    ParsedAttendee,
    ParsedContribution,
    ParsedDecision,
    ParsedItem,
    ParsedMinutes,
    ParsedSpeaker,
)
from tracker.errors import BadInput
from tracker.services.editor import Roster, apply_form, page_rows

ARUN = ParsedSpeaker("Arun Patel")
JADE = ParsedSpeaker("Jade Morgan")
ROSTER = Roster(people={1: "Arun Patel", 2: "Jade Morgan"})


def minutes() -> ParsedMinutes:
    return ParsedMinutes(
        title="PD CRG",
        date=date(2021, 3, 18),
        attendees=(
            ParsedAttendee("Action Items", "present"),
            ParsedAttendee("Sam Green", "present", "LXP"),
        ),
        items=(ParsedItem("1", "Peer support", None, order=1),),
        contributions=(
            ParsedContribution("Groups are full. Evenings would help.", JADE, 0, order=2),
            ParsedContribution("Waiting lists are long.", None, 0, order=3),
        ),
        actions=(
            ParsedAction("Draft a plan.", (ARUN,), date(2021, 4, 1), item=0, order=4),
            ParsedAction("Book a room.", (JADE,), None, item=0, order=5),
        ),
        decisions=(ParsedDecision("Agreed to pilot.", 0, order=6),),
    )


def test_a_post_without_a_rows_fields_leaves_the_row_alone():
    """Does a post that names no fields (another page's post) change nothing?"""
    edited = apply_form(minutes(), {"do": "apply"}, ROSTER)
    assert page_rows(edited.parsed) == page_rows(minutes())
    assert edited.parsed.attendees == minutes().attendees
    assert not edited.edits


def test_a_heading_taken_for_an_attendee_becomes_an_agenda_item():
    """Can 'Action Items' in the attendance list be re-typed into an agenda item?"""
    edited = apply_form(minutes(), {"a-0-kind": "item"}, ROSTER).parsed
    assert [i.title for i in edited.items] == ["Action Items", "Peer support"]
    assert [a.as_written for a in edited.attendees] == ["Sam Green"]
    assert {c.item for c in edited.contributions} == {1}  # still under Peer support


def test_retyping_keeps_who_where_it_can():
    """Does a statement become an action owned by its speaker, and an agenda item's
    records lose their item when it becomes a statement?"""
    edited = apply_form(minutes(), {"c-0-kind": "action", "i-0-kind": "contribution"}, ROSTER)
    parsed = edited.parsed
    assert parsed.items == ()
    moved = next(a for a in parsed.actions if a.text.startswith("Groups are full"))
    assert moved.owners == (JADE,) and moved.item is None
    assert parsed.contributions[0].text == "Peer support"
    assert edited.edits["kind"] == 2


def test_split_at_a_sentence_and_at_a_line_break():
    """Does Split cut at the typed line break, else after the first sentence?"""
    by_sentence = apply_form(minutes(), {"do": "split:c-0"}, ROSTER).parsed
    assert [c.text for c in by_sentence.contributions[:2]] == [
        "Groups are full.",
        "Evenings would help.",
    ]
    assert by_sentence.contributions[1].speaker == JADE
    by_line = apply_form(
        minutes(), {"do": "split:x-0", "x-0-text": "Draft a\nplan."}, ROSTER
    ).parsed
    assert [a.text for a in by_line.actions][:2] == ["Draft a", "plan."]
    with pytest.raises(BadInput, match="line break"):
        apply_form(minutes(), {"do": "split:c-1"}, ROSTER)


def test_merge_joins_the_next_record_and_its_owners():
    """Does Merge join an action with the next one, keeping both owners and the due date?"""
    parsed = apply_form(minutes(), {"do": "merge:x-0"}, ROSTER).parsed
    assert [a.text for a in parsed.actions] == ["Draft a plan. Book a room."]
    assert parsed.actions[0].owners == (ARUN, JADE)
    assert parsed.actions[0].due == date(2021, 4, 1)


def test_deleting_an_agenda_item_keeps_its_records():
    """Does deleting an agenda item leave its records, under no item?"""
    parsed = apply_form(minutes(), {"do": "delete:i-0"}, ROSTER).parsed
    assert parsed.items == ()
    assert len(parsed.contributions) == 2 and parsed.contributions[0].item is None


def test_someone_new_joins_the_new_people_with_a_guessed_role():
    """Is a typed name added as a new person (an LXP when the attendance says so), and
    a typed name already on the list taken as that person?"""
    edited = apply_form(
        minutes(), {"c-1-who-new": "Sam  Green", "x-1-who-new": "arun patel"}, ROSTER
    )
    assert edited.parsed.contributions[1].speaker == ParsedSpeaker("Sam Green")
    assert edited.parsed.actions[1].owners == (JADE, ARUN)
    assert edited.new_people == {"Sam Green": "lxp"}


def test_new_people_no_longer_named_are_dropped():
    """Does a new person nobody names any more drop off the list to add?"""
    roster = Roster(people=ROSTER.people, new_people={"Pat Doe": "staff"})
    assert apply_form(minutes(), {}, roster).new_people == {}


def test_add_puts_a_record_under_its_agenda_item():
    """Is an added action placed after the last record of the item it is added to?"""
    form = {
        "do": "add",
        "new-kind": "action",
        "new-text": "Write to members.",
        "new-who": "p:1",
        "new-due": "2021-05-01",
        "new-item": "i-0",
    }
    parsed = apply_form(minutes(), form, ROSTER).parsed
    added = parsed.actions[-1]
    assert (added.text, added.owners, added.due, added.item) == (
        "Write to members.",
        (ARUN,),
        date(2021, 5, 1),
        0,
    )
    rows = page_rows(parsed)
    assert rows[-1].text == "Write to members."


@pytest.mark.parametrize(
    ("form", "needle"),
    [
        ({"do": "add", "new-text": ""}, "write what the new record says"),
        ({"do": "add", "new-text": "x", "new-kind": "action", "new-due": "May"}, "due date"),
        ({"c-0-who": "p:99"}, "pick a person"),
        ({"c-0-text": "   "}, "cannot be empty"),
        ({"do": "delete:c-99"}, "no longer there"),
        ({"do": "add-attendee"}, "choose who attended"),
        ({"do": "add-attendee", "na-name": "Sam Green"}, "already in the attendance"),
        ({"do": "merge:d-0"}, "no record after this one"),
        ({"c-0-kind": "minutes"}, "choose statement"),
    ],
)
def test_bad_edits_are_refused_in_one_plain_line(form, needle):
    """Is each impossible edit refused with a plain sentence?"""
    with pytest.raises(BadInput) as caught:
        apply_form(minutes(), form, ROSTER)
    assert needle in caught.value.message
    assert "\n" not in caught.value.message
