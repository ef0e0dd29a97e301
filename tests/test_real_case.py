"""The real case from the evaluation, reproduced on the project's own demo data.

An LXP catch-up on 9 March 2021 raised five points; the Clinical Reference
Group nine days later recorded none of them and did not say who gave the
update.  The tracker must show all five as lost.
"""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session, select

from tracker.config import Settings
from tracker.db import make_engine
from tracker.demo import REAL_CASE_CATCH_UP, REAL_CASE_CRG, load_demo
from tracker.models import AgendaItem, Body, Contribution, Meeting, Outcome
from tracker.services.reports import lost_points


def test_the_five_points_of_9_march_are_lost(db_url: str, tmp_path: Path) -> None:
    """Are all five 9 March points lost after the 18 March CRG, and does it name no lead?"""
    load_demo(db_url, tmp_path / "demo", Settings(instance_dir=str(tmp_path)))
    engine = make_engine(db_url)
    with Session(engine) as session:
        catch_up = session.exec(select(Meeting).where(Meeting.date == REAL_CASE_CATCH_UP)).one()
        points = session.exec(
            select(Contribution).where(
                Contribution.meeting_id == catch_up.id, Contribution.speaker_group == "lxp"
            )
        ).all()
        assert len(points) == 5
        outcomes = {session.get(Outcome, p.id).status for p in points}  # type: ignore[union-attr]
        assert outcomes == {"lost"}
        crg = session.exec(
            select(Meeting)
            .join(Body)
            .where(Meeting.date == REAL_CASE_CRG, Body.kind == "governance")
        ).one()
        update = session.exec(
            select(AgendaItem).where(
                AgendaItem.meeting_id == crg.id,
                AgendaItem.title.contains("Task and Finish"),  # type: ignore[attr-defined]
            )
        ).one()
        assert update.lead_person_id is None and update.lead_group is None
        lost = {row["contribution_id"]: row for row in lost_points(session=session)}
        for point in points:
            row = lost[f"c{point.id}"]
            assert "PD Clinical Reference Group 2021-03-18" in str(row["missed_by"])
    engine.dispose()


def test_demo_shows_acted_and_credited_input(db_url: str, tmp_path: Path) -> None:
    """Does the demo also show input that was acted on and credited, so every outcome appears?"""
    load_demo(db_url, tmp_path / "demo", Settings(instance_dir=str(tmp_path)))
    engine = make_engine(db_url)
    with Session(engine) as session:
        statuses = {o.status for o in session.exec(select(Outcome)).all()}
        credited = [o for o in session.exec(select(Outcome)).all() if o.credited]
    engine.dispose()
    assert {"acted", "lost", "awaiting"} <= statuses
    assert credited
