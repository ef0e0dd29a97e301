"""Two real `tracker worker` processes on one PostgreSQL: each job is done once."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlmodel import Session, select

from tracker.db import make_engine
from tracker.models import Job, StagedUpload
from tracker.services import jobs
from tracker.services.template_docx import build_template

UPLOADS = 16


def _start(folder: Path, url: str) -> tuple[subprocess.Popen[bytes], Path]:
    folder.mkdir()
    log = folder / "stderr.log"
    env = {
        **os.environ,
        "TRACKER_INSTANCE_DIR": str(folder / "instance"),
        "TRACKER_LOG_FORMAT": "json",
        "TRACKER_SECRET_KEY": "x" * 32,
    }
    with log.open("wb") as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "tracker", "--db", url, "worker"],
            env=env,
            cwd=folder,
            stdout=subprocess.DEVNULL,
            stderr=err,
        )
    return process, log


def _messages(log: Path) -> list[str]:
    return [json.loads(line)["message"] for line in log.read_text(encoding="utf-8").splitlines()]


@pytest.mark.postgres
def test_two_workers_never_run_the_same_job(postgres_schema_url: str, tmp_path: Path) -> None:
    """Sixteen uploads wait to be read while two worker processes poll the queue:
    is each read exactly once, by one worker or the other, and do both take part?"""
    from conftest import _empty

    engine = make_engine(postgres_schema_url)
    _empty(engine)
    workers = [_start(tmp_path / name, postgres_schema_url) for name in ("w1", "w2")]
    try:
        deadline = time.monotonic() + 60
        while not all(any(m.startswith("worker:") for m in _messages(log)) for _, log in workers):
            assert all(p.poll() is None for p, _ in workers), "a worker exited"
            assert time.monotonic() < deadline, "the workers did not start"
            time.sleep(0.2)
        data = build_template()
        with Session(engine) as session:
            for n in range(UPLOADS):
                token = f"two-workers-{n:04d}-token"
                session.add(
                    StagedUpload(
                        token=token,
                        user_id=1,
                        filename=f"m{n}.docx",
                        status="reading",
                        data=data,
                    )
                )
                jobs.enqueue(session, "parse", token)
            session.commit()

        def finished() -> bool:
            with Session(engine) as session:
                rows = session.exec(select(Job).where(Job.kind == "parse")).all()
            return len(rows) == UPLOADS and all(r.status == "done" for r in rows)

        deadline = time.monotonic() + 120
        while not finished():
            assert time.monotonic() < deadline, "the uploads were not all read"
            time.sleep(0.2)
    finally:
        for process, _ in workers:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=20)
    with Session(engine) as session:
        staged = session.exec(select(StagedUpload)).all()
        assert {s.status for s in staged} == {"ready"}
        rows = session.exec(select(Job).where(Job.kind == "parse")).all()
        assert {r.attempts for r in rows} == {1}
    engine.dispose()
    done: Counter[str] = Counter()
    per_worker = []
    for _, log in workers:
        mine = [
            m.group(1)
            for line in _messages(log)
            if (m := re.match(r"job parse (\S+) done by ", line))
        ]
        per_worker.append(len(mine))
        done.update(mine)
    assert sorted(done) == sorted(f"two-workers-{n:04d}-token" for n in range(UPLOADS))
    assert set(done.values()) == {1}, done  # nothing read twice
    assert all(n > 0 for n in per_worker), per_worker  # both took part
