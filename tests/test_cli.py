"""The command-line contract, end to end, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner, Result
from sqlalchemy import func
from sqlmodel import Session, select

from tracker.cli import cli
from tracker.db import make_engine
from tracker.demo import BODIES, ROSTER, pd_catch_up_march, pd_crg_march
from tracker.models import AuditEvent, Body, Contribution, Meeting, Person

ROOT = Path(__file__).resolve().parents[1]


def run(db_url: str, *args: str, input: str | None = None) -> Result:
    runner = CliRunner()
    return runner.invoke(cli, ["--db", db_url, *args], input=input, catch_exceptions=False)


def count(db_url: str, model: type) -> int:
    engine = make_engine(db_url)
    with Session(engine) as session:
        n = session.exec(select(func.count()).select_from(model)).one()
    engine.dispose()
    return int(n)


@pytest.fixture
def loaded(db_url: str, tmp_path: Path) -> tuple[str, Path]:
    """A database with the demo roster and bodies, and two real minutes files."""
    (tmp_path / "roster.csv").write_text(ROSTER)
    (tmp_path / "bodies.csv").write_text(BODIES)
    assert run(db_url, "init").exit_code == 0
    assert run(db_url, "people", "import", str(tmp_path / "roster.csv")).exit_code == 0
    assert run(db_url, "bodies", "import", str(tmp_path / "bodies.csv")).exit_code == 0
    minutes = tmp_path / "minutes"
    minutes.mkdir()
    pd_catch_up_march(minutes / "catch-up.docx")
    pd_crg_march(minutes / "crg.docx")
    return db_url, minutes


def test_init_is_repeatable(db_url: str) -> None:
    """Can `tracker init` run on an empty and on an existing database?"""
    first, second = run(db_url, "init"), run(db_url, "init")
    assert first.exit_code == 0 and second.exit_code == 0
    assert "database ready" in second.output


@pytest.mark.parametrize(
    ("command", "text", "needle"),
    [
        ("people", "name,aliases,role,email\nA B,AB,lxp,a@example.org\nC D,,boss,\n", "line 3"),
        ("people", "name,aliases,role,email\nA B,,lxp,not-an-email\n", "line 2"),
        ("people", "name,role\nA B,lxp\n", "missing column(s) aliases, email"),
        ("people", "name,aliases,role,email\nA B,,lxp,\na b,,staff,\n", "appears twice"),
        ("bodies", "name,kind,workstream,patterns\nX,governance,PD,X\nY,party,PD,Y\n", "line 3"),
        ("bodies", "name,kind,workstream,patterns\nX,governance,,X\n", "workstream is empty"),
    ],
)
def test_bad_csv_row_names_its_line_and_writes_nothing(
    db_url: str, tmp_path: Path, command: str, text: str, needle: str
) -> None:
    """Does a bad row fail with its line number, exit 1, and leave nothing behind?"""
    run(db_url, "init")
    path = tmp_path / "in.csv"
    path.write_text(text)
    result = CliRunner().invoke(cli, ["--db", db_url, command, "import", str(path)])
    assert result.exit_code == 1
    assert needle in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert count(db_url, Person) == 0 and count(db_url, Body) == 0


def test_import_summarises_and_is_idempotent(loaded: tuple[str, Path]) -> None:
    """Does import print one line per file (then what to check), and re-import change nothing?"""
    db_url, minutes = loaded
    first = run(db_url, "import", str(minutes))
    assert first.exit_code == 0, first.output
    lines = [line for line in first.output.strip().splitlines() if not line.startswith(" ")]
    checks = [line for line in first.output.splitlines() if line.startswith(" ")]
    assert all(line.startswith("  check: ") for line in checks)
    assert len(lines) == 2
    assert all("contributions" in line and "unattributed" in line for line in lines)
    meetings, contributions = count(db_url, Meeting), count(db_url, Contribution)
    again = run(db_url, "import", str(minutes))
    assert again.exit_code == 0
    assert all("unchanged" in line for line in again.output.strip().splitlines())
    assert (count(db_url, Meeting), count(db_url, Contribution)) == (meetings, contributions)


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (b"", "empty"),
        (b"%PDF-1.4 not really a Word file", "not a Word"),
        (b"PK\x03\x04broken", "damaged"),
    ],
)
def test_bad_file_gives_one_line_and_writes_nothing(
    loaded: tuple[str, Path], tmp_path: Path, content: bytes, needle: str
) -> None:
    """Is a bad file refused in one line, exit 1, with no meeting stored?"""
    db_url, _ = loaded
    bad = tmp_path / "bad.docx"
    bad.write_bytes(content)
    result = CliRunner().invoke(cli, ["--db", db_url, "import", str(bad)])
    assert result.exit_code == 1
    assert needle.lower() in result.output.lower()
    assert "Traceback" not in result.output
    assert count(db_url, Meeting) == 0 and count(db_url, Contribution) == 0


def test_unknown_body_is_refused_unless_named(loaded: tuple[str, Path], tmp_path: Path) -> None:
    """Does a document whose title fits no body fail, and --body fix it?"""
    db_url, _ = loaded
    from docx import Document

    doc = Document()
    doc.add_heading("Allotment committee minutes", level=1)
    doc.add_paragraph("18 March 2021")
    doc.add_paragraph("The committee discussed the compost heap.")
    path = tmp_path / "allotment.docx"
    doc.save(path)
    refused = CliRunner().invoke(cli, ["--db", db_url, "import", str(path)])
    assert refused.exit_code == 1 and "use --body" in refused.output
    assert "allotment.docx: could not tell which body" in refused.output
    assert count(db_url, Meeting) == 0
    accepted = run(db_url, "import", str(path), "--body", "PD Clinical Reference Group")
    assert accepted.exit_code == 0, accepted.output
    assert count(db_url, Meeting) == 1


def test_body_on_the_second_heading_line_imports_without_body(
    loaded: tuple[str, Path], tmp_path: Path
) -> None:
    """Do minutes headed by the organisation, then the body, import without --body?"""
    db_url, _ = loaded
    from docx_builder import build_docx

    path = tmp_path / "minutes.docx"
    build_docx(
        [
            {"text": "Northshire NHS Foundation Trust", "style": "Title"},
            {"text": "PD Workforce Task and Finish Group", "bold": True},
            "Minutes of the meeting held on Tuesday 6 April 2021",
            {"text": "1. Welcome", "style": "Heading 2"},
            "The group discussed rotas.",
        ],
        path,
    )
    result = run(db_url, "import", str(path))
    assert result.exit_code == 0, result.output
    engine = make_engine(db_url)
    with Session(engine) as session:
        meeting = session.exec(select(Meeting)).one()
        body = session.get(Body, meeting.body_id)
        assert body is not None and body.name == "PD Workforce Task and Finish Group"
        assert str(meeting.date) == "2021-04-06"
    engine.dispose()


def test_export_matches_the_contract(loaded: tuple[str, Path], tmp_path: Path) -> None:
    """Is the export valid against contract/export.schema.json, and audited?"""
    db_url, minutes = loaded
    run(db_url, "import", str(minutes))
    run(db_url, "match")
    out = tmp_path / "export.json"
    result = run(db_url, "export", "--format", "json", "-o", str(out))
    assert result.exit_code == 0
    data = json.loads(out.read_text())
    schema_path = ROOT.parent / "shared" / "contract" / "export.schema.json"
    if schema_path.exists():
        jsonschema.validate(data, json.loads(schema_path.read_text()))
    assert data["schema"] == "tracker-export/1"
    assert len(data["meetings"]) == 2
    assert len(data["outcomes"]) >= 5
    assert count(db_url, AuditEvent) > 0


def test_bad_database_url_is_one_line(tmp_path: Path) -> None:
    """Does a nonsense --db fail in one line, naming what is allowed?"""
    result = CliRunner().invoke(cli, ["--db", "mysql://nope", "init"])
    assert result.exit_code == 1
    assert "postgresql://" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_links_and_outcomes_commands(loaded: tuple[str, Path], tmp_path: Path) -> None:
    """Do confirm, reject and not-taken-forward work and refuse bad ids in one line?"""
    db_url, minutes = loaded
    run(db_url, "import", str(minutes))
    run(db_url, "match")
    missing = CliRunner().invoke(cli, ["--db", db_url, "links", "confirm", "99999"])
    assert missing.exit_code == 1 and "no link 99999" in missing.output
    engine = make_engine(db_url)
    with Session(engine) as session:
        catch_up = session.exec(
            select(Meeting).where(Meeting.source_filename == "catch-up.docx")
        ).one()
        point = session.exec(
            select(Contribution).where(Contribution.meeting_id == catch_up.id)
        ).first()
    engine.dispose()
    assert point is not None
    result = run(
        db_url,
        "outcomes",
        "set",
        f"c{point.id}",
        "not-taken-forward",
        "--reason",
        "Out of scope for 2021",
    )
    assert result.exit_code == 0, result.output
    out = tmp_path / "e.json"
    run(db_url, "export", "-o", str(out))
    outcome = {o["contribution_id"]: o for o in json.loads(out.read_text())["outcomes"]}[
        f"c{point.id}"
    ]
    assert outcome["status"] == "not-taken-forward"
    # A fresh match must not overwrite what a person recorded.
    run(db_url, "match")
    run(db_url, "export", "-o", str(out))
    outcome = {o["contribution_id"]: o for o in json.loads(out.read_text())["outcomes"]}[
        f"c{point.id}"
    ]
    assert outcome["status"] == "not-taken-forward"
    assert outcome["basis"] == "confirmed"
    result = run(db_url, "outcomes", "withdraw", f"c{point.id}")
    assert result.exit_code == 0 and "withdrawn" in result.output
    run(db_url, "export", "-o", str(out))
    outcome = {o["contribution_id"]: o for o in json.loads(out.read_text())["outcomes"]}[
        f"c{point.id}"
    ]
    assert outcome["status"] != "not-taken-forward" and outcome["basis"] == "suggested"
    again = CliRunner().invoke(cli, ["--db", db_url, "outcomes", "withdraw", f"c{point.id}"])
    assert again.exit_code == 1 and "not recorded as not taken forward" in again.output


def test_import_returns_with_outcomes_current(loaded: tuple[str, Path], tmp_path: Path) -> None:
    """Without `tracker match`, are outcomes there (with a basis) when import returns?"""
    db_url, minutes = loaded
    run(db_url, "import", str(minutes))
    out = tmp_path / "e.json"
    run(db_url, "export", "-o", str(out))
    rows = json.loads(out.read_text())["outcomes"]
    assert rows and all(r["basis"] in ("confirmed", "suggested") for r in rows)
    before = {r["contribution_id"]: r for r in rows}
    run(db_url, "match")
    run(db_url, "export", "-o", str(out))
    assert {r["contribution_id"]: r for r in json.loads(out.read_text())["outcomes"]} == before


def test_report_lost_csv(loaded: tuple[str, Path]) -> None:
    """Does `report lost --format csv` list lost points with the meetings that missed them?"""
    db_url, minutes = loaded
    run(db_url, "import", str(minutes))
    run(db_url, "match")
    result = run(db_url, "report", "lost", "--format", "csv")
    assert result.exit_code == 0
    lines = result.output.strip().splitlines()
    assert lines[0].startswith("contribution_id,date,body")
    assert len(lines) == 6
    assert all("PD Clinical Reference Group 2021-03-18" in line for line in lines[1:])
