"""Pure parsing of Word minutes: bytes in, ParsedMinutes out."""

from __future__ import annotations

from parsers.errors import UploadRejected
from parsers.model import (
    ParsedAction,
    ParsedAttendee,
    ParsedContribution,
    ParsedDecision,
    ParsedItem,
    ParsedMinutes,
    ParsedSpeaker,
)

__all__ = [
    "ParsedAction",
    "ParsedAttendee",
    "ParsedContribution",
    "ParsedDecision",
    "ParsedItem",
    "ParsedMinutes",
    "ParsedSpeaker",
    "UploadRejected",
    "parse_minutes",
]


def parse_minutes(data: bytes, filename: str = "", **options: object) -> ParsedMinutes:
    """Parse one .docx into ParsedMinutes, or raise UploadRejected."""
    from parsers.minutes import parse_minutes as _parse

    return _parse(data, filename, **options)
