"""Least-squares linear regression as the test bed of gradient descent (batch, stochastic,
mini-batch): 陈强 §15.8 (figure 15.12) and 《深度学习与神经网络》第5章 §5.2.6 ((5-28), Fig. 5-11).

The model is h_θ(x) = θ₀ + θ₁x₁ + … + θₙxₙ and the cost the book writes as

    J(θ) = ½ Σᵢ (h_θ(x⁽ⁱ⁾) − y⁽ⁱ⁾)²                                                    (5-28)

(the printed parentheses are garbled; this is the standard form the text describes). Batch
gradient descent (BGD) uses all m examples for each update, stochastic gradient descent (SGD)
one, mini-batch descent B of them. J is m/2 times the mean squared error, so the three methods
run here on the one engine (a ``Dense(1)`` layer, MSE loss, SGD) and the learning rate absorbs
the factor.
"""

from __future__ import annotations

import numpy as np

from nnbook.layers import Dense
from nnbook.models.sequential import Sequential
from nnbook.optim import SGD
from nnbook.train.batches import iterations_per_epoch
from nnbook.validation import as_float_array, check_matching_rows, check_positive

__all__ = ["linreg_cost", "gradient_evaluations", "gradient_descent_variants"]


def _design(X, y):
    X = as_float_array(X, "X", ndim=2)
    y = as_float_array(y, "y", ndim=(1, 2))
    if len(X) == 0:
        raise ValueError("X: expected at least one example, found an empty array")
    check_matching_rows(X, y, "X", "y")
    if y.ndim == 2 and y.shape[1] != 1:
        raise ValueError(f"y: expected one target per example, shape (m,) or (m, 1), found {y.shape}")
    return X, y.reshape(-1)


def linreg_cost(theta, X, y) -> np.ndarray:
    """J(θ) = ½ Σᵢ (θ₀ + x⁽ⁱ⁾·θ₁… − y⁽ⁱ⁾)², (5-28).

    ``theta`` (n + 1,) with the intercept first, or a stack (..., n + 1) of parameter vectors
    (a grid for a contour plot: the result has shape (...)); ``X`` (m, n); ``y`` (m,).
    """
    X, y = _design(X, y)
    theta = as_float_array(theta, "theta")
    if theta.ndim == 0 or theta.shape[-1] != X.shape[1] + 1:
        raise ValueError(f"theta: expected a last axis of length {X.shape[1] + 1} (intercept + "
                         f"{X.shape[1]} weights), found shape {theta.shape}")
    predictions = theta[..., :1] + theta[..., 1:] @ X.T          # (..., m)
    return 0.5 * np.sum((predictions - y) ** 2, axis=-1)


def gradient_evaluations(n_samples: int, passes: int) -> int:
    """Per-example gradients computed by ``passes`` sweeps over ``n_samples`` examples.

    §5.2.6's comparison: BGD needing 10 iterations on 300,000 examples computes
    10 · 300,000 = 3,000,000 of them; SGD, converging within one pass, 300,000.
    """
    return check_positive(n_samples, "n_samples", integer=True) * \
        check_positive(passes, "passes", integer=True)


def gradient_descent_variants(X=None, y=None, *, epochs: int = 10, learning_rate: float = 0.1,
                              batch_size: int = 32, rng=0) -> dict:
    """Batch, stochastic and mini-batch gradient descent on one convex problem.

    The problem is least squares for a linear model y ≈ w x + b (a Dense(1) layer, MSE loss)
    on X (n, 1), y (n,); by default n = 256 points of y = 2x − 1 + noise with x standardised.
    Each variant starts from w = b = 0 and runs ``epochs`` epochs of SGD with B = n, 1 and
    ``batch_size``. Returns {"batch" | "stochastic" | "mini-batch": dict} with ``batch_size``,
    ``iterations_per_epoch``, ``epoch`` (fraction of epochs done at each point), ``loss`` (MSE
    on all n points after each update, starting with the initial loss), ``path`` (the
    (w, b) after each update, shape (updates + 1, 2)) and ``orders`` (epochs, n): the shuffled
    order of each epoch, whose consecutive slices of B examples were the mini-batches (the
    last one smaller when B does not divide n) — enough to replay every update by hand.
    """
    rng = np.random.default_rng(rng)
    if X is None:
        x = rng.standard_normal(256)
        X, y = x[:, None], 2.0 * x - 1.0 + 0.5 * rng.standard_normal(256)
    X, y = _design(X, y)
    if X.shape[1] != 1:
        raise ValueError(f"expected X (n, 1) and y (n,) for the two-parameter picture, found "
                         f"{X.shape} and {y.shape}")
    y = y[:, None]
    n = len(X)
    results = {}
    for name, B in (("batch", n), ("stochastic", 1), ("mini-batch", batch_size)):
        model = Sequential([Dense(1, kernel_initializer="zeros")], input_shape=(1,), rng=rng)
        model.compile(loss="mse", optimizer=SGD(learning_rate=learning_rate), metrics=())
        layer = model.layers[0]
        kernel, bias = layer.params["kernel"].value, layer.params["bias"].value
        losses, path, orders = [model.compute_loss(X, y)], [(kernel[0, 0], bias[0])], []
        for _ in range(epochs):
            order = rng.permutation(n)
            orders.append(order)
            for start in range(0, n, B):
                batch = order[start:start + B]
                model.train_on_batch(X[batch], y[batch])
                losses.append(model.compute_loss(X, y))
                path.append((kernel[0, 0], bias[0]))
        k = iterations_per_epoch(n, B)
        results[name] = {"batch_size": B, "iterations_per_epoch": k,
                         "epoch": np.arange(len(losses)) / k, "loss": np.array(losses),
                         "path": np.array(path), "orders": np.array(orders)}
    return results
