"""Gradient descent facts of Nielsen §1.5 (eqs. (7)–(21)), checked numerically."""

import numpy as np
import pytest

from nnbook.optim.gradient_descent import (
    gradient_descent,
    linear_change_estimate,
    minibatch_gradient,
    second_partial_counts,
    steepest_descent_step,
    valley,
    valley_gradient,
)


def test_descent_on_the_valley_reaches_the_minimum():
    path = gradient_descent(valley_gradient, np.array([0.8, -0.6]), 0.1, 200)
    assert path.shape == (201, 2) and np.allclose(path[-1], 0, atol=1e-12)
    assert np.all(np.diff(valley(path)) <= 0)


@pytest.mark.parametrize("eta,regime", [(0.3, "monotone"), (0.8, "oscillates"), (1.1, "diverges")])
def test_learning_rate_regimes_on_v_squared(eta, regime):
    path = gradient_descent(lambda v: 2 * v, np.array([1.0]), eta, 20)[:, 0]
    factor = 1 - 2 * eta  # v' = (1 − 2η) v, worked out by hand
    assert np.allclose(path, factor ** np.arange(21))
    if regime == "monotone":
        assert np.all(path > 0) and abs(path[-1]) < 1e-3
    elif regime == "oscillates":
        assert np.all(path[1::2] < 0) and abs(path[-1]) < 1e-3
    else:
        assert abs(path[-1]) == pytest.approx(1.2 ** 20) and abs(path[-1]) > 30


def test_linear_estimate_error_is_second_order():
    v = np.array([0.8, -0.6])
    errors = []
    for scale in (1e-1, 1e-2, 1e-3):
        dv = scale * np.array([0.3, 0.7])
        errors.append(abs(valley(v + dv) - valley(v) - linear_change_estimate(valley_gradient(v), dv)))
    assert errors[1] / errors[0] == pytest.approx(1e-2, rel=1e-6)
    assert errors[2] / errors[1] == pytest.approx(1e-2, rel=1e-6)


def test_steepest_step_beats_every_sampled_direction():
    rng = np.random.default_rng(0)
    g, eps = rng.normal(size=5), 0.01
    best = g @ steepest_descent_step(g, eps)
    directions = rng.normal(size=(20000, 5))
    directions *= eps / np.linalg.norm(directions, axis=1, keepdims=True)
    assert best == pytest.approx(-eps * np.linalg.norm(g))
    assert np.all(directions @ g >= best - 1e-15)
    with pytest.raises(ValueError, match="zero"):
        steepest_descent_step(np.zeros(3), 0.1)


def test_second_partial_counts():
    assert second_partial_counts(10 ** 6) == (10 ** 12, 500_000_500_000)
    assert second_partial_counts(3) == (9, 6)  # 3 diagonal + 3 distinct mixed partials


def test_minibatch_estimate_is_unbiased_and_its_spread_falls_like_one_over_sqrt_m():
    rng = np.random.default_rng(0)
    grads = rng.normal(size=(2000, 3)) + np.array([1.0, -2.0, 0.5])
    full = grads.mean(axis=0)
    spreads = []
    for m in (10, 40, 160):
        estimates = np.array([minibatch_gradient(grads, m, rng) for _ in range(2000)])
        assert np.allclose(estimates.mean(axis=0), full, atol=4 * estimates.std(axis=0).max() / np.sqrt(2000))
        spreads.append(estimates.std(axis=0).mean())
    assert spreads[0] / spreads[1] == pytest.approx(2, rel=0.15)
    assert spreads[1] / spreads[2] == pytest.approx(2, rel=0.15)


def test_bad_arguments():
    with pytest.raises(ValueError, match="eta"):
        gradient_descent(valley_gradient, [1.0, 1.0], -0.1, 3)
    with pytest.raises(TypeError, match="grad"):
        gradient_descent(None, [1.0, 1.0], 0.1, 3)
    with pytest.raises(ValueError, match=r"grad\(v\): expected shape"):
        gradient_descent(lambda v: np.zeros(3), [1.0, 1.0], 0.1, 3)
