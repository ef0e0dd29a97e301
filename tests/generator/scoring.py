"""Score parsers.parse_minutes on generated minutes, overall and per variation.

The scoring is bench/parse_quality.py's (the evaluator's own alignment and
figures), applied to each generated meeting in memory.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from generator.minutes_gen import BASELINE, BODIES, ROSTER, VARIATIONS, GeneratedMinutes, generate
from parsers import ParsedMinutes, UploadRejected, parse_minutes
from parsers.names import RosterName

ROOT = Path(__file__).resolve().parents[2]


def _load(name: str, path: Path) -> ModuleType:
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


parse_quality = _load("bench_parse_quality", ROOT / "bench" / "parse_quality.py")
evaluate = parse_quality.load_evaluate()
KINDS = tuple(f"{k}_f1" for k in parse_quality.KINDS)
ACCURACIES = parse_quality.RATIOS


def roster() -> list[RosterName]:
    """The generator's roster as the parser and resolver take it."""
    return [
        RosterName(
            key=p.name.lower().replace(" ", ".") + "@example.org",
            name=p.name,
            aliases=(p.initials, p.first) + ((p.title_alias,) if p.title_alias else ()),
            role=p.role,
        )
        for p in ROSTER
    ]


@dataclass
class Scored:
    minutes: GeneratedMinutes
    scores: Any  # parse_quality.Scores for this one meeting
    misses: list[str]
    body_ok: bool = True  # the title (or file name) names the right body


def body_of(title: str, lines: Sequence[str] = (), filename: str = "") -> str | None:
    """The body whose pattern the heading block names, as `tracker import` picks it
    (tracker.services.people.find_body: every pattern against the title, the
    heading-block lines at word boundaries and the file name's words; the
    longest pattern wins, ties refused)."""
    lowered = " ".join(title.lower().split())
    stem = re.sub(r"\.docx?$", "", Path(filename).name, flags=re.IGNORECASE)
    others = [" ".join(line.lower().split()) for line in lines]
    if stem:
        others.append(" ".join(stem.replace("_", " ").lower().split()))
    found = []
    for body in BODIES:
        for pattern in body.patterns:
            wanted = " ".join(pattern.lower().split())
            bounded = re.compile(rf"(?<!\w){re.escape(wanted)}(?!\w)")
            if wanted in lowered or any(bounded.search(line) for line in others):
                found.append((len(wanted), body.name))
    if not found:
        return None
    longest = max(n for n, _ in found)
    names = {name for n, name in found if n == longest}
    return names.pop() if len(names) == 1 else None


def score_one(g: GeneratedMinutes, names: list[RosterName] | None = None) -> Scored:
    """Parse one generated file and score it against its truth."""
    names = names if names is not None else roster()
    refused: list[str] = []
    try:
        parsed = parse_minutes(g.data, Path(g.filename).name, roster=names)
    except UploadRejected as exc:  # scored as a file that yields nothing
        parsed = ParsedMinutes(title="", date=None)
        refused.append(f"refused: {exc}")
    scores = parse_quality.Scores(evaluate)
    misses = parse_quality.score_meeting(evaluate, scores, g.truth, parsed, names)
    body = body_of(parsed.title, parsed.heading_lines, g.filename)
    if body != g.truth["body"]:
        misses.insert(0, f"body {body} != {g.truth['body']} (title {parsed.title!r})")
    return Scored(g, scores, refused + misses, body == g.truth["body"])


def score_seeds(seeds: range) -> list[Scored]:
    names = roster()
    return [score_one(generate(s), names) for s in seeds]


def total(scored: list[Scored]) -> dict[str, float | None]:
    """The figures over all the given meetings."""
    acc = parse_quality.Scores(evaluate)
    for s in scored:
        acc.add(s.scores)
    figures = acc.figures()
    figures["body_accuracy"] = sum(s.body_ok for s in scored) / len(scored) if scored else None
    return figures


def by_variation(scored: list[Scored]) -> dict[tuple[str, str], tuple[int, dict]]:
    """(variation, choice) -> (number of files, figures over those files)."""
    out: dict[tuple[str, str], tuple[int, dict]] = {}
    for name, choices in VARIATIONS.items():
        for choice in choices:
            subset = [s for s in scored if s.minutes.variations.get(name) == choice]
            if subset:
                out[(name, choice)] = (len(subset), total(subset))
    return out


def clean_baseline_seeds(k: int, start: int = 10_000) -> tuple[int, ...]:
    """The first k seeds from start whose baseline-style file reads without a miss.

    Isolating a variation on these, a failure comes from that variation only
    (a baseline miss, such as a date the parser misreads, would show in all).
    """
    names = roster()
    seeds: list[int] = []
    seed = start
    while len(seeds) < k and seed < start + 50 * k:
        if not score_one(generate(seed, BASELINE), names).misses:
            seeds.append(seed)
        seed += 1
    return tuple(seeds)
