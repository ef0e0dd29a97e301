"""LXPs see their own contributions, flag the record, choose consent and digests."""

from __future__ import annotations

from sqlmodel import Session, select

from tracker.models import AuditEvent, Contribution, Flag, Person
from web.support import arrange_programme, post


def _fresh(db, model, key):
    with Session(db.get_bind()) as fresh:
        return fresh.get(model, key)


def test_my_contributions_show_outcome_and_evidence(client, login, db):
    """Does the LXP see what they said, where, and what became of it, once confirmed?"""
    from tracker.services.linking import confirm_link

    data = arrange_programme(db)
    confirm_link(session=db, link_id=data["link"].id, actor="chair@example.org")
    login("lxp", person=data["amara"])
    page = client.get("/me/").get_data(as_text=True)
    assert "Evening peer support groups would help" in page
    assert "PD LXP catch-up" in page
    assert "9 March 2021" in page
    assert "Acted on" in page
    assert (
        "The chair confirmed that the minutes of PD Clinical Reference Group, 18 March 2021 "
        "took this up." in page
    )
    assert "Agreed to pilot evening peer support groups." in page


def test_an_unchecked_trace_is_not_stated_as_fact(client, login, db):
    """With only a suggested link, does the page say 'seem to' and that the chair will check?"""
    from tracker.services.linking import recompute_outcomes

    data = arrange_programme(db)
    recompute_outcomes(session=db)
    db.commit()
    login("lxp", person=data["amara"])
    for url in ("/me/", f"/me/contributions/{data['point'].id}"):
        page = client.get(url).get_data(as_text=True)
        assert "May have been taken up" in page
        assert (
            "The minutes of PD Clinical Reference Group, 18 March 2021 seem to take this up; "
            "the chair has been asked to check." in page
        )
        assert "Acted on" not in page and "The chair confirmed" not in page


def test_lxps_see_the_groups_points_at_meetings_they_attended(client, login, db):
    """Does an LXP who attended the catch-up see the LXP group's point and its outcome?"""
    from factories import make_contribution
    from tracker.models import Attendee
    from tracker.services.linking import recompute_outcomes

    data = arrange_programme(db)
    make_contribution(db, data["m1"], "LXPs asked for a carers' evening session.", group="lxp")
    db.add(
        Attendee(
            meeting_id=data["m1"].id, person_id=data["tom"].id, as_written="Tom", status="present"
        )
    )
    recompute_outcomes(session=db)
    db.commit()
    login("lxp", person=data["tom"])
    page = client.get("/me/").get_data(as_text=True)
    assert "What the LXP group raised at meetings you attended" in page
    assert "LXPs asked for a carers" in page
    assert "Not found yet" in page
    assert (
        "We have not found it in the minutes of PD Clinical Reference Group, 18 March 2021 yet; "
        "the chair has been asked to check." in page
    )
    # Amara did not attend: the group's point is not on her page.
    client.post("/logout")
    login("lxp", person=data["amara"])
    page = client.get("/me/").get_data(as_text=True)
    assert "Evening peer support groups would help" in page and "carers" not in page


def test_consent_change_is_saved_and_audited(client, login, db):
    """Can an LXP choose 'count only' for their point, with an audit entry?"""
    data = arrange_programme(db)
    login("lxp", person=data["amara"])
    url = f"/me/contributions/{data['point'].id}"
    response = post(client, url + "/consent", {"consent": "count-only"}, token_from=url)
    assert response.status_code == 303
    assert _fresh(db, Contribution, data["point"].id).consent == "count-only"
    with Session(db.get_bind()) as fresh:
        event = fresh.exec(select(AuditEvent).where(AuditEvent.action == "consent.change")).one()
    assert event.detail == {"before": "quote-named", "after": "count-only"}


def test_flag_not_what_i_said_reaches_the_chair_and_back(client, login, db, app):
    """Does a flag land in the chair's queue, and the answer come back to the LXP?"""
    data = arrange_programme(db)
    login("lxp", person=data["amara"])
    url = f"/me/contributions/{data['point'].id}"
    response = post(
        client, url + "/flag", {"message": "I said weekend groups too."}, token_from=url
    )
    assert response.status_code == 303
    with Session(db.get_bind()) as fresh:
        flag = fresh.exec(select(Flag)).one()
    assert (flag.kind, flag.status) == ("not-what-i-said", "open")

    chair = app.test_client()
    from web.support import PASSWORD, csrf_token, make_user

    user = make_user(db, "chair", email="the.chair@example.org")
    chair.post(
        "/login",
        data={"email": user.email, "password": PASSWORD, "csrf_token": csrf_token(chair)},
    )
    queue = chair.get("/meetings/flags").get_data(as_text=True)
    assert "I said weekend groups too." in queue
    answered = post(
        chair,
        f"/meetings/flags/{flag.id}/answer",
        {"answer": "Thank you, we will correct the minutes."},
        token_from="/meetings/flags",
    )
    assert answered.status_code == 303
    page = client.get(url).get_data(as_text=True)
    assert "we will correct the minutes" in page


def test_flag_something_missing(client, login, db):
    """Can an LXP say something they said at a meeting is missing?"""
    data = arrange_programme(db)
    login("lxp", person=data["amara"])
    response = post(
        client,
        "/me/missing",
        {"meeting_id": str(data["m1"].id), "message": "I also raised transport costs."},
        token_from="/me/missing",
    )
    assert response.status_code == 303
    with Session(db.get_bind()) as fresh:
        flag = fresh.exec(select(Flag)).one()
    assert (flag.kind, flag.meeting_id) == ("missing", data["m1"].id)


def test_flag_on_a_meeting_they_did_not_attend_is_refused(client, login, db):
    """Is a 'missing' flag on a meeting the LXP has no part in refused?"""
    data = arrange_programme(db)
    login("lxp", person=data["amara"])
    response = post(
        client,
        "/me/missing",
        {"meeting_id": str(data["m2"].id), "message": "x"},
        token_from="/me/missing",
    )
    assert response.status_code == 400


def test_digest_preferences(client, login, db):
    """Can an LXP choose monthly, critical news only, plain text?"""
    data = arrange_programme(db)
    login("lxp", person=data["amara"])
    response = post(
        client,
        "/me/settings",
        {"frequency": "monthly", "critical": "on", "plain_text": "on"},
        token_from="/me/settings",
    )
    assert response.status_code == 303
    person = _fresh(db, Person, data["amara"].id)
    assert person.digest_frequency == "monthly"
    assert (person.digest_positive, person.digest_critical, person.digest_plain_text) == (
        False,
        True,
        True,
    )
    bad = post(client, "/me/settings", {"frequency": "hourly"}, token_from="/me/settings")
    assert bad.status_code == 400
