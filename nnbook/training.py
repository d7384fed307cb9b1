"""Training a :class:`~nnbook.network.Network` by mini-batch stochastic gradient descent.

The readable reference follows Nielsen §1.5 literally: for each mini-batch X_1 … X_m, compute
∇C_{X_j} for every example by backpropagation, average, and move every weight and bias by
eqs. (20)–(21): w → w − (η/m) Σ_j ∂C_{X_j}/∂w,  b → b − (η/m) Σ_j ∂C_{X_j}/∂b.
An epoch (迭代期) shuffles the training set and walks through it in mini-batches — the
bookkeeping the source file cuts off after eq. (21).

:func:`sgd` runs either this reference or the Numba twin in :mod:`nnbook.training_kernel`
(the default: same arithmetic, one compiled call per epoch). Tests assert both give the same
weights.
"""

from __future__ import annotations

import sys

import numpy as np
from tqdm import tqdm

from nnbook.activations import sigmoid, sigmoid_prime
from nnbook.losses import quadratic_cost
from nnbook.network import Network
from nnbook.validation import as_float_array, check_matching_rows, check_positive

KERNELS = ("numba", "reference")


def backprop(network: Network, x, y):
    """Gradient of C_x = ‖y − a‖²/2 for one example x (n_in,), target y (n_out,).

    Returns (grad_w, grad_b): lists shaped like ``network.weights`` and ``network.biases``.
    Forward pass keeps every z and a; the output error is δ^L = (a^L − y) ⊙ σ'(z^L), and each
    earlier layer gets δ^l = (W^{l+1})ᵀ δ^{l+1} ⊙ σ'(z^l); then ∂C/∂b^l = δ^l and
    ∂C/∂W^l = δ^l (a^{l−1})ᵀ. (Nielsen derives these in his ch. 2; 陈强 eqs. (15.26)–(15.29).)
    """
    activation = np.asarray(x, dtype=np.float64)
    activations, zs = [activation], []
    for w, b in zip(network.weights, network.biases):
        z = w @ activation + b
        activation = sigmoid(z)
        zs.append(z)
        activations.append(activation)
    delta = (activations[-1] - y) * sigmoid_prime(zs[-1])
    grad_w = [None] * len(network.weights)
    grad_b = [None] * len(network.biases)
    for layer in range(len(network.weights) - 1, -1, -1):
        grad_b[layer] = delta
        grad_w[layer] = np.outer(delta, activations[layer])
        if layer > 0:
            delta = (network.weights[layer].T @ delta) * sigmoid_prime(zs[layer - 1])
    return grad_w, grad_b


def update_mini_batch(network: Network, X, Y, eta: float) -> None:
    """One step of eqs. (20)–(21) on the mini-batch X (m, n_in), Y (m, n_out), in place."""
    m = len(X)
    sum_w = [np.zeros_like(w) for w in network.weights]
    sum_b = [np.zeros_like(b) for b in network.biases]
    for x, y in zip(X, Y):
        grad_w, grad_b = backprop(network, x, y)
        for layer in range(len(sum_w)):
            sum_w[layer] += grad_w[layer]
            sum_b[layer] += grad_b[layer]
    for layer in range(len(sum_w)):
        network.weights[layer] -= (eta / m) * sum_w[layer]
        network.biases[layer] -= (eta / m) * sum_b[layer]


def _reference_epoch(network, X, Y, order, eta, batch_size):
    for start in range(0, len(order), batch_size):
        batch = order[start:start + batch_size]
        update_mini_batch(network, X[batch], Y[batch], eta)


def _numba_epoch(network, X, Y, order, eta, batch_size):
    from nnbook.training_kernel import sgd_epoch

    sgd_epoch(network.parameters, np.asarray(network.sizes, dtype=np.int64), X, Y, order,
              float(eta), int(batch_size))


def sgd(network: Network, X, labels, *, epochs: int, batch_size: int, eta: float, rng,
        test=None, kernel: str = "numba", progress: bool = True) -> list[dict]:
    """Train ``network`` in place by mini-batch SGD; return one record per epoch.

    X (n, n_in) in [0, 1]; labels (n,) integer classes (one-hot targets are built here).
    ``test`` = (X_test, labels_test) adds test accuracy to each record. ``rng`` (Generator or
    seed) shuffles the examples each epoch. Each record: ``epoch``, ``cost`` (eq. (6) on the
    training set), ``train_accuracy`` and, with ``test``, ``test_accuracy``. The progress bar
    goes to stdout (never stderr) and ``progress=False`` silences it.
    """
    if not isinstance(network, Network):
        raise TypeError(f"network: expected an nnbook Network, found {type(network).__name__}")
    if kernel not in KERNELS:
        raise ValueError(f"kernel: expected one of {KERNELS}, found {kernel!r}")
    X = np.ascontiguousarray(as_float_array(X, "X", ndim=2))
    if X.shape[1] != network.sizes[0]:
        raise ValueError(f"X: expected {network.sizes[0]} columns (the input layer), "
                         f"found shape {X.shape}")
    labels = np.asarray(labels)
    if labels.ndim != 1 or not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(f"labels: expected a 1-D integer array of classes, found shape "
                         f"{labels.shape} and dtype {labels.dtype}")
    check_matching_rows(X, labels, "X", "labels")
    n_out = network.sizes[-1]
    if labels.min() < 0 or labels.max() >= n_out:
        raise ValueError(f"labels: expected classes 0 … {n_out - 1} (one per output neuron), "
                         f"found values from {labels.min()} to {labels.max()}")
    check_positive(epochs, "epochs", integer=True)
    check_positive(batch_size, "batch_size", integer=True)
    check_positive(eta, "eta")
    Y = np.eye(n_out)[labels]
    rng = np.random.default_rng(rng)
    run_epoch = _numba_epoch if kernel == "numba" else _reference_epoch

    history = []
    bar = tqdm(range(1, epochs + 1), desc="epochs", unit="epoch", file=sys.stdout,
               disable=not progress, leave=True)
    for epoch in bar:
        order = rng.permutation(len(X))
        run_epoch(network, X, Y, order, eta, batch_size)
        record = {"epoch": epoch,
                  "cost": quadratic_cost(network.feedforward(X), Y),
                  "train_accuracy": network.accuracy(X, labels)}
        if test is not None:
            record["test_accuracy"] = network.accuracy(*test)
        history.append(record)
        bar.set_postfix({k: round(v, 4) for k, v in record.items() if k != "epoch"})
    bar.close()
    return history
