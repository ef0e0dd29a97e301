"""The 'reading' and 'could not read' pages of an upload, in Chromium with axe-core."""

from __future__ import annotations

from sqlmodel import Session, select

from browser.test_web import check_page, sign_in
from tracker.db import make_engine
from tracker.models import StagedUpload, User


def _stage(live: dict, token: str, status: str, error: str | None = None) -> None:
    engine = make_engine(live["url"])
    with Session(engine) as session:
        chair = session.exec(select(User).where(User.email == live["emails"]["chair"])).one()
        # No parse job: it stays as it is, as if the worker had not got to it yet.
        session.add(
            StagedUpload(
                token=token,
                user_id=chair.id,
                filename=f"{status}.docx",
                status=status,
                error=error,
                data=b"",
            )
        )
        session.commit()
    engine.dispose()


def test_reading_and_refused_pages_work_without_script_and_pass_axe(browser, live):
    _stage(live, "r" * 24, "reading")
    _stage(live, "f" * 24, "failed", "failed.docx: this file is damaged; re-save it in Word")
    chair = sign_in(browser, live, "chair")
    chair.goto(live["base"] + "/meetings/")
    chair.get_by_role("link", name="Check reading.docx").click()
    assert chair.get_by_role("heading", name="Reading reading.docx…").is_visible()
    check_page(chair, "upload-reading")
    again = chair.get_by_role("link", name="Check again")
    assert again.get_attribute("href") == "/meetings/review/" + "r" * 24  # a plain link
    again.click()
    assert chair.get_by_role("heading", name="Reading reading.docx…").is_visible()
    chair.goto(live["base"] + "/meetings/review/" + "f" * 24)
    assert "this file is damaged" in chair.get_by_role("alert").inner_text()
    check_page(chair, "upload-refused")
    chair.get_by_role("button", name="Discard this upload").click()
    chair.wait_for_load_state()
    assert "discarded" in chair.content()
    chair.context.close()
