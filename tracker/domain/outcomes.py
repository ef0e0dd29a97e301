"""What became of an LXP point: the outcome rules of DESIGN.md, mechanically."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from tracker.domain import vocab
from tracker.domain.matching import Record
from tracker.domain.vocab import Group, Outcome, RecordKind

_LXP = (
    r"(?:LXPs?|lived[ -]experience(?:\s+practitioners?|\s+members?|\s+group)?"
    r"|experts?[ -]by[ -]experience|LXP\s+(?:members?|group|representatives?)"
    r"|catch[ -]?ups?)"
)
_SAY = (
    r"(?:feedback|raised|rais\w*|proposed|proposal|suggested|suggestions?"
    r"|requested|requests?|concerns?|asked|highlighted|put\s+forward"
    r"|recommended|recommendations?|identified|voiced|called\s+for|input|views"
    r"|heard|led\s+by|flagged)"
)
# A later record names LXPs as the source of what it says: "following feedback
# from the LXP catch-up", "as raised by LXPs", "LXPs raised", "LXP feedback".
_CREDIT_CUE = re.compile(
    rf"\b{_SAY}\b(?:\W+\w+){{0,4}}?\W+{_LXP}\b|\b{_LXP}(?:\W+\w+){{0,2}}?\W+{_SAY}\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class OutcomeResult:
    """The outcome of one LXP point."""

    status: str  # Outcome value
    credited: bool
    days_to_first_trace: int | None


def names_lxps_as_source(text: str) -> bool:
    """Tell whether text attributes what it says to LXPs or their catch-up."""
    return bool(_CREDIT_CUE.search(text))


def _names(text: str, names: Sequence[str]) -> bool:
    for name in names:
        if not name:
            continue
        # Initials ("KB") must appear in capitals; names in any case.
        flags = 0 if name.isupper() else re.IGNORECASE
        if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text, flags):
            return True
    return False


def credits(source: Record, trace: Record) -> bool:
    """Tell whether a trace attributes the point to an LXP or the LXP group."""
    if trace.speaker_is_lxp or trace.speaker_group == Group.LXP:
        return True
    if names_lxps_as_source(trace.text):
        return True
    if source.speaker_names and _names(trace.text, source.speaker_names):
        return True
    if trace.item_lead_is_lxp:
        # An item led by the LXP who made the point (or by the LXP group,
        # for a point the group made) carries their voice.
        if source.speaker_person_id is not None:
            return trace.item_lead_person_id == source.speaker_person_id
        return trace.item_lead_person_id is None and source.speaker_group == Group.LXP
    return False


def classify_outcome(
    source: Record,
    traces: Sequence[Record],
    later_governance_dates: Sequence[date],
    not_taken_forward_reason: str | None = None,
) -> OutcomeResult:
    """Classify an LXP point from the records that trace it.

    ``traces`` are the targets of the point's non-rejected links; records of
    the point's own meeting or earlier never count. ``later_governance_dates``
    are the dates of governance meetings of its workstream (earlier ones are
    ignored). A recorded not-taken-forward reason is a person's decision and
    wins over what the links say.
    """
    day = source.meeting_date
    kept = [t for t in traces if t.meeting_id != source.meeting_id and t.meeting_date > day]
    credited = any(credits(source, t) for t in kept)
    first = min((t.meeting_date for t in kept), default=None)
    days = (first - day).days if first is not None else None
    if not_taken_forward_reason and not_taken_forward_reason.strip():
        status = Outcome.NOT_TAKEN_FORWARD
    elif any(t.kind in (RecordKind.ACTION, RecordKind.DECISION) for t in kept):
        status = Outcome.ACTED
    elif kept:
        status = Outcome.HEARD
    elif any(d > day for d in later_governance_dates):
        status = Outcome.LOST
    else:
        status = Outcome.AWAITING
    return OutcomeResult(status=str(status), credited=credited, days_to_first_trace=days)


#: Short words for an outcome as LXPs read it, by (status, basis).
HEADLINES = {
    ("acted", "confirmed"): "Acted on",
    ("heard", "confirmed"): "Discussed",
    ("acted", "suggested"): "May have been taken up",
    ("heard", "suggested"): "May have been taken up",
    ("lost", "confirmed"): "No trace found",
    ("lost", "suggested"): "Not found yet",
}
_PLAIN = {"not-taken-forward": "Not taken forward", "awaiting": "Waiting for the next meeting"}


def headline(status: str | None, basis: str | None) -> str:
    """The short words for an outcome; a suggestion never reads as a fact."""
    if status is None:
        return "Not assessed"
    return _PLAIN.get(status) or HEADLINES.get((status, basis or "suggested"), "Not assessed")


def explanation(
    status: str | None, basis: str | None, taken_up_at: str = "", missed_at: str = ""
) -> str:
    """One sentence for LXPs on what became of a point, honest about who checked.

    ``taken_up_at`` names the first later meeting that traces the point
    ("PD Clinical Reference Group, 18 March 2021"); ``missed_at`` the first
    later governance meeting, for a point with no trace.
    """
    sure = basis == "confirmed"
    if status in ("acted", "heard"):
        where = f"the minutes of {taken_up_at}" if taken_up_at else "the minutes of a later meeting"
        if sure:
            return f"The chair confirmed that {where} took this up."
        ask = "the chair has been asked to check"
        return f"{where[0].upper()}{where[1:]} seem to take this up; {ask}."
    if status == vocab.Outcome.LOST:
        where = f"the minutes of {missed_at}" if missed_at else "the minutes of later meetings"
        if sure:
            return f"The chair checked {where} and later meetings and did not find it."
        return f"We have not found it in {where} yet; the chair has been asked to check."
    if status == vocab.Outcome.NOT_TAKEN_FORWARD:
        return "This was looked at and not taken forward."
    if status == vocab.Outcome.AWAITING:
        return "No decision meeting has sat since this was raised."
    return ""
