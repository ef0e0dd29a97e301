"""Chairs upload Word minutes, check them on the review screen, and save."""

from __future__ import annotations

import io
import re

from sqlmodel import Session, func, select

from factories import make_body, make_person
from parsers import parse_minutes
from tracker.models import Body, Contribution, Decision, Link, Meeting
from tracker.services.template_docx import EXAMPLE, build_template
from web.support import csrf_token


def _roster(db):
    people = {
        "Helen Price": make_person(db, "Helen Price", role="staff"),
        "Jade Morgan": make_person(db, "Jade Morgan", role="lxp"),
        "Arun Patel": make_person(db, "Arun Patel", role="staff"),
        "Kofi Mensah": make_person(db, "Kofi Mensah", role="lxp"),
    }
    make_body(db, "PD Clinical Reference Group", kind="governance")
    make_body(db, "PD LXP catch-up", kind="catch-up")
    db.commit()
    return people


def _upload(client, files, body=""):
    token = csrf_token(client, "/meetings/upload")
    data = {"csrf_token": token, "body": body, "files": [(io.BytesIO(b), n) for n, b in files]}
    return client.post("/meetings/upload", data=data, content_type="multipart/form-data")


def _count(db, model):
    # A short session of its own: on SQLite an open read would hold the write lock.
    with Session(db.get_bind()) as fresh:
        return fresh.exec(select(func.count()).select_from(model)).one()


def test_template_parses_with_zero_warnings():
    """Does the downloadable Word template read back with no warnings and full attribution?"""
    parsed = parse_minutes(build_template(bodies=["PD Clinical Reference Group"]), "t.docx")
    assert parsed.warnings == ()
    assert parsed.date is not None
    assert parsed.contributions and all(c.speaker for c in parsed.contributions)
    assert all(i.lead for i in parsed.items)
    assert parsed.actions and all(a.owners and a.due for a in parsed.actions)
    assert parsed.decisions


def test_template_download(client, login):
    """Can a chair download the template as a Word file?"""
    login("chair")
    response = client.get("/meetings/template.docx")
    assert response.status_code == 200
    assert response.data[:4] == b"PK\x03\x04"
    assert "minutes-template.docx" in response.headers["Content-Disposition"]


def test_upload_review_fix_and_save(client, login, db):
    """Can a chair upload minutes, fix who spoke, and save them as a meeting?"""
    people = _roster(db)
    login("chair")
    spec = {
        **EXAMPLE,
        "items": [
            {
                "title": "Peer support",
                "lead": "Helen Price",
                "lines": [
                    "Jade Morgan: Evening groups would help people who work.",
                    "It was noted that the waiting list is long.",
                ],
            }
        ],
    }
    response = _upload(client, [("crg.docx", build_template(example=spec))])
    assert response.status_code == 303
    review_url = response.headers["Location"]
    page = client.get(review_url).get_data(as_text=True)
    assert "1 of 2 statements do not say who spoke" in page
    assert "Evening groups would help" in page
    assert _count(db, Meeting) == 0  # nothing stored before Save
    names = re.findall(r'name="(c-\d+-who)"', page)
    assert len(names) == 2
    form = {
        "csrf_token": csrf_token(client, review_url),
        "body": "PD Clinical Reference Group",
        "date": "2021-03-18",
        "c-0-who": f"p:{people['Jade Morgan'].id}",
        "c-0-kind": "contribution",
        "c-1-who": f"p:{people['Kofi Mensah'].id}",
        "c-1-kind": "contribution",
        "do": "save",
    }
    saved = client.post(review_url, data=form)
    assert saved.status_code == 303, saved.get_data(as_text=True)[:2000]
    meeting = db.exec(select(Meeting)).one()
    rows = db.exec(select(Contribution).order_by(Contribution.position)).all()
    assert [r.speaker_person_id for r in rows] == [
        people["Jade Morgan"].id,
        people["Kofi Mensah"].id,
    ]
    db.rollback()  # SQLite: end this read before the app writes its audit row
    assert client.get(saved.headers["Location"]).status_code == 200
    assert meeting.date.isoformat() == "2021-03-18"


def test_review_can_change_a_records_kind(client, login, db):
    """Can the chair turn a statement into a decision before saving?"""
    _roster(db)
    login("chair")
    response = _upload(client, [("crg.docx", build_template())])
    review_url = response.headers["Location"]
    page = client.get(review_url).get_data(as_text=True)
    kinds = re.findall(r'name="(c-\d+-kind)"', page)
    form = {
        "csrf_token": csrf_token(client, review_url),
        "body": "PD Clinical Reference Group",
        "date": "2021-03-18",
        kinds[0]: "decision",
        "do": "save",
    }
    assert client.post(review_url, data=form).status_code == 303
    meeting = db.exec(select(Meeting)).one()
    decisions = db.exec(select(Decision).where(Decision.meeting_id == meeting.id)).all()
    assert "Welcomed everyone to the meeting." in [d.text for d in decisions]


def test_bad_file_is_refused_in_plain_words_and_nothing_is_stored(client, login, db):
    """Does a renamed text file get a plain message and write nothing?"""
    _roster(db)
    login("chair")
    response = _upload(client, [("notes.docx", b"just some text, not a Word file")])
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "Not uploaded" in body
    assert "Traceback" not in body
    assert _count(db, Meeting) == 0


def test_several_files_at_once_report_each(client, login, db):
    """Are several files read one by one, each with its own result?"""
    _roster(db)
    login("chair")
    response = _upload(
        client, [("good.docx", build_template()), ("bad.docx", b"%PDF-1.4 not word")]
    )
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "Read:</strong> good.docx" in body
    assert "Not uploaded" in body
    assert _count(db, Meeting) == 0


def test_upload_by_script_gets_json(client, login, db):
    """Does the drag-and-drop script get a JSON answer with the review link?"""
    _roster(db)
    login("chair")
    token = csrf_token(client, "/meetings/upload")
    response = client.post(
        "/meetings/upload",
        data={"csrf_token": token, "files": (io.BytesIO(build_template()), "t.docx")},
        content_type="multipart/form-data",
        headers={"X-Requested-With": "fetch"},
    )
    result = response.get_json()["results"][0]
    assert result["ok"] and result["review_url"].startswith("/meetings/review/")


def test_another_chair_cannot_open_my_upload(client, login, db, app):
    """Is an upload under review private to the chair who uploaded it?"""
    _roster(db)
    login("chair")
    review_url = _upload(client, [("t.docx", build_template())]).headers["Location"]
    other = app.test_client()
    token = csrf_token(other)
    from web.support import PASSWORD, make_user

    user = make_user(db, "chair", email="other.chair@example.org")
    other.post("/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token})
    assert other.get(review_url).status_code == 404
    assert client.get(review_url).status_code == 200


def test_same_file_twice_is_caught(client, login, db):
    """Is the exact same file, uploaded again after saving, refused plainly?"""
    _roster(db)
    login("chair")
    data = build_template()
    review_url = _upload(client, [("t.docx", data)]).headers["Location"]
    client.post(
        review_url,
        data={
            "csrf_token": csrf_token(client, review_url),
            "body": "PD Clinical Reference Group",
            "do": "save",
        },
    )
    again = _upload(client, [("t.docx", data)])
    assert again.status_code == 400
    assert "already uploaded" in again.get_data(as_text=True)
    assert _count(db, Meeting) == 1


def test_corrected_version_keeps_confirmed_links(client, login, db):
    """Does a corrected upload become version 2 and keep a confirmed link?"""
    from datetime import date

    from factories import make_contribution, make_meeting

    people = _roster(db)
    catch_up = db.exec(select(Body).where(Body.kind == "catch-up")).one()
    earlier = make_meeting(db, catch_up, date(2021, 3, 9))
    point = make_contribution(
        db, earlier, "Evening peer support groups would help.", speaker=people["Jade Morgan"]
    )
    db.commit()
    login("chair")

    def save(data, name):
        url = _upload(client, [(name, data)]).headers["Location"]
        form = {
            "csrf_token": csrf_token(client, url),
            "body": "PD Clinical Reference Group",
            "do": "save",
        }
        return client.post(url, data=form)

    assert save(build_template(), "v1.docx").status_code == 303
    v1 = db.exec(select(Meeting).where(Meeting.version == 1, Meeting.body_id != catch_up.id)).one()
    decision = db.exec(select(Decision).where(Decision.meeting_id == v1.id)).one()
    db.add(
        Link(
            contribution_id=point.id,
            target_type="decision",
            target_id=decision.id,
            target_text=decision.text,
            status="confirmed",
        )
    )
    db.commit()
    corrected = {**EXAMPLE, "present": [*EXAMPLE["present"], "Tom Riley"]}
    assert save(build_template(example=corrected), "v2.docx").status_code == 303
    db.expire_all()
    v2 = db.exec(select(Meeting).where(Meeting.version == 2)).one()
    link = db.exec(select(Link)).one()
    assert link.status == "confirmed"
    new_decision = db.exec(select(Decision).where(Decision.meeting_id == v2.id)).one()
    assert link.target_id == new_decision.id


def test_parse_timeout_is_too_complex(app, db):
    """Is a parse that runs past the time limit stopped with a plain message?"""
    import pytest

    from tracker.errors import BadInput
    from tracker.services.parsing import parse_in_worker

    with pytest.raises(BadInput) as caught:
        parse_in_worker(build_template(), "slow.docx", roster=[], max_bytes=10**7, timeout=0.01)
    assert "too complex" in caught.value.message


def test_discard_leaves_nothing(client, login, db):
    """Does discarding an upload under review keep nothing?"""
    _roster(db)
    login("chair")
    url = _upload(client, [("t.docx", build_template())]).headers["Location"]
    client.post(url, data={"csrf_token": csrf_token(client, url), "do": "discard"})
    assert client.get(url).status_code == 404
    assert _count(db, Meeting) == 0


# ---- the review screen as an editor -------------------------------------------------


def _label_lines_docx() -> bytes:
    """Minutes written as label lines, as a chair wrote them (no template, no tables)."""
    from docx import Document

    doc = Document()
    for line in (
        "Meeting Title: PD Clinical Reference Group",
        "Date: 18 March 2021",
        "Attendees: Helen Price, Arun Patel, Jade Morgan",
        "Discussion Summary:",
        "The group discussed evening peer support groups.",
        "Waiting lists for groups are long.",
        "Action Items:",
        "Next Steps:",
        "Review at the next meeting.",
    ):
        doc.add_paragraph(line)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _post(client, url, **fields):
    form = {"csrf_token": csrf_token(client, url), **fields}
    return client.post(url, data=form)


def _row_key(page: str, text: str) -> str:
    """The key (c-0, x-1 ...) of the row whose text area holds this text."""
    match = re.search(r'name="([a-z]-\d+)-text"[^>]*>' + re.escape(text), page)
    assert match, f"no row reads {text!r}"
    return match.group(1)


def test_editor_adds_an_action_retypes_and_adds_an_unknown_attendee(client, login, db):
    """Can a chair add a missed action with owner and due date, re-type a statement
    as a decision and add someone not on the people list, all stored on save?"""
    from tracker.models import Action, ActionOwner, Attendee, AuditEvent, Person

    people = _roster(db)
    login("chair")
    url = _upload(client, [("labels.docx", _label_lines_docx())]).headers["Location"]
    page = client.get(url).get_data(as_text=True)
    key = _row_key(page, "The group discussed evening peer support groups.")
    added = _post(
        client,
        url,
        **{
            "do": "add",
            "new-kind": "action",
            "new-text": "Draft the evening group proposal.",
            "new-who": f"p:{people['Arun Patel'].id}",
            "new-due": "2021-04-01",
            f"{key}-kind": "decision",
        },
    )
    assert added.status_code == 303
    attendee = _post(
        client,
        url,
        **{"do": "add-attendee", "na-name": "Sam  Green", "na-role": "lxp", "na-status": "present"},
    )
    assert attendee.status_code == 303
    page = client.get(url).get_data(as_text=True)
    assert "New people" in page and "Sam Green" in page
    assert "1 person is not on the people list yet" in page
    assert _count(db, Meeting) == 0 and _count(db, Person) == 4  # nothing stored yet
    saved = _post(client, url, do="save", body="PD Clinical Reference Group")
    assert saved.status_code == 303, saved.get_data(as_text=True)[:3000]
    meeting = db.exec(select(Meeting)).one()
    actions = db.exec(select(Action).where(Action.meeting_id == meeting.id)).all()
    action = next(a for a in actions if a.text == "Draft the evening group proposal.")
    assert action.due.isoformat() == "2021-04-01"
    owner = db.exec(select(ActionOwner).where(ActionOwner.action_id == action.id)).one()
    assert owner.person_id == people["Arun Patel"].id
    decisions = db.exec(select(Decision).where(Decision.meeting_id == meeting.id)).all()
    assert [d.text for d in decisions] == ["The group discussed evening peer support groups."]
    assert not any("people list" in note for note in meeting.warnings)  # done on save
    sam = db.exec(select(Person).where(Person.name == "Sam Green")).one()
    assert sam.role == "lxp" and sam.email is None
    row = db.exec(select(Attendee).where(Attendee.as_written == "Sam Green")).one()
    assert row.person_id == sam.id and row.meeting_id == meeting.id
    events = {e.action: e for e in db.exec(select(AuditEvent)).all()}
    assert events["person.add"].object_id == str(sam.id)
    assert events["meeting.review"].detail["edits"]["added"] == 1
    assert events["meeting.review"].detail["edits"]["kind"] == 1
    assert "evening" not in str(events["meeting.review"].detail)  # never the minutes' text


def test_editor_splits_merges_and_deletes(client, login, db):
    """Do Split (at a line break), Merge with next and Delete change the rows as asked?"""
    _roster(db)
    login("chair")
    url = _upload(client, [("labels.docx", _label_lines_docx())]).headers["Location"]
    page = client.get(url).get_data(as_text=True)
    first = _row_key(page, "The group discussed evening peer support groups.")
    split = _post(
        client,
        url,
        **{
            f"{first}-text": "The group discussed evening groups.\nWeekends too.",
            "do": f"split:{first}",
        },
    )
    assert split.status_code == 303
    page = client.get(url).get_data(as_text=True)
    first = _row_key(page, "The group discussed evening groups.")
    assert _row_key(page, "Weekends too.")
    assert _post(client, url, do=f"merge:{first}").status_code == 303
    page = client.get(url).get_data(as_text=True)
    assert ">The group discussed evening groups. Weekends too.<" in page
    gone = _row_key(page, "Waiting lists for groups are long.")
    assert _post(client, url, do=f"delete:{gone}").status_code == 303
    page = client.get(url).get_data(as_text=True)
    assert ">Waiting lists for groups are long.<" not in page


def test_editor_refuses_a_bad_due_date_in_one_line(client, login, db):
    """Is a bad due date refused plainly, with nothing stored and the page still usable?"""
    _roster(db)
    login("chair")
    url = _upload(client, [("labels.docx", _label_lines_docx())]).headers["Location"]
    bad = _post(
        client, url, **{"do": "add", "new-kind": "action", "new-text": "X", "new-due": "soon"}
    )
    assert bad.status_code == 400
    body = bad.get_data(as_text=True)
    assert "write the due date as a full date" in body and "Traceback" not in body
    assert _count(db, Meeting) == 0


def test_editor_creates_a_new_body_on_save(client, login, db):
    """Can a chair save minutes for a meeting (body) that is not on the list yet?"""
    _roster(db)
    login("chair")
    url = _upload(client, [("labels.docx", _label_lines_docx())]).headers["Location"]
    form = {
        "do": "save",
        "body": "__new__",
        "new-body-name": "PD Task and Finish Group",
        "new-body-kind": "working",
        "new-body-workstream": "PD",
    }
    assert _post(client, url, **form).status_code == 303
    body = db.exec(select(Body).where(Body.name == "PD Task and Finish Group")).one()
    assert (body.kind, body.workstream) == ("working", "PD")
    assert db.exec(select(Meeting)).one().body_id == body.id


def test_review_page_is_paginated_and_posts_touch_only_their_page(client, login, db):
    """Does a long document's review page show one page of rows, and leave the others alone?"""
    from tracker.services.template_docx import build_template
    from tracker.web.meetings import PAGE_ROWS

    _roster(db)
    login("chair")
    lines = [f"Jade Morgan: Point number {n} about peer support." for n in range(PAGE_ROWS + 15)]
    spec = {**EXAMPLE, "items": [{"title": "Peer support", "lead": "Helen Price", "lines": lines}]}
    url = _upload(client, [("long.docx", build_template(example=spec))]).headers["Location"]
    first = client.get(url).get_data(as_text=True)
    assert len(re.findall(r'<tr id="row-[cxdi]-', first)) == PAGE_ROWS
    assert 'href="' + url + '?page=2"' in first or "?page=2" in first
    second = client.get(url + "?page=2").get_data(as_text=True)
    assert ">Point number 54 about peer support.<" in second
    assert ">Point number 0 about peer support.<" not in second
    # A post from page 2 carries only page 2's fields: page 1 keeps its speakers.
    last = _row_key(second, "Point number 54 about peer support.")
    applied = _post(client, url, do="apply", page="2", **{f"{last}-who": "none"})
    assert applied.headers["Location"].endswith("page=2")
    first = client.get(url).get_data(as_text=True)
    assert 'class="field-error">Nobody recorded' not in first
    second = client.get(url + "?page=2").get_data(as_text=True)
    assert second.count('class="field-error">Nobody recorded') == 1


def test_a_resaved_file_is_a_new_version_only_when_the_chair_corrected_it(client, login, db):
    """Is a re-saved copy (new bytes, same words) saved unchanged refused as a repeat,
    and the same copy with a correction made on the review screen stored as version 2?"""
    import zipfile

    from factories import make_body

    make_body(db, "PD Clinical Reference Group", kind="governance")
    db.commit()
    login("chair")
    original = _label_lines_docx()
    resaved = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(original)) as source, zipfile.ZipFile(resaved, "w") as copy:
        for info in source.infolist():  # stored, not deflated: other bytes, same document
            copy.writestr(info.filename, source.read(info.filename))
    first = _upload(client, [("v1.docx", original)]).headers["Location"]
    assert _post(client, first, do="save", body="PD Clinical Reference Group").status_code == 303
    again = _upload(client, [("v1 copy.docx", resaved.getvalue())]).headers["Location"]
    repeat = _post(client, again, do="save", body="PD Clinical Reference Group")
    assert repeat.status_code == 303
    assert "Nothing was saved" in client.get(repeat.headers["Location"]).get_data(as_text=True)
    assert _count(db, Meeting) == 1
    corrected = _upload(client, [("v1 copy.docx", resaved.getvalue())]).headers["Location"]
    form = {"do": "save", "body": "PD Clinical Reference Group", "new-kind": "decision"}
    assert (
        _post(client, corrected, **{**form, "do": "add", "new-text": "Agreed."}).status_code == 303
    )
    assert _post(client, corrected, **form).status_code == 303
    assert _count(db, Meeting) == 2
    db.expire_all()
    current = db.exec(select(Meeting).where(Meeting.is_current == True)).one()  # noqa: E712
    assert current.version == 2
