"""The job queue: queued once, claimed by one worker, retried with backoff."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from tracker.config import Settings
from tracker.metrics import JOBS
from tracker.models import Job, utcnow
from tracker.services import jobs, refresh


@pytest.fixture
def recorded() -> Counter[str]:
    """A job kind of this test's own that records each run."""
    runs: Counter[str] = Counter()

    @jobs.handler("test-record")
    def _record(engine: Engine, settings: Settings, key: str) -> None:
        runs[key] += 1

    yield runs
    jobs.HANDLERS.pop("test-record")


def _rows(engine: Engine) -> list[Job]:
    with Session(engine) as session:
        return list(session.exec(select(Job).order_by(Job.id)).all())


def test_a_job_queued_twice_is_one_row_and_runs_once(
    engine: Engine, recorded: Counter[str]
) -> None:
    """Does queuing the same (kind, key) again add nothing, even after it ran?"""
    with Session(engine) as session:
        jobs.enqueue(session, "test-record", "2026-W49")
        jobs.enqueue(session, "test-record", "2026-W49")
        jobs.enqueue(session, "test-record", "2026-W50")
        session.commit()
    assert jobs.run_due(engine, Settings()) == 2
    with Session(engine) as session:
        jobs.enqueue(session, "test-record", "2026-W49")  # a restart queues it again
        session.commit()
    assert jobs.run_due(engine, Settings()) == 0
    assert recorded == {"2026-W49": 1, "2026-W50": 1}
    assert [(j.key, j.status, j.attempts) for j in _rows(engine)] == [
        ("2026-W49", "done", 1),
        ("2026-W50", "done", 1),
    ]


def test_a_rolled_back_change_leaves_no_job(engine: Engine, recorded: Counter[str]) -> None:
    """Is a job part of the caller's transaction?"""
    with Session(engine) as session:
        jobs.enqueue(session, "test-record", "x")
        session.rollback()
    assert _rows(engine) == []


def test_a_failing_job_is_retried_with_backoff_then_left_failed(engine: Engine) -> None:
    """Does a failure put the job back with a growing wait, counted in the metrics,
    and after MAX_ATTEMPTS leave it failed?"""
    tries: list[str] = []

    @jobs.handler("test-fail")
    def _fail(engine: Engine, settings: Settings, key: str) -> None:
        tries.append(key)
        raise RuntimeError("a message that could quote someone")

    failed_before = JOBS.labels(job="test-fail", result="failed")._value.get()
    try:
        with Session(engine) as session:
            jobs.enqueue(session, "test-fail", "k")
            session.commit()
        waits = []
        for attempt in range(1, jobs.MAX_ATTEMPTS + 1):
            before = utcnow()
            assert jobs.run_due(engine, Settings()) == 1
            (row,) = _rows(engine)
            assert row.attempts == attempt and row.last_error == "RuntimeError"
            if attempt < jobs.MAX_ATTEMPTS:
                assert row.status == "queued"
                waits.append(row.run_after - before)
                assert jobs.run_due(engine, Settings()) == 0  # not due yet
                with Session(engine) as session:  # time passes
                    job = session.get(Job, row.id)
                    job.run_after = utcnow() - timedelta(seconds=1)
                    session.add(job)
                    session.commit()
        (row,) = _rows(engine)
        assert row.status == "failed"
        assert jobs.run_due(engine, Settings()) == 0
    finally:
        jobs.HANDLERS.pop("test-fail")
    assert len(tries) == jobs.MAX_ATTEMPTS
    assert waits == sorted(waits) and waits[0] >= timedelta(seconds=9)
    assert JOBS.labels(job="test-fail", result="failed")._value.get() - failed_before == 5
    with Session(engine) as session:
        assert jobs.counts(session)["failed"] == 1


def test_a_job_whose_worker_died_is_claimed_again_after_its_lease(
    engine: Engine, recorded: Counter[str]
) -> None:
    with Session(engine) as session:
        jobs.enqueue(session, "test-record", "k")
        session.commit()
    with Session(engine) as session:
        assert jobs.claim(session, worker="dead") is not None  # and never finished
    assert jobs.run_due(engine, Settings()) == 0  # leased: nobody else takes it
    with Session(engine) as session:
        later = utcnow() + jobs.LEASE + timedelta(seconds=1)
        claimed = jobs.claim(session, worker="alive", now=later)
    assert claimed is not None and claimed.attempts == 2


def test_racing_claimers_never_take_the_same_job(engine: Engine) -> None:
    """Eight threads claim from 40 jobs at once: is each job taken exactly once?"""
    with Session(engine) as session:
        for n in range(40):
            jobs.enqueue(session, "test-none", str(n))
        session.commit()
    taken: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(8)

    def claimer(name: str) -> None:
        start.wait()
        while True:
            with Session(engine) as session:
                claimed = jobs.claim(session, worker=name, kind="test-none")
            if claimed is None:
                return
            with lock:
                taken.append(claimed.key)

    threads = [threading.Thread(target=claimer, args=(f"w{n}",)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(taken, key=int) == [str(n) for n in range(40)]


def test_one_refresh_at_a_time_across_processes(engine: Engine) -> None:
    """Is the refresh lock held by one holder only (advisory lock, or the lock file),
    and does a refresh wait its turn rather than run beside another?"""
    with Session(engine) as session:
        refresh.enqueue(session, "all")
        session.commit()
    with refresh.refresh_lock(engine) as first:
        assert first
        with refresh.refresh_lock(engine) as second:
            assert not second
        # Another process finds it taken too.
        import subprocess
        import sys

        probe = (
            "import sys; from tracker.db import make_engine; "
            "from tracker.services.refresh import refresh_lock\n"
            "with refresh_lock(make_engine(sys.argv[1])) as got: print(got)"
        )
        out = subprocess.run(
            [sys.executable, "-c", probe, engine.url.render_as_string(hide_password=False)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert out.strip() == "False"
        assert refresh.run_pending(engine, Settings()) == 0  # skipped while held
        with Session(engine) as session:
            assert refresh.pending_count(session) == 1
    with refresh.refresh_lock(engine) as again:
        assert again
    assert refresh.run_pending(engine, Settings()) == 1  # its turn


def test_the_schedule_queues_each_round_and_retention_once(engine: Engine, tmp_path) -> None:
    """Two workers' schedules fire for the same week: is there one round and one
    retention job, and does running them queue nothing new?"""
    from datetime import UTC, datetime

    from tracker.scheduler import queue_due_work
    from tracker.services import job_kinds  # the entry points register the kinds of job

    assert {"digest-round", "retention", "parse"} <= set(jobs.HANDLERS), job_kinds
    settings = Settings(instance_dir=str(tmp_path))
    now = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)  # a Monday, after the round time
    assert queue_due_work(engine, settings, now) == queue_due_work(engine, settings, now)
    assert [(j.kind, j.key, j.status) for j in _rows(engine)] == [
        ("retention", "2026-12-07", "queued"),
        ("digest-round", "2026-W50", "queued"),
    ]
    assert jobs.run_due(engine, settings) == 2
    assert {j.status for j in _rows(engine)} == {"done"}
    queue_due_work(engine, settings, now)  # a restart the same day
    assert jobs.run_due(engine, settings) == 0


def test_the_command_line_waits_for_a_running_refresh_then_does_the_rest(engine: Engine) -> None:
    """With wait (an import, a digest round), does run_pending wait for the holder
    and then refresh, rather than skip?"""
    import time

    with Session(engine) as session:
        refresh.enqueue(session, "all")
        session.commit()
    held = threading.Event()

    def holder() -> None:
        with refresh.refresh_lock(engine) as got:
            assert got
            held.set()
            time.sleep(0.5)

    thread = threading.Thread(target=holder)
    thread.start()
    held.wait(10)
    began = time.monotonic()
    assert refresh.run_pending(engine, Settings(), wait=True) == 1
    assert time.monotonic() - began >= 0.3
    thread.join()
    with Session(engine) as session:
        assert refresh.pending_count(session) == 0


def test_tracker_jobs_status_lists_failed_jobs_and_retry_queues_them(engine: Engine) -> None:
    from click.testing import CliRunner

    from tracker.cli import cli

    with Session(engine) as session:
        jobs.enqueue(session, "test-gone", "k1")  # no handler: it fails every time
        session.commit()
        job = session.exec(select(Job)).one()
        job.status, job.attempts, job.last_error = "failed", 5, "LookupError"
        session.add(job)
        session.commit()
    url = engine.url.render_as_string(hide_password=False)
    runner = CliRunner()
    status = runner.invoke(cli, ["--db", url, "jobs", "status"])
    assert status.exit_code == 0, status.output
    assert "0 queued, 0 running, 0 done, 1 failed" in status.output
    assert "failed: test-gone k1 after 5 tries (LookupError)" in status.output
    retry = runner.invoke(cli, ["--db", url, "jobs", "retry"])
    assert retry.output.strip() == "1 failed jobs queued again"
    (row,) = _rows(engine)
    assert (row.status, row.attempts) == ("queued", 0)
