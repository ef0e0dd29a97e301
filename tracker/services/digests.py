"""Build "you said, we did" digests and lead summaries into the outbox (DigestPeriod).

A round has a period key, the ISO week of its local date ("2021-W11").  For
every LXP who is due, it inserts exactly one DigestPeriod row for that week:
``pending`` with the rendered subject and bodies (a content snapshot), or
``empty`` when nothing is new.  The UNIQUE(person_id, kind, period) constraint
makes a round idempotent: running it twice, or in two processes, adds nothing.

"Since the last digest" comes from the person's last row that was not
``failed`` (sent, queued, unknown or empty): a point or outcome is new if the
meeting that records it is dated after that row's ``covers_to``, or if its
minutes were imported after that row was built (late uploads are not lost).
Outcomes are the stored ones (services/refresh.py keeps them current; a
round first runs any pending refresh). Only a round dated before the newest
minutes of a workstream (``--as-of`` replaying history) works them out again
as of its date, with the same rules, and then calls every trace suggested.
Words for LXPs never state a suggested outcome as fact.
"""

from __future__ import annotations

import logging
import secrets
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from tracker import clock
from tracker.config import Settings
from tracker.domain import vocab
from tracker.domain.disclosure import Audience, Point, Shown, disclose
from tracker.domain.matching import Record, is_lxp_input
from tracker.domain.outcomes import classify_outcome, credits, explanation, headline
from tracker.domain.vocab import COUNTING_STATUSES
from tracker.errors import NotFound
from tracker.mail import RenderedEmail, one_line, render_parts
from tracker.models import (
    AgendaItem,
    Attendee,
    Body,
    Contribution,
    DigestPeriod,
    Link,
    Meeting,
    Outcome,
    Person,
    User,
)
from tracker.services.evidence import point_of
from tracker.services.linking import load_records, record_id, run_matching
from tracker.services.refresh import ensure_current
from tracker.services.scope import programmes_of
from tracker.signing import PREFERENCES, UNSUBSCRIBE, make_token, resolve_secret_key

log = logging.getLogger("tracker.digests")

LXP_DIGEST = "lxp-digest"
LEAD_SUMMARY = "lead-summary"
POSITIVE = ("acted", "heard")
CRITICAL = ("lost", "not-taken-forward")
ORDER = ("acted", "heard", "not-taken-forward", "lost", "awaiting")
#: Digest sections, in order: confirmed outcomes, then suggested ones.
SECTIONS = (
    "acted",
    "heard",
    "taken-up-suggested",
    "not-taken-forward",
    "lost",
    "lost-suggested",
    "awaiting",
)
FREQUENCIES = vocab.FREQUENCIES

SECTION_TEXT = {
    "acted": (
        "Acted on",
        "The chair confirmed that a later decision or action took these points up.",
    ),
    "heard": (
        "Discussed",
        "The chair confirmed that a later meeting discussed these points. "
        "No decision or action is recorded yet.",
    ),
    "taken-up-suggested": (
        "May have been taken up",
        "The minutes of a later meeting seem to take these points up. "
        "The chair has been asked to check.",
    ),
    "not-taken-forward": (
        "Not taken forward",
        "These points were looked at and not taken forward. Here is the reason we were given.",
    ),
    "lost": (
        "No trace found",
        "The chair checked the minutes of the later meetings and did not find these points. "
        "The programme lead has been told.",
    ),
    "lost-suggested": (
        "Not found yet",
        "We have not found these points in the minutes of later meetings yet. "
        "The chair has been asked to check.",
    ),
    "awaiting": (
        "Waiting for a meeting",
        "No decision meeting has sat since you raised these points. We will tell you what happens.",
    ),
}
OUTCOME_WORDS = {
    "acted": "acted on",
    "heard": "discussed",
    "not-taken-forward": "not taken forward",
    "lost": "no trace yet",
    "awaiting": "waiting for a meeting",
}
KIND_LABEL = {kind: vocab.a_record(kind) for kind in vocab.RECORD_KINDS}


def now_utc() -> datetime:
    """Return the current time, aware, in UTC."""
    return clock.now()


def aware(value: datetime | None) -> datetime | None:
    """Treat a naive stored datetime as UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


def iso_week(day: date) -> str:
    """Return the ISO week key of a date, such as 2021-W11."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def day_label(day: date) -> str:
    """Say a date the way people write it: 9 March 2021."""
    return f"{day.day} {day:%B %Y}"


def as_of_for_date(settings: Settings, day: date) -> datetime:
    """Return the round time for a given date: the digest time, local, as UTC."""
    hour, minute = (int(x) for x in settings.digest_time.split(":"))
    local = datetime.combine(day, time(hour, minute), tzinfo=ZoneInfo(settings.timezone))
    return local.astimezone(UTC)


def make_message_id(settings: Settings, kind: str, period: str, person_id: int) -> str:
    """Return a fresh, fixed Message-ID for one outbox row."""
    domain = settings.mail_from.rsplit("@", 1)[-1].strip(" >") or "localhost"
    return f"<{kind}.{period}.{person_id}.{secrets.token_hex(6)}@{domain}>"


# -- facts loaded once per round ----------------------------------------------


@dataclass
class Facts:
    """Everything a round reads, loaded once (a year of minutes fits in memory)."""

    records: dict[str, Record]
    meetings: dict[int, Meeting]
    bodies: dict[int, Body]
    traces: dict[str, list[Record]]
    outcomes: dict[int, Outcome]
    confirmed: dict[str, set[str]]  # point id -> ids of traces a person confirmed
    newest: dict[tuple[str, str], date]  # (programme, workstream) -> its newest minutes
    by_speaker: dict[int, list[Record]]
    led: dict[int, list[AgendaItem]]
    governance: dict[tuple[str, str], list[Meeting]]
    people: dict[int, Person]
    attended: dict[int, set[str]] = field(default_factory=dict)  # person -> meeting ids
    group_points: list[Record] = field(default_factory=list)  # said by the LXP group
    # contribution id -> what the disclosure rule needs (consent, story, speaker)
    points: dict[int, Point] = field(default_factory=dict)
    _status: dict[tuple[str, date], Any] = field(default_factory=dict)

    def meeting_of(self, record: Record) -> Meeting:
        return self.meetings[int(record.meeting_id[1:])]

    def body_name(self, record: Record) -> str:
        return self.bodies[self.meeting_of(record).body_id].name

    def source(self, record: Record) -> Record:
        """The point as the credit rules see it, with its speaker's names."""
        person = self.people.get(int(record.speaker_person_id or 0))
        if person is None or record.speaker_names:
            return record
        return replace(record, speaker_names=(person.name, *person.aliases))

    def basis_as_of(self, record: Record, until: date) -> str:
        """The stored basis, when the stored outcome holds at ``until``."""
        stored = self.outcomes.get(int(record.id[1:]))
        if stored is None or until < self.newest.get(_stream(record), until):
            return "suggested"
        return stored.basis

    def outcome_as_of(self, record: Record, until: date) -> tuple[str, bool, list[Record]]:
        """The stored outcome; classified again only for a date before the newest minutes."""
        key = (record.id, until)
        if key not in self._status:
            source = self.source(record)
            kept = [
                t
                for t in self.traces.get(record.id, [])
                if record.meeting_date < t.meeting_date <= until
            ]
            stored = self.outcomes.get(int(record.id[1:]))
            if stored is not None and until >= self.newest.get(_stream(record), until):
                self._status[key] = (stored.status, stored.credited, kept)
                return self._status[key]  # type: ignore[no-any-return]
            later = [
                m.date
                for m in self.governance.get(_stream(record), [])
                if record.meeting_date < m.date <= until
            ]
            stored = self.outcomes.get(int(record.id[1:]))
            reason = None
            if stored is not None and stored.status == vocab.Outcome.NOT_TAKEN_FORWARD:
                reason = stored.reason
            result = classify_outcome(source, kept, later, reason)
            self._status[key] = (result.status, result.credited, kept)
        return self._status[key]  # type: ignore[no-any-return]

    def first_later_governance(self, record: Record, until: date) -> Meeting | None:
        for meeting in self.governance.get(_stream(record), []):
            if record.meeting_date < meeting.date <= until:
                return meeting
        return None


def _stream(record: Record) -> tuple[str, str]:
    return (record.programme, record.workstream)


def _body_stream(body: Body) -> tuple[str, str]:
    return (str(body.programme_id or ""), body.workstream)


def load_facts(session: Session) -> Facts:
    """Load the current minutes, links and outcomes for one round."""
    records = {r.id: r for r in load_records(session)}
    meetings = {
        m.id: m
        for m in session.exec(select(Meeting).where(Meeting.is_current == True)).all()  # noqa: E712
        if m.id is not None
    }
    bodies = {b.id: b for b in session.exec(select(Body)).all() if b.id is not None}
    people = {p.id: p for p in session.exec(select(Person)).all() if p.id is not None}
    traces: dict[str, list[Record]] = defaultdict(list)
    confirmed: dict[str, set[str]] = defaultdict(set)
    counting = select(Link).where(Link.status.in_(COUNTING_STATUSES))  # type: ignore[attr-defined]
    for link in session.exec(counting).all():
        target = records.get(record_id(link.target_type, link.target_id))
        if target is not None:
            point = record_id("contribution", link.contribution_id)
            traces[point].append(target)
            if link.status == vocab.LinkStatus.CONFIRMED:
                confirmed[point].add(target.id)
    # Keyed by (programme, workstream): another programme's minutes never count.
    newest: dict[tuple[str, str], date] = {}
    for m in meetings.values():
        workstream = _body_stream(bodies[m.body_id])
        newest[workstream] = max(newest.get(workstream, m.date), m.date)
    by_speaker: dict[int, list[Record]] = defaultdict(list)
    for r in records.values():
        if r.kind == "contribution" and r.speaker_person_id and is_lxp_input(r):
            by_speaker[int(r.speaker_person_id)].append(r)
    led: dict[int, list[AgendaItem]] = defaultdict(list)
    items = session.exec(select(AgendaItem).where(AgendaItem.lead_person_id != None)).all()  # noqa: E711
    for item in items:
        if item.meeting_id in meetings and item.lead_person_id is not None:
            led[item.lead_person_id].append(item)
    governance: dict[tuple[str, str], list[Meeting]] = defaultdict(list)
    for m in meetings.values():
        body = bodies[m.body_id]
        if body.kind == vocab.BodyKind.GOVERNANCE:
            governance[_body_stream(body)].append(m)
    for ms in governance.values():
        ms.sort(key=lambda m: (m.date, m.id or 0))
    attended: dict[int, set[str]] = defaultdict(set)
    for person_id, meeting_id in session.exec(
        select(Attendee.person_id, Attendee.meeting_id).where(
            Attendee.person_id != None,  # noqa: E711
            Attendee.status != "apologies",
        )
    ).all():
        if meeting_id in meetings:
            attended[person_id].add(f"m{meeting_id}")
    group_points = sorted(
        (
            r
            for r in records.values()
            if r.kind == "contribution"
            and r.speaker_group == vocab.Group.LXP
            and not r.speaker_person_id
        ),
        key=lambda r: (r.meeting_date, r.id),
    )
    privacy = session.exec(
        select(
            Contribution.id,
            Contribution.text,
            Contribution.consent,
            Contribution.is_story,
            Contribution.speaker_person_id,
            Contribution.speaker_group,
            Contribution.speaker_as_written,
        )
    ).all()
    return Facts(
        points={
            row.id: point_of(row, people.get(row.speaker_person_id or 0))
            for row in privacy
            if row.id is not None
        },
        records=records,
        meetings=meetings,
        bodies=bodies,
        traces=dict(traces),
        confirmed=dict(confirmed),
        newest=newest,
        outcomes={o.contribution_id: o for o in session.exec(select(Outcome)).all()},
        by_speaker=dict(by_speaker),
        led=dict(led),
        governance=dict(governance),
        people=people,
        attended=dict(attended),
        group_points=group_points,
    )


# -- the window: what is new since the last digest ---------------------------


@dataclass(frozen=True)
class Window:
    """What a digest covers: records dated up to ``until`` not told before."""

    until: date
    since: date | None = None  # local date of the last digest's covers_to
    known_at: datetime | None = None  # when the last digest was built

    @property
    def first(self) -> bool:
        return self.since is None

    def is_new(self, day: date, imported_at: datetime | None) -> bool:
        """Tell whether a record of this date and import time is news now."""
        if day > self.until:
            return False
        if self.since is None or day > self.since:
            return True
        imported = aware(imported_at)
        return bool(self.known_at and imported and imported > self.known_at)

    def told_after(self, when: datetime | None) -> bool:
        """Tell whether something set at ``when`` happened after the last digest."""
        if self.known_at is None:
            return True
        when = aware(when)
        return bool(when and when > self.known_at)


def _local_date(value: datetime, settings: Settings) -> date:
    return (aware(value) or value).astimezone(ZoneInfo(settings.timezone)).date()


def window_for(row: DigestPeriod | None, settings: Settings, until: date) -> Window:
    """Return the window that follows the given previous row (None: everything)."""
    if row is None:
        return Window(until=until)
    return Window(
        until=until,
        since=_local_date(row.covers_to, settings),
        known_at=aware(row.created_at),
    )


def last_rows(session: Session, kind: str, before_period: str) -> dict[int, DigestPeriod]:
    """Return each person's latest non-failed row of a kind, before a period."""
    latest = (
        select(DigestPeriod.person_id, func.max(DigestPeriod.covers_to).label("to"))
        .where(
            DigestPeriod.kind == kind,
            DigestPeriod.status != "failed",
            DigestPeriod.period < before_period,
        )
        .group_by(DigestPeriod.person_id)
        .subquery()
    )
    query = select(DigestPeriod).join(
        latest,
        (DigestPeriod.person_id == latest.c.person_id) & (DigestPeriod.covers_to == latest.c.to),
    )
    query = query.where(
        DigestPeriod.kind == kind,
        DigestPeriod.status != "failed",
        DigestPeriod.period < before_period,
    )
    return {row.person_id: row for row in session.exec(query).all()}


def is_due(person: Person, last: DigestPeriod | None, settings: Settings, today: date) -> bool:
    """Tell whether a person's chosen frequency makes a digest due this week."""
    if person.digest_frequency == vocab.Frequency.NEVER:
        return False
    if last is None or person.digest_frequency == vocab.Frequency.WEEKLY:
        return True
    previous = _local_date(last.covers_to, settings)
    if person.digest_frequency == vocab.Frequency.FORTNIGHTLY:
        monday = today - timedelta(days=today.weekday())
        last_monday = previous - timedelta(days=previous.weekday())
        return (monday - last_monday).days >= 14
    # monthly: the first round in each calendar month.
    return (today.year, today.month) != (previous.year, previous.month)


# -- one LXP's digest -----------------------------------------------------------


@dataclass
class Digest:
    """One person's digest, ready to render; ``is_empty`` means send nothing."""

    person: Person
    period: str
    window: Window
    sections: list[dict[str, Any]]
    count_only: dict[str, int]
    led: list[dict[str, str]]
    group: list[dict[str, str]] = field(default_factory=list)  # the LXP group's points

    @property
    def is_empty(self) -> bool:
        return not (self.sections or self.led or self.group or sum(self.count_only.values()))


def _trace_view(facts: Facts, source: Record, trace: Record, sure: bool) -> dict[str, Any]:
    meeting = facts.meeting_of(trace)
    where = f"{facts.bodies[meeting.body_id].name}, {day_label(meeting.date)}"
    # Later contributions may be someone else's words, even their personal
    # story: say only that the point was discussed, and under which item.
    text = (trace.item_title or None) if trace.kind == "contribution" else trace.text
    credited = credits(source, trace)
    return {
        "kind_label": KIND_LABEL.get(trace.kind, "A record"),
        "is_item_title": trace.kind == "contribution",
        "meeting": facts.bodies[meeting.body_id].name,
        "date_label": day_label(meeting.date),
        "text": one_line(text, 500).rstrip(" .") if text else None,
        "credited": credited,
        "credit_note": "The minutes say it came from you or from LXPs."
        if credited
        else "The minutes do not say it came from you.",
        "confirmed": sure,
        "check_note": f"The chair confirmed that the minutes of {where} took this up."
        if sure
        else f"The minutes of {where} seem to take this up; the chair has been asked to check.",
    }


def section_of(status: str, basis: str) -> str:
    """The digest section of an outcome: suggested ones never read as fact."""
    if basis == "confirmed" or status in ("not-taken-forward", "awaiting"):
        return status
    return "taken-up-suggested" if status in POSITIVE else f"{status}-suggested"


def missed_note(facts: Facts, record: Record, until: date, basis: str) -> str:
    """Say what a lost point missed, as a fact only when the chair checked."""
    missed = facts.first_later_governance(record, until)
    where = f"{facts.bodies[missed.body_id].name}, {day_label(missed.date)}" if missed else ""
    if basis == "confirmed":
        return f"The chair checked the minutes of {where} and later meetings: it is not there."
    return f"We have not found it in the minutes of {where} yet; the chair has been asked to check."


def build_digest(
    *, facts: Facts, person: Person, window: Window, period: str, settings: Settings
) -> Digest:
    """Work out what is new for one LXP, honouring consent and preferences."""
    del settings  # reserved: wording may one day depend on settings
    wanted = {"awaiting"}
    if person.digest_positive:
        wanted.update(POSITIVE)
    if person.digest_critical:
        wanted.update(CRITICAL)
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    count_only: dict[str, int] = defaultdict(int)
    for record in sorted(
        facts.by_speaker.get(person.id or 0, []), key=lambda r: (r.meeting_date, r.id)
    ):
        found = _news(facts, record, window, wanted)
        if found is None:
            continue
        status, credited, kept, new_point = found
        contribution_consent = _consent(facts, record)
        if contribution_consent == "count-only":
            count_only[status] += 1
            continue
        source = facts.source(record)
        outcome = facts.outcomes.get(int(record.id[1:]))
        reason = outcome.reason if outcome and status == vocab.Outcome.NOT_TAKEN_FORWARD else None
        basis = facts.basis_as_of(record, window.until)
        sure = facts.confirmed.get(record.id, set()) if basis == "confirmed" else set()
        grouped[section_of(status, basis)].append(
            {
                "date_label": day_label(record.meeting_date),
                "meeting": facts.body_name(record),
                # Their own words, shown to them alone (named or anonymous quote).
                "words": one_line(record.text, 1000),
                "is_new": new_point,
                "credited": credited,
                "reason": one_line(reason or "", 1000),
                "basis": basis,
                "missed": missed_note(facts, record, window.until, basis)
                if status == vocab.Outcome.LOST
                else "",
                "traces": [
                    _trace_view(facts, source, t, t.id in sure)
                    for t in sorted(kept, key=lambda t: (t.meeting_date, t.id))
                ],
            }
        )
    group = []
    attended = facts.attended.get(person.id or 0, set())
    for record in facts.group_points:
        shown = _shown(facts, record, Audience.OTHER_LXP, person.id)
        if record.meeting_id not in attended or not shown.quoted:
            continue  # the group's count-only points and stories are never quoted
        found = _news(facts, record, window, wanted)
        if found is None:
            continue
        status, _, kept, new_point = found
        basis = facts.basis_as_of(record, window.until)
        first = min(kept, key=lambda t: (t.meeting_date, t.id), default=None)
        taken = f"{facts.body_name(first)}, {day_label(first.meeting_date)}" if first else ""
        missed = facts.first_later_governance(record, window.until)
        missed_at = (
            f"{facts.bodies[missed.body_id].name}, {day_label(missed.date)}" if missed else ""
        )
        group.append(
            {
                "date_label": day_label(record.meeting_date),
                "meeting": facts.body_name(record),
                "words": one_line(shown.text, 1000),
                "headline": headline(status, basis),
                "sentence": explanation(status, basis, taken, missed_at),
            }
        )
    sections = []
    for key in SECTIONS:
        if grouped.get(key):
            heading, intro = SECTION_TEXT[key]
            sections.append(
                {"key": key, "heading": heading, "intro": intro, "points": grouped[key]}
            )
    led = []
    for item in sorted(
        facts.led.get(person.id or 0, []), key=lambda i: (facts.meetings[i.meeting_id].date, i.id)
    ):
        meeting = facts.meetings[item.meeting_id]
        if window.is_new(meeting.date, meeting.imported_at):
            led.append(
                {
                    "date_label": day_label(meeting.date),
                    "meeting": facts.bodies[meeting.body_id].name,
                    "title": one_line(item.title, 300),
                }
            )
    return Digest(
        person=person,
        period=period,
        window=window,
        sections=sections,
        count_only={k: v for k, v in count_only.items() if v},
        led=led,
        group=group,
    )


def _news(
    facts: Facts, record: Record, window: Window, wanted: set[str]
) -> tuple[str, bool, list[Record], bool] | None:
    """(status, credited, traces, is a new point) when the point is news now, else None."""
    if record.meeting_date > window.until:
        return None
    meeting = facts.meeting_of(record)
    status, credited, kept = facts.outcome_as_of(record, window.until)
    if status not in wanted:
        return None
    new_point = window.is_new(record.meeting_date, meeting.imported_at)
    if status in POSITIVE:
        news = any(window.is_new(t.meeting_date, facts.meeting_of(t).imported_at) for t in kept)
    elif status == vocab.Outcome.LOST:
        missed = facts.first_later_governance(record, window.until)
        news = missed is not None and window.is_new(missed.date, missed.imported_at)
    elif status == vocab.Outcome.NOT_TAKEN_FORWARD:
        stored = facts.outcomes.get(int(record.id[1:]))
        news = stored is not None and window.told_after(stored.set_at or stored.computed_at)
    else:
        news = False
    if not (new_point or news):
        return None
    return status, credited, kept, new_point


def _point(facts: Facts, record: Record) -> Point:
    return facts.points.get(int(record.id[1:])) or Point(record.text)


def _consent(facts: Facts, record: Record) -> str:
    return _point(facts, record).consent


def _shown(facts: Facts, record: Record, audience: Audience, viewer: int | None = None) -> Shown:
    """The one disclosure rule (tracker/domain/disclosure.py) for a digest."""
    return disclose(_point(facts, record), audience, viewer_person_id=viewer)


def link_urls(settings: Settings, person: Person, secret: str) -> dict[str, str]:
    """Return the person's page, preferences and unsubscribe links (signed)."""
    base = settings.base_url.rstrip("/")
    prefs = make_token(
        secret, PREFERENCES, person_id=person.id or 0, token_version=person.digest_token_version
    )
    stop = make_token(
        secret, UNSUBSCRIBE, person_id=person.id or 0, token_version=person.digest_token_version
    )
    return {
        "me_url": f"{base}/me",
        "preferences_url": f"{base}/digests/preferences/{prefs}",
        "unsubscribe_url": f"{base}/digests/unsubscribe/{stop}",
    }


def render_digest(digest: Digest, settings: Settings, secret: str) -> RenderedEmail:
    """Render a digest into subject, plain text and (unless plain text only) HTML."""
    until = digest.window.until
    monday = until - timedelta(days=until.weekday())
    parts = [f"{n} {OUTCOME_WORDS[k]}" for k in ORDER if (n := digest.count_only.get(k, 0))]
    ctx = {
        "name": one_line(digest.person.name, 80),
        "period": digest.period,
        "week_label": day_label(monday),
        "first": digest.window.first,
        "since_label": day_label(digest.window.since) if digest.window.since else "",
        "sections": digest.sections,
        "count_only_total": sum(digest.count_only.values()),
        "count_only_parts": ", ".join(parts),
        "led": digest.led,
        "group": digest.group,
        "link_days": 30,
        **link_urls(settings, digest.person, secret),
    }
    return render_parts("digest", ctx, plain_text_only=digest.person.digest_plain_text)


# -- lead summaries --------------------------------------------------------------


def _speaker_words(facts: Facts, record: Record) -> tuple[str, str]:
    """Return (who, text) for a lead: the one disclosure rule."""
    shown = _shown(facts, record, Audience.LEAD)
    return shown.who, one_line(shown.text, 500) if shown.quoted else shown.text


def build_lead_summary(
    *, facts: Facts, window: Window, programmes: frozenset[int] | None = None
) -> list[dict[str, Any]]:
    """Return newly lost and uncredited LXP points (of the lead's programmes), by workstream."""
    streams: dict[str, dict[str, list[dict[str, str]]]] = defaultdict(
        lambda: {"lost": [], "uncredited": []}
    )
    for record in sorted(facts.records.values(), key=lambda r: (r.meeting_date, r.id)):
        if record.kind != "contribution" or not is_lxp_input(record):
            continue
        if programmes is not None and record.programme not in {str(p) for p in programmes}:
            continue
        if record.meeting_date > window.until:
            continue
        status, credited, kept = facts.outcome_as_of(record, window.until)
        who, text = _speaker_words(facts, record)
        row = {
            "date_label": day_label(record.meeting_date),
            "meeting": facts.body_name(record),
            "who": who,
            "text": text,
        }
        if status == vocab.Outcome.LOST:
            missed = facts.first_later_governance(record, window.until)
            if missed is not None and window.is_new(missed.date, missed.imported_at):
                row["missed_by"] = f"{facts.bodies[missed.body_id].name}, {day_label(missed.date)}"
                streams[record.workstream]["lost"].append(row)
        elif status in POSITIVE and not credited:
            fresh = [
                t for t in kept if window.is_new(t.meeting_date, facts.meeting_of(t).imported_at)
            ]
            if fresh:
                t = fresh[0]
                row["traced_at"] = f"{facts.body_name(t)}, {day_label(t.meeting_date)}"
                streams[record.workstream]["uncredited"].append(row)
    return [
        {"workstream": name, **lists}
        for name, lists in sorted(streams.items())
        if lists["lost"] or lists["uncredited"]
    ]


def lead_recipients(session: Session) -> list[tuple[Person, frozenset[int] | None]]:
    """Return a Person for each active lead sign-in with an email address, with
    the programmes the lead may see."""
    users = session.exec(
        select(User).where(User.role == vocab.Role.LEAD, User.active == True)  # noqa: E712
    ).all()
    out: list[tuple[Person, frozenset[int] | None]] = []
    for user in users:
        if not user.email:
            continue
        person = session.exec(select(Person).where(Person.email == user.email)).first()
        if person is None:
            # The outbox row needs a person to address; leads without one get
            # a staff record carrying their sign-in email.
            person = Person(name=user.email.split("@")[0], role="staff", email=user.email)
            session.add(person)
            session.flush()
        if person.erased_at is None:
            out.append((person, programmes_of(session, user)))
    return out


# -- a round ---------------------------------------------------------------------


@dataclass
class RoundSummary:
    """What one round queued."""

    period: str
    queued: int = 0
    empty: int = 0
    not_due: int = 0
    already: int = 0
    leads: int = 0

    def summary(self) -> str:
        return (
            f"digests for {self.period}: {self.queued} queued, {self.empty} with nothing new, "
            f"{self.not_due} not due, {self.already} already done; "
            f"{self.leads} lead summaries queued"
        )


def _new_row(
    *,
    settings: Settings,
    person: Person,
    kind: str,
    period: str,
    last: DigestPeriod | None,
    as_of: datetime,
    parts: RenderedEmail | None,
    now: datetime,
) -> DigestPeriod:
    return DigestPeriod(
        person_id=person.id or 0,
        kind=kind,
        period=period,
        covers_from=aware(last.covers_to) if last else None,
        covers_to=as_of,
        status="pending" if parts else "empty",
        message_id=make_message_id(settings, kind, period, person.id or 0),
        subject=parts.subject if parts else "",
        body_text=parts.text if parts else "",
        body_html=parts.html if parts else "",
        next_attempt_at=now if parts else None,
        created_at=now,
    )


def make_current(session: Session, settings: Settings) -> None:
    """Before a round: run pending refreshes; if any failed, rebuild in full."""
    session.commit()  # end any transaction: the refresh uses its own session
    if ensure_current(session.get_bind(), settings):  # type: ignore[arg-type]
        log.warning("refresh jobs failed before a digest round: rebuilding links in full")
        run_matching(session=session, settings=settings, actor="digests")


def prepare_facts(session: Session) -> Facts:
    """Load the facts for a round."""
    return load_facts(session)


def queue_round(
    *,
    session: Session,
    settings: Settings,
    as_of: datetime,
    now: datetime | None = None,
    facts: Facts | None = None,
) -> RoundSummary:
    """Insert this week's DigestPeriod rows: one per due LXP, one per lead."""
    as_of = aware(as_of) or as_of
    now = now or now_utc()
    until = _local_date(as_of, settings)
    period = iso_week(until)
    summary = RoundSummary(period=period)
    if facts is None:
        make_current(session, settings)
    facts = facts or prepare_facts(session)
    secret = resolve_secret_key(settings)
    leads = lead_recipients(session)
    session.commit()

    done = {
        (pid, kind)
        for pid, kind in session.exec(
            select(DigestPeriod.person_id, DigestPeriod.kind).where(DigestPeriod.period == period)
        ).all()
    }
    rows: list[DigestPeriod] = []
    last_lxp = last_rows(session, LXP_DIGEST, period)
    lxps = session.exec(
        select(Person).where(
            Person.role == vocab.PersonRole.LXP,
            Person.email != None,  # noqa: E711
            Person.erased_at == None,  # noqa: E711
        )
    ).all()
    for person in sorted(lxps, key=lambda p: p.id or 0):
        if (person.id, LXP_DIGEST) in done:
            summary.already += 1
            continue
        last = last_lxp.get(person.id or 0)
        if not is_due(person, last, settings, until):
            summary.not_due += 1
            continue
        window = window_for(last, settings, until)
        digest = build_digest(
            facts=facts, person=person, window=window, period=period, settings=settings
        )
        parts = None if digest.is_empty else render_digest(digest, settings, secret)
        rows.append(
            _new_row(
                settings=settings,
                person=person,
                kind=LXP_DIGEST,
                period=period,
                last=last,
                as_of=as_of,
                parts=parts,
                now=now,
            )
        )
        summary.queued += parts is not None
        summary.empty += parts is None

    last_lead = last_rows(session, LEAD_SUMMARY, period)
    for person, programmes in leads:
        if (person.id, LEAD_SUMMARY) in done:
            continue
        last = last_lead.get(person.id or 0)
        window = window_for(last, settings, until)
        streams = build_lead_summary(facts=facts, window=window, programmes=programmes)
        parts = None
        if streams:
            monday = until - timedelta(days=until.weekday())
            ctx = {
                "name": one_line(person.name, 80),
                "week_label": day_label(monday),
                "first": window.first,
                "since_label": day_label(window.since) if window.since else "",
                "streams": streams,
                "dashboard_url": settings.base_url.rstrip("/") + "/dashboard",
            }
            parts = render_parts("lead_summary", ctx)
        rows.append(
            _new_row(
                settings=settings,
                person=person,
                kind=LEAD_SUMMARY,
                period=period,
                last=last,
                as_of=as_of,
                parts=parts,
                now=now,
            )
        )
        summary.leads += parts is not None

    _insert_all(session, rows)
    return summary


def _insert_all(session: Session, rows: list[DigestPeriod]) -> None:
    """Insert rows in one go; if another round raced us, keep what it wrote."""
    session.add_all(rows)
    try:
        session.commit()
        return
    except IntegrityError:
        session.rollback()
    for row in rows:
        fresh = DigestPeriod.model_validate(row.model_dump(exclude={"id"}))
        try:
            with session.begin_nested():
                session.add(fresh)
        except IntegrityError:
            log.info(
                "digest %s %s for person %s already queued", row.kind, row.period, row.person_id
            )
    session.commit()


def preview_digest(
    *, session: Session, settings: Settings, email: str, as_of: datetime | None = None
) -> tuple[Digest, RenderedEmail | None]:
    """Build one LXP's next digest without queueing or sending anything."""
    person = session.exec(select(Person).where(Person.email == email.strip())).first()
    if person is None or person.erased_at is not None:
        raise NotFound(f"no person with email {email.strip()!r}")
    as_of = aware(as_of) or now_utc()
    until = _local_date(as_of, settings)
    period = iso_week(until)
    last = last_rows(session, LXP_DIGEST, period).get(person.id or 0)
    window = window_for(last, settings, until)
    make_current(session, settings)
    digest = build_digest(
        facts=prepare_facts(session),
        person=person,
        window=window,
        period=period,
        settings=settings,
    )
    if digest.is_empty:
        return digest, None
    return digest, render_digest(digest, settings, resolve_secret_key(settings))
