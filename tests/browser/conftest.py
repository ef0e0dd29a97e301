"""A real `tracker serve` on a free port, a temp database, and headless Chromium."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
PASSWORD = "browser test password"
ROSTER = """name,aliases,role,email
Jade Morgan,JM;Jade,lxp,jade.morgan@example.org
Kofi Mensah,KM;Kofi,lxp,kofi.mensah@example.org
Helen Price,HP;Helen,staff,helen.price@example.org
Arun Patel,AP;Arun,staff,arun.patel@example.org
"""
CATCH_UP = {
    "title": "PD LXP catch-up notes",
    "date": "9 March 2021",
    "present": ["Jade Morgan (LXP)", "Kofi Mensah (LXP)", "Helen Price (Chair)"],
    "apologies": [],
    "items": [
        {
            "title": "Peer support",
            "lead": "Jade Morgan",
            "lines": ["Jade Morgan: Evening peer support groups would help people who work."],
        }
    ],
}
BODIES = """name,kind,workstream,patterns
PD LXP catch-up,catch-up,PD,PD LXP catch-up
PD Clinical Reference Group,governance,PD,PD Clinical Reference Group
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def prepare_database(url: str) -> tuple[dict[str, str], dict[str, str]]:
    """Migrate, load roster and bodies, import a catch-up, add a user per role.

    Returns the emails by role, and the authenticator keys of the lead and the
    admin (they sign in with a code too, computed by the tests).

    Done in this process (the same services the commands call) to keep the
    suite fast; only the web server runs as a real `tracker serve` subprocess.
    """
    from argon2 import PasswordHasher

    from tracker.db import make_engine, session_scope, upgrade_schema
    from tracker.services import accounts
    from tracker.services.ingest import import_document
    from tracker.services.people import import_bodies, import_people
    from tracker.services.template_docx import build_template

    upgrade_schema(url)
    engine = make_engine(url)
    accounts.use_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    emails, keys = {}, {}
    with session_scope(engine) as session:
        import_people(session=session, text=ROSTER)
        import_bodies(session=session, text=BODIES)
        import_document(
            session=session, data=build_template(example=CATCH_UP), filename="catch-up.docx"
        )
        for role in ("chair", "lxp", "lead", "admin"):
            emails[role] = f"{role}@example.org"
            user = accounts.create_user(
                session=session,
                email=emails[role],
                password=PASSWORD,
                role=role,
                person_name="Jade Morgan" if role == "lxp" else None,
            )
            if accounts.needs_mfa(user):
                keys[role] = accounts.set_totp_secret(session=session, user=user, actor="test")
        # A lead who has not set up the authenticator app yet.
        emails["new-lead"] = "new.lead@example.org"
        accounts.create_user(
            session=session, email=emails["new-lead"], password=PASSWORD, role="lead"
        )
    accounts.use_hasher(PasswordHasher())
    engine.dispose()
    return emails, keys


def run_matching(url: str) -> None:
    """What `tracker match` does, in this process."""
    from tracker.config import Settings
    from tracker.db import make_engine, session_scope
    from tracker.services.linking import run_matching as match

    engine = make_engine(url)
    with session_scope(engine) as session:
        match(session=session, settings=Settings(database_url=url))
    engine.dispose()


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """A migrated database with a roster, bodies, one catch-up and a user per role."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    folder = tmp_path_factory.mktemp("live")
    url = f"sqlite:///{folder / 'live.sqlite'}"
    emails, keys = prepare_database(url)
    port = _free_port()
    env = {**os.environ, "TRACKER_INSTANCE_DIR": str(folder / "instance")}
    server = subprocess.Popen(
        [sys.executable, "-m", "tracker", "--db", url, "serve", "--port", str(port)],
        env=env,
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/login", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    else:
        server.kill()
        pytest.fail("the server did not start")
    ARTIFACTS.mkdir(exist_ok=True)
    yield {"base": base, "url": url, "folder": folder, "emails": emails, "keys": keys}
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture(scope="module")
def browser(live: dict) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()
