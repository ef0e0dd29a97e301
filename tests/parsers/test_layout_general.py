"""Conventions of minutes in house styles the parser was not built on.

Each test states one general convention (a heading block, a label alone on a
line, a table whose columns say what they hold...) and builds a small .docx
that follows it; none copies a particular document.
"""

from __future__ import annotations

from datetime import date

from docx_builder import build_docx
from parsers import ParsedMinutes, ParsedSpeaker, parse_minutes
from parsers.names import RosterName, resolve_name

ROSTER = (
    RosterName("1", "Nadia Lewis", ("NL",)),
    RosterName("2", "Brendan Hughes", ("BH",)),
    RosterName("3", "Amy Lo", ("AL",), "lxp"),
    RosterName("4", "Peter Grey", ("PG",)),
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


# --- the heading block -------------------------------------------------------


def test_heading_block_keeps_organisation_and_body_lines() -> None:
    """Are the organisation, body and "Minutes of..." lines all offered as heading lines?"""
    minutes = _parse(
        [
            {"header": "Northshire NHS Foundation Trust – OFFICIAL"},
            {"text": "Northshire NHS Foundation Trust", "style": "Title"},
            {"text": "Clinical Reference Group", "bold": True},
            "Minutes of the meeting held on Tuesday 6 April 2021",
            {"text": "1. Welcome", "style": "Heading 2"},
            "The group discussed rotas.",
        ]
    )
    assert minutes.title == "Northshire NHS Foundation Trust"
    assert "Clinical Reference Group" in minutes.heading_lines
    assert "Northshire NHS Foundation Trust – OFFICIAL" in minutes.heading_lines
    assert "The group discussed rotas." not in minutes.heading_lines
    assert minutes.date == date(2021, 4, 6)


def test_heading_block_reads_a_front_matter_table() -> None:
    """Is the meeting's name in a "Meeting | ..." front table a heading line?"""
    minutes = _parse(
        [
            {"table": [["Meeting", "Research Steering Group"], ["Date", "20/07/2016"]]},
            {"text": "1. Welcome", "style": "Heading 2"},
            "The group discussed rotas.",
        ]
    )
    assert "Research Steering Group" in minutes.heading_lines
    assert minutes.date == date(2016, 7, 20)


# --- sections by label ---------------------------------------------------------


def test_label_lines_open_sections_not_attendees() -> None:
    """Do "Label:" lines open sections (names, discussion, actions) instead of being names?"""
    minutes = _parse(
        [
            {"text": "Meeting Title:", "bold": True},
            "Governance Committee Meeting",
            {"text": "Date:", "bold": True},
            "10 June 2026",
            {"text": "Attendees:", "bold": True},
            "Nadia Lewis",
            "Brendan Hughes",
            {"text": "Discussion Summary:", "bold": True},
            {"text": "Policy review progress", "style": "List Bullet"},
            {"text": "Backup testing result", "style": "List Bullet"},
            {"text": "Action Items:", "bold": True},
            {"text": "Nadia Lewis to finish the access review by 20 June", "style": "List Bullet"},
            {"text": "Next Steps:", "bold": True},
            {"text": "Brendan must reschedule the training", "style": "List Bullet"},
            "Meeting ended at 10:00",
        ]
    )
    assert minutes.title == "Governance Committee Meeting"
    assert minutes.date == date(2026, 6, 10)
    assert [a.as_written for a in minutes.attendees] == ["Nadia Lewis", "Brendan Hughes"]
    assert [c.text for c in minutes.contributions] == [
        "Policy review progress",
        "Backup testing result",
    ]
    actions = [(a.text, [_who(o) for o in a.owners], a.due) for a in minutes.actions]
    assert actions == [
        ("Nadia Lewis to finish the access review by 20 June", ["Nadia Lewis"], date(2026, 6, 20)),
        ("Brendan must reschedule the training", ["Brendan Hughes"], None),
    ]


def test_label_alone_in_any_dress() -> None:
    """Are plain, numbered and capitalised labels alone on a line read as section labels?"""
    minutes = _parse(
        [
            "Research Steering Group",
            "Minutes of the meeting held on 3 May 2022",
            "0. Attendance",
            {"text": "Nadia Lewis", "style": "List Bullet"},
            {"text": "Amy Lo", "style": "List Bullet"},
            "Apologies",
            {"text": "Peter Grey", "style": "List Bullet"},
            {"text": "Budget", "style": "Heading 2"},
            "Amy Lo asked whether the travel fund could grow.",
            "DECISIONS",
            "The travel fund will rise to £500.",
            "Recorder: Brendan Hughes",
            "Meeting Opened: 1318",
        ]
    )
    assert [(a.as_written, a.status) for a in minutes.attendees] == [
        ("Nadia Lewis", "present"),
        ("Amy Lo", "present"),
        ("Peter Grey", "apologies"),
    ]
    assert [i.title for i in minutes.items] == ["Budget"]
    assert [(c.text, _who(c.speaker)) for c in minutes.contributions] == [
        ("whether the travel fund could grow.", "Amy Lo")
    ]
    assert [d.text for d in minutes.decisions] == ["The travel fund will rise to £500."]
    assert minutes.actions == ()


def test_present_all_and_attendees_named_by_role() -> None:
    """Does "present: all" name nobody, and a line of job titles name each role holder?"""
    everyone = _parse(["Team meeting", "Date: 3 May 2022", "Present: all", "We met."])
    assert everyone.attendees == ()
    roles = _parse(
        [
            "IT Governance Committee",
            "Date: 3 May 2022",
            "Attendees:",
            "CIO, IT Manager, Security Officer",
            "Discussion:",
            "We met.",
        ]
    )
    assert [a.as_written for a in roles.attendees] == ["CIO", "IT Manager", "Security Officer"]


def test_next_meeting_section_is_neither_record_nor_date() -> None:
    """Are the lines under a "Next meeting" label left out, and its date not the meeting's?"""
    minutes = _parse(
        [
            "Steering Group minutes",
            {"text": "Finance", "style": "Heading 2"},
            "Held on 3 May 2022. The group reviewed the budget.",
            {"text": "Date of next meeting", "style": "Heading 2"},
            "14 June 2022, 10:00, Room 4",
        ]
    )
    assert minutes.date == date(2022, 5, 3)
    assert all("June" not in c.text for c in minutes.contributions)


# --- actions: owner notations, and actions reviewed from before ----------------


def test_owner_notations_before_and_after_the_task() -> None:
    """Are "[NL] task", "(Amy) task", "Brendan: task", "Name- task", "ACTION: Name: task"
    and "task by Name" all read with their owner, the notation before the task left out of
    the text (a sentence ending "by Name" is kept whole)?"""
    minutes = _parse(
        [
            "Project team meeting",
            "Date: 3 May 2022",
            "Present: Nadia Lewis (NL), Brendan Hughes, Amy Lo, Peter Grey",
            "Actions",
            "[NL] Book the room for June",
            "(Amy) Draft the survey questions",
            "Brendan: send the budget to finance",
            "Peter Grey- Update the risk log",
            "Circulate the slides by Brendan",
            "Discussion",
            "ACTION: Amy Lo: check the venue access",
        ]
    )
    got = [(a.text, [_who(o) for o in a.owners]) for a in minutes.actions]
    assert got == [
        ("Book the room for June", ["Nadia Lewis"]),
        ("Draft the survey questions", ["Amy Lo"]),
        ("send the budget to finance", ["Brendan Hughes"]),
        ("Update the risk log", ["Peter Grey"]),
        ("Circulate the slides by Brendan", ["Brendan Hughes"]),
        ("check the venue access", ["Amy Lo"]),
    ]


def test_actions_reviewed_from_last_meeting_are_not_new_actions() -> None:
    """Under "Actions from the previous meeting", are the lines statements, not new actions?"""
    minutes = _parse(
        [
            "Project team meeting",
            "Date: 3 May 2022",
            "Present: Nadia Lewis, Brendan Hughes",
            "Actions from the previous meeting",
            "Brendan to send the budget to finance – done.",
            {"table": [["Action", "Owner", "Status"], ["Book the room", "NL", "Complete"]]},
            "Next steps",
            "Nadia to book the June room.",
        ]
    )
    assert [a.text for a in minutes.actions] == ["Nadia to book the June room"]
    assert [c.text for c in minutes.contributions] == [
        "Brendan to send the budget to finance – done.",
        "Book the room",
    ]


# --- tables: roles from header words and from cells ---------------------------


def test_details_table_and_unnamed_number_column() -> None:
    """Is a Date/Start/End details table no record, and a column of numbers the item number?"""
    minutes = _parse(
        [
            {
                "table": [
                    ["Team meeting 4"],
                    ["Date", "3 May 2022"],
                    ["Start Time", "6pm"],
                    ["End Time", "7:30pm"],
                ]
            },
            {
                "table": [
                    ["", "Agenda", "Follow Up Action"],
                    ["1", "Budget\nThe travel fund is nearly spent.", "Nadia: book the room"],
                    ["2", "Website", "Team members to test the new pages"],
                ]
            },
        ]
    )
    assert minutes.date == date(2022, 5, 3)
    assert [(i.number, i.title) for i in minutes.items] == [("1", "Budget"), ("2", "Website")]
    assert [(c.item, c.text) for c in minutes.contributions] == [
        (0, "The travel fund is nearly spent.")
    ]
    assert [(a.item, a.text, [_who(o) for o in a.owners]) for a in minutes.actions] == [
        (0, "book the room", ["Nadia Lewis"]),
        (1, "Team members to test the new pages", ["group:all"]),
    ]


def test_other_column_names_give_roles() -> None:
    """Do "Task | Who is responsible | Deadline" and "Topic | What people told us" read right?"""
    minutes = _parse(
        [
            "Steering group minutes",
            "Date: 3 May 2022",
            {
                "table": [
                    ["Topic", "What people told us"],
                    ["Transport", "Buses to the clinic are too infrequent in the evening."],
                ]
            },
            {
                "table": [
                    ["Task", "Who is responsible", "Deadline"],
                    ["Write to the bus company", "Peter Grey", "31/05/2022"],
                ]
            },
        ]
    )
    assert [i.title for i in minutes.items] == ["Transport"]
    assert [c.text for c in minutes.contributions] == [
        "Buses to the clinic are too infrequent in the evening."
    ]
    assert [(a.text, [_who(o) for o in a.owners], a.due) for a in minutes.actions] == [
        ("Write to the bus company", ["Peter Grey"], date(2022, 5, 31))
    ]


def test_name_and_text_table_without_header() -> None:
    """In a Name | text table with no header row, is each row said by its name?"""
    minutes = _parse(
        [
            "Project team meeting",
            "Date: 3 May 2022",
            "Attendees: Nadia Lewis, Brendan Hughes, Peter Grey",
            {
                "table": [
                    ["Nadia Lewis", "Finished the survey draft"],
                    ["Brendan Hughes", "Booked the venue for June"],
                    ["Peter Grey", "Updated the risk log"],
                ]
            },
            "Peter Grey – Will be away next week",
        ]
    )
    assert [(c.text, _who(c.speaker)) for c in minutes.contributions] == [
        ("Finished the survey draft", "Nadia Lewis"),
        ("Booked the venue for June", "Brendan Hughes"),
        ("Updated the risk log", "Peter Grey"),
        ("Will be away next week", "Peter Grey"),
    ]


def test_task_table_headed_by_its_owners() -> None:
    """Is a "<names> tasks:" table a list of actions owned by them, a "(Name)" prefix narrowing?"""
    minutes = _parse(
        [
            "Project team meeting",
            "Date: 3 May 2022",
            {"table": [["Discussed topics:"], ["The art style suits most players."]]},
            {"table": [["Nadia and Amy tasks:"], ["Draft the flyer. 2h"], ["(Amy) Print it"]]},
        ]
    )
    assert [c.text for c in minutes.contributions] == ["The art style suits most players."]
    assert [(a.text, [_who(o) for o in a.owners]) for a in minutes.actions] == [
        ("Draft the flyer. 2h", ["Nadia Lewis", "Amy Lo"]),
        ("Print it", ["Amy Lo"]),
    ]


def test_task_table_with_an_estimate_column_and_short_opening_lines() -> None:
    """Are short plain lines under the title the record, and an "Hours" column no action?"""
    minutes = _parse(
        [
            "Meeting 11/10/2017 Room: A2.14",
            "Dropping idea 3",
            {
                "table": [
                    ["Peter tasks:", "Hours"],
                    ["Export to android", "2"],
                    ["Design the menu screen Thursday", "1"],
                ]
            },
        ]
    )
    assert [c.text for c in minutes.contributions] == ["Dropping idea 3"]
    assert [(a.text, [_who(o) for o in a.owners], a.due) for a in minutes.actions] == [
        ("Export to android", ["Peter Grey"], None),
        ("Design the menu screen Thursday", ["Peter Grey"], date(2017, 10, 12)),
    ]


def test_task_row_without_action_text_and_title_lines_before_details() -> None:
    """Does a row naming a member and deadline become a task, and a "... Meeting Minutes"
    heading above the details table stay out of the agenda?"""
    minutes = _parse(
        [
            {"text": "Science Outreach Project", "style": "Title"},
            {"text": "Weekly Scrum Meeting Minutes", "style": "Heading 1"},
            {"table": [["Date:", "26/07/2022"], ["Attendees:", "Nadia Lewis, Amy Lo"]]},
            {
                "table": [
                    ["No.", "Issue", "Discussion", "Action", "Member", "Deadline"],
                    ["1", "Introductions", "", "", "", ""],
                    ["2", "Review museum kits", "Review the kits the museum lends", "", "Amy Lo",
                     "04/08/2022"],
                    ["3", "Write the plan", "Scope and budget first", "", "Nadia Lewis", ""],
                ]
            },
        ]
    )  # fmt: skip
    assert [i.title for i in minutes.items] == [
        "Introductions",
        "Review museum kits",
        "Write the plan",
    ]
    assert [(a.item, a.text, [_who(o) for o in a.owners], a.due) for a in minutes.actions] == [
        (1, "Review the kits the museum lends", ["Amy Lo"], date(2022, 8, 4)),
        (2, "Write the plan", ["Nadia Lewis"], None),
    ]
    assert [(c.item, c.text) for c in minutes.contributions] == [(2, "Scope and budget first")]


def test_agreement_lead_in_and_noted_lines() -> None:
    """Are the points under "The group agreed that:" decisions (the bare lead-in is not,
    one with substance is), and "The Board NOTED ..." an unattributed statement, whole?"""
    minutes = _parse(
        [
            "Programme Board minutes",
            "Date: 3 May 2022",
            {"text": "1. Finance", "style": "Heading 2"},
            "The Board NOTED the quarterly finance report.",
            "The group agreed that:",
            {"text": "Travel is paid within 30 days", "style": "List Bullet"},
            {"text": "Receipts may be photographs", "style": "List Bullet"},
            "The board approved the travel policy, with two changes:",
            {"text": "Taxis need approval", "style": "List Bullet"},
            "Amy Lo said that claims forms are hard to find.",
        ]
    )
    assert [d.text for d in minutes.decisions] == [
        "Travel is paid within 30 days",
        "Receipts may be photographs",
        "The board approved the travel policy, with two changes",
        "Taxis need approval",
    ]
    assert [(c.text, _who(c.speaker)) for c in minutes.contributions] == [
        ("The Board NOTED the quarterly finance report.", None),
        ("claims forms are hard to find.", "Amy Lo"),
    ]


# --- the meeting's date -------------------------------------------------------


def test_date_in_a_combined_cell_a_time_line_and_not_the_next_meeting() -> None:
    """Is the date read from a "Location, Date & Time" cell and a "Time: 4:00PM, 20/07/2016"
    line, and never from the line under a "Next meeting:" label?"""
    cell = _parse(
        [
            "Research Collaboration",
            "Steering Group",
            {"table": [["Meeting Location, Date & Time", "Room 4, 20/07/2016, 4pm"]]},
            "The group met.",
        ]
    )
    assert cell.date == date(2016, 7, 20)
    line = _parse(["Community workshop committee", "Time: 4:00PM, 20/07/2016", "We met."])
    assert line.date == date(2016, 7, 20)
    later = _parse(
        ["Workshop committee", "Next meeting:", "14 August 2016", "Held on 20 July 2016."]
    )
    assert later.date == date(2016, 7, 20)


def test_agenda_table_before_the_first_heading_is_read() -> None:
    """Is an agenda table standing before the first numbered line read, not skipped as front?"""
    minutes = _parse(
        [
            {"table": [["Team meeting 9"], ["Date", "13 December 2019"]]},
            {"table": [["", "Agenda"], ["1", "Update on progress"], ["2", "Requirements"]]},
            "Notes from the meeting",
            "1. Is there a colour scheme to follow?",
            "Jordan needs to rework the rewards system.",
            {"text": "Begin data exploration (20 February onwards)", "style": "List Bullet"},
        ]
    )
    assert [(i.number, i.title) for i in minutes.items] == [
        ("1", "Update on progress"),
        ("2", "Requirements"),
    ]
    texts = [c.text for c in minutes.contributions]
    assert "Jordan needs to rework the rewards system." in texts
    assert minutes.actions == ()


def test_owner_by_name_bracket_initials_and_an_action_log_detail_column() -> None:
    """Are "... by Name, due D", "[XX] task" outside an actions section and a
    "No. | Sec. | Detail | Resp." log under "Action log" all read as owned actions?"""
    minutes = _parse(
        [
            "Programme Board minutes",
            "Date: 3 May 2022",
            "Present: Nadia Lewis (NL), Brendan Hughes (BH), Peter Grey (PG)",
            {"text": "4. Finance", "style": "Heading 2"},
            "Action: The travel policy to be redrafted by Nadia Lewis, due 31 May 2022.",
            "[BH] Write to the auditors",
            "Action log",
            {
                "table": [
                    ["No.", "Sec.", "Detail", "Resp."],
                    ["1", "4", "Circulate the audit letter", "PG"],
                ]
            },
        ]
    )
    got = [(a.item, a.text, [_who(o) for o in a.owners], a.due) for a in minutes.actions]
    assert got == [
        (
            0,
            "The travel policy to be redrafted by Nadia Lewis, due 31 May 2022",
            ["Nadia Lewis"],
            date(2022, 5, 31),
        ),
        (0, "Write to the auditors", ["Brendan Hughes"], None),
        (None, "Circulate the audit letter", ["Peter Grey"], None),
    ]
    assert [i.title for i in minutes.items] == ["Finance"]


def test_capital_headings_and_a_dated_review_label() -> None:
    """Are "3. WAITING LIST" lines items, and lines under "Review of actions from <date>:"
    statements rather than new actions?"""
    minutes = _parse(
        [
            "FORUM MINUTES",
            "Held on 17 September 2019",
            "Present: Nadia Lewis (NL), Peter Grey (PG)",
            "1. WELCOME AND APOLOGIES",
            "The Chair opened the meeting.",
            "2. MINUTES OF THE LAST MEETING",
            "Review of actions from 20 August 2019:",
            "NL to add the unit to the forward plan – closed",
            "PG to draft a summary – carried forward",
            "SQL",
        ]
    )
    assert [(i.number, i.title) for i in minutes.items] == [
        ("1", "WELCOME AND APOLOGIES"),
        ("2", "MINUTES OF THE LAST MEETING"),
    ]
    assert minutes.actions == ()
    assert [c.text for c in minutes.contributions][-2:] == [
        "PG to draft a summary – carried forward",
        "SQL",
    ]


def test_item_lines_in_plain_type() -> None:
    """Are "Item One:- X" and "Item 2:- X (long template note" items whatever their style,
    and "Item 3: -" with no title no item?"""
    minutes = _parse(
        [
            "MEETING MINUTES: GAMES PROJECT",
            "Date of Meeting : 30/1/19",
            {"text": "Item One:-  Post-mortem of last week", "bold": True},
            "What went well: everyone logged their hours.",
            "Item 2:-  Overall aim of the sprint  (What will the product look like by the end",
            "A playable level.",
            "Item 3: -",
        ]
    )
    assert [(i.number, i.title) for i in minutes.items] == [
        ("1", "Post-mortem of last week"),
        ("2", "Overall aim of the sprint"),
    ]


def test_topic_table_inside_an_item_gives_no_items() -> None:
    """Inside an item, are the topics of a "Theme | What people told us" table sub-headings
    (no items) while each told-us line is a statement of the item?"""
    minutes = _parse(
        [
            "Forum minutes",
            "Date: 3 May 2022",
            {"text": "4. What we heard", "style": "Heading 2"},
            {
                "table": [
                    ["Theme", "What people told us"],
                    ["Transport", "Buses are too infrequent in the evening."],
                    ["Letters", "Letters arrive after the appointment."],
                ]
            },
        ]
    )
    assert [i.title for i in minutes.items] == ["What we heard"]
    assert [(c.item, c.text) for c in minutes.contributions] == [
        (0, "Buses are too infrequent in the evening."),
        (0, "Letters arrive after the appointment."),
    ]


def test_unnumbered_agenda_listing_before_item_headings() -> None:
    """Is an "Item | Lead" listing followed by item headings neither items twice nor
    statements, and "0. Attendance" front matter before a "Minutes: Name" line?"""
    minutes = _parse(
        [
            "Working group minutes",
            "Date: 3 May 2022",
            {"text": "Attendance", "numbered": "decimal"},
            "Nadia Lewis",
            "Minutes: Peter Grey",
            "Agenda",
            {"table": [["Item", "Lead"], ["Welcome", ""], ["Budget", "NL"]]},
            {"text": "Welcome", "style": "Heading 2"},
            "The chair welcomed everyone.",
            {"text": "Budget", "style": "Heading 2"},
            "The budget is on track.",
        ]
    )
    assert [i.title for i in minutes.items] == ["Welcome", "Budget"]
    assert [c.text for c in minutes.contributions] == [
        "The chair welcomed everyone.",
        "The budget is on track.",
    ]
    assert {a.as_written: a.status for a in minutes.attendees} == {
        "Nadia Lewis": "present",
        "Peter Grey": "in-attendance",
    }


def test_hyphenated_task_two_initials_and_a_list_ending_at_a_bold_heading() -> None:
    """Is "GL and EM to draft a one-page summary" owned by both (the hyphen no owner
    notation), a name list ended by a bold heading, and a bare "agreed the following:"
    no decision of its own?"""
    minutes = _parse(
        [
            "Task and finish group notes",
            "Date: 3 May 2022",
            "Attendance:",
            "Nadia Lewis (Chair)",
            "Peter Grey",
            {"text": "Welcome and apologies", "bold": True},
            "The Chair welcomed everyone.",
            "Action: NL and PG to draft a one-page summary of the pathway.",
            "Following discussion, members agreed the following:",
            {"text": "The pilot will run for six months", "style": "List Bullet"},
        ]
    )
    assert [a.as_written for a in minutes.attendees] == ["Nadia Lewis", "Peter Grey"]
    assert [i.title for i in minutes.items] == ["Welcome and apologies"]
    assert [(a.text, [_who(o) for o in a.owners]) for a in minutes.actions] == [
        ("NL and PG to draft a one-page summary of the pathway", ["Nadia Lewis", "Peter Grey"])
    ]
    assert [d.text for d in minutes.decisions] == ["The pilot will run for six months"]


def test_colloquial_attendance_labels_and_a_caption_over_a_topic_table() -> None:
    """Are "Who came:" / "Sorry we missed:" attendance, and a bold "What people told us"
    over a table headed the same a caption (the topics being the items)?"""
    minutes = _parse(
        [
            {"text": "Lived Experience Forum", "bold": True},
            "Notes from our session on Wednesday 8 September 2021",
            "Who came: Amy Lo, Nadia Lewis (facilitator)",
            "Sorry we missed: Peter Grey",
            {"text": "What people told us", "bold": True},
            {
                "table": [
                    ["Topic", "What people told us"],
                    ["Getting referred", "Nobody told me how long I would wait"],
                    ["Appointments", "Two buses with a newborn is not realistic"],
                ]
            },
        ]
    )
    assert {a.as_written: a.status for a in minutes.attendees} == {
        "Amy Lo": "present",
        "Nadia Lewis": "present",
        "Peter Grey": "apologies",
    }
    assert [i.title for i in minutes.items] == ["Getting referred", "Appointments"]
    assert [(c.item, c.text) for c in minutes.contributions] == [
        (0, "Nobody told me how long I would wait"),
        (1, "Two buses with a newborn is not realistic"),
    ]


def test_names_table_under_a_label_and_a_presented_by_line() -> None:
    """Are the rows of a Name | Title table under "Present:" attendees, and "Presented by:
    Name" just under an item heading its lead (not a statement)?"""
    minutes = _parse(
        [
            {"text": "Northshire NHS Foundation Trust", "bold": True},
            {"text": "Oversight Committee", "bold": True},
            "Minutes of the meeting held on Thursday 24 March 2022",
            {"text": "Present:", "bold": True},
            {"table": [["Name", "Title"], ["Dr Nadia Lewis", "Chair"], ["Amy Lo", "Member"]]},
            {"text": "In attendance:", "bold": True},
            {"table": [["Name", "Title"], ["Peter Grey", "Support Officer (minutes)"]]},
            {"text": "PMH/22/017\tLEAFLET REVIEW", "bold": True},
            "Presented by: Dr Nadia Lewis",
            "Dr Lewis explained that the leaflet had been reviewed.",
        ]
    )
    assert {a.as_written: a.status for a in minutes.attendees} == {
        "Nadia Lewis": "present",
        "Amy Lo": "present",
        "Peter Grey": "in-attendance",
    }
    assert [(i.title.endswith("LEAFLET REVIEW"), _who(i.lead)) for i in minutes.items] == [
        (True, "Nadia Lewis")
    ]
    assert [(c.text, _who(c.speaker)) for c in minutes.contributions] == [
        ("the leaflet had been reviewed.", "Nadia Lewis")
    ]


def test_action_log_rows_of_earlier_meetings_and_next_forum_lines() -> None:
    """In an action log, are rows already complete or whose ref names no item of this
    meeting left out; and is "Next forum: <date>" neither an action nor the date?"""
    minutes = _parse(
        [
            "Oversight Committee minutes",
            "Minutes of the meeting held on Thursday 24 March 2022",
            {"text": "PMH/22/017 Leaflet review", "bold": True},
            "The leaflet was discussed.",
            {"text": "Action log", "bold": True},
            {
                "table": [
                    ["Ref", "Action", "Lead", "Due date", "Status"],
                    ["PMH/22/005", "Produce a leaflet", "NL", "31/03/2022", "Complete"],
                    ["PMH/21/049", "Scope a partners' session", "NL", "27/01/2022", "Open"],
                    ["PMH/22/017", "Add a representative to the panel", "PG", "30/04/2022", "New"],
                ]
            },
            "Next forum: Wednesday 13 April 2022",
        ]
    )
    assert minutes.date == date(2022, 3, 24)
    assert [(a.text, [_who(o) for o in a.owners]) for a in minutes.actions] == [
        ("Add a representative to the panel", ["Peter Grey"])
    ]


def test_several_actions_in_a_cell_pair_with_owners_and_dates_line_by_line() -> None:
    """With two actions in one Action cell and two lines in Owner and By when, does each
    action take the owner and date on its own line?"""
    minutes = _parse(
        [
            "Task and finish group",
            "Notes of meeting held 27/10/2021",
            "Present: Nadia Lewis, Peter Grey",
            {
                "table": [
                    ["Item", "Discussion", "Action", "Owner", "By when"],
                    [
                        "1. Letters",
                        "Letters are full of jargon.",
                        "Redraft the letter\nFix the phone number",
                        "NL\nPG",
                        "30/11/21\nASAP",
                    ],
                ]
            },
        ]
    )
    got = [(a.text, [_who(o) for o in a.owners], a.due) for a in minutes.actions]
    assert got == [
        ("Redraft the letter", ["Nadia Lewis"], date(2021, 11, 30)),
        ("Fix the phone number", ["Peter Grey"], None),
    ]
