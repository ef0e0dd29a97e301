"""The deployment files call commands and options that exist (they cannot run here)."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import click
import pytest

from tracker.cli import cli

DEPLOY = Path(__file__).resolve().parents[1] / "deploy"


def _check(args: list[str]) -> None:
    """Parse a tracker command line as the CLI would, without running it."""
    ctx = click.Context(cli, info_name="tracker")
    command = cli.get_command(ctx, args[0])
    assert command is not None, f"no command {args[0]}"
    command.make_context(args[0], list(args[1:]), parent=ctx)


def test_the_dockerfile_runs_a_real_command_as_a_non_root_user() -> None:
    text = (DEPLOY / "Dockerfile").read_text()
    cmd = json.loads(re.search(r"^CMD (\[.*\])$", text, re.M).group(1))
    assert re.search(r'^ENTRYPOINT \["tracker"\]$', text, re.M)
    _check(cmd)
    assert re.search(r"^USER tracker$", text, re.M)
    assert re.search(r"^FROM python:\d+\.\d+\.\d+-slim-\w+", text, re.M)  # an exact release


@pytest.mark.parametrize("unit", sorted(p.name for p in (DEPLOY / "systemd").glob("*.service")))
def test_systemd_units_run_real_commands(unit: str) -> None:
    text = (DEPLOY / "systemd" / unit).read_text()
    lines = re.findall(r"^Exec\w+=(.*)$", text, re.M)
    commands = []
    for line in lines:
        line = line.replace("%%", "%")
        if line.startswith("/bin/sh -c "):
            line = shlex.split(line)[2].removeprefix("exec ")
            line = re.sub(r"\$\([^)]*\)", "NOW", line)  # the shell fills in the date
        words = shlex.split(line)
        if words[0].endswith("/tracker"):
            commands.append(words[1:])
    assert commands, f"{unit} runs no tracker command"
    for words in commands:
        _check(words)
    assert "User=tracker" in text and "NoNewPrivileges=yes" in text
