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
