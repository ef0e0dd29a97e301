"""How much review does it take to get the links right? And is confidence honest?

    .venv/bin/python bench/review_effort.py ../shared/corpus/dev ../shared/corpus/ami
    .venv/bin/python bench/review_effort.py --fit ../shared/corpus/dev ../shared/corpus/ami

A simulated chair who knows the truth imports a programme meeting by meeting.
After each governance or working meeting the tracker re-matches (with every
decision so far) and the chair checks each LXP point that has suggestions or
candidates on that meeting: one **check** = one point against one meeting's
suggestions and candidates; right ones are confirmed, wrong ones rejected.
Pass 2 re-matches once more at the end and checks what is new. Reported:
links F1, outcome accuracy and lost F1 before review (the tracker's own
suggestions) and after; checks per LXP point; and the learning curve (F1 of
suggestions on the later half of the meetings, without and with the chair's
decisions on the earlier half).

``--fit`` refits tracker/confidence.json (logistic regression, numpy) on the
corpora's candidates, and prints the reliability table of held-out
predictions: fitted on each corpus (or workstream) and scored on the others.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from compare_methods import load_corpus, score

from tracker.domain.confidence import (
    DEFAULT_MODEL,
    FEATURE_NAMES,
    ConfidenceModel,
    default_model,
    fit_logistic,
    reliability,
)
from tracker.domain.learning import learn_glossary
from tracker.domain.matching import (
    Decisions,
    LinkSuggestion,
    MatchSettings,
    Record,
    is_lxp_input,
    suggest_links,
)
from tracker.domain.vocab import RecordKind

RESPONSES = (RecordKind.ACTION, RecordKind.DECISION)


class Truth:
    """Which links are right, as a chair who knows the truth judges them."""

    def __init__(self, records: list[Record], truth: dict) -> None:
        self.by_id = {r.id: r for r in records}
        self.targets: dict[str, list[str]] = defaultdict(list)
        for lk in truth.get("links", []):
            self.targets[lk["from"]].append(lk["to"])

    def lands(self, source: str, target: str) -> bool:
        """Item level, as evaluate.py scores: the target or its agenda item."""
        got = self.by_id[target]
        for want_id in self.targets.get(source, ()):
            want = self.by_id[want_id]
            if got.meeting_id == want.meeting_id and (
                got.id == want.id or (want.item_id is not None and got.item_id == want.item_id)
            ):
                return True
        return False

    def right(self, source: str, target: str) -> bool:
        """A chair confirms a link when it lands; an action or decision only
        when the point was acted on in that item (else the outcome is wrong)."""
        if not self.lands(source, target):
            return False
        got = self.by_id[target]
        if got.kind not in RESPONSES:
            return True
        for want_id in self.targets[source]:
            want = self.by_id[want_id]
            if want.id == got.id or (
                want.kind in RESPONSES
                and want.meeting_id == got.meeting_id
                and want.item_id == got.item_id
            ):
                return True
        return False


# ---------------------------------------------------------------- fitting

OPEN = ConfidenceModel(weights={}, bias=0.0, suggest=2.0, show=-1.0, keep=-1.0)


def candidate_rows(
    records: list[Record], truth: Truth, settings: MatchSettings
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Every candidate (no thresholds) as a feature row, its label, its workstream."""
    links = suggest_links(records, settings, model=OPEN)
    x = np.array([[lk.features[n] for n in FEATURE_NAMES] for lk in links]).reshape(
        len(links), len(FEATURE_NAMES)
    )
    y = np.array([truth.lands(lk.source_id, lk.target_id) for lk in links], dtype=float)
    ws = [truth.by_id[lk.source_id].workstream for lk in links]
    return x, y, ws


#: Weight of each corpus as a whole when fitting (others: 1). AMI is real
#: speech against human summaries, far from minutes: it tempers the model
#: without ruling it.
CORPUS_WEIGHT = {"ami": 0.3}


def fit(x: np.ndarray, y: np.ndarray, groups: list[str], l2: float) -> tuple[np.ndarray, float]:
    """Each corpus weighs CORPUS_WEIGHT (default 1) as a whole, whatever its size."""
    g = np.array(groups)
    w = np.ones(len(y))
    for name in set(groups):
        sel = g == name
        w[sel] = CORPUS_WEIGHT.get(name, 1.0) * 1000.0 / sel.sum()
    return fit_logistic(x, y, w, l2=l2)


def fit_command(
    corpora: list[Path], settings: MatchSettings, l2: float, out: Path, thresholds: dict
) -> str:
    data = {}
    sources = {}
    for c in corpora:
        records, truth = load_corpus(c)
        data[c.name] = candidate_rows(records, Truth(records, truth), settings)
        sources[c.name] = (records, truth, suggest_links(records, settings, model=OPEN))
    lines = ["## Calibration (held out)", ""]
    # Held out by corpus (fit on the others) and by workstream within all.
    held_p, held_y, held_from = [], [], []
    names = list(data)
    if len(names) > 1:
        for name in names:
            xs = np.vstack([data[n][0] for n in names if n != name])
            ys = np.concatenate([data[n][1] for n in names if n != name])
            gs = [n for n in names if n != name for _ in data[n][1]]
            w, b = fit(xs, ys, gs, l2)
            m = ConfidenceModel(dict(zip(FEATURE_NAMES, w, strict=True)), b)
            held_p.append(m.predict(data[name][0]))
            held_y.append(data[name][1])
            held_from.append(f"{name} (fitted on {', '.join(n for n in names if n != name)})")
    lines += _table("fitted on the other corpus", held_p, held_y, held_from)
    # Leave one workstream out, all corpora pooled.
    xs = np.vstack([data[n][0] for n in names])
    ys = np.concatenate([data[n][1] for n in names])
    gs = [n for n in names for _ in data[n][1]]
    ws = [f"{n}:{w}" for n in names for w in data[n][2]]
    p = np.zeros(len(ys))
    wsa = np.array(ws)
    for w_name in sorted(set(ws)):
        test = wsa == w_name
        w, b = fit(xs[~test], ys[~test], [g for g, t in zip(gs, test, strict=True) if not t], l2)
        p[test] = ConfidenceModel(dict(zip(FEATURE_NAMES, w, strict=True)), b).predict(xs[test])
    lines += [""]
    lines += _table(
        "leave one workstream out", [p], [ys], [f"{len(set(ws))} workstreams of {names}"]
    )
    for name in names:
        sel = np.array(gs) == name
        lines += _table(f"leave one workstream out, {name} only", [p[sel]], [ys[sel]], [name])
    # The tracker's own links before review, each workstream's from a model
    # that never saw it, against the careful-reader rules alone.
    suggest = thresholds.get("suggest", default_model().suggest)
    lines += [
        f"**Suggestions before review, held out by workstream** (suggest at {suggest})",
        "",
        "| corpus | links F1 (P/R) | outcome acc. | lost F1 | reader rules alone: links F1 "
        "| outcome acc. | lost F1 |",
        "|---|---|---|---|---|---|---|",
    ]
    for name in names:
        records, truth, links = sources[name]
        held = p[np.array(gs) == name]
        mine = [
            replace(lk, status_hint="suggested" if q >= suggest else "candidate")
            for lk, q in zip(links, held, strict=True)
        ]
        a = score(records, truth, mine)
        b = score(records, truth, suggest_links(records, replace(settings, review=False)))
        lines.append(
            f"| {name} | {a['links_f1']:.3f} ({a['links_precision']:.2f}/{a['links_recall']:.2f})"
            f" | {a['outcome_accuracy']:.3f} | {a['lost_f1']:.3f} | {b['links_f1']:.3f} "
            f"| {b['outcome_accuracy']:.3f} | {b['lost_f1']:.3f} |"
        )
    w, b = fit(xs, ys, gs, l2)
    old = default_model()
    model = ConfidenceModel(
        dict(zip(FEATURE_NAMES, w, strict=True)),
        b,
        suggest=thresholds.get("suggest", old.suggest),
        show=thresholds.get("show", old.show),
        keep=thresholds.get("keep", old.keep),
        fitted_on=", ".join(f"{n} ({len(data[n][1])} candidates)" for n in names)
        + f"; corpus weights {CORPUS_WEIGHT} (others 1); L2 {l2}",
    )
    out.write_text(model.to_json() + "\n")
    lines += ["", f"Weights written to {out}:", ""]
    lines += [f"- {n}: {model.weights[n]:+.3f}" for n in FEATURE_NAMES] + [f"- bias: {b:+.3f}"]
    return "\n".join(lines)


def _table(title: str, ps: list, ys: list, names: list[str]) -> list[str]:
    p, y = np.concatenate(ps), np.concatenate(ys)
    brier = float(((p - y) ** 2).mean()) if len(p) else 0.0
    out = [
        f"**{title}** ({'; '.join(names)}; {len(p)} candidates, Brier {brier:.3f})",
        "",
        "| confidence | links | mean confidence | share right |",
        "| --- | --- | --- | --- |",
    ]
    for lo, hi, n, mc, share in reliability(p, y):
        out.append(f"| {lo:.2f}-{hi:.2f} | {n} | {mc:.2f} | {share:.2f} |")
    return [*out, ""]


# ---------------------------------------------------------------- simulation


def _key(lk: LinkSuggestion) -> tuple[str, str]:
    return lk.source_id, lk.target_id


def simulate(
    records: list[Record],
    truth_data: dict,
    settings: MatchSettings,
    *,
    passes: int = 2,
    learn: bool = True,
    model: ConfidenceModel | None = None,
) -> dict:
    """Import meeting by meeting, check, re-match; score before and after."""
    truth = Truth(records, truth_data)
    by_meeting: dict[str, list[Record]] = defaultdict(list)
    for r in records:
        by_meeting[r.meeting_id].append(r)
    order = sorted(by_meeting, key=lambda m: (by_meeting[m][0].meeting_date, m))
    confirmed: set[tuple[str, str]] = set()
    rejected: set[tuple[str, str]] = set()
    checked: set[tuple[str, str]] = set()  # (point, meeting) already put to the chair
    checks = 0
    visible: list[Record] = []

    def match(upto: list[Record]) -> list[LinkSuggestion]:
        decisions = Decisions(frozenset(confirmed), frozenset(rejected)) if learn else None
        options = settings
        if learn and confirmed:
            options = replace(settings, synonyms=learn_glossary(upto, confirmed, settings))
        return suggest_links(upto, options, model=model, decisions=decisions)

    def check(links: list[LinkSuggestion], meetings: set[str] | None) -> int:
        groups: dict[tuple[str, str], list[LinkSuggestion]] = defaultdict(list)
        for lk in links:
            mid = truth.by_id[lk.target_id].meeting_id
            if meetings is not None and mid not in meetings:
                continue
            if _key(lk) in confirmed or _key(lk) in rejected:
                continue
            groups[(lk.source_id, mid)].append(lk)
        for group in groups.values():
            for lk in group:
                (confirmed if truth.right(*_key(lk)) else rejected).add(_key(lk))
        checked.update(groups)
        return len(groups)

    for mid in order:
        visible.extend(by_meeting[mid])
        if by_meeting[mid][0].body_kind == "catch-up":
            continue
        checks += check(match(visible), {mid})
    before = suggest_links(records, settings, model=model)
    for _ in range(passes - 1):
        checks += check(match(records), None)
    final = match(records)
    kept = [lk for lk in final if lk.status_hint == "suggested" and _key(lk) not in rejected]
    have = {_key(lk) for lk in kept}
    by_id = truth.by_id
    kept += [
        LinkSuggestion(s, t, by_id[t].kind, 1.0, "confirmed", (), 1.0)
        for s, t in confirmed
        if (s, t) not in have
    ]
    points = sum(is_lxp_input(r) for r in records)
    return {
        "before": score(records, truth_data, before),
        "after": score(records, truth_data, kept),
        "checks": checks,
        "points": points,
        "checks_per_point": checks / max(1, points),
        "confirmed": len(confirmed),
        "rejected": len(rejected),
    }


def learning_curve(
    records: list[Record],
    truth_data: dict,
    settings: MatchSettings,
    model: ConfidenceModel | None = None,
) -> dict:
    """F1 of suggestions on the later half, without and with earlier decisions."""
    truth = Truth(records, truth_data)
    dates = sorted({r.meeting_date for r in records})
    cut = dates[len(dates) // 2]
    early = [r for r in records if r.meeting_date < cut]
    # The chair's decisions on the earlier half: every shown link judged.
    confirmed, rejected = set(), set()
    for lk in suggest_links(early, settings, model=model):
        (confirmed if truth.right(*_key(lk)) else rejected).add(_key(lk))
    later_ids = {r.id for r in records if r.meeting_date >= cut}
    late_truth = dict(truth_data)
    late_truth["links"] = [lk for lk in truth_data.get("links", []) if lk["to"] in later_ids]
    out = {}
    for name, dec, syn in (
        ("without", None, settings),
        ("with decisions", Decisions(frozenset(confirmed), frozenset(rejected)), settings),
        (
            "with decisions and glossary",
            Decisions(frozenset(confirmed), frozenset(rejected)),
            replace(settings, synonyms=learn_glossary(records, confirmed, settings)),
        ),
    ):
        links = [
            lk
            for lk in suggest_links(records, syn, model=model, decisions=dec)
            if lk.target_id in later_ids and lk.status_hint == "suggested"
        ]
        s = score(records, late_truth, links)
        out[name] = {k: s[k] for k in ("links_f1", "links_precision", "links_recall")}
    out["decisions"] = {"confirmed": len(confirmed), "rejected": len(rejected)}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=Path, nargs="+")
    ap.add_argument("--fit", action="store_true", help="refit tracker/confidence.json first")
    ap.add_argument("--l2", type=float, default=1.0)
    ap.add_argument("--no-learn", action="store_true")
    ap.add_argument("--set", action="append", default=[], help="matcher field=value")
    ap.add_argument("--model", type=Path, help="a model JSON other than the shipped one")
    ap.add_argument("--report", type=Path, help="write the Markdown here")
    for name in ("suggest", "show", "keep"):
        ap.add_argument(f"--{name}", type=float, help=f"override the model's {name} threshold")
    ap.add_argument("--no-curve", action="store_true", help="skip the learning curve")
    args = ap.parse_args()
    overrides = {}
    for kv in args.set:
        k, v = kv.split("=", 1)
        default = getattr(MatchSettings(), k)
        if isinstance(default, bool):
            overrides[k] = v.lower() in ("1", "true", "yes")
        else:
            overrides[k] = type(default)(v)
    settings = replace(MatchSettings(), **overrides)
    lines: list[str] = []
    if args.fit:
        wanted = {n: getattr(args, n) for n in ("suggest", "show", "keep")}
        wanted = {n: v for n, v in wanted.items() if v is not None}
        out = args.model or DEFAULT_MODEL
        lines.append(fit_command(args.corpus, settings, args.l2, out, wanted))
        default_model.cache_clear()
    model = ConfidenceModel.from_json(args.model.read_text()) if args.model else default_model()
    model = replace(
        model,
        **{
            n: getattr(args, n) for n in ("suggest", "show", "keep") if getattr(args, n) is not None
        },
    )
    lines.append(
        f"Thresholds: suggest {model.suggest}, show {model.show}, keep {model.keep}; "
        f"learning {'off' if args.no_learn else 'on'}\n"
    )
    head = (
        "| corpus | LXP points | before: links F1 (P/R) | outcome acc. | lost F1 "
        "| after review: links F1 (P/R) | outcome acc. | lost F1 | checks per point |"
    )
    rows = [head, "|" + "---|" * 9]
    curves = ["| corpus | later-half F1 without | with decisions | with decisions + glossary |"]
    curves.append("|---|---|---|---|")
    for c in args.corpus:
        records, truth = load_corpus(c)
        sim = simulate(records, truth, settings, learn=not args.no_learn, model=model)
        b, a = sim["before"], sim["after"]
        rows.append(
            f"| {c.name} | {sim['points']} | {b['links_f1']:.3f} ({b['links_precision']:.2f}/"
            f"{b['links_recall']:.2f}) | {b['outcome_accuracy']:.3f} | {b['lost_f1']:.3f} | "
            f"{a['links_f1']:.3f} ({a['links_precision']:.2f}/{a['links_recall']:.2f}) | "
            f"{a['outcome_accuracy']:.3f} | {a['lost_f1']:.3f} | {sim['checks_per_point']:.2f} |"
        )
        if args.no_curve:
            print(rows[-1], flush=True)
            continue
        curve = learning_curve(records, truth, settings, model=model)
        curves.append(
            f"| {c.name} | "
            + " | ".join(
                f"{curve[k]['links_f1']:.3f} ({curve[k]['links_precision']:.2f}/"
                f"{curve[k]['links_recall']:.2f})"
                for k in ("without", "with decisions", "with decisions and glossary")
            )
            + " |"
        )
        print(rows[-1], flush=True)
        print(curves[-1], flush=True)
    lines += ["## Review effort", "", *rows, "", "## Learning curve", "", *curves]
    text = "\n".join(lines) + "\n"
    print(text)
    if args.report:
        args.report.write_text(text)


if __name__ == "__main__":
    main()
