"""Run the matcher over stored meetings, keep people's decisions, compute outcomes."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz
from rapidfuzz.utils import default_process
from sqlalchemy import and_, or_
from sqlmodel import Session, select

from tracker.config import Settings
from tracker.domain.glossary import default_synonyms, merge_synonyms
from tracker.domain.matching import MatchSettings, Record, is_lxp_input, suggest_links
from tracker.domain.outcomes import classify_outcome
from tracker.errors import BadInput, NotFound
from tracker.models import (
    Action,
    AgendaItem,
    Body,
    Contribution,
    Decision,
    Link,
    Meeting,
    Outcome,
    Person,
    utcnow,
)
from tracker.numbers import is_number
from tracker.services.audit import record_event
from tracker.services.vectors import CachedEncoder

# Export-style ids: one letter per kind, so ids are unique across kinds.
PREFIX = {"agenda_item": "a", "contribution": "c", "action": "x", "decision": "d"}
KIND_OF_PREFIX = {v: k for k, v in PREFIX.items()}
MODEL_OF_KIND = {
    "agenda_item": AgendaItem,
    "contribution": Contribution,
    "action": Action,
    "decision": Decision,
}


def record_id(kind: str, row_id: int) -> str:
    """Return the export id of a stored record."""
    return f"{PREFIX[kind]}{row_id}"


def split_record_id(value: str) -> tuple[str, int]:
    """Return (kind, row id) for an export id such as 'x12'."""
    kind = KIND_OF_PREFIX.get(value[:1])
    if kind is None or not is_number(value[1:]):
        raise NotFound(f"no record {value!r}")
    return kind, int(value[1:])


@dataclass(frozen=True)
class MatchSummary:
    suggested: int  # suggestions now stored (new or refreshed)
    removed: int  # stale suggestions dropped
    kept: int  # confirmed or rejected links left as people decided
    outcomes: dict[str, int]
    method: str = "tfidf"

    def summary(self) -> str:
        """One line for the command line."""
        parts = ", ".join(f"{n} {status}" for status, n in sorted(self.outcomes.items()))
        return (
            f"{self.suggested} suggested links ({self.removed} stale removed, "
            f"{self.kept} confirmed/rejected kept, method {self.method}); "
            f"outcomes: {parts or 'none'}"
        )


def load_records(session: Session) -> list[Record]:
    """Build the matcher's plain records from every current meeting."""
    people = {p.id: p for p in session.exec(select(Person)).all()}
    bodies = {b.id: b for b in session.exec(select(Body)).all()}
    meetings = {
        m.id: m
        for m in session.exec(select(Meeting).where(Meeting.is_current == True)).all()  # noqa: E712
    }
    if not meetings:
        return []
    ids = list(meetings)

    def is_lxp(person_id: int | None) -> bool:
        return person_id is not None and person_id in people and people[person_id].role == "lxp"

    def names_of(person_id: int | None) -> tuple[str, ...]:
        person = people.get(person_id) if person_id is not None else None
        if person is None or person.erased_at is not None:
            return ()
        return (person.name, *person.aliases)

    records: list[Record] = []
    items = {
        i.id: i
        for i in session.exec(select(AgendaItem).where(AgendaItem.meeting_id.in_(ids))).all()  # type: ignore[attr-defined]
    }

    def base(meeting_id: int, item_id: int | None) -> dict:
        meeting, item = meetings[meeting_id], items.get(item_id) if item_id else None
        body = bodies[meeting.body_id]
        return {
            "meeting_id": f"m{meeting_id}",
            "meeting_date": meeting.date,
            "body_kind": body.kind,
            "workstream": body.workstream,
            "item_id": record_id("agenda_item", item.id) if item else None,
            "item_title": item.title if item else "",
            "item_lead_person_id": str(item.lead_person_id)
            if item and item.lead_person_id
            else None,
            "item_lead_is_lxp": bool(
                item and (is_lxp(item.lead_person_id) or item.lead_group == "lxp")
            ),
        }

    for item in items.values():
        records.append(
            Record(
                id=record_id("agenda_item", item.id or 0),
                kind="agenda_item",
                text=item.title,
                **base(item.meeting_id, item.id),
            )
        )
    for row in session.exec(select(Contribution).where(Contribution.meeting_id.in_(ids))).all():  # type: ignore[attr-defined]
        records.append(
            Record(
                id=record_id("contribution", row.id or 0),
                kind="contribution",
                text=row.text,
                speaker_person_id=str(row.speaker_person_id) if row.speaker_person_id else None,
                speaker_group=row.speaker_group,
                speaker_is_lxp=is_lxp(row.speaker_person_id) or row.speaker_group == "lxp",
                speaker_names=names_of(row.speaker_person_id),
                **base(row.meeting_id, row.agenda_item_id),
            )
        )
    for model, kind in ((Action, "action"), (Decision, "decision")):
        for row in session.exec(select(model).where(model.meeting_id.in_(ids))).all():  # type: ignore[attr-defined]
            records.append(
                Record(
                    id=record_id(kind, row.id or 0),
                    kind=kind,
                    text=row.text,
                    **base(row.meeting_id, row.agenda_item_id),
                )
            )
    return records


def match_settings(settings: Settings) -> MatchSettings:
    """Turn app settings into the matcher's settings."""
    extra: dict = {"synonyms": merge_synonyms(default_synonyms(), settings.synonyms)}
    if settings.match_threshold:
        extra["threshold"] = settings.match_threshold
    return MatchSettings(
        window_days=settings.match_window_days, method=settings.match_method, **extra
    )


def semantic_encoder(settings: Settings) -> CachedEncoder | None:
    """Load MiniLM behind the vector cache, or None when the extra is missing."""
    from tracker.domain.matching import load_semantic_encoder

    try:
        model = load_semantic_encoder()
    except ImportError:
        return None
    return CachedEncoder(Path(settings.instance_dir) / "vectors.npz", model)


def run_matching(*, session: Session, settings: Settings, actor: str = "cli") -> MatchSummary:
    """Propose links for every LXP point, keep people's decisions, recompute outcomes."""
    records = load_records(session)
    options = match_settings(settings)
    encoder = None
    if options.method in ("semantic", "hybrid"):
        encoder = semantic_encoder(settings)
        if encoder is None:
            # The optional extra is missing: match with the light method.
            options = replace(options, method="tfidf")
    suggestions = suggest_links(records, options, encoder=encoder)
    if encoder is not None:
        encoder.save()
    existing = {
        (k.contribution_id, k.target_type, k.target_id): k for k in session.exec(select(Link)).all()
    }
    text_of = {r.id: r.text for r in records}
    fresh: set[tuple[int, str, int]] = set()
    for s in suggestions:
        _, source = split_record_id(s.source_id)
        kind, target = split_record_id(s.target_id)
        key = (source, kind, target)
        fresh.add(key)
        link = existing.get(key)
        if link is None:
            link = Link(contribution_id=source, target_type=kind, target_id=target)
            existing[key] = link
        if link.status == "suggested":
            link.score = round(float(s.score), 4)
            link.method = s.method
            link.why = list(s.why)
            link.target_text = text_of.get(s.target_id, "")
        session.add(link)
    removed = kept = 0
    for key, link in list(existing.items()):
        if link.status != "suggested":
            kept += 1
        elif key not in fresh and link.id is not None:
            session.delete(link)
            removed += 1
    session.flush()
    counts = recompute_outcomes(session=session, records=records)
    record_event(session, actor=actor, action="links.match", suggested=len(fresh), removed=removed)
    session.commit()
    return MatchSummary(len(fresh), removed, kept, counts, options.method)


def recompute_outcomes(*, session: Session, records: list[Record] | None = None) -> dict[str, int]:
    """Classify every LXP contribution from its non-rejected links (no commit)."""
    records = load_records(session) if records is None else records
    by_id = {r.id: r for r in records}
    traces: dict[str, list[Record]] = defaultdict(list)
    for link in session.exec(select(Link).where(Link.status != "rejected")).all():
        target = by_id.get(record_id(link.target_type, link.target_id))
        if target is not None:
            traces[record_id("contribution", link.contribution_id)].append(target)
    # A governance meeting has sat even if its minutes recorded nothing.
    governance: dict[str, list[date]] = defaultdict(list)
    query = (
        select(Meeting.date, Body.workstream)
        .join(Body, Body.id == Meeting.body_id)
        .where(Meeting.is_current == True, Body.kind == "governance")  # noqa: E712
    )
    for when, workstream in session.exec(query).all():
        governance[workstream].append(when)
    governance = {w: sorted(set(d)) for w, d in governance.items()}
    stored = {o.contribution_id: o for o in session.exec(select(Outcome)).all()}
    counts: dict[str, int] = defaultdict(int)
    seen: set[int] = set()
    for r in records:
        if r.kind != "contribution" or not is_lxp_input(r):
            continue
        _, cid = split_record_id(r.id)
        seen.add(cid)
        row = stored.get(cid)
        reason = row.reason if row is not None and row.status == "not-taken-forward" else None
        later = [d for d in governance.get(r.workstream, []) if d > r.meeting_date]
        result = classify_outcome(r, traces.get(r.id, []), later, reason)
        if row is None:
            row = Outcome(contribution_id=cid, status=result.status)
        row.status, row.credited = result.status, result.credited
        row.days_to_first_trace = result.days_to_first_trace
        row.computed_at = utcnow()
        session.add(row)
        counts[result.status] += 1
    for cid, row in stored.items():
        if cid not in seen and row.status != "not-taken-forward":
            session.delete(row)
    return dict(counts)


def _decide(session: Session, link_id: int, status: str, actor: str, reason: str | None) -> Link:
    link = session.get(Link, link_id)
    if link is None:
        raise NotFound(f"no link {link_id}")
    link.status, link.reason = status, reason
    link.decided_by, link.decided_at = actor, utcnow()
    link.needs_reconfirmation = False
    session.add(link)
    record_event(
        session, actor=actor, action=f"link.{status}", object_type="link", object_id=link_id
    )
    session.flush()
    recompute_outcomes(session=session)
    session.commit()
    return link


def confirm_link(*, session: Session, link_id: int, actor: str = "cli") -> Link:
    """Mark a suggested link as confirmed by a person."""
    return _decide(session, link_id, "confirmed", actor, None)


def reject_link(*, session: Session, link_id: int, reason: str, actor: str = "cli") -> Link:
    """Mark a link as rejected, with the reason given."""
    if not reason.strip():
        raise BadInput("give a reason with --reason")
    return _decide(session, link_id, "rejected", actor, reason.strip())


def set_not_taken_forward(
    *, session: Session, contribution_id: int, reason: str, actor: str = "cli"
) -> Outcome:
    """Record that a point was considered and not taken forward, and why."""
    if not reason.strip():
        raise BadInput("give a reason with --reason; it is fed back to the LXP")
    contribution = session.get(Contribution, contribution_id)
    if contribution is None:
        raise NotFound(f"no contribution {contribution_id}")
    row = session.get(Outcome, contribution_id)
    if row is None:
        raise BadInput(
            f"contribution {contribution_id} is not LXP input; run `tracker match` first"
        )
    row.status, row.reason = "not-taken-forward", reason.strip()
    row.set_by, row.set_at = actor, utcnow()
    session.add(row)
    record_event(
        session,
        actor=actor,
        action="outcome.not-taken-forward",
        object_type="contribution",
        object_id=contribution_id,
    )
    session.commit()
    return row


def _best_match(
    text: str, candidates: Iterable[tuple[int, str]], cutoff: float = 85.0
) -> int | None:
    best, best_score = None, cutoff
    for row_id, other in candidates:
        score = fuzz.token_sort_ratio(text, other, processor=default_process)
        if score >= best_score:
            best, best_score = row_id, score
    return best


# A changed record is looked for among the new version's records of its kind
# this many places either side of its own position: corrections move a
# record a little, and the search stays linear in the meeting's size.
CARRY_WINDOW = 25


def _map_rows(
    old: list[tuple[int, str]], new: list[tuple[int, str]], wanted: set[int]
) -> dict[int, int | None]:
    """Map old record ids (in position order) to new ones, in linear time.

    Records whose normalised text is unchanged pair up first, in order.  Only
    the records in ``wanted`` (the ones people made decisions about) that
    changed are then compared, fuzzily, with the unpaired new records near
    their position.
    """
    by_text: dict[str, list[int]] = defaultdict(list)
    for new_id, text in new:
        by_text[default_process(text)].append(new_id)
    for ids in by_text.values():
        ids.reverse()  # pop() takes them in position order
    mapping: dict[int, int | None] = {}
    used: set[int] = set()
    changed: list[tuple[int, int, str]] = []
    for position, (old_id, text) in enumerate(old):
        ids = by_text.get(default_process(text))
        if ids:
            mapping[old_id] = ids.pop()
            used.add(mapping[old_id])
        elif old_id in wanted:
            changed.append((position, old_id, text))
    for position, old_id, text in changed:
        near = new[max(0, position - CARRY_WINDOW) : position + CARRY_WINDOW + 1]
        found = _best_match(text, ((i, t) for i, t in near if i not in used))
        mapping[old_id] = found
        if found is not None:
            used.add(found)
    return mapping


def carry_links_forward(*, session: Session, old_meeting_id: int, new_meeting_id: int) -> None:
    """Move people's decisions from a superseded meeting to its new version.

    Confirmed and rejected links follow their record to the closest record
    of the same kind in the new version; when none is close enough the link
    stays on the old record and is marked for reconfirmation. Machine
    suggestions are dropped (the next match proposes them again), and so
    are never lost decisions.  Linear in the meeting's size: unchanged
    records pair up by their text, and only changed records that people
    made decisions about are compared, with the records near them.
    """

    def rows(model: Any, meeting_id: int, kind: str) -> list[tuple[int, str]]:
        column = model.title if kind == "agenda_item" else model.text
        query = select(model.id, column).where(model.meeting_id == meeting_id)
        return [(r[0], r[1]) for r in session.exec(query.order_by(model.position)).all()]

    old_rows = {k: rows(m, old_meeting_id, k) for k, m in MODEL_OF_KIND.items()}
    new_rows = {k: rows(m, new_meeting_id, k) for k, m in MODEL_OF_KIND.items()}
    old_ids = {k: {i for i, _ in v} for k, v in old_rows.items()}
    touching = or_(
        Link.contribution_id.in_(  # type: ignore[attr-defined]
            select(Contribution.id).where(Contribution.meeting_id == old_meeting_id)
        ),
        *(
            and_(
                Link.target_type == kind,
                Link.target_id.in_(  # type: ignore[attr-defined]
                    select(model.id).where(model.meeting_id == old_meeting_id)
                ),
            )
            for kind, model in MODEL_OF_KIND.items()
        ),
    )
    links = session.exec(select(Link).where(touching)).all()
    old_contributions = {
        c.id: c
        for c in session.exec(
            select(Contribution).where(Contribution.meeting_id == old_meeting_id)
        ).all()
    }
    kept_outcomes = {
        o.contribution_id: o
        for o in session.exec(
            select(Outcome)
            .join(Contribution, Contribution.id == Outcome.contribution_id)
            .where(
                Contribution.meeting_id == old_meeting_id,
                Outcome.status == "not-taken-forward",
            )
        ).all()
    }
    wanted: dict[str, set[int]] = {kind: set() for kind in MODEL_OF_KIND}
    for link in links:
        if link.status == "suggested":
            continue
        if link.contribution_id in old_ids["contribution"]:
            wanted["contribution"].add(link.contribution_id)
        if link.target_id in old_ids[link.target_type]:
            wanted[link.target_type].add(link.target_id)
    wanted["contribution"] |= set(kept_outcomes) | {
        c.id or 0 for c in old_contributions.values() if c.consent != "quote-named" or c.is_story
    }
    mapping = {
        kind: _map_rows(old_rows[kind], new_rows[kind], wanted[kind]) for kind in MODEL_OF_KIND
    }
    # Per-contribution choices made by people: consent and not-taken-forward.
    changed_choices = [
        (old_id, new_id)
        for old_id, new_id in mapping["contribution"].items()
        if new_id is not None and old_id in wanted["contribution"]
    ]
    new_contributions = (
        {
            c.id: c
            for c in session.exec(
                select(Contribution).where(
                    Contribution.id.in_([n for _, n in changed_choices])  # type: ignore[union-attr]
                )
            ).all()
        }
        if changed_choices
        else {}
    )
    for old_id, new_id in changed_choices:
        old, new = old_contributions.get(old_id), new_contributions.get(new_id)
        if old and new:
            new.consent, new.is_story = old.consent, old.is_story
            session.add(new)
        outcome = kept_outcomes.get(old_id)
        if outcome is not None and session.get(Outcome, new_id) is None:
            session.add(
                Outcome(
                    contribution_id=new_id,
                    status=outcome.status,
                    reason=outcome.reason,
                    set_by=outcome.set_by,
                    set_at=outcome.set_at,
                )
            )
    taken = {(k.contribution_id, k.target_type, k.target_id) for k in links}
    for link in links:
        touches_source = link.contribution_id in old_ids["contribution"]
        touches_target = link.target_id in old_ids[link.target_type]
        if not (touches_source or touches_target):
            continue
        if link.status == "suggested":
            session.delete(link)
            continue
        source = (
            mapping["contribution"].get(link.contribution_id)
            if touches_source
            else link.contribution_id
        )
        target = mapping[link.target_type].get(link.target_id) if touches_target else link.target_id
        if source is None or target is None or (source, link.target_type, target) in taken:
            link.needs_reconfirmation = source is None or target is None
        else:
            link.contribution_id, link.target_id = source, target
            taken.add((source, link.target_type, target))
        session.add(link)
    session.flush()
