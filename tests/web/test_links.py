"""Chairs and leads review suggested links."""

from __future__ import annotations

from sqlmodel import Session, select

from tracker.models import AuditEvent, Link, Outcome
from web.support import arrange_programme, post


def _fresh(db, model, key):
    with Session(db.get_bind()) as fresh:
        return fresh.get(model, key)


def test_queue_shows_both_sides_with_shared_words(client, login, db):
    """Does the queue show the LXP point beside the later record, shared words marked?"""
    data = arrange_programme(db)
    login("chair")
    page = client.get("/links/").get_data(as_text=True)
    assert "groups would help people who work." in page
    assert "Agreed to pilot <mark>evening</mark>" in page
    assert "<mark>evening</mark>" in page
    assert "<mark>peer</mark>" in page
    assert f'data-link="{data["link"].id}"' in page


def test_confirm_a_link(client, login, db):
    """Does confirming a link record who did it and change the LXP's outcome?"""
    data = arrange_programme(db)
    user = login("lead")
    response = post(client, f"/links/{data['link'].id}/confirm", token_from="/links/")
    assert response.status_code == 303
    link = _fresh(db, Link, data["link"].id)
    assert link.status == "confirmed"
    assert link.decided_by == user.email


def test_reject_needs_a_reason(client, login, db):
    """Is a rejection without a reason refused, and one with a reason kept?"""
    data = arrange_programme(db)
    login("chair")
    empty = post(client, f"/links/{data['link'].id}/reject", {"reason": " "}, token_from="/links/")
    assert empty.status_code == 400
    assert _fresh(db, Link, data["link"].id).status == "suggested"
    ok = post(
        client,
        f"/links/{data['link'].id}/reject",
        {"reason": "Different topic"},
        token_from="/links/",
    )
    assert ok.status_code == 303
    link = _fresh(db, Link, data["link"].id)
    assert (link.status, link.reason) == ("rejected", "Different topic")


def test_not_taken_forward_reason_reaches_the_lxp(client, login, db, app):
    """Is the reason a point was not taken forward shown on the LXP's page?"""
    data = arrange_programme(db)
    login("chair")
    response = post(
        client,
        f"/links/points/{data['point'].id}/not-taken-forward",
        {"reason": "No budget this year; we will revisit in April."},
        token_from="/links/",
    )
    assert response.status_code == 303
    assert _fresh(db, Outcome, data["point"].id).status == "not-taken-forward"
    post(client, "/logout", token_from="/links/")
    from web.support import PASSWORD, csrf_token, make_user

    lxp = make_user(db, "lxp", person=data["amara"], email="amara@example.org")
    client.post(
        "/login",
        data={"email": lxp.email, "password": PASSWORD, "csrf_token": csrf_token(client)},
    )
    page = client.get("/me/").get_data(as_text=True)
    assert "No budget this year" in page
    assert "Not taken forward" in page


def test_unknown_link_is_404(client, login, db):
    """Is confirming a link that does not exist a plain 404?"""
    login("chair")
    assert post(client, "/links/999999/confirm", token_from="/links/").status_code == 404


def test_decisions_are_audited(client, login, db):
    """Is each confirmation written to the audit trail?"""
    data = arrange_programme(db)
    login("chair")
    post(client, f"/links/{data['link'].id}/confirm", token_from="/links/")
    with Session(db.get_bind()) as fresh:
        actions = [e.action for e in fresh.exec(select(AuditEvent)).all()]
    assert "link.confirmed" in actions
