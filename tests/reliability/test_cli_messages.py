"""One clear line for a database we cannot use, and for ids that are not ids."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from tracker.cli import cli


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def test_an_unreachable_sqlite_path_names_the_folder(tmp_path: Path) -> None:
    """A SQLite path under a file (not a folder): one line naming it, not 'unexpected error'."""
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    for command in (["init"], ["match"]):
        code, out = run("--db", f"sqlite:///{blocker}/sub/t.sqlite", *command)
        assert code == 1
        assert out.strip().splitlines() == [
            f"Error: database problem: cannot create the folder {blocker}/sub for the "
            "SQLite database t.sqlite (Not a directory)"
        ]


def test_a_database_without_tables_says_run_init(tmp_path: Path) -> None:
    """A database file that was never initialised: the line names it and says what to do."""
    url = f"sqlite:///{tmp_path / 'empty.sqlite'}"
    code, out = run("--db", url, "match")
    assert code == 1 and "unexpected" not in out
    assert out.startswith(f"Error: database problem at {url}: no such table")
    assert out.rstrip().endswith("run `tracker init` first")


@pytest.mark.parametrize("bad", ["\u00b2", "p\u0663", "99999999999999999999", "p0", "1.5"])
def test_ids_that_are_not_ids_are_one_line(tmp_path: Path, bad: str) -> None:
    """Non-ASCII digits, zero and ids beyond 2**63-1: one line, no database touched."""
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    code, out = run("--db", url, "people", "erase", bad, "--yes")
    assert code == 1
    assert out == f"Error: {bad!r} is not an id such as p12\n"


def test_an_id_beyond_the_column_is_not_found_in_one_line(db_url: str) -> None:
    """3,000,000,000 fits SQLite's ids but not PostgreSQL's: either way one plain line."""
    code, out = run("--db", db_url, "links", "confirm", "3000000000")
    assert code == 1
    assert out in (
        "Error: no link 3000000000\n",
        "Error: not found: a number given is out of range for the database\n",
    )
