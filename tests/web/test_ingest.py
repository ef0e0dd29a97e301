"""One way in: the web upload and `tracker import` share limits, refusals and checks."""

from __future__ import annotations

import io
import re
from dataclasses import replace

import pytest
from click.testing import CliRunner
from markupsafe import escape
from sqlmodel import Session, func, select

from parsers import ParsedAttendee, ParsedContribution, ParsedMinutes
from tracker.cli import cli
from tracker.errors import BadInput
from tracker.models import Meeting
from tracker.services import ingest
from tracker.services.parsing import MAX_RECORDS, ParseWorker, over_caps
from tracker.services.template_docx import build_template
from web.support import csrf_token
from web.test_meetings import _label_lines_docx, _roster


def _upload(client, name: str, data: bytes):
    token = csrf_token(client, "/meetings/upload")
    return client.post(
        "/meetings/upload",
        data={"csrf_token": token, "files": [(io.BytesIO(data), name)]},
        content_type="multipart/form-data",
    )


def _cli(db_url: str, path, *env: tuple[str, str]):
    return CliRunner().invoke(cli, ["--db", db_url, "import", str(path)], env=dict(env))


def _meetings(db) -> int:
    with Session(db.get_bind()) as fresh:
        return fresh.exec(select(func.count()).select_from(Meeting)).one()


def test_web_and_cli_give_the_same_checks(client, login, db, db_url, tmp_path):
    """Do the review page and `tracker import` list the same checks for one file,
    and are those the notes stored with the meeting?"""
    _roster(db)
    login("chair")
    data = _label_lines_docx()
    url = _upload(client, "labels.docx", data).headers["Location"]
    page = client.get(url).get_data(as_text=True)
    on_page = [
        " ".join(m.split())
        for m in re.findall(r'<li data-check="[a-z-]+">([^<]+)', page, flags=re.S)
    ]
    assert on_page and any("statement" in m for m in on_page)
    client.post(url, data={"csrf_token": csrf_token(client, url), "do": "discard"})
    path = tmp_path / "labels.docx"
    path.write_bytes(data)
    db.rollback()  # SQLite: end this session's transaction before the command writes
    result = _cli(db_url, path)
    assert result.exit_code == 0, result.output
    printed = [line.removeprefix("  check: ") for line in result.output.splitlines()[1:]]
    assert printed == on_page
    db.expire_all()
    assert db.exec(select(Meeting)).one().warnings == on_page
    db.rollback()
    again = _upload(client, "labels.docx", data)
    assert again.status_code == 400 and "already uploaded" in again.get_data(as_text=True)


def test_web_and_cli_refuse_an_oversize_file_alike(client, login, db, db_url, tmp_path, app):
    """Is a file over uploads.max_mb refused by both, in the same words, storing nothing?"""
    _roster(db)
    login("chair")
    app.config["TRACKER"] = replace(app.config["TRACKER"], max_upload_mb=1)
    big = build_template() + b"\0" * 1_000_001
    web = _upload(client, "big.docx", big)
    assert web.status_code == 400
    message = "big.docx: the file is over the 1 MB limit"
    assert message in web.get_data(as_text=True)
    path = tmp_path / "big.docx"
    path.write_bytes(big)
    db.rollback()
    result = _cli(db_url, path, ("TRACKER_MAX_UPLOAD_MB", "1"))
    assert result.exit_code == 1
    assert f"error: {message}" in result.output and "Traceback" not in result.output
    assert _meetings(db) == 0


def test_web_and_cli_stop_a_slow_parse_alike(client, login, db, app, settings):
    """Does a parse over uploads.max_parse_seconds stop with the same plain refusal
    on both paths (the upload, and the service `tracker import` calls)?"""
    _roster(db)
    login("chair")
    slow = replace(settings, max_parse_seconds=0.01)
    app.config["TRACKER"] = slow
    web = _upload(client, "slow.docx", build_template())
    assert web.status_code == 400
    assert "too complex for us to read safely" in web.get_data(as_text=True)
    with pytest.raises(BadInput) as cli_side:
        ingest.import_file(session=db, settings=slow, data=build_template(), filename="slow.docx")
    assert "too complex for us to read safely" in cli_side.value.message
    assert str(escape(cli_side.value.message)) in web.get_data(as_text=True)
    db.rollback()
    assert _meetings(db) == 0


def test_element_caps_refuse_an_enormous_document():
    """Are minutes with more records than any meeting has refused before review?"""
    small = ParsedMinutes(title="t", date=None)
    assert over_caps(small) is None
    many = replace(
        small,
        contributions=tuple(ParsedContribution(f"p{n}", None) for n in range(MAX_RECORDS + 1)),
    )
    assert "upload one file per meeting" in over_caps(many)
    long_text = replace(small, text="x" * 2_000_001)
    assert "longer than" in over_caps(long_text)


@pytest.mark.parametrize(
    ("name", "heading"),
    [
        ("Action Items", True),
        ("Discussion Summary", True),
        ("Next Steps:", True),
        ("Any Other Business", True),
        ("Helen Price", False),
        ("Jade", False),
        ("Dr A. Patel", False),
    ],
)
def test_an_attendee_that_looks_like_a_heading_is_flagged(name, heading):
    """Is a heading the reader took for a person flagged, and a real name left alone?"""
    parsed = ParsedMinutes(
        title="t",
        date=None,
        attendees=(ParsedAttendee(name, "present"), ParsedAttendee("Kofi Mensah", "present")),
    )
    found = [c for c in ingest.checks_for(parsed) if c.code == "heading-attendee"]
    assert bool(found) == heading
    if heading:
        assert found[0].records == ("a-0",)
        assert f"'{name}'" in found[0].message


def test_one_worker_reads_a_batch_and_starts_afresh_after_a_timeout():
    """Does `tracker import`'s worker parse file after file in one child, and replace
    a child that ran over time with a fresh one that reads the next file?"""
    data = build_template()
    with ParseWorker() as worker:
        first = worker.parse(data, "a.docx", roster=[], max_bytes=10**7, timeout=20)
        pid = worker.pid
        assert worker.parse(data, "b.docx", roster=[], max_bytes=10**7, timeout=20) == first
        assert worker.pid == pid
        with pytest.raises(BadInput, match="too complex"):
            worker.parse(data, "c.docx", roster=[], max_bytes=10**7, timeout=0.0001)
        assert worker.pid is None
        assert worker.parse(data, "d.docx", roster=[], max_bytes=10**7, timeout=20) == first
        assert worker.pid not in (None, pid)
    assert worker.pid is None


def _many_paragraphs(count: int) -> bytes:
    """The template's package with a body of `count` short paragraphs (built fast)."""
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(build_template()))
    xml = source.read("word/document.xml").decode()
    head = xml[: xml.index("<w:body>") + len("<w:body>")]
    lines = "".join(f"<w:p><w:r><w:t>Point {n}.</w:t></w:r></w:p>" for n in range(count))
    body = f"{head}{lines}<w:sectPr/></w:body></w:document>"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for info in source.infolist():
            part = info.filename
            package.writestr(part, body if part == "word/document.xml" else source.read(part))
    return out.getvalue()


def test_a_document_of_endless_short_paragraphs_is_refused_before_review(client, login, db):
    """Is a small file of 200,000 short paragraphs refused plainly, before any parsing
    or review page, with nothing kept aside?"""
    _roster(db)
    login("chair")
    response = _upload(client, "endless.docx", _many_paragraphs(200_000))
    assert response.status_code == 400
    assert "200,000 paragraphs, more than the 50,000" in response.get_data(as_text=True)
    assert _meetings(db) == 0
    assert "/meetings/review/" not in client.get("/meetings/").get_data(as_text=True)


def test_the_worker_returns_exactly_what_the_parser_read(shared_dir):
    """Does every field of the parsed minutes (heading lines too) survive the trip
    from the worker process, for each minutes file of the dev corpus?"""
    from parsers import parse_minutes
    from tracker.services.parsing import minutes_from_dict, minutes_to_dict

    files = sorted((shared_dir / "corpus" / "dev" / "minutes").glob("*.docx"))
    assert files
    with ParseWorker() as worker:
        for path in files:
            data = path.read_bytes()
            here = parse_minutes(data, path.name, max_bytes=10**7)
            assert minutes_from_dict(minutes_to_dict(here)) == here, path.name
            there = worker.parse(data, path.name, roster=[], max_bytes=10**7, timeout=20)
            assert there == here, path.name
    assert any(parse_minutes(p.read_bytes(), p.name).heading_lines for p in files[:5])
