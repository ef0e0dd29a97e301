"""Time to build and queue "you said, we did" digests for 2,000 LXPs over a year.

    .venv/bin/python bench/digests.py [--db URL] [--lxps 2000] [--out bench/results/digests.md]

Builds a synthetic year (2021) in a fresh database: 4 workstreams, each with a
weekly LXP catch-up, a monthly governance meeting and a fortnightly working
group; 40 LXP points per catch-up spread over the LXPs; about half taken up
by a later decision, action or discussion (confirmed links), some marked not
taken forward, an agenda item in four led by an LXP.  Then it times:

1. the first round (everything on record, 2021-12-27), queue only;
2. the next week's round (only what is new), queue only;
3. draining the first round's outbox to .eml files.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import func
from sqlmodel import Session, select

from tracker.config import Settings
from tracker.db import make_engine, upgrade_schema
from tracker.models import (
    Action,
    AgendaItem,
    Body,
    Contribution,
    Decision,
    DigestPeriod,
    Link,
    Meeting,
    Outcome,
    Person,
    User,
)
from tracker.services.digests import as_of_for_date, queue_round
from tracker.services.linking import recompute_outcomes
from tracker.services.outbox import drain

WORKSTREAMS = ("PD", "Eating disorders", "IAPT", "Perinatal")
YEAR_START = date(2021, 1, 4)


def seed(session: Session, lxps: int, rng: random.Random) -> dict[str, int]:
    """Write a year of synthetic minutes; return row counts."""
    imported = datetime(2021, 1, 1, tzinfo=UTC)
    people = [
        Person(name=f"LXP {i}", role="lxp", email=f"lxp{i}@example.org", aliases=[f"L{i}"])
        for i in range(lxps)
    ]
    session.add_all(people)
    session.add(Person(name="Lead", role="staff", email="lead@example.org"))
    session.flush()
    session.add(User(email="lead@example.org", password_hash="x", role="lead"))
    counts = {"meetings": 0, "contributions": 0, "links": 0}
    serial = 0
    for stream in WORKSTREAMS:
        bodies = {
            kind: Body(name=f"{stream} {kind}", kind=kind, workstream=stream, patterns=[])
            for kind in ("catch-up", "governance", "working")
        }
        session.add_all(bodies.values())
        session.flush()
        schedule = []
        for week in range(52):
            day = YEAR_START + timedelta(weeks=week)
            schedule.append(("catch-up", day + timedelta(days=1)))
            if week % 2 == 0:
                schedule.append(("working", day + timedelta(days=2)))
            if week % 4 == 3:
                schedule.append(("governance", day + timedelta(days=3)))
        targets: list[tuple[str, int, date]] = []
        points: list[tuple[Contribution, date]] = []
        for kind, day in schedule:
            serial += 1
            meeting = Meeting(
                body_id=bodies[kind].id or 0,
                title=f"{stream} {kind} {day}",
                date=day,
                source_filename=f"{serial}.docx",
                sha256=f"{serial:064x}",
                imported_at=imported,
            )
            session.add(meeting)
            session.flush()
            counts["meetings"] += 1
            item = AgendaItem(
                meeting_id=meeting.id or 0,
                title=f"Item {serial}",
                lead_person_id=rng.choice(people).id if rng.random() < 0.25 else None,
            )
            session.add(item)
            session.flush()
            if kind == "catch-up":
                rows = [
                    Contribution(
                        meeting_id=meeting.id or 0,
                        agenda_item_id=item.id,
                        position=n,
                        text=f"Point {serial}.{n}: make the service kinder at night.",
                        speaker_person_id=rng.choice(people).id,
                        consent=rng.choice(
                            ["quote-named"] * 6 + ["quote-anonymous"] * 3 + ["count-only"]
                        ),
                        is_story=rng.random() < 0.05,
                    )
                    for n in range(40)
                ]
                session.add_all(rows)
                session.flush()
                points.extend((row, day) for row in rows)
                counts["contributions"] += len(rows)
            else:
                decision = Decision(
                    meeting_id=meeting.id or 0, agenda_item_id=item.id, text=f"Agreed {serial}"
                )
                action = Action(
                    meeting_id=meeting.id or 0, agenda_item_id=item.id, text=f"Do {serial}"
                )
                session.add_all([decision, action])
                session.flush()
                targets += [("decision", decision.id or 0, day), ("action", action.id or 0, day)]
        for row, day in points:
            if rng.random() < 0.5:
                later = [t for t in targets if t[2] > day]
                if later:
                    kind, target_id, _ = rng.choice(later[:6])
                    session.add(
                        Link(
                            contribution_id=row.id or 0,
                            target_type=kind,
                            target_id=target_id,
                            status="confirmed",
                            method="bench",
                        )
                    )
                    counts["links"] += 1
        session.flush()
    recompute_outcomes(session=session)
    session.flush()
    outcomes = session.exec(select(Outcome).where(Outcome.status == "lost")).all()
    for outcome in outcomes[::10]:
        outcome.status, outcome.reason = "not-taken-forward", "No budget this year."
        outcome.set_at = imported
        session.add(outcome)
    session.commit()
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="database URL (default: a fresh SQLite file)")
    parser.add_argument("--lxps", type=int, default=2000)
    parser.add_argument("--out", default=str(Path(__file__).parent / "results" / "digests.md"))
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-digests-"))
    url = args.db or f"sqlite:///{folder / 'bench.sqlite'}"
    upgrade_schema(url)
    engine = make_engine(url)
    settings = Settings(
        database_url=url,
        instance_dir=str(folder),
        secret_key="bench",
        base_url="https://tracker.example",
    )
    rng = random.Random(2021)
    t = time.perf_counter()
    with Session(engine, expire_on_commit=False) as session:
        counts = seed(session, args.lxps, rng)
    seed_s = time.perf_counter() - t

    timings = {}
    for label, day in (("first round", date(2021, 12, 27)), ("next week", date(2022, 1, 3))):
        t = time.perf_counter()
        with Session(engine, expire_on_commit=False) as session:
            summary = queue_round(
                session=session, settings=settings, as_of=as_of_for_date(settings, day)
            )
        timings[label] = (time.perf_counter() - t, summary)
        if label == "first round":
            t = time.perf_counter()
            drained = drain(engine=engine, settings=settings)
            drain_s = time.perf_counter() - t
    with Session(engine) as session:
        rows = session.exec(select(func.count()).select_from(DigestPeriod)).one()
        size = session.exec(select(func.avg(func.length(DigestPeriod.body_text)))).one()

    dialect = engine.dialect.name
    lines = [
        "# Digest bench: build and queue digests for 2,000 LXPs over a year",
        "",
        f"`bench/digests.py` on {dialect}, {args.lxps} LXPs, one synthetic year (2021): "
        f"{counts['meetings']} meetings, {counts['contributions']} LXP points, "
        f"{counts['links']} confirmed links (seeding took {seed_s:.1f} s).",
        "",
        "| step | time | result |",
        "|---|---|---|",
    ]
    for label, (secs, summary) in timings.items():
        lines.append(f"| {label}: build + queue | {secs:.2f} s | {summary.summary()} |")
    lines.append(f"| first round: send to .eml files | {drain_s:.2f} s | {drained.summary()} |")
    lines += [
        "",
        f"{rows} outbox rows in all; the average plain-text body is {float(size or 0):.0f} "
        "characters.",
        "",
        "The first round covers everything on record for each LXP, so it is the worst",
        "case; a normal week only renders what is new. Facts (minutes, links, outcomes)",
        "are loaded once per round and outcomes are classified as of the round date.",
        "Run it again with `--db postgresql+psycopg://...` for PostgreSQL.",
        "",
    ]
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
