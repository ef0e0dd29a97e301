"""Parse figures of the nhs_styles corpus, one row per house style.

    .venv/bin/python tests/data/nhs_styles/by_style.py [--verbose]

Scores the parse alone, exactly as bench/parse_quality.py does (its Scorer),
but pools the meetings of each house style (taken from make_corpus.py) so a
weakness shows where it lives. Prints a markdown table.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from parse_quality import Scorer, load_roster, markdown_table  # noqa: E402

from parsers import parse_minutes  # noqa: E402

STYLE_NAMES = {
    "board": "1 trust board",
    "ics": "2 ICS partnership",
    "tf": "3 task and finish table",
    "forum": "4 lived-experience forum",
    "labels": "5 steering group labels",
}


def load_model():
    spec = importlib.util.spec_from_file_location("nhs_styles_model", HERE / "make_corpus.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--verbose", "-v", action="store_true")
    args = ap.parse_args()
    model = load_model()
    style_of = {f"minutes/{m['file']}": m["style"] for m in model.MEETINGS}
    truth = json.loads((HERE / "truth.json").read_text(encoding="utf-8"))
    roster = load_roster(HERE / "roster.csv")
    people = {p.key: {"name": p.name} for p in roster}
    scorers = {style: Scorer() for style in STYLE_NAMES}
    overall = Scorer()
    for tm in truth["meetings"]:
        path = HERE / tm["file"]
        parsed = parse_minutes(path.read_bytes(), path.name, roster=roster)
        scorer = scorers[style_of[tm["file"]]]
        for s in (scorer, overall):
            s.files += 1
            misses = s.add_meeting(tm, parsed, roster, people)
        if args.verbose and misses:
            print(f"\n## {tm['file']} ({style_of[tm['file']]})")  # noqa: T201
            for line in misses:
                print("   ", line)  # noqa: T201
    rows = {STYLE_NAMES[k]: (s.files, s.figures()) for k, s in scorers.items()}
    rows["overall"] = (overall.files, overall.figures())
    print(markdown_table(rows).replace("| series |", "| style |"), end="")  # noqa: T201


if __name__ == "__main__":
    main()
