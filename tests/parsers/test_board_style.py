"""Board-style minutes: capitalised labels and minute references ("21/03")."""

from __future__ import annotations

from datetime import date
from io import BytesIO

from docx import Document

from parsers import parse_minutes
from parsers.names import RosterName

ROSTER = (
    RosterName("1", "Jane Smith", ("JS",)),
    RosterName("2", "Raj Kumar", ("RK", "Dr Kumar")),
    RosterName("3", "Amy Lo", ("AL",), "lxp"),
    RosterName("4", "Peter Grey", ("PG",)),
)


def _board_minutes() -> bytes:
    doc = Document()
    doc.add_paragraph("MINUTES OF THE MENTAL HEALTH PROGRAMME BOARD").runs[0].bold = True
    doc.add_paragraph("held on Wednesday 14th April 2021 at 2.00pm via Zoom")
    doc.add_paragraph(
        "PRESENT: Jane Smith (Chair), Dr Raj Kumar, Amy Lo (Lived Experience Practitioner)"
    )
    doc.add_paragraph("IN ATTENDANCE: Peter Grey (Minutes)")
    doc.add_paragraph("APOLOGIES: Sarah Jones")
    sections = [
        ("21/01 WELCOME AND APOLOGIES", ["The Chair welcomed members to the meeting."]),
        (
            "21/02 MINUTES OF THE PREVIOUS MEETING",
            [
                "The minutes of the meeting held on 10 March 2021 were APPROVED"
                " as an accurate record."
            ],
        ),
        (
            "21/03 LIVED EXPERIENCE UPDATE (Amy Lo)",
            [
                "Amy Lo reported that LXPs had asked for evening peer support sessions.",
                "RK asked whether the sessions could be held online.",
                "The Board NOTED the update.",
                "10/12 members supported a pilot.",
                "RESOLVED: that a pilot of evening peer support sessions is funded from Q2.",
                "Action: PG to circulate the pilot proposal by 30 April 2021.",
            ],
        ),
    ]
    for heading, paragraphs in sections:
        doc.add_paragraph(heading).runs[0].bold = True
        for text in paragraphs:
            doc.add_paragraph(text)
    buffer = BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def test_board_minutes_with_minute_references() -> None:
    """Are '21/03' headings items, NOTED discussion, RESOLVED a decision, Action an action?"""
    minutes = parse_minutes(_board_minutes(), "board.docx", roster=ROSTER)
    assert minutes.date == date(2021, 4, 14)
    assert [(i.number, i.title) for i in minutes.items] == [
        ("21/01", "WELCOME AND APOLOGIES"),
        ("21/02", "MINUTES OF THE PREVIOUS MEETING"),
        ("21/03", "LIVED EXPERIENCE UPDATE"),
    ]
    assert minutes.items[2].lead is not None and minutes.items[2].lead.as_written == "Amy Lo"
    statuses = {a.as_written: a.status for a in minutes.attendees}
    assert statuses == {
        "Jane Smith": "present",
        "Raj Kumar": "present",
        "Amy Lo": "present",
        "Peter Grey": "in-attendance",
        "Sarah Jones": "apologies",
    }
    said = {c.text: c.speaker.as_written if c.speaker else None for c in minutes.contributions}
    assert said["LXPs had asked for evening peer support sessions."] == "Amy Lo"
    assert said["The Board NOTED the update."] is None
    assert said["10/12 members supported a pilot."] is None
    decisions = [d.text for d in minutes.decisions]
    assert "that a pilot of evening peer support sessions is funded from Q2." in decisions
    [action] = minutes.actions
    assert action.due == date(2021, 4, 30)
    assert [o.as_written for o in action.owners] == ["PG"]
