"""nnbook.analysis.linear_regression: the cost (5-28) of 《深度学习与神经网络》第5章 §5.2.6, its
per-example gradient counts, and batch / stochastic / mini-batch descent (陈强 figure 15.12)."""

import numpy as np
import pytest

from nnbook.analysis.linear_regression import (
    gradient_descent_variants,
    gradient_evaluations,
    linreg_cost,
)


def test_linreg_cost_is_half_the_sum_of_squared_residuals():
    X = np.array([[1.0, 2.0], [0.0, -1.0], [3.0, 0.5]])
    y = np.array([1.0, 2.0, -1.0])
    theta = np.array([0.5, -1.0, 2.0])
    residuals = [0.5 - 1 + 4 - 1, 0.5 + 0 - 2 - 2, 0.5 - 3 + 1 + 1]       # by hand
    assert linreg_cost(theta, X, y) == pytest.approx(0.5 * sum(r * r for r in residuals))
    grid = np.stack([theta, np.zeros(3)])                                # a stack of θ's
    np.testing.assert_allclose(linreg_cost(grid, X, y),
                               [linreg_cost(theta, X, y), 0.5 * np.sum(y ** 2)])
    with pytest.raises(ValueError, match="intercept"):
        linreg_cost([1.0, 2.0], X, y)
    with pytest.raises(ValueError, match="empty"):
        linreg_cost([1.0, 2.0, 3.0], np.zeros((0, 2)), np.zeros(0))


def test_gradient_evaluations_of_the_books_comparison():
    assert gradient_evaluations(300_000, 10) == 3_000_000    # BGD, 10 iterations
    assert gradient_evaluations(300_000, 1) == 300_000       # SGD, one pass
    with pytest.raises(ValueError):
        gradient_evaluations(300_000, 0)
    with pytest.raises((TypeError, ValueError)):
        gradient_evaluations(2.5, 1)


def test_gradient_descent_variants_figure_15_12():
    rng = np.random.default_rng(0)
    x = rng.standard_normal(128)
    y = 1.5 * x + 0.5 + 0.3 * rng.standard_normal(128)
    runs = gradient_descent_variants(x[:, None], y, epochs=4, learning_rate=0.05, batch_size=32, rng=1)
    assert [runs[k]["iterations_per_epoch"] for k in ("batch", "stochastic", "mini-batch")] == [1, 128, 4]
    for run in runs.values():
        assert len(run["loss"]) == 4 * run["iterations_per_epoch"] + 1
        assert run["path"].shape == (len(run["loss"]), 2)
    A = np.column_stack([x, np.ones_like(x)])
    optimum = np.mean((A @ np.linalg.lstsq(A, y, rcond=None)[0] - y) ** 2)
    batch = runs["batch"]["loss"]
    assert np.all(np.diff(batch) < 0)                            # batch GD: smooth descent
    assert np.any(np.diff(runs["stochastic"]["loss"]) > 0)       # SGD: noisy path
    assert runs["stochastic"]["loss"][-1] < optimum * 1.2        # …but far ahead per epoch
    assert runs["mini-batch"]["loss"][-1] < batch[-1]
    assert batch[-1] > 2 * optimum                               # 4 steps are not enough
