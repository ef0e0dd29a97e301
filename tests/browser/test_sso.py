"""Single sign-on in headless Chromium: a real `tracker serve` and a real OIDC
provider (tests/oidc_provider.py), both on loopback; passwords switched off."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from browser.conftest import CHROMIUM, _free_port
from browser.test_web import check_page
from oidc_provider import CLIENT_ID, CLIENT_SECRET, MockProvider

pytestmark = pytest.mark.playwright


@pytest.fixture(scope="module")
def sso_live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from tracker.db import upgrade_schema

    folder = tmp_path_factory.mktemp("sso")
    url = f"sqlite:///{folder / 'sso.sqlite'}"
    upgrade_schema(url)
    # Group-to-role mapping lives in the config file (a table, not a variable).
    (folder / "config.toml").write_text('[oidc.roles]\nadmin = ["g-admins"]\nlead = ["g-leads"]\n')
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    with MockProvider() as provider:
        env = {
            **os.environ,
            "TRACKER_INSTANCE_DIR": str(folder / "instance"),
            "TRACKER_BASE_URL": base,
            "TRACKER_OIDC_ISSUER": provider.issuer,
            "TRACKER_OIDC_CLIENT_ID": CLIENT_ID,
            "TRACKER_OIDC_CLIENT_SECRET": CLIENT_SECRET,
            "TRACKER_PASSWORD_SIGN_IN": "false",
        }
        server = subprocess.Popen(
            [sys.executable, "-m", "tracker", "--db", url, "serve", "--port", str(port)],
            env=env,
            cwd=folder,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            for _ in range(150):
                try:
                    urllib.request.urlopen(base + "/healthz", timeout=1)
                    break
                except OSError:
                    time.sleep(0.1)
            else:
                pytest.fail("the server did not start")
            yield {"base": base, "provider": provider}
        finally:
            server.terminate()
            server.wait(timeout=10)


@pytest.fixture(scope="module")
def sso_browser(sso_live: dict) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-sync"],
        )
        yield browser
        browser.close()


def test_an_admin_signs_in_with_single_sign_on(sso_browser, sso_live) -> None:
    """Does the button take a person in the admins group through the provider and in?"""
    sso_live["provider"].person = {
        "sub": "pairwise-ada",
        "oid": "oid-ada",
        "email": "ada@trust.nhs.uk",
        "name": "Ada Admin",
        "groups": ["g-admins"],
    }
    page = sso_browser.new_page()
    page.goto(sso_live["base"] + "/login")
    assert page.get_by_label("Password").count() == 0  # passwords are switched off
    check_page(page, "sso-sign-in")
    page.get_by_role("link", name="Sign in with Microsoft").click()
    page.wait_for_url(sso_live["base"] + "/meetings/**")
    assert page.url.startswith(sso_live["base"] + "/meetings")
    assert page.get_by_role("button", name="Sign out").count() == 1
    page.goto(sso_live["base"] + "/admin/")
    assert page.get_by_role("heading", level=1).count() == 1
    assert "Not allowed" not in page.content()
    page.close()


def test_someone_not_invited_is_told_what_to_do(sso_browser, sso_live) -> None:
    sso_live["provider"].person = {
        "sub": "pairwise-sam",
        "oid": "oid-sam",
        "email": "sam@trust.nhs.uk",
        "groups": [],
    }
    page = sso_browser.new_page()
    page.goto(sso_live["base"] + "/login")
    page.get_by_role("link", name="Sign in with Microsoft").click()
    page.wait_for_url("**/login/sso/callback**")
    assert "Ask your programme admin to add sam@trust.nhs.uk" in page.content()
    check_page(page, "sso-no-access")
    page.goto(sso_live["base"] + "/meetings/")
    assert "/login" in page.url  # still not signed in
    page.close()
