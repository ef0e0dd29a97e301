"""Figures for programme leads, aggregated in SQL from the same rows as the export.

Every figure here follows the definitions behind ``tracker export``
(services.export.build_export): only current meetings count; an LXP point is a
contribution with an Outcome row; a statement is *attributed* when the
minutes name a speaker person or group; an agenda item is *LXP-led* when its
lead is a person whose role is ``lxp`` or the LXP group. tests/services/
test_dashboard.py recomputes each figure from the export and compares.

Each screen section is a ``Table``: the page renders it (charts are drawn from
the table by static/dashboard.js), and the CSV and JSON downloads write it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import String, and_, cast, func, literal_column, or_
from sqlalchemy.sql import ColumnElement, Select
from sqlmodel import Session, select

from tracker.domain import vocab
from tracker.domain.disclosure import NOT_QUOTED as NOT_QUOTED  # one wording, re-exported
from tracker.domain.disclosure import Audience
from tracker.errors import BadInput, NotFound
from tracker.models import (
    AgendaItem,
    Body,
    Contribution,
    Meeting,
    Outcome,
    Person,
    Priority,
    utcnow,
)
from tracker.numbers import is_number
from tracker.services.audit import record_event
from tracker.services.evidence import evidence_of, people_of, said_by, show
from tracker.services.priorities import moved_views, tagged_outcomes
from tracker.services.scope import Scope, check_body, same_programme, scope_bodies, scope_meetings

OUTCOMES: tuple[tuple[str, str], ...] = tuple(vocab.OUTCOME_LABELS.items())
# Groups smaller than this are never shown, so no one can be singled out.
MIN_GROUP = 5
PAGE_SIZE = 50


@dataclass(frozen=True)
class Filters:
    """What the lead asked to see: a period, a workstream, a body."""

    start: date | None = None
    end: date | None = None
    workstream: str | None = None
    body_id: int | None = None
    # Programme ids the viewer may see (None: all); set from the sign-in by
    # tracker.services.scope, never from the query string.
    programmes: frozenset[int] | None = None

    def as_dict(self) -> dict[str, Any]:
        """Plain values, for the audit trail and JSON downloads."""
        return {
            "from": self.start.isoformat() if self.start else None,
            "to": self.end.isoformat() if self.end else None,
            "workstream": self.workstream,
            "body_id": self.body_id,
        }

    def query_args(self) -> dict[str, str]:
        """The filters as query-string arguments (for links and downloads).

        The period is always there, empty for an open end, so that a link
        from the all-time view stays all time (no period at all means the
        default period).
        """
        out = {k: str(v) for k, v in self.as_dict().items() if v not in (None, "")}
        out.setdefault("from", "")
        out.setdefault("to", "")
        return out


def parse_filters(args: Mapping[str, str]) -> Filters:
    """Read filters from a query string; raise BadInput with a plain message."""

    def day(name: str) -> date | None:
        value = (args.get(name) or "").strip()
        if not value:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise BadInput(f"'{name}' must be a date written as YYYY-MM-DD") from None

    start, end = day("from"), day("to")
    if start and end and start > end:
        raise BadInput("the 'from' date is after the 'to' date")
    body = (args.get("body_id") or "").strip()
    if body and not is_number(body):
        raise BadInput("'body_id' must be a number")
    return Filters(
        start=start,
        end=end,
        workstream=(args.get("workstream") or "").strip() or None,
        body_id=int(body) if body else None,
    )


FILTER_KEYS = ("from", "to", "workstream", "body_id")


def default_filters(session: Session, today: date | None = None) -> Filters:
    """The twelve months to today; all time when no minutes fall in them.

    (Following the newest minutes instead would let one upload dated in
    another year hide everything else.)
    """
    today = today or utcnow().date()
    start = today - timedelta(days=364)
    found = session.exec(
        select(Meeting.id)
        .where(
            Meeting.is_current == True,  # noqa: E712
            Meeting.date >= start,
            Meeting.date <= today,
        )
        .limit(1)
    ).first()
    if found is None:
        return Filters()
    return Filters(start=start, end=today)


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = "int"  # int | pct | days | text | date


@dataclass
class Table:
    """One section of the dashboard: rows the page, charts and downloads share."""

    key: str
    caption: str
    columns: tuple[Column, ...]
    rows: list[dict[str, Any]]
    chart: str | None = None  # stacked | line | None (no chart)
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form of the table."""
        return {
            "key": self.key,
            "caption": self.caption,
            "columns": [asdict(c) for c in self.columns],
            "rows": self.rows,
            "note": self.note,
        }


@dataclass
class Dashboard:
    filters: Filters
    headline: dict[str, Any]
    tables: list[Table] = field(default_factory=list)

    def table(self, key: str) -> Table:
        """Return one table by key; NotFound if there is none."""
        for t in self.tables:
            if t.key == key:
                return t
        raise NotFound(f"no table {key!r}")


# ------------------------------------------------------------------ scope


def _scoped(query: Select[Any], filters: Filters) -> Select[Any]:
    """Limit a query that already joins Meeting to the chosen meetings."""
    query = scope_meetings(query.where(Meeting.is_current == True), filters.programmes)  # noqa: E712
    if filters.start:
        query = query.where(Meeting.date >= filters.start)
    if filters.end:
        query = query.where(Meeting.date <= filters.end)
    if filters.body_id is not None:
        query = query.where(Meeting.body_id == filters.body_id)
    if filters.workstream:
        ids = select(Body.id).where(Body.workstream == filters.workstream)
        query = query.where(Meeting.body_id.in_(ids))  # type: ignore[attr-defined]
    return query


def _outcome_query(*columns: Any) -> Select[Any]:
    return (
        select(*columns)
        .select_from(Outcome)
        .join(Contribution, Contribution.id == Outcome.contribution_id)
        .join(Meeting, Meeting.id == Contribution.meeting_id)
    )


def _rows(session: Session, query: Select[Any]) -> list[Any]:
    return list(session.connection().execute(query).all())


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _median(histogram: Counter[int]) -> float | None:
    """Median of a days histogram (statistics.median on the expanded values)."""
    n = sum(histogram.values())
    if not n:
        return None
    ordered = sorted(histogram.items())

    def nth(k: int) -> int:
        seen = 0
        for value, count in ordered:
            seen += count
            if k < seen:
                return value
        raise AssertionError("unreachable")

    if n % 2:
        return float(nth(n // 2))
    return (nth(n // 2 - 1) + nth(n // 2)) / 2


def _is_lxp_lead() -> ColumnElement[bool]:
    lxp_people = select(Person.id).where(Person.role == vocab.PersonRole.LXP)
    return or_(
        AgendaItem.lead_group == vocab.Group.LXP,
        AgendaItem.lead_person_id.in_(lxp_people),  # type: ignore[union-attr]
    )


def _attributed() -> ColumnElement[bool]:
    return or_(
        Contribution.speaker_person_id.is_not(None),  # type: ignore[union-attr]
        Contribution.speaker_group.is_not(None),  # type: ignore[union-attr]
    )


# --------------------------------------------------------------- sections

OUTCOME_COLUMNS = tuple(Column(key, label) for key, label in OUTCOMES)


def _count_if(condition: ColumnElement[bool]) -> Any:
    """count(*) FILTER (WHERE ...): cheaper per row than sum(CASE ...) on both databases."""
    return func.count().filter(condition)


def _joined_days(session: Session) -> Any:
    """Days to first trace of a group's points, comma-joined (NULLs skipped).

    Carrying the days in the same pass as the outcome counts saves a second
    join of 100k rows; the medians are then exact, from the full histogram.
    """
    days = Outcome.days_to_first_trace
    if session.get_bind().dialect.name == "postgresql":
        return func.string_agg(cast(days, String), literal_column("','"))
    return func.group_concat(days)


@dataclass(frozen=True)
class _Scope:
    """The chosen meetings: id -> (body id, YYYY-MM), and the same as a subquery."""

    meetings: dict[int, tuple[int, str]]
    ids: Select[Any]


def _scope(session: Session, filters: Filters) -> _Scope:
    query = _scoped(select(Meeting.id, Meeting.body_id, Meeting.date), filters)
    meetings = {mid: (bid, day.isoformat()[:7]) for mid, bid, day in _rows(session, query)}
    return _Scope(meetings, _scoped(select(Meeting.id), filters))


# Each query below groups by meeting only, with filtered counts, so the
# database walks an index in meeting order and never sorts 100k rows; the
# (at most a few thousand) per-meeting rows are then added up by body and
# month here, a column at a time with the built-in sum().


@dataclass
class _Sums:
    """Per-meeting rows of numbers, added up by body, by month and in all."""

    by_body: dict[int, list[int]]
    by_month: dict[str, list[int]]
    total: list[int]


def _sum_meetings(scope: _Scope, rows: list[Any], width: int) -> _Sums:
    """Add up rows of (meeting id, n1 .. n_width) by the meeting's body and month."""
    body_rows: dict[int, list[Any]] = defaultdict(list)
    month_rows: dict[str, list[Any]] = defaultdict(list)
    meetings = scope.meetings
    for row in rows:
        body_id, mon = meetings[row[0]]
        body_rows[body_id].append(row)
        month_rows[mon].append(row)

    def add(group: list[Any]) -> list[int]:
        columns = list(zip(*group, strict=True))[1 : width + 1]
        return [int(sum(column)) for column in columns]

    by_body = {b: add(group) for b, group in body_rows.items()}
    return _Sums(
        by_body,
        {m: add(group) for m, group in month_rows.items()},
        [sum(column) for column in zip(*by_body.values(), strict=True)] if by_body else [0] * width,
    )


def _histogram(joined: list[str]) -> Counter[int]:
    """Days histogram from comma-joined day lists (counted as strings, in C)."""
    text = ",".join(joined)
    if not text:
        return Counter()
    return Counter({int(k): n for k, n in Counter(text.split(",")).items()})


def _outcome_tables(
    session: Session, scope: _Scope, bodies: dict[int, Body]
) -> tuple[Table, Table, Table, dict[str, Any]]:
    keys = ["points", *(key for key, _ in OUTCOMES), "credited", "uncredited"]
    query = (
        select(
            Contribution.meeting_id,
            func.count(),
            *(_count_if(Outcome.status == key) for key, _ in OUTCOMES),
            _count_if(Outcome.credited == True),  # noqa: E712
            _count_if(
                and_(
                    Outcome.credited == False,  # noqa: E712
                    Outcome.status.in_(("acted", "heard")),  # type: ignore[attr-defined]
                )
            ),
            _joined_days(session),
        )
        .select_from(Contribution)
        .join(Outcome, Outcome.contribution_id == Contribution.id)
        .where(Contribution.meeting_id.in_(scope.ids))  # type: ignore[attr-defined]
        .group_by(Contribution.meeting_id)
    )
    rows = _rows(session, query)
    sums = _sum_meetings(scope, rows, len(keys))
    days_body: dict[int, list[str]] = defaultdict(list)
    days_month: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        days = row[-1]
        if days:
            body_id, mon = scope.meetings[row[0]]
            days_body[body_id].append(days)
            days_month[mon].append(days)
    hist_body = {b: _histogram(d) for b, d in days_body.items()}
    hist_month = {m: _histogram(d) for m, d in days_month.items()}
    hist_all: Counter[int] = Counter()
    for hist in hist_body.values():
        hist_all.update(hist)

    def row(numbers: list[int], hist: Counter[int] | None) -> dict[str, Any]:
        out: dict[str, Any] = dict(zip(keys, numbers, strict=True))
        out["median_days"] = _median(hist) if hist else None
        return out

    # Every meeting row has at least one point (an inner join), so every body
    # and month seen here has points.
    by_body, by_month = sums.by_body, sums.by_month
    total = row(sums.total, hist_all)
    body_rows = [
        {"body": bodies[b].name, "body_id": b, "workstream": bodies[b].workstream}
        | row(by_body[b], hist_body.get(b))
        for b in sorted(by_body, key=lambda b: bodies[b].name)
    ]
    if body_rows:
        body_rows.append(
            {"body": "All selected bodies", "body_id": None, "workstream": "", "total": True}
            | total
        )
    tail = (
        Column("credited", "Credited"),
        Column("uncredited", "Taken up, not credited"),
        Column("median_days", "Median days to first trace", "days"),
    )
    outcomes = Table(
        "outcomes",
        "LXP points by outcome, for each body where they were raised",
        (Column("body", "Body", "text"), Column("points", "LXP points"), *OUTCOME_COLUMNS, *tail),
        body_rows,
        note="Median days counts only points that were traced to a later meeting.",
    )
    trend = Table(
        "outcomes_by_month",
        "LXP points by outcome, by month raised",
        (Column("month", "Month", "text"), *OUTCOME_COLUMNS, Column("points", "All points")),
        [{"month": m} | row(by_month[m], hist_month.get(m)) for m in sorted(by_month)],
        chart="stacked",
    )
    response = Table(
        "response_by_month",
        "Median days from an LXP point to its first trace, by month raised",
        (
            Column("month", "Month", "text"),
            Column("traced", "Points traced"),
            Column("median_days", "Median days", "days"),
        ),
        [
            {
                "month": m,
                "traced": sum(hist_month[m].values()),
                "median_days": _median(hist_month[m]),
            }
            for m in sorted(hist_month)
        ],
        chart="line",
    )
    return outcomes, trend, response, total


def _pair_sums(session: Session, scope: _Scope, query: Select[Any]) -> _Sums:
    """Add up per-meeting (count, matching) pairs by body and by month."""
    return _sum_meetings(scope, _rows(session, query), 2)


def _attribution_tables(
    session: Session, scope: _Scope, bodies: dict[int, Body]
) -> tuple[Table, Table, dict[str, Any]]:
    query = (
        select(Contribution.meeting_id, func.count(), _count_if(_attributed()))
        .where(Contribution.meeting_id.in_(scope.ids))  # type: ignore[attr-defined]
        .group_by(Contribution.meeting_id)
    )
    sums = _pair_sums(session, scope, query)
    by_body, by_month = sums.by_body, sums.by_month
    columns = (
        Column("statements", "Statements recorded"),
        Column("attributed", "Say who spoke"),
        Column("share", "Share attributed", "pct"),
    )

    def row(pair: list[int]) -> dict[str, Any]:
        return {"statements": pair[0], "attributed": pair[1], "share": _rate(pair[1], pair[0])}

    body_rows = [
        {"body": bodies[b].name, "body_id": b, "kind": bodies[b].kind} | row(by_body[b])
        for b in sorted(by_body, key=lambda b: bodies[b].name)
    ]
    per_body = Table(
        "attribution",
        "Record-keeping: share of statements in each body's minutes that say who spoke",
        (Column("body", "Body", "text"), Column("kind", "Kind", "text"), *columns),
        body_rows,
        note="A statement counts as attributed when the minutes name a person or a group.",
    )
    trend = Table(
        "attribution_by_month",
        "Share of statements that say who spoke, by month",
        (Column("month", "Month", "text"), *columns),
        [{"month": m} | row(by_month[m]) for m in sorted(by_month)],
        chart="line",
    )
    return per_body, trend, row(sums.total)


def _led_items_tables(
    session: Session, scope: _Scope, bodies: dict[int, Body]
) -> tuple[Table, Table, dict[str, Any]]:
    query = (
        select(AgendaItem.meeting_id, func.count(), _count_if(_is_lxp_lead()))
        .where(AgendaItem.meeting_id.in_(scope.ids))  # type: ignore[attr-defined]
        .group_by(AgendaItem.meeting_id)
    )
    sums = _pair_sums(session, scope, query)
    by_body, by_month = sums.by_body, sums.by_month
    columns = (
        Column("items", "Agenda items"),
        Column("lxp_led", "Led by LXPs"),
        Column("share", "Share led by LXPs", "pct"),
    )

    def row(pair: list[int]) -> dict[str, Any]:
        return {"items": pair[0], "lxp_led": pair[1], "share": _rate(pair[1], pair[0])}

    per_body = Table(
        "lxp_led_items",
        "Agenda items led by LXPs, for each body",
        (Column("body", "Body", "text"), *columns),
        [
            {"body": bodies[b].name, "body_id": b} | row(by_body[b])
            for b in sorted(by_body, key=lambda b: bodies[b].name)
        ],
        note="An item is LXP-led when the minutes name an LXP, or the LXP group, as its lead.",
    )
    trend = Table(
        "lxp_led_items_by_month",
        "Agenda items led by LXPs, by month",
        (Column("month", "Month", "text"), *columns),
        [{"month": m} | row(by_month[m]) for m in sorted(by_month)],
        chart="stacked-pair",
    )
    return per_body, trend, row(sums.total)


def _voices_tables(session: Session, scope: _Scope) -> tuple[Table, Table]:
    query = (
        select(
            Contribution.speaker_person_id,
            func.count(),
            _count_if(Outcome.status == vocab.Outcome.LOST),
            _count_if(Outcome.credited == True),  # noqa: E712
        )
        .select_from(Contribution)
        .join(Outcome, Outcome.contribution_id == Contribution.id)
        .where(
            Contribution.speaker_person_id.in_(  # type: ignore[union-attr]
                select(Person.id).where(Person.role == vocab.PersonRole.LXP)
            ),
            # "+ 0" keeps SQLite from probing (speaker, meeting) pairs one by
            # one (300 x 2,000 probes); it walks each speaker's range instead.
            (Contribution.meeting_id + 0).in_(scope.ids),
        )
        .group_by(Contribution.speaker_person_id)
    )
    counts: dict[int, Counter[str]] = {}
    for person_id, n, lost, credited in _rows(session, query):
        counts[person_id] = Counter(points=int(n), lost=int(lost), credited=int(credited))
    # Named columns, not Person objects: a programme has hundreds of LXPs.
    people = _rows(
        session,
        select(Person.id, Person.name, Person.erased_at, Person.self_described_group).where(
            Person.id.in_(list(counts))  # type: ignore[union-attr]
        ),
    )
    columns = (
        Column("points", "LXP points"),
        Column("lost", "Lost"),
        Column("lost_rate", "Share lost", "pct"),
        Column("credited", "Credited"),
        Column("credited_rate", "Share credited", "pct"),
    )

    def rates(c: Counter[str]) -> dict[str, Any]:
        return {
            "points": c["points"],
            "lost": c["lost"],
            "lost_rate": _rate(c["lost"], c["points"]),
            "credited": c["credited"],
            "credited_rate": _rate(c["credited"], c["points"]),
        }

    per_lxp = []
    groups: dict[str, Counter[str]] = defaultdict(Counter)
    members: Counter[str] = Counter()
    for pid, person_name, erased_at, self_described in people:
        name = person_name if erased_at is None else f"A former LXP (#{pid})"
        per_lxp.append({"lxp": name, "person_id": pid} | rates(counts[pid]))
        group = (self_described or "").strip() or "Not stated"
        groups[group].update(counts[pid])
        members[group] += 1
    per_lxp.sort(key=lambda r: (-(r["lost_rate"] or 0), r["lxp"]))
    shown = {g: c for g, c in groups.items() if members[g] >= MIN_GROUP}
    hidden = len(groups) - len(shown)
    note = (
        "Groups are as people describe themselves; nothing is inferred. "
        f"Groups of fewer than {MIN_GROUP} people are not shown."
    )
    if hidden:
        note += f" {hidden} group(s) hidden for that reason."
    by_group = Table(
        "voices_by_group",
        "Whose voices get lost: by self-described group",
        (Column("group", "Self-described group", "text"), Column("people", "People"), *columns),
        [{"group": g, "people": members[g]} | rates(c) for g, c in sorted(shown.items())],
        note=note,
    )
    by_lxp = Table(
        "voices_by_lxp",
        "Whose voices get lost: by LXP (points each LXP made in person)",
        (Column("lxp", "LXP", "text"), *columns),
        per_lxp,
        note="Points the LXP group made together are not shown per person.",
    )
    return by_lxp, by_group


def bodies_by_id(session: Session, programmes: Scope = None) -> dict[int, Body]:
    """Every body (of the given programmes), by id."""
    return {b.id: b for b in session.exec(scope_bodies(select(Body), programmes)).all()}  # type: ignore[misc]


def workstreams(session: Session, programmes: Scope = None) -> list[str]:
    """Distinct workstream names (of the given programmes), sorted."""
    query = scope_bodies(select(Body.workstream).distinct(), programmes)
    return sorted(set(session.exec(query).all()))


def build_dashboard(*, session: Session, filters: Filters) -> Dashboard:
    """Compute every section of the dashboard for the chosen filters."""
    if filters.body_id is not None:
        try:
            check_body(session.get(Body, filters.body_id), filters.programmes)
        except NotFound:
            raise NotFound(f"no body {filters.body_id}") from None
    bodies = bodies_by_id(session)
    scope = _scope(session, filters)
    outcomes, outcome_trend, response, extra = _outcome_tables(session, scope, bodies)
    attribution, attribution_trend, attributed = _attribution_tables(session, scope, bodies)
    led, led_trend, led_total = _led_items_tables(session, scope, bodies)
    by_lxp, by_group = _voices_tables(session, scope)
    headline = {
        **extra,
        "lost_rate": _rate(extra["lost"], extra["points"]),
        "statements": attributed["statements"],
        "attributed": attributed["attributed"],
        "attributed_share": attributed["share"],
        "agenda_items": led_total["items"],
        "lxp_led_items": led_total["lxp_led"],
    }
    tables = [
        outcomes,
        outcome_trend,
        response,
        attribution,
        attribution_trend,
        led,
        led_trend,
        by_lxp,
        by_group,
        priorities_table(session=session, filters=filters),
    ]
    return Dashboard(filters=filters, headline=headline, tables=tables)


# ------------------------------------------------------------ drill-down

POINT_KINDS = {"lost": "Lost LXP points", "uncredited": "Points taken up without credit"}


def _point_kind(kind: str) -> ColumnElement[bool]:
    if kind == "lost":
        return Outcome.status == vocab.Outcome.LOST
    if kind == "uncredited":
        return and_(
            Outcome.status.in_(("acted", "heard")),  # type: ignore[attr-defined]
            Outcome.credited == False,  # noqa: E712
        )
    raise NotFound(f"no list {kind!r}; choose lost or uncredited")


@dataclass(frozen=True)
class PointPage:
    kind: str
    title: str
    total: int
    page: int
    pages: int
    rows: list[dict[str, Any]]


def list_points(
    *, session: Session, filters: Filters, kind: str, page: int = 1, per_page: int = PAGE_SIZE
) -> PointPage:
    """Lost or uncredited LXP points, newest first, one page at a time."""
    condition = _point_kind(kind)
    total = _rows(session, _scoped(_outcome_query(func.count()).where(condition), filters))[0][0]
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    # Named columns only: Meeting also holds the whole document, never sort that.
    query = _scoped(
        select(
            Contribution.id,
            Contribution.text,
            Contribution.consent,
            Contribution.is_story,
            Contribution.speaker_person_id,
            Contribution.speaker_group,
            Contribution.speaker_as_written,
            Meeting.date,
            Meeting.body_id,
            Outcome.status,
            Outcome.credited,
            Outcome.days_to_first_trace,
            Outcome.basis,
        )
        .select_from(Outcome)
        .join(Contribution, Contribution.id == Outcome.contribution_id)
        .join(Meeting, Meeting.id == Contribution.meeting_id)
        .where(condition)
        .order_by(Meeting.date.desc(), Contribution.id)  # type: ignore[attr-defined]
        .limit(per_page)
        .offset((page - 1) * per_page),
        filters,
    )
    found = _rows(session, query)
    people = people_of(session, found)
    bodies = bodies_by_id(session)
    rows = []
    for r in found:
        shown = show(r, people, Audience.LEAD)
        rows.append(
            {
                "contribution_id": r.id,
                "date": r.date.isoformat(),
                "body": bodies[r.body_id].name,
                "workstream": bodies[r.body_id].workstream,
                "said_by": said_by(r, people, shown),
                "text": shown.text,
                "outcome": r.status,
                "credited": bool(r.credited),
                "days_to_first_trace": r.days_to_first_trace,
                "basis": r.basis,
            }
        )
    return PointPage(kind, POINT_KINDS[kind], total, page, pages, rows)


def iter_points(*, session: Session, filters: Filters, kind: str) -> Iterable[dict[str, Any]]:
    """Every row of a point list, page by page (for downloads)."""
    page = 1
    while True:
        chunk = list_points(session=session, filters=filters, kind=kind, page=page, per_page=500)
        yield from chunk.rows
        if page >= chunk.pages:
            return
        page += 1


def point_evidence(
    *, session: Session, contribution_id: int, programmes: Scope = None
) -> dict[str, Any]:
    """The evidence behind one LXP point: the point, its meeting, its traces.

    A point of a programme outside ``programmes`` is not found."""
    contribution = session.get(Contribution, contribution_id)
    outcome = session.get(Outcome, contribution_id)
    if contribution is None or outcome is None:
        raise NotFound(f"no LXP point {contribution_id}")
    meeting = session.get(Meeting, contribution.meeting_id)
    if meeting is None or not meeting.is_current:
        raise NotFound(f"no LXP point {contribution_id}")
    bodies = bodies_by_id(session)
    body = bodies[meeting.body_id]
    try:
        check_body(body, programmes)
    except NotFound:
        raise NotFound(f"no LXP point {contribution_id}") from None
    people = people_of(session, [contribution])
    shown = show(contribution, people, Audience.LEAD)
    found = evidence_of(
        session=session, contribution_ids=[contribution_id], audience=Audience.LEAD
    ).get(contribution_id, [])
    traces = [
        {
            "link_id": t.link_id,
            "kind": t.kind,
            "text": t.text,
            "status": t.status,
            "score": t.score,
            "date": t.when.isoformat() if t.when else "",
            "body": t.body_name,
            "meeting_title": t.meeting_title,
        }
        for t in found
    ]
    missed = []
    if outcome.status == vocab.Outcome.LOST:
        later = session.exec(
            select(Meeting)
            .where(
                Meeting.is_current == True,  # noqa: E712
                Meeting.date > meeting.date,
                Meeting.body_id.in_(  # type: ignore[attr-defined]
                    select(Body.id).where(
                        Body.workstream == body.workstream,
                        Body.kind == vocab.BodyKind.GOVERNANCE,
                        *same_programme(body),
                    )
                ),
            )
            .order_by(Meeting.date)
            .limit(20)
        ).all()
        missed = [
            {"date": m.date.isoformat(), "body": bodies[m.body_id].name, "title": m.title}
            for m in later
        ]
    return {
        "contribution_id": contribution.id,
        "text": shown.text,
        "said_by": said_by(contribution, people, shown),
        "outcome": outcome.status,
        "credited": bool(outcome.credited),
        "days_to_first_trace": outcome.days_to_first_trace,
        "basis": outcome.basis,
        "reason": outcome.reason,
        "meeting": {
            "id": meeting.id,
            "date": meeting.date.isoformat(),
            "title": meeting.title,
            "body": body.name,
            "workstream": body.workstream,
            "source_filename": meeting.source_filename,
        },
        "traces": traces,
        "missed_by": missed,
    }


def record_download(
    *, session: Session, actor: str, what: str, filters: Filters, fmt: str, rows: int
) -> None:
    """Audit a download: who, which table, the filters and the row count (never text)."""
    record_event(
        session,
        actor=actor,
        action="dashboard.download",
        object_type="table",
        object_id=what,
        format=fmt,
        filters=filters.as_dict(),
        rows=rows,
    )
    session.commit()


def priorities_table(*, session: Session, filters: Filters) -> Table:
    """The dashboard section: what moved under each priority in the period."""
    query = select(Priority)
    if filters.start:
        query = query.where(Priority.year >= filters.start.year)
    if filters.end:
        query = query.where(Priority.year <= filters.end.year)
    priorities = list(
        session.exec(
            query.order_by(Priority.year.desc(), Priority.overarching.desc(), Priority.id)  # type: ignore[attr-defined]
        ).all()
    )
    views = moved_views(session, _scoped(tagged_outcomes(), filters), priorities)
    rows = [
        {
            "year": v.year,
            "priority": v.title,
            "priority_id": v.id,
            "overarching": "Yes" if v.overarching else "No",
            "points": v.points,
        }
        | {key: v.outcomes.get(key, 0) for key, _ in OUTCOMES}
        for v in views
    ]
    return Table(
        "priorities",
        "What moved under each LXP priority (confirmed points only)",
        (
            Column("year", "Year"),
            Column("priority", "Priority", "text"),
            Column("overarching", "Overarching", "text"),
            Column("points", "Points tagged"),
            *(Column(key, label) for key, label in OUTCOMES),
        ),
        rows,
        note="Only points a person has confirmed under a priority are counted.",
    )
