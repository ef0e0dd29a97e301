"""Minutes in styles the dev corpus does not use (UK health / public sector).

Each test builds a realistic document with python-docx and asserts what a
careful reader would record, following the corpus reading conventions.
"""

from __future__ import annotations

from datetime import date

import pytest

from docx_builder import build_docx
from parsers import ParsedMinutes, ParsedSpeaker, parse_minutes
from parsers.names import RosterName, resolve_name

ROSTER = (
    RosterName("1", "Jane Smith", ("JS",)),
    RosterName("2", "Raj Kumar", ("RK", "Dr Kumar")),
    RosterName("3", "Amy Lo", ("AL",), "lxp"),
    RosterName("4", "Peter Grey", ("PG",)),
    RosterName("5", "Femi Adeyemi", ("FA",), "lxp"),
)


def _who(speaker: ParsedSpeaker | None) -> str | None:
    if speaker is None:
        return None
    if speaker.group:
        return f"group:{speaker.group}"
    person = resolve_name(speaker.as_written, ROSTER)
    return person.name if person else speaker.as_written


def _parse(spec: list, name: str = "minutes.docx") -> ParsedMinutes:
    return parse_minutes(build_docx(spec), name, roster=ROSTER)


def _said(minutes: ParsedMinutes) -> list[tuple[int | None, str, str | None]]:
    return [(c.item, c.text, _who(c.speaker)) for c in minutes.contributions]


def _actions(minutes: ParsedMinutes) -> list[tuple[int | None, str, list, date | None]]:
    return [(a.item, a.text, [_who(o) for o in a.owners], a.due) for a in minutes.actions]


def _items(minutes: ParsedMinutes) -> list[tuple[str, str, str | None]]:
    return [(i.number, i.title, _who(i.lead)) for i in minutes.items]


def _status(minutes: ParsedMinutes) -> dict[str, str]:
    return {a.as_written: a.status for a in minutes.attendees}


def test_trust_committee_agenda_table_and_item_headings() -> None:
    """Agenda table (Item | Subject | Lead | Paper), then 'Item 3 – ...' minutes."""
    minutes = _parse(
        [
            {"text": "Quality and Safety Committee", "style": "Heading 1"},
            "Minutes of the meeting held on 2021-04-14, Boardroom, Trust HQ",
            "Present: Jane Smith (Chair), Dr Raj Kumar (Medical Director), "
            "Amy Lo (Expert by Experience)",
            "In attendance: Peter Grey (Committee Secretary)",
            "Apologies: Femi Adeyemi",
            {"text": "Agenda", "style": "Heading 2"},
            {
                "table": [
                    ["Item", "Subject", "Lead", "Paper"],
                    ["1", "Welcome and apologies", "Chair", "Verbal"],
                    ["2", "Minutes of the previous meeting", "JS", "A"],
                    ["3", "Patient safety report", "RK", "B"],
                ]
            },
            {"text": "Item 1 – Welcome and apologies", "style": "Heading 2"},
            "The Chair welcomed members to the meeting.",
            {"text": "Item 2 – Minutes of the previous meeting", "style": "Heading 2"},
            "Decision: The minutes of the meeting held on 10 March 2021 were approved.",
            {"text": "Item 3 – Patient safety report", "style": "Heading 2"},
            "Discussion:",
            "RK presented the quarterly patient safety report.",
            "Members asked how learning from serious incidents is shared with wards.",
            "Outcome: The committee SUPPORTED the recommendation to extend the ward safety "
            "huddles.",
        ]
    )
    assert minutes.date == date(2021, 4, 14)
    assert _status(minutes) == {
        "Jane Smith": "present",
        "Raj Kumar": "present",
        "Amy Lo": "present",
        "Peter Grey": "in-attendance",
        "Femi Adeyemi": "apologies",
    }
    assert _items(minutes) == [
        ("1", "Welcome and apologies", None),
        ("2", "Minutes of the previous meeting", "Jane Smith"),
        ("3", "Patient safety report", "Raj Kumar"),
    ]
    assert _said(minutes) == [
        (0, "The Chair welcomed members to the meeting.", None),
        # "presented" frames no report: the sentence stays whole (corpus convention).
        (2, "RK presented the quarterly patient safety report.", "Raj Kumar"),
        (2, "Members asked how learning from serious incidents is shared with wards.", None),
    ]
    assert [(d.item, d.text) for d in minutes.decisions] == [
        (1, "The minutes of the meeting held on 10 March 2021 were approved."),
        (2, "The committee SUPPORTED the recommendation to extend the ward safety huddles."),
    ]
    assert minutes.actions == ()


def test_speaker_in_first_column_of_a_two_column_table() -> None:
    """Name | What was said: the first cell names the speaker of the second."""
    minutes = _parse(
        [
            {"text": "Peer Support Network meeting", "style": "Heading 1"},
            "14.4.21, via Teams",
            "Present: Jane Smith (Chair), Amy Lo, Femi Adeyemi, Raj Kumar",
            {"text": "1. Evening peer support", "bold": True},
            {
                "table": [
                    ["Name", "What was said"],
                    ["Amy Lo", "Evening sessions would help people who work during the day."],
                    ["RK", "Online sessions could start in May."],
                    [
                        "Femi",
                        "Some people do not have a private space at home.\n"
                        "A room at the library could be booked instead.",
                    ],
                ]
            },
            {"text": "2. Any other business", "bold": True},
            "None.",
        ]
    )
    assert minutes.date == date(2021, 4, 14)
    assert _items(minutes) == [
        ("1", "Evening peer support", None),
        ("2", "Any other business", None),
    ]
    assert _said(minutes) == [
        (0, "Evening sessions would help people who work during the day.", "Amy Lo"),
        (0, "Online sessions could start in May.", "Raj Kumar"),
        (0, "Some people do not have a private space at home.", "Femi Adeyemi"),
        (0, "A room at the library could be booked instead.", "Femi Adeyemi"),
    ]


def test_public_engagement_questions_and_answers() -> None:
    """'Q:' / 'A:' notes and 'Comment from a member of the public:' lines."""
    minutes = _parse(
        [
            {"text": "Community Mental Health Engagement Event – notes", "style": "Heading 1"},
            "Wed 14/4/2021, 6pm, St Mark's Community Centre",
            "Present: Jane Smith (Chair), Raj Kumar (Clinical Director), Amy Lo (Peer Lead)",
            {"text": "1. Questions from the public", "style": "Heading 2"},
            "Q: How long is the wait for a first appointment?",
            "A: RK explained that the average wait is currently six weeks.",
            "Comment from a member of the public: The phone line is often engaged.",
            "Q: Will the drop-in stay open at weekends?",
            "A: Amy Lo said that weekend opening will continue until September.",
            {"text": "2. Next steps", "style": "Heading 2"},
            "Action: JS to publish the answers on the Trust website by 30 April 2021.",
        ]
    )
    assert minutes.date == date(2021, 4, 14)
    assert _items(minutes) == [
        ("1", "Questions from the public", None),
        ("2", "Next steps", None),
    ]
    assert _said(minutes) == [
        (0, "How long is the wait for a first appointment?", None),
        (0, "the average wait is currently six weeks.", "Raj Kumar"),
        (0, "The phone line is often engaged.", None),
        (0, "Will the drop-in stay open at weekends?", None),
        (0, "weekend opening will continue until September.", "Amy Lo"),
    ]
    assert _actions(minutes) == [
        (
            1,
            "JS to publish the answers on the Trust website by 30 April 2021",
            ["Jane Smith"],
            date(2021, 4, 30),
        ),
    ]


def test_action_log_with_rag_status_and_loose_due_dates() -> None:
    """Ref | Action | Owner | Due | RAG, with 'End Q2', 'Oct-21', '14/05', 'Complete'."""
    minutes = _parse(
        [
            {"text": "Community Transformation Steering Group", "style": "Heading 1"},
            "14th of April 2021",
            "Present: Jane Smith (Chair), Raj Kumar, Amy Lo, Peter Grey",
            {"text": "1. Introductions", "bold": True},
            "Members introduced themselves.",
            {"text": "2. Workforce", "bold": True},
            "The group discussed recruitment to the new peer support roles.",
            {"text": "Action log", "bold": True},
            {
                "table": [
                    ["Ref", "Action", "Owner", "Due", "RAG"],
                    ["1.1", "Confirm the peer support budget", "JS", "End Q2", "Green"],
                    ["2.1", "Draft the peer support job description", "PG", "Oct-21", "Amber"],
                    ["2.2", "Book the recruitment venue", "AL", "14/05", "Red"],
                    ["2.3", "Share the workforce plan", "RK/JS", "Complete", "Green"],
                ]
            },
        ]
    )
    assert minutes.date == date(2021, 4, 14)
    assert _actions(minutes) == [
        (0, "Confirm the peer support budget", ["Jane Smith"], date(2021, 9, 30)),
        (1, "Draft the peer support job description", ["Peter Grey"], date(2021, 10, 31)),
        (1, "Book the recruitment venue", ["Amy Lo"], date(2021, 5, 14)),
        (1, "Share the workforce plan", ["Raj Kumar", "Jane Smith"], None),
    ]
    assert [a.status for a in minutes.actions] == ["Green", "Amber", "Red", "Green"]
    assert _said(minutes) == [
        (0, "Members introduced themselves.", None),
        (1, "The group discussed recruitment to the new peer support roles.", None),
    ]


def test_decision_log_table() -> None:
    """Decision | Date | Made by: each row is one decision; dates are not statements."""
    minutes = _parse(
        [
            {"text": "Digital Inclusion Task and Finish Group", "style": "Heading 1"},
            "Meeting date: April 14, 2021",
            "Present: Jane Smith (Chair), Raj Kumar, Femi Adeyemi",
            {"text": "1. Digital offer", "bold": True},
            "Femi Adeyemi said that people need help to get online before appointments.",
            {"text": "Decision log", "bold": True},
            {
                "table": [
                    ["Decision", "Date", "Made by"],
                    ["Tablets will be loaned to patients without a device", "14/04/2021", "Group"],
                    ["The digital champion role will be funded for a year", "14/04/2021", "Chair"],
                ]
            },
        ]
    )
    assert minutes.date == date(2021, 4, 14)
    assert _said(minutes) == [
        (0, "people need help to get online before appointments.", "Femi Adeyemi"),
    ]
    assert [d.text for d in minutes.decisions] == [
        "Tablets will be loaned to patients without a device",
        "The digital champion role will be funded for a year",
    ]


@pytest.mark.parametrize(
    "written",
    [
        "April 14, 2021",
        "14.4.21",
        "Wed 14/4/2021",
        "14th of April 2021",
        "2021-04-14",
    ],
)
def test_meeting_date_styles(written: str) -> None:
    """The date line under the title, in styles the corpus does not use."""
    minutes = _parse(
        [
            {"text": "Carers Forum minutes", "style": "Heading 1"},
            written,
            "Present: Jane Smith, Amy Lo",
            {"text": "1. Carers' survey", "bold": True},
            "The forum noted the survey closes on 30 June 2021.",
        ]
    )
    assert minutes.date == date(2021, 4, 14)


def test_attendance_table_with_present_and_apologies_column() -> None:
    """Name | Role | Present/Apologies with Y / N / ✓ marks."""
    minutes = _parse(
        [
            {"text": "Crisis Pathway Reference Group", "style": "Heading 1"},
            "Date: 14/04/2021",
            {
                "table": [
                    ["Name", "Role", "Present/Apologies"],
                    ["Jane Smith", "Chair", "✓"],
                    ["Raj Kumar", "Clinical Lead", "Y"],
                    ["Amy Lo", "Lived Experience Practitioner", "Y"],
                    ["Femi Adeyemi", "Lived Experience Practitioner", "N"],
                    ["Peter Grey", "Programme Manager", "Apologies"],
                ]
            },
            {"text": "1. Crisis line", "bold": True},
            "Amy Lo reported that callers wait too long to be transferred.",
        ]
    )
    assert minutes.date == date(2021, 4, 14)
    assert _status(minutes) == {
        "Jane Smith": "present",
        "Raj Kumar": "present",
        "Amy Lo": "present",
        "Femi Adeyemi": "apologies",
        "Peter Grey": "apologies",
    }
    assert {a.as_written: a.role for a in minutes.attendees}["Raj Kumar"] == "Clinical Lead"
    assert _said(minutes) == [
        (0, "callers wait too long to be transferred.", "Amy Lo"),
    ]


def test_lived_experience_feedback_section() -> None:
    """Bullets under 'Feedback from experts by experience', names in brackets."""
    minutes = _parse(
        [
            {"text": "Adult Mental Health Delivery Group", "style": "Heading 1"},
            "Tuesday 14 April 2021",
            "Present: Jane Smith (Chair), Raj Kumar, Amy Lo, Femi Adeyemi",
            {"text": "1. Lived experience feedback", "bold": True},
            "Feedback from experts by experience:",
            {"text": "Letters still use clinical jargon (Amy)", "style": "List Bullet"},
            {"text": "Reception staff were kind and patient (Femi)", "style": "List Bullet"},
            {"text": "Waiting room screens are out of date", "style": "List Bullet"},
            {"text": "2. Service update", "bold": True},
            "RK reported that the new crisis café opens on 1 May.",
        ]
    )
    assert _items(minutes) == [
        ("1", "Lived experience feedback", None),
        ("2", "Service update", None),
    ]
    assert _said(minutes) == [
        (0, "Letters still use clinical jargon", "Amy Lo"),
        (0, "Reception staff were kind and patient", "Femi Adeyemi"),
        (0, "Waiting room screens are out of date", "group:lxp"),
        (1, "the new crisis café opens on 1 May.", "Raj Kumar"),
    ]


def test_chair_minutes_header_lines_and_decimal_item_numbers() -> None:
    """'Chair:' / 'Minutes:' lines, an 'Attendees' heading with bullets, items 1.0, 2.0, 2.1."""
    minutes = _parse(
        [
            {"text": "Perinatal Mental Health Network – Minutes", "style": "Heading 1"},
            "Date: 14/04/2021",
            "Chair: Jane Smith",
            "Minutes: Peter Grey",
            {"text": "Attendees", "style": "Heading 2"},
            {"text": "Raj Kumar, Consultant Psychiatrist", "style": "List Bullet"},
            {"text": "Amy Lo, Lived Experience Practitioner", "style": "List Bullet"},
            {"text": "1.0 Welcome", "style": "Heading 2"},
            "The Chair welcomed everyone.",
            {"text": "2.0 Service developments", "style": "Heading 2"},
            "RK reported that referrals rose by 12% in March.",
            {"text": "2.1 Peer support", "style": "Heading 2"},
            "Amy Lo said that peer groups are full until June.",
            "Action: RK to review peer group capacity by 31 May 2021.",
        ]
    )
    assert minutes.date == date(2021, 4, 14)
    assert _status(minutes) == {
        "Jane Smith": "present",
        "Peter Grey": "in-attendance",
        "Raj Kumar": "present",
        "Amy Lo": "present",
    }
    assert _items(minutes) == [
        ("1.0", "Welcome", None),
        ("2.0", "Service developments", None),
        ("2.1", "Peer support", None),
    ]
    assert _said(minutes) == [
        (0, "The Chair welcomed everyone.", None),
        (1, "referrals rose by 12% in March.", "Raj Kumar"),
        (2, "peer groups are full until June.", "Amy Lo"),
    ]
    assert _actions(minutes) == [
        (2, "RK to review peer group capacity by 31 May 2021", ["Raj Kumar"], date(2021, 5, 31)),
    ]


def test_committee_narrative_noted_assured_supported() -> None:
    """'It was noted', 'Members discussed', 'ASSURED' are statements;
    'SUPPORTED the recommendation' is a decision; 'Action: ALL' is everyone's."""
    minutes = _parse(
        [
            {"text": "Mental Health Act Committee", "style": "Heading 1"},
            "Held on Wednesday 14 April 2021 via MS Teams",
            "Present: Jane Smith (Chair), Raj Kumar, Amy Lo",
            {"text": "1. Section 136 report", "bold": True},
            "It was noted that the number of detentions had fallen since January.",
            "Members discussed the use of the place of safety at weekends.",
            "The committee was ASSURED that every detention had been reviewed.",
            "The committee SUPPORTED the recommendation to publish a quarterly summary.",
            "Action: ALL to send comments on the draft summary by 28 April 2021.",
        ]
    )
    assert _said(minutes) == [
        (0, "It was noted that the number of detentions had fallen since January.", None),
        (0, "Members discussed the use of the place of safety at weekends.", None),
        (0, "The committee was ASSURED that every detention had been reviewed.", None),
    ]
    assert [d.text for d in minutes.decisions] == [
        "The committee SUPPORTED the recommendation to publish a quarterly summary.",
    ]
    assert _actions(minutes) == [
        (
            0,
            "ALL to send comments on the draft summary by 28 April 2021",
            ["group:all"],
            date(2021, 4, 28),
        ),
    ]


def test_tick_columns_presenter_agenda_and_q_dot() -> None:
    """Present | Apologies tick columns, No. | Agenda item | Presenter | Time, 'Q.' notes."""
    minutes = _parse(
        [
            {"text": "Crisis Pathway Reference Group", "style": "Heading 1"},
            "Wednesday, April 14, 2021",
            {
                "table": [
                    ["Name", "Role", "Present", "Apologies"],
                    ["Jane Smith", "Chair", "✓", ""],
                    ["Raj Kumar", "Clinical Lead", "", "✓"],
                    ["Amy Lo", "LXP", "x", ""],
                ]
            },
            {
                "table": [
                    ["No.", "Agenda item", "Presenter", "Time"],
                    ["1", "Welcome", "Chair", "10:00"],
                    ["2", "Crisis line review", "Raj Kumar", "10:10"],
                ]
            },
            {"text": "1. Welcome", "bold": True},
            "The Chair opened the meeting.",
            {"text": "2. Crisis line review", "bold": True},
            "Members SUPPORTED the proposal to extend opening hours.",
            "Q. Why are calls dropped after midnight?",
        ]
    )
    assert minutes.date == date(2021, 4, 14)
    assert _status(minutes) == {
        "Jane Smith": "present",
        "Raj Kumar": "apologies",
        "Amy Lo": "present",
    }
    assert _items(minutes) == [
        ("1", "Welcome", None),
        ("2", "Crisis line review", "Raj Kumar"),
    ]
    assert _said(minutes) == [
        (0, "The Chair opened the meeting.", None),
        (1, "Why are calls dropped after midnight?", None),
    ]
    assert [d.text for d in minutes.decisions] == [
        "Members SUPPORTED the proposal to extend opening hours.",
    ]


def test_bold_item_dash_headings_after_bulleted_attendance() -> None:
    """Bold 'Item 1 – ...' lines end a bulleted Attendees/Apologies list;
    'Action: ALL' over bullets gives each bullet to everyone; a Who | Comment table."""
    minutes = _parse(
        [
            {"text": "Eating Disorders Provider Collaborative", "style": "Heading 1"},
            "Minutes of meeting held 14th of April 2021",
            {"text": "Attendees", "bold": True},
            {"text": "Jane Smith (Chair)", "style": "List Bullet"},
            {"text": "Amy Lo (Expert by Experience)", "style": "List Bullet"},
            {"text": "Apologies", "bold": True},
            {"text": "Raj Kumar", "style": "List Bullet"},
            {"text": "Item 1 – Welcome and introductions", "bold": True},
            "JS welcomed everyone.",
            {"text": "Item 2 – Lived experience feedback (Amy Lo)", "bold": True},
            "Feedback from experts by experience:",
            {"text": "Families want earlier contact from the team (Amy)", "style": "List Bullet"},
            "The group was ASSURED by the progress report.",
            "Decision: Family sessions will be offered monthly.",
            {
                "table": [
                    ["Who", "Comment"],
                    ["Jane Smith", "A survey of families is planned."],
                    ["Amy Lo", "Please include fathers."],
                ]
            },
            "Action: ALL",
            {"text": "Review the family leaflet by 30/04/2021", "style": "List Bullet"},
        ]
    )
    assert minutes.date == date(2021, 4, 14)
    assert _status(minutes) == {
        "Jane Smith": "present",
        "Amy Lo": "present",
        "Raj Kumar": "apologies",
    }
    assert _items(minutes) == [
        ("1", "Welcome and introductions", None),
        ("2", "Lived experience feedback", "Amy Lo"),
    ]
    assert _said(minutes) == [
        (0, "JS welcomed everyone.", "Jane Smith"),
        (1, "Families want earlier contact from the team", "Amy Lo"),
        (1, "The group was ASSURED by the progress report.", None),
        (1, "A survey of families is planned.", "Jane Smith"),
        (1, "Please include fathers.", "Amy Lo"),
    ]
    assert [d.text for d in minutes.decisions] == ["Family sessions will be offered monthly."]
    assert _actions(minutes) == [
        (1, "Review the family leaflet by 30/04/2021", ["group:all"], date(2021, 4, 30)),
    ]


def test_decimal_bold_items_and_action_log_with_update_column() -> None:
    """Bold '1.0'/'2.0' items, '2.1 ...' minute paragraphs, and an action log
    (Action No. | Action | Action owner | Target date | Update) whose refs
    '2.1' belong to item '2.0'."""
    minutes = _parse(
        [
            {"text": "MINUTES – ICS Mental Health Board", "bold": True},
            "Date: 2021-04-14    Time: 14:00    Venue: Teams",
            "Chair: Dr Raj Kumar",
            "Present: Jane Smith, Amy Lo, Femi Adeyemi",
            {"text": "1.0 Apologies and declarations of interest", "bold": True},
            "One declaration of interest was recorded for item 2.0.",
            {"text": "2.0 Workforce", "bold": True},
            "2.1 The Board received the workforce report.",
            "2.2 Members raised concerns about vacancy rates in community teams.",
            {"text": "3.0 Action log", "bold": True},
            {
                "table": [
                    ["Action No.", "Action", "Action owner", "Target date", "Update"],
                    ["2.1", "Recruit two peer workers", "FA", "Sept 2021", "In progress"],
                    ["2.2", "Report vacancy rates quarterly", "PG", "30.06.21", "Not started"],
                ]
            },
        ]
    )
    assert minutes.date == date(2021, 4, 14)
    assert _status(minutes) == {
        "Raj Kumar": "present",
        "Jane Smith": "present",
        "Amy Lo": "present",
        "Femi Adeyemi": "present",
    }
    assert _items(minutes) == [
        ("1.0", "Apologies and declarations of interest", None),
        ("2.0", "Workforce", None),
        ("3.0", "Action log", None),
    ]
    assert _said(minutes) == [
        (0, "One declaration of interest was recorded for item 2.0.", None),
        (1, "The Board received the workforce report.", None),
        (1, "Members raised concerns about vacancy rates in community teams.", None),
    ]
    assert _actions(minutes) == [
        (1, "Recruit two peer workers", ["Femi Adeyemi"], date(2021, 9, 30)),
        (1, "Report vacancy rates quarterly", ["Peter Grey"], date(2021, 6, 30)),
    ]
    assert [a.status for a in minutes.actions] == ["In progress", "Not started"]


def test_column_header_date_and_attendance_tables_and_dotted_initials() -> None:
    """Date | Time | Venue and Present | Apologies as column headers with the
    values below; 'Dr Kumar:' bold prefix; 'R.K. said that'."""
    minutes = _parse(
        [
            {"text": "Suicide Prevention Partnership", "style": "Title"},
            {"table": [["Date", "Time", "Venue"], ["14/04/2021", "2pm – 4pm", "Teams"]]},
            {
                "table": [
                    ["Present", "Apologies"],
                    ["Jane Smith (Chair)\nRaj Kumar\nAmy Lo", "Femi Adeyemi"],
                ]
            },
            {"text": "1. Data update", "style": "Heading 2"},
            {"bold_prefix": "Dr Kumar:", "text": " Numbers are stable this quarter."},
            "R.K. said that the audit will report in June.",
            "Outcome: The Partnership NOTED the update.",
        ]
    )
    assert minutes.date == date(2021, 4, 14)
    assert _status(minutes) == {
        "Jane Smith": "present",
        "Raj Kumar": "present",
        "Amy Lo": "present",
        "Femi Adeyemi": "apologies",
    }
    assert _items(minutes) == [("1", "Data update", None)]
    assert _said(minutes) == [
        (0, "Numbers are stable this quarter.", "Raj Kumar"),
        (0, "the audit will report in June.", "Raj Kumar"),
        (0, "The Partnership NOTED the update.", None),
    ]
    assert minutes.decisions == ()


def test_minute_reference_tables_with_decision_column() -> None:
    """Minute ref | Item | Minutes | Action by, and Item | Discussion | Decision | Action / Lead:
    an 'Action by' cell does not say who spoke."""
    minutes = _parse(
        [
            {"text": "Older Adults Mental Health Forum", "style": "Heading 1"},
            "Date: 14 April 2021",
            "Present: Jane Smith (Chair), Raj Kumar, Amy Lo",
            {
                "table": [
                    ["Minute ref", "Item", "Minutes", "Action by"],
                    [
                        "OA/21/01",
                        "Memory assessment waits",
                        "Waits have risen to 14 weeks.\n"
                        "Amy Lo said that carers are not told how long they will wait.",
                        "RK",
                    ],
                    ["OA/21/02", "Carers strategy", "The forum ENDORSED the carers strategy.", ""],
                ]
            },
            {
                "table": [
                    ["Item", "Discussion", "Decision", "Action / Lead"],
                    [
                        "3. Dementia friendly wards",
                        "RK reported that two wards were accredited.",
                        "The ward standards were approved.",
                        "Share accreditation checklist – JS",
                    ],
                ]
            },
        ]
    )
    assert _items(minutes) == [
        ("OA/21/01", "Memory assessment waits", None),
        ("OA/21/02", "Carers strategy", None),
        ("3", "Dementia friendly wards", None),
    ]
    assert _said(minutes) == [
        (0, "Waits have risen to 14 weeks.", None),
        (0, "carers are not told how long they will wait.", "Amy Lo"),
        (2, "two wards were accredited.", "Raj Kumar"),
    ]
    assert [(d.item, d.text) for d in minutes.decisions] == [
        (1, "The forum ENDORSED the carers strategy."),
        (2, "The ward standards were approved."),
    ]
    assert _actions(minutes) == [
        (2, "Share accreditation checklist", ["Jane Smith"], None),
    ]


def test_question_from_and_response_from_labels() -> None:
    """'Question from X:', 'Response from Y:', 'Answer (JS):' name their speakers."""
    minutes = _parse(
        [
            {"text": "Annual Public Meeting – notes", "style": "Heading 1"},
            "14.4.21",
            "Present: Jane Smith (Chair), Raj Kumar, Amy Lo",
            {"text": "Questions and answers", "style": "Heading 2"},
            "Question from Amy Lo: Will peer workers be paid the living wage?",
            "Response from Raj Kumar: All peer roles are paid at least the London Living Wage.",
            "Question: Is there parking at the new hub?",
            "Answer (JS): There are six disabled bays.",
        ]
    )
    assert minutes.date == date(2021, 4, 14)
    assert _items(minutes) == [("", "Questions and answers", None)]
    assert _said(minutes) == [
        (0, "Will peer workers be paid the living wage?", "Amy Lo"),
        (0, "All peer roles are paid at least the London Living Wage.", "Raj Kumar"),
        (0, "Is there parking at the new hub?", None),
        (0, "There are six disabled bays.", "Jane Smith"),
    ]
