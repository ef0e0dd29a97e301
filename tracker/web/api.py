"""Read-only JSON API for reporting tools: token auth (Authorization: Bearer).

The same figures as the dashboard, from the same services. CSRF does not
apply: the API only answers GET, and it authenticates by token, not cookie.
Every call is audited with the key's id, the filters and the row count.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, g, jsonify, request

from tracker.errors import BadInput, NotFound, TrackerError
from tracker.numbers import is_number
from tracker.services import api_tokens
from tracker.services import dashboard as dash
from tracker.services.admin import list_bodies
from tracker.services.audit import record_and_commit
from tracker.web import csrf, get_session

bp = Blueprint("api", __name__, url_prefix="/api")
csrf.exempt(bp)
OPENAPI = Path(__file__).resolve().parents[1] / "openapi.json"


def _problem(status: int, title: str, detail: str) -> tuple[Response, int]:
    response = jsonify({"status": status, "title": title, "detail": detail})
    response.mimetype = "application/problem+json"
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="tracker"'
    return response, status


@bp.before_request
def _authenticate() -> tuple[Response, int] | None:
    if request.endpoint == "api.openapi":
        return None
    header = request.headers.get("Authorization", "")
    scheme, _, raw = header.partition(" ")
    token = None
    if scheme.lower() == "bearer":
        token = api_tokens.authenticate(session=get_session(), raw=raw.strip())
    if token is None:
        return _problem(401, "Unauthorised", "Send a valid API key as 'Authorization: Bearer KEY'.")
    g.api_token = token
    return None


def _mine() -> frozenset[int] | None:
    """The key's programme (None: a key for every programme)."""
    pid = g.api_token.programme_id
    return None if pid is None else frozenset({pid})


def _filters() -> dash.Filters:
    return replace(dash.parse_filters(request.args), programmes=_mine())


@bp.errorhandler(TrackerError)
def _tracker_error(exc: TrackerError) -> tuple[Response, int]:
    if isinstance(exc, NotFound):
        return _problem(404, "Not found", exc.message)
    return _problem(400, "Bad request", exc.message)


def _audit(what: str, filters: dash.Filters | None, rows: int) -> None:
    record_and_commit(
        get_session(),
        actor=f"api-key:{g.api_token.id}",
        action="api.read",
        object_type="api",
        object_id=what,
        filters=filters.as_dict() if filters else {},
        rows=rows,
    )


@bp.get("/openapi.json")
def openapi() -> Response:
    """The OpenAPI 3.1 description of this API (no key needed)."""
    return Response(OPENAPI.read_text(encoding="utf-8"), mimetype="application/json")


@bp.get("/v1/summary")
def summary() -> Response:
    """Headline figures for the filters."""
    filters = _filters()
    board = dash.build_dashboard(session=get_session(), filters=filters)
    _audit("summary", filters, 1)
    return jsonify(
        {
            "filters": filters.as_dict(),
            "headline": board.headline,
            "tables": [t.key for t in board.tables],
        }
    )


@bp.get("/v1/tables/<key>")
def table(key: str) -> Response:
    """One dashboard table (columns and rows) for the filters."""
    filters = _filters()
    found = dash.build_dashboard(session=get_session(), filters=filters).table(key)
    _audit(f"table:{key}", filters, len(found.rows))
    return jsonify({"filters": filters.as_dict(), **found.as_dict()})


@bp.get("/v1/points/<kind>")
def points(kind: str) -> Response:
    """Lost or uncredited LXP points, one page at a time (count-only points never quoted)."""
    filters = _filters()
    page = request.args.get("page", "1")
    per_page = request.args.get("per_page", str(dash.PAGE_SIZE))
    if not is_number(page, high=1_000_000) or not is_number(per_page, high=500):
        raise BadInput("'page' must be a whole number and 'per_page' between 1 and 500")
    listing = dash.list_points(
        session=get_session(), filters=filters, kind=kind, page=int(page), per_page=int(per_page)
    )
    _audit(f"points:{kind}", filters, len(listing.rows))
    body: dict[str, Any] = {
        "filters": filters.as_dict(),
        "kind": listing.kind,
        "total": listing.total,
        "page": listing.page,
        "pages": listing.pages,
        "rows": listing.rows,
    }
    return jsonify(body)


@bp.get("/v1/evidence/<int:contribution_id>")
def evidence(contribution_id: int) -> Response:
    """The evidence for one LXP point."""
    found = dash.point_evidence(
        session=get_session(), contribution_id=contribution_id, programmes=_mine()
    )
    _audit("evidence", None, 1)
    return jsonify(found)


@bp.get("/v1/bodies")
def bodies() -> Response:
    """Bodies (recurring meetings) with their kind and workstream."""
    rows = [
        {"id": b.id, "name": b.name, "kind": b.kind, "workstream": b.workstream}
        for b in list_bodies(session=get_session())
        if _mine() is None or b.programme_id in (_mine() or ())
    ]
    _audit("bodies", None, len(rows))
    return jsonify({"rows": rows})


def openapi_paths() -> set[str]:
    """The paths the OpenAPI document describes (for the test that checks coverage)."""
    return set(json.loads(OPENAPI.read_text(encoding="utf-8"))["paths"])
