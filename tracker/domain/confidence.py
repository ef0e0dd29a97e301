"""Turn a candidate link's features into a calibrated probability.

Pure and small on purpose: a logistic regression over features a chair can
name (the score, its rank among the meeting's candidates, the margin to the
next one, the days between, LXP cues, the record's kind...). The
coefficients live in ``tracker/confidence.json`` with the features named;
``bench/review_effort.py --fit`` refits them on labelled corpora. numpy only.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

import numpy as np

DEFAULT_MODEL = Path(__file__).resolve().parent.parent / "confidence.json"

#: The features, in model order, with what each means (also in the JSON).
FEATURES: dict[str, str] = {
    "score": "similarity of the point and the record in context (0-1)",
    "share": "score as a share of the point's best score in the window",
    "margin": "score minus the next agenda item's score in the same meeting",
    "rank": "rank of the record's agenda item among the meeting's candidates (0 = best)",
    "point_best": "1 when this is the point's best candidate in the whole window",
    "meeting_rank": "rank of this meeting among the later meetings, by their best score",
    "selected": "1 when the careful-reader rules (floor, share, one item per meeting) pick it",
    "shared": "number of key terms shared with the point (log)",
    "point_terms": "number of key terms in the point (log)",
    "days": "days between the point and the record, as a share of 180",
    "lxp_cue": "1 when the record or its agenda item names LXPs, lived experience or feedback",
    "response": "1 when the record is an action or a decision",
    "agenda_item": "1 when the record is an agenda item title",
    "governance": "1 when the later meeting is a governance meeting (else working)",
}
FEATURE_NAMES = tuple(FEATURES)
_INDEX = {name: n for n, name in enumerate(FEATURE_NAMES)}


class FeatureRow(Mapping[str, float]):
    """One link's features by name, read from a row of the block's matrix.

    A view, not a dict: a match of 100k links keeps one float array, not
    100k dictionaries.
    """

    __slots__ = ("_row",)

    def __init__(self, row: np.ndarray) -> None:
        self._row = row

    def __getitem__(self, name: str) -> float:
        return round(float(self._row[_INDEX[name]]), 4)

    def __iter__(self) -> Iterator[str]:
        return iter(FEATURE_NAMES)

    def __len__(self) -> int:
        return len(FEATURE_NAMES)

    def __repr__(self) -> str:
        return repr(dict(self))


@dataclass(frozen=True)
class ConfidenceModel:
    """Logistic regression: P(right) = sigmoid(bias + sum(weight * feature))."""

    weights: Mapping[str, float]
    bias: float
    # confidence >= suggest: the link counts toward outcomes until decided.
    suggest: float = 0.5
    # A meeting is put to the chair for a point when its best candidate's
    # confidence reaches this; its other candidates need ``keep``.
    show: float = 0.15
    keep: float = 0.05
    fitted_on: str = ""
    notes: Mapping[str, str] = field(default_factory=dict)

    def vector(self) -> np.ndarray:
        return np.array([self.weights.get(n, 0.0) for n in FEATURE_NAMES], dtype=np.float64)

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Probabilities for rows of features (columns in FEATURE_NAMES order)."""
        if not len(x):
            return np.zeros(0)
        return _sigmoid(np.asarray(x, dtype=np.float64) @ self.vector() + self.bias)

    def to_json(self) -> str:
        return json.dumps(
            {
                "model": "logistic regression",
                "fitted_on": self.fitted_on,
                "bias": round(self.bias, 6),
                "weights": {n: round(float(self.weights.get(n, 0.0)), 6) for n in FEATURE_NAMES},
                "features": FEATURES,
                "thresholds": {"suggest": self.suggest, "show": self.show, "keep": self.keep},
                "notes": dict(self.notes),
            },
            indent=2,
        )

    @classmethod
    def from_json(cls, text: str) -> ConfidenceModel:
        data = json.loads(text)
        th = data.get("thresholds", {})
        return cls(
            weights={k: float(v) for k, v in data["weights"].items()},
            bias=float(data["bias"]),
            suggest=float(th.get("suggest", 0.5)),
            show=float(th.get("show", 0.15)),
            keep=float(th.get("keep", 0.05)),
            fitted_on=data.get("fitted_on", ""),
            notes=data.get("notes", {}),
        )


@lru_cache(maxsize=1)
def default_model() -> ConfidenceModel:
    """The model shipped with the product (tracker/confidence.json)."""
    return ConfidenceModel.from_json(DEFAULT_MODEL.read_text(encoding="utf-8"))


def _sigmoid(z: np.ndarray) -> np.ndarray:
    out: np.ndarray = 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))
    return out


def fit_logistic(
    x: np.ndarray,
    y: np.ndarray,
    sample_weight: np.ndarray | None = None,
    l2: float = 1.0,
    iterations: int = 50,
) -> tuple[np.ndarray, float]:
    """Weights and bias by Newton's method (IRLS) with an L2 penalty.

    The bias is not penalised. Converges in a handful of steps on the few
    thousand rows of our labelled corpora.
    """
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    n, d = x.shape
    sw = np.ones(n) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
    xb = np.hstack([x, np.ones((n, 1))])
    beta = np.zeros(d + 1)
    penalty = np.full(d + 1, l2)
    penalty[-1] = 0.0
    for _ in range(iterations):
        p = _sigmoid(xb @ beta)
        grad = xb.T @ (sw * (p - y)) + penalty * beta
        h = (xb * (sw * p * (1 - p))[:, None]).T @ xb + np.diag(penalty) + 1e-9 * np.eye(d + 1)
        step = np.linalg.solve(h, grad)
        beta -= step
        if np.abs(step).max() < 1e-8:
            break
    return beta[:-1], float(beta[-1])


def reliability(
    p: Sequence[float] | np.ndarray,
    y: Sequence[bool] | np.ndarray,
    edges: Sequence[float] = (0.0, 0.1, 0.2, 0.35, 0.5, 0.65, 0.8, 0.9, 1.0001),
) -> list[tuple[float, float, int, float, float]]:
    """Rows (low, high, n, mean confidence, share right) per confidence bin."""
    p = np.asarray(p, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    out = []
    for lo, hi in pairwise(edges):
        sel = (p >= lo) & (p < hi)
        n = int(sel.sum())
        if n:
            out.append((lo, min(hi, 1.0), n, float(p[sel].mean()), float(y[sel].mean())))
    return out


__all__ = [
    "FEATURES",
    "FEATURE_NAMES",
    "ConfidenceModel",
    "FeatureRow",
    "default_model",
    "fit_logistic",
    "reliability",
]
