"""Time the refresh after one new meeting against a full rebuild, in a real database.

    .venv/bin/python bench/refresh.py                          # 10k points x 100k records
    .venv/bin/python bench/refresh.py --sources 1000 --targets 10000
    .venv/bin/python bench/refresh.py --db postgresql://127.0.0.1/test --report FILE

The programme is bench/match.py's (fortnightly catch-ups, weekly governance or
working meetings, 10 workstreams at the default size), written into a fresh
SQLite database (or an empty PostgreSQL one) in bulk. Then:

1. a full rebuild (`tracker match`) from nothing: every link written;
2. a full rebuild again, with nothing changed (the steady state);
3. one new governance meeting stored as the web app and `tracker import` store it
   (the request's share: parse not included, a job row queued), then the refresh
   that job triggers (`run_pending`, what the background worker runs).

Times are wall seconds on the shared machine; each stage is also split into
loading the records, matching, and writing.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import tempfile
import time
from collections import defaultdict
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from match import generate  # noqa: E402
from sqlalchemy import insert, text  # noqa: E402
from sqlmodel import Session, select  # noqa: E402

from parsers.model import (  # noqa: E402
    ParsedContribution,
    ParsedDecision,
    ParsedItem,
    ParsedMinutes,
)
from tracker.config import Settings  # noqa: E402
from tracker.db import make_engine, upgrade_schema  # noqa: E402
from tracker.domain.matching import Record  # noqa: E402
from tracker.models import (  # noqa: E402
    Action,
    AgendaItem,
    Body,
    Contribution,
    Decision,
    Link,
    Meeting,
    Outcome,
)
from tracker.services import linking, refresh  # noqa: E402
from tracker.services.meetings import store_minutes  # noqa: E402


def load_programme(engine, records: list[Record]) -> dict[str, int]:
    """Write the generated records as bodies, meetings and their rows, in bulk."""
    kinds = {"c": "catch-up", "g": None}
    bodies: dict[tuple[str, str], int] = {}
    meetings: dict[str, dict] = {}
    for r in records:
        if r.meeting_id not in meetings:
            kind = kinds[r.meeting_id.rsplit("-", 1)[1][0]] or r.body_kind
            key = (r.workstream, kind)
            bodies.setdefault(key, len(bodies) + 1)
            meetings[r.meeting_id] = {
                "id": len(meetings) + 1,
                "body_id": bodies[key],
                "title": r.meeting_id,
                "date": r.meeting_date,
                "source_filename": f"{r.meeting_id}.docx",
                "sha256": hashlib.sha256(r.meeting_id.encode()).hexdigest(),
                "text": "",
                "warnings": [],
                "version": 1,
                "is_current": True,
                "imported_at": Meeting().imported_at,
                "imported_by": "bench",
            }
    rows: dict[str, list[dict]] = defaultdict(list)
    item_ids: dict[str, int] = {}
    for r in records:
        if r.kind == "agenda_item":
            item_ids[r.id] = len(item_ids) + 1
            rows["agenda_item"].append(
                {
                    "id": item_ids[r.id],
                    "meeting_id": meetings[r.meeting_id]["id"],
                    "position": 0,
                    "number": "",
                    "title": r.text,
                }
            )
    for r in records:
        if r.kind == "agenda_item":
            continue
        row = {
            "meeting_id": meetings[r.meeting_id]["id"],
            "agenda_item_id": item_ids.get(r.item_id or ""),
            "position": 0,
            "text": r.text,
        }
        if r.kind == "contribution":
            row |= {"consent": "quote-named", "is_story": False}
            if r.body_kind == "catch-up":
                row |= {"speaker_group": "lxp", "speaker_as_written": "LXPs"}
        rows[r.kind].append(row)
    models = {
        "agenda_item": AgendaItem,
        "contribution": Contribution,
        "action": Action,
        "decision": Decision,
    }
    with Session(engine) as session:
        session.execute(
            insert(Body),
            [
                {
                    "id": i,
                    "name": f"{ws} {kind}",
                    "kind": kind,
                    "workstream": ws,
                    "patterns": [f"{ws} {kind}"],
                }
                for (ws, kind), i in bodies.items()
            ],
        )
        session.execute(insert(Meeting), list(meetings.values()))
        for kind, model in models.items():
            batch = rows[kind]
            for i in range(0, len(batch), 20000):
                session.execute(insert(model), batch[i : i + 20000])
        if engine.dialect.name == "postgresql":
            for table in ("body", "meeting", "agendaitem", "contribution", "action", "decision"):
                session.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT max(id) FROM {table}))"
                    )
                )
        session.commit()
    return {k: len(v) for k, v in rows.items()} | {"meetings": len(meetings)}


def new_meeting(records: list[Record], n: int = 60) -> tuple[str, ParsedMinutes]:
    """A governance meeting of the first workstream, a week after its last one,
    restating some of its recent points (so it takes them up)."""
    ws = records[0].workstream
    last = max(r.meeting_date for r in records if r.workstream == ws)
    recent = sorted(
        (r for r in records if r.workstream == ws and r.body_kind == "catch-up"),
        key=lambda r: r.meeting_date,
    )[-40:]
    items = tuple(ParsedItem(str(i + 1), f"Item {i + 1}") for i in range(n // 10))
    contributions = tuple(
        ParsedContribution(
            " ".join(recent[i % len(recent)].text.split()[: 8 + i % 5]), None, item=i % len(items)
        )
        for i in range(n // 2)
    )
    decisions = tuple(
        ParsedDecision("Agreed: " + " ".join(recent[-1 - i].text.split()[:6]), item=i % len(items))
        for i in range(n // 10)
    )
    minutes = ParsedMinutes(
        title=f"{ws} governance",
        date=last + timedelta(days=7),
        items=items,
        contributions=contributions,
        decisions=decisions,
    )
    return f"{ws} governance", minutes


def scoped_match(engine, settings: Settings, day) -> float:
    """What a refresh would cost if scores did not depend on every record: load and
    match only the points whose window holds the new meeting, and their windows."""
    window = timedelta(days=settings.match_window_days)
    with Session(engine) as session:
        t = time.perf_counter()
        ids = session.exec(
            select(Meeting.id).where(
                Meeting.is_current == True,  # noqa: E712
                Meeting.date >= day - window,
                Meeting.date <= day + window,
                Meeting.body_id.in_(  # type: ignore[attr-defined]
                    select(Body.id).where(Body.workstream == "WS0")
                ),
            )
        ).all()
        records = linking.load_records(session, meeting_ids=ids)
        options, encoder = linking._matcher_options(settings)
        linking.suggest_links(records, options, encoder=encoder)
        return time.perf_counter() - t


def timed_rebuild(engine, settings: Settings) -> dict[str, float]:
    """A full rebuild, split into load, match and write (the same code, stage by stage)."""
    out: dict[str, float] = {}
    with Session(engine, expire_on_commit=False) as session:
        t0 = time.perf_counter()
        records = linking.load_records(session)
        t1 = time.perf_counter()
        options, encoder = linking._matcher_options(settings)
        suggestions = linking.suggest_links(records, options, encoder=encoder)
        t2 = time.perf_counter()
        out["load_s"], out["match_s"] = t1 - t0, t2 - t1
        session.rollback()
    with Session(engine, expire_on_commit=False) as session:
        t3 = time.perf_counter()
        linking.run_matching(session=session, settings=settings, actor="bench")
        out["total_s"] = time.perf_counter() - t3
        out["write_s"] = max(0.0, out["total_s"] - out["load_s"] - out["match_s"])
        out["links"] = float(len(suggestions))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sources", type=int, default=10_000)
    parser.add_argument("--targets", type=int, default=100_000)
    parser.add_argument("--db", help="database URL (default: a fresh SQLite file)")
    parser.add_argument("--report", help="write a markdown table here")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-refresh-"))
    url = args.db or f"sqlite:///{folder / 'bench.sqlite'}"
    upgrade_schema(url)
    engine = make_engine(url)
    settings = Settings(database_url=url, instance_dir=str(folder / "instance"))
    records = generate(args.sources, args.targets)
    t = time.perf_counter()
    sizes = load_programme(engine, records)
    print(f"loaded {sizes} in {time.perf_counter() - t:.1f} s", flush=True)

    first = timed_rebuild(engine, settings)
    print(f"full rebuild from nothing: {first}", flush=True)
    steady = timed_rebuild(engine, settings)
    print(f"full rebuild, nothing changed: {steady}", flush=True)

    name, minutes = new_meeting(records)
    with Session(engine, expire_on_commit=False) as session:
        t = time.perf_counter()
        store_minutes(
            session=session,
            parsed=minutes,
            data=b"bench new meeting",
            filename="new.docx",
            body_name=f"{records[0].workstream} governance",
        )
        store_s = time.perf_counter() - t
        before = {o.contribution_id: o.status for o in session.exec(select(Outcome)).all()}
        links_before = len(session.exec(select(Link.id)).all())
        session.commit()
    t = time.perf_counter()
    done = refresh.run_pending(engine, settings)
    refresh_s = time.perf_counter() - t
    with Session(engine) as session:
        after = {o.contribution_id: o.status for o in session.exec(select(Outcome)).all()}
        links_after = len(session.exec(select(Link.id)).all())
    moved = sum(after.get(k) != v for k, v in before.items())
    print(
        f"new meeting ({name}): store {store_s:.3f} s (request), refresh {refresh_s:.2f} s "
        f"({done} job), {moved} outcomes changed, links {links_before} -> {links_after}",
        flush=True,
    )
    ratio = refresh_s / steady["total_s"] if steady["total_s"] else float("nan")
    print(f"refresh / full rebuild (steady): {ratio:.2f}")
    scoped = scoped_match(engine, settings, minutes.date)
    print(f"scoped match (a refresh if the matcher's IDF did not move): {scoped:.2f} s")
    if args.report:
        n_points = sizes.get("contribution", 0)
        table = [
            "| stage | load s | match s | write s | total s |",
            "|---|---|---|---|---|",
            f"| full rebuild, from nothing | {first['load_s']:.2f} | {first['match_s']:.2f} | "
            f"{first['write_s']:.2f} | {first['total_s']:.2f} |",
            f"| full rebuild, nothing changed | {steady['load_s']:.2f} | "
            f"{steady['match_s']:.2f} | {steady['write_s']:.2f} | {steady['total_s']:.2f} |",
            f"| one new meeting: request (store + queue) | | | | {store_s:.3f} |",
            f"| one new meeting: background refresh | | | | {refresh_s:.2f} |",
        ]
        Path(args.report).write_text(
            f"Programme: {len(records):,} records ({n_points:,} contributions), "
            f"{sizes['meetings']:,} meetings, database {engine.dialect.name}.\n\n"
            + "\n".join(table)
            + f"\n\nRefresh / full rebuild: {ratio:.2f}; {moved} outcomes changed. "
            f"Scoped match (load and match only the points whose window holds the new "
            f"meeting, and their windows: what a refresh would cost if the matcher's word "
            f"weights did not move with every meeting): {scoped:.2f} s.\n",
            encoding="utf-8",
        )


if __name__ == "__main__":
    main()
