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
import io
import json
import os
import select
import subprocess
import sys
import time
import zipfile
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
from tracker.metrics import parse_failed

MEMORY_LIMIT_MB = 512
# Element caps, checked in the worker before anything is sent back: real
# minutes hold a few hundred records and well under 200,000 characters, and
# the review screen must stay small enough to open.
MAX_RECORDS = 5_000
MAX_TEXT_CHARS = 2_000_000
# Paragraphs (table cells included) counted before parsing, so a document of
# hundreds of thousands of short lines is refused in a second, not after the
# whole parse: a 3,000-row table of ten columns still fits.
MAX_PARAGRAPHS = 50_000
_BODY_MAX_BYTES = 50_000_000  # the parser's own zip guard refuses larger parts
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
        heading_lines=tuple(data.get("heading_lines", ())),
    )


class ParseWorker:
    """A limited child process that parses documents one after another.

    The child caps its own address space before importing the parser, and
    each document gets ``timeout`` seconds; a child that runs over, runs out
    of memory or crashes is killed and a fresh one starts for the next
    document.  ``tracker import`` keeps one worker for a whole batch (a new
    Python per file would cost more than the parsing); the web starts one per
    upload.  Requests and answers are one line of JSON each (never pickle).
    """

    def __init__(self, *, memory_mb: int = MEMORY_LIMIT_MB, max_uses: int = 200) -> None:
        self.memory_mb = memory_mb
        self.max_uses = max_uses
        self._proc: subprocess.Popen[bytes] | None = None
        self._uses = 0

    @property
    def pid(self) -> int | None:
        """The running child's process id, if one is running."""
        return self._proc.pid if self._proc is not None else None

    def __enter__(self) -> ParseWorker:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def _start(self) -> subprocess.Popen[bytes]:
        keep = ("PATH", "LANG", "LC_ALL", "PYTHONPATH")
        env = {k: v for k, v in os.environ.items() if k in keep}
        env["PYTHONHASHSEED"] = "0"
        self._uses = 0
        return subprocess.Popen(
            [sys.executable, "-m", "tracker.services.parsing", str(self.memory_mb)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,  # it could quote the document: never keep it
            env=env,
        )

    def close(self) -> None:
        """Stop the child, if one is running."""
        proc, self._proc = self._proc, None
        if proc is None:
            return
        try:
            if proc.stdin:
                proc.stdin.close()
            proc.wait(timeout=2)
        except (OSError, subprocess.TimeoutExpired):
            proc.kill()
            proc.wait()
        if proc.stdout:
            proc.stdout.close()

    def _kill(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None:
            proc.kill()
            proc.wait()
            for pipe in (proc.stdin, proc.stdout):
                if pipe:
                    pipe.close()

    def _answer(self, proc: subprocess.Popen[bytes], line: bytes, timeout: float) -> bytes:
        """Send one request and wait for its one-line answer, at most ``timeout`` seconds."""
        assert proc.stdin is not None and proc.stdout is not None
        deadline = time.monotonic() + timeout
        proc.stdin.write(line)
        proc.stdin.flush()
        fd, answer = proc.stdout.fileno(), bytearray()
        while not answer.endswith(b"\n"):
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                raise TimeoutError
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                raise EOFError  # killed for memory, or crashed
            answer += chunk
        return bytes(answer)

    def parse(
        self,
        data: bytes,
        filename: str,
        *,
        roster: Sequence[RosterName],
        max_bytes: int,
        timeout: float,
    ) -> ParsedMinutes:
        """Parse one document; every failure becomes a one-line BadInput."""
        request = {
            "filename": filename,
            "max_bytes": max_bytes,
            "roster": [asdict(r) for r in roster],
            "data": base64.b64encode(data).decode("ascii"),
        }
        if self._proc is None or self._uses >= self.max_uses or self._proc.poll() is not None:
            self.close()
            self._proc = self._start()
        self._uses += 1
        try:
            raw = self._answer(self._proc, json.dumps(request).encode("ascii") + b"\n", timeout)
        except TimeoutError:
            self._kill()
            parse_failed("too-complex")
            raise BadInput(
                f"{filename}: {TOO_COMPLEX} (it took over {timeout:g} seconds)"
            ) from None
        except (EOFError, OSError):
            self._kill()
            parse_failed("too-complex")
            raise BadInput(f"{filename}: {TOO_COMPLEX}") from None
        try:
            answer = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            # Killed for memory, or crashed: the child printed nothing useful.
            self._kill()
            parse_failed("too-complex")
            raise BadInput(f"{filename}: {TOO_COMPLEX}") from None
        if "error" in answer:
            if answer.get("code") in ("too-complex",) or str(answer.get("code")).startswith(
                "crash:"
            ):
                self._kill()  # a child that hit its memory cap starts afresh
            parse_failed(answer.get("code", "unknown"))
            raise BadInput(f"{filename}: {answer['error']}")
        return minutes_from_dict(answer["minutes"])


def parse_in_worker(
    data: bytes,
    filename: str,
    *,
    roster: Sequence[RosterName],
    max_bytes: int,
    timeout: float,
    memory_mb: int = MEMORY_LIMIT_MB,
) -> ParsedMinutes:
    """Parse one upload in a child process of its own; failures are one-line BadInputs."""
    with ParseWorker(memory_mb=memory_mb) as worker:
        return worker.parse(data, filename, roster=roster, max_bytes=max_bytes, timeout=timeout)


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


def _too_many_paragraphs(data: bytes) -> str | None:
    """Count the body's paragraphs cheaply; leave anything odd to the parser's checks."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            info = archive.getinfo("word/document.xml")
            if info.file_size > _BODY_MAX_BYTES:
                return None
            xml = archive.read(info)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, RuntimeError, EOFError):
        return None
    found = xml.count(b"<w:p>") + xml.count(b"<w:p ")
    if found > MAX_PARAGRAPHS:
        return (
            f"this document has {found:,} paragraphs, more than the {MAX_PARAGRAPHS:,} "
            "one set of minutes can have; upload one file per meeting"
        )
    return None


def _answer_one(request: dict[str, Any]) -> dict[str, Any]:
    """Child side: parse one request into an answer (minutes, or error and code)."""
    try:
        from parsers import UploadRejected, parse_minutes

        roster = [RosterName(**{**r, "aliases": tuple(r["aliases"])}) for r in request["roster"]]
        data = base64.b64decode(request["data"])
        too_long = _too_many_paragraphs(data)
        if too_long:
            return {"error": too_long, "code": "too-many-elements"}
        try:
            parsed = parse_minutes(
                data, request["filename"], max_bytes=request["max_bytes"], roster=roster
            )
        except UploadRejected as exc:
            return {"error": exc.message, "code": exc.code}
        too_big = over_caps(parsed)
        if too_big:
            return {"error": too_big, "code": "too-many-elements"}
        return {"minutes": minutes_to_dict(parsed)}
    except MemoryError:
        return {"error": TOO_COMPLEX, "code": "too-complex"}
    except Exception as exc:  # the parser's bug, not the user's: say so plainly
        return {
            "error": "we could not read this document; it may be damaged. "
            "Open it in Word, save it again as .docx, and try again",
            "code": f"crash:{type(exc).__name__}",
        }


def _worker() -> int:
    """Child side: cap memory, then answer one JSON line per request line until EOF."""
    _limit_memory(int(sys.argv[1]) if len(sys.argv) > 1 else MEMORY_LIMIT_MB)
    out = sys.stdout
    for line in sys.stdin.buffer:
        try:
            answer = _answer_one(json.loads(line))
        except MemoryError:
            answer = {"error": TOO_COMPLEX, "code": "too-complex"}
        out.write(json.dumps(answer) + "\n")
        out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(_worker())
