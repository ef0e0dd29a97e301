"""Complete erasure of one person, and the retention of stored originals.

Erasing a person removes their name, contact details and words from every
copy the tracker keeps, while every count they contributed to stays:

* database rows: the person, their sign-ins, what they said (replaced by a
  placeholder), every free-text field that names them or repeats their words
  (meeting text and titles, parser warnings, other records, link snapshots,
  outcome reasons, flags, saved digest copies, the audit trail's actors and
  details);
* the stored original Word file of every meeting that names them or records
  them (removed: the structured record is kept, the .docx is not);
* files under the instance folder: .eml files in the outbox that mention
  them, uploads waiting for review that mention them, log lines, and the
  semantic matcher's cached vectors of their words;
* the database file itself: on SQLite, VACUUM rewrites the file without the
  freed pages and a checkpoint empties the write-ahead log, so the old text is
  not left behind in unused space (``PRAGMA secure_delete`` keeps later
  deletions from leaving it either).  On PostgreSQL, old row versions stay on
  disk until VACUUM reuses their space: run ``VACUUM FULL`` in a maintenance
  window after an erasure, and let backups age out (README, "Privacy").
"""

from __future__ import annotations

import email
import email.policy
import html
import io
import json
import logging
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, select

from tracker.db import begin_write, scrub_storage
from tracker.domain.vocab import Frequency
from tracker.errors import NotFound
from tracker.models import (
    Action,
    ActionOwner,
    AgendaItem,
    Attendee,
    AuditEvent,
    Contribution,
    Decision,
    DigestPeriod,
    Flag,
    Link,
    Meeting,
    Outcome,
    Person,
    StagedUpload,
    User,
    utcnow,
)
from tracker.services.audit import record_event
from tracker.services.refresh import after_person_erased
from tracker.services.vectors import forget as forget_vectors
from tracker.services.vectors import text_key

log = logging.getLogger("tracker.erasure")

ERASED_TEXT = "[removed at the person's request]"
ERASED_NAME = "[name removed]"
# Names shorter than this (single initials) are not searched for in free text.
MIN_TERM = 2
# Another record quoting this many of their words in a row is redacted too.
QUOTE_WORDS = 6
_TOKEN = re.compile(r"&(?:#x?[0-9a-fA-F]+|\w+);|\w+")
# Free-text columns that may name a person or repeat their words.
TEXT_COLUMNS: tuple[tuple[Any, tuple[str, ...]], ...] = (
    (Meeting, ("title", "text", "source_filename")),
    (Attendee, ("as_written", "role")),
    (AgendaItem, ("title", "lead_as_written")),
    (Contribution, ("text", "speaker_as_written")),
    (Action, ("text",)),
    (ActionOwner, ("as_written",)),
    (Decision, ("text",)),
    (Link, ("target_text", "reason")),
    (Outcome, ("reason",)),
    (Flag, ("message", "answer")),
    (DigestPeriod, ("subject", "body_text", "body_html")),
    (AuditEvent, ("actor",)),
)
JSON_COLUMNS: tuple[tuple[Any, str], ...] = (
    (Meeting, "warnings"),
    (Link, "why"),
    (AuditEvent, "detail"),
)


@dataclass
class ErasureReport:
    """What one erasure changed (counts only, never content)."""

    person_id: int
    rows: int = 0
    originals_removed: int = 0
    files_removed: int = 0
    files_rewritten: int = 0
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"person p{self.person_id} erased: {self.rows} records redacted, "
            f"{self.originals_removed} stored originals removed, "
            f"{self.files_removed} files removed, {self.files_rewritten} files redacted; "
            "the counts they contributed to are kept"
        )


def _phrase(term: str) -> str:
    """A regex for a term: any run of whitespace between words, whole words only."""
    words = [re.escape(w) for w in term.split()]
    body = r"\s+".join(words)
    start = r"(?<!\w)" if re.match(r"\w", term) else ""
    end = r"(?!\w)" if re.search(r"\w$", term) else ""
    return start + body + end


class Redactor:
    """Replace a person's words, then their names, in any text."""

    def __init__(self, words: Iterable[str], names: Iterable[str]) -> None:
        word_list = _unique(w for w in words if w and w.strip() and w.strip() != ERASED_TEXT)
        # Each sentence too, in case the document split or joined lines differently.
        # Runs of QUOTE_WORDS or more words are found by their word n-grams
        # (fast, whatever the spacing); shorter texts and sentences by pattern.
        pieces = [w for w in word_list if len(_words(w)) < QUOTE_WORDS]
        for text in word_list:
            pieces.extend(
                s
                for s in re.split(r"(?<=[.!?;:])\s+|\n+", text)
                if len(s.split()) >= 4 and len(_words(s)) < QUOTE_WORDS
            )
        name_list = _unique(n for n in names if n and len(n.strip()) >= MIN_TERM)
        self.grams = {
            tuple(words[i : i + QUOTE_WORDS])
            for text in word_list
            for words in [_words(text)]
            for i in range(len(words) - QUOTE_WORDS + 1)
        }
        self.words = _compile(pieces)
        self.names = _compile(name_list)
        self.html_words = _compile(html.escape(p) for p in pieces)
        self.html_names = _compile(html.escape(n) for n in name_list)

    def __call__(self, text: str, *, is_html: bool = False) -> str:
        if not text:
            return text
        words, names = (self.html_words, self.html_names) if is_html else (self.words, self.names)
        if words is not None:
            text = words.sub(ERASED_TEXT, text)
        if self.grams:
            text = self._quotes(text)
        if names is not None:
            text = names.sub(ERASED_NAME, text)
        return text

    def _quotes(self, text: str) -> str:
        """Replace every run of QUOTE_WORDS or more words taken from their words."""
        tokens = [m for m in _TOKEN.finditer(text) if not m.group().startswith("&")]
        lowered = [m.group().lower() for m in tokens]
        covered = [False] * len(tokens)
        for i in range(len(tokens) - QUOTE_WORDS + 1):
            if tuple(lowered[i : i + QUOTE_WORDS]) in self.grams:
                covered[i : i + QUOTE_WORDS] = [True] * QUOTE_WORDS
        if not any(covered):
            return text
        out, last, i = [], 0, 0
        while i < len(tokens):
            if not covered[i]:
                i += 1
                continue
            j = i
            while j + 1 < len(tokens) and covered[j + 1]:
                j += 1
            out += [text[last : tokens[i].start()], ERASED_TEXT]
            last, i = tokens[j].end(), j + 1
        return "".join([*out, text[last:]])

    def mentions(self, text: str) -> bool:
        return self(text) != text or self(text, is_html=True) != text

    def json(self, value: Any) -> Any:
        if isinstance(value, str):
            return self(value)
        if isinstance(value, list):
            return [self.json(v) for v in value]
        if isinstance(value, dict):
            return {k: self.json(v) for k, v in value.items()}
        return value


def _words(text: str) -> list[str]:
    return [m.group().lower() for m in _TOKEN.finditer(text) if not m.group().startswith("&")]


def _unique(items: Iterable[str]) -> list[str]:
    seen: dict[str, str] = {}
    for item in items:
        key = " ".join(item.split()).lower()
        if key and key not in seen:
            seen[key] = " ".join(item.split())
    # Longest first, so a full name goes before its first name.
    return sorted(seen.values(), key=len, reverse=True)


def _compile(terms: Iterable[str]) -> re.Pattern[str] | None:
    parts = [_phrase(t) for t in terms if t.strip()]
    if not parts:
        return None
    return re.compile("|".join(parts), re.IGNORECASE)


def _docx_text(data: bytes) -> str:
    """The text of every XML part of a .docx, tags removed (for the mention check)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            parts = []
            for info in package.infolist():
                if info.filename.endswith(".xml") and info.file_size < 50_000_000:
                    xml = package.read(info).decode("utf-8", "replace")
                    parts.append(re.sub(r"<[^>]+>", " ", xml))
            return html.unescape(" ".join(parts))
    except (zipfile.BadZipFile, OSError, RuntimeError, ValueError):
        return ""


def _person_terms(session: Session, person: Person) -> tuple[list[str], list[str]]:
    """Their words (as stored now) and every form of their name we hold."""
    pid = person.id
    words = list(
        session.exec(select(Contribution.text).where(Contribution.speaker_person_id == pid)).all()
    )
    words += list(session.exec(select(Flag.message).where(Flag.person_id == pid)).all())
    names = [person.name, *person.aliases]
    if person.email:
        names.append(person.email)
    for column, who in (
        (Contribution.speaker_as_written, Contribution.speaker_person_id),
        (Attendee.as_written, Attendee.person_id),
        (AgendaItem.lead_as_written, AgendaItem.lead_person_id),
        (ActionOwner.as_written, ActionOwner.person_id),
    ):
        names += [n for n in session.exec(select(column).where(who == pid)).all() if n]
    names += list(session.exec(select(User.email).where(User.person_id == pid)).all())
    return words, names


def _meetings_of(session: Session, person_id: int) -> set[int]:
    """Meetings that record the person by id (speaker, attendee, lead, owner)."""
    ids: set[int] = set()
    for model, column in (
        (Contribution, Contribution.speaker_person_id),
        (Attendee, Attendee.person_id),
        (AgendaItem, AgendaItem.lead_person_id),
    ):
        ids |= set(session.exec(select(model.meeting_id).where(column == person_id)).all())
    ids |= set(
        session.exec(
            select(Action.meeting_id)
            .join(ActionOwner, ActionOwner.action_id == Action.id)
            .where(ActionOwner.person_id == person_id)
        ).all()
    )
    return ids


def _redact_tables(session: Session, redact: Redactor) -> int:
    changed = 0
    for model, columns in TEXT_COLUMNS:
        key = model.contribution_id if model is Outcome else model.id
        cols = [getattr(model, c) for c in columns]
        for row in session.exec(select(key, *cols)).all():
            values = {}
            for name, value in zip(columns, row[1:], strict=True):
                if isinstance(value, str):
                    new = redact(value, is_html=name == "body_html")
                    if new != value:
                        values[name] = new
            if values:
                session.execute(update(model).where(key == row[0]).values(**values))
                changed += 1
    for model, column in JSON_COLUMNS:
        for row_id, value in session.exec(select(model.id, getattr(model, column))).all():
            if value and redact.mentions(json.dumps(value, ensure_ascii=False)):
                session.execute(
                    update(model).where(model.id == row_id).values({column: redact.json(value)})
                )
                changed += 1
    return changed


def _remove_originals(session: Session, redact: Redactor, meeting_ids: set[int]) -> int:
    removed = 0
    with_original = session.exec(
        select(Meeting.id).where(Meeting.original.is_not(None))  # type: ignore[union-attr]
    ).all()
    for meeting_id in with_original:
        if meeting_id not in meeting_ids:
            data = session.exec(select(Meeting.original).where(Meeting.id == meeting_id)).one()
            if not data or not redact.mentions(_docx_text(data)):
                continue
        session.execute(update(Meeting).where(Meeting.id == meeting_id).values(original=None))
        removed += 1
    return removed


def erase_person(
    *, session: Session, person_id: int, actor: str = "cli", settings: Any = None
) -> ErasureReport:
    """Erase a person's identity and words everywhere; keep the counts.

    ``settings`` (tracker.config.Settings) names the instance and outbox
    folders whose files are cleaned too; without it only the database is.
    """
    begin_write(session)
    person = session.get(Person, person_id)
    if person is None:
        session.rollback()
        raise NotFound(f"no person {person_id}")
    report = ErasureReport(person_id)
    words, names = _person_terms(session, person)
    redact = Redactor(words, names)
    meeting_ids = _meetings_of(session, person_id)
    own_digests = list(
        session.exec(select(DigestPeriod.message_id).where(DigestPeriod.person_id == person_id))
    )
    report.rows = _redact_tables(session, redact)
    report.originals_removed = _remove_originals(session, redact, meeting_ids)
    # What they said stays as a count: the text goes, whatever it was.
    session.execute(
        update(Contribution)
        .where(Contribution.speaker_person_id == person_id)  # type: ignore[arg-type]
        .values(text=ERASED_TEXT, speaker_as_written=None, consent="count-only")
    )
    erased_contributions = select(Contribution.id).where(
        Contribution.speaker_person_id == person_id
    )
    session.execute(
        update(Link)
        .where(Link.target_type == "contribution", Link.target_id.in_(erased_contributions))  # type: ignore[attr-defined]
        .values(target_text=ERASED_TEXT)
    )
    label = f"Erased person {person_id}"
    for model, column, written in (
        (Attendee, Attendee.person_id, "as_written"),
        (AgendaItem, AgendaItem.lead_person_id, "lead_as_written"),
        (ActionOwner, ActionOwner.person_id, "as_written"),
    ):
        session.execute(update(model).where(column == person_id).values({written: label}))
    session.execute(
        update(Flag).where(Flag.person_id == person_id).values(message=ERASED_TEXT)  # type: ignore[arg-type]
    )
    session.execute(
        update(DigestPeriod)
        .where(DigestPeriod.person_id == person_id)  # type: ignore[arg-type]
        .values(subject="", body_text="", body_html="")
    )
    for user in session.exec(select(User).where(User.person_id == person_id)).all():
        user.active = False
        user.session_version += 1
        user.email = f"erased-user-{user.id}@erased.invalid"
        user.totp_secret = None
        session.add(user)
    session.refresh(person)
    first_time = person.erased_at is None
    person.name = label
    person.aliases, person.email, person.self_described_group = [], None, None
    person.digest_frequency = Frequency.NEVER.value
    person.erased_at = person.erased_at or utcnow()
    session.add(person)
    record_event(
        session,
        actor=actor,
        action="person.erase",
        object_type="person",
        object_id=person_id,
        again=not first_time,
        records=report.rows,
        originals=report.originals_removed,
    )
    after_person_erased(session, person_id)  # their workstreams are refreshed
    forget_vectors(session, words)  # the semantic matcher's cached vectors of their words
    # Uploads staged for review that quote them (kept in the database).
    report.files_removed += _drop_staged(session, redact)
    session.commit()
    if settings is not None:
        _clean_files(settings, redact, own_digests, words, report)
    tables = {m.__tablename__ for m, _ in TEXT_COLUMNS} | {"person", "user", "stagedupload"}
    scrub_storage(session.get_bind(), sorted(tables))  # type: ignore[arg-type]
    return report


def _clean_files(
    settings: Any, redact: Redactor, own: Sequence[str], words: Sequence[str], report: ErasureReport
) -> None:
    instance = Path(settings.instance_dir)
    outbox = Path(settings.resolved_outbox_dir)
    from tracker.mail import EmlSender

    sender = EmlSender(outbox)
    for message_id in own:
        path = sender.path_for(message_id)
        if path.is_file():
            path.unlink()
            report.files_removed += 1
    if outbox.is_dir():
        for path in outbox.glob("*.eml"):
            if _eml_mentions(path, redact):
                path.unlink()
                report.files_removed += 1
    if instance.is_dir():
        for path in instance.glob("*.log*"):
            try:
                text = path.read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
            clean = redact(text)
            if clean != text:
                path.write_text(clean, encoding="utf-8")
                report.files_rewritten += 1
        _forget_vectors(instance / "vectors.npz", words, report)


def _drop_staged(session: Session, redact: Redactor) -> int:
    """Delete staged uploads whose parsed text mentions the person (no commit)."""
    dropped = 0
    for row in session.exec(select(StagedUpload)).all():
        text = json.dumps(row.state, ensure_ascii=False)
        if redact.mentions(text) or redact.mentions(json.dumps(row.state)):
            session.delete(row)
            dropped += 1
    return dropped


def _eml_mentions(path: Path, redact: Redactor) -> bool:
    try:
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    except OSError:
        return False
    texts = [str(v) for v in message.values()]
    for part in message.walk():
        if part.get_content_maintype() == "text":
            try:
                texts.append(part.get_content())
            except (LookupError, ValueError):
                continue
    return any(redact.mentions(t) for t in texts)


def _forget_vectors(path: Path, words: Sequence[str], report: ErasureReport) -> None:
    if not path.is_file() or not words:
        return
    import numpy as np

    drop = {text_key(w) for w in words}
    with np.load(path) as stored:
        keys, matrix = stored["keys"], stored["vectors"]
    keep = [i for i, k in enumerate(keys) if str(k) not in drop]
    if len(keep) == len(keys):
        return
    partial = path.with_suffix(".partial.npz")
    with partial.open("wb") as fh:
        np.savez(fh, keys=keys[keep], vectors=matrix[keep])
    partial.replace(path)
    report.files_rewritten += 1


def purge_originals(
    *, session: Session, keep_days: int, now: datetime | None = None, actor: str = "retention"
) -> int:
    """Remove stored original Word files older than ``keep_days``; return how many."""
    cutoff = (now or utcnow()) - timedelta(days=keep_days)
    query = select(Meeting.id).where(
        Meeting.original.is_not(None),  # type: ignore[union-attr]
        Meeting.imported_at < cutoff,
    )
    if not session.exec(query.limit(1)).first():
        return 0  # nothing due: no write lock taken
    begin_write(session)
    ids = session.exec(query).all()
    session.execute(
        update(Meeting)
        .where(Meeting.original.is_not(None), Meeting.imported_at < cutoff)  # type: ignore[union-attr]
        .values(original=None)
    )
    record_event(
        session,
        actor=actor,
        action="originals.purge",
        object_type="meeting",
        count=len(ids),
        keep_days=keep_days,
    )
    session.commit()
    return len(ids)
