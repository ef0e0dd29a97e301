"""The held-out corpus tests/data/nhs_styles is consistent and reproducible.

Its truth must obey ../shared/contract/truth.md and the outcome rules of
DESIGN.md, or the figures measured on it mean nothing; and make_corpus.py
must rebuild exactly the committed truth and documents, so that the Word
files and the truth cannot drift apart.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parent / "data" / "nhs_styles"
KINDS = ("agenda_items", "contributions", "actions", "decisions")
STATUSES = {"acted", "heard", "lost", "awaiting", "not-taken-forward"}
GUESTS = {"Janet Oduya", "Mike Dunn", "Ruth Castellano"}  # attend, never speak or own


def rows(name: str) -> list[dict[str, str]]:
    with (CORPUS / name).open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def corpus() -> dict:
    truth = json.loads((CORPUS / "truth.json").read_text(encoding="utf-8"))
    roster = {r["name"]: r for r in rows("roster.csv")}
    bodies = {b["name"]: b for b in rows("bodies.csv")}
    where = {}
    for m in truth["meetings"]:
        for kind in KINDS:
            for rec in m[kind]:
                where[rec["key"]] = (m, kind, rec)
    return {"truth": truth, "roster": roster, "bodies": bodies, "where": where}


def is_lxp(who: str | None, roster: dict) -> bool:
    return who == "group:lxp" or (who in roster and roster[who]["role"] == "lxp")


def lxp_input(corpus: dict) -> set[str]:
    out = set()
    for m in corpus["truth"]["meetings"]:
        catch_up = corpus["bodies"][m["body"]]["kind"] == "catch-up"
        for c in m["contributions"]:
            if catch_up or is_lxp(c["speaker"], corpus["roster"]):
                out.add(c["key"])
    return out


def test_keys_are_unique_and_records_point_at_their_own_items(corpus: dict) -> None:
    keys = [rec["key"] for m in corpus["truth"]["meetings"] for k in KINDS for rec in m[k]]
    assert len(keys) == len(set(keys))
    for m in corpus["truth"]["meetings"]:
        items = {a["key"] for a in m["agenda_items"]}
        for kind in ("contributions", "actions", "decisions"):
            for rec in m[kind]:
                assert rec["item"] in items, rec["key"]
                assert rec["text"].strip(), rec["key"]


def test_files_bodies_and_dates_exist(corpus: dict) -> None:
    files = [m["file"] for m in corpus["truth"]["meetings"]]
    assert len(files) == len(set(files))
    assert {p.name for p in (CORPUS / "minutes").glob("*.docx")} == {Path(f).name for f in files}
    for m in corpus["truth"]["meetings"]:
        assert m["body"] in corpus["bodies"], m["file"]
        dt.date.fromisoformat(m["date"])
    assert {b["kind"] for b in corpus["bodies"].values()} == {"catch-up", "governance", "working"}


def test_every_name_is_on_the_roster_or_a_group(corpus: dict) -> None:
    roster = corpus["roster"]

    def ok(who: str | None) -> bool:
        return who is None or who in roster or who in ("group:lxp", "group:staff", "group:all")

    for m in corpus["truth"]["meetings"]:
        for a in m["attendees"]:
            assert a["name"] in roster or a["name"] in GUESTS, a
            assert a["status"] in ("present", "in-attendance", "apologies")
        for a in m["agenda_items"]:
            assert ok(a["lead"]), a
        for c in m["contributions"]:
            assert ok(c["speaker"]), c
        for x in m["actions"]:
            assert x["owners"] and all(ok(o) for o in x["owners"]), x
            assert x["due"] is None or dt.date.fromisoformat(x["due"])
    for r in roster.values():
        assert r["role"] in ("lxp", "staff")
        assert r["email"]


def test_links_go_forward_within_a_workstream(corpus: dict) -> None:
    where, bodies = corpus["where"], corpus["bodies"]
    lxp = lxp_input(corpus)
    links = [(link["from"], link["to"]) for link in corpus["truth"]["links"]]
    assert links and len(links) == len(set(links))
    for f, t in links:
        assert f in lxp, f"{f} is not LXP input"
        (fm, _, _), (tm, _, _) = where[f], where[t]
        assert bodies[fm["body"]]["workstream"] == bodies[tm["body"]]["workstream"], (f, t)
        assert bodies[tm["body"]]["kind"] in ("governance", "working"), (f, t)
        assert tm["date"] > fm["date"], (f, t)


def test_every_lxp_contribution_has_the_outcome_the_rules_give(corpus: dict) -> None:
    where, bodies, roster = corpus["where"], corpus["bodies"], corpus["roster"]
    truth = corpus["truth"]
    outcomes = truth["outcomes"]
    lxp = lxp_input(corpus)
    assert set(outcomes) == lxp
    targets: dict[str, list[str]] = {}
    for link in truth["links"]:
        targets.setdefault(link["from"], []).append(link["to"])
    for key, got in outcomes.items():
        assert got["status"] in STATUSES
        mine = targets.get(key, [])
        m = where[key][0]
        if any(where[t][1] in ("actions", "decisions") for t in mine):
            want = "acted"
        elif mine:
            want = "heard"
        elif any(
            bodies[o["body"]]["workstream"] == bodies[m["body"]]["workstream"]
            and bodies[o["body"]]["kind"] == "governance"
            and o["date"] > m["date"]
            for o in truth["meetings"]
        ):
            want = "lost"
        else:
            want = "awaiting"
        assert got["status"] == want, key
        if not mine:
            assert got["credited"] is False, key
        # a record said by an LXP always credits the point it takes up
        if any(is_lxp(where[t][2].get("speaker"), roster) for t in mine):
            assert got["credited"] is True, key
    statuses = {o["status"] for o in outcomes.values()}
    assert statuses == {"acted", "heard", "lost", "awaiting"}


def docx_text(data: bytes) -> str:
    """The visible text of a .docx, independent of how python-docx zips it."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read("word/document.xml").decode("utf-8")


def test_make_corpus_reproduces_the_committed_files(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, str(CORPUS / "make_corpus.py"), str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    for name in ("truth.json", "roster.csv", "bodies.csv"):
        assert (tmp_path / name).read_bytes() == (CORPUS / name).read_bytes(), name
    made = sorted(p.name for p in (tmp_path / "minutes").glob("*.docx"))
    assert made == sorted(p.name for p in (CORPUS / "minutes").glob("*.docx"))
    for name in made:
        new, old = (
            (tmp_path / "minutes" / name).read_bytes(),
            (CORPUS / "minutes" / name).read_bytes(),
        )
        assert docx_text(new) == docx_text(old), name


def test_every_document_parses_with_its_own_date(corpus: dict) -> None:
    """Valid minutes in unseen house styles are read, never refused, and dated right."""
    from parsers import parse_minutes

    for m in corpus["truth"]["meetings"]:
        path = CORPUS / m["file"]
        parsed = parse_minutes(path.read_bytes(), path.name)
        assert str(parsed.date) == m["date"], m["file"]


def test_by_style_prints_one_row_per_house_style() -> None:
    proc = subprocess.run(
        [sys.executable, str(CORPUS / "by_style.py")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    rows = [line for line in proc.stdout.splitlines() if line.startswith("| ")][1:]
    assert [r.split(" | ")[0] for r in rows] == [
        "| 1 trust board",
        "| 2 ICS partnership",
        "| 3 task and finish table",
        "| 4 lived-experience forum",
        "| 5 steering group labels",
        "| **overall**",
    ]
    assert rows[-1].split(" | ")[1] == "29"
