"""The programme-lead dashboard: access, figures, drill-down, downloads, priorities."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date, timedelta

import pytest
from sqlmodel import select

from factories import make_body, make_contribution, make_item, make_meeting, make_person
from services.test_dashboard import build_programme
from tracker.models import AuditEvent, Priority
from tracker.services.dashboard import NOT_QUOTED, Filters, build_dashboard
from tracker.services.linking import recompute_outcomes
from tracker.web.formats import table_date
from web.support import post

PAGES = [
    "/dashboard/",
    "/dashboard/points/lost",
    "/dashboard/points/uncredited",
    "/dashboard/priorities",
    "/dashboard/download/outcomes.csv",
    "/dashboard/download/all.json",
]


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize(("role", "status"), [("chair", 403), ("lxp", 403), ("lead", 200)])
def test_only_leads_and_admins_see_the_dashboard(login, client, path, role, status):
    """Do chairs and LXPs get 403, and leads the page?"""
    login(role)
    assert client.get(path).status_code == status


def test_admins_see_it_and_visitors_sign_in_first(login, client):
    """Are visitors sent to sign in, and admins let in?"""
    assert client.get("/dashboard/").status_code == 302
    login("admin")
    assert client.get("/dashboard/").status_code == 200


def test_page_shows_the_service_figures_in_accessible_tables(login, client, db):
    """Does the page carry each headline figure, captions, th scope and chart hooks?"""
    build_programme(db)
    login("lead")
    html = client.get("/dashboard/?workstream=PD").get_data(as_text=True)
    board = build_dashboard(session=db, filters=Filters(workstream="PD"))
    head = board.headline
    assert f'<span class="figure">{head["points"]}</span> LXP points raised' in html
    assert f'<span class="figure">{head["lost"]}</span> lost' in html
    assert f"of {head['statements']} statements say who spoke" in html
    for table in board.tables:
        assert f'id="table-{table.key}"' in html
        assert f"<h2>{table.caption}</h2>" in html.replace("&#39;", "'")
    assert html.count("<caption") >= len(board.tables)
    assert 'scope="col"' in html and 'scope="row"' in html
    assert 'data-chart="stacked"' in html
    assert "vendor/chartjs/chart.umd.min.js" in html
    assert "cdn" not in html.lower()
    # Each chart has a visible title above it: the section heading comes first.
    for section in html.split('<section class="dash-section"')[1:]:
        if "<figure" in section:
            assert section.index("<h2>") < section.index("<figure")
    # Spoken to the lead, not to developers.
    assert "tracker export" not in html and "<code>" not in html
    # Only PD bodies in the per-body table.
    assert "ED board" not in html.split('id="table-attribution"')[1].split("</table>")[0]


def test_bad_filters_are_explained_not_crashed(login, client):
    """Does a bad date show a plain error and the unfiltered page?"""
    login("lead")
    response = client.get("/dashboard/?from=tomorrow")
    assert response.status_code == 200
    assert "YYYY-MM-DD" in response.get_data(as_text=True)


def test_count_only_points_are_never_quoted(login, client, db):
    """Are count-only points counted on the lost list but their text never shown?"""
    catch = make_body(db, "Catch", kind="catch-up", workstream="W")
    crg = make_body(db, "CRG", kind="governance", workstream="W")
    lxp = make_person(db, "Ann")
    m1 = make_meeting(db, catch, date(2021, 3, 9))
    make_item(db, make_meeting(db, crg, date(2021, 3, 18)), "Service update")
    secret = make_contribution(
        db, m1, "My private story about hospital", speaker=lxp, consent="count-only"
    )
    make_contribution(db, m1, "Open point about transport", speaker=lxp)
    recompute_outcomes(session=db)
    db.commit()
    login("lead")
    listing = client.get("/dashboard/points/lost").get_data(as_text=True)
    assert "2 points" in listing
    assert "Open point about transport" in listing
    assert "private story" not in listing
    assert NOT_QUOTED.replace("(", "").replace(")", "") in listing
    evidence = client.get(f"/dashboard/evidence/{secret.id}").get_data(as_text=True)
    assert "private story" not in evidence
    assert "CRG" in evidence  # the meeting that missed it
    for fmt in ("csv", "json"):
        body = client.get(f"/dashboard/download/lost.{fmt}").get_data(as_text=True)
        assert "private story" not in body
        assert "Open point about transport" in body


def test_downloads_equal_the_page_and_are_audited(login, client, db):
    """Does a CSV hold the table's rows, and is the download audited with the filter and count?"""
    build_programme(db)
    user = login("lead")
    response = client.get("/dashboard/download/attribution.csv?workstream=PD&from=2021-02-01")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith('attachment; filename="attribution-')
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    expected = build_dashboard(
        session=db, filters=Filters(workstream="PD", start=date(2021, 2, 1))
    ).table("attribution")
    db.rollback()  # end the read, so the app can write its audit row (SQLite locks)
    assert [int(r["Statements recorded"]) for r in rows] == [r["statements"] for r in expected.rows]
    event = db.exec(select(AuditEvent).where(AuditEvent.action == "dashboard.download")).one()
    assert event.actor == user.email
    assert event.object_id == "attribution"
    assert event.detail["rows"] == len(rows)
    assert event.detail["filters"]["workstream"] == "PD"
    db.rollback()
    everything = client.get("/dashboard/download/all.json").get_json()
    assert {t["key"] for t in everything["tables"]} >= {"outcomes", "voices_by_group"}
    assert client.get("/dashboard/download/all.csv").status_code == 404
    assert client.get("/dashboard/download/outcomes.xml").status_code == 404


def test_csv_cells_cannot_become_formulas(login, client, db):
    """Is a point starting with '=' quoted so spreadsheets do not run it?"""
    catch = make_body(db, "Catch", kind="catch-up", workstream="W")
    crg = make_body(db, "CRG", kind="governance", workstream="W")
    lxp = make_person(db, "Ann")
    m1 = make_meeting(db, catch, date(2021, 3, 9))
    make_item(db, make_meeting(db, crg, date(2021, 3, 18)), "Service update")
    make_contribution(db, m1, '=HYPERLINK("http://x","y")', speaker=lxp)
    recompute_outcomes(session=db)
    db.commit()
    login("lead")
    body = client.get("/dashboard/download/lost.csv").get_data(as_text=True)
    assert "'=HYPERLINK" in body


def test_evidence_page_links_from_the_list(login, client, db):
    """Can a lead go from the lost list to a point's evidence?"""
    build_programme(db)
    login("lead")
    listing = client.get("/dashboard/points/lost?per_page=5").get_data(as_text=True)
    ids = re.findall(r"/dashboard/evidence/(\d+)", listing)
    assert ids
    page = client.get(f"/dashboard/evidence/{ids[0]}")
    assert page.status_code == 200
    assert "Later governance meetings that did not take it up" in page.get_data(as_text=True)
    # Dates in tables read "9 Mar 2021", never ISO.
    rows = listing.split("<tbody>")[1].split("</tbody>")[0]
    shown = re.findall(r'<th scope="row">([^<]+)</th>', rows)
    assert shown and all(re.fullmatch(r"\d{1,2} [A-Z][a-z]{2} \d{4}", d) for d in shown)
    assert not re.search(r"\d{4}-\d{2}-\d{2}", rows.split("href=")[0])
    db.rollback()
    viewed = db.exec(select(AuditEvent).where(AuditEvent.action == "evidence.view")).all()
    assert [e.object_id for e in viewed] == [ids[0]]
    db.rollback()
    assert client.get("/dashboard/evidence/999999").status_code == 404


def test_priorities_page_records_and_enforces_the_rules(login, client, db):
    """Can a lead add priorities, and is a sixth refused with a clear message?"""
    login("lead")
    for i in range(5):
        response = post(
            client,
            "/dashboard/priorities",
            {"year": "2021", "title": f"Area {i}", "overarching": "yes" if i < 3 else ""},
            token_from="/dashboard/priorities",
        )
        assert response.status_code == 303
    response = post(
        client,
        "/dashboard/priorities",
        {"year": "2021", "title": "Sixth"},
        token_from="/dashboard/priorities",
        follow_redirects=True,
    )
    assert "at most 5" in response.get_data(as_text=True)
    assert len(db.exec(select(Priority).where(Priority.year == 2021)).all()) == 5
    # Forms need the CSRF token.
    assert (
        client.post("/dashboard/priorities", data={"year": "2021", "title": "x"}).status_code == 400
    )


def test_priority_suggestions_can_be_confirmed_on_the_page(login, client, db):
    """Does the matcher's suggestion appear, and does confirming count it on the dashboard?"""
    catch = make_body(db, "Catch", kind="catch-up", workstream="W")
    make_body(db, "CRG", kind="governance", workstream="W")
    m1 = make_meeting(db, catch, date(2021, 3, 9))
    make_contribution(db, m1, "We want evening peer support groups", speaker=make_person(db))
    recompute_outcomes(session=db)
    db.commit()
    login("lead")
    post(
        client,
        "/dashboard/priorities",
        {"year": "2021", "title": "Peer support"},
        token_from="/dashboard/priorities",
    )
    post(
        client,
        "/dashboard/priorities/suggest",
        {"year": "2021"},
        token_from="/dashboard/priorities",
    )
    page = client.get("/dashboard/priorities?year=2021").get_data(as_text=True)
    assert "We want evening peer support groups" in page
    tag_id = re.search(r"/dashboard/tags/(\d+)", page).group(1)
    post(
        client,
        f"/dashboard/tags/{tag_id}",
        {"year": "2021", "decision": "confirmed"},
        token_from="/dashboard/priorities",
    )
    table = build_dashboard(session=db, filters=Filters()).table("priorities")
    assert table.rows[0]["points"] == 1
    db.rollback()
    data = json.loads(client.get("/dashboard/download/priorities.json").get_data(as_text=True))
    assert data["rows"][0]["priority"] == "Peer support"


def test_default_is_the_twelve_months_to_today_else_all_time(login, client, db):
    """With no minutes in the last twelve months, is the default all time (a 2021
    programme is not hidden), and once there are, the twelve months to today, even
    after an upload dated in another year?"""
    from tracker.models import utcnow

    build_programme(db)
    db.commit()
    login("lead")
    html = client.get("/dashboard/").get_data(as_text=True)
    assert "all meetings" in html
    board = build_dashboard(session=db, filters=Filters())
    assert f'<span class="figure">{board.headline["points"]}</span> LXP points raised' in html
    db.rollback()

    today = utcnow().date()
    body = make_body(db, "Recent board", kind="governance", workstream="PD")
    make_meeting(db, body, today - timedelta(days=30))
    make_meeting(db, body, date(today.year + 5, 1, 1))  # a typo in another year
    db.commit()
    html = client.get("/dashboard/").get_data(as_text=True)
    start = today - timedelta(days=364)
    assert f"meetings from {table_date(start)} to {table_date(today)}" in html
    assert f"from={start.isoformat()}" in html  # links and downloads carry it
    everything = client.get("/dashboard/?from=&to=").get_data(as_text=True)
    assert "all meetings" in everything


def test_the_period_survives_every_link_and_download(login, client, db):
    """From the all-time view, do 'see the lost points', the list's downloads and the
    evidence's way back keep all time, so the list holds what the tile counts?"""
    build_programme(db)
    db.commit()
    login("lead")
    html = client.get("/dashboard/?from=&to=").get_data(as_text=True)
    lost = build_dashboard(session=db, filters=Filters()).headline["lost"]
    db.rollback()
    assert lost > 0
    href = re.search(r'href="(/dashboard/points/lost[^"]*)"', html).group(1).replace("&amp;", "&")
    assert "from=&" in href and "to=" in href
    listing = client.get(href).get_data(as_text=True)
    assert f"page 1 of {-(-lost // 50)}" in listing
    assert listing.count('href="/dashboard/evidence/') == min(lost, 50)
    for link in re.findall(r'href="(/dashboard/(?:download|evidence)/[^"]*)"', listing):
        assert "from=&" in link.replace("&amp;", "&"), link
    csv_href = re.search(r'href="(/dashboard/download/lost\.csv[^"]*)"', listing).group(1)
    rows = list(csv.reader(io.StringIO(client.get(csv_href.replace("&amp;", "&")).text)))
    assert len(rows) - 1 == lost
    evidence = re.search(r'href="(/dashboard/evidence/[^"]*)"', listing).group(1)
    page = client.get(evidence.replace("&amp;", "&")).get_data(as_text=True)
    back = re.search(r'href="(/dashboard/points/lost[^"]*)"', page).group(1)
    assert "from=&" in back.replace("&amp;", "&")


def test_said_by_names_whoever_said_a_catch_up_point_staff_included(login, client, db):
    """Is a catch-up point recorded from a member of staff shown as theirs, not an LXP's?"""
    catch = make_body(db, "Catch", kind="catch-up", workstream="W")
    crg = make_body(db, "CRG", kind="governance", workstream="W")
    staff = make_person(db, "Helen Price", role="staff")
    lxp = make_person(db, "Ann Example", role="lxp")
    m1 = make_meeting(db, catch, date(2021, 3, 9))
    make_meeting(db, crg, date(2021, 3, 18))
    make_contribution(db, m1, "Staff note on the rota", speaker=staff)
    make_contribution(db, m1, "Transport to groups is hard", speaker=lxp)
    recompute_outcomes(session=db)
    db.commit()
    login("lead")
    listing = client.get("/dashboard/points/lost?from=&to=").get_data(as_text=True)
    assert "Helen Price (staff)" in listing and "Ann Example (LXP)" in listing
