"""nnbook.keras.initializers: Keras' names and classes, with statistical checks of the ranges
the book states ('A first example of Keras code': random_uniform ±0.05, random_normal σ 0.05)."""

from __future__ import annotations

import numpy as np
import pytest

from nnbook.keras import initializers
from nnbook.layers import initializers as core

SHAPE = (400, 500)


@pytest.mark.parametrize("name", ["random_uniform", "uniform", "RandomUniform"])
def test_random_uniform_is_u_minus_005_to_005(name, rng):
    w = initializers.get(name)(SHAPE, rng)
    assert -0.05 <= w.min() and w.max() <= 0.05 and w.max() > 0.0499
    assert abs(w.mean()) < 0.001 and w.var() == pytest.approx(0.1 ** 2 / 12, rel=0.02)


@pytest.mark.parametrize("name", ["random_normal", "normal", "RandomNormal"])
def test_random_normal_has_sigma_005(name, rng):
    w = initializers.get(name)(SHAPE, rng)
    assert abs(w.mean()) < 0.001 and w.std() == pytest.approx(0.05, rel=0.02)
    assert np.mean(np.abs(w) < 0.05) == pytest.approx(0.6827, abs=0.01)     # one σ


@pytest.mark.parametrize("name, value", [("zero", 0), ("zeros", 0), ("Zeros", 0), ("one", 1),
                                         ("ones", 1), ("Ones", 1)])
def test_constant_names(name, value, rng):
    assert np.all(initializers.get(name)((3, 2), rng) == value)


def test_keras_and_chen_names_differ_on_purpose(rng):
    """nnbook's core keeps "normal" for 陈强's N(0, 1); Keras' "normal" is σ = 0.05."""
    assert core.get_initializer("normal")(SHAPE, rng).std() == pytest.approx(1.0, rel=0.02)
    assert initializers.get("normal")(SHAPE, rng).std() == pytest.approx(0.05, rel=0.02)


def test_classes_take_keras_arguments_and_seed(rng):
    w = initializers.RandomUniform(minval=0.0, maxval=2.0)(SHAPE, rng)
    assert 0 <= w.min() and w.max() <= 2 and w.mean() == pytest.approx(1.0, abs=0.01)
    w = initializers.RandomNormal(mean=1.0, stddev=0.5)(SHAPE, rng)
    assert w.mean() == pytest.approx(1.0, abs=0.01) and w.std() == pytest.approx(0.5, rel=0.02)
    seeded = initializers.RandomNormal(seed=3)
    np.testing.assert_array_equal(seeded((2, 2), rng), seeded((2, 2), rng))
    assert np.all(initializers.Constant(0.5)((2,), rng) == 0.5)
    limit = np.sqrt(6 / 900)
    assert np.abs(initializers.GlorotUniform()(SHAPE, rng)).max() <= limit


def test_errors():
    with pytest.raises(ValueError, match="Keras names"):
        initializers.get("lecun_normal")
    with pytest.raises(ValueError, match="minval < maxval"):
        initializers.RandomUniform(0.1, -0.1)
    with pytest.raises(ValueError, match="stddev > 0"):
        initializers.RandomNormal(stddev=0)
    with pytest.raises(TypeError, match="seed"):
        initializers.RandomNormal(seed=0.5)
    fn = core.zeros
    assert initializers.get(fn) is fn
