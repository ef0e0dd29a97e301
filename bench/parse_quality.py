"""Score parsers.parse_minutes on a corpus against its truth.json.

    .venv/bin/python bench/parse_quality.py [CORPUS] [--verbose]
    .venv/bin/python bench/parse_quality.py tests/data/real_minutes [--markdown FILE]

CORPUS defaults to ../shared/corpus/dev.  A folder of labelled series
(tests/data/real_minutes, see bench/real_corpus.py) is scored series by
series, with an overall row pooling every meeting, and printed (and with
--markdown written) as a markdown table.  Uses the alignment and scoring of
../shared/tools/evaluate.py (imported from its path), resolving speakers,
leads and owners with parsers.names against the corpus roster, the way the
app does.  Prints the meeting-date accuracy, F1 for attendees, agenda items,
contributions, actions and decisions, and speaker / lead / owner / due-date
accuracy; --verbose adds the misses of each meeting.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import json
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from parsers import ParsedMinutes, ParsedSpeaker, UploadRejected, parse_minutes  # noqa: E402
from parsers.names import RosterName, resolve_name  # noqa: E402

sys.path.insert(0, str(ROOT / "bench"))
from real_corpus import REAL, assemble, series_dirs  # noqa: E402

SHARED = ROOT.parent / "shared"


def load_evaluate(path: Path = SHARED / "tools" / "evaluate.py") -> ModuleType:
    """Import the shared evaluator from its file path."""
    spec = importlib.util.spec_from_file_location("shared_evaluate", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_roster(path: Path) -> list[RosterName]:
    """Read roster.csv (name,aliases,role,email) into RosterName values."""
    with path.open(newline="", encoding="utf-8") as fh:
        return [
            RosterName(
                key=row["email"] or row["name"],
                name=row["name"],
                aliases=tuple(
                    a.strip() for a in (row.get("aliases") or "").split(";") if a.strip()
                ),
                role=row.get("role") or "staff",
            )
            for row in csv.DictReader(fh)
        ]


def export_speaker(
    who: ParsedSpeaker | None, roster: list[RosterName], attendees: list[str]
) -> dict[str, Any] | None:
    """Shape a parsed speaker like the export: group, person_id or as_written."""
    if who is None:
        return None
    if who.group:
        return {"group": who.group, "as_written": who.as_written}
    person = resolve_name(who.as_written, roster, attendees)
    return {"person_id": person.key if person else None, "as_written": who.as_written}


class Scorer:
    """Counters of one or more corpora, scored the way evaluate.py does."""

    KINDS = ("attendees", "agenda_items", "contributions", "actions", "decisions")

    def __init__(self) -> None:
        self.ev = load_evaluate()
        self.dates, self.leads, self.speakers, self.owners, self.dues = (
            self.ev.Ratio() for _ in range(5)
        )
        self.tallies = {k: self.ev.Tally() for k in self.KINDS}
        self.files = 0
        self.took = 0.0

    def add_corpus(self, corpus: Path, verbose: bool = False) -> None:
        """Parse every meeting of one corpus and add it to the counters."""
        truth = json.loads((corpus / "truth.json").read_text())
        roster = load_roster(corpus / "roster.csv")
        people = {p.key: {"name": p.name} for p in roster}
        for tm in truth["meetings"]:
            path = corpus / tm["file"]
            started = time.perf_counter()
            refused = []
            try:
                parsed = parse_minutes(path.read_bytes(), path.name, roster=roster)
            except UploadRejected as exc:  # scored as a file that yields nothing
                parsed = ParsedMinutes(title="", date=None)
                refused.append(f"refused: {exc}")
            self.took += time.perf_counter() - started
            self.files += 1
            misses = refused + self.add_meeting(tm, parsed, roster, people)
            if verbose and misses:
                print(f"\n## {corpus.name}/{tm['file']}")
                for line in misses:
                    print("   ", line)

    def add_meeting(
        self,
        tm: dict[str, Any],
        parsed: ParsedMinutes,
        roster: list[RosterName],
        people: dict[str, dict[str, str]],
    ) -> list[str]:
        """Score one parsed meeting against its truth; return what it missed."""
        ev = self.ev
        misses: list[str] = []
        self.dates.add(str(parsed.date) == tm["date"])
        if str(parsed.date) != tm["date"]:
            misses.append(f"date {parsed.date} != {tm['date']}")
        names = [a.as_written for a in parsed.attendees]

        got_att = []
        for a in parsed.attendees:
            person = resolve_name(a.as_written, roster, names)
            got_att.append((a.as_written, person.name if person else ""))
        hits = 0
        for a in tm["attendees"]:
            want = ev.norm(a["name"])
            if any(want in (ev.norm(w), ev.norm(n)) for w, n in got_att):
                hits += 1
            else:
                misses.append(f"attendee missing: {a['name']}")
        self.tallies["attendees"].add(hits, len(tm["attendees"]), len(got_att))

        got = {
            "agenda_items": [
                {"title": i.title, "lead": export_speaker(i.lead, roster, names)}
                for i in parsed.items
            ],
            "contributions": [
                {"text": c.text, "speaker": export_speaker(c.speaker, roster, names)}
                for c in parsed.contributions
            ],
            "actions": [
                {
                    "text": a.text,
                    "due": str(a.due) if a.due else None,
                    "owners": [export_speaker(o, roster, names) for o in a.owners],
                }
                for a in parsed.actions
            ],
            "decisions": [{"text": d.text} for d in parsed.decisions],
        }
        for kind, key in (
            ("agenda_items", "title"),
            ("contributions", "text"),
            ("actions", "text"),
            ("decisions", "text"),
        ):
            titems, gitems = tm.get(kind, []), got[kind]
            pairs = ev.align(titems, gitems, lambda x, k=key: x[k], lambda x, k=key: x[k])
            self.tallies[kind].add(len(pairs), len(titems), len(gitems))
            for ti, t in enumerate(titems):
                if ti not in pairs:
                    misses.append(f"{kind} missing: {t[key]!r}")
            for gi in set(range(len(gitems))) - set(pairs.values()):
                misses.append(f"{kind} extra: {gitems[gi][key]!r}")
            for ti, gi in pairs.items():
                misses.extend(self._compare(kind, titems[ti], gitems[gi], people))
        return misses

    def _compare(
        self, kind: str, t: dict[str, Any], g: dict[str, Any], people: dict[str, dict[str, str]]
    ) -> list[str]:
        """Score the who and when of one aligned pair."""
        ev, misses = self.ev, []
        if kind == "agenda_items" and "lead" in t:
            ok = ev.same_speaker(t["lead"], g["lead"], people)
            self.leads.add(ok)
            if not ok:
                misses.append(f"lead {g['lead']} != {t['lead']} ({t['title']})")
        if kind == "contributions":
            ok = ev.same_speaker(t["speaker"], g["speaker"], people)
            self.speakers.add(ok)
            if not ok:
                misses.append(f"speaker {g['speaker']} != {t['speaker']}: {t['text'][:60]!r}")
        if kind == "actions":
            want = sorted(o if o.startswith("group:") else ev.norm(o) for o in t.get("owners", []))
            got_o = [ev.speaker_names(o, people) for o in g["owners"]]
            ok = len(want) == len(got_o) and all(any(w in n for n in got_o) for w in want)
            self.owners.add(ok)
            if not ok:
                misses.append(f"owners {g['owners']} != {t['owners']}: {t['text'][:50]!r}")
            ok = (g["due"] or None) == (t.get("due") or None)
            self.dues.add(ok)
            if not ok:
                misses.append(f"due {g['due']} != {t.get('due')}: {t['text'][:50]!r}")
        return misses

    def figures(self) -> dict[str, float | None]:
        """The figures so far: accuracies and F1s from 0 to 1, None when unmeasured."""
        figures: dict[str, float | None] = {"meeting_date_accuracy": self.dates.value()}
        for kind, tally in self.tallies.items():
            figures[f"{kind}_f1"] = tally.figures(kind)[f"{kind}_f1"]
        figures.update(
            {
                "speaker_accuracy": self.speakers.value(),
                "agenda_lead_accuracy": self.leads.value(),
                "action_owner_accuracy": self.owners.value(),
                "action_due_accuracy": self.dues.value(),
                "parse_s": self.took,
            }
        )
        return figures


KINDS = Scorer.KINDS
RATIOS = (
    "meeting_date_accuracy",
    "speaker_accuracy",
    "agenda_lead_accuracy",
    "action_owner_accuracy",
    "action_due_accuracy",
)


class Scores:
    """Counters for a few meetings that can be folded together (one Scorer inside)."""

    def __init__(self, ev: ModuleType | None = None) -> None:
        self.scorer = Scorer()
        if ev is not None:
            self.scorer.ev = ev

    def add(self, other: Scores) -> None:
        """Fold another Scores into this one."""
        mine, theirs = self.scorer, other.scorer
        for kind, tally in theirs.tallies.items():
            mine.tallies[kind].add(tally.tp, tally.truth, tally.got)
        for name in ("dates", "leads", "speakers", "owners", "dues"):
            a, b = getattr(mine, name), getattr(theirs, name)
            a.ok += b.ok
            a.n += b.n
        mine.files += theirs.files
        mine.took += theirs.took

    def figures(self) -> dict[str, float | None]:
        figures = self.scorer.figures()
        figures.pop("parse_s", None)
        return figures


def score_meeting(
    ev: ModuleType,
    scores: Scores,
    tm: dict[str, Any],
    parsed: ParsedMinutes,
    roster: list[RosterName],
) -> list[str]:
    """Score one parsed meeting against its truth into scores; return the misses."""
    del ev  # the scorer holds the evaluator
    people = {p.key: {"name": p.name} for p in roster}
    scores.scorer.files += 1
    return scores.scorer.add_meeting(tm, parsed, roster, people)


def score(corpus: Path, verbose: bool = False) -> dict[str, float | None]:
    """Parse every meeting of one corpus and return the figures."""
    scorer = Scorer()
    scorer.add_corpus(corpus, verbose)
    return scorer.figures()


def score_set(
    labelled: Path, verbose: bool = False, real: Path = REAL
) -> dict[str, tuple[int, dict[str, float | None]]]:
    """Score every series of a labelled set (or one series folder);
    {series or "overall": (files, figures)}.

    Each series is laid out in a temporary folder by bench/real_corpus.py (the
    Word files stay in ../shared); the overall row pools every meeting.
    """
    rows: dict[str, tuple[int, dict[str, float | None]]] = {}
    overall = Scorer()
    chosen = [labelled] if (labelled / "labels.txt").is_file() else series_dirs(labelled)
    with tempfile.TemporaryDirectory(prefix="real-minutes-") as tmp:
        for series in chosen:
            corpus = assemble(series, Path(tmp) / series.name, real)
            scorer = Scorer()
            scorer.add_corpus(corpus, verbose)
            overall.add_corpus(corpus)
            rows[series.name] = (scorer.files, scorer.figures())
    rows["overall"] = (overall.files, overall.figures())
    return rows


COLUMNS = (
    ("date", "meeting_date_accuracy"),
    ("attendees F1", "attendees_f1"),
    ("agenda F1", "agenda_items_f1"),
    ("contributions F1", "contributions_f1"),
    ("actions F1", "actions_f1"),
    ("decisions F1", "decisions_f1"),
    ("speaker", "speaker_accuracy"),
    ("lead", "agenda_lead_accuracy"),
    ("owner", "action_owner_accuracy"),
    ("due", "action_due_accuracy"),
)


def markdown_table(rows: dict[str, tuple[int, dict[str, float | None]]]) -> str:
    """The per-series figures as a markdown table (n/a where nothing was measured)."""
    head = ["series", "files", *(name for name, _ in COLUMNS)]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for series, (files, figures) in rows.items():
        cells = [f"**{series}**" if series == "overall" else series, str(files)]
        for _, key in COLUMNS:
            value = figures.get(key)
            cells.append("n/a" if value is None else f"{value:.2f}")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main() -> None:
    """Print the figures for one corpus, or per series for a labelled set."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=Path, nargs="?", default=SHARED / "corpus" / "dev")
    ap.add_argument("--verbose", "-v", action="store_true")
    ap.add_argument("--markdown", type=Path, help="also write the per-series table here")
    args = ap.parse_args()
    labelled = (args.corpus / "labels.txt").is_file() or (
        args.corpus.is_dir() and bool(series_dirs(args.corpus))
    )
    if (args.corpus / "truth.json").is_file() and not labelled:
        figures = score(args.corpus, args.verbose)
        print()
        for name, value in figures.items():
            shown = "n/a" if value is None else f"{value:.3f}"
            print(f"{name:28} {shown}")
        return
    if not labelled:
        sys.exit(f"{args.corpus} has no truth.json and no labelled series")
    try:
        table = markdown_table(score_set(args.corpus, args.verbose))
    except FileNotFoundError as exc:
        sys.exit(str(exc))
    print()
    print(table, end="")
    if args.markdown:
        args.markdown.parent.mkdir(parents=True, exist_ok=True)
        args.markdown.write_text(
            f"# Parser figures on the labelled real minutes ({args.corpus.name})\n\n"
            "Written by `bench/parse_quality.py tests/data/real_minutes --markdown ...`; "
            "date, speaker, lead, owner and due are accuracies, the rest F1, "
            "n/a where the truth holds nothing to measure.\n\n" + table
        )


if __name__ == "__main__":
    main()
