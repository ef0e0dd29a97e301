"""The parser against hundreds of generated minutes in many secretariat styles.

tests/generator/minutes_gen.py writes each file and its truth from the same
seeded choices (VARIATIONS); the scoring is bench/parse_quality.py's.  Two
kinds of check:

- over 300 files with every choice drawn at random, each record kind's F1
  and the date / speaker / lead / owner / due accuracies reach 0.97;
- per variation: files that differ from a baseline the parser reads (the
  dev corpus's styles) by that one choice only, so a failure names the
  convention the parser misses.

Marked xfail (strict=False): what the parser did not read on the day these
tests were written.  The parser engineer removes a mark once it passes.
"""

from __future__ import annotations

import copy
import csv
import json
import re
import zipfile
from datetime import date
from functools import cache
from io import BytesIO

import pytest

from generator import scoring
from generator.minutes_gen import BASELINE, VARIATIONS, format_date, generate, write_corpus

N_FILES = 300
ISOLATION_FILES = 3
BASELINE_SEEDS = range(10_000, 10_020)
THRESHOLD = 0.97
FIGURES = (
    "meeting_date_accuracy",
    *scoring.KINDS,
    "speaker_accuracy",
    "agenda_lead_accuracy",
    "action_owner_accuracy",
    "action_due_accuracy",
    "body_accuracy",  # the title names the body, as `tracker import` needs
)

# Figures below the threshold over the 300 random files on the day this was
# written; all reached it with the layout-general reader (issue 8).
FAILING_TODAY: set[str] = set()
# (variation, choice) the parser misread in isolation on the day this was
# written; all read with the layout-general reader (issue 8).
VARIATIONS_FAILING_TODAY: set[tuple[str, str]] = set()
REASON = "the parser does not read this convention yet (issue 8)"


@cache
def random_files() -> list[scoring.Scored]:
    return scoring.score_seeds(range(N_FILES))


@cache
def baseline_files() -> list[scoring.Scored]:
    names = scoring.roster()
    return [scoring.score_one(generate(seed, BASELINE), names) for seed in BASELINE_SEEDS]


@cache
def isolation_seeds() -> tuple[int, ...]:
    return scoring.clean_baseline_seeds(ISOLATION_FILES, BASELINE_SEEDS.start)


@cache
def isolated(name: str, choice: str) -> list[scoring.Scored]:
    names = scoring.roster()
    return [
        scoring.score_one(generate(seed, BASELINE | {name: choice}), names)
        for seed in isolation_seeds()
    ]


def _below(figures: dict[str, float | None]) -> dict[str, float]:
    return {k: v for k, v in figures.items() if v is not None and v < THRESHOLD}


def _report(scored: list[scoring.Scored], limit: int = 12) -> str:
    lines = [f"{s.minutes.filename}: {m}" for s in scored for m in s.misses]
    return "\n".join(lines[:limit])


@pytest.mark.parametrize(
    "figure",
    [
        pytest.param(f, marks=pytest.mark.xfail(strict=False, reason=REASON))
        if f in FAILING_TODAY
        else f
        for f in FIGURES
    ],
)
def test_figure_over_300_generated_files(figure: str) -> None:
    """Does the parser reach 0.97 on this figure over 300 random-style files?"""
    value = scoring.total(random_files())[figure]
    assert value is not None
    assert value >= THRESHOLD, f"{figure} = {value:.3f}\n{_report(random_files())}"


def _variation_params() -> list:
    params = []
    for name, choices in VARIATIONS.items():
        for choice in choices:
            if BASELINE[name] == choice:
                continue  # that file is the baseline, tested below
            marks = (
                [pytest.mark.xfail(strict=False, reason=REASON)]
                if (name, choice) in VARIATIONS_FAILING_TODAY
                else []
            )
            params.append(pytest.param(name, choice, id=f"{name}={choice}", marks=marks))
    return params


def test_baseline_files_read_cleanly() -> None:
    """The baseline style (the dev corpus's conventions) is read in full, 20 files."""
    scored = baseline_files()
    assert all(s.minutes.variations == BASELINE for s in scored)
    below = _below(scoring.total(scored))
    assert not below, f"{below}\n{_report(scored)}"


def test_isolation_starts_from_clean_baseline_files() -> None:
    assert len(isolation_seeds()) == ISOLATION_FILES


@pytest.mark.parametrize(
    "month",
    # June included: "the minutes of the meeting held on 18 May were approved" (May is
    # a month there, not the modal "may").
    list(range(1, 13)),
)
def test_meeting_in_any_month(month: int) -> None:
    """Dates in every month of the year (the previous meeting is four weeks earlier)."""
    g = generate(20_000 + month, BASELINE, when=date(2022, month, 15 + month % 3))
    scored = [scoring.score_one(g)]
    below = _below(scoring.total(scored))
    assert not below, f"{below}\n{_report(scored)}"


@pytest.mark.parametrize(("name", "choice"), _variation_params())
def test_one_variation_on_the_baseline(name: str, choice: str) -> None:
    """Does the parser still read the minutes when only this choice differs?"""
    scored = isolated(name, choice)
    assert len(scored) == ISOLATION_FILES, "the baseline files no longer read cleanly"
    assert all(s.minutes.variations[name] == choice for s in scored)
    below = _below(scoring.total(scored))
    assert not below, f"{name}={choice}: {below}\n{_report(scored)}"


def test_every_variation_is_exercised_in_the_300_files() -> None:
    used = {(k, v) for s in random_files() for k, v in s.minutes.variations.items()}
    wanted = {(k, v) for k, choices in VARIATIONS.items() for v in choices}
    assert wanted - used == set()
    assert len(random_files()) >= 300


def test_generator_is_deterministic_per_seed() -> None:
    for seed in (0, 7, 123):
        a, b = generate(seed), generate(seed)
        assert a.data == b.data
        assert a.truth == b.truth
        assert a.filename == b.filename
    assert generate(1).data != generate(2).data
    assert generate(1).truth != generate(2).truth


def _page_text(data: bytes) -> str:
    """Every paragraph's text (body, tables, header, footer), one per line."""
    with zipfile.ZipFile(BytesIO(data)) as z:
        xml = "".join(
            z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("word/") and "xml" in n
        )
    paragraphs = re.findall(r"<w:p[ >].*?</w:p>", xml, flags=re.S)
    return "\n".join(
        "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", p)) for p in paragraphs
    ).replace("&amp;", "&")


@pytest.mark.parametrize("seed", range(0, 300, 15))
def test_truth_is_written_on_the_page(seed: int) -> None:
    """Every record of the truth stands in the document as written."""
    g = generate(seed)
    page = _page_text(g.data)
    lines = page.splitlines()
    t = g.truth
    for kind in ("contributions", "actions", "decisions"):
        for record in t[kind]:
            assert any(record["text"] in line for line in lines), (kind, record["text"])
    for item in t["agenda_items"]:
        assert item["title"].lower() in page.lower(), item["title"]
    for a in t["attendees"]:
        assert a["name"] in page or a["name"].split()[0] in page, a["name"]
    # The meeting's own date is on the page in the document's format.
    day = format_date(date.fromisoformat(t["date"]), g.variations["date_format"])
    assert day.lower() in page.lower()


def test_written_corpus_scores_like_the_files_in_memory(tmp_path) -> None:
    """write_corpus lays out roster, bodies, minutes and truth for the bench scorer."""
    made = write_corpus(tmp_path, 6, seed=40)
    truth = json.loads((tmp_path / "truth.json").read_text())
    assert [m["file"] for m in truth["meetings"]] == [g.filename for g in made]
    assert all((tmp_path / g.filename).read_bytes() == g.data for g in made)
    with (tmp_path / "bodies.csv").open(newline="") as fh:
        assert {row["name"] for row in csv.DictReader(fh)} >= {g.truth["body"] for g in made}
    on_disk = scoring.parse_quality.score(tmp_path, verbose=False)
    in_memory = scoring.total([scoring.score_one(g) for g in made])
    for figure in FIGURES[:-1]:
        assert on_disk[figure] == pytest.approx(in_memory[figure]), figure


def test_scoring_sees_a_record_the_parser_did_not_find() -> None:
    """The scorer is not blind: a truth record no parse can find lowers F1."""
    g = generate(isolation_seeds()[0], BASELINE)
    assert not scoring.score_one(g).misses
    g.truth = copy.deepcopy(g.truth)
    g.truth["decisions"].append({"key": "x", "item": None, "text": "Budget cut by half."})
    g.truth["contributions"][0]["speaker"] = "Amara Okafor"
    scored = scoring.score_one(g)
    figures = scoring.total([scored])
    assert figures["decisions_f1"] < 1.0
    assert figures["speaker_accuracy"] < 1.0
    assert "decisions missing: 'Budget cut by half.'" in scored.misses
