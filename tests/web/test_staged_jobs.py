"""Uploads read by a background job: "reading" until the job is done, then the editor."""

from __future__ import annotations

import io

import pytest
from flask import Flask
from sqlmodel import Session, select

from tracker.models import Job, Meeting, StagedUpload
from tracker.services import jobs
from tracker.services.template_docx import build_template
from web.support import csrf_token
from web.test_meetings import _roster


@pytest.fixture
def deferred(app: Flask) -> Flask:
    app.config["TRACKER_PARSE_JOBS"] = True  # as `tracker serve` sets it
    return app


def _stage(client, data: bytes, name: str):
    token = csrf_token(client, "/meetings/upload")
    return client.post(
        "/meetings/upload",
        data={"csrf_token": token, "body": "", "files": [(io.BytesIO(data), name)]},
        content_type="multipart/form-data",
    )


def _run_jobs(app: Flask) -> int:
    return jobs.run_due(app.extensions["engine"], app.config["TRACKER"])


def test_an_upload_is_read_by_a_job_then_checked_and_saved(deferred, client, db, login):
    """Is the file stored at once with a parse job, the page 'reading' (with a plain
    link to check again) until a worker reads it, then the editor, then saved?"""
    _roster(db)
    login("chair")
    response = _stage(client, build_template(), "t.docx")
    assert response.status_code == 303
    review_url = response.headers["Location"]
    with Session(db.get_bind()) as fresh:
        (row,) = fresh.exec(select(StagedUpload)).all()
        assert row.status == "reading" and row.state == {}
        assert [(j.kind, j.key, j.status) for j in fresh.exec(select(Job)).all()] == [
            ("parse", row.token, "queued")
        ]
    page = client.get(review_url).get_data(as_text=True)
    assert "Reading t.docx" in page and "Check again" in page
    assert f'href="{review_url}"' in page  # works without JavaScript
    # The meetings page lists it while it is being read, so it is not lost.
    assert f'href="{review_url}"' in client.get("/meetings/").get_data(as_text=True)

    status_url = review_url + "/status"  # what the upload page's script asks
    assert client.get(status_url).get_json() == {"status": "reading", "error": None}
    assert _run_jobs(deferred) == 1
    assert client.get(status_url).get_json() == {"status": "ready", "error": None}
    page = client.get(review_url).get_data(as_text=True)
    assert "Check the minutes before saving" in page
    client.post(
        review_url,
        data={
            "csrf_token": csrf_token(client, review_url),
            "body": "PD Clinical Reference Group",
            "do": "save",
        },
    )
    with Session(db.get_bind()) as fresh:
        assert len(fresh.exec(select(Meeting)).all()) == 1
        assert fresh.exec(select(StagedUpload)).all() == []


def test_a_file_the_job_cannot_read_says_why_and_can_be_discarded(deferred, client, db, login):
    login("chair")
    response = _stage(client, b"PK\x03\x04 not really a zip", "broken.docx")
    review_url = response.headers["Location"]
    assert _run_jobs(deferred) == 1
    answer = client.get(review_url + "/status").get_json()
    assert answer["status"] == "failed" and answer["error"]
    page = client.get(review_url).get_data(as_text=True)
    assert "We could not read broken.docx" in page and "Traceback" not in page
    with Session(db.get_bind()) as fresh:
        (job,) = fresh.exec(select(Job)).all()
        assert job.status == "done"  # a bad file is an answer, not a job to retry
        (row,) = fresh.exec(select(StagedUpload)).all()
        assert (row.status, row.data) == ("failed", b"")  # the bytes are not kept
    client.post(review_url, data={"csrf_token": csrf_token(client, review_url), "do": "discard"})
    with Session(db.get_bind()) as fresh:
        assert fresh.exec(select(StagedUpload)).all() == []
    assert client.get(review_url).status_code == 404


def test_another_chair_cannot_see_an_upload_being_read(deferred, app, client, db, login):
    login("chair")
    review_url = _stage(client, build_template(), "t.docx").headers["Location"]
    other = app.test_client()
    from web.support import make_user, sign_in

    sign_in(other, make_user(db, "chair", email="chair.two@example.org"))
    assert other.get(review_url).status_code == 404
    assert other.get(review_url + "/status").status_code == 404


def test_with_no_worker_the_web_app_reads_an_upload_nobody_took(deferred, client, db, login):
    """A host with no worker beside it: is the upload read by the page after a while
    (and not before), once?"""
    from datetime import timedelta

    from tracker.models import utcnow

    login("chair")
    review_url = _stage(client, build_template(), "t.docx").headers["Location"]
    assert "Reading t.docx" in client.get(review_url).get_data(as_text=True)  # not yet
    with Session(db.get_bind()) as fresh:
        (job,) = fresh.exec(select(Job)).all()
        job.created_at = utcnow() - jobs.NO_WORKER_AFTER - timedelta(seconds=1)
        fresh.add(job)
        fresh.commit()
    assert client.get(review_url + "/status").get_json()["status"] == "ready"
    assert "Check the minutes before saving" in client.get(review_url).get_data(as_text=True)
    with Session(db.get_bind()) as fresh:
        (job,) = fresh.exec(select(Job)).all()
        assert (job.status, job.attempts) == ("done", 1)
    assert _run_jobs(deferred) == 0  # nothing left for a worker
