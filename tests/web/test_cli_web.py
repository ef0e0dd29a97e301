"""`tracker users add`: a sign-in per role, password from stdin."""

from __future__ import annotations

import socket
import subprocess
import sys

import pytest
from click.testing import CliRunner
from sqlmodel import Session, select

from tracker.cli import cli
from tracker.db import make_engine
from tracker.models import User


def test_users_add_reads_the_password_from_stdin(db_url, tmp_path):
    """Does `users add` create a chair sign-in with an argon2id hash?"""
    runner = CliRunner()
    result = runner.invoke(
        cli,
        ["--db", db_url, "users", "add", "Chair@Example.org", "--role", "chair"],
        input="a long enough password\n",
    )
    assert result.exit_code == 0, result.output
    engine = make_engine(db_url)
    with Session(engine) as session:
        user = session.exec(select(User)).one()
    engine.dispose()
    assert user.email == "chair@example.org"
    assert user.password_hash.startswith("$argon2id$")


def test_users_add_refuses_short_passwords_and_lxp_without_person(db_url):
    """Are a short password and an lxp with no roster person refused in one line?"""
    runner = CliRunner()
    short = runner.invoke(
        cli, ["--db", db_url, "users", "add", "a@example.org", "--role", "chair"], input="short\n"
    )
    assert short.exit_code != 0
    assert "at least 8 characters" in short.output
    lxp = runner.invoke(
        cli,
        ["--db", db_url, "users", "add", "b@example.org", "--role", "lxp"],
        input="a long enough password\n",
    )
    assert lxp.exit_code != 0
    assert "--person" in lxp.output


def test_users_add_totp_prints_a_key_for_a_lead(db_url):
    """Does `users add --totp` store a key for a lead and print it once, grouped in fours?"""
    runner = CliRunner()
    result = runner.invoke(
        cli,
        ["--db", db_url, "users", "add", "lead@example.org", "--role", "lead", "--totp"],
        input="a long enough password\n",
    )
    assert result.exit_code == 0, result.output
    engine = make_engine(db_url)
    with Session(engine) as session:
        user = session.exec(select(User)).one()
    engine.dispose()
    assert user.totp_secret
    groups = " ".join(user.totp_secret[i : i + 4] for i in range(0, 32, 4))
    assert f"authenticator key: {groups}" in result.output
    assert "otpauth://totp/" in result.output
    chair = runner.invoke(
        cli,
        ["--db", db_url, "users", "add", "c@example.org", "--role", "chair", "--totp"],
        input="a long enough password\n",
    )
    assert chair.exit_code != 0
    assert "only for lead and admin" in chair.output


def test_users_reset_mfa_forgets_the_key_and_ends_sessions(db_url):
    """Does `users reset-mfa` clear a lost authenticator and sign the person out?"""
    runner = CliRunner()
    runner.invoke(
        cli,
        ["--db", db_url, "users", "add", "lead@example.org", "--role", "lead", "--totp"],
        input="a long enough password\n",
    )
    engine = make_engine(db_url)
    with Session(engine) as session:
        before = session.exec(select(User)).one().session_version
    result = runner.invoke(cli, ["--db", db_url, "users", "reset-mfa", "Lead@Example.org"])
    assert result.exit_code == 0, result.output
    with Session(engine) as session:
        user = session.exec(select(User)).one()
    engine.dispose()
    assert user.totp_secret is None and user.totp_last_step is None
    assert user.session_version == before + 1
    missing = runner.invoke(cli, ["--db", db_url, "users", "reset-mfa", "nobody@example.org"])
    assert missing.exit_code == 1 and "no sign-in for nobody@example.org" in missing.output


def test_demo_turns_two_step_sign_in_off_and_says_so(tmp_path, monkeypatch):
    """Does `tracker demo` serve with require_mfa off, and print that it is off?"""
    import tracker.cli_web

    served = {}
    monkeypatch.setattr(
        tracker.cli_web, "_serve", lambda app, host, port: served.update(app=app, port=port)
    )
    monkeypatch.setenv("TRACKER_INSTANCE_DIR", str(tmp_path / "instance"))
    result = CliRunner().invoke(cli, ["demo", "--port", "5999"])
    assert result.exit_code == 0, result.output
    assert "Two-step sign-in is off in the demo" in result.output
    assert served["app"].config["TRACKER"].require_mfa is False
    served["app"].extensions["engine"].dispose()


def _listening_socket() -> socket.socket:
    taken = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    taken.bind(("127.0.0.1", 0))
    taken.listen(1)
    return taken


@pytest.mark.parametrize("command", ["serve", "demo"])
def test_busy_port_is_one_line_naming_it(tmp_path, monkeypatch, command):
    """Does a port in use give one line that names it and suggests another?"""
    monkeypatch.chdir(tmp_path)
    with _listening_socket() as taken:
        port = taken.getsockname()[1]
        result = subprocess.run(
            [
                *(sys.executable, "-m", "tracker", "--db", f"sqlite:///{tmp_path}/t.sqlite"),
                *(command, "--port", str(port)),
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"Error: 127.0.0.1:{port} is in use; try --port {port + 1}"
    ]
    assert "Traceback" not in result.stderr
    # Nothing was built for a demo that could not be served.
    assert not (tmp_path / "instance" / "demo").exists()
