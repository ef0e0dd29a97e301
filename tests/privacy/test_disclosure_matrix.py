"""One disclosure rule on every surface: consent x story x viewer x surface, rendered.

Jade (an LXP) makes a point at a governance meeting with each consent, as a
personal story or not; the point is lost.  Kim (another LXP) made an earlier
point that Jade's words later took up, so Jade's words are also *evidence*
on Kim's surfaces.  Every surface is rendered through the real app, the real
CLI or the real digest round, and the words and Jade's name must appear
exactly when the rule allows:

* the words: to Jade always; to anyone else only when the consent allows
  quoting and the point is not a personal story;
* the name: never beside the words for quote-anonymous; otherwise shown where
  the surface says who made a point.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient
from sqlmodel import Session, select

from factories import (
    make_action,
    make_body,
    make_contribution,
    make_link,
    make_meeting,
    make_outcome,
    make_person,
)
from tracker.cli import cli
from tracker.config import Settings
from tracker.models import DigestPeriod, Person, Priority, PriorityTag
from tracker.services import api_tokens, digests
from web.support import make_user, sign_in

WORDS = "Quokka buses stop before the evening peer group ends"
NAME = "Jade Morgan"
CONSENTS = ("quote-named", "quote-anonymous", "count-only")


@dataclass
class World:
    jade: Person
    kim: Person
    jade_point: int
    kim_point: int
    later_meeting: int


def arrange(db: Session, consent: str, story: bool) -> World:
    catch_up = make_body(db, "PD catch-up", kind="catch-up")
    crg = make_body(db, "PD CRG", kind="governance")
    jade = make_person(db, NAME, role="lxp", email="jade@example.org")
    kim = make_person(db, "Kim Lowe", role="lxp", email="kim@example.org")
    first = make_meeting(db, catch_up, date(2021, 3, 2))
    second = make_meeting(db, crg, date(2021, 3, 9))
    third = make_meeting(db, crg, date(2021, 3, 30))
    kim_point = make_contribution(db, first, "Evening transport to the peer group", speaker=kim)
    jade_point = make_contribution(db, second, WORDS, speaker=jade, consent=consent, is_story=story)
    make_action(db, third, "Review the room booking policy")
    make_link(db, kim_point, jade_point, status="confirmed")
    make_outcome(db, kim_point, "heard", basis="confirmed")
    make_outcome(db, jade_point, "lost")
    priority = Priority(year=2021, title="Getting there")
    db.add(priority)
    db.flush()
    db.add(PriorityTag(priority_id=priority.id or 0, contribution_id=jade_point.id or 0))
    db.commit()
    return World(jade, kim, jade_point.id or 0, kim_point.id or 0, third.id or 0)


def quoted(consent: str, story: bool) -> bool:
    return consent != "count-only" and not story


def named(consent: str) -> bool:
    return consent != "quote-anonymous"


# -- surfaces, each: (client, world) -> rendered text ---------------------------


def pages(*paths: str) -> Callable[[FlaskClient, World], str]:
    def render(client: FlaskClient, w: World) -> str:
        out = []
        for path in paths:
            path = path.format(jade=w.jade_point, kim=w.kim_point, later=w.later_meeting)
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
            out.append(response.get_data(as_text=True))
        return "\n".join(out)

    return render


EVIDENCE = pages("/dashboard/evidence/{jade}", "/dashboard/evidence/{kim}")
POINTS = pages("/dashboard/points/lost")
DOWNLOADS = pages("/dashboard/download/lost.csv", "/dashboard/download/lost.json")
PRIORITIES = pages("/dashboard/priorities?year=2021")
CHECK = pages("/checks/meetings/{later}", "/checks/points/{jade}")
LXP_PAGE = pages("/me/contributions/{kim}", "/me/")

# What each signed-in viewer can reach, and whether the surface says who.
LEAD_SURFACES = {
    "evidence": (EVIDENCE, True),
    "points": (POINTS, True),
    "downloads": (DOWNLOADS, True),
    "priorities": (PRIORITIES, False),
    "check": (CHECK, True),
}


def expect(text: str, *, words: bool, name: bool | None, where: str) -> None:
    assert (WORDS in text) is words, f"{where}: words shown={WORDS in text}, allowed={words}"
    if name is not None:
        assert (NAME in text) is name, f"{where}: name shown={NAME in text}, allowed={name}"


@pytest.mark.parametrize("story", [False, True], ids=["statement", "story"])
@pytest.mark.parametrize("consent", CONSENTS)
def test_every_viewer_on_every_surface(
    client: FlaskClient, db: Session, settings: Settings, db_url: str, consent: str, story: bool
) -> None:
    """Do the words and the name appear exactly when the one rule allows, everywhere?"""
    w = arrange(db, consent, story)
    words, name = quoted(consent, story), named(consent)

    # Lead, admin: dashboard, evidence, lists, downloads, priorities, the check pages.
    for role in ("lead", "admin"):
        sign_in(client, make_user(db, role, email=f"{role}@example.org"))
        for surface, (render, says_who) in LEAD_SURFACES.items():
            text = render(client, w)
            expect(text, words=words, name=name if says_who else False, where=f"{role} {surface}")
    # A chair: the check pages.
    sign_in(client, make_user(db, "chair", email="chair@example.org"))
    expect(CHECK(client, w), words=words, name=name, where="chair check")

    # Another LXP: Jade's words are evidence on Kim's page; Kim's page never says who.
    sign_in(client, make_user(db, "lxp", person=w.kim, email="kim@example.org"))
    expect(LXP_PAGE(client, w), words=words, name=False, where="other LXP page")

    # Jade herself sees her own words, whatever she chose.
    sign_in(client, make_user(db, "lxp", person=w.jade, email="jade@example.org"))
    mine = pages(f"/me/contributions/{w.jade_point}", "/me/")(client, w)
    expect(mine, words=True, name=None, where="own LXP page")

    # An API key: the lead's view, as JSON.
    _, raw = api_tokens.create_token(session=db, name="Reporting", actor="admin@example.org")
    headers = {"Authorization": f"Bearer {raw}"}
    api = [
        client.get(path, headers=headers)
        for path in (
            "/api/v1/points/lost",
            f"/api/v1/evidence/{w.jade_point}",
            f"/api/v1/evidence/{w.kim_point}",
        )
    ]
    assert all(r.status_code == 200 for r in api)
    expect("\n".join(r.get_data(as_text=True) for r in api), words=words, name=name, where="API")

    # The command line: `report lost` (says who) and `export` (says who by id only).
    runner = CliRunner()
    report = runner.invoke(cli, ["--db", db_url, "report", "lost", "--format", "csv"])
    assert report.exit_code == 0, report.output
    [row] = [r for r in csv.DictReader(io.StringIO(report.output)) if r["date"] == "2021-03-09"]
    expect(row["text"] + " " + row["said_by"], words=words, name=name, where="report lost")
    export = runner.invoke(cli, ["--db", db_url, "export", "--format", "json"])
    assert export.exit_code == 0, export.output
    data = json.loads(export.output)
    [said] = [
        c
        for m in data["meetings"]
        for c in m.get("contributions", [])
        if c["id"] == f"c{w.jade_point}"
    ]
    assert (said["text"] == WORDS) is words, "export words"
    assert ((said["speaker"] or {}).get("person_id") == f"p{w.jade.id}") is name, "export who"

    # Email: the lead summary (says who) and the LXPs' digests, from a real round.
    db.add(Person(name="lead", role="staff", email="lead@example.org"))
    db.commit()
    digests.queue_round(session=db, settings=settings, as_of=datetime(2021, 4, 5, 9, tzinfo=UTC))
    bodies = {
        (p.person_id, p.kind): p.body_text + "\n" + (p.body_html or "")
        for p in db.exec(select(DigestPeriod)).all()
    }
    lead_row = [t for (pid, kind), t in bodies.items() if kind == digests.LEAD_SUMMARY]
    assert lead_row, "the lead got no summary"
    expect(lead_row[0], words=words, name=name, where="lead summary")
    kim_digest = bodies.get((w.kim.id, digests.LXP_DIGEST), "")
    assert "Evening transport to the peer group" in kim_digest  # Kim's point, traced
    # A digest names the agenda item of a later discussion, never its words.
    expect(kim_digest, words=False, name=False, where="other LXP's digest")
    jade_digest = bodies.get((w.jade.id, digests.LXP_DIGEST), "")
    assert jade_digest.strip(), "Jade got no digest"
    # Her own digest quotes her; a point she made count-only is counted, by design.
    expect(jade_digest, words=consent != "count-only", name=None, where="own digest")
