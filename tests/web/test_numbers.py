"""Numbers in URLs and forms, and the API's errors (issue: 23 URLs gave HTTP 500).

Every route with an id, every bad form of a number: a clean 4xx, never 500;
the API answers every error as application/problem+json.
"""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tracker.numbers import MAX_ID, is_number
from tracker.services import api_tokens

BAD_IDS = ("0", str(MAX_ID + 1), "1" * 20, "\u0663", "\u00b2", "\uff11", "-1")


def id_rules(app: Flask) -> list[tuple[str, str, str]]:
    """(endpoint, method, rule) for every route that takes an <int:...> id."""
    found = []
    for rule in app.url_map.iter_rules():
        if "<int:" not in rule.rule:
            continue
        method = "GET" if "GET" in (rule.methods or ()) else "POST"
        found.append((rule.endpoint, method, rule.rule))
    return sorted(found)


def fill(rule: str, number: str) -> str:
    path = re.sub(r"<int:\w+>", number, rule)
    return re.sub(r"<(?:\w+:)?\w+>", "x", path)


def test_number_helpers_take_ascii_digits_in_range_only() -> None:
    """Does is_number refuse Unicode digits, signs and out-of-range values?"""
    assert is_number("1") and is_number(str(MAX_ID))
    for bad in (*BAD_IDS, "", " 1", "1.0", "1e3"):
        assert not is_number(bad), bad
    assert not is_number("12", high=10) and not is_number("0")


def test_every_id_route_answers_bad_ids_with_404_never_500(
    app: Flask, client: FlaskClient, login
) -> None:
    """Ids of 2**63 or more, 0, signs and non-ASCII digits: 404 (or a 4xx for POST)."""
    login("admin")
    rules = id_rules(app)
    assert len(rules) >= 15
    failures = []
    for endpoint, method, rule in rules:
        for bad in BAD_IDS:
            response = client.open(fill(rule, bad), method=method)
            ok = (
                response.status_code == 404
                if method == "GET"
                else 400 <= response.status_code < 500
            )
            if not ok:
                failures.append((endpoint, bad, response.status_code))
        # The largest id the database can hold, which does not exist: no 500.
        response = client.open(fill(rule, str(MAX_ID)), method=method)
        if response.status_code >= 500:
            failures.append((endpoint, "max", response.status_code))
    assert failures == []


@pytest.mark.parametrize(
    "path",
    [
        "/dashboard/points/lost?page=\u00b2",
        "/dashboard/points/lost?page=99999999999999999999999",
        f"/dashboard/?body_id={MAX_ID + 1}",
        "/dashboard/?body_id=\u0663",
        "/dashboard/priorities?year=\u00b2",
    ],
)
def test_number_parameters_never_give_500(client: FlaskClient, login, path: str) -> None:
    """Are bad numbers in query parameters a clean answer, not a 500?"""
    login("lead")
    assert client.get(path).status_code < 500


def test_api_errors_are_json(client: FlaskClient, db) -> None:
    """Unknown paths, bad ids, bad numbers and wrong methods: problem+json from the API."""
    _, raw = api_tokens.create_token(session=db, name="Reporting", actor="admin@example.org")
    headers = {"Authorization": f"Bearer {raw}"}
    for method, path, status in (
        ("GET", "/api/v1/nothing-here", 404),
        ("GET", "/api/v1/evidence/\u0663", 404),
        ("GET", f"/api/v1/evidence/{MAX_ID + 1}", 404),
        ("GET", f"/api/v1/evidence/{MAX_ID}", 404),
        ("GET", "/api/v1/points/lost?page=\u00b2", 400),
        ("GET", f"/api/v1/summary?body_id={MAX_ID + 1}", 400),
        ("POST", "/api/v1/summary", 405),
    ):
        response = client.open(path, method=method, headers=headers)
        assert response.status_code == status, (path, response.status_code)
        assert response.mimetype == "application/problem+json", path
        body = response.get_json()
        assert body["status"] == status and body["detail"]


def test_an_unexpected_api_failure_is_json_without_details(app: Flask) -> None:
    """A crash under /api/ is a 500 problem+json that quotes nothing."""

    def boom_api() -> str:
        raise RuntimeError("secret minutes text")

    app.add_url_rule("/api/v1/boom", "boom_api", boom_api)
    response = app.test_client().get("/api/v1/boom")
    assert response.status_code == 500
    assert response.mimetype == "application/problem+json"
    assert "secret" not in response.get_data(as_text=True)
