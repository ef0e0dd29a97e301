"""Compare matching methods on a corpus's truth (perfect parsing).

    .venv/bin/python bench/compare_methods.py ../shared/corpus/dev
    .venv/bin/python bench/compare_methods.py CORPUS --methods tfidf,fuzz --json out.json

Builds Records straight from truth.json (bodies.csv gives body kind and
workstream, roster.csv gives roles), runs ``suggest_links`` and
``classify_outcome``, and scores them as ``shared/tools/evaluate.py`` does:
links at item level (a link is right when it lands on the truth target or on
any record of the agenda item holding it) and at meeting level, precision over
every exported link; lost F1; outcome and credited accuracy.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from collections import defaultdict
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tracker.domain.matching import (
    LinkSuggestion,
    MatchSettings,
    Record,
    is_lxp_input,
    suggest_links,
)
from tracker.domain.outcomes import classify_outcome
from tracker.domain.vocab import BodyKind, RecordKind


def load_corpus(corpus: Path) -> tuple[list[Record], dict]:
    """Build Records from a corpus's truth.json, bodies.csv and roster.csv."""
    truth = json.loads((corpus / "truth.json").read_text())
    with (corpus / "bodies.csv").open() as f:
        bodies = {row["name"]: row for row in csv.DictReader(f)}
    with (corpus / "roster.csv").open() as f:
        roster = {row["name"]: row for row in csv.DictReader(f)}

    def who(name: str | None) -> dict:
        if not name:
            return {}
        if name.startswith("group:"):
            g = name.split(":", 1)[1]
            return {"speaker_group": g, "speaker_is_lxp": g == "lxp"}
        person = roster.get(name)
        role = person["role"] if person else "staff"
        aliases = tuple(a for a in (person["aliases"].split(";") if person else []) if a)
        return {
            "speaker_person_id": name,
            "speaker_is_lxp": role == "lxp",
            "speaker_names": (name, *aliases),
        }

    records: list[Record] = []
    for m in truth["meetings"]:
        body = bodies[m["body"]]
        base = {
            "meeting_id": m["file"],
            "meeting_date": date.fromisoformat(m["date"]),
            "body_kind": body["kind"],
            "workstream": body["workstream"],
        }
        items = {a["key"]: a for a in m.get("agenda_items", [])}

        def lead_of(item_key: str | None, items: dict = items) -> dict:
            item = items.get(item_key or "")
            if not item:
                return {}
            lead = who(item.get("lead"))
            return {
                "item_title": item["title"],
                "item_lead_person_id": lead.get("speaker_person_id"),
                "item_lead_is_lxp": lead.get("speaker_is_lxp", False),
            }

        for a in m.get("agenda_items", []):
            records.append(
                Record(
                    id=a["key"],
                    kind=RecordKind.AGENDA_ITEM,
                    text=a["title"],
                    item_id=a["key"],
                    **base,
                    **lead_of(a["key"]),
                )
            )
        for kind, rk in (
            ("contributions", RecordKind.CONTRIBUTION),
            ("actions", RecordKind.ACTION),
            ("decisions", RecordKind.DECISION),
        ):
            for x in m.get(kind, []):
                speaker = who(x.get("speaker")) if kind == "contributions" else {}
                records.append(
                    Record(
                        id=x["key"],
                        kind=rk,
                        text=x["text"],
                        item_id=x.get("item"),
                        **base,
                        **lead_of(x.get("item")),
                        **speaker,
                    )
                )
    return records, truth


def score(records: list[Record], truth: dict, links: list[LinkSuggestion]) -> dict[str, float]:
    """Score links and outcomes with evaluate.py's definitions (candidates count for nothing)."""
    links = [lk for lk in links if lk.status_hint != "candidate"]
    by_id = {r.id: r for r in records}

    def place(rid: str) -> tuple[str, str | None]:
        r = by_id[rid]
        return r.meeting_id, r.item_id

    truth_links = truth.get("links", [])
    truth_targets: dict[str, list[str]] = defaultdict(list)
    for lk in truth_links:
        truth_targets[lk["from"]].append(lk["to"])
    got_by_source: dict[str, list[str]] = defaultdict(list)
    for lk in links:
        got_by_source[lk.source_id].append(lk.target_id)

    def lands(got: str, want: str) -> tuple[bool, bool]:
        gm, gi = place(got)
        wm, wi = place(want)
        same_m = gm == wm
        return same_m, same_m and (got == want or (wi is not None and gi == wi))

    found_i = found_m = 0
    for lk in truth_links:
        v = [lands(g, lk["to"]) for g in got_by_source.get(lk["from"], [])]
        found_m += any(m for m, _ in v)
        found_i += any(i for _, i in v)
    right_i = right_m = 0
    for lk in links:
        v = [lands(lk.target_id, w) for w in truth_targets.get(lk.source_id, [])]
        right_m += any(m for m, _ in v)
        right_i += any(i for _, i in v)

    def f1(right: int, found: int) -> tuple[float, float, float]:
        p = right / len(links) if links else float(not truth_links)
        r = found / len(truth_links) if truth_links else 1.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    out: dict[str, float] = {}
    for name, (p, r, f) in (
        ("links", f1(right_i, found_i)),
        ("links_meeting", f1(right_m, found_m)),
    ):
        out.update({f"{name}_precision": p, f"{name}_recall": r, f"{name}_f1": f})

    results = outcomes_of(records, links)
    ok = cred = tp = n_truth_lost = n_got_lost = 0
    wanted = truth.get("outcomes", {})
    for key, want in wanted.items():
        got = results[key]
        ok += got.status == want["status"]
        cred += got.credited == bool(want.get("credited"))
        tp += want["status"] == "lost" and got.status == "lost"
        n_truth_lost += want["status"] == "lost"
        n_got_lost += got.status == "lost"
    p = tp / n_got_lost if n_got_lost else 1.0
    r = tp / n_truth_lost if n_truth_lost else 1.0
    out["lost_f1"] = 2 * p * r / (p + r) if p + r else 0.0
    out["outcome_accuracy"] = ok / len(wanted)
    out["credited_accuracy"] = cred / len(wanted)
    out["n_links"] = len(links)
    return out


def outcomes_of(records: list[Record], links: list[LinkSuggestion]) -> dict:
    """Classify every LXP point from its links, as the app's service will."""
    by_id = {r.id: r for r in records}
    gov_dates: dict[str, set[date]] = defaultdict(set)
    for r in records:
        if r.body_kind == BodyKind.GOVERNANCE:
            gov_dates[r.workstream].add(r.meeting_date)
    traces: dict[str, list[Record]] = defaultdict(list)
    for lk in links:
        traces[lk.source_id].append(by_id[lk.target_id])
    return {
        r.id: classify_outcome(r, traces[r.id], sorted(gov_dates[r.workstream]))
        for r in records
        if is_lxp_input(r)
    }


def truth_as_links(records: list[Record], truth: dict) -> list[LinkSuggestion]:
    """The truth's links, as suggestions (to check the outcome rules alone)."""
    by_id = {r.id: r for r in records}
    return [
        LinkSuggestion(lk["from"], lk["to"], by_id[lk["to"]].kind, 1.0, "truth", ())
        for lk in truth.get("links", [])
    ]


KEYS = (
    "links_f1",
    "links_precision",
    "links_recall",
    "links_meeting_f1",
    "lost_f1",
    "outcome_accuracy",
    "credited_accuracy",
)


_ENCODER = None


def cached_encoder(cache: Path = Path("/tmp/tracker-minilm-onnx-cache.npz")):
    """MiniLM with an on-disk cache by text (each sentence encoded once)."""
    global _ENCODER
    if _ENCODER is not None:
        return _ENCODER
    from tracker.domain.matching import load_semantic_encoder

    store: dict[str, np.ndarray] = {}
    if cache.exists():
        with np.load(cache, allow_pickle=False) as z:
            store = dict(zip(z["texts"].tolist(), z["vecs"], strict=True))
    model = None

    def encode(texts):
        nonlocal model
        missing = [t for t in dict.fromkeys(texts) if t not in store]
        if missing:
            model = model or load_semantic_encoder()
            for t, v in zip(missing, model(missing), strict=True):
                store[t] = v
            keys = list(store)
            np.savez(cache, texts=np.array(keys), vecs=np.stack([store[k] for k in keys]))
        return np.stack([store[t] for t in texts])

    _ENCODER = encode
    return encode


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=Path, nargs="+")
    ap.add_argument("--methods", default="fuzz,bm25,tfidf")
    ap.add_argument("--set", action="append", default=[], help="field=value")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--report", type=Path, help="write a Markdown table here")
    args = ap.parse_args()
    overrides = {}
    for kv in args.set:
        k, v = kv.split("=", 1)
        default = getattr(MatchSettings(), k)
        if k == "threshold":
            overrides[k] = float(v)
        elif isinstance(default, bool):
            overrides[k] = v.lower() in ("1", "true", "yes")
        else:
            overrides[k] = type(default)(v)
    rows = []
    for corpus in args.corpus:
        records, truth = load_corpus(corpus)
        oracle = score(records, truth, truth_as_links(records, truth))
        print(f"{corpus.name} oracle: " + " ".join(f"{k}={oracle[k]:.3f}" for k in KEYS))
        for method in args.methods.split(","):
            settings = replace(MatchSettings(method=method), **overrides)
            t0 = time.perf_counter()
            enc = cached_encoder() if method in ("semantic", "hybrid") else None
            links = suggest_links(records, settings, encoder=enc)
            took = time.perf_counter() - t0
            s = score(records, truth, links)
            s.update(corpus=corpus.name, method=method, seconds=took)
            rows.append(s)
            print(
                f"{corpus.name:5} {method:9} "
                + " ".join(f"{k}={s[k]:.3f}" for k in KEYS)
                + f" n={s['n_links']} {took:.2f}s"
            )
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))
    if args.report:
        head = ["corpus", "method", *KEYS, "links", "seconds"]
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        for r in rows:
            cells = [r["corpus"], r["method"], *(f"{r[k]:.3f}" for k in KEYS)]
            cells += [str(r["n_links"]), f"{r['seconds']:.1f}"]
            lines.append("| " + " | ".join(cells) + " |")
        settings = ", ".join(f"{k}={v}" for k, v in overrides.items()) or "defaults"
        args.report.write_text(f"Settings: {settings}\n\n" + "\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
