"""Fixtures for digest tests: a real SMTP server on loopback, settings, a programme."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session

from digests.digest_support import Programme, SmtpServer, make_settings, seed_programme
from tracker.config import Settings


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer()
    yield server
    server.stop()


@pytest.fixture
def settings(tmp_path: Path, db_url: str, smtp: SmtpServer) -> Settings:
    return make_settings(tmp_path, db_url, smtp.url)


@pytest.fixture
def programme(session: Session) -> Programme:
    return seed_programme(session)
