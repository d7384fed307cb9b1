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


def replay_by_definition(x, y, orders, batch_size, learning_rate):
    """The mini-batch rule written out by hand for y ≈ w x + b and the batch MSE:
    θ ← θ − η (2/|B|) Σ_{i∈B} (w xᵢ + b − yᵢ)(xᵢ, 1), batches = consecutive slices of each
    epoch's order. Returns the (w, b) after every update."""
    w = b = 0.0
    path = [(w, b)]
    for order in orders:
        for start in range(0, len(order), batch_size):
            batch = order[start:start + batch_size]
            residual = w * x[batch] + b - y[batch]
            w, b = (w - learning_rate * 2 * np.mean(residual * x[batch]),
                    b - learning_rate * 2 * np.mean(residual))
            path.append((w, b))
    return np.array(path)


def test_the_three_batch_sizes_are_their_definitions():
    """k = 10 examples: b = k is batch gradient descent (one full-data step per epoch, the
    order irrelevant), b = 1 stochastic descent (one example per step, in the epoch's order),
    1 < b < k (b = 3) mini-batch descent with ⌈k/b⌉ = 4 updates per epoch, the last on 1
    example — each replayed from its definition to 1e-12."""
    rng = np.random.default_rng(5)
    x = rng.standard_normal(10)
    y = 0.7 * x - 0.3 + 0.2 * rng.standard_normal(10)
    runs = gradient_descent_variants(x[:, None], y, epochs=3, learning_rate=0.1, batch_size=3,
                                     rng=2)
    for name, b, updates in (("batch", 10, 1), ("stochastic", 1, 10), ("mini-batch", 3, 4)):
        run = runs[name]
        assert run["batch_size"] == b and run["iterations_per_epoch"] == updates
        assert run["orders"].shape == (3, 10)
        assert all(sorted(order) == list(range(10)) for order in run["orders"])
        expected = replay_by_definition(x, y, run["orders"], b, 0.1)
        assert len(expected) == 3 * updates + 1
        np.testing.assert_allclose(run["path"], expected, rtol=0, atol=1e-12)
    # batch gradient descent: each step is the full-data gradient, so no order matters
    full = replay_by_definition(x, y, [np.arange(10)] * 3, 10, 0.1)
    np.testing.assert_allclose(runs["batch"]["path"], full, rtol=0, atol=1e-12)
