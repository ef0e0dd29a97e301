"""Score parsers.parse_minutes on a corpus against its truth.json.

    .venv/bin/python bench/parse_quality.py [CORPUS] [--verbose]

CORPUS defaults to ../shared/corpus/dev.  Uses the alignment and scoring of
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
import time
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from parsers import ParsedMinutes, ParsedSpeaker, UploadRejected, parse_minutes  # noqa: E402
from parsers.names import RosterName, resolve_name  # noqa: E402

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


KINDS = ("attendees", "agenda_items", "contributions", "actions", "decisions")
RATIOS = (
    "meeting_date_accuracy",
    "speaker_accuracy",
    "agenda_lead_accuracy",
    "action_owner_accuracy",
    "action_due_accuracy",
)


class Scores:
    """Running tallies (F1 per record kind) and ratios (accuracies) over meetings."""

    def __init__(self, ev: ModuleType) -> None:
        self.tallies = {k: ev.Tally() for k in KINDS}
        self.ratios = {k: ev.Ratio() for k in RATIOS}

    def add(self, other: Scores) -> None:
        """Fold another Scores into this one."""
        for k, t in other.tallies.items():
            self.tallies[k].add(t.tp, t.truth, t.got)
        for k, r in other.ratios.items():
            self.ratios[k].ok += r.ok
            self.ratios[k].n += r.n

    def figures(self) -> dict[str, float | None]:
        """meeting_date_accuracy, <kind>_f1 for each kind, then the accuracies."""
        out: dict[str, float | None] = {"meeting_date_accuracy": self.ratios[RATIOS[0]].value()}
        for kind, tally in self.tallies.items():
            out[f"{kind}_f1"] = tally.figures(kind)[f"{kind}_f1"]
        out.update({k: self.ratios[k].value() for k in RATIOS[1:]})
        return out


def score_meeting(
    ev: ModuleType,
    scores: Scores,
    tm: dict[str, Any],
    parsed: ParsedMinutes,
    roster: list[RosterName],
) -> list[str]:
    """Score one parsed meeting against its truth into scores; return the misses."""
    people = {p.key: {"name": p.name} for p in roster}
    tallies, r = scores.tallies, scores.ratios
    dates, leads, speakers = (
        r["meeting_date_accuracy"],
        r["agenda_lead_accuracy"],
        r["speaker_accuracy"],
    )
    owners, dues = r["action_owner_accuracy"], r["action_due_accuracy"]
    misses: list[str] = []
    dates.add(str(parsed.date) == tm["date"])
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
    tallies["attendees"].add(hits, len(tm["attendees"]), len(got_att))

    got = {
        "agenda_items": [
            {"title": i.title, "lead": export_speaker(i.lead, roster, names)} for i in parsed.items
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
        tallies[kind].add(len(pairs), len(titems), len(gitems))
        for ti, t in enumerate(titems):
            if ti not in pairs:
                misses.append(f"{kind} missing: {t[key]!r}")
        for gi in set(range(len(gitems))) - set(pairs.values()):
            misses.append(f"{kind} extra: {gitems[gi][key]!r}")
        for ti, gi in pairs.items():
            t, g = titems[ti], gitems[gi]
            if kind == "agenda_items" and "lead" in t:
                ok = ev.same_speaker(t["lead"], g["lead"], people)
                leads.add(ok)
                if not ok:
                    misses.append(f"lead {g['lead']} != {t['lead']} ({t['title']})")
            if kind == "contributions":
                ok = ev.same_speaker(t["speaker"], g["speaker"], people)
                speakers.add(ok)
                if not ok:
                    misses.append(f"speaker {g['speaker']} != {t['speaker']}: {t['text'][:60]!r}")
            if kind == "actions":
                want = sorted(
                    o if o.startswith("group:") else ev.norm(o) for o in t.get("owners", [])
                )
                got_o = [ev.speaker_names(o, people) for o in g["owners"]]
                ok = len(want) == len(got_o) and all(any(w in n for n in got_o) for w in want)
                owners.add(ok)
                if not ok:
                    misses.append(f"owners {g['owners']} != {t['owners']}: {t['text'][:50]!r}")
                ok = (g["due"] or None) == (t.get("due") or None)
                dues.add(ok)
                if not ok:
                    misses.append(f"due {g['due']} != {t.get('due')}: {t['text'][:50]!r}")
    return misses


def score(corpus: Path, verbose: bool) -> dict[str, float | None]:
    """Parse every meeting of the corpus and return the figures."""
    ev = load_evaluate()
    truth = json.loads((corpus / "truth.json").read_text())
    roster = load_roster(corpus / "roster.csv")
    scores = Scores(ev)
    took = 0.0
    for tm in truth["meetings"]:
        path = corpus / tm["file"]
        started = time.perf_counter()
        refused = []
        try:
            parsed = parse_minutes(path.read_bytes(), path.name, roster=roster)
        except UploadRejected as exc:  # scored as a file that yields nothing
            parsed = ParsedMinutes(title="", date=None)
            refused.append(f"refused: {exc}")
        took += time.perf_counter() - started
        misses = refused + score_meeting(ev, scores, tm, parsed, roster)
        if verbose and misses:
            print(f"\n## {tm['file']}")
            for line in misses:
                print("   ", line)
    figures = scores.figures()
    figures["parse_s"] = took
    return figures


def main() -> None:
    """Print the figures for one corpus."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=Path, nargs="?", default=SHARED / "corpus" / "dev")
    ap.add_argument("--verbose", "-v", action="store_true")
    args = ap.parse_args()
    figures = score(args.corpus, args.verbose)
    print()
    for name, value in figures.items():
        shown = "n/a" if value is None else f"{value:.3f}"
        print(f"{name:28} {shown}")


if __name__ == "__main__":
    main()
