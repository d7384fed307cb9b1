"""Mini-batch SGD for chapter 1's sigmoid network, written the readable way (Nielsen §1.5).

For each mini-batch X_1 … X_m compute ∇C_{X_j} for every example by backpropagation, average,
and move every weight and bias by Nielsen's eqs. (20)–(21):

    w → w − (η/m) Σ_j ∂C_{X_j}/∂w,      b → b − (η/m) Σ_j ∂C_{X_j}/∂b.

An epoch (迭代期) shuffles the training set and walks through it in mini-batches — the
bookkeeping the source file cuts off after eq. (21). These are the *reference* loops: its Numba
twin :func:`nnbook.kernels.minibatch_sgd.sgd_epoch` does the same arithmetic with the mini-batch
as matrices, and :meth:`nnbook.models.network.Network.sgd` runs either (tests assert that both,
and the Dense layers, take the same steps).
"""

from __future__ import annotations

import numpy as np

from nnbook.functional.activations import sigmoid, sigmoid_prime
from nnbook.train.batches import minibatches
from nnbook.validation import as_float_array, check_matching_rows, check_positive


def backprop(network, x, y):
    """Gradient of C_x = ‖y − a‖²/2 for one example x (n_in,), target y (n_out,).

    Returns (grad_w, grad_b): lists shaped like ``network.weights`` and ``network.biases``.
    The forward pass keeps every z and a; the output error is δ^L = (a^L − y) ⊙ σ'(z^L), and
    each earlier layer gets δ^l = (w^{l+1})ᵀ δ^{l+1} ⊙ σ'(z^l); then ∂C/∂b^l = δ^l and
    ∂C/∂w^l = δ^l (a^{l−1})ᵀ. (Nielsen derives these in the chapter after the one this file
    holds; 陈强 writes them as (15.26)–(15.29), see chapter 2.)
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


def check_batch(network, X, Y):
    """X (m, n_in) and Y (m, n_out) for ``network``, as float arrays, or a clear ValueError."""
    X = as_float_array(X, "X (mini-batch inputs)", ndim=2)
    Y = as_float_array(Y, "Y (desired outputs)", ndim=2)
    n_in, n_out = network.sizes[0], network.sizes[-1]
    if X.shape[1] != n_in:
        raise ValueError(f"X: expected {n_in} inputs per example (the input layer), found shape "
                         f"{X.shape}")
    if Y.shape[1] != n_out:
        raise ValueError(f"Y: expected {n_out} desired outputs per example (the output layer, "
                         f"one-hot for classes), found shape {Y.shape}")
    check_matching_rows(X, Y, "X", "Y")
    if len(X) == 0:
        raise ValueError("X: expected a mini-batch of at least one example, found none")
    return X, Y


def update_mini_batch(network, X, Y, eta: float) -> None:
    """One step of Nielsen eqs. (20)–(21) on the mini-batch X (m, n_in), Y (m, n_out), in place."""
    X, Y = check_batch(network, X, Y)
    check_positive(eta, "eta")
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


def sgd_epoch_reference(network, X, Y, order, eta: float, batch_size: int) -> None:
    """One epoch: walk ``order`` (a permutation of the rows) in mini-batches of ``batch_size``."""
    for batch in minibatches(order, batch_size):
        update_mini_batch(network, X[batch], Y[batch], eta)
