"""Time and memory of the matcher on a generated programme.

    .venv/bin/python bench/match.py                      # 10k points x 100k records
    .venv/bin/python bench/match.py --sources 1000 --targets 10000
    .venv/bin/python bench/match.py --report bench/results/match.md

A programme of W workstreams over three years: fortnightly catch-ups hold the
LXP points, weekly governance or working meetings hold the later records
(agenda items, contributions, actions, decisions; one in five restates a
recent point). Text is pseudo-English from a Zipf-distributed vocabulary.

Reported: end-to-end ``suggest_links`` time; the matching stage alone
(blocking, scoring, selection, chains) against the *bare scoring calls* over
exactly the same candidate blocks (scipy.sparse CSR matmul of the same TF-IDF
vectors: scipy, from the `bench` extra, independent of the matcher); candidate pairs; peak RSS, each
size in a fresh process. Times are process CPU seconds (the machine is
shared; wall time is shown too) and ``suggest_links`` runs single-threaded.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tracker.domain import matching as M  # noqa: E402
from tracker.domain.matching import MatchSettings, Record  # noqa: E402

_SYLLABLE_TEXT = (
    "ca re pla ser vi ce acc ess ther apy dis char ge ref er ral mem ber "
    "pat ient sup port wait ing tra in staff com mun ity cri sis peer fam ily "
    "ass ess ment lead plan grou path way ment al heal th"
)
_SYLLABLES = _SYLLABLE_TEXT.split()


def _vocabulary(n: int, rng: random.Random) -> list[str]:
    words: set[str] = set()
    while len(words) < n:
        k = rng.choice((2, 2, 3, 3, 4))
        words.add("".join(rng.choice(_SYLLABLES) for _ in range(k)))
    return sorted(words)


def generate(n_sources: int, n_targets: int, seed: int = 7) -> list[Record]:
    """Build a programme with about n_sources points and n_targets records."""
    rng = random.Random(seed)
    vocab = _vocabulary(6000, rng)
    weights = [1 / (i + 1) for i in range(len(vocab))]
    cum = np.cumsum(weights)
    cum /= cum[-1]

    def sentence(lo: int = 10, hi: int = 30) -> str:
        picks = np.searchsorted(cum, np.asarray([rng.random() for _ in range(rng.randint(lo, hi))]))
        return " ".join(vocab[i] for i in picks)

    workstreams = max(1, n_sources // 1000)
    start = date(2023, 1, 2)
    catchups = 78  # fortnightly for three years
    boards = 156  # weekly governance or working meetings
    per_catchup = max(1, n_sources // (workstreams * catchups))
    per_board = max(4, n_targets // (workstreams * boards))
    records: list[Record] = []
    for w in range(workstreams):
        ws = f"WS{w}"
        recent: list[str] = []
        for c in range(catchups):
            day = start + timedelta(days=14 * c)
            mid = f"{ws}-c{c}"
            for k in range(per_catchup):
                text = sentence()
                recent.append(text)
                records.append(
                    Record(
                        f"{mid}-{k}",
                        "contribution",
                        text,
                        mid,
                        day,
                        "catch-up",
                        ws,
                        item_id=f"{mid}-a1",
                        item_title="Discussion",
                    )
                )
        recent_by_day = recent
        for b in range(boards):
            day = start + timedelta(days=7 * b + 3)
            mid = f"{ws}-g{b}"
            body = "governance" if b % 3 else "working"
            item = None
            for k in range(per_board):
                if k % 8 == 0:
                    item = f"{mid}-a{k}"
                    title = sentence(2, 5)
                    records.append(
                        Record(
                            item,
                            "agenda_item",
                            title,
                            mid,
                            day,
                            body,
                            ws,
                            item_id=item,
                            item_title=title,
                        )
                    )
                    continue
                if k % 5 == 0 and recent_by_day:
                    # A restatement of a recent point: half its words, reordered.
                    src = rng.choice(recent_by_day[: 13 * (b // 2 + 1)]).split()
                    rng.shuffle(src)
                    text = " ".join(src[: len(src) // 2]) + " " + sentence(3, 8)
                else:
                    text = sentence()
                kind = ("contribution", "contribution", "action", "decision")[k % 4]
                records.append(
                    Record(
                        f"{mid}-{k}", kind, text, mid, day, body, ws, item_id=item, item_title=title
                    )
                )
    return records


def bare_scoring(records: list[Record], settings: MatchSettings) -> tuple[float, int]:
    """Time the scoring calls alone over the matcher's own candidate blocks.

    The same TF-IDF vectors as the matcher's; every block pre-sliced (and
    the target side pre-transposed) outside the timed loop, so only the
    sparse products are timed.
    """
    prep = M._Prepared(records, settings)
    tf = M._SparseTfidf(prep.src_raw, prep.tgt_raw, len(prep.terms.vocab))
    blocks = prep.blocks
    pairs = sum(len(rows) * (hi - lo) for rows, lo, hi in blocks)
    from scipy.sparse import csr_matrix  # the bench extra: an independent lower bound

    s_ptr, s_idx, s_val = tf.src
    t_ptr, t_idx, t_val = tf.tgt
    smat = csr_matrix((s_val, s_idx, s_ptr), shape=(len(prep.sources), tf.n_terms))
    tmat = csr_matrix((t_val, t_idx, t_ptr), shape=(len(prep.targets), tf.n_terms))
    sliced = [(smat[rows], tmat[lo:hi].T.tocsr()) for rows, lo, hi in blocks]
    c0 = time.process_time()
    for a, b in sliced:
        (a @ b).toarray()
    return time.process_time() - c0, pairs


def run_one(n_sources: int, n_targets: int, method: str) -> dict:
    """Generate, match and measure one size (call in a fresh process for RSS)."""
    t0 = time.perf_counter()
    records = generate(n_sources, n_targets)
    gen_s = time.perf_counter() - t0
    settings = MatchSettings(method=method)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t0, c0 = time.perf_counter(), time.process_time()
    links = M.suggest_links(records, settings)
    total_s, total_cpu = time.perf_counter() - t0, time.process_time() - c0
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # The normalisation share: tokenising every text once, as suggest_links does.
    norm = M.Normaliser(settings.synonyms)
    c0 = time.process_time()
    for text in {r.text for r in records} | {r.item_title for r in records}:
        norm.tokens(text)
    norm_cpu = time.process_time() - c0
    bare_s, pairs = bare_scoring(records, settings)
    n_src = sum(M.is_lxp_input(r) for r in records)
    return {
        "sources": n_src,
        "targets": len(records) - n_src,
        "method": method,
        "pairs": pairs,
        "links": len(links),
        "generate_s": gen_s,
        "match_wall_s": total_s,
        "match_s": total_cpu,
        "normalise_s": norm_cpu,
        "bare_s": bare_s,
        "peak_rss_mb_before_match": rss_before,
        "peak_rss_mb": rss_after,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sources", type=int, default=10_000)
    ap.add_argument("--targets", type=int, default=100_000)
    ap.add_argument("--method", default="tfidf")
    ap.add_argument("--one", action="store_true", help="measure one size, print JSON")
    ap.add_argument("--report", type=Path, help="write a Markdown report here")
    ap.add_argument("--small", action="store_true", help="a tiny programme (the smoke test)")
    args = ap.parse_args()
    if args.small:
        args.sources, args.targets = 100, 1_000
    if args.one:
        print(json.dumps(run_one(args.sources, args.targets, args.method)))
        return
    rows = []
    for s, t in ((args.sources // 10, args.targets // 10), (args.sources, args.targets)):
        out = subprocess.run(
            [
                sys.executable,
                __file__,
                "--one",
                "--sources",
                str(s),
                "--targets",
                str(t),
                "--method",
                args.method,
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        rows.append(json.loads(out.strip().splitlines()[-1]))
    lines = [
        "| points | records | candidate pairs | links | match CPU s (wall) "
        "| of which normalise CPU s | bare scoring CPU s | match / bare "
        "| (match - normalise) / bare | peak RSS MB (before match) |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['sources']:,} | {r['targets']:,} | {r['pairs']:,} | {r['links']:,} "
            f"| {r['match_s']:.2f} ({r['match_wall_s']:.2f}) | {r['normalise_s']:.2f} "
            f"| {r['bare_s']:.2f} "
            f"| {r['match_s'] / r['bare_s']:.2f}x "
            f"| {(r['match_s'] - r['normalise_s']) / r['bare_s']:.2f}x "
            f"| {r['peak_rss_mb']:.0f} ({r['peak_rss_mb_before_match']:.0f}) |"
        )
    table = "\n".join(lines)
    print(table)
    if args.report:
        args.report.write_text(table + "\n")


if __name__ == "__main__":
    main()
