"""nnbook.book.demos.galeone_2_cnn: LTI output = np.convolve(x, S(δ)), output sizes, Sobel on the
photo, the 1×1×D convolution and the whole-volume kernel, dropout's Monte-Carlo means, L2
weight decay, batch normalisation's statistics, the arrow flip and early stopping. Oracles are
numpy's convolve, the floor formula, explicit sums and matrix products written here."""

import numpy as np
import pytest

from nnbook.book.demos import galeone_2_cnn as demos
from nnbook.data.augmentation import arrow_image


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


def test_dropout_means_match_the_inference_output_in_both_schemes():
    result = demos.dropout_means(np.random.default_rng(3), keep_prob=0.8, trials=100_000)
    a = np.array([0.5, 1.0, 2.0, -1.5])
    assert np.allclose(result["direct"]["inference"], 0.8 * a)
    assert np.allclose(result["inverted"]["inference"], a)
    for scheme in ("direct", "inverted"):
        run = result[scheme]
        assert np.all(np.abs(run["train_mean"] - run["inference"]) < 5 * run["spread"]), scheme
    # the spread of the mean, by hand: √(a² q(1 − q)/n) and √(a² (1 − q)/(q n))
    assert np.allclose(result["direct"]["spread"], np.abs(a) * np.sqrt(0.16 / 100_000))
    assert np.allclose(result["inverted"]["spread"], np.abs(a) * np.sqrt(0.25 / 100_000))


def test_l2_weight_decay_shrinks_by_one_minus_two_eta_lambda():
    result = demos.weight_decay_step(np.random.default_rng(4), lam=0.05, learning_rate=0.1)
    assert result["factor"] == pytest.approx(1 - 2 * 0.1 * 0.05, abs=1e-15)
    assert np.allclose(result["after"], result["expected"], rtol=0, atol=1e-14)


def test_batch_normalisation_statistics():
    result = demos.batchnorm_statistics(np.random.default_rng(5), batch=64, features=4)
    assert np.allclose(result["mean"], 0.0, atol=1e-12)
    rng = np.random.default_rng(5)
    x = 5.0 + 3.0 * rng.normal(size=(64, 4))
    assert np.allclose(result["variance"], x.var(axis=0) / (x.var(axis=0) + 1e-3), rtol=1e-12)
    assert np.all(result["variance"] < 1) and np.all(result["variance"] > 0.999)
    assert np.allclose(result["first_alone"], result["first_in_batch"], rtol=0, atol=1e-12)


def test_a_left_right_flip_turns_the_right_arrow_into_the_left_one():
    result = demos.arrow_flip_check()
    assert np.array_equal(result["flipped"], arrow_image("left"))
    assert np.array_equal(result["flipped"], result["right"][:, ::-1])
    assert not np.array_equal(result["flipped"], result["right"])
    assert np.array_equal(result["up_down"], result["right"])   # symmetric about its axis


def test_early_stopping_stops_patience_epochs_after_the_best_validation_loss():
    runs = demos.early_stopping_run(epochs=30, patience=4)
    full, stopped = runs["full"], runs["stopped"]
    n = len(stopped.epoch)
    assert n < 30 and stopped.stopped_epoch == n
    assert np.allclose(stopped.history["val_loss"], full.history["val_loss"][:n], rtol=1e-12)
    val = np.array(full.history["val_loss"][:n])
    assert stopped.best_epoch == int(np.argmin(val)) + 1
    # every epoch after the best is worse; nnbook's EarlyStopping ends the run after
    # patience + 1 of them (Keras' after patience)
    assert np.all(val[stopped.best_epoch:] > val[stopped.best_epoch - 1])
    assert stopped.stopped_epoch == stopped.best_epoch + 4 + 1
    train = np.array(full.history["loss"])
    assert train[-1] < 0.1 * train[0] and min(full.history["val_loss"]) > 5 * train[-1]
