"""The command line: `tracker digests preview|send` with .eml files by default."""

from __future__ import annotations

from email import message_from_bytes, policy
from pathlib import Path

from click.testing import CliRunner
from sqlmodel import Session

from digests.digest_support import Programme, seed_programme
from tracker.cli import cli


def invoke(tmp_path: Path, db_url: str, *args: str) -> tuple[int, str]:
    env = {
        "TRACKER_INSTANCE_DIR": str(tmp_path / "instance"),
        "TRACKER_SECRET_KEY": "cli-secret",
        "TRACKER_SMTP_URL": "",
        "TRACKER_BASE_URL": "https://tracker.example",
        "TRACKER_CONFIG": str(tmp_path / "absent.toml"),
    }
    result = CliRunner().invoke(cli, ["--db", db_url, *args], env=env)
    return result.exit_code, result.output


def test_preview_then_send_writes_eml_files_once(
    tmp_path: Path, db_url: str, session: Session
) -> None:
    """Does preview print Ann's digest, and send write one .eml per LXP, once?"""
    programme: Programme = seed_programme(session)
    code, out = invoke(
        tmp_path, db_url, "digests", "preview", "ann@example.org", "--as-of", "2021-03-22"
    )
    assert code == 0, out
    assert out.startswith("Subject: You said, we did") and "Run peer support groups" in out
    code, out = invoke(tmp_path, db_url, "digests", "preview", "cara@example.org")
    assert code == 0 and "Nothing new for cara@example.org" in out

    code, out = invoke(tmp_path, db_url, "digests", "send", "--as-of", "2021-03-22")
    assert code == 0, out
    assert "2 queued" in out and "2 sent" in out
    outbox = tmp_path / "instance" / "outbox"
    files = sorted(outbox.glob("*.eml"))
    assert len(files) == 2
    msg = message_from_bytes(files[0].read_bytes(), policy=policy.default)
    assert msg["Message-ID"] and msg["List-Unsubscribe"]
    code, out = invoke(tmp_path, db_url, "digests", "send", "--as-of", "2021-03-22")
    assert "0 queued" in out and len(list(outbox.glob("*.eml"))) == 2
    code, out = invoke(tmp_path, db_url, "digests", "status")
    assert "2 sent" in out
    assert programme.ann.id


def test_bad_as_of_is_one_line_error(tmp_path: Path, db_url: str) -> None:
    """Does a bad date exit non-zero with one line on stderr?"""
    code, out = invoke(tmp_path, db_url, "digests", "send", "--as-of", "22/03/2021")
    assert code != 0 and "expected a date such as 2021-03-22" in out
    code, out = invoke(tmp_path, db_url, "digests", "preview", "nobody@example.org")
    assert code != 0 and "no person with email" in out
