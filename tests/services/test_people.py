"""Roster and bodies import, name resolution, and erasure that keeps aggregates."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session, select

from factories import make_body, make_contribution, make_meeting, make_outcome, make_person
from tracker.errors import BadInput
from tracker.models import Body, Contribution, Person
from tracker.services.export import build_export
from tracker.services.people import (
    ERASED_TEXT,
    erase_person,
    find_body,
    import_bodies,
    import_people,
)


def test_people_import_adds_then_updates(session: Session) -> None:
    """Does a second import update people rather than duplicate them?"""
    text = "name,aliases,role,email\nJade Morgan,JM;Jade,lxp,jade@example.org\n"
    assert import_people(session=session, text=text).added == 1
    again = import_people(session=session, text=text.replace("JM;Jade", "JM"))
    assert (again.added, again.updated) == (0, 1)
    person = session.exec(select(Person)).one()
    assert person.aliases == ["JM"]


def test_bodies_import_is_all_or_nothing(session: Session) -> None:
    """Does one bad row leave the earlier good rows unwritten?"""
    text = "name,kind,workstream,patterns\nA,governance,PD,A\nB,gala,PD,B\n"
    with pytest.raises(BadInput, match="bodies line 3"):
        import_bodies(session=session, text=text)
    session.rollback()
    assert session.exec(select(Body)).all() == []


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("PD CRG minutes 18 March", "PD Clinical Reference Group"),
        ("Minutes of the PD Clinical Reference Group", "PD Clinical Reference Group"),
        ("pd lxp   catch-up notes", "PD LXP catch-up"),
    ],
)
def test_find_body_by_title_pattern(session: Session, title: str, expected: str) -> None:
    """Is the body found from its title patterns, whatever the case and spacing?"""
    import_bodies(
        session=session,
        text="name,kind,workstream,patterns\n"
        "PD Clinical Reference Group,governance,PD,PD Clinical Reference Group;PD CRG\n"
        "PD LXP catch-up,catch-up,PD,PD LXP catch-up\n",
    )
    assert find_body(session, title=title).name == expected


_TWO_BODIES = (
    "name,kind,workstream,patterns\n"
    "PD Clinical Reference Group,governance,PD,PD Clinical Reference Group;PD CRG\n"
    "PD LXP catch-up,catch-up,PD,PD LXP catch-up\n"
)


@pytest.mark.parametrize(
    ("title", "lines", "filename", "expected"),
    [
        # The organisation first, the body on the next line.
        ("Northshire NHS Foundation Trust", ("PD Clinical Reference Group",), "m.docx", "PD"),
        # A website-style line before the real title.
        ("Home | Northshire ICS", ("Minutes: PD LXP catch-up",), "x.docx", "LXP"),
        # Only the file name says it.
        ("Minutes", (), "2021-03-09_PD_LXP_catch-up.docx", "LXP"),
        # A longer pattern elsewhere beats a shorter one in the title.
        ("PD CRG", ("PD LXP catch-up",), "", "LXP"),
    ],
)
def test_find_body_reads_the_whole_heading_block(
    session: Session, title: str, lines: tuple[str, ...], filename: str, expected: str
) -> None:
    """Is the body found on any heading line or in the file name, not only the title?"""
    import_bodies(session=session, text=_TWO_BODIES)
    body = find_body(session, title=title, heading_lines=lines, filename=filename)
    assert expected in body.name


def test_find_body_refuses_ties_and_unknowns_naming_the_file(session: Session) -> None:
    """Is an unclear body refused in one line that names the file?"""
    import_bodies(
        session=session,
        text=_TWO_BODIES + "ED CRG,governance,ED,ED Clinical Reference Group\n",
    )
    with pytest.raises(BadInput, match=r"^Meeting_3\.docx: could not tell which body") as err:
        find_body(
            session, title="Minutes", heading_lines=("Allotments",), filename="Meeting_3.docx"
        )
    assert "\n" not in err.value.message and "--body" in err.value.message
    with pytest.raises(BadInput, match=r"^a\.docx: .*more than one body"):
        find_body(
            session,
            title="Minutes",
            heading_lines=("PD Clinical Reference Group", "ED Clinical Reference Group"),
            filename="a.docx",
        )
    # A pattern inside a longer word is no match outside the title.
    with pytest.raises(BadInput):
        find_body(session, title="Minutes", heading_lines=("XPD CRGs",), filename="b.docx")


def test_erasure_removes_words_and_identity_but_keeps_totals(session: Session) -> None:
    """After erasure, is no name or story text left while the counts stay the same?"""
    body = make_body(session, "PD catch-up", kind="catch-up")
    make_body(session, "PD CRG", kind="governance")
    meeting = make_meeting(session, body, date(2021, 3, 9))
    jade = make_person(session, "Jade Morgan", aliases=["JM"], email="jade@example.org")
    story = make_contribution(
        session, meeting, "When I was in crisis at A&E nobody listened", speaker=jade
    )
    make_outcome(session, story, "lost")
    session.commit()
    before = build_export(session=session)
    erase_person(session=session, person_id=jade.id or 0)
    after = build_export(session=session)
    flat = str(after)
    assert "Jade" not in flat and "jade@example.org" not in flat and "nobody listened" not in flat
    assert session.get(Contribution, story.id).text == ERASED_TEXT  # type: ignore[union-attr]
    assert len(after["outcomes"]) == len(before["outcomes"])
    assert [o["status"] for o in after["outcomes"]] == [o["status"] for o in before["outcomes"]]
    assert sum(len(m["contributions"]) for m in after["meetings"]) == 1
