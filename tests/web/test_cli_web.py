"""`tracker users add`: a sign-in per role, password from stdin."""

from __future__ import annotations

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
