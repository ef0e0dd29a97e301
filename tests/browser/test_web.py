"""End to end in headless Chromium: upload, fix a speaker, confirm a link, see the LXP page."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from browser.conftest import ARTIFACTS, PASSWORD, run_matching
from web.support import totp_code

pytestmark = pytest.mark.playwright
AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")

CRG = {
    "title": "PD Clinical Reference Group minutes",
    "date": "18 March 2021",
    "present": ["Helen Price (Chair)", "Arun Patel", "Jade Morgan (LXP)"],
    "apologies": [],
    "items": [
        {
            "title": "Peer support",
            "lead": "Helen Price",
            "lines": [
                "Waiting lists for groups are long.",
                "DECISION: Agreed to pilot evening peer support groups for people who work.",
            ],
        }
    ],
}


def check_page(page, name: str) -> None:
    """Screenshot the page and fail on serious or critical axe-core violations."""
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    page.evaluate(AXE)
    found = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
            .map(v => ({id: v.id, impact: v.impact, help: v.help,
                        where: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))"""
    )
    bad = [v for v in found if v["impact"] in ("serious", "critical")]
    assert not bad, f"{name}: {bad}"


def sign_in(browser, live: dict, role: str):
    context = browser.new_context()
    page = context.new_page()
    page.goto(live["base"] + "/login")
    page.get_by_label("Email address").fill(live["emails"][role])
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    if role in live["keys"]:
        # Leads and admins: the second step, a code from the authenticator app.
        assert page.url.endswith("/login/code")
        check_page(page, f"{role}-code")
        page.get_by_label("6-digit code").fill(totp_code(live["keys"][role]))
        page.get_by_role("button", name="Continue").click()
        page.wait_for_load_state()
    return page


def test_sign_in_page(browser, live):
    """Is the sign-in page accessible?"""
    page = browser.new_page()
    page.goto(live["base"] + "/login")
    check_page(page, "sign-in")
    page.close()


def test_chair_uploads_fixes_and_confirms_then_lxp_sees_it(browser, live, tmp_path):
    """Does the whole loop work in a real browser, for each role?"""
    from tracker.services.template_docx import build_template

    chair = sign_in(browser, live, "chair")
    assert "/meetings/" in chair.url
    check_page(chair, "chair-minutes")
    chair.get_by_role("link", name="Upload minutes").click()
    check_page(chair, "chair-upload")
    source = tmp_path / "PD CRG 18 March 2021.docx"
    source.write_bytes(build_template(example=CRG))
    chair.set_input_files("#files", str(source))
    chair.get_by_role("button", name="Upload and read").click()
    chair.get_by_role("link", name=f"Check {source.name} before saving").click()
    assert "1 of 1 statement does not say who spoke" in chair.content()
    check_page(chair, "chair-review")
    who = chair.locator("select[data-who]").filter(has_text="Nobody recorded").nth(1)
    chair.select_option("select[name='c-0-who']", label="Arun Patel")
    assert who is not None
    chair.get_by_role("button", name="Save these minutes").click()
    chair.wait_for_load_state()
    assert "Arun Patel" in chair.content()
    check_page(chair, "chair-meeting")

    run_matching(live["url"])

    chair.goto(live["base"] + "/links/")
    check_page(chair, "chair-links")
    chair.get_by_role("button", name="Yes, confirm this link").first.click()
    chair.wait_for_load_state()
    assert "Link confirmed" in chair.content()
    chair.goto(live["base"] + "/meetings/flags")
    check_page(chair, "chair-flags")

    lxp = sign_in(browser, live, "lxp")
    assert "/me/" in lxp.url
    text = lxp.content()
    assert "Evening peer support groups would help" in text
    assert "Acted on" in text
    assert "Agreed to pilot evening peer support groups" in text
    check_page(lxp, "lxp-contributions")
    lxp.get_by_role("link", name="See details").first.click()
    check_page(lxp, "lxp-contribution")
    lxp.get_by_label("Quote me without my name").check()
    lxp.get_by_role("button", name="Save my choice").click()
    assert "This applies from your next digest" in lxp.content()
    lxp.get_by_label("Tell the chair what you actually said").fill("I also said weekends.")
    lxp.get_by_role("button", name="Send to the chair").click()
    lxp.goto(live["base"] + "/me/settings")
    check_page(lxp, "lxp-settings")

    chair.goto(live["base"] + "/meetings/flags")
    assert "I also said weekends." in chair.content()

    lead = sign_in(browser, live, "lead")
    lead.goto(live["base"] + "/links/")
    check_page(lead, "lead-links")
    if "/dashboard" in lead.content():
        lead.goto(live["base"] + "/dashboard/")
        check_page(lead, "lead-dashboard")

    admin = sign_in(browser, live, "admin")
    check_page(admin, "admin-home")
    for page in (chair, lxp, lead, admin):
        page.context.close()


def test_lead_sets_up_the_authenticator_app(browser, live):
    """Can a new lead read the key, type the first code and reach the dashboard (accessibly)?"""
    page = sign_in(browser, live, "new-lead")
    assert page.url.endswith("/login/enrol")
    check_page(page, "lead-enrol")
    key = page.locator("#totp-key").inner_text().replace(" ", "")
    code = page.get_by_label("6-digit code from the app")
    assert code.get_attribute("autocomplete") == "one-time-code"
    assert code.get_attribute("inputmode") == "numeric"
    code.fill(totp_code(key))
    page.get_by_role("button", name="Finish setting up").click()
    page.wait_for_load_state()
    assert "/login" not in page.url
    assert "authenticator app is set up" in page.content()
    page.context.close()


def test_keyboard_skip_link(browser, live):
    """Does the first Tab reach a visible 'Skip to main content' link?"""
    page = sign_in(browser, live, "chair")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert "Skip to main content" in focused
    page.context.close()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(pytest.main([__file__]))


def test_admin_glossary_page(browser, live):
    """Can an admin add a wording pair on an accessible glossary page?"""
    page = sign_in(browser, live, "admin")
    page.goto(live["base"] + "/admin/glossary")
    page.get_by_label("Wording in LXP points").fill("menu")
    page.get_by_label("Same thing, as later records say it").fill("directory")
    page.get_by_role("button", name="Add pair").click()
    page.wait_for_load_state()
    assert "Added by an admin" in page.content()
    check_page(page, "admin-glossary")
    page.context.close()
