"""Black box: once an LXP chooses "count only" (or "a personal story") on their page,
their words appear in no page, download or API response a lead or admin can reach,
nor in `tracker export` or `tracker report lost`.

The stored minutes pages (/meetings/, chairs and admins only, never leads)
are the record and show it as written; everything else an admin reaches is
held to the same rule as a lead's.  The crawl follows every same-site link
from the start pages (and every API operation of the OpenAPI document), as a
lead and as an admin, so a surface added later is covered without naming it.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterator

from click.testing import CliRunner
from flask.testing import FlaskClient
from sqlmodel import Session, select

from privacy.test_disclosure_matrix import NAME, WORDS, World, arrange
from tracker.cli import cli
from tracker.models import AuditEvent
from tracker.services import api_tokens
from web.support import make_user, post, sign_in

START = ("/", "/dashboard/", "/dashboard/points/lost", "/dashboard/priorities?year=2021")
SKIP = re.compile(r"/logout|/static/|/login|/invite|/digests/(unsubscribe|preferences)")
SERIAL = itertools.count()
HREF = re.compile(r'href="(/[^"#]*)"')


def crawl(client: FlaskClient, extra: tuple[str, ...] = ()) -> Iterator[tuple[str, str]]:
    """Every page reachable by GET from the start pages: (path, body)."""
    seen: set[str] = set()
    todo = [*START, *extra]
    while todo and len(seen) < 400:
        path = todo.pop(0).replace("&amp;", "&")
        if path in seen or SKIP.search(path):
            continue
        seen.add(path)
        response = client.get(path)
        if response.status_code != 200:
            continue
        body = response.get_data().decode("utf-8", "replace")  # downloads may be binary
        yield path, body
        if "html" in (response.content_type or ""):
            todo.extend(h for h in HREF.findall(body) if h not in seen)


def api_calls(client: FlaskClient, db: Session, w: World) -> Iterator[tuple[str, str]]:
    """Every operation of the API's own OpenAPI document, with this world's ids."""
    _, raw = api_tokens.create_token(session=db, name="Crawl", actor="admin@example.org")
    headers = {"Authorization": f"Bearer {raw}"}
    paths = json.loads(client.get("/api/openapi.json").get_data(as_text=True))["paths"]
    for template in paths:
        for value in (str(w.jade_point), str(w.kim_point), "lost", "uncredited", "by-body"):
            path = "/api" + re.sub(r"\{[^}]+\}", value, template)
            response = client.get(path, headers=headers)
            if response.status_code == 200:
                yield path, response.get_data(as_text=True)


def reachable(client: FlaskClient, db: Session, w: World, db_url: str) -> dict[str, str]:
    extra = (
        f"/dashboard/evidence/{w.jade_point}",
        f"/dashboard/evidence/{w.kim_point}",
        f"/checks/meetings/{w.later_meeting}",
        f"/checks/points/{w.jade_point}",
        "/dashboard/download/lost.csv",
        "/dashboard/download/lost.json",
        "/dashboard/download/all.json",
    )
    seen: dict[str, str] = {}
    for role in ("lead", "admin"):
        sign_in(client, make_user(db, role, email=f"{role}-{next(SERIAL)}@example.org"))
        seen.update({f"{role} {p}": body for p, body in crawl(client, extra)})
    seen.update(dict(api_calls(client, db, w)))
    runner = CliRunner()
    for args in (("export", "--format", "json"), ("report", "lost", "--format", "csv")):
        result = runner.invoke(cli, ["--db", db_url, *args])
        assert result.exit_code == 0, result.output
        seen[" ".join(args)] = result.output
    return seen


# The stored minutes themselves (chairs and admins, never leads) are the record:
# record keepers see them as written (tracker/domain/disclosure.py).
RECORD = re.compile(r"^admin /meetings/")


def leaks(seen: dict[str, str]) -> list[str]:
    return sorted(w for w, body in seen.items() if WORDS in body and not RECORD.match(w))


def test_count_only_set_on_the_page_reaches_no_lead_surface(
    client: FlaskClient, db: Session, db_url: str
) -> None:
    """After Jade sets "count only" herself, is she still counted, and quoted nowhere?"""
    w = arrange(db, "quote-named", False)
    before = reachable(client, db, w, db_url)
    assert len(before) > 20, sorted(before)  # the crawl really walks the app
    assert len(leaks(before)) >= 8, leaks(before)  # quoted while she allowed it

    sign_in(client, make_user(db, "lxp", person=w.jade, email="jade@example.org"))
    page = f"/me/contributions/{w.jade_point}"
    response = post(client, f"{page}/consent", {"consent": "count-only"}, token_from=page)
    assert response.status_code == 303
    assert WORDS in client.get(page).get_data(as_text=True)  # still hers to read

    after = reachable(client, db, w, db_url)
    assert leaks(after) == []
    # Counted under her name, not quoted (DESIGN.md: count only).
    assert any(NAME in body for where, body in after.items() if "report lost" in where)


def test_a_story_marked_on_the_page_is_quoted_to_nobody_else(
    client: FlaskClient, db: Session, db_url: str
) -> None:
    """Can Jade mark her point as a personal story, audited, and is it then unquoted?"""
    w = arrange(db, "quote-named", False)
    jade = make_user(db, "lxp", person=w.jade, email="jade@example.org")
    sign_in(client, jade)
    page = f"/me/contributions/{w.jade_point}"
    assert post(client, f"{page}/story", {"story": "yes"}, token_from=page).status_code == 303
    assert WORDS in client.get(page).get_data(as_text=True)
    [event] = db.exec(select(AuditEvent).where(AuditEvent.action == "story.change")).all()
    assert WORDS not in json.dumps(event.model_dump(), default=str)
    after = reachable(client, db, w, db_url)
    assert leaks(after) == []
    # Bad input: one clear line, nothing written.
    sign_in(client, make_user(db, "lxp", email="other@example.org"))
    assert post(client, f"{page}/story", {"story": "no"}, token_from="/me/").status_code == 404
    sign_in(client, jade)
    bad = post(client, f"{page}/story", {"story": "maybe"}, token_from=page)
    assert bad.status_code == 400
    assert len(db.exec(select(AuditEvent).where(AuditEvent.action == "story.change")).all()) == 1


def test_a_chair_marks_a_story_and_only_its_lxp_can_unmark_it(
    client: FlaskClient, db: Session, db_url: str
) -> None:
    """Does a chair's "personal story" hide the words from leads, audited; a lead may not?"""
    w = arrange(db, "quote-named", False)
    page = f"/checks/points/{w.jade_point}"
    sign_in(client, make_user(db, "lead", email="lead-story@example.org"))
    assert WORDS in client.get(f"/dashboard/evidence/{w.jade_point}").get_data(as_text=True)
    assert post(client, f"{page}/story", token_from=page).status_code == 403
    sign_in(client, make_user(db, "chair", email="chair-story@example.org"))
    assert post(client, f"{page}/story", token_from=page).status_code == 303
    [event] = db.exec(select(AuditEvent).where(AuditEvent.action == "story.change")).all()
    assert event.actor == "chair-story@example.org"
    assert leaks(reachable(client, db, w, db_url)) == []
    # Jade decides: she may let it be quoted again.
    sign_in(client, make_user(db, "lxp", person=w.jade, email="jade@example.org"))
    mine = f"/me/contributions/{w.jade_point}"
    assert post(client, f"{mine}/story", {"story": "no"}, token_from=mine).status_code == 303
    assert leaks(reachable(client, db, w, db_url))
