"""The disclosure rule on `tracker export` and `tracker report lost` (case 57)."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

from click.testing import CliRunner
from sqlmodel import Session

from factories import make_body, make_contribution, make_meeting, make_outcome, make_person
from tracker.cli import cli
from tracker.domain.disclosure import ANONYMOUS, NOT_QUOTED, STORY

POINTS = {
    "quote-named": "Named point about evening groups",
    "quote-anonymous": "Anonymous point about transport costs",
    "count-only": "Count only point about my GP",
    "story": "My story of waiting nine hours in A&E",
}


def arrange(session: Session) -> None:
    catch_up = make_body(session, "PD catch-up", kind="catch-up")
    make_body(session, "PD CRG", kind="governance")
    jade = make_person(session, "Jade Morgan", role="lxp")
    meeting = make_meeting(session, catch_up, date(2021, 3, 9))
    for key, text in POINTS.items():
        consent = key if key != "story" else "quote-named"
        point = make_contribution(
            session, meeting, text, speaker=jade, consent=consent, is_story=key == "story"
        )
        make_outcome(session, point, "lost")
    session.commit()


def run(db_url: str, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--db", db_url, *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_export_quotes_and_names_only_what_consent_allows(db_url: str, session: Session) -> None:
    """Count-only points and stories are not quoted; anonymous ones name nobody; counts stay."""
    arrange(session)
    data = json.loads(run(db_url, "export"))
    rows = {c["text"]: c["speaker"] for m in data["meetings"] for c in m["contributions"]}
    assert len(rows) == 4
    jade = rows[POINTS["quote-named"]]
    assert jade["person_id"] and jade["as_written"] == "Jade Morgan"
    assert rows[POINTS["quote-anonymous"]] == {
        "person_id": None,
        "as_written": None,
        "group": "lxp",
    }
    assert rows[NOT_QUOTED]["person_id"] == jade["person_id"]  # counted, not quoted
    assert rows[STORY]["person_id"] == jade["person_id"]
    flat = json.dumps(data)
    assert POINTS["count-only"] not in flat and POINTS["story"] not in flat
    assert len(data["outcomes"]) == 4


def test_report_lost_follows_the_same_rule(db_url: str, session: Session) -> None:
    """The lead's lost report shows the same text and names as the rule gives a lead."""
    arrange(session)
    rows = list(csv.DictReader(io.StringIO(run(db_url, "report", "lost", "--format", "csv"))))
    got = sorted((r["said_by"], r["text"]) for r in rows)
    assert got == sorted(
        [
            ("Jade Morgan", POINTS["quote-named"]),
            (ANONYMOUS, POINTS["quote-anonymous"]),
            ("Jade Morgan", NOT_QUOTED),
            ("Jade Morgan", STORY),
        ]
    )
    table = run(db_url, "report", "lost")
    assert POINTS["count-only"] not in table and POINTS["story"] not in table
