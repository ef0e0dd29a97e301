"""The chair's check page and the actions on a lost point, through the web app."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from factories import make_body, make_decision, make_link, make_meeting
from tracker.config import Settings
from tracker.models import AgendaRequest, Link, Outcome, PointCheck
from tracker.services import checks
from tracker.services.agenda_requests import update_agenda_requests
from tracker.services.linking import recompute_outcomes
from web.support import arrange_programme, post


def _fresh(db, model, key):
    with Session(db.get_bind()) as fresh:
        return fresh.get(model, key)


def _arranged(db):
    data = arrange_programme(db)
    recompute_outcomes(session=db)
    db.commit()
    return data


def test_check_page_shows_open_points_and_confirming_one_makes_it_confirmed(client, login, db):
    """Does the check page list the open point with its candidate, and confirming
    it make the outcome confirmed and take the point off the page?"""
    data = _arranged(db)
    login("chair")
    url = f"/checks/meetings/{data['m2'].id}"
    page = client.get(url).get_data(as_text=True)
    assert "Evening peer support groups would help people who work." in page
    assert "Agreed to pilot evening peer support groups." in page
    assert "Amara Okafor (LXP)" in page
    assert "2 points to check" in page
    response = post(client, f"{url}/confirm/{data['link'].id}", token_from=url)
    assert response.status_code == 303
    outcome = _fresh(db, Outcome, data["point"].id)
    assert (outcome.status, outcome.basis) == ("acted", "confirmed")
    assert _fresh(db, Link, data["link"].id).status == "confirmed"
    page = client.get(url).get_data(as_text=True)
    assert "Evening peer support groups would help" not in page
    assert "1 point to check" in page


def test_none_of_these_checks_the_point_and_confirms_the_loss(client, login, db):
    """Does 'none of these' reject the meeting's candidates and make the loss confirmed?"""
    data = _arranged(db)
    login("chair")
    url = f"/checks/meetings/{data['m2'].id}"
    response = post(client, f"{url}/none/{data['point'].id}", token_from=url)
    assert response.status_code == 303
    link = _fresh(db, Link, data["link"].id)
    assert (link.status, link.reason) == ("rejected", checks.NONE_REASON)
    outcome = _fresh(db, Outcome, data["point"].id)
    assert (outcome.status, outcome.basis) == ("lost", "confirmed")
    with Session(db.get_bind()) as fresh:
        [check] = fresh.exec(select(PointCheck)).all()
    assert (check.contribution_id, check.result) == (data["point"].id, "none")


def test_rejecting_needs_a_reason_and_writes_nothing_without_one(client, login, db):
    """Is a reject without a reason refused in plain words, the link untouched?"""
    data = _arranged(db)
    login("chair")
    url = f"/checks/meetings/{data['m2'].id}"
    response = post(client, f"{url}/reject/{data['link'].id}", {"reason": " "}, token_from=url)
    assert response.status_code == 303
    page = client.get(url).get_data(as_text=True)
    assert "Say why this record is not the same point" in page
    assert _fresh(db, Link, data["link"].id).status == "suggested"
    post(client, f"{url}/reject/{data['link'].id}", {"reason": "Other service"}, token_from=url)
    assert _fresh(db, Link, data["link"].id).reason == "Other service"


def test_uncertain_candidates_come_first(db):
    """Is the point whose best candidate sits nearest the line listed first?"""
    data = _arranged(db)
    sure = make_decision(db, data["m2"], "Agreed to fund transport.")
    make_link(db, data["other"], sure, score=0.95)
    db.get(Link, data["link"].id).score = 0.2
    db.commit()
    page = checks.check_page(session=db, meeting_id=data["m2"].id, settings=Settings())
    assert [p.contribution.id for p in page.points] == [data["point"].id, data["other"].id]


def test_lead_sees_points_waiting_per_body(client, login, db):
    """Does the lead see how many points wait for a check, per body?"""
    data = _arranged(db)
    waiting = {
        w.body.name: w.points for w in checks.waiting_by_body(session=db, settings=Settings())
    }
    assert waiting == {"PD Clinical Reference Group": 2}
    login("chair")
    url = f"/checks/meetings/{data['m2'].id}"
    post(client, f"{url}/none/{data['other'].id}", token_from=url)
    waiting = {
        w.body.name: w.points for w in checks.waiting_by_body(session=db, settings=Settings())
    }
    assert waiting == {"PD Clinical Reference Group": 1}
    client.post("/logout")
    login("lead")
    page = client.get("/checks/").get_data(as_text=True)
    assert '<th scope="row">PD Clinical Reference Group</th><td>1</td>' in page
    dashboard = client.get("/dashboard/").get_data(as_text=True)
    assert 'PD Clinical Reference Group: <span class="figure-inline">1</span> point' in dashboard


def test_not_taken_forward_from_the_point_page(client, login, db):
    """Can the chair record not-taken-forward with its reason; is a blank reason refused?"""
    data = _arranged(db)
    login("chair")
    url = f"/checks/points/{data['other'].id}"
    post(client, url + "/not-taken-forward", {"reason": ""}, token_from=url)
    assert "Give the reason" in client.get(url).get_data(as_text=True)
    assert _fresh(db, Outcome, data["other"].id).status == "lost"
    post(client, url + "/not-taken-forward", {"reason": "Out of scope"}, token_from=url)
    outcome = _fresh(db, Outcome, data["other"].id)
    assert (outcome.status, outcome.reason, outcome.basis) == (
        "not-taken-forward",
        "Out of scope",
        "confirmed",
    )
    post(client, url + "/withdraw", token_from=url)
    outcome = _fresh(db, Outcome, data["other"].id)
    assert (outcome.status, outcome.reason, outcome.basis) == ("lost", None, "suggested")
    post(client, url + "/withdraw", token_from=url)
    assert "is not recorded as not taken forward" in client.get(url).get_data(as_text=True)


def test_link_a_lost_point_by_hand_found_by_its_words(client, login, db):
    """Can the chair find a later record by words and link the point to it, confirmed?"""
    data = _arranged(db)
    login("chair")
    url = f"/checks/points/{data['other'].id}"
    page = client.get(url + "?q=pilot evening").get_data(as_text=True)
    assert "Agreed to pilot evening peer support groups." in page
    assert "no record" not in page.lower()
    assert "No record" in client.get(url + "?q=zebra").get_data(as_text=True)
    value = f"decision:{data['decision'].id}"
    response = post(client, url + "/link", {"record": value}, token_from=url)
    assert response.status_code == 303
    outcome = _fresh(db, Outcome, data["other"].id)
    assert (outcome.status, outcome.basis) == ("acted", "confirmed")
    # A record of the point's own (earlier) meeting is refused.
    post(client, url + "/link", {"record": f"contribution:{data['point'].id}"}, token_from=url)
    assert "later governance or working meeting" in client.get(url).get_data(as_text=True)


def test_agenda_request_is_tracked_until_a_later_meeting_takes_it_up(client, login, db):
    """Is an agenda request stored (LXPs invited), shown, and closed once a later
    meeting of that body traces the point?"""
    data = _arranged(db)
    login("chair")
    url = f"/checks/points/{data['other'].id}"
    page = client.get(url).get_data(as_text=True)
    assert "Invite the LXPs who raised it to lead the item (Tom Nowicki)" in page
    post(client, url + "/agenda", {"body_id": data["crg"].id, "invite": "1"}, token_from=url)
    with Session(db.get_bind()) as fresh:
        [request] = fresh.exec(select(AgendaRequest)).all()
    assert (request.status, request.lxps_invited) == ("open", True)
    assert "Waiting for a meeting to take it up" in client.get("/checks/").get_data(as_text=True)
    later = make_meeting(db, data["crg"], date(2021, 4, 15))
    decision = make_decision(db, later, "Agreed: Tom to lead an item on his care.")
    make_link(db, data["other"], decision)
    recompute_outcomes(session=db)
    update_agenda_requests(db)
    db.commit()
    with Session(db.get_bind()) as fresh:
        [request] = fresh.exec(select(AgendaRequest)).all()
    assert (request.status, request.taken_up_meeting_id) == ("taken-up", later.id)
    # Another workstream's body is refused.
    other = make_body(db, "ED board", kind="governance", workstream="ED")
    db.commit()
    post(client, url + "/agenda", {"body_id": other.id}, token_from=url)
    assert "Choose a governance body" in client.get(url).get_data(as_text=True)


def test_odd_numbers_in_the_point_forms_are_one_message_not_a_server_error(client, login, db):
    """Do '²', Arabic-Indic digits or an id past 2**63 in the link and agenda forms give
    the form's own message, with nothing written?"""
    data = _arranged(db)
    login("chair")
    url = f"/checks/points/{data['other'].id}"
    for odd in ("²", "٣", str(2**63)):
        response = post(client, url + "/link", {"record": f"decision:{odd}"}, token_from=url)
        assert response.status_code == 303
        assert "Choose one of the records found." in client.get(url).get_data(as_text=True)
        response = post(client, url + "/agenda", {"body_id": odd}, token_from=url)
        assert response.status_code == 303
        page = client.get(url).get_data(as_text=True)
        assert "Choose the body whose next agenda should hold the point." in page
    with Session(db.get_bind()) as fresh:
        assert fresh.exec(select(AgendaRequest)).all() == []
        assert fresh.exec(select(Link).where(Link.status == "confirmed")).all() == []
