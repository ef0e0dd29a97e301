"""parse_minutes end to end: golden results for real .docx files in six layouts."""

from __future__ import annotations

import os
import zipfile
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest

from docx_builder import build_docx
from parsers import ParsedMinutes, UploadRejected, parse_minutes
from parsers.names import RosterName

SHARED = Path(os.environ.get("TRACKER_SHARED_DIR", Path(__file__).parents[3] / "shared"))


def parse(spec: list, **options: object) -> ParsedMinutes:
    return parse_minutes(build_docx(spec), "minutes.docx", **options)


def speakers(parsed: ParsedMinutes) -> list[tuple[str, str | None]]:
    return [
        (c.text, (c.speaker.group or c.speaker.as_written) if c.speaker else None)
        for c in parsed.contributions
    ]


def test_catch_up_notes_with_group_points() -> None:
    """Do the 9 March catch-up notes give group points and an action?"""
    parsed = parse(
        [
            {"text": "PD LXP joint catch-up", "bold": True},
            "Tuesday 9th March 2021, 2pm – 3.30pm (MS Teams)",
            "Present: Amara Okafor, Tomasz Nowicki (LXPs), Oliver Stanton (Programme Manager)",
            {"text": "1. Check in", "bold": True},
            {"text": "2. Feedback on community services", "bold": True},
            "LXPs suggested the following should be considered:",
            {"text": "Use of medication for PD diagnosis", "style": "List Bullet"},
            {"text": "People excluding themselves from GP services", "style": "List Bullet"},
            {"text": "3. Next steps", "bold": True},
            {"text": "Oliver to take these points to the CRG on 18 March", "style": "List Bullet"},
        ]
    )
    assert parsed.title == "PD LXP joint catch-up"
    assert parsed.date == date(2021, 3, 9)
    assert [a.as_written for a in parsed.attendees] == [
        "Amara Okafor",
        "Tomasz Nowicki",
        "Oliver Stanton",
    ]
    assert [(i.number, i.title) for i in parsed.items] == [
        ("1", "Check in"),
        ("2", "Feedback on community services"),
        ("3", "Next steps"),
    ]
    assert speakers(parsed) == [
        ("Use of medication for PD diagnosis", "lxp"),
        ("People excluding themselves from GP services", "lxp"),
    ]
    assert [c.item for c in parsed.contributions] == [1, 1]
    (action,) = parsed.actions
    assert action.owners[0].as_written == "Oliver"
    assert action.due == date(2021, 3, 18)
    assert action.item == 2


def test_table_minutes_with_nested_action_table() -> None:
    """Are table minutes read into items, unattributed bullets and group actions?"""
    parsed = parse(
        [
            {"text": "London PD Clinical Reference Group (CRG)", "bold": True},
            "Minutes",
            {"table": [["Date", "18 March 2021"], ["Time", "10:00 – 11:30"]]},
            "Present: Rebecca Asante (Chair), Daisy Berve, Amara Okafor (LXP)",
            "Apologies: Marcus Fletcher (LXP)",
            {
                "table": [
                    ["No", "Item", "Discussion", "Action / Responsibility"],
                    [
                        "1",
                        "Minutes of the last meeting",
                        "The minutes of the meeting held on 28 January 2021 were agreed.",
                        "",
                    ],
                    [
                        "2",
                        "Programme update",
                        [
                            {
                                "text": "The programme team reported that two LXPs joined.",
                                "style": "List Bullet",
                            },
                            {"text": "Workforce: the survey closed.", "style": "List Bullet"},
                        ],
                        "",
                    ],
                    [
                        "3",
                        "Good practice",
                        "The group discussed good practice.",
                        [
                            "Actions agreed:",
                            {
                                "table": [
                                    ["Action", "Responsibility"],
                                    ["Send good practice examples", "All members"],
                                    ["Support case studies", "Lived Experience Practitioners"],
                                    ["Feed back the benchmarking report", "Programme Team"],
                                ]
                            },
                        ],
                    ],
                    ["4", "AOB", "None.", ""],
                ]
            },
            "Date of next meeting: Thursday 20 May 2021",
        ]
    )
    assert parsed.date == date(2021, 3, 18)
    assert [(a.as_written, a.status) for a in parsed.attendees] == [
        ("Rebecca Asante", "present"),
        ("Daisy Berve", "present"),
        ("Amara Okafor", "present"),
        ("Marcus Fletcher", "apologies"),
    ]
    assert [i.title for i in parsed.items] == [
        "Minutes of the last meeting",
        "Programme update",
        "Good practice",
        "AOB",
    ]
    assert [d.text for d in parsed.decisions] == [
        "The minutes of the meeting held on 28 January 2021 were agreed."
    ]
    assert speakers(parsed) == [
        ("two LXPs joined.", "staff"),
        ("Workforce: the survey closed.", None),
        ("The group discussed good practice.", None),
    ]
    assert [(a.text, [o.group for o in a.owners], a.item) for a in parsed.actions] == [
        ("Send good practice examples", ["all"], 2),
        ("Support case studies", ["lxp"], 2),
        ("Feed back the benchmarking report", ["staff"], 2),
    ]
    assert "2 of 3 statements do not say who spoke." in parsed.warnings
    assert "4 agenda items do not name a lead." in parsed.warnings


def test_narrative_minutes_with_initials_labels_and_pronouns() -> None:
    """Are initials, ACTION:/Agreed:/DECISION: lines and "He added" read?"""
    parsed = parse(
        [
            {"text": "Eating Disorders Steering Group", "style": "Heading 1"},
            "Minutes of the meeting held on Tuesday 16 February 2021, via Teams",
            "Present: Dr Ewan McAllister (EM), Chair; Nadia Rahman (NR); "
            "Siobhan Gallagher (SG), LXP",
            {"text": "1. Early intervention – EM", "style": "Heading 2"},
            "EM reported that all three sites are accepting referrals.",
            "He added that two more sites start in April.",
            "SG said that young people had never heard of the service.",
            {"text": "ACTION: EM to write to GP leads by 12 March.", "bold": True},
            {"text": "2. Access – NR", "style": "Heading 2"},
            {"text": "DECISION: Providers will offer a check-in call.", "bold": True},
            {"text": "Agreed: a task and finish group will be set up.", "bold": True},
            "Date of next meeting: Tuesday 27 April 2021",
        ]
    )
    assert parsed.date == date(2021, 2, 16)
    assert [(i.title, i.lead.as_written if i.lead else None) for i in parsed.items] == [
        ("Early intervention", "EM"),
        ("Access", "NR"),
    ]
    assert speakers(parsed) == [
        ("all three sites are accepting referrals.", "EM"),
        ("two more sites start in April.", "EM"),
        ("young people had never heard of the service.", "SG"),
    ]
    (action,) = parsed.actions
    assert action.text == "EM to write to GP leads by 12 March"
    assert [o.as_written for o in action.owners] == ["EM"]
    assert action.due == date(2021, 3, 12)
    assert [d.text for d in parsed.decisions] == [
        "Providers will offer a check-in call.",
        "a task and finish group will be set up.",
    ]


def test_speaker_colon_notes_with_date_in_the_header() -> None:
    """Are "Name:" notes read, with the date only in the page header?"""
    parsed = parse(
        [
            {"header": "ED LXP Catch-Up – 13 April 2021"},
            {"text": "ED LXP Catch-Up", "bold": True},
            "Present: Siobhan G, Leanne W, Nadia R (notes)",
            {"text": "1. Gaps", "bold": True},
            "Siobhan: Inpatient beds are so far from home that families can’t visit.",
            "Another LXP said people with ARFID are being turned away.",
            "It would help to have an LXP on the interview panel.",
            {"text": "2. Actions", "bold": True},
            "• Nadia to share these notes with Ewan",
        ]
    )
    assert parsed.date == date(2021, 4, 13)
    assert speakers(parsed) == [
        ("Inpatient beds are so far from home that families can’t visit.", "Siobhan"),
        ("people with ARFID are being turned away.", "lxp"),
        ("It would help to have an LXP on the interview panel.", None),
    ]
    assert [a.text for a in parsed.actions] == ["Nadia to share these notes with Ewan"]


def test_action_log_table_with_several_owners() -> None:
    """Are action-log rows read with several owners and due dates?"""
    parsed = parse(
        [
            {"text": "PD Communications Task and Finish Group", "style": "Heading 1"},
            "Wednesday 24 February 2021",
            {"text": "3. Explainer – Marcus Fletcher (LXP)", "style": "Heading 2"},
            "Marcus explained that people leave with no idea what the diagnosis means.",
            {"text": "Action log", "style": "Heading 2"},
            {
                "table": [
                    ["Ref", "Action", "Owner", "Due", "Status"],
                    ["3.1", "Develop a plain-language explainer", "MF / OS", "31/05/2021", "Open"],
                ]
            },
        ]
    )
    assert [i.title for i in parsed.items] == ["Explainer"]
    (action,) = parsed.actions
    assert [o.as_written for o in action.owners] == ["MF", "OS"]
    assert action.due == date(2021, 5, 31)
    assert action.status == "Open"
    assert action.item == 0


def test_roster_makes_first_names_speakers() -> None:
    """With a roster, does a bare first name before a colon count as a speaker?"""
    roster = [RosterName("1", "Helen Marsh", ("HM", "Helen"), "lxp")]
    spec = ["Team notes", "3.2.25", "Helen: we should recap the minutes."]
    parsed = parse(spec, roster=roster)
    assert speakers(parsed) == [("we should recap the minutes.", "Helen")]


@pytest.mark.parametrize(
    ("spec", "code"),
    [
        ([""], "empty-document"),
        (["Steering Group", "Notes of our chat"], "no-date"),
    ],
)
def test_documents_we_cannot_use_are_refused(spec: list, code: str) -> None:
    """Is a blank document or one without a meeting date refused plainly?"""
    with pytest.raises(UploadRejected) as err:
        parse(spec)
    assert err.value.code == code


def test_damaged_document_xml_is_refused_as_damaged() -> None:
    """Does broken XML in the document part become "damaged"?"""
    source = zipfile.ZipFile(BytesIO(build_docx(["Minutes 18 March 2021"])))
    out = BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "word/document.xml":
                data = data[: len(data) // 2]
            target.writestr(info, data)
    with pytest.raises(UploadRejected) as err:
        parse_minutes(out.getvalue(), "minutes.docx")
    assert err.value.code == "damaged"


@pytest.mark.skipif(not (SHARED / "corpus" / "dev").is_dir(), reason="no shared corpus")
def test_the_real_case_of_18_march_records_no_lxp_point() -> None:
    """Does the 18 March CRG parse into six items and three group actions?"""
    path = SHARED / "corpus" / "dev" / "minutes" / "PD CRG minutes 18.03.21.docx"
    parsed = parse_minutes(path.read_bytes(), path.name)
    assert parsed.date == date(2021, 3, 18)
    assert len(parsed.items) == 6
    assert [o.group for a in parsed.actions for o in a.owners] == ["all", "lxp", "staff"]
    assert all(c.speaker is None or c.speaker.group == "staff" for c in parsed.contributions)
