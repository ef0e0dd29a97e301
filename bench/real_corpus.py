"""The labelled real-minutes dev set: build its truth and lay it out for scoring.

    .venv/bin/python bench/real_corpus.py build [SET]        labels.txt -> truth.json
    .venv/bin/python bench/real_corpus.py assemble SERIES DEST
    .venv/bin/python bench/real_corpus.py evaluate [SET] [--tracker .venv/bin/tracker]

SET defaults to tests/data/real_minutes; it holds one folder per series with
roster.csv, bodies.csv, labels.txt (hand-written, below) and truth.json (built
from labels.txt; the tests check the two agree).  The Word files stay in
../shared/corpus/real-minutes/<series>/ (or $TRACKER_SHARED_DIR): their
licence allows internal test use only, so they are never copied into the
repository.  ``assemble`` symlinks them into DEST/minutes/ beside the roster,
bodies and a truth.json whose "file" fields point there, which is the layout
../shared/tools/evaluate.py and bench/parse_quality.py read; ``evaluate``
runs evaluate.py (the whole command line: import, match, export) on every
series so laid out, naming the series' one body on import as a chair would,
and prints its main figures per series.

labels.txt, one record a line (blank lines and lines starting # are ignored)::

    corpus cmy96-fyp                       the truth's "corpus"
    body FYP team weekly meeting           every meeting's body
    meeting m1 Meeting_Minutes_1.docx 2019-06-30   starts a meeting; m1 prefixes its keys
    present: Justin; Tanny                 attendees (also apologies:, in-attendance:)
    item 1 | Title | Lead                  agenda item (number may be "-"; lead optional)
    noitem                                 what follows belongs to no agenda item
    c | text | Speaker                     contribution (speaker optional)
    x | text | Owner; group:all | 2019-07-01   action (owners and due optional)
    d | text                               decision

Names may be written as any roster alias; they are stored as the roster's
full name.  Contributions, actions and decisions belong to the last item
above them (null before the first item).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("TRACKER_SHARED_DIR") or ROOT.parent / "shared")
REAL = SHARED / "corpus" / "real-minutes"
LABELLED = ROOT / "tests" / "data" / "real_minutes"
STATUSES = {"present": "present", "apologies": "apologies", "in-attendance": "in-attendance"}
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class LabelError(ValueError):
    """A line of labels.txt that cannot be read."""


def series_dirs(labelled: Path = LABELLED) -> list[Path]:
    """Every series folder of the labelled set, in name order."""
    return sorted(p for p in labelled.iterdir() if (p / "labels.txt").is_file())


def roster_names(path: Path) -> dict[str, str]:
    """Map every full name and alias (lower-cased) of roster.csv to the full name."""
    names: dict[str, str] = {}
    with path.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            full = row["name"].strip()
            for alias in [full, *(row.get("aliases") or "").split(";")]:
                if alias.strip():
                    names[alias.strip().lower()] = full
    return names


def build_truth(series: Path) -> dict[str, Any]:
    """Read series/labels.txt into the truth.json structure."""
    names = roster_names(series / "roster.csv")

    def person(raw: str, where: str) -> str | None:
        raw = raw.strip()
        if not raw or raw == "-":
            return None
        if raw.startswith("group:"):
            return raw
        if raw.lower() not in names:
            raise LabelError(f"{where}: {raw!r} is not on the roster")
        return names[raw.lower()]

    truth: dict[str, Any] = {"corpus": series.name, "meetings": [], "links": [], "outcomes": {}}
    body = ""
    meeting: dict[str, Any] | None = None
    item: str | None = None
    counts: dict[str, Any] = {}
    text = (series / "labels.txt").read_text(encoding="utf-8")
    for number, line in enumerate(text.splitlines(), 1):
        where = f"{series.name}/labels.txt:{number}"
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        head, _, rest = line.partition(" ")
        if head == "corpus":
            truth["corpus"] = rest.strip()
            continue
        if head == "body":
            body = rest.strip()
            continue
        if head == "meeting":
            prefix, file, date = rest.split()
            if not DATE.match(date):
                raise LabelError(f"{where}: bad date {date!r}")
            meeting = {
                "file": file,
                "body": body,
                "date": date,
                "attendees": [],
                "agenda_items": [],
                "contributions": [],
                "actions": [],
                "decisions": [],
            }
            truth["meetings"].append(meeting)
            item, counts = None, {"prefix": prefix}
            continue
        if meeting is None:
            raise LabelError(f"{where}: record before the first 'meeting' line")
        label, colon, names_text = line.partition(":")
        if colon and label in STATUSES and "|" not in line:
            for raw in names_text.split(";"):
                name = person(raw, where)
                if name:
                    meeting["attendees"].append({"name": name, "status": STATUSES[label]})
            continue
        fields = [f.strip() for f in line.split("|")]
        kind = fields[0].split()[0]

        def key(letter: str, counts: dict[str, Any] = counts) -> str:
            counts[letter] = counts.get(letter, 0) + 1
            return f"{counts['prefix']}-{letter}{counts[letter]}"

        if kind == "noitem":
            item = None
            continue
        if kind == "item":
            number_ = fields[0].split(maxsplit=1)[1] if " " in fields[0] else "-"
            entry = {
                "key": key("a"),
                "number": None if number_ == "-" else number_,
                "title": fields[1],
                "lead": person(fields[2], where) if len(fields) > 2 else None,
            }
            meeting["agenda_items"].append(entry)
            item = entry["key"]
        elif kind == "c" and len(fields) in (2, 3):
            meeting["contributions"].append(
                {
                    "key": key("c"),
                    "item": item,
                    "text": fields[1],
                    "speaker": person(fields[2], where) if len(fields) > 2 else None,
                }
            )
        elif kind == "x" and len(fields) in (2, 3, 4):
            owners = fields[2].split(";") if len(fields) > 2 else []
            due = fields[3] if len(fields) > 3 and fields[3] else None
            if due and not DATE.match(due):
                raise LabelError(f"{where}: bad due date {due!r}")
            meeting["actions"].append(
                {
                    "key": key("x"),
                    "item": item,
                    "text": fields[1],
                    "owners": [p for p in (person(o, where) for o in owners) if p],
                    "due": due,
                }
            )
        elif kind == "d" and len(fields) == 2:
            meeting["decisions"].append({"key": key("d"), "item": item, "text": fields[1]})
        else:
            raise LabelError(f"{where}: cannot read {line[:60]!r}")
        if not fields[1]:
            raise LabelError(f"{where}: empty text")
    return truth


def truth_text(truth: dict[str, Any]) -> str:
    """Serialise a truth the way truth.json is stored."""
    return json.dumps(truth, indent=1, ensure_ascii=False) + "\n"


def assemble(series: Path, dest: Path, real: Path = REAL) -> Path:
    """Lay SERIES out in DEST the way the evaluator reads a corpus; return DEST."""
    source = real / series.name
    if not source.is_dir():
        raise FileNotFoundError(f"{source} not present")
    truth = json.loads((series / "truth.json").read_text(encoding="utf-8"))
    (dest / "minutes").mkdir(parents=True, exist_ok=True)
    for name in ("roster.csv", "bodies.csv"):
        shutil.copyfile(series / name, dest / name)
    for meeting in truth["meetings"]:
        if not (source / meeting["file"]).is_file():
            raise FileNotFoundError(f"{source / meeting['file']} not present")
        link = dest / "minutes" / meeting["file"]
        if not link.exists():
            link.symlink_to((source / meeting["file"]).resolve())
        meeting["file"] = f"minutes/{meeting['file']}"
    (dest / "truth.json").write_text(truth_text(truth), encoding="utf-8")
    return dest


EVALUATED = (
    ("meetings F1", "meetings_f1"),
    ("date", "meeting_date_accuracy"),
    ("attendees F1", "attendees_f1"),
    ("agenda F1", "agenda_items_f1"),
    ("contributions F1", "contributions_f1"),
    ("actions F1", "actions_f1"),
    ("decisions F1", "decisions_f1"),
    ("speaker", "speaker_accuracy"),
    ("owner", "action_owner_accuracy"),
    ("due", "action_due_accuracy"),
)


def evaluate_set(labelled: Path, tracker: str, real: Path = REAL) -> str:
    """Run ../shared/tools/evaluate.py on every series; return a markdown table."""
    head = ["series", "files", *(name for name, _ in EVALUATED)]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    with tempfile.TemporaryDirectory(prefix="real-minutes-eval-") as tmp:
        for series in series_dirs(labelled):
            corpus = assemble(series, Path(tmp) / series.name, real)
            out = Path(tmp) / f"{series.name}.json"
            # Like a chair uploading a series, name its one body on import.
            body = json.loads((series / "truth.json").read_text())["meetings"][0]["body"]
            shim = [sys.executable, str(Path(__file__).resolve()), "run-tracker", body, tracker]
            cmd = [sys.executable, str(SHARED / "tools" / "evaluate.py"), str(corpus)]
            cmd += ["--tracker", shlex.join(shim), "--json", str(out)]
            cmd += ["--keep", str(Path(tmp) / "work")]
            proc = subprocess.run(cmd, capture_output=True, text=True)
            if proc.returncode != 0:
                raise RuntimeError(f"{shlex.join(cmd)} failed: {proc.stderr.strip()[-500:]}")
            scores = json.loads(out.read_text())
            cells = [series.name, str(scores.get("documents", ""))]
            for _, key in EVALUATED:
                value = scores.get(key)
                cells.append("n/a" if value is None else f"{value:.2f}")
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main() -> None:
    """Build truth.json files or assemble one series."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="write truth.json from labels.txt in every series")
    build.add_argument("set", type=Path, nargs="?", default=LABELLED)
    asm = sub.add_parser("assemble", help="lay one series out as an evaluator corpus")
    asm.add_argument("series", type=Path)
    asm.add_argument("dest", type=Path)
    ev = sub.add_parser("evaluate", help="score the whole command line on every series")
    ev.add_argument("set", type=Path, nargs="?", default=LABELLED)
    ev.add_argument("--tracker", default=str(ROOT / ".venv" / "bin" / "tracker"))
    if sys.argv[1:2] == ["run-tracker"]:  # evaluate's shim: tracker ARGS, --body on import
        body, tracker, *rest = sys.argv[2:]
        if rest[:1] == ["import"]:
            rest = ["import", "--body", body, *rest[1:]]
        os.execv(tracker, [tracker, *rest])
    args = ap.parse_args()
    try:
        if args.command == "evaluate":
            print(evaluate_set(args.set, args.tracker), end="")
        elif args.command == "build":
            for series in series_dirs(args.set):
                truth = build_truth(series)
                (series / "truth.json").write_text(truth_text(truth), encoding="utf-8")
                print(f"{series.name}: {len(truth['meetings'])} meetings")
        else:
            print(assemble(args.series, args.dest))
    except (LabelError, FileNotFoundError, RuntimeError) as exc:
        sys.exit(str(exc))


if __name__ == "__main__":
    main()
