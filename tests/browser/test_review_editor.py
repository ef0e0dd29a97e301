"""The review editor in headless Chromium: add what was missed, re-type, save (with axe)."""

from __future__ import annotations

import io

import pytest

from browser.test_web import check_page, sign_in

pytestmark = pytest.mark.playwright

LINES = (
    "Meeting Title: PD Clinical Reference Group",
    "Date: 18 March 2021",
    "Attendees: Helen Price, Arun Patel, Jade Morgan",
    "Discussion Summary:",
    "The group discussed evening peer support groups.",
    "Waiting lists for groups are long.",
    "Action Items:",
    "Next Steps:",
    "Review at the next meeting.",
)


def _label_lines_docx() -> bytes:
    from docx import Document

    doc = Document()
    for line in LINES:
        doc.add_paragraph(line)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def test_chair_adds_a_missed_action_retypes_and_adds_an_attendee(browser, live, tmp_path):
    """Can a chair, by keyboard where it matters, add a missed action with owner and
    due date, re-type a statement as a decision and add an unknown attendee, then
    find all three in the stored meeting?"""
    chair = sign_in(browser, live, "chair")
    chair.goto(live["base"] + "/meetings/upload")
    source = tmp_path / "CRG 18 March 2021 label lines.docx"
    source.write_bytes(_label_lines_docx())
    chair.set_input_files("#files", str(source))
    chair.select_option("#body", label="PD Clinical Reference Group")
    chair.get_by_role("button", name="Upload and read").click()
    chair.get_by_role("link", name=f"Check {source.name} before saving").click()
    chair.wait_for_load_state()
    assert "not say who spoke" in chair.content()
    check_page(chair, "review-editor")

    # Add the missed action, by keyboard: Tab between fields, Enter on the button.
    chair.get_by_label("Type", exact=True).select_option(label="Action")
    chair.get_by_label("What the minutes should say").focus()
    chair.keyboard.type("Draft the evening group proposal.")
    chair.keyboard.press("Tab")
    assert chair.evaluate("document.activeElement.id") == "new-who"
    chair.get_by_label("Who said it, owns it or leads it").select_option(label="Arun Patel")
    chair.get_by_label("Due date (actions only)").fill("2021-04-01")
    chair.get_by_role("button", name="Add this record").focus()
    with chair.expect_navigation():
        chair.keyboard.press("Enter")
    assert "Added. Check it, then save." in chair.content()
    action = chair.locator("tr[data-kind='action']").filter(
        has=chair.locator("textarea", has_text="Draft the evening group proposal.")
    )
    assert action.locator("input[type=date]").input_value() == "2021-04-01"

    # Re-type a statement as a decision.
    row = chair.locator("tr[data-row]").filter(
        has=chair.locator("textarea", has_text="The group discussed evening peer support groups.")
    )
    key = row.get_attribute("data-row")
    chair.select_option(f"#{key}-kind", label="Decision")
    # With the script, a row's "someone new" box appears when chosen from its list.
    waiting = chair.locator("tr[data-row]").filter(
        has=chair.locator("textarea", has_text="Waiting lists for groups are long.")
    )
    other = waiting.get_attribute("data-row")
    new_box = chair.locator(f"#{other}-who-new")
    assert not new_box.is_visible()
    chair.select_option(f"#{other}-who", label="Someone new (type their name)")
    assert chair.evaluate("document.activeElement.id") == f"{other}-who-new"
    chair.keyboard.type("Pat Lee")
    with chair.expect_navigation():
        chair.get_by_role("button", name="Apply changes and check again").first.click()
    decided = chair.locator("tr[data-kind='decision']").filter(
        has=chair.locator("textarea", has_text="The group discussed evening peer support groups.")
    )
    assert decided.count() == 1

    # Add someone who is not on the people list yet.
    chair.get_by_label("Or a new person (type their name)").fill("Sam Green")
    chair.get_by_label("LXP", exact=True).check()
    with chair.expect_navigation():
        chair.get_by_role("button", name="Add this attendee").click()
    assert "Attendee added" in chair.content()
    assert chair.get_by_label("Is Sam Green an LXP or staff?").input_value() == "lxp"
    check_page(chair, "review-editor-edited")

    with chair.expect_navigation():
        chair.get_by_role("button", name="Save these minutes").click()
    text = chair.content()
    assert "/meetings/" in chair.url and "review" not in chair.url
    assert "Draft the evening group proposal. – Arun Patel, by 1 April 2021" in text
    decisions = text.split("<h2>Decisions</h2>")[1].split("<h2>")[0]
    assert "The group discussed evening peer support groups." in decisions
    attendance = text.split("<h2>Attendance</h2>")[1].split("<h2>")[0]
    assert "Sam Green (LXP): present" in attendance
    statements = text.split("<h2>Statements</h2>")[1].split("<h2>")[0]
    assert "Pat Lee</td>" in statements  # now on the people list (staff)
    check_page(chair, "review-editor-saved")
    chair.context.close()
