"""CSV formula cells are quoted everywhere; List-Unsubscribe is a readable URL (RFC 2369/8058)."""

from __future__ import annotations

import csv
import io
from datetime import date
from email import message_from_bytes, policy

from click.testing import CliRunner
from sqlmodel import Session

from factories import make_body, make_contribution, make_meeting, make_outcome, make_person
from tracker.cli import cli
from tracker.csv_safe import csv_text, safe_cell
from tracker.mail import WIRE_POLICY, RenderedEmail, build_message

FORMULAS = ('=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1")


def test_safe_cell_quotes_formula_starts_and_leaves_the_rest() -> None:
    """Do = + - @ tab CR get an apostrophe, and numbers and plain text stay as they are?"""
    for text in FORMULAS:
        assert safe_cell(text) == "'" + text
    assert safe_cell(-2) == -2 and safe_cell(None) == "" and safe_cell("a=b") == "a=b"
    rows = list(csv.reader(io.StringIO(csv_text(["h"], [[t] for t in FORMULAS]))))
    assert all(cell[0].startswith("'") for cell in rows[1:])


def test_report_lost_csv_writes_no_formula_cells(db_url: str, session: Session) -> None:
    """`tracker report lost --format csv`: is a point saying =HYPERLINK(...) quoted?"""
    body = make_body(session, "PD catch-up", kind="catch-up")
    lxp = make_person(session, "-Ann", role="lxp")
    meeting = make_meeting(session, body, date(2021, 3, 9))
    for text in FORMULAS:
        make_outcome(session, make_contribution(session, meeting, text, speaker=lxp), "lost")
    session.commit()
    result = CliRunner().invoke(cli, ["--db", db_url, "report", "lost", "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert len(rows) == len(FORMULAS)
    for row in rows:
        for key, cell in row.items():
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (key, cell)
    assert sorted(r["text"] for r in rows) == sorted("'" + t for t in FORMULAS)


def test_list_unsubscribe_is_one_angle_bracketed_url_with_one_click_post() -> None:
    """Is a long unsubscribe URL sent as <https://...> (not RFC 2047 encoded words)?"""
    url = "https://tracker.example.org/digests/unsubscribe/" + "Ab0_-" * 30
    msg = build_message(
        RenderedEmail("You said, we did", "text", "<p>html</p>"),
        mail_from="tracker@example.org",
        to="ann@example.org",
        message_id="<1@example.org>",
        unsubscribe_url=url,
    )
    wire = msg.as_bytes(policy=WIRE_POLICY)
    line = next(x for x in wire.split(b"\r\n") if x.startswith(b"List-Unsubscribe:"))
    assert line == b"List-Unsubscribe: <" + url.encode() + b">"
    assert b"List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n" in wire
    assert b"=?utf-8?" not in wire
    parsed = message_from_bytes(wire, policy=policy.default)
    assert parsed["List-Unsubscribe"] == f"<{url}>"
