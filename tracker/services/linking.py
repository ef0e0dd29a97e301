"""Run the matcher over stored meetings, keep people's decisions, compute outcomes."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz
from rapidfuzz.utils import default_process
from sqlalchemy import Engine, and_, or_
from sqlmodel import Session, func, select

from tracker.config import Settings
from tracker.domain import vocab
from tracker.domain.glossary import default_synonyms, merge_synonyms
from tracker.domain.learning import glossary_pairs
from tracker.domain.matching import (
    Decisions,
    LinkSuggestion,
    MatchSettings,
    Record,
    is_lxp_input,
    suggest_links,
)
from tracker.domain.outcomes import classify_outcome
from tracker.domain.vocab import COUNTING_STATUSES, MACHINE_STATUSES, BodyKind, Group, PersonRole
from tracker.errors import BadInput, NotFound
from tracker.models import (
    RECORD_MODELS,
    Action,
    AgendaItem,
    Body,
    Contribution,
    Decision,
    GlossaryPair,
    Link,
    Meeting,
    Outcome,
    Person,
    PointCheck,
    RefreshJob,
    utcnow,
)
from tracker.numbers import is_number
from tracker.services.agenda_requests import update_agenda_requests
from tracker.services.audit import record_event
from tracker.services.refresh import recompute_points
from tracker.services.vectors import CachedEncoder

#: The matcher's window when no settings are at hand (config default).
DEFAULT_WINDOW_DAYS = Settings().match_window_days

# Export-style ids: one letter per kind, so ids are unique across kinds.
PREFIX = {"agenda_item": "a", "contribution": "c", "action": "x", "decision": "d"}
KIND_OF_PREFIX = {v: k for k, v in PREFIX.items()}
MODEL_OF_KIND = RECORD_MODELS


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
    candidates: int = 0  # plausible but uncertain links, for the chair's check

    def summary(self) -> str:
        """One line for the command line."""
        parts = ", ".join(f"{n} {status}" for status, n in sorted(self.outcomes.items()))
        return (
            f"{self.suggested} suggested links, {self.candidates} candidates to check "
            f"({self.removed} stale removed, "
            f"{self.kept} confirmed/rejected kept, method {self.method}); "
            f"outcomes: {parts or 'none'}"
        )


def load_records(
    session: Session,
    workstreams: Iterable[str] | None = None,
    meeting_ids: Iterable[int] | None = None,
) -> list[Record]:
    """Build the matcher's plain records from every current meeting.

    With ``workstreams``, only the meetings of bodies of those workstreams;
    with ``meeting_ids``, only those meetings (to reclassify a few points).
    """
    people = {p.id: p for p in session.exec(select(Person)).all()}
    bodies = {b.id: b for b in session.exec(select(Body)).all()}
    # Named columns only, never whole rows: a meeting holds its document, and
    # building a model object per record costs more than the record itself.
    query = select(Meeting.id, Meeting.date, Meeting.body_id).where(Meeting.is_current == True)  # noqa: E712
    if workstreams is not None:
        wanted = set(workstreams)
        body_ids = [b for b, body in bodies.items() if body.workstream in wanted]
        query = query.where(Meeting.body_id.in_(body_ids))  # type: ignore[attr-defined]
    if meeting_ids is not None:
        query = query.where(Meeting.id.in_(sorted(set(meeting_ids))))  # type: ignore[union-attr]
    meetings = {mid: (day, body_id) for mid, day, body_id in session.exec(query).all()}
    if not meetings:
        return []
    ids = list(meetings)

    def is_lxp(person_id: int | None) -> bool:
        return (
            person_id is not None
            and person_id in people
            and people[person_id].role == PersonRole.LXP
        )

    def names_of(person_id: int | None) -> tuple[str, ...]:
        person = people.get(person_id) if person_id is not None else None
        if person is None or person.erased_at is not None:
            return ()
        return (person.name, *person.aliases)

    records: list[Record] = []
    items = {
        row[0]: row
        for row in session.exec(
            select(
                AgendaItem.id,
                AgendaItem.meeting_id,
                AgendaItem.title,
                AgendaItem.lead_person_id,
                AgendaItem.lead_group,
            ).where(AgendaItem.meeting_id.in_(ids))  # type: ignore[attr-defined]
        ).all()
    }
    bases: dict[tuple[int, int | None], dict] = {}

    def base(meeting_id: int, item_id: int | None) -> dict:
        key = (meeting_id, item_id)
        got = bases.get(key)
        if got is not None:
            return got
        (day, body_id), item = meetings[meeting_id], items.get(item_id) if item_id else None
        body = bodies[body_id]
        got = bases[key] = {
            "meeting_id": f"m{meeting_id}",
            "meeting_date": day,
            "body_kind": body.kind,
            "workstream": body.workstream,
            "programme": str(body.programme_id or ""),
            "item_id": record_id("agenda_item", item[0]) if item else None,
            "item_title": item[2] if item else "",
            "item_lead_person_id": str(item[3]) if item and item[3] else None,
            "item_lead_is_lxp": bool(item and (is_lxp(item[3]) or item[4] == Group.LXP)),
        }
        return got

    for item_id, meeting_id, title, _, _ in items.values():
        records.append(
            Record(
                id=record_id("agenda_item", item_id or 0),
                kind="agenda_item",
                text=title,
                **base(meeting_id, item_id),
            )
        )
    rows = session.exec(
        select(
            Contribution.id,
            Contribution.meeting_id,
            Contribution.agenda_item_id,
            Contribution.text,
            Contribution.speaker_person_id,
            Contribution.speaker_group,
        ).where(Contribution.meeting_id.in_(ids))  # type: ignore[attr-defined]
    ).all()
    for row_id, meeting_id, item_id, text, speaker, group in rows:
        records.append(
            Record(
                id=record_id("contribution", row_id or 0),
                kind="contribution",
                text=text,
                speaker_person_id=str(speaker) if speaker else None,
                speaker_group=group,
                speaker_is_lxp=is_lxp(speaker) or group == Group.LXP,
                speaker_names=names_of(speaker),
                **base(meeting_id, item_id),
            )
        )
    for model, kind in ((Action, "action"), (Decision, "decision")):
        query = select(model.id, model.meeting_id, model.agenda_item_id, model.text).where(  # type: ignore[attr-defined]
            model.meeting_id.in_(ids)  # type: ignore[attr-defined]
        )
        for row_id, meeting_id, item_id, text in session.exec(query).all():
            records.append(
                Record(
                    id=record_id(kind, row_id or 0),
                    kind=kind,
                    text=text,
                    **base(meeting_id, item_id),
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


def semantic_encoder(settings: Settings, engine: Engine | None = None) -> CachedEncoder | None:
    """Load MiniLM behind the vector cache (in the database when given its engine),
    or None when the extra is missing."""
    from tracker.domain.matching import load_semantic_encoder

    try:
        model = load_semantic_encoder()
    except ImportError:
        return None
    if engine is not None:
        return CachedEncoder(None, model, engine=engine)
    return CachedEncoder(Path(settings.instance_dir) / "vectors.npz", model)


def _matcher_options(
    settings: Settings, engine: Engine | None = None
) -> tuple[MatchSettings, CachedEncoder | None]:
    options = match_settings(settings)
    encoder = None
    if options.method in ("semantic", "hybrid"):
        encoder = semantic_encoder(settings, engine)
        if encoder is None:
            # The optional extra is missing: match with the light method.
            options = replace(options, method="tfidf")
    return options, encoder


@dataclass
class _Sync:
    fresh: int = 0
    removed: int = 0
    kept: int = 0
    candidates: int = 0
    changed: set[int] = field(default_factory=set)  # contributions whose links moved


def _sync_links(
    session: Session, records: list[Record], suggestions: list[LinkSuggestion]
) -> _Sync:
    """Store only the difference between the matcher's suggestions and the links (no commit).

    The matcher weighs words by how rare they are across everything it is
    given (TF-IDF), so one new meeting moves every score a little: only a
    match over all current records gives exactly the links of a full
    rebuild. What is written is the difference.
    """
    existing = {
        (k.contribution_id, k.target_type, k.target_id): k for k in session.exec(select(Link)).all()
    }
    text_of = {r.id: r.text for r in records}
    out = _Sync()
    fresh: set[tuple[int, str, int]] = set()
    frozen = erased_points(session)
    for s in suggestions:
        _, source = split_record_id(s.source_id)
        if source in frozen:
            continue
        kind, target = split_record_id(s.target_id)
        key = (source, kind, target)
        fresh.add(key)
        # Confident links are suggested (they count); uncertain ones are
        # candidates, shown in the chair's check and counting toward nothing.
        status = s.status_hint or "suggested"
        out.candidates += status == vocab.LinkStatus.CANDIDATE
        link = existing.get(key)
        if link is None:
            link = Link(contribution_id=source, target_type=kind, target_id=target, status=status)
            existing[key] = link
            out.changed.add(source)
        elif link.status in _MACHINE and link.status != status:
            link.status = status
            out.changed.add(source)
        if link.status in _MACHINE:
            score = round(float(s.score), 4)
            if link.score != score:
                out.changed.add(source)
            link.score = score
            link.method = s.method
            link.why = list(s.why)
            link.target_text = text_of.get(s.target_id, "")
            link.confidence = s.confidence
        session.add(link)
    for key, link in list(existing.items()):
        if key[0] in frozen:
            continue
        if link.status not in _MACHINE:
            out.kept += 1
        elif key not in fresh and link.id is not None:
            session.delete(link)
            out.removed += 1
            out.changed.add(link.contribution_id)
    out.fresh = len(fresh)
    session.flush()
    return out


#: Link statuses the matcher owns (a person's decision is never overwritten).
_MACHINE = MACHINE_STATUSES
#: Link statuses that count toward an outcome.
_COUNTS = COUNTING_STATUSES


def rematch(*, session: Session, settings: Settings) -> tuple[MatchSummary, set[int]]:
    """Match, store the difference, recompute outcomes that changed (no commit).

    Returns the summary and the contributions whose links changed.
    """
    options, encoder = _matcher_options(settings, session.get_bind())  # type: ignore[arg-type]
    records = load_records(session)
    decisions = decisions_of(session, session.exec(select(Link)).all())
    # Confirmed links teach the programme's vocabulary (learning.py); an
    # admin may add pairs or switch learned ones off.
    options = replace(
        options, synonyms=programme_synonyms(session, records, decisions.confirmed, options)
    )
    # Match outside any transaction: on SQLite every transaction holds the
    # write lock, and uploads must not wait for the matcher. A change stored
    # meanwhile queued its own refresh; people's decisions are re-read below.
    session.commit()
    suggestions = suggest_links(records, options, encoder=encoder, decisions=decisions)
    got = _sync_links(session, records, suggestions)
    counts = recompute_outcomes(
        session=session, records=records, window_days=settings.match_window_days
    )
    # Outcomes of points that are no longer LXP input (or no longer current).
    lxp = {
        split_record_id(r.id)[1] for r in records if r.kind == "contribution" and is_lxp_input(r)
    }
    frozen = erased_points(session)
    for row in session.exec(select(Outcome)).all():
        if (
            row.contribution_id not in lxp | frozen
            and row.status != vocab.Outcome.NOT_TAKEN_FORWARD
        ):
            session.delete(row)
    update_agenda_requests(session)
    if encoder is not None:
        encoder.save(session)  # in this transaction (the cache is in the database)
    summary = MatchSummary(
        got.fresh - got.candidates, got.removed, got.kept, counts, options.method, got.candidates
    )
    return summary, got.changed


def run_matching(*, session: Session, settings: Settings, actor: str = "cli") -> MatchSummary:
    """Full rebuild: propose links for every LXP point, keep people's decisions,
    recompute outcomes, and clear the refresh jobs it made unnecessary."""
    # Jobs queued from here on are left for the next refresh.
    last_job = session.exec(select(func.max(RefreshJob.id))).one() or 0
    summary, _ = rematch(session=session, settings=settings)
    record_event(
        session,
        actor=actor,
        action="links.match",
        suggested=summary.suggested,
        candidates=summary.candidates,
        removed=summary.removed,
    )
    for job in session.exec(select(RefreshJob).where(RefreshJob.id <= last_job)).all():
        session.delete(job)
    session.commit()
    return summary


def programme_synonyms(
    session: Session,
    records: list[Record],
    confirmed: Iterable[tuple[str, str]],
    options: MatchSettings,
) -> dict[str, tuple[str, ...]]:
    """The glossary in force: shipped and config, learned pairs, an admin's edits."""
    edits = session.exec(select(GlossaryPair)).all()
    removed = {(e.phrase, e.variant) for e in edits if e.status == "removed"}
    extra: dict[str, list[str]] = defaultdict(list)
    for phrase, variant, _ in glossary_pairs(records, confirmed, options.synonyms):
        if (phrase, variant) not in removed:
            extra[phrase].append(variant)
    for e in edits:
        if e.status == "added":
            extra[e.phrase].append(e.variant)
    return merge_synonyms(options.synonyms, extra)


def learned_glossary(*, session: Session, settings: Settings) -> list[tuple[str, str, int]]:
    """Phrase pairs the programme's confirmed links taught: (point word, record word, links)."""
    records = load_records(session)
    decisions = decisions_of(session, session.exec(select(Link)).all())
    return glossary_pairs(records, decisions.confirmed, match_settings(settings).synonyms)


def decisions_of(session: Session, links: Iterable[Link]) -> Decisions:
    """People's decisions, as the matcher takes them into account: confirmed and
    rejected links, and the chair's "none of these" for a point at a meeting."""
    pairs: dict[str, set[tuple[str, str]]] = {"confirmed": set(), "rejected": set()}
    for k in links:
        if k.status in pairs:
            pairs[k.status].add(
                (
                    record_id("contribution", k.contribution_id),
                    record_id(k.target_type, k.target_id),
                )
            )
    none_of = frozenset(
        (record_id("contribution", point), f"m{meeting}")
        for point, meeting in session.exec(
            select(PointCheck.contribution_id, PointCheck.meeting_id).where(
                PointCheck.result == "none"
            )
        ).all()
    )
    return Decisions(frozenset(pairs["confirmed"]), frozenset(pairs["rejected"]), none_of)


def erased_points(session: Session) -> set[int]:
    """Contributions of erased people: their words are gone, so their links and
    outcomes stay as they were at erasure (the counts do not change)."""
    return set(
        session.exec(
            select(Contribution.id)
            .join(Person, Person.id == Contribution.speaker_person_id)
            .where(Person.erased_at != None)  # noqa: E711
        ).all()
    )


def _chunks(values: list[int], size: int = 5000) -> Iterable[list[int]]:
    for i in range(0, len(values), size):
        yield values[i : i + size]


def basis_of(
    status: str,
    source: Record,
    confirmed_traces: Sequence[Record],
    later_governance: Sequence[date],
    checkable: Sequence[tuple[str, date]],
    checked_none: set[str],
    window_days: int,
) -> str:
    """``confirmed`` when a person stands behind the outcome, else ``suggested``.

    acted or heard: the links people confirmed give that outcome on their
    own; not-taken-forward: a person recorded it; lost: the chair checked
    every later governance or working meeting of the window (``checkable``:
    meeting id and date) and found none.
    """
    if status == vocab.Outcome.NOT_TAKEN_FORWARD:
        return "confirmed"
    if status in ("acted", "heard"):
        alone = classify_outcome(source, confirmed_traces, later_governance).status
        return "confirmed" if alone == status else "suggested"
    if status == vocab.Outcome.LOST:
        day, end = source.meeting_date, source.meeting_date.toordinal() + window_days
        due = {m for m, when in checkable if when > day and when.toordinal() <= end}
        return "confirmed" if due and due <= checked_none else "suggested"
    return "suggested"


def recompute_outcomes(
    *,
    session: Session,
    records: list[Record] | None = None,
    window_days: int = DEFAULT_WINDOW_DAYS,
    only: Iterable[int] | None = None,
) -> dict[str, int]:
    """Classify LXP contributions from their counting links (no commit).

    ``records`` limits the work to the points among them (one workstream's
    records, for a refresh); ``only`` to those contribution ids. Only rows
    whose outcome changed are written.
    """
    records = load_records(session) if records is None else records
    wanted = set(only) if only is not None else None
    by_id = {r.id: r for r in records}
    frozen = erased_points(session)
    points = [
        r
        for r in records
        if r.kind == "contribution"
        and is_lxp_input(r)
        and split_record_id(r.id)[1] not in frozen
        and (wanted is None or split_record_id(r.id)[1] in wanted)
    ]
    ids = [split_record_id(r.id)[1] for r in points]
    traces: dict[str, list[Record]] = defaultdict(list)
    confirmed: dict[str, list[Record]] = defaultdict(list)
    checks: dict[int, set[str]] = defaultdict(set)
    stored: dict[int, Outcome] = {}
    for chunk in _chunks(ids):
        for link in session.exec(
            select(Link).where(
                Link.contribution_id.in_(chunk),  # type: ignore[attr-defined]
                Link.status.in_(_COUNTS),  # type: ignore[attr-defined]
            )
        ).all():
            target = by_id.get(record_id(link.target_type, link.target_id))
            if target is not None:
                source = record_id("contribution", link.contribution_id)
                traces[source].append(target)
                if link.status == vocab.LinkStatus.CONFIRMED:
                    confirmed[source].append(target)
        for check in session.exec(
            select(PointCheck).where(
                PointCheck.contribution_id.in_(chunk),  # type: ignore[attr-defined]
                PointCheck.result == "none",
            )
        ).all():
            checks[check.contribution_id].add(f"m{check.meeting_id}")
        for row in session.exec(
            select(Outcome).where(Outcome.contribution_id.in_(chunk))  # type: ignore[attr-defined]
        ).all():
            stored[row.contribution_id] = row
    # A governance meeting has sat even if its minutes recorded nothing; any
    # governance or working meeting can be checked.
    # Keyed by (programme, workstream): another programme's meetings never count.
    governance: dict[tuple[str, str], list[date]] = defaultdict(list)
    checkable: dict[tuple[str, str], list[tuple[str, date]]] = defaultdict(list)
    query = (
        select(Meeting.id, Meeting.date, Body.programme_id, Body.workstream, Body.kind)
        .join(Body, Body.id == Meeting.body_id)
        .where(Meeting.is_current == True, Body.kind != BodyKind.CATCH_UP)  # noqa: E712
    )
    for meeting_id, when, programme, workstream, kind in session.exec(query).all():
        key = (str(programme or ""), workstream)
        if kind == BodyKind.GOVERNANCE:
            governance[key].append(when)
        checkable[key].append((f"m{meeting_id}", when))
    governance = {w: sorted(set(d)) for w, d in governance.items()}
    counts: dict[str, int] = defaultdict(int)
    now = utcnow()
    for r, cid in zip(points, ids, strict=True):
        row = stored.get(cid)
        reason = (
            row.reason
            if row is not None and row.status == vocab.Outcome.NOT_TAKEN_FORWARD
            else None
        )
        stream = (r.programme, r.workstream)
        later = [d for d in governance.get(stream, []) if d > r.meeting_date]
        result = classify_outcome(r, traces.get(r.id, []), later, reason)
        basis = basis_of(
            result.status,
            r,
            confirmed.get(r.id, []),
            later,
            checkable.get(stream, []),
            checks.get(cid, set()),
            window_days,
        )
        counts[result.status] += 1
        if row is None:
            row = Outcome(contribution_id=cid, status=result.status)
        elif (
            row.status == result.status
            and row.credited == result.credited
            and row.days_to_first_trace == result.days_to_first_trace
            and row.basis == basis
        ):
            continue
        row.status, row.credited = result.status, result.credited
        row.days_to_first_trace = result.days_to_first_trace
        row.basis = basis
        row.computed_at = now
        session.add(row)
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
    recompute_points(session, [link.contribution_id])
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
    row.basis = "confirmed"
    row.set_by, row.set_at = actor, utcnow()
    session.add(row)
    record_event(
        session,
        actor=actor,
        action="outcome.not-taken-forward",
        object_type="contribution",
        object_id=contribution_id,
    )
    session.flush()
    recompute_points(session, [contribution_id])
    session.commit()
    return row


def withdraw_not_taken_forward(
    *, session: Session, contribution_id: int, actor: str = "cli"
) -> Outcome:
    """Withdraw a recorded not-taken-forward; the links decide the outcome again."""
    row = session.get(Outcome, contribution_id)
    if row is None or row.status != vocab.Outcome.NOT_TAKEN_FORWARD:
        raise BadInput(f"contribution {contribution_id} is not recorded as not taken forward")
    row.reason, row.set_by, row.set_at = None, actor, utcnow()
    row.status = "awaiting"  # placeholder until recomputed just below
    session.add(row)
    record_event(
        session,
        actor=actor,
        action="outcome.not-taken-forward-withdrawn",
        object_type="contribution",
        object_id=contribution_id,
    )
    session.flush()
    recompute_points(session, [contribution_id])
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
                Outcome.status == vocab.Outcome.NOT_TAKEN_FORWARD,
            )
        ).all()
    }
    wanted: dict[str, set[int]] = {kind: set() for kind in MODEL_OF_KIND}
    for link in links:
        if link.status in MACHINE_STATUSES:
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
        if link.status in MACHINE_STATUSES:
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
