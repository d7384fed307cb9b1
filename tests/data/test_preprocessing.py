"""Normalisation and standardisation fitted on the training set (陈强 §15.8, F52)."""

import numpy as np
import pytest

from nnbook.data.preprocessing import (
    MinMaxScaler,
    Standardizer,
    min_max_scale,
    scale_pixels,
    standardize,
    unscale_pixels,
)


def test_min_max_uses_training_min_and_max_on_test():
    train = np.array([[0.0, 10.0], [10.0, 20.0], [5.0, 30.0]])
    test = np.array([[5.0, 0.0], [20.0, 25.0]])
    scaled_train, scaled_test = min_max_scale(train, test)
    np.testing.assert_allclose(scaled_train, [[0, 0], [1, 0.5], [0.5, 1]])
    np.testing.assert_allclose(scaled_test, [[0.5, -0.5], [2.0, 0.75]])   # may leave [0, 1]


def test_standardize_by_hand():
    train = np.array([[1.0], [3.0]])                             # mean 2, s.d. 1 (divide by n)
    z_train, z_test = standardize(train, np.array([[4.0]]))
    np.testing.assert_allclose(z_train, [[-1.0], [1.0]])
    np.testing.assert_allclose(z_test, [[2.0]])
    np.testing.assert_allclose(standardize(train, ddof=1), [[-1 / np.sqrt(2)], [1 / np.sqrt(2)]])


def test_round_trip_constant_columns_and_vectors():
    rng = np.random.default_rng(0)
    X = np.column_stack([rng.normal(5, 3, 20), np.full(20, 7.0)])
    for scaler in (MinMaxScaler().fit(X), Standardizer().fit(X)):
        Z = scaler.transform(X)
        assert np.all(np.isfinite(Z)) and np.all(Z[:, 1] == 0)
        np.testing.assert_allclose(scaler.inverse_transform(Z), X)
    z = Standardizer().fit(X[:, 0]).transform(X[:, 0])          # a response vector y (n,)
    assert abs(z.mean()) < 1e-12 and abs(z.std() - 1) < 1e-12


def test_errors():
    with pytest.raises(RuntimeError, match="fit"):
        MinMaxScaler().transform(np.ones((2, 2)))
    with pytest.raises(ValueError, match=r"shape \(2,\)"):
        MinMaxScaler().fit(np.ones((3, 2))).transform(np.ones((3, 3)))
    with pytest.raises(ValueError, match="finite"):
        standardize(np.array([[1.0], [np.nan]]))
    with pytest.raises(ValueError):
        Standardizer(ddof=2)


def test_pixel_scaling_to_the_tanh_range_by_hand():
    # x/127.5 − 1: the end points and the midpoint of [0, 255]
    np.testing.assert_allclose(scale_pixels([0, 127.5, 255]), [-1.0, 0.0, 1.0])
    pixels = np.arange(256, dtype=np.uint8).reshape(16, 16)
    np.testing.assert_allclose(scale_pixels(pixels), pixels / 127.5 - 1)
    np.testing.assert_allclose(scale_pixels([0, 51, 255], low=0.0, high=1.0), [0.0, 0.2, 1.0])
    np.testing.assert_allclose(unscale_pixels([-1.0, 0.0, 1.0]), [0.0, 127.5, 255.0])


def test_pixel_scaling_round_trips():
    pixels = np.random.default_rng(1).integers(0, 256, size=(2, 3, 5, 5)).astype(np.uint8)
    for low, high in ((-1.0, 1.0), (0.0, 1.0), (-0.5, 2.0)):
        scaled = scale_pixels(pixels, low, high)
        assert scaled.min() >= low and scaled.max() <= high
        np.testing.assert_allclose(unscale_pixels(scaled, low, high), pixels, atol=1e-12)


def test_pixel_scaling_errors():
    with pytest.raises(ValueError, match="low < high"):
        scale_pixels([1, 2], low=1.0, high=-1.0)
    with pytest.raises(TypeError, match="finite number"):
        unscale_pixels([0.5], low="0")
    with pytest.raises(ValueError, match="finite"):
        scale_pixels([np.nan])
