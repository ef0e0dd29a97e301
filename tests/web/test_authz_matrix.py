"""Every route x every role (and signed out): allowed or refused, from one table.

The table is the access policy.  A route missing from it fails the test, so a
new page cannot ship without a decision about who may use it (deny by default).
"""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from web.support import make_user, sign_in

PUBLIC = "public"  # anyone, signed in or not
TOKEN = "token"  # an API key or a signed e-mail link; a browser session grants nothing
# The code and set-up steps of two-step sign-in: they act only for a visitor who
# has just given a lead's or admin's password; others go to sign-in (or home).
MFA_STEP = "mfa-step"
ROLES = ("chair", "lxp", "lead", "admin")

ACCESS: dict[str, object] = {
    "static": PUBLIC,
    "auth.index": PUBLIC,
    "auth.login": PUBLIC,
    "auth.logout": PUBLIC,
    "auth.mfa_code": MFA_STEP,
    "auth.mfa_enrol": MFA_STEP,
    "meetings.template": {"chair", "lead", "admin"},
    "meetings.*": {"chair", "admin"},
    "links.*": {"chair", "lead", "admin"},
    "checks.story": {"chair", "admin"},  # marking a personal story: record keepers
    "checks.*": {"chair", "lead", "admin"},
    "me.*": {"lxp"},
    "dashboard.*": {"lead", "admin"},
    "admin.*": {"admin"},
    "api.openapi": PUBLIC,
    "api.*": TOKEN,
    "digest_links.*": TOKEN,
    "observability.*": PUBLIC,  # /healthz, /readyz, /metrics (token-protected if set)
    "oidc.*": PUBLIC,  # single sign-on start and callback
    "invites.new": {"admin"},
    "invites.resend": {"admin"},
    "invites.accept": TOKEN,
}


def policy(endpoint: str) -> object:
    """Return who may use an endpoint; fail loudly for one the table does not know."""
    if endpoint in ACCESS:
        return ACCESS[endpoint]
    blueprint = endpoint.split(".")[0] + ".*"
    if blueprint in ACCESS:
        return ACCESS[blueprint]
    raise AssertionError(f"route {endpoint!r} is not in the access table")


def _url(rule) -> str:
    values = {}
    for name in rule.arguments:
        converter = rule._converters[name]
        if rule.endpoint == "static":
            values[name] = "css/app.css"
        elif type(converter).__name__ in ("IntegerConverter", "IdConverter"):
            values[name] = 999999
        else:
            values[name] = "x"
    path = rule.build(values, append_unknown=False)[1]
    return path


def _routes(app: Flask) -> list[tuple[str, str, str]]:
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("boom"):
            continue
        methods = set(rule.methods or ()) - {"HEAD", "OPTIONS"}
        for method in sorted(methods):
            found.append((rule.endpoint, method, _url(rule)))
    # Signing out last, so it does not end the session for the other routes.
    return sorted(found, key=lambda r: (r[0] == "auth.logout", r))


def _token(client: FlaskClient) -> str:
    html = client.get("/login").get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def test_every_route_is_in_the_table(app):
    """Does the access table cover every route the app serves?"""
    for endpoint, _method, _path in _routes(app):
        policy(endpoint)


@pytest.mark.parametrize("role", [None, *ROLES])
def test_access_matrix(app, client, db, role):
    """For this role, is each route allowed or refused exactly as the table says?"""
    if role is not None:
        user = make_user(db, role, email=f"matrix-{role}@example.org")
        response = sign_in(client, user)
        assert response.status_code == 303
    token = _token(client)
    failures = []
    for endpoint, method, path in _routes(app):
        rule = policy(endpoint)
        if method == "GET":
            response = client.get(path)
        else:
            response = client.open(path, method=method, data={"csrf_token": token})
        status = response.status_code
        location = response.headers.get("Location", "")
        to_login = (
            status in (302, 303)
            and "/login" in location
            and endpoint not in ("auth.logout", "auth.index")
        )
        if status >= 500:
            failures.append(f"{method} {path}: {status}")
        elif rule == PUBLIC:
            if status == 403 or to_login:
                failures.append(f"{method} {path}: public, got {status}")
        elif rule == MFA_STEP:
            if role is None and not to_login:
                failures.append(f"{method} {path}: signed out should go to sign-in, got {status}")
            if role is not None and (status != 303 or to_login):
                failures.append(f"{method} {path}: signed in should go home, got {status}")
        elif rule == TOKEN:
            if status not in (400, 401, 403, 404):
                failures.append(f"{method} {path}: needs a token, got {status}")
        elif role is None:
            if not to_login:
                failures.append(f"{method} {path}: signed out should go to sign-in, got {status}")
        elif role in rule:  # type: ignore[operator]
            if status in (401, 403) or to_login:
                failures.append(f"{method} {path}: {role} should be allowed, got {status}")
        elif status != 403:
            failures.append(f"{method} {path}: {role} should get 403, got {status}")
    assert not failures, "\n".join(failures)
