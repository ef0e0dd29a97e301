"""`tracker scheduler` with TRACKER_LOG_FORMAT=json writes only JSON lines."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tracker.db import upgrade_schema


def test_the_scheduler_logs_json_lines(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    upgrade_schema(url)
    env = {
        **os.environ,
        "TRACKER_INSTANCE_DIR": str(tmp_path / "instance"),
        "TRACKER_LOG_FORMAT": "json",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "tracker", "--db", url, "scheduler"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 30
    first = b""
    while time.monotonic() < deadline and b"digests every" not in first:
        first += process.stderr.readline()
        if process.poll() is not None:
            break
    time.sleep(1.5)  # let it reach its loop
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=20)
    lines = (first + err).decode("utf-8").splitlines()
    records = [json.loads(line) for line in lines if line.strip()]  # all JSON
    messages = [r["message"] for r in records]
    assert any(m.startswith("digests every mon at 08:00 Europe/London") for m in messages)
    assert "scheduler stopped" in messages
    assert all({"time", "level", "logger", "message"} <= r.keys() for r in records)
    assert out == b""
