"""Case 58: a backup restored to a fresh database gives the same record."""

from __future__ import annotations

import json
import time
from pathlib import Path

from click.testing import CliRunner

from tracker.cli import cli
from tracker.demo import BODIES, ROSTER, pd_catch_up_march, pd_crg_march


def run(url: str, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--db", url, *args])
    return result.exit_code, result.output


def test_backup_restores_to_the_same_record(tmp_path: Path) -> None:
    """Backup a used database, restore it into an empty one: is the export identical?"""
    url = f"sqlite:///{tmp_path / 'live.sqlite'}"
    (tmp_path / "roster.csv").write_text(ROSTER)
    (tmp_path / "bodies.csv").write_text(BODIES)
    minutes = tmp_path / "minutes"
    minutes.mkdir()
    pd_catch_up_march(minutes / "catch-up.docx")
    pd_crg_march(minutes / "crg.docx")
    for args in (
        ["init"],
        ["people", "import", str(tmp_path / "roster.csv")],
        ["bodies", "import", str(tmp_path / "bodies.csv")],
        ["import", str(minutes)],
        ["match"],
    ):
        assert run(url, *args)[0] == 0, args
    copy = tmp_path / "backups" / "tracker-2026-12-05.backup"
    copy.parent.mkdir()
    code, out = run(url, "backup", str(copy))
    assert code == 0, out
    began = time.monotonic()
    restored = f"sqlite:///{tmp_path / 'restored.sqlite'}"
    code, out = run(restored, "restore", str(copy))
    assert code == 0, out
    code, restored_export = run(restored, "export")
    took = time.monotonic() - began
    assert code == 0
    original = json.loads(run(url, "export")[1])
    again = json.loads(restored_export)
    assert again == original  # counts, ids, texts and the source files' SHA-256
    assert [m["source"]["sha256"] for m in again["meetings"]]
    assert took < 60
    # A second backup to the same name is refused; nothing is overwritten.
    code, out = run(url, "backup", str(copy))
    assert (code, out.strip()) == (1, f"Error: {copy}: already exists; choose a new file name")


def test_backup_of_an_unreachable_database_is_one_line(tmp_path: Path) -> None:
    """A database that does not answer is one line; no file is left behind."""
    code, out = run("postgresql+psycopg://u@127.0.0.1:1/x", "backup", str(tmp_path / "b"))
    assert code == 1 and len(out.strip().splitlines()) == 1
    assert "Traceback" not in out
    assert not (tmp_path / "b").exists()
