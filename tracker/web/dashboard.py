"""Programme leads: the dashboard, drill-down to evidence, downloads, priorities."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from markupsafe import Markup, escape

from tracker import clock
from tracker.csv_safe import csv_text
from tracker.domain.vocab import Role
from tracker.errors import BadInput, Conflict, NotFound
from tracker.numbers import is_number
from tracker.services import checks
from tracker.services import dashboard as dash
from tracker.services import priorities as prio
from tracker.services.audit import record_and_commit
from tracker.web import get_session, guard_programmes, viewer_programmes
from tracker.web.auth import roles_required
from tracker.web.formats import table_date

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")
bp.before_request(guard_programmes)
LEADS = (Role.LEAD, Role.ADMIN)


@bp.app_template_filter("dash_cell")
def dash_cell(value: Any, kind: str) -> str | Markup:
    """Format one table cell (a Python filter: tables can hold thousands of cells)."""
    if value is None:
        return Markup('<span class="hint">none yet</span>')
    if kind == "pct":
        return f"{value * 100:.1f}%"
    if kind == "days":
        return f"{value:.1f}".removesuffix(".0")
    if kind == "date":
        return table_date(value)
    return str(value)


def _row_html(row: dict[str, Any], columns: Sequence[tuple[str, str]]) -> str:
    cells = []
    for n, (key, kind) in enumerate(columns):
        value = row.get(key)
        shown = escape(dash_cell(value, kind))
        if n == 0:
            cells.append(f'<th scope="row">{shown}</th>')
        elif kind in ("text", "date"):
            cells.append(f"<td>{shown}</td>")
        else:
            raw = "" if value is None else escape(value)
            cells.append(f'<td class="num" data-value="{raw}">{shown}</td>')
    start = '<tr class="total-row">' if row.get("total") else "<tr>"
    return start + "".join(cells) + "</tr>"


@bp.app_template_filter("dash_rows")
def dash_rows(table: dash.Table) -> Markup:
    """A table's body rows as HTML, built in Python: the per-LXP table has hundreds of rows."""
    columns = [(c.key, c.kind) for c in table.columns]
    if not table.rows:
        return Markup(
            f'<tr><td colspan="{len(columns)}">Nothing recorded for this selection.</td></tr>'
        )
    return Markup("\n".join(_row_html(row, columns) for row in table.rows))


def _filters() -> tuple[dash.Filters, str | None]:
    # With no filter in the address at all, show the latest twelve months;
    # an empty 'from' and 'to' (the "All time" link, or cleared dates) shows everything.
    mine = viewer_programmes()
    if not any(key in request.args for key in dash.FILTER_KEYS):
        return replace(dash.default_filters(get_session()), programmes=mine), None
    try:
        return replace(dash.parse_filters(request.args), programmes=mine), None
    except BadInput as exc:
        return dash.Filters(programmes=mine), exc.message


def _choices() -> dict[str, Any]:
    session, mine = get_session(), viewer_programmes()
    bodies = sorted(dash.bodies_by_id(session, mine).values(), key=lambda b: (b.workstream, b.name))
    return {"workstreams": dash.workstreams(session, mine), "bodies": bodies}


@bp.get("/")
@roles_required(*LEADS)
def index() -> str:
    """The dashboard for the chosen period, workstream and body."""
    filters, error = _filters()
    session = get_session()
    board = dash.build_dashboard(session=session, filters=filters)
    requests = checks.agenda_requests(session=session, programmes=filters.programmes)
    return render_template(
        "dashboard/index.html",
        board=board,
        error=error,
        labels=dash.OUTCOMES,
        waiting=checks.waiting_by_body(
            session=session, settings=current_app.config["TRACKER"], programmes=filters.programmes
        ),
        open_requests=sum(r.request.status == "open" for r in requests),
        **_choices(),
    )


@bp.get("/points/<kind>")
@roles_required(*LEADS)
def points(kind: str) -> str:
    """Lost or uncredited LXP points, with links to the evidence."""
    filters, error = _filters()
    page = request.args.get("page", "1")
    listing = dash.list_points(
        session=get_session(),
        filters=filters,
        kind=kind,
        page=int(page) if is_number(page, high=1_000_000) else 1,
    )
    return render_template(
        "dashboard/points.html", listing=listing, filters=filters, error=error, **_choices()
    )


@bp.get("/evidence/<int:contribution_id>")
@roles_required(*LEADS)
def evidence(contribution_id: int) -> str:
    """One LXP point: what was said, where, and every later record that traces it."""
    session = get_session()
    found = dash.point_evidence(
        session=session, contribution_id=contribution_id, programmes=viewer_programmes()
    )
    # Views of one person's point are audited, like exports.
    record_and_commit(
        session,
        actor=g.user.email,
        action="evidence.view",
        object_type="contribution",
        object_id=contribution_id,
    )
    return render_template(
        "dashboard/evidence.html", e=found, labels=dict(dash.OUTCOMES), back=request.args
    )


def _csv(columns: Sequence[tuple[str, str]], rows: Iterable[dict[str, Any]]) -> str:
    return csv_text(
        [label for _, label in columns], ([row.get(key) for key, _ in columns] for row in rows)
    )


def _download(body: str, fmt: str, name: str) -> Response:
    mimetype = "text/csv" if fmt == "csv" else "application/json"
    stamp = clock.today().isoformat()
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.{fmt}"'
    return response


POINT_COLUMNS = (
    ("contribution_id", "Contribution id"),
    ("date", "Date"),
    ("body", "Body"),
    ("workstream", "Workstream"),
    ("said_by", "Said by"),
    ("text", "Point"),
    ("outcome", "Outcome"),
    ("credited", "Credited"),
    ("days_to_first_trace", "Days to first trace"),
    ("basis", "Basis"),
)


@bp.get("/download/<what>.<fmt>")
@roles_required(*LEADS)
def download(what: str, fmt: str) -> Response:
    """CSV or JSON of one table, one point list, or (JSON) the whole dashboard; audited."""
    if fmt not in ("csv", "json"):
        raise NotFound(f"no format {fmt!r}")
    filters = replace(dash.parse_filters(request.args), programmes=viewer_programmes())
    session = get_session()
    if what in dash.POINT_KINDS:
        rows = list(dash.iter_points(session=session, filters=filters, kind=what))
        if fmt == "csv":
            body = _csv(POINT_COLUMNS, rows)
        else:
            body = json.dumps({"filters": filters.as_dict(), "kind": what, "rows": rows}, indent=1)
    else:
        board = dash.build_dashboard(session=session, filters=filters)
        if what == "all":
            if fmt == "csv":
                raise NotFound("the whole dashboard downloads as JSON; pick a table for CSV")
            rows = [r for t in board.tables for r in t.rows]
            body = json.dumps(
                {
                    "filters": filters.as_dict(),
                    "headline": board.headline,
                    "tables": [t.as_dict() for t in board.tables],
                },
                indent=1,
            )
        else:
            table = board.table(what)
            rows = table.rows
            if fmt == "csv":
                body = _csv([(c.key, c.label) for c in table.columns], rows)
            else:
                body = json.dumps({"filters": filters.as_dict(), **table.as_dict()}, indent=1)
    dash.record_download(
        session=session, actor=g.user.email, what=what, filters=filters, fmt=fmt, rows=len(rows)
    )
    return _download(body, fmt, what)


# -------------------------------------------------------------- priorities


def _year() -> int:
    value = request.values.get("year", "")
    return int(value) if is_number(value, low=1900, high=9999) else clock.today().year


def _back(year: int) -> Response:
    return redirect(url_for("dashboard.priorities", year=year), code=303)


@bp.get("/priorities")
@roles_required(*LEADS)
def priorities() -> str:
    """The LXP group's priorities for a year, and suggested tags waiting for a person."""
    year, session = _year(), get_session()
    return render_template(
        "dashboard/priorities.html",
        year=year,
        priorities=prio.list_priorities(session=session, year=year),
        queue=prio.tag_queue(session=session, year=year),
        max_priorities=prio.MAX_PRIORITIES,
        max_overarching=prio.MAX_OVERARCHING,
    )


def _run(action: Any, year: int, done: str) -> Response:
    try:
        action()
    except (BadInput, Conflict) as exc:
        flash(exc.message, "error")
    else:
        flash(done, "success")
    return _back(year)


@bp.post("/priorities")
@roles_required(*LEADS)
def add_priority() -> Response:
    """Record a priority for a year."""
    year = _year()
    return _run(
        lambda: prio.add_priority(
            session=get_session(),
            year=year,
            title=request.form.get("title", ""),
            overarching=request.form.get("overarching") == "yes",
            actor=g.user.email,
        ),
        year,
        "Priority added.",
    )


@bp.post("/priorities/<int:priority_id>")
@roles_required(*LEADS)
def update_priority(priority_id: int) -> Response:
    """Rename a priority, or change whether it is overarching."""
    year = _year()
    return _run(
        lambda: prio.update_priority(
            session=get_session(),
            priority_id=priority_id,
            title=request.form.get("title", ""),
            overarching=request.form.get("overarching") == "yes",
            actor=g.user.email,
        ),
        year,
        "Priority saved.",
    )


@bp.post("/priorities/<int:priority_id>/delete")
@roles_required(*LEADS)
def remove_priority(priority_id: int) -> Response:
    """Remove a priority and its tags."""
    year = _year()
    return _run(
        lambda: prio.remove_priority(
            session=get_session(), priority_id=priority_id, actor=g.user.email
        ),
        year,
        "Priority removed.",
    )


@bp.post("/priorities/suggest")
@roles_required(*LEADS)
def suggest() -> Response:
    """Ask the matcher which of the year's points belong to which priority."""
    year = _year()
    found = prio.suggest_tags(session=get_session(), year=year, actor=g.user.email)
    flash(f"{found} new suggestion(s) to review.", "success")
    return _back(year)


@bp.post("/tags/<int:tag_id>")
@roles_required(*LEADS)
def decide(tag_id: int) -> Response:
    """Confirm or reject one suggested tag."""
    year = _year()
    status = request.form.get("decision", "")
    return _run(
        lambda: prio.decide_tag(
            session=get_session(), tag_id=tag_id, status=status, actor=g.user.email
        ),
        year,
        "Tag confirmed." if status == "confirmed" else "Tag rejected.",
    )
