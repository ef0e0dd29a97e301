"""Command-line commands for the web app: users add, serve, demo."""

from __future__ import annotations

import click


def register(cli: click.Group) -> None:
    """Add the web commands to the `tracker` group."""
