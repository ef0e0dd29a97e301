"""Two chairs saving the same new file, and a re-saved identical file (cases 32 and 33)."""

from __future__ import annotations

import io

from sqlmodel import Session, func, select

from tracker.models import Meeting
from tracker.services.template_docx import build_template
from web.support import csrf_token, make_user, sign_in
from web.test_meetings import _roster


def _stage(client, data: bytes, name: str) -> str:
    token = csrf_token(client, "/meetings/upload")
    response = client.post(
        "/meetings/upload",
        data={"csrf_token": token, "body": "", "files": [(io.BytesIO(data), name)]},
        content_type="multipart/form-data",
    )
    assert response.status_code == 303, response.get_data(as_text=True)[:300]
    return response.headers["Location"]


def _save(client, review_url: str) -> str:
    client.post(
        review_url,
        data={
            "csrf_token": csrf_token(client, review_url),
            "body": "PD Clinical Reference Group",
            "do": "save",
        },
    )
    return client.get("/meetings/").get_data(as_text=True)


def _meetings(db) -> int:
    with Session(db.get_bind()) as fresh:
        return fresh.exec(select(func.count()).select_from(Meeting)).one()


def test_the_second_chair_saving_the_same_file_is_told_it_is_already_there(app, client, db):
    """Both chairs staged the file before either saved: the second hears 'Already uploaded'."""
    _roster(db)
    other = app.test_client()
    sign_in(client, make_user(db, "chair", email="chair.one@example.org"))
    sign_in(other, make_user(db, "chair", email="chair.two@example.org"))
    data = build_template()
    first, second = _stage(client, data, "t.docx"), _stage(other, data, "t.docx")
    assert "Saved." in _save(client, first)
    page = _save(other, second)
    assert "Already uploaded" in page and "Saved." not in page
    assert _meetings(db) == 1


def test_a_resaved_identical_file_is_not_a_second_version(app, client, db, login):
    """New bytes, same text (re-saved in Word): told it is identical, no version 2."""
    _roster(db)
    login("chair")
    data = build_template()
    assert "Saved." in _save(client, _stage(client, data, "t.docx"))
    resaved = data + b"\0"  # other bytes; the zip reader ignores the trailing byte
    page = _save(client, _stage(client, resaved, "t (1).docx"))
    assert "identical to version 1" in page
    assert _meetings(db) == 1
