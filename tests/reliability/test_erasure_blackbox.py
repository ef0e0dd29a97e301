"""Erasure, black box (RELIABILITY.md 56): after `tracker people erase`, grep every file.

Real `tracker` processes on a real SQLite instance folder: minutes imported,
matched, digests written to the outbox as .eml files, a log line that names
the person.  After the erasure the person's name, email and words are in no
file under the instance folder (database, write-ahead log, stored Word
originals unzipped, .eml files decoded, logs), and the counts are unchanged.
"""

from __future__ import annotations

import email
import email.policy
import io
import json
import os
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

from docx_builder import build_docx

ROSTER = """name,aliases,role,email
Zainab Okonkwo-Whitfield,ZOW;Zainab,lxp,zainab.ow@example.org
Kofi Mensah,KM;Kofi,lxp,kofi.mensah@example.org
Tom Riley,TR;Tom,staff,tom.riley@example.org
"""
BODIES = """name,kind,workstream,patterns
PD LXP catch-up,catch-up,PD,PD LXP catch-up
PD Clinical Reference Group,governance,PD,PD Clinical Reference Group
"""
STORY = "My daughter waited eleven weeks for a crisis bed in Tamworth and nobody phoned us back"
SECRETS = ("okonkwo", "zainab", "zainab.ow@example.org", "eleven weeks", "crisis bed in tamworth")


def tracker(instance: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "TRACKER_INSTANCE_DIR": str(instance),
        "TRACKER_SECRET_KEY": "erasure-test",
        "TRACKER_SMTP_URL": "",
        "TRACKER_DATABASE_URL": "",
    }
    done = subprocess.run(
        [sys.executable, "-m", "tracker", *args],
        env=env,
        cwd=instance.parent,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done


def minutes(folder: Path) -> None:
    build_docx(
        [
            {"text": "PD LXP catch-up", "style": "Heading 1"},
            "Tuesday 9th March 2021",
            "Present: Zainab Okonkwo-Whitfield (LXP), Kofi Mensah (LXP), Tom Riley",
            {"text": "1. Crisis care", "style": "Heading 2"},
            {"text": STORY, "bold_prefix": "Zainab Okonkwo-Whitfield: "},
            {"text": "Crisis lines should call people back within a day", "bold_prefix": "Kofi: "},
            {"text": "ACTION: ZOW to share her experience with the crisis team"},
        ],
        folder / "catch-up.docx",
    )
    build_docx(
        [
            {"text": "PD Clinical Reference Group minutes", "style": "Heading 1"},
            "Date: 18 March 2021",
            "Members: Tom Riley, Kofi Mensah",
            {"text": "1. Crisis care update", "style": "Heading 2"},
            {
                "text": "Following feedback from Zainab, the crisis team will phone people "
                "back within a day; her daughter waited eleven weeks for a crisis bed",
                "bold_prefix": "Tom: ",
            },
            {"text": "AGREED: crisis lines will call people back within one working day"},
        ],
        folder / "crg.docx",
    )


def file_texts(path: Path) -> list[str]:
    """Everything a person could read out of one file: raw bytes, unzipped, decoded."""
    data = path.read_bytes()
    texts = [data.decode("utf-8", "replace"), data.decode("utf-16-le", "replace")]
    if data[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            texts += [package.read(n).decode("utf-8", "replace") for n in package.namelist()]
    if path.suffix == ".eml":
        message = email.message_from_bytes(data, policy=email.policy.default)
        texts += [str(v) for v in message.values()]
        texts += [p.get_content() for p in message.walk() if p.get_content_maintype() == "text"]
    return texts


def stored_originals(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    texts = []
    for (blob,) in conn.execute("SELECT original FROM meeting WHERE original IS NOT NULL"):
        with zipfile.ZipFile(io.BytesIO(blob)) as package:
            texts += [package.read(n).decode("utf-8", "replace") for n in package.namelist()]
    conn.close()
    return texts


def found(instance: Path) -> dict[str, list[str]]:
    hits: dict[str, list[str]] = {}
    for path in sorted(p for p in instance.rglob("*") if p.is_file()):
        for text in file_texts(path):
            for secret in SECRETS:
                if secret in text.lower():
                    hits.setdefault(secret, []).append(str(path.relative_to(instance)))
    for text in stored_originals(instance / "tracker.sqlite"):
        for secret in SECRETS:
            if secret in text.lower():
                hits.setdefault(secret, []).append("meeting.original")
    return hits


def counts(instance: Path) -> dict[str, object]:
    data = json.loads(tracker(instance, "export").stdout)
    return {
        "meetings": len(data["meetings"]),
        "contributions": sum(len(m["contributions"]) for m in data["meetings"]),
        "actions": sum(len(m["actions"]) for m in data["meetings"]),
        "links": len(data["links"]),
        "outcomes": sorted(o["status"] for o in data["outcomes"]),
        "people": len(data["people"]),
    }


def test_after_erasure_the_person_is_in_no_file_and_the_counts_stay(tmp_path: Path) -> None:
    """Are the name, email and story gone from the db, originals, outbox and logs?"""
    instance = tmp_path / "instance"
    instance.mkdir()
    (tmp_path / "roster.csv").write_text(ROSTER)
    (tmp_path / "bodies.csv").write_text(BODIES)
    folder = tmp_path / "minutes"
    folder.mkdir()
    minutes(folder)
    tracker(instance, "init")
    tracker(instance, "people", "import", str(tmp_path / "roster.csv"))
    tracker(instance, "bodies", "import", str(tmp_path / "bodies.csv"))
    tracker(instance, "import", str(folder))
    tracker(instance, "match")
    tracker(instance, "digests", "send", "--as-of", "2021-03-22")
    with (instance / "tracker.log").open("a") as log:
        log.write("2021-03-22 digest for Zainab Okonkwo-Whitfield <zainab.ow@example.org>\n")
    before = counts(instance)
    # The setting is real: every secret is somewhere before the erasure.
    hits = found(instance)
    assert set(hits) == set(SECRETS), hits
    assert any(h.endswith(".eml") for h in hits["eleven weeks"]), hits
    assert "meeting.original" in hits["okonkwo"]

    people = json.loads(tracker(instance, "export").stdout)["people"]
    pid = next(p["id"] for p in people if p["name"].startswith("Zainab"))
    out = tracker(instance, "people", "erase", pid, "--yes").stdout
    assert "erased" in out

    assert found(instance) == {}
    after = counts(instance)
    assert after == before
    # Other people's words are untouched.
    export = tracker(instance, "export").stdout
    assert "Crisis lines should call people back within a day" in export
