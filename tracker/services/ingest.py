"""One way in for Word minutes: the web upload and `tracker import` both come here.

Check the size, parse in the limited worker (time, memory, element caps),
then list what a person should check (structured warnings, the same on the
command line and on the review screen).  The web keeps the result aside for
the chair's review (``review.stage_upload``); the command line stores it
(``import_file``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from contextlib import nullcontext
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from parsers import ParsedMinutes
from tracker.config import Settings
from tracker.errors import BadInput
from tracker.models import Meeting
from tracker.services.meetings import ImportResult, sha256_of, store_minutes
from tracker.services.parsing import ParseWorker
from tracker.services.people import roster_names


@dataclass(frozen=True)
class Check:
    """One thing for a person to check, with the records it is about.

    ``records`` name rows of the review screen: ``c-3`` (fourth statement),
    ``x-0`` (first action), ``d-`` decisions, ``i-`` agenda items, ``a-``
    attendees.
    """

    code: str
    message: str
    records: tuple[str, ...] = ()


def clean_filename(filename: str) -> str:
    """Return the file's own name, without folders, at most 200 characters."""
    return Path(filename or "minutes.docx").name[:200] or "minutes.docx"


def check_size(filename: str, size: int, settings: Settings) -> None:
    """Refuse an empty file, or one over ``uploads.max_mb``, before reading it."""
    if size == 0:
        raise BadInput(f"{clean_filename(filename)}: the file is empty")
    if size > settings.max_upload_mb * 1_000_000:
        raise BadInput(
            f"{clean_filename(filename)}: the file is over the {settings.max_upload_mb} MB limit"
        )


def read_minutes(
    *,
    session: Session,
    settings: Settings,
    data: bytes,
    filename: str,
    worker: ParseWorker | None = None,
) -> ParsedMinutes:
    """Check the size, then parse in a limited worker; any refusal is one BadInput line.

    Pass ``worker`` to parse a batch in one child process (the limits are the
    same for every document); without it, a child is started for this one.
    """
    filename = clean_filename(filename)
    check_size(filename, len(data), settings)
    with ParseWorker() if worker is None else nullcontext(worker) as child:
        return child.parse(
            data,
            filename,
            roster=roster_names(session),
            max_bytes=settings.max_upload_mb * 1_000_000,
            timeout=settings.max_parse_seconds,
        )


def import_file(
    *,
    session: Session,
    settings: Settings,
    data: bytes,
    filename: str,
    body_name: str | None = None,
    actor: str = "cli",
    worker: ParseWorker | None = None,
) -> tuple[ImportResult, list[Check]]:
    """Read one file and store it as a meeting; identical bytes change nothing."""
    filename = clean_filename(filename)
    digest = sha256_of(data)
    existing = session.exec(select(Meeting).where(Meeting.sha256 == digest)).first()
    if existing is not None:
        return ImportResult(filename, existing.id or 0, created=False), []
    parsed = read_minutes(
        session=session, settings=settings, data=data, filename=filename, worker=worker
    )
    checks = checks_for(parsed)
    try:
        result = store_minutes(
            session=session,
            parsed=replace(parsed, warnings=tuple(check_lines(checks))),
            data=data,
            filename=filename,
            body_name=body_name,
            actor=actor,
        )
    except IntegrityError:
        # Someone stored the same bytes at the same moment: theirs stands.
        session.rollback()
        existing = session.exec(select(Meeting).where(Meeting.sha256 == digest)).first()
        if existing is None:
            raise
        return ImportResult(filename, existing.id or 0, created=False), []
    except BaseException:
        session.rollback()
        raise
    return result, checks


# ---- what to check -----------------------------------------------------------

# Words that make up the headings minutes are written under; a name made only
# of these (and short joining words) is a heading the reader took for a person.
_HEADINGS = """
action actions item items summary discussion discussions next step steps agenda
minutes minute decision decisions notes note meeting title date time venue
location attendees attendance apologies present absent update updates matters
arising any other business aob key points point outcomes outcome follow up
overview introduction introductions welcome close closing purpose objectives
background recommendations record of and the to for
"""
_HEADING_WORDS = frozenset(_HEADINGS.split())
_WORD = re.compile(r"[A-Za-z]+")
# Words in the original text that say actions or decisions were recorded.
_ACTION_WORDS = re.compile(r"\b(actions?|action items?|to do)\b", re.IGNORECASE)
_DECISION_WORDS = re.compile(r"\b(decisions?|decided|agreed|approved|resolved)\b", re.IGNORECASE)


def looks_like_heading(name: str) -> bool:
    """Is this 'name' a heading such as 'Action Items' or 'Next Steps:'?"""
    text = name.strip()
    if text.endswith(":"):
        return True
    words = [w.lower() for w in _WORD.findall(text)]
    return bool(words) and all(w in _HEADING_WORDS for w in words)


def _plural(n: int, one: str, many: str) -> str:
    return one if n == 1 else many


def _refs(prefix: str, indexes: Iterable[int]) -> tuple[str, ...]:
    return tuple(f"{prefix}-{n}" for n in indexes)


def checks_for(
    parsed: ParsedMinutes,
    *,
    new_people: Iterable[str] = (),
    has_body: bool = True,
) -> list[Check]:
    """List what a person should check in these minutes, most important first."""
    checks: list[Check] = []
    if parsed.date is None:
        checks.append(Check("no-date", "We could not find the meeting date. Set it below."))
    if not has_body:
        checks.append(
            Check("no-body", "We could not tell which meeting (body) this is. Choose it below.")
        )
    records = len(parsed.contributions) + len(parsed.actions) + len(parsed.decisions)
    if not records:
        checks.append(
            Check(
                "no-records",
                "We found no statements, actions or decisions. "
                "Check the original text and add what was missed.",
            )
        )
    headings = [n for n, a in enumerate(parsed.attendees) if looks_like_heading(a.as_written)]
    if headings:
        names = ", ".join(f"'{parsed.attendees[n].as_written}'" for n in headings[:3])
        more = f" and {len(headings) - 3} more" if len(headings) > 3 else ""
        noun = _plural(len(headings), "attendee looks", "attendees look")
        checks.append(
            Check(
                "heading-attendee",
                f"{len(headings)} {noun} like a heading ({names}{more}): "
                "remove them, or change them into agenda items.",
                _refs("a", headings),
            )
        )
    if not parsed.attendees:
        checks.append(Check("no-attendees", "We found nobody in attendance. Add who was there."))
    nobody = [n for n, c in enumerate(parsed.contributions) if c.speaker is None]
    if nobody:
        total = len(parsed.contributions)
        noun = _plural(total, "statement does", "statements do")
        checks.append(
            Check(
                "unattributed",
                f"{len(nobody)} of {total} {noun} not say who spoke.",
                _refs("c", nobody),
            )
        )
    leadless = [n for n, i in enumerate(parsed.items) if i.lead is None]
    if leadless:
        noun = _plural(len(leadless), "agenda item does", "agenda items do")
        checks.append(
            Check(
                "no-lead",
                f"{len(leadless)} of {len(parsed.items)} {noun} not name a lead.",
                _refs("i", leadless),
            )
        )
    ownerless = [n for n, a in enumerate(parsed.actions) if not a.owners]
    if ownerless:
        noun = _plural(len(parsed.actions), "action has", "actions have")
        checks.append(
            Check(
                "no-owner",
                f"{len(ownerless)} of {len(parsed.actions)} {noun} no owner.",
                _refs("x", ownerless),
            )
        )
    undated = [n for n, a in enumerate(parsed.actions) if a.due is None]
    if undated:
        noun = _plural(len(parsed.actions), "action has", "actions have")
        checks.append(
            Check(
                "no-due",
                f"{len(undated)} of {len(parsed.actions)} {noun} no due date.",
                _refs("x", undated),
            )
        )
    if records and not parsed.actions and _ACTION_WORDS.search(parsed.text):
        checks.append(
            Check(
                "actions-missed",
                "The text mentions actions but we found none. Check it and add them.",
            )
        )
    if records and not parsed.decisions and _DECISION_WORDS.search(parsed.text):
        checks.append(
            Check(
                "decisions-missed",
                "The text mentions decisions or agreements but we found none. Check it.",
            )
        )
    new = sorted(set(new_people))
    if new:
        noun = _plural(len(new), "person is", "people are")
        checks.append(
            Check(
                "new-people",
                f"{len(new)} {noun} not on the people list yet and will be added when you "
                "save: check whether each is an LXP or staff.",
            )
        )
    checks.extend(
        Check("parser", note) for note in parsed.warnings if not any(k in note for k in _RECOUNTED)
    )
    return checks


# Parser notes this module recounts itself, live, after a chair's edits.
_RECOUNTED = ("who spoke", "name a lead", "no owner", "meeting date")


def check_lines(checks: Iterable[Check]) -> list[str]:
    """The checks as plain sentences, for the command line and the stored meeting."""
    return [c.message for c in checks]


def import_document(
    *,
    session: Session,
    data: bytes,
    filename: str,
    body_name: str | None = None,
    max_bytes: int = 10_000_000,
    actor: str = "cli",
) -> ImportResult:
    """Parse and store one .docx through the ingest service (the demo's way in).

    The same limits and checks as ``tracker import``, with the default parse
    time; re-importing identical bytes changes nothing.
    """
    settings = Settings(max_upload_mb=max(1, -(-max_bytes // 1_000_000)))
    result, _ = import_file(
        session=session,
        settings=settings,
        data=data,
        filename=filename,
        body_name=body_name,
        actor=actor,
    )
    return result
