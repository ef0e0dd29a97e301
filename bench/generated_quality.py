"""Score parsers.parse_minutes on generated minutes, overall and per variation.

    .venv/bin/python bench/generated_quality.py [N] [--seed S] [--isolate K]
        [--set NAME=CHOICE ...] [--baseline] [--corpus DIR]

Generates N files (default 300, seeds S..S+N-1) with tests/generator/minutes_gen.py,
every style choice drawn at random, parses them in memory and scores them
with bench/parse_quality.py's scoring.  Prints the overall figures, then for
each variation (one choice of the grammar) the figures of K files (default
5) that differ from the baseline style only by that choice, and of the random
files that use it.  Writes the tables to bench/results/generated.md.
--set fixes a variation in the N files; --baseline fixes them all to the
baseline style.  --corpus DIR also writes the N files as a corpus (roster.csv,
bodies.csv, minutes/, truth.json) for bench/parse_quality.py or
../shared/tools/evaluate.py (which stops when `tracker import` refuses a file).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from generator import scoring  # noqa: E402
from generator.minutes_gen import BASELINE, VARIATIONS, generate, write_corpus  # noqa: E402

COLUMNS = (
    ("date", "meeting_date_accuracy"),
    ("attendees", "attendees_f1"),
    ("items", "agenda_items_f1"),
    ("contribs", "contributions_f1"),
    ("actions", "actions_f1"),
    ("decisions", "decisions_f1"),
    ("speaker", "speaker_accuracy"),
    ("lead", "agenda_lead_accuracy"),
    ("owner", "action_owner_accuracy"),
    ("due", "action_due_accuracy"),
    ("body", "body_accuracy"),
)
THRESHOLD = 0.97


def _cells(figures: dict[str, float | None]) -> list[str]:
    out = []
    for _, key in COLUMNS:
        value = figures.get(key)
        if value is None:
            out.append("-")
        else:
            out.append(f"{value:.2f}" + ("" if value >= THRESHOLD else " ✗"))
    return out


def _row(label: str, n: int | str, figures: dict[str, float | None]) -> str:
    return "| " + " | ".join([label, str(n), *_cells(figures)]) + " |"


def _head(first: str) -> list[str]:
    names = [first, "files", *(c for c, _ in COLUMNS)]
    return ["| " + " | ".join(names) + " |", "|" + "---|" * len(names)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int, nargs="?", default=300)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--isolate", type=int, default=5, help="files per isolated variation")
    ap.add_argument("--set", action="append", default=[], metavar="NAME=CHOICE")
    ap.add_argument("--baseline", action="store_true", help="every variation at the baseline")
    ap.add_argument("--corpus", type=Path, help="also write the files as a corpus here")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "generated.md")
    args = ap.parse_args()
    fixed = dict(BASELINE) if args.baseline else {}
    for pair in args.set:
        name, _, choice = pair.partition("=")
        if choice not in VARIATIONS.get(name, ()):
            ap.error(f"--set {pair}: choose one of {', '.join(VARIATIONS.get(name, ()))}")
        fixed[name] = choice

    started = time.perf_counter()
    names = scoring.roster()
    seeds = range(args.seed, args.seed + args.n)
    scored = [scoring.score_one(generate(s, fixed), names) for s in seeds]
    took = time.perf_counter() - started
    overall = scoring.total(scored)
    by_choice = scoring.by_variation(scored)
    isolated = {}
    examples: dict[tuple[str, str], list[str]] = {}
    clean = scoring.clean_baseline_seeds(args.isolate)
    for name, choices in VARIATIONS.items():
        for choice in choices:
            files = [
                scoring.score_one(generate(seed, BASELINE | {name: choice}), names)
                for seed in clean
            ]
            isolated[(name, choice)] = scoring.total(files)
            examples[(name, choice)] = [m for f in files for m in f.misses][:4]

    lines = [
        "# Generated minutes: parse quality",
        "",
        f"`bench/generated_quality.py {args.n} --seed {args.seed} --isolate {args.isolate}`"
        + (" --baseline" if args.baseline else "")
        + "".join(f" --set {pair}" for pair in args.set)
        + f": {args.n} generated files, every style choice drawn at random"
        + (" (except those set)" if fixed else "")
        + f" (generated, parsed and scored in {took:.0f} s).  F1 per record kind and"
        f" accuracies; ✗ = below {THRESHOLD}.",
        "",
        *_head("set"),
        _row("all random files", args.n, overall),
        "",
        "## Per variation",
        "",
        f"*isolated*: {args.isolate} files in the baseline style (the dev corpus's"
        " conventions; the first seeds from 10000 whose baseline file reads without a"
        " miss) that differ by this choice only, so a ✗ names the convention"
        " the parser misses.  *random*: the random files that use this choice (mixed"
        " with every other choice).",
        "",
        *_head("variation = choice"),
    ]
    for name, choices in VARIATIONS.items():
        for choice in choices:
            label = f"{name} = {choice}" + (" (baseline)" if BASELINE[name] == choice else "")
            lines.append(_row(f"{label}, isolated", args.isolate, isolated[(name, choice)]))
            if (name, choice) in by_choice:
                n, figures = by_choice[(name, choice)]
                lines.append(_row(f"{label}, random", n, figures))
    failing = [f"{n}={c}" for (n, c), f in isolated.items() if scoring_below(f)]
    lines += [
        "",
        f"Isolated variations below {THRESHOLD}: {len(failing)} of {len(isolated)}: "
        + ", ".join(failing),
        "",
        "## What the parser misses, by isolated variation (first misses)",
        "",
    ]
    for (name, choice), figures in isolated.items():
        if scoring_below(figures):
            lines.append(f"- **{name} = {choice}**")
            lines += [f"  - `{miss[:150]}`" for miss in examples[(name, choice)]]
    lines.append("")
    text = "\n".join(lines)
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text)
    if args.corpus:
        write_corpus(args.corpus, args.n, args.seed, fixed)
        print(f"corpus written to {args.corpus}")


def scoring_below(figures: dict[str, float | None]) -> bool:
    return any(v is not None and v < THRESHOLD for v in figures.values())


if __name__ == "__main__":
    main()
