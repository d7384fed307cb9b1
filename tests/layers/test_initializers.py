"""nnbook.layers.initializers: 陈强's N(0, 1) and U[−0.7, 0.7] (§15.7), Glorot, constants."""

import numpy as np
import pytest

from nnbook.layers import Dense
from nnbook.layers.initializers import (
    constant,
    get_initializer,
    glorot_uniform,
    normal,
    uniform,
)


def test_initialisers_follow_the_source():
    """200,000 draws pin mean and variance to ~0.005."""
    rng = np.random.default_rng(9)
    w = normal((400, 500), rng)
    assert abs(w.mean()) < 0.01 and abs(w.var() - 1.0) < 0.01
    u = uniform((400, 500), rng)
    assert u.min() >= -0.7 and u.max() <= 0.7 and u.max() > 0.69 and u.min() < -0.69
    assert abs(u.var() - 1.4 ** 2 / 12) < 0.005                 # Var U[a, b] = (b − a)²/12
    g = glorot_uniform((30, 70), rng)
    assert np.abs(g).max() <= np.sqrt(6 / 100)
    assert np.array_equal(constant(2.5)((2, 2)), np.full((2, 2), 2.5))


def test_a_dense_layer_starts_from_its_initializers():
    layer = Dense(5, kernel_initializer="uniform")
    layer.build((3,), np.random.default_rng(0))
    assert np.all(np.abs(layer.params["kernel"].value) <= 0.7)
    assert np.all(layer.params["bias"].value == 0)
    with pytest.raises(ValueError, match="glorot_uniform"):
        get_initializer("he")


def test_keras_initializers_by_name():
    """Gulli & Pal ch. 1: random_uniform is U[−0.05, 0.05], random_normal N(0, 0.05²), zero(s) 0."""
    rng = np.random.default_rng(3)
    u = get_initializer("random_uniform")((400, 500), rng)
    assert np.abs(u).max() <= 0.05 and np.abs(u).max() > 0.0499
    assert abs(u.var() - 0.1 ** 2 / 12) < 2e-5
    n = get_initializer("random_normal")((400, 500), rng)
    assert abs(n.mean()) < 5e-4 and abs(n.std() - 0.05) < 5e-4
    assert not get_initializer("zero")((2, 3), rng).any()
    assert get_initializer("zeros") is get_initializer("zero")


def test_orthogonal_gives_orthonormal_rows_or_columns():
    """Saxe et al. (2014): QᵀQ = I for tall shapes, QQᵀ = I for wide ones (an LSTM's (H, 4H))."""
    rng = np.random.default_rng(5)
    tall = get_initializer("orthogonal")((12, 5), rng)
    assert np.allclose(tall.T @ tall, np.eye(5), atol=1e-12)
    wide = get_initializer("orthogonal")((4, 16), rng)
    assert np.allclose(wide @ wide.T, np.eye(4), atol=1e-12)
    square = get_initializer("orthogonal")((6, 6), rng)
    assert np.allclose(np.linalg.svd(square, compute_uv=False), 1.0, atol=1e-12)
    assert not np.allclose(square, get_initializer("orthogonal")((6, 6), rng))  # a fresh draw
    with pytest.raises(ValueError, match="at least 2 axes"):
        get_initializer("orthogonal")((5,), rng)
