"""parsers.sections: agenda items, their leads, and the lines under them."""

from __future__ import annotations

import pytest

from docx_builder import build_docx
from parsers.docx_blocks import read_blocks
from parsers.sections import Outline, column_roles, read_outline, split_item_title
from parsers.speakers import build_cast

CAST = build_cast(attendees=["Nadia Rahman", "Gareth Lloyd", "Yasmin Haddad"], aliases=["NR", "SK"])


def outline(spec: list) -> Outline:
    blocks = [b for b in read_blocks(build_docx(spec)) if b.part == "body"]
    return read_outline(blocks, frozenset(), CAST, start=1)


def items(spec: list) -> list[tuple[str, str, str | None]]:
    return [
        (i.number, i.title, i.lead.group or i.lead.as_written if i.lead else None)
        for i in outline(spec).items
    ]


@pytest.mark.parametrize(
    ("title", "want_title", "lead", "group"),
    [
        ("Access and waiting times – NR", "Access and waiting times", "NR", None),
        ("Staff language guide (Lead: Gareth Lloyd)", "Staff language guide", "Gareth Lloyd", None),
        ("Welcome (Nadia)", "Welcome", "Nadia", None),
        ("Carer experience – Yasmin Haddad (LXP)", "Carer experience", "Yasmin Haddad", None),
        ("Round the table (all)", "Round the table", "all", "all"),
        ("LXP feedback – LXP representatives", "LXP feedback", "LXP representatives", "lxp"),
        ("Early intervention (FREED) – SK", "Early intervention (FREED)", "SK", None),
        ("Early intervention (FREED)", "Early intervention (FREED)", None, None),
        ("Part 1 - overview", "Part 1 - overview", None, None),
    ],
)
def test_split_item_title(title: str, want_title: str, lead: str | None, group: str | None) -> None:
    """Is the lead named with an item split from its title?"""
    got_title, who = split_item_title(title, CAST)
    assert got_title == want_title
    assert (who.as_written if who else None) == lead
    assert (who.group if who else None) == group


def test_numbered_headings_make_items() -> None:
    """Are "1.", "2)", "Item 3:" and "4a" headings items, and text lines not?"""
    spec = [
        "Title",
        {"text": "1. Welcome", "bold": True},
        "The chair welcomed members.",
        {"text": "2) Access (NR)", "style": "Heading 2"},
        {"text": "Item 3: Finance", "bold": True},
        {"text": "4a Capital budget", "bold": True},
        "1.1 The capital budget was discussed at length by members.",
    ]
    assert items(spec) == [
        ("1", "Welcome", None),
        ("2", "Access", "NR"),
        ("3", "Finance", None),
        ("4a", "Capital budget", None),
    ]
    lines = outline(spec).lines
    assert [(ln.text, ln.item) for ln in lines] == [
        ("The chair welcomed members.", 0),
        ("The capital budget was discussed at length by members.", 3),
    ]


def test_word_numbered_headings() -> None:
    """Do Word-numbered bold paragraphs get their computed numbers?"""
    spec = [
        "Title",
        {"text": "Welcome", "bold": True, "numbered": "decimal", "level": 0},
        "Hello all.",
        {"text": "Finance", "bold": True, "numbered": "decimal", "level": 0},
    ]
    assert items(spec) == [("1", "Welcome", None), ("2", "Finance", None)]


def test_unnumbered_headings_are_items_when_nothing_is_numbered() -> None:
    """Are plain headings items in a document that numbers none?"""
    spec = [
        "Title",
        {"text": "Welcome", "style": "Heading 2"},
        "Hello.",
        {"text": "Finance update", "style": "Heading 2"},
        "Costs rose.",
    ]
    assert items(spec) == [("", "Welcome", None), ("", "Finance update", None)]


def test_agenda_table_rows() -> None:
    """Is each No | Item | Discussion | Action row an item with its lines?"""
    spec = [
        "Title",
        {
            "table": [
                ["No", "Item", "Discussion", "Action / Responsibility"],
                ["1", "Welcome", "Members were welcomed.", ""],
                [
                    "2",
                    "Terms of reference\nLead: SK",
                    "Draft circulated.\nComments received.",
                    "Finalise the draft – SK",
                ],
            ]
        },
    ]
    assert items(spec) == [("1", "Welcome", None), ("2", "Terms of reference", "SK")]
    got = [(ln.text, ln.item, ln.column) for ln in outline(spec).lines]
    assert got == [
        ("Members were welcomed.", 0, "discussion"),
        ("Draft circulated.", 1, "discussion"),
        ("Comments received.", 1, "discussion"),
        ("Finalise the draft – SK", 1, "action"),
    ]


def test_action_log_refs_name_their_items() -> None:
    """Do action-log rows belong to the item their Ref names?"""
    spec = [
        "Title",
        {"text": "1. Welcome", "bold": True},
        {"text": "2. Protocol", "bold": True},
        {"text": "Action log", "style": "Heading 2"},
        {
            "table": [
                ["Ref", "Action", "Owner", "Due", "Status"],
                ["2.1", "Map the protocols", "NR", "16/04/21", "Open"],
                ["X9", "Something else", "GL", "TBC", "Open"],
            ]
        },
    ]
    out = outline(spec)
    assert [i.title for i in out.items] == ["Welcome", "Protocol"]
    rows = [(ln.text, ln.item, ln.owner, ln.due, ln.status, ln.row_action) for ln in out.lines]
    assert rows == [
        ("Map the protocols", 1, "NR", "16/04/21", "Open", True),
        ("Something else", None, "GL", "TBC", "Open", True),
    ]


def test_nested_action_table_belongs_to_its_row() -> None:
    """Does a nested Action | Responsibility table take the outer row's item?"""
    spec = [
        "Title",
        {
            "table": [
                ["No", "Item", "Discussion", "Action"],
                [
                    "5",
                    "Good practice",
                    "Discussed.",
                    [
                        "Actions agreed:",
                        {
                            "table": [
                                ["Action", "Responsibility"],
                                ["Share examples", "All members"],
                            ]
                        },
                    ],
                ],
            ]
        },
    ]
    actions = [ln for ln in outline(spec).lines if ln.row_action]
    assert [(a.text, a.item, a.owner) for a in actions] == [("Share examples", 0, "All members")]


def test_column_roles() -> None:
    """Are common table headers given their roles?"""
    assert column_roles(
        ["No", "Item", "Discussion", "Action / Responsibility", "Owner", "Due date", "Status"]
    ) == ["number", "title", "discussion", "action", "owner", "due", "status"]
