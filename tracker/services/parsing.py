"""Parse an upload in a separate, limited worker process.

A hostile or merely huge Word file must not take the web server down with
it, so the parser runs in a child Python process that caps its own address
space (RLIMIT_AS, 512 MB by default) and is killed after
``settings.max_parse_seconds``.  Input and output cross the process boundary
as JSON (never pickle), which also gives the review screen a way to keep a
parsed upload between requests.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import asdict
from datetime import date
from typing import Any

from parsers import (
    ParsedAction,
    ParsedAttendee,
    ParsedContribution,
    ParsedDecision,
    ParsedItem,
    ParsedMinutes,
    ParsedSpeaker,
)
from parsers.names import RosterName
from tracker.errors import BadInput

MEMORY_LIMIT_MB = 512
# Element caps, checked in the worker before anything is sent back: real
# minutes hold a few hundred records and well under 200,000 characters, and
# the review screen must stay small enough to open.
MAX_RECORDS = 5_000
MAX_TEXT_CHARS = 2_000_000
TOO_COMPLEX = (
    "this document is too complex for us to read safely. Save it again in Word "
    "(File > Save As > Word Document), remove pictures and very large tables, "
    "then try again"
)


def minutes_to_dict(parsed: ParsedMinutes) -> dict[str, Any]:
    """Turn parsed minutes into plain JSON-ready values."""
    data = asdict(parsed)
    data["date"] = parsed.date.isoformat() if parsed.date else None
    for action in data["actions"]:
        action["due"] = action["due"].isoformat() if action["due"] else None
    return data


def _speaker(value: dict[str, Any] | None) -> ParsedSpeaker | None:
    return ParsedSpeaker(**value) if value else None


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def minutes_from_dict(data: dict[str, Any]) -> ParsedMinutes:
    """Rebuild ParsedMinutes from minutes_to_dict's output."""
    return ParsedMinutes(
        title=data.get("title") or "",
        date=_day(data.get("date")),
        attendees=tuple(ParsedAttendee(**a) for a in data.get("attendees", ())),
        items=tuple(
            ParsedItem(**{**i, "lead": _speaker(i.get("lead"))}) for i in data.get("items", ())
        ),
        contributions=tuple(
            ParsedContribution(**{**c, "speaker": _speaker(c.get("speaker"))})
            for c in data.get("contributions", ())
        ),
        actions=tuple(
            ParsedAction(
                **{
                    **a,
                    "owners": tuple(ParsedSpeaker(**o) for o in a.get("owners", ())),
                    "due": _day(a.get("due")),
                }
            )
            for a in data.get("actions", ())
        ),
        decisions=tuple(ParsedDecision(**d) for d in data.get("decisions", ())),
        text=data.get("text") or "",
        warnings=tuple(data.get("warnings", ())),
    )


def parse_in_worker(
    data: bytes,
    filename: str,
    *,
    roster: Sequence[RosterName],
    max_bytes: int,
    timeout: float,
    memory_mb: int = MEMORY_LIMIT_MB,
) -> ParsedMinutes:
    """Parse one upload in a child process; every failure becomes a one-line BadInput."""
    request = {
        "filename": filename,
        "max_bytes": max_bytes,
        "memory_mb": memory_mb,
        "roster": [asdict(r) for r in roster],
        "data": base64.b64encode(data).decode("ascii"),
    }
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "LANG", "LC_ALL", "PYTHONPATH")}
    env["PYTHONHASHSEED"] = "0"
    try:
        done = subprocess.run(
            [sys.executable, "-m", "tracker.services.parsing"],
            input=json.dumps(request).encode("ascii"),
            capture_output=True,
            timeout=timeout,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise BadInput(f"{filename}: {TOO_COMPLEX} (it took over {timeout:g} seconds)") from None
    try:
        answer = json.loads(done.stdout.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        # Killed for memory, or crashed: the child printed nothing useful.
        raise BadInput(f"{filename}: {TOO_COMPLEX}") from None
    if "error" in answer:
        raise BadInput(f"{filename}: {answer['error']}")
    return minutes_from_dict(answer["minutes"])


def over_caps(parsed: ParsedMinutes) -> str | None:
    """Say why these minutes are too big to review, or return None."""
    records = (
        len(parsed.attendees)
        + len(parsed.items)
        + len(parsed.contributions)
        + len(parsed.actions)
        + len(parsed.decisions)
    )
    if records > MAX_RECORDS:
        return (
            f"this document holds {records:,} records, more than the {MAX_RECORDS:,} "
            "one set of minutes can have; upload one file per meeting"
        )
    if len(parsed.text) > MAX_TEXT_CHARS:
        return (
            f"this document is longer than {MAX_TEXT_CHARS:,} characters, far more than "
            "one set of minutes; upload one file per meeting"
        )
    return None


def _limit_memory(megabytes: int) -> None:
    import resource

    limit = megabytes * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _worker() -> int:
    """Child side: read one request on stdin, write one JSON answer on stdout."""
    request = json.loads(sys.stdin.buffer.read())
    out = sys.stdout
    try:
        _limit_memory(int(request.get("memory_mb", MEMORY_LIMIT_MB)))
        from parsers import UploadRejected, parse_minutes

        roster = [RosterName(**{**r, "aliases": tuple(r["aliases"])}) for r in request["roster"]]
        data = base64.b64decode(request["data"])
        try:
            parsed = parse_minutes(
                data, request["filename"], max_bytes=request["max_bytes"], roster=roster
            )
        except UploadRejected as exc:
            out.write(json.dumps({"error": exc.message, "code": exc.code}))
            return 0
        too_big = over_caps(parsed)
        if too_big:
            out.write(json.dumps({"error": too_big, "code": "too-many-elements"}))
            return 0
        out.write(json.dumps({"minutes": minutes_to_dict(parsed)}))
    except MemoryError:
        out.write(json.dumps({"error": TOO_COMPLEX, "code": "too-complex"}))
    except Exception as exc:  # the parser's bug, not the user's: say so plainly
        out.write(
            json.dumps(
                {
                    "error": "we could not read this document; it may be damaged. "
                    "Open it in Word, save it again as .docx, and try again",
                    "code": f"crash:{type(exc).__name__}",
                }
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(_worker())
