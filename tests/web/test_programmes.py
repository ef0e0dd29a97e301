"""Programmes kept apart: a lead or chair of programme A never sees programme
B's bodies, meetings or points, on any page or download, and the matcher never
links across programmes. SQLite and PostgreSQL (the web fixtures)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from sqlmodel import Session, select

from factories import make_body, make_contribution, make_decision, make_meeting, make_person
from tracker.config import Settings
from tracker.errors import BadInput
from tracker.models import Body, Link, Outcome, Person, Programme, User, UserProgramme
from tracker.services import accounts, api_tokens
from tracker.services.linking import run_matching
from tracker.services.people import import_bodies
from tracker.services.scope import add_programme
from web.support import PASSWORD, post, sign_in

POINT = "Evening peer support groups would help people who work during the day."


def _programme(db: Session, name: str) -> int:
    return add_programme(session=db, name=name).id or 0


def _default(db: Session) -> int:
    """The programme the migration makes (the test database starts empty)."""
    return _programme(db, "Default programme")


def _world(db: Session) -> dict[str, Any]:
    """Two programmes, each with the same workstream name, a catch-up point and
    a governance decision saying almost the same thing."""
    out: dict[str, Any] = {"default": _default(db)}
    for tag in ("Alpha", "Beta"):
        pid = _programme(db, f"{tag} programme")
        lxp = make_person(db, f"{tag} Lxp", role="lxp", programme_id=pid)
        catch_up = make_body(db, f"{tag} catch-up", kind="catch-up", programme_id=pid)
        crg = make_body(db, f"{tag} CRG", kind="governance", programme_id=pid)
        m1 = make_meeting(db, catch_up, date(2021, 3, 9), title=f"{tag} catch-up March")
        m2 = make_meeting(db, crg, date(2021, 3, 18), title=f"{tag} CRG March")
        point = make_contribution(db, m1, POINT, speaker=lxp)
        make_decision(db, m2, "Agreed to pilot evening peer support groups for people who work.")
        out[tag] = {"pid": pid, "crg": crg, "m1": m1, "m2": m2, "point": point}
    db.commit()
    run_matching(session=db, settings=Settings(), actor="test")
    return out


def _sign_in_as(client: Any, db: Session, role: str, programmes: tuple[str, ...]) -> User:
    user = accounts.create_user(
        session=db,
        email=f"{role}.{'-'.join(p.split()[0] for p in programmes) or 'all'}@example.org",
        password=PASSWORD,
        role=role,
        programmes=programmes,
        actor="test",
    )
    if role in accounts.MFA_ROLES:
        accounts.set_totp_secret(session=db, user=user, actor="test")
    assert sign_in(client, user).status_code == 303
    return user


def test_matcher_never_links_across_programmes(db: Session) -> None:
    w = _world(db)
    links = db.exec(select(Link)).all()
    assert links, "the matcher links the point within its own programme"
    for link in links:
        source = w["Alpha"]["point"].id, w["Beta"]["point"].id
        assert link.contribution_id in source
        tag = "Alpha" if link.contribution_id == w["Alpha"]["point"].id else "Beta"
        other = "Beta" if tag == "Alpha" else "Alpha"
        # The target decision is in the same programme's CRG meeting, never the other's.
        from tracker.models import Decision

        decision = db.get(Decision, link.target_id)
        assert decision is not None
        assert decision.meeting_id == w[tag]["m2"].id
        assert decision.meeting_id != w[other]["m2"].id
    # Both points are heard (a trace at a governance meeting of their own programme).
    for tag in ("Alpha", "Beta"):
        assert db.get(Outcome, w[tag]["point"].id).status in ("acted", "heard")


def test_lead_sees_only_their_programme(client: Any, db: Session) -> None:
    w = _world(db)
    _sign_in_as(client, db, "lead", ("Alpha programme",))
    page = client.get("/dashboard/?from=&to=").get_data(as_text=True)
    assert "Alpha CRG" in page and "Beta CRG" not in page
    # Another programme's body as a filter, its evidence, its point page: not found.
    assert client.get(f"/dashboard/?body_id={w['Beta']['crg'].id}").status_code == 404
    assert client.get(f"/dashboard/evidence/{w['Beta']['point'].id}").status_code == 404
    assert client.get(f"/dashboard/evidence/{w['Alpha']['point'].id}").status_code == 200
    assert client.get(f"/checks/points/{w['Beta']['point'].id}").status_code == 404
    # Downloads hold only the lead's programme.
    board = json.loads(client.get("/dashboard/download/all.json?from=&to=").get_data(as_text=True))
    text = json.dumps(board)
    assert "Alpha" in text and "Beta" not in text
    assert board["headline"]["points"] == 1


def test_chair_meetings_list_page_and_checks(client: Any, db: Session) -> None:
    w = _world(db)
    _sign_in_as(client, db, "chair", ("Beta programme",))
    listing = client.get("/meetings/").get_data(as_text=True)
    assert "Beta CRG March" in listing and "Alpha CRG March" not in listing
    assert client.get(f"/meetings/{w['Alpha']['m2'].id}").status_code == 404
    assert client.get(f"/meetings/{w['Beta']['m2'].id}").status_code == 200
    assert client.get(f"/checks/meetings/{w['Alpha']['m2'].id}").status_code == 404
    assert client.get(f"/checks/meetings/{w['Beta']['m2'].id}").status_code == 200
    checks = client.get("/checks/").get_data(as_text=True)
    assert "Beta CRG" in checks and "Alpha CRG" not in checks


def test_admin_sees_every_programme(client: Any, db: Session) -> None:
    w = _world(db)
    _sign_in_as(client, db, "admin", ())
    page = client.get("/dashboard/?from=&to=").get_data(as_text=True)
    assert "Alpha CRG" in page and "Beta CRG" in page
    assert client.get(f"/dashboard/evidence/{w['Beta']['point'].id}").status_code == 200


def test_lead_with_no_programme_sees_nothing(client: Any, db: Session) -> None:
    w = _world(db)
    user = _sign_in_as(client, db, "lead", ())  # several programmes: the default one only
    given = db.exec(select(UserProgramme).where(UserProgramme.user_id == user.id)).all()
    assert [g.programme_id for g in given] == [w["default"]]
    page = client.get("/dashboard/?from=&to=").get_data(as_text=True)
    assert "Alpha CRG" not in page and "Beta CRG" not in page
    assert client.get(f"/dashboard/evidence/{w['Alpha']['point'].id}").status_code == 404


def test_new_rows_join_the_default_programme(db: Session) -> None:
    default = db.get(Programme, _default(db))
    body = make_body(db, "Plain body")
    person = make_person(db, "Plain Person")
    db.commit()
    assert body.programme_id == default.id and person.programme_id == default.id


def test_import_bodies_with_programme_column(db: Session) -> None:
    _default(db)
    pid = _programme(db, "Gamma programme")
    csv = (
        "name,kind,workstream,patterns,programme\n"
        "Gamma CRG,governance,PD,,Gamma programme\n"
        "Plain CRG,governance,PD,,\n"
    )
    import_bodies(session=db, text=csv)
    bodies = {b.name: b.programme_id for b in db.exec(select(Body)).all()}
    default = db.exec(select(Programme).where(Programme.name == "Default programme")).one()
    assert bodies == {"Gamma CRG": pid, "Plain CRG": default.id}
    # Re-importing without the column keeps the body where it is.
    import_bodies(session=db, text="name,kind,workstream,patterns\nGamma CRG,governance,PD,\n")
    assert db.exec(select(Body).where(Body.name == "Gamma CRG")).one().programme_id == pid


def test_unknown_programme_is_one_clear_line_and_nothing_written(db: Session) -> None:
    csv = "name,kind,workstream,patterns,programme\nX CRG,governance,PD,,Nowhere\n"
    with pytest.raises(BadInput, match="bodies line 2: no programme called 'Nowhere'"):
        import_bodies(session=db, text=csv)
    db.rollback()
    assert db.exec(select(Body)).all() == []
    with pytest.raises(BadInput, match="no programme called 'Nowhere'"):
        accounts.create_user(
            session=db,
            email="x@example.org",
            password=PASSWORD,
            role="lead",
            programmes=("Nowhere",),
        )
    db.rollback()
    assert db.exec(select(User)).all() == []
    assert db.exec(select(Person)).all() == []
    _default(db)
    with pytest.raises(BadInput, match="already a programme"):
        add_programme(session=db, name="Default programme")


def test_links_queue_holds_only_the_chair_programme(client: Any, db: Session) -> None:
    w = _world(db)
    _sign_in_as(client, db, "chair", ("Alpha programme",))
    page = client.get("/links/").get_data(as_text=True)
    assert "Alpha CRG" in page and "Beta CRG" not in page
    beta = db.exec(select(Link).where(Link.contribution_id == w["Beta"]["point"].id)).first()
    assert beta is not None
    assert beta.status != "confirmed"
    response = post(client, f"/links/{beta.id}/confirm", token_from="/links/")
    assert response.status_code == 404
    db.expire_all()
    assert db.get(Link, beta.id).status != "confirmed"


def test_api_key_of_one_programme(client: Any, db: Session) -> None:
    w = _world(db)
    _, alpha_key = api_tokens.create_token(
        session=db, name="Alpha report", actor="test", programme="Alpha programme"
    )
    _, every_key = api_tokens.create_token(session=db, name="Everything", actor="test")
    db.commit()

    def get(key: str, path: str) -> Any:
        return client.get(path, headers={"Authorization": f"Bearer {key}"})

    summary = get(alpha_key, "/api/v1/summary?from=&to=").get_json()
    assert summary["headline"]["points"] == 1
    assert get(every_key, "/api/v1/summary?from=&to=").get_json()["headline"]["points"] == 2
    names = {b["name"] for b in get(alpha_key, "/api/v1/bodies").get_json()["rows"]}
    assert names == {"Alpha catch-up", "Alpha CRG"}
    assert get(alpha_key, f"/api/v1/evidence/{w['Beta']['point'].id}").status_code == 404
    assert get(alpha_key, f"/api/v1/evidence/{w['Alpha']['point'].id}").status_code == 200
    assert get(every_key, f"/api/v1/evidence/{w['Beta']['point'].id}").status_code == 200
    points = get(alpha_key, "/api/v1/points/lost?from=&to=").get_json()
    assert all("Beta" not in json.dumps(r) for r in points["rows"])


def test_cli_programmes_add_users_add_and_bodies_import(db_url: str, tmp_path: Any) -> None:
    from click.testing import CliRunner

    from tracker.cli import cli
    from tracker.db import make_engine

    runner = CliRunner()

    def run(*args: str, stdin: str | None = None) -> Any:
        return runner.invoke(cli, ["--db", db_url, *args], input=stdin)

    assert run("programmes", "add", "Delta programme").exit_code == 0
    again = run("programmes", "add", "Delta programme")
    assert again.exit_code != 0 and "already a programme" in again.output
    assert "Traceback" not in again.output
    added = run(
        "users",
        "add",
        "d@example.org",
        "--role",
        "chair",
        "--programme",
        "Delta programme",
        stdin="a long enough password\n",
    )
    assert added.exit_code == 0, added.output
    wrong = run(
        "users",
        "add",
        "e@example.org",
        "--role",
        "chair",
        "--programme",
        "Nowhere",
        stdin="a long enough password\n",
    )
    assert wrong.exit_code != 0 and "no programme called 'Nowhere'" in wrong.output
    bodies = tmp_path / "bodies.csv"
    bodies.write_text(
        "name,kind,workstream,patterns,programme\nDelta CRG,governance,PD,,Delta programme\n"
    )
    assert run("bodies", "import", str(bodies)).exit_code == 0
    engine = make_engine(db_url)
    with Session(engine) as session:
        delta = session.exec(select(Programme).where(Programme.name == "Delta programme")).one()
        user = session.exec(select(User)).one()
        given = session.exec(select(UserProgramme.programme_id)).all()
        body = session.exec(select(Body)).one()
    engine.dispose()
    assert user.email == "d@example.org" and given == [delta.id]
    assert body.programme_id == delta.id


def test_check_page_offers_only_points_of_its_own_programme(client: Any, db: Session) -> None:
    w = _world(db)
    _sign_in_as(client, db, "admin", ())  # sees both programmes, yet a page never mixes them
    page = client.get(f"/checks/meetings/{w['Alpha']['m2'].id}").get_data(as_text=True)
    assert "Alpha Lxp" in page and "Beta Lxp" not in page


def test_an_invited_chair_gets_the_default_programme(db: Session) -> None:
    from tracker.services.invites import invite_user

    default = _default(db)
    _programme(db, "Other programme")
    invited = invite_user(
        session=db, secret="s" * 32, email="new@example.org", role="chair", actor="test"
    )
    given = db.exec(
        select(UserProgramme.programme_id).where(UserProgramme.user_id == invited.user.id)
    ).all()
    assert given == [default]
