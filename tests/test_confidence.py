"""The confidence model: a small logistic regression with named features."""

import numpy as np

from tracker.domain.confidence import (
    FEATURE_NAMES,
    ConfidenceModel,
    default_model,
    fit_logistic,
    reliability,
)


def _sample(seed: int, n: int, w: np.ndarray, b: float) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, len(w)))
    p = 1 / (1 + np.exp(-(x @ w + b)))
    return x, (rng.random(n) < p).astype(float)


def test_fit_recovers_the_weights_that_made_the_data() -> None:
    """Does Newton's method find the coefficients of a known logistic model?"""
    w_true, b_true = np.array([1.5, -2.0, 0.0, 0.7]), -0.5
    x, y = _sample(1, 20_000, w_true, b_true)
    w, b = fit_logistic(x, y, l2=0.01)
    assert np.abs(w - w_true).max() < 0.12
    assert abs(b - b_true) < 0.1


def test_fitted_probabilities_are_calibrated_on_new_data() -> None:
    """Of the links given about p, are about p right, on data the fit never saw?"""
    w_true, b_true = np.array([2.0, -1.0]), 0.3
    w, b = fit_logistic(*_sample(2, 20_000, w_true, b_true), l2=0.01)
    x, y = _sample(3, 20_000, w_true, b_true)
    model = ConfidenceModel(dict(zip(FEATURE_NAMES[:2], w, strict=True)), b)
    rows = np.zeros((len(y), len(FEATURE_NAMES)))
    rows[:, :2] = x
    for _, _, n, mean_p, share in reliability(model.predict(rows), y):
        assert n < 200 or abs(mean_p - share) < 0.04


def test_the_penalty_shrinks_weights() -> None:
    """Does a stronger L2 penalty give smaller weights (less confident)?"""
    x, y = _sample(4, 500, np.array([3.0, 0.0]), 0.0)
    assert abs(fit_logistic(x, y, l2=50.0)[0][0]) < abs(fit_logistic(x, y, l2=0.1)[0][0])


def test_the_shipped_model_names_every_feature_and_round_trips() -> None:
    """Is tracker/confidence.json complete, explained, and read back unchanged?"""
    model = default_model()
    assert set(model.weights) == set(FEATURE_NAMES)
    assert 0.0 < model.keep <= model.show < model.suggest < 1.0
    again = ConfidenceModel.from_json(model.to_json())
    assert again.weights == model.weights and again.bias == model.bias
    assert (again.suggest, again.show, again.keep) == (model.suggest, model.show, model.keep)

    # A stronger, better-placed match is more likely right.
    def row(**values: float) -> np.ndarray:
        x = np.zeros((1, len(FEATURE_NAMES)))
        for name, value in values.items():
            x[0, FEATURE_NAMES.index(name)] = value
        return x

    common = {"point_terms": np.log1p(8), "governance": 1.0}
    strong = row(
        score=0.5, share=1.0, margin=0.3, point_best=1, selected=1, shared=np.log1p(4), **common
    )
    weak = row(score=0.06, share=0.2, rank=2, meeting_rank=2, shared=np.log1p(1), **common)
    assert model.predict(strong)[0] > model.suggest > model.predict(weak)[0]
