"""Stacked linear layers collapse into one, checked on random matrices and on nnbook layers."""

import numpy as np
import pytest

from nnbook.analysis.linear_collapse import collapse_dense_layers, collapse_linear_layers
from nnbook.layers import Dense
from nnbook.models.sequential import Sequential


@pytest.mark.parametrize("d,m,n", [(3, 2, 2), (5, 8, 1), (1, 1, 4)])
def test_the_collapsed_layer_gives_the_same_outputs(d, m, n):
    rng = np.random.default_rng(d * 100 + m * 10 + n)
    W1, b1 = rng.standard_normal((d, m)), rng.standard_normal(m)
    W2, b2 = rng.standard_normal((m, n)), rng.standard_normal(n)
    X = rng.standard_normal((7, d))
    W, b = collapse_linear_layers(W1, b1, W2, b2)
    assert W.shape == (d, n) and b.shape == (n,)
    np.testing.assert_allclose(X @ W + b, (X @ W1 + b1) @ W2 + b2, atol=1e-12)


def test_a_hand_example():
    # x ↦ 2x + 1 then ↦ 3x − 4 is x ↦ 6x − 1
    W, b = collapse_linear_layers([[2.0]], [1.0], [[3.0]], [-4.0])
    assert W.tolist() == [[6.0]] and b.tolist() == [-1.0]


def test_a_deep_linear_network_is_one_dense_layer():
    rng = np.random.default_rng(0)
    model = Sequential([Dense(6), Dense(5), Dense(3)], input_shape=(4,), rng=rng)
    merged = collapse_dense_layers(*model.layers)
    X = rng.standard_normal((10, 4))
    np.testing.assert_allclose(merged.forward(X), model.forward(X), atol=1e-12)
    assert merged.params["kernel"].value.shape == (4, 3)


def test_a_nonlinearity_between_the_layers_prevents_the_collapse():
    rng = np.random.default_rng(1)
    model = Sequential([Dense(6, activation="relu"), Dense(3)], input_shape=(4,), rng=rng)
    with pytest.raises(ValueError, match="only linear"):
        collapse_dense_layers(*model.layers)
    # and no single affine map fits it: least squares leaves a residual on random inputs
    X = rng.standard_normal((200, 4))
    Y = model.forward(X)
    design = np.column_stack([X, np.ones(len(X))])
    residual = Y - design @ np.linalg.lstsq(design, Y, rcond=None)[0]
    assert np.abs(residual).max() > 1e-3


def test_errors_say_what_was_expected():
    with pytest.raises(ValueError, match=r"W1 \(D, M\), W2 \(M, N\)"):
        collapse_linear_layers(np.ones((3, 2)), np.ones(2), np.ones((3, 2)), np.ones(2))
    with pytest.raises(ValueError, match="one bias per unit"):
        collapse_linear_layers(np.ones((3, 2)), np.ones(3), np.ones((2, 2)), np.ones(2))
    with pytest.raises(ValueError, match="build"):
        collapse_dense_layers(Dense(2))
    with pytest.raises(TypeError, match="Dense"):
        collapse_dense_layers("layer")
