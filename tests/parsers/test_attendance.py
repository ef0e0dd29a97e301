"""parsers.attendance: Present / In attendance / Apologies, however written."""

from __future__ import annotations

import pytest

from docx_builder import build_docx
from parsers.attendance import parse_attendance
from parsers.docx_blocks import read_blocks


def attendance(spec: list) -> list[tuple[str, str, str | None]]:
    blocks = [b for b in read_blocks(build_docx(spec)) if b.part == "body"]
    return [(a.as_written, a.status, a.role) for a in parse_attendance(blocks).attendees]


@pytest.mark.parametrize(
    ("line", "want"),
    [
        (
            "Present: Rebecca Asante (Chair), Daisy Berve, Amara Okafor (LXP)",
            [
                ("Rebecca Asante", "present", "Chair"),
                ("Daisy Berve", "present", None),
                ("Amara Okafor", "present", "LXP"),
            ],
        ),
        (
            "Present: Dr Ewan McAllister (EM) – Chair; Nadia Rahman (NR); "
            "Siobhan Gallagher (SG), LXP",
            [
                ("Ewan McAllister", "present", "Chair"),
                ("Nadia Rahman", "present", None),
                ("Siobhan Gallagher", "present", "LXP"),
            ],
        ),
        (
            "Attendees: Siobhan, Leanne, Nadia (notes)",
            [
                ("Siobhan", "present", None),
                ("Leanne", "present", None),
                ("Nadia", "present", "notes"),
            ],
        ),
        (
            "Present: Siobhan G, Leanne W",
            [("Siobhan G", "present", None), ("Leanne W", "present", None)],
        ),
        (
            "Present: EM (Chair), NR, SG (LXP)",
            [("EM", "present", "Chair"), ("NR", "present", None), ("SG", "present", "LXP")],
        ),
        (
            "In attendance: Lucy Barnes (NHS Benchmarking Network, item 5)",
            [("Lucy Barnes", "in-attendance", "NHS Benchmarking Network, item 5")],
        ),
        (
            "Apologies: Marcus Fletcher (LXP) and Precious Adjei",
            [("Marcus Fletcher", "apologies", "LXP"), ("Precious Adjei", "apologies", None)],
        ),
        (
            "Present: Gareth Lloyd, Programme Manager, Daisy Berve",
            [("Gareth Lloyd", "present", "Programme Manager"), ("Daisy Berve", "present", None)],
        ),
        ("Apologies: None", []),
    ],
)
def test_one_line_lists(line: str, want: list) -> None:
    """Is each way of writing an attendance line read into names and roles?"""
    assert attendance(["Steering Group", line]) == want


def test_label_then_one_name_per_line() -> None:
    """Are names listed one per line under a bold label read until the agenda?"""
    spec = [
        "IAPT LTC Clinical Reference Group",
        {"text": "Present:", "bold": True},
        "Dr Michael Osei, Clinical Lead (Chair)",
        "Farhan Chowdhury, LXP",
        {"text": "In attendance:", "bold": True},
        "Sam Whitfield, Diabetes UK (item 4)",
        {"text": "Apologies:", "bold": True},
        "None",
        {"text": "1. Welcome", "style": "Heading 2"},
        "The chair welcomed everyone.",
    ]
    assert attendance(spec) == [
        ("Michael Osei", "present", "Clinical Lead, Chair"),
        ("Farhan Chowdhury", "present", "LXP"),
        ("Sam Whitfield", "in-attendance", "Diabetes UK, item 4"),
    ]


def test_present_cell_of_a_table() -> None:
    """Is a Present row of a Date/Present table read?"""
    spec = [{"table": [["Date", "10 February 2025"], ["Present", "Helen Marsh, Owen Tremayne"]]}]
    assert attendance(spec) == [
        ("Helen Marsh", "present", None),
        ("Owen Tremayne", "present", None),
    ]


def test_initials_in_brackets_become_aliases() -> None:
    """Are "(EM)" initials kept so "EM said" can be resolved later?"""
    blocks = read_blocks(build_docx(["Present: Dr Ewan McAllister (EM), Dr Joanne Pereira (GP)"]))
    assert parse_attendance(blocks).aliases == ("EM",)
