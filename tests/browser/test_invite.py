"""In Chromium: an admin invites a chair; the chair opens the emailed link,
chooses a password and signs in. Every page is checked with axe-core."""

from __future__ import annotations

import email
import re
from email.policy import default

import pytest

from browser.test_web import check_page, sign_in

pytestmark = pytest.mark.playwright
NEW_PASSWORD = "my own long password"


def test_an_admin_invites_a_chair_who_sets_a_password(browser, live) -> None:
    page = sign_in(browser, live, "admin")
    page.goto(live["base"] + "/admin/users")
    page.get_by_role("link", name="Invite someone").click()
    page.wait_for_url("**/admin/invite")
    check_page(page, "admin-invite")
    page.get_by_label("Their work email address").fill("invited.chair@example.org")
    page.get_by_label("Chair").check()
    page.get_by_role("button", name="Send the invitation").click()
    page.wait_for_url("**/admin/users")
    assert "Invitation sent to invited.chair@example.org" in page.content()
    page.context.close()

    outbox = live["folder"] / "instance" / "outbox"
    texts = [email.message_from_bytes(p.read_bytes(), policy=default) for p in outbox.glob("*.eml")]
    (message,) = [m for m in texts if m["To"] == "invited.chair@example.org"]
    link = re.search(r"http://\S+/invite/\S+", message.get_body(("plain",)).get_content()).group(0)

    guest = browser.new_context().new_page()
    # The live server does not set TRACKER_BASE_URL: keep the link's path only.
    guest.goto(live["base"] + "/invite/" + link.rsplit("/invite/", 1)[1])
    check_page(guest, "invite-choose-password")
    guest.get_by_label("New password").fill(NEW_PASSWORD)
    guest.get_by_label("The same password again").fill(NEW_PASSWORD)
    guest.get_by_role("button", name="Save my password").click()
    guest.wait_for_url("**/login")
    assert "Your password is set" in guest.content()
    guest.get_by_label("Email address").fill("invited.chair@example.org")
    guest.get_by_label("Password").fill(NEW_PASSWORD)
    guest.get_by_role("button", name="Sign in").click()
    guest.wait_for_url("**/meetings/**")
    guest.context.close()
