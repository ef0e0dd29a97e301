"""The read-only JSON API: token auth, the same figures as the dashboard, its OpenAPI document."""

from __future__ import annotations

import re

import pytest
from sqlmodel import select

from services.test_dashboard import build_programme
from tracker.models import ApiToken, AuditEvent
from tracker.services import api_tokens
from tracker.services.dashboard import Filters, build_dashboard, list_points


@pytest.fixture
def key(db) -> str:
    _, raw = api_tokens.create_token(session=db, name="Reporting", actor="admin@example.org")
    return raw


def auth(raw: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {raw}"}


@pytest.mark.parametrize(
    "header",
    [None, "Bearer", "Bearer trk_wrong", "Basic dXNlcjpwYXNz", "trk_nothing"],
)
def test_calls_without_a_valid_key_get_401(client, header):
    """Is every call without a valid key refused with 401 and a Bearer challenge?"""
    headers = {"Authorization": header} if header else {}
    response = client.get("/api/v1/summary", headers=headers)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response.mimetype == "application/problem+json"


def test_a_revoked_key_stops_working(client, db, key):
    """Does revoking a key refuse it at once?"""
    assert client.get("/api/v1/bodies", headers=auth(key)).status_code == 200
    token = db.exec(select(ApiToken)).one()
    api_tokens.revoke_token(session=db, token_id=token.id, actor="admin@example.org")
    assert client.get("/api/v1/bodies", headers=auth(key)).status_code == 401


def test_keys_are_stored_only_as_hashes(db, key):
    """Is the key itself nowhere in the database?"""
    token = db.exec(select(ApiToken)).one()
    assert key not in (token.token_hash, token.prefix, token.name)
    assert token.token_hash == api_tokens.hash_token(key)
    assert len(token.token_hash) == 64


def test_summary_and_tables_equal_the_dashboard(client, db, key):
    """Does the API give exactly the dashboard's figures for the same filters?"""
    build_programme(db)
    filters = Filters(workstream="PD")
    board = build_dashboard(session=db, filters=filters)
    db.rollback()
    summary = client.get("/api/v1/summary?workstream=PD", headers=auth(key)).get_json()
    assert summary["headline"] == board.headline
    assert summary["filters"]["workstream"] == "PD"
    for name in summary["tables"]:
        body = client.get(f"/api/v1/tables/{name}?workstream=PD", headers=auth(key)).get_json()
        assert body["rows"] == board.table(name).rows, name


def test_points_and_evidence(client, db, key):
    """Does the lost list page like the dashboard's, with evidence for each point?"""
    build_programme(db)
    expected = list_points(session=db, filters=Filters(), kind="lost", per_page=10)
    db.rollback()
    body = client.get("/api/v1/points/lost?per_page=10", headers=auth(key)).get_json()
    assert body["total"] == expected.total
    assert body["rows"] == expected.rows
    first = body["rows"][0]["contribution_id"]
    evidence = client.get(f"/api/v1/evidence/{first}", headers=auth(key)).get_json()
    assert evidence["outcome"] == "lost"


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/api/v1/summary?from=March", 400),
        ("/api/v1/points/lost?per_page=5000", 400),
        ("/api/v1/points/everything", 404),
        ("/api/v1/tables/nothing", 404),
        ("/api/v1/evidence/999999", 404),
    ],
)
def test_bad_requests_get_problem_details(client, key, path, status):
    """Are bad filters and unknown things answered in JSON, not HTML?"""
    response = client.get(path, headers=auth(key))
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["detail"]


def test_calls_are_audited(client, db, key):
    """Is each call recorded with the key, the filters and the row count?"""
    client.get("/api/v1/bodies", headers=auth(key))
    client.get("/api/v1/summary?workstream=ED", headers=auth(key))
    events = db.exec(select(AuditEvent).where(AuditEvent.action == "api.read")).all()
    token = db.exec(select(ApiToken)).one()
    assert [e.object_id for e in events] == ["bodies", "summary"]
    assert {e.actor for e in events} == {f"api-key:{token.id}"}
    assert events[1].detail["filters"]["workstream"] == "ED"


def test_the_api_writes_nothing_but_audit(client, key):
    """Does the API refuse anything but GET?"""
    assert client.post("/api/v1/summary", headers=auth(key)).status_code == 405


def _openapi_path(rule: str) -> str:
    return re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule.removeprefix("/api"))


def test_every_api_route_is_in_the_openapi_document(app, client):
    """Is each route of the API blueprint described, with its methods, and nothing more?"""
    doc = client.get("/api/openapi.json").get_json()
    assert doc["openapi"].startswith("3.1")
    assert doc["servers"] == [{"url": "/api"}]
    routes = {
        _openapi_path(rule.rule): {m.lower() for m in rule.methods - {"HEAD", "OPTIONS"}}
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("api.")
    }
    assert routes
    assert set(routes) == set(doc["paths"])
    for path, methods in routes.items():
        assert methods == set(doc["paths"][path]), path
        for method in methods:
            for param in re.findall(r"{([a-z_]+)}", path):
                declared = [p.get("name") for p in doc["paths"][path][method].get("parameters", [])]
                assert param in declared, (path, param)


def test_openapi_references_resolve(client):
    """Does every $ref in the document point at something that exists?"""
    doc = client.get("/api/openapi.json").get_json()
    text = client.get("/api/openapi.json").get_data(as_text=True)
    for ref in set(re.findall(r'"\$ref": "#/([^"]+)"', text)):
        node = doc
        for part in ref.split("/"):
            node = node[part]
        assert node
