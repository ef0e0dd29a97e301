"""Admin pages: people, bodies, workstreams, sign-ins' roles and API keys; admins only."""

from __future__ import annotations

import re

import pytest
from sqlmodel import select

from factories import make_body, make_person
from tracker.models import ApiToken, AuditEvent, Body, GlossaryPair, Person, User
from web.support import make_user, post

PAGES = [
    "/admin/",
    "/admin/people",
    "/admin/people/new",
    "/admin/bodies",
    "/admin/bodies/new",
    "/admin/workstreams",
    "/admin/users",
    "/admin/tokens",
    "/admin/glossary",
]


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize(
    ("role", "status"), [("chair", 403), ("lxp", 403), ("lead", 403), ("admin", 200)]
)
def test_only_admins_open_admin_pages(login, client, path, role, status):
    """Do chairs, LXPs and leads get 403 on every admin page?"""
    login(role)
    assert client.get(path).status_code == status


def _events(db, action):
    db.rollback()
    return db.exec(select(AuditEvent).where(AuditEvent.action == action)).all()


def test_add_and_edit_a_person_with_aliases(login, client, db):
    """Can an admin add an LXP with aliases, then change them, with both audited?"""
    login("admin")
    response = post(
        client,
        "/admin/people/new",
        {
            "name": "Amara Okafor",
            "aliases": "AO; Amara;AO",
            "role": "lxp",
            "email": "amara@example.org",
        },
        token_from="/admin/people/new",
    )
    assert response.status_code == 303
    person = db.exec(select(Person).where(Person.name == "Amara Okafor")).one()
    assert person.aliases == ["AO", "Amara"]
    assert person.role == "lxp"
    pid = person.id
    db.rollback()
    response = post(
        client,
        f"/admin/people/{pid}",
        {
            "name": "Amara Okafor",
            "aliases": "AO\nAmara O",
            "role": "lxp",
            "email": "amara@example.org",
            "self_described_group": "Carers",
        },
        token_from=f"/admin/people/{pid}",
    )
    assert response.status_code == 303
    db.refresh(person)
    assert person.aliases == ["AO", "Amara O"]
    assert person.self_described_group == "Carers"
    assert _events(db, "person.update")[0].detail["changed"] == ["aliases", "self_described_group"]
    assert len(_events(db, "person.create")) == 1


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"name": "", "role": "lxp"}, "name is empty"),
        ({"name": "X", "role": "boss"}, "lxp or staff"),
        ({"name": "X", "role": "lxp", "email": "not-an-email"}, "not an email"),
        ({"name": "taken person", "role": "lxp"}, "already a person"),
    ],
)
def test_person_form_errors_are_shown(login, client, db, form, message):
    """Are bad entries refused with the reason on the form?"""
    make_person(db, "Taken Person")
    db.commit()
    login("admin")
    response = post(client, "/admin/people/new", form, token_from="/admin/people/new")
    assert response.status_code == 400
    assert message in response.get_data(as_text=True).replace("&#39;", "'")
    assert 'role="alert"' in response.get_data(as_text=True)


def test_add_and_edit_a_body_and_see_workstreams(login, client, db):
    """Can an admin add a body with title patterns, change its kind, and see its workstream?"""
    login("admin")
    post(
        client,
        "/admin/bodies/new",
        {
            "name": "ED board",
            "kind": "governance",
            "workstream": "ED",
            "patterns": "ED board\nEating disorders board",
        },
        token_from="/admin/bodies/new",
    )
    body = db.exec(select(Body).where(Body.name == "ED board")).one()
    assert body.patterns == ["ED board", "Eating disorders board"]
    body_id = body.id
    db.rollback()
    response = post(
        client,
        f"/admin/bodies/{body_id}",
        {"name": "ED board", "kind": "working", "workstream": "ED", "patterns": ""},
        token_from=f"/admin/bodies/{body_id}",
    )
    assert response.status_code == 303
    db.refresh(body)
    assert (body.kind, body.patterns) == ("working", ["ED board"])
    db.rollback()
    bad = post(
        client,
        "/admin/bodies/new",
        {"name": "Y", "kind": "party", "workstream": "ED"},
        token_from="/admin/bodies/new",
    )
    assert bad.status_code == 400
    page = client.get("/admin/workstreams").get_data(as_text=True)
    assert '<th scope="row">ED</th>' in page


def test_changing_a_role_signs_the_user_out(app, login, client, db):
    """Does a role change bump session_version, so the user's next request is signed out?"""
    other_client = app.test_client()
    lead = make_user(db, "lead", email="lead@example.org")
    from web.support import sign_in

    sign_in(other_client, lead)
    assert other_client.get("/dashboard/").status_code == 200
    login("admin")
    response = post(
        client, f"/admin/users/{lead.id}/role", {"role": "chair"}, token_from="/admin/users"
    )
    assert response.status_code == 303
    db.refresh(lead)
    assert (lead.role, lead.session_version) == ("chair", 2)
    db.rollback()
    assert other_client.get("/dashboard/").status_code == 302
    event = _events(db, "user.role")[0]
    assert event.detail == {"old": "lead", "new": "chair"}


def test_deactivating_signs_out_and_the_last_admin_stays(login, client, db):
    """Can an admin deactivate a user, but not remove the last admin?"""
    admin = login("admin")
    chair = make_user(db, "chair", email="chair@example.org")
    post(client, f"/admin/users/{chair.id}/active", {"active": "no"}, token_from="/admin/users")
    db.refresh(chair)
    assert (chair.active, chair.session_version) == (False, 2)
    chair_id, admin_id = chair.id, admin.id
    db.rollback()
    page = post(
        client,
        f"/admin/users/{admin_id}/active",
        {"active": "no"},
        token_from="/admin/users",
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "last admin" in page
    page = post(
        client,
        f"/admin/users/{admin_id}/role",
        {"role": "lead"},
        token_from="/admin/users",
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "last admin" in page
    db.rollback()
    assert db.get(User, admin_id).role == "admin"
    db.rollback()
    # An LXP sign-in needs a roster person.
    page = post(
        client,
        f"/admin/users/{chair_id}/role",
        {"role": "lxp"},
        token_from="/admin/users",
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "roster person" in page


def test_api_key_is_shown_once_then_revoked(login, client, db):
    """Is a new key shown once, stored hashed, and refused by the API once revoked?"""
    login("admin")
    html = post(client, "/admin/tokens", {"name": "Power BI"}, token_from="/admin/tokens").get_data(
        as_text=True
    )
    raw = re.search(r'value="(trk_[^"]+)"', html).group(1)
    assert (
        client.get("/api/v1/bodies", headers={"Authorization": f"Bearer {raw}"}).status_code == 200
    )
    assert raw not in client.get("/admin/tokens").get_data(as_text=True)
    token_id = db.exec(select(ApiToken)).one().id
    db.rollback()
    post(client, f"/admin/tokens/{token_id}/revoke", token_from="/admin/tokens")
    assert (
        client.get("/api/v1/bodies", headers={"Authorization": f"Bearer {raw}"}).status_code == 401
    )
    assert [e.action for e in _events(db, "api_token.create")] == ["api_token.create"]


def test_admin_forms_need_csrf(login, client, db):
    """Is a POST without the CSRF token refused?"""
    login("admin")
    body = make_body(db, "Some body")
    db.commit()
    response = client.post(
        f"/admin/bodies/{body.id}", data={"name": "Hijacked", "kind": "working", "workstream": "X"}
    )
    assert response.status_code == 400
    db.refresh(body)
    assert body.name == "Some body"


def test_admin_adds_and_switches_off_a_glossary_pair(login, client, db):
    """Can an admin add a wording pair, see it, switch it off, and get a clear refusal?"""
    login("admin")
    page = "/admin/glossary"
    sent = {"action": "add", "phrase": "menu", "variant": "directory"}
    assert post(client, page, sent, token_from=page).status_code == 303
    html = client.get(page).get_data(as_text=True)
    assert '<th scope="row">menu</th><td>directory</td>' in html
    assert "Added by an admin" in html
    assert len(_events(db, "glossary.added")) == 1
    db.rollback()
    sent = {"action": "add", "phrase": "menu", "variant": "<b>x</b>"}
    response = post(client, page, sent, token_from=page, follow_redirects=True)
    assert "should be words only" in response.get_data(as_text=True)
    sent = {"action": "remove", "phrase": "menu", "variant": "directory"}
    assert post(client, page, sent, token_from=page).status_code == 303
    db.rollback()
    assert db.exec(select(GlossaryPair)).all() == []
    db.rollback()
    assert "No pairs yet" in client.get(page).get_data(as_text=True)
