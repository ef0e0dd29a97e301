"""Command-line commands for digests: digests preview/send, scheduler."""

from __future__ import annotations

import click


def register(cli: click.Group) -> None:
    """Add the digest commands to the `tracker` group."""
