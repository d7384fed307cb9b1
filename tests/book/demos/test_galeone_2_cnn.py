"""nnbook.book.demos.galeone_2_cnn: LTI output = np.convolve(x, S(δ)), output sizes, Sobel on the
photo, the 1×1×D convolution and the whole-volume kernel, batch normalisation's statistics.
Oracles are numpy's convolve, the floor formula, explicit sums and matrix products written
here."""

import numpy as np
import pytest

from nnbook.book.demos import galeone_2_cnn as demos


def test_lti_systems_output_the_convolution_with_their_impulse_response():
    result = demos.lti_demo(np.random.default_rng(1))
    for name in ("moving average", "exponential smoother"):
        run = result[name]
        assert run["linear"] and run["time_invariant"]
        assert np.allclose(run["output"], run["by_convolution"], rtol=0, atol=1e-12), name
    assert not result["squarer"]["linear"] and result["squarer"]["time_invariant"]
    assert result["ramp gain"]["linear"] and not result["ramp gain"]["time_invariant"]
    for name in ("squarer", "ramp gain"):
        assert not np.allclose(result[name]["output"], result[name]["by_convolution"])


def test_output_sizes_by_the_floor_formula():
    sizes = demos.conv_output_sizes()
    assert sizes == {(5, 3, 1): (3, 3), (32, 5, 1): (28, 28), (7, 3, 2): (3, 3)}
    for (side, k, stride), (formula, _) in sizes.items():
        assert formula == (side - k) // stride + 1


def test_sobel_on_the_photo_by_an_explicit_sum():
    result = demos.sobel_demo()
    gray, gx, gy = result["gray"], result["gx"], result["gy"]
    assert result["edges"].shape == (gray.shape[0] - 2, gray.shape[1] - 2)
    kx = np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], dtype=float)
    for i, j in ((0, 0), (50, 120), (197, 257)):
        window = gray[i:i + 3, j:j + 3]
        assert gx[i, j] == pytest.approx(np.sum(window * kx), abs=1e-9)
        assert gy[i, j] == pytest.approx(np.sum(window * kx.T), abs=1e-9)
    assert np.allclose(result["edges"], np.sqrt(gx ** 2 + gy ** 2))
    assert result["edges"].max() > 100        # the photo has edges (0–255 grey levels)


def test_1x1_convolution_is_a_dense_layer_at_every_pixel():
    result = demos.conv1x1_demo(np.random.default_rng(2), depth=512, filters=64)
    for side, (conv, dense) in result["per_pixel"].items():
        assert conv.shape == (64, side, side)
        assert np.allclose(conv, dense, rtol=1e-12, atol=1e-9)
    assert result["params"] == 512 * 64 + 64
    assert result["conv_shape"] == (64, 1, 1)
    assert np.allclose(result["dense_on_volume"], result["volume_kernel_conv"], atol=1e-10)


def test_batch_normalisation_statistics():
    result = demos.batchnorm_statistics(np.random.default_rng(5), batch=64, features=4)
    assert np.allclose(result["mean"], 0.0, atol=1e-12)
    rng = np.random.default_rng(5)
    x = 5.0 + 3.0 * rng.normal(size=(64, 4))
    assert np.allclose(result["variance"], x.var(axis=0) / (x.var(axis=0) + 1e-3), rtol=1e-12)
    assert np.all(result["variance"] < 1) and np.all(result["variance"] > 0.999)
    assert np.allclose(result["first_alone"], result["first_in_batch"], rtol=0, atol=1e-12)
