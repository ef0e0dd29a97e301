"""Signed, expiring links for digest preferences and unsubscribe.

A token carries only the person's id and their ``digest_token_version``:
never contribution data (ASVS V14.2.1).  Each purpose has its own salt, so a
preferences token cannot be replayed as an unsubscribe token or the other
way round.  Raising a person's token version revokes every link sent so far.
"""

from __future__ import annotations

import os
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from itsdangerous import BadData, SignatureExpired, TimestampSigner, URLSafeTimedSerializer

from tracker.config import Settings
from tracker.errors import TrackerError

PREFERENCES = "digest-preferences"
UNSUBSCRIBE = "digest-unsubscribe"
PURPOSES = (PREFERENCES, UNSUBSCRIBE)
MAX_AGE_SECONDS = 30 * 24 * 3600


class BadToken(TrackerError):
    """A link that is tampered, expired, revoked or meant for something else."""


@dataclass(frozen=True)
class LinkClaims:
    """What a valid link says: whose preferences, under which token version."""

    person_id: int
    token_version: int


def resolve_secret_key(settings: Settings) -> str:
    """Return the configured secret, else a random one kept in the instance folder."""
    if settings.secret_key:
        return settings.secret_key
    path = Path(settings.instance_dir) / "secret_key"
    if path.is_file():
        return path.read_text(encoding="utf-8").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    # Create with 0600; if another process won the race, read its key instead.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="utf-8").strip()
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(key + "\n")
    return key


def _serializer(secret: str, purpose: str, clock: Callable[[], float]) -> URLSafeTimedSerializer:
    if purpose not in PURPOSES:
        raise ValueError(f"unknown link purpose {purpose!r}")

    class ClockSigner(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(clock())

    return URLSafeTimedSerializer(secret, salt=f"tracker.{purpose}", signer=ClockSigner)


def make_token(
    secret: str,
    purpose: str,
    *,
    person_id: int,
    token_version: int,
    clock: Callable[[], float] = time.time,
) -> str:
    """Sign a link token for one person and purpose."""
    return _serializer(secret, purpose, clock).dumps({"p": person_id, "v": token_version})


def read_token(
    secret: str,
    purpose: str,
    token: str,
    *,
    max_age: int = MAX_AGE_SECONDS,
    clock: Callable[[], float] = time.time,
) -> LinkClaims:
    """Check a link token; raise BadToken if it is not good for this purpose now."""
    try:
        data = _serializer(secret, purpose, clock).loads(token, max_age=max_age)
    except SignatureExpired:
        raise BadToken("This link has expired. Use the link in your latest email.") from None
    except BadData:
        raise BadToken("This link is not valid.") from None
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("p"), int)
        or not isinstance(data.get("v"), int)
    ):
        raise BadToken("This link is not valid.")
    return LinkClaims(person_id=data["p"], token_version=data["v"])
