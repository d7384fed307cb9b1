"""Numba twin of :func:`nnbook.train.minibatch_sgd.sgd_epoch_reference`: one compiled call per epoch.

Same arithmetic as the reference (Nielsen eqs. (20)–(21) with backpropagated gradients of the
quadratic cost), but the mini-batch is processed as matrices: the m examples' forward and
backward passes become matrix products, which Numba hands to BLAS. The parameters are the
network's flat vector, updated in place; ``sizes`` gives the layer layout.
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["sgd_epoch"]


@njit(cache=True)
def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


@njit(cache=True)
def sgd_epoch(parameters, sizes, X, Y, order, eta, batch_size):
    """Walk ``order`` in mini-batches of ``batch_size`` and apply Nielsen eqs. (20)–(21) to each.

    parameters (P,) float64, updated in place; sizes (L+1,) int64; X (n, n_in); Y (n, n_out)
    one-hot targets; order (n,) int64 permutation of the examples.
    """
    n_layers = sizes.size - 1
    w_offsets = np.empty(n_layers, dtype=np.int64)
    b_offsets = np.empty(n_layers, dtype=np.int64)
    offset = 0
    for layer in range(n_layers):
        w_offsets[layer] = offset
        offset += sizes[layer + 1] * sizes[layer]
        b_offsets[layer] = offset
        offset += sizes[layer + 1]

    n = order.size
    for start in range(0, n, batch_size):
        stop = min(start + batch_size, n)
        m = stop - start
        batch = order[start:stop]
        activations = [np.ascontiguousarray(X[batch])]
        sigma_primes = []
        for layer in range(n_layers):
            n_in, n_out = sizes[layer], sizes[layer + 1]
            w = parameters[w_offsets[layer]:w_offsets[layer] + n_out * n_in].reshape((n_out, n_in))
            b = parameters[b_offsets[layer]:b_offsets[layer] + n_out]
            z = np.dot(activations[layer], w.T) + b
            a = _sigmoid(z)
            activations.append(a)
            sigma_primes.append(a * (1.0 - a))

        delta = (activations[n_layers] - Y[batch]) * sigma_primes[n_layers - 1]
        step = eta / m
        for layer in range(n_layers - 1, -1, -1):
            n_in, n_out = sizes[layer], sizes[layer + 1]
            w = parameters[w_offsets[layer]:w_offsets[layer] + n_out * n_in].reshape((n_out, n_in))
            b = parameters[b_offsets[layer]:b_offsets[layer] + n_out]
            grad_w = np.dot(delta.T, activations[layer])
            grad_b = delta.sum(axis=0)
            if layer > 0:
                delta = np.dot(delta, w) * sigma_primes[layer - 1]
            w -= step * grad_w
            b -= step * grad_b
