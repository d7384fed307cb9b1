"""nnbook.kernels.minibatch_sgd: the Numba epoch kernel equals the per-example reference
(nnbook.train.minibatch_sgd, itself checked against oracles there) step by step, to 1e-10."""

from __future__ import annotations

import numpy as np
import pytest

from nnbook.kernels.minibatch_sgd import sgd_epoch
from nnbook.models.network import Network
from nnbook.train.minibatch_sgd import sgd_epoch_reference

ATOL = 1e-10


def _data(rng, n, sizes):
    X = rng.random((n, sizes[0]))
    labels = rng.integers(0, sizes[-1], n)
    return X, np.eye(sizes[-1])[labels]


def _train_both(sizes, n, epochs, batch_size, eta, seed):
    rng = np.random.default_rng(seed)
    X, Y = _data(rng, n, sizes)
    reference = Network(sizes, rng)
    initial = reference.parameters.copy()
    parameters = reference.parameters.copy()
    layout = np.asarray(sizes, dtype=np.int64)
    for _ in range(epochs):
        order = rng.permutation(n)
        sgd_epoch_reference(reference, X, Y, order, eta, batch_size)
        sgd_epoch(parameters, layout, X, Y, order, eta, batch_size)
    return initial, reference.parameters, parameters


# --- kernel == reference -------------------------------------------------------------------

@pytest.mark.parametrize(
    "sizes, n, batch_size",
    [
        ((64, 20, 10), 600, 10),      # the brief's case: 3 epochs, 180 steps
        ((64, 20, 10), 605, 10),      # last mini-batch has 5 examples
        ((64, 20, 10), 600, 7),       # 600 = 85·7 + 5: uneven last batch, odd batch size
        ((64, 24, 16, 10), 600, 10),  # four layers, three weight matrices
        ((64, 20, 10), 600, 1),       # pure per-example SGD
        ((64, 20, 10), 600, 600),     # one full-batch step per epoch
    ],
)
def test_kernel_matches_reference_after_many_steps(sizes, n, batch_size):
    initial, reference, kernel = _train_both(sizes, n, epochs=3, batch_size=batch_size,
                                             eta=3.0, seed=7)
    assert np.max(np.abs(reference - initial)) > 0.1  # training really moved the parameters
    np.testing.assert_allclose(kernel, reference, rtol=0, atol=ATOL)


def test_kernel_actually_trains():
    """Guard against a kernel and reference that agree because neither changes anything."""
    rng = np.random.default_rng(3)
    sizes = (64, 20, 10)
    X, Y = _data(rng, 600, sizes)
    net = Network(sizes, rng)
    before = net.parameters.copy()
    sgd_epoch(net.parameters, np.asarray(sizes, dtype=np.int64), X, Y,
              rng.permutation(600), 3.0, 10)
    assert np.all(np.isfinite(net.parameters))
    changed = np.abs(net.parameters - before) > 0
    assert changed.mean() > 0.5




# --- the reference step against independent oracles ------------------------------------------









