"""Every benchmark runs at a small size, so none can rot unnoticed.

The figures are not checked here (speed goals live in bench/ and the
README); each bench must run to the end, exit 0 and print its table.
Reports go to a temporary folder so a clean clone stays clean.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run_bench(*args: str, timeout: int = 300) -> str:
    proc = subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc.stdout


def test_parse_bench_small(tmp_path: Path) -> None:
    out = tmp_path / "parse.md"
    stdout = run_bench("bench/parse.py", "--small", "--runs", "1", "--out", str(out))
    assert "parse/raw" in stdout
    assert "parse/raw" in out.read_text()


def test_parse_speed_bench_small() -> None:
    stdout = run_bench("bench/parse_speed.py", "--pages", "3")
    assert "parse_minutes" in stdout


def test_match_bench_small(tmp_path: Path) -> None:
    out = tmp_path / "match.md"
    stdout = run_bench("bench/match.py", "--small", "--report", str(out))
    assert "match / bare" in stdout
    assert out.read_text().count("\n") >= 4


def test_web_bench_small(tmp_path: Path) -> None:
    out = tmp_path / "web.md"
    stdout = run_bench(
        "bench/web.py",
        "--contributions",
        "300",
        "--runs",
        "2",
        "--db",
        "sqlite",
        "--out",
        str(out),
    )
    assert "p95" in stdout or "p95" in out.read_text()


def test_web_bench_served_small(tmp_path: Path) -> None:
    # Two real `tracker serve` processes, 3 clients signed in on one host and
    # answered by both (a shared key); every page row has all its requests.
    out = tmp_path / "web.md"
    run_bench(
        "bench/web.py",
        *("--contributions", "300", "--runs", "2", "--db", "sqlite", "--out", str(out)),
        *("--served", "--processes", "2", "--clients", "3"),
    )
    report = out.read_text()
    assert "2 `tracker serve` processes, 3 concurrent clients" in report
    served = report.split("concurrent clients", 1)[1]
    assert served.count("| 6 |") == 6  # 3 clients x 2 requests, for each of the 6 pages


def test_digests_bench_small(tmp_path: Path) -> None:
    out = tmp_path / "digests.md"
    run_bench("bench/digests.py", "--lxps", "12", "--out", str(out))
    assert out.read_text().strip()


def test_parse_quality_bench_on_dev(shared_dir: Path) -> None:
    stdout = run_bench("bench/parse_quality.py", str(shared_dir / "corpus" / "dev"))
    assert "speaker" in stdout


@pytest.mark.parametrize("corpus", ["dev"])
def test_compare_methods_bench(shared_dir: Path, tmp_path: Path, corpus: str) -> None:
    out = tmp_path / "compare.json"
    run_bench(
        "bench/compare_methods.py",
        str(shared_dir / "corpus" / corpus),
        "--methods",
        "tfidf",
        "--json",
        str(out),
    )
    assert out.read_text().strip()


def test_job_queue_bench_small() -> None:
    stdout = run_bench("bench/job_queue.py", "--jobs", "20", "--samples", "2")
    assert "SQLite:     enqueue" in stdout and ", 0 ran twice;" in stdout
