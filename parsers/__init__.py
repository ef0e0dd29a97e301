"""Pure parsing of Word minutes: bytes in, ParsedMinutes out."""

from __future__ import annotations

from collections.abc import Sequence

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
from parsers.names import RosterName

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


def parse_minutes(
    data: bytes,
    filename: str = "",
    *,
    max_bytes: int = 10_000_000,
    roster: Sequence[RosterName] = (),
) -> ParsedMinutes:
    """Parse one .docx into ParsedMinutes, or raise UploadRejected."""
    from parsers.minutes import parse_minutes as _parse

    return _parse(data, filename, max_bytes=max_bytes, roster=roster)
