"""Measure the job table (services/jobs.py): enqueue cost, two-worker throughput, latency.

    .venv/bin/python bench/job_queue.py [--jobs 500] [--samples 10] [--pg URL]

On a fresh SQLite file and (when --pg answers) a fresh PostgreSQL schema:
the time to queue one job inside a transaction; how many no-op jobs two
worker processes do per second (and that none ran twice); and the time from
queuing a job in one process to its start in an idle worker that polls every
POLL_SECONDS (``tracker worker``) - or at once in the web host's own thread,
which ``enqueue`` wakes.
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlmodel import Session, func, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tracker.config import Settings
from tracker.db import make_engine, upgrade_schema
from tracker.models import Job
from tracker.services import jobs
from tracker.services.refresh import POLL_SECONDS

STARTS: dict[str, float] = {}


@jobs.handler("bench-noop")
def _noop(_engine, _settings, _key) -> None:  # type: ignore[no-untyped-def]
    """Do nothing (the queue's own cost)."""


@jobs.handler("bench-stamp")
def _stamp(engine, _settings, key) -> None:  # type: ignore[no-untyped-def]
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE job SET worker = :t WHERE kind = 'bench-stamp' AND key = :k"),
            {"t": repr(time.time()), "k": key},
        )


def _work(url: str, until_empty: bool) -> None:
    engine = make_engine(url)
    settings = Settings()
    while True:
        if jobs.run_due(engine, settings) == 0 and until_empty:
            return
        time.sleep(POLL_SECONDS)


def measure(url: str, n: int, samples: int = 10) -> str:
    engine = make_engine(url)
    began = time.perf_counter()
    with Session(engine) as session:
        for i in range(n):
            jobs.enqueue(session, "bench-noop", str(i))
            session.commit()  # one change, one transaction
    enqueue_ms = (time.perf_counter() - began) / n * 1000
    began = time.perf_counter()
    workers = [multiprocessing.Process(target=_work, args=(url, True)) for _ in range(2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    rate = n / (time.perf_counter() - began)
    with Session(engine) as session:
        twice = session.exec(select(func.count()).select_from(Job).where(Job.attempts != 1)).one()
    idle = multiprocessing.Process(target=_work, args=(url, False))
    idle.start()
    time.sleep(2)
    waits = []
    for i in range(samples):
        sent = time.time()
        with Session(engine) as session:
            jobs.enqueue(session, "bench-stamp", str(i))
            session.commit()
        while True:
            with Session(engine) as session:
                row = session.exec(
                    select(Job).where(Job.kind == "bench-stamp", Job.key == str(i))
                ).one()
            if row.status == "done":
                break
            time.sleep(0.005)
        waits.append((float(row.worker or sent) - sent) * 1000)
        time.sleep(random.uniform(0, POLL_SECONDS))  # not in step with the poll
    idle.terminate()
    idle.join()
    engine.dispose()
    return (
        f"enqueue {enqueue_ms:.2f} ms/job (own transaction); two workers {rate:.0f} jobs/s, "
        f"{twice} ran twice; idle latency median {statistics.median(waits):.0f} ms, "
        f"max {max(waits):.0f} ms (poll {POLL_SECONDS:.0f} s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=500)
    parser.add_argument("--samples", type=int, default=10, help="latency samples")
    parser.add_argument("--pg", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.sqlite"
        upgrade_schema(url)
        print(f"SQLite:     {measure(url, args.jobs, args.samples)}")
    try:
        admin = create_engine(args.pg)
        schema = f"bench_{uuid.uuid4().hex[:10]}"
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:  # no PostgreSQL here: SQLite only
        print(f"PostgreSQL: skipped ({type(exc).__name__}: {exc})")
        return
    url = f"{args.pg}?options=-csearch_path%3D{schema}"
    try:
        upgrade_schema(url)
        print(f"PostgreSQL: {measure(url, args.jobs, args.samples)}")
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


if __name__ == "__main__":
    multiprocessing.set_start_method("fork")
    main()
