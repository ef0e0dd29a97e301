"""The programme's glossary for matching: what confirmed links taught, and an admin's edits.

Learned pairs are not stored: they follow from the confirmed links at every
match (``tracker/domain/learning.py``). An admin can add a pair ("directory"
means "menu" here) or switch a learned one off; both are kept in
``GlossaryPair``, audited, and in force from the next match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlmodel import Session, select

from tracker.config import Settings
from tracker.errors import BadInput
from tracker.models import GlossaryPair, utcnow
from tracker.services.audit import record_event
from tracker.services.linking import learned_glossary

#: A phrase: words of letters or digits, joined by spaces, hyphens, & or '.
_PHRASE = re.compile(r"^[^\W_]+(?:[ '&-][^\W_]+)*$")
MAX_PHRASE = 60


@dataclass(frozen=True)
class GlossaryRow:
    phrase: str  # as the LXP point says it
    variant: str  # as the later record says it
    source: str  # "learned" (from confirmed links) | "added" (by an admin)
    links: int  # confirmed links that showed a learned pair (0 for added)
    active: bool  # False when an admin switched a learned pair off


def programme_glossary(*, session: Session, settings: Settings) -> list[GlossaryRow]:
    """Every learned and added pair, learned first (most links first)."""
    edits = {(e.phrase, e.variant): e for e in session.exec(select(GlossaryPair)).all()}
    rows = [
        GlossaryRow(
            a, b, "learned", n, edits.get((a, b)) is None or edits[a, b].status != "removed"
        )
        for a, b, n in learned_glossary(session=session, settings=settings)
    ]
    rows += [
        GlossaryRow(e.phrase, e.variant, "added", 0, True)
        for e in sorted(edits.values(), key=lambda e: (e.phrase, e.variant))
        if e.status == "added"
    ]
    return rows


def _clean(text: str, what: str) -> str:
    text = " ".join(text.split())
    if not text:
        raise BadInput(f"give the {what}")
    if len(text) > MAX_PHRASE:
        raise BadInput(f"keep the {what} under {MAX_PHRASE} characters")
    if not _PHRASE.match(text):
        raise BadInput(f"the {what} should be words only (letters, digits, spaces, - & ')")
    return text


def _set(session: Session, phrase: str, variant: str, status: str | None, actor: str) -> None:
    row = session.exec(
        select(GlossaryPair).where(GlossaryPair.phrase == phrase, GlossaryPair.variant == variant)
    ).first()
    if status is None:
        if row is not None:
            session.delete(row)
    else:
        row = row or GlossaryPair(phrase=phrase, variant=variant, status=status, set_by=actor)
        row.status, row.set_by, row.set_at = status, actor, utcnow()
        session.add(row)
    record_event(
        session,
        actor=actor,
        action=f"glossary.{status or 'restore'}",
        object_type="glossary",
        phrase=phrase,
        variant=variant,
    )
    session.commit()


def add_pair(*, session: Session, phrase: str, variant: str, actor: str) -> None:
    """Say that ``variant`` means ``phrase`` in this programme (from the next match)."""
    phrase, variant = _clean(phrase, "phrase"), _clean(variant, "other wording")
    if phrase.casefold() == variant.casefold():
        raise BadInput("the two wordings are the same")
    _set(session, phrase, variant, "added", actor)


def remove_pair(*, session: Session, phrase: str, variant: str, actor: str) -> None:
    """Drop an added pair, or switch a learned one off."""
    row = session.exec(
        select(GlossaryPair).where(GlossaryPair.phrase == phrase, GlossaryPair.variant == variant)
    ).first()
    _set(session, phrase, variant, None if row and row.status == "added" else "removed", actor)


def restore_pair(*, session: Session, phrase: str, variant: str, actor: str) -> None:
    """Switch a learned pair back on."""
    _set(session, phrase, variant, None, actor)
