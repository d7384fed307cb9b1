"""nnbook.data.sequences: the offline sequence tasks are what they say, reproducible from the rng,
and ready for Sequential.fit."""

import numpy as np
import pytest

from nnbook.data.sequences import noisy_sine, remember_first


def test_noisy_sine_windows_and_next_values():
    X, y = noisy_sine(50, 12, np.random.default_rng(0), noise=0.0, period=(8.0, 8.0))
    assert X.shape == (50, 12, 1) and y.shape == (50, 1)
    assert X.dtype == y.dtype == np.float64
    # a period of 8 steps: x_{t+8} = x_t, so the target (t = 12) equals the input at t = 4
    np.testing.assert_allclose(y[:, 0], X[:, 4, 0], atol=1e-12)
    # and every window obeys sin's recurrence x_{t+1} + x_{t−1} = 2 cos(2π/8) x_t
    np.testing.assert_allclose(X[:, 2:, 0] + X[:, :-2, 0], 2 * np.cos(np.pi / 4) * X[:, 1:-1, 0],
                               atol=1e-12)


def test_noisy_sine_noise_and_reproducibility():
    clean, y_clean = noisy_sine(400, 20, np.random.default_rng(1), noise=0.0)
    noisy, y_noisy = noisy_sine(400, 20, np.random.default_rng(1), noise=0.2)
    again, _ = noisy_sine(400, 20, np.random.default_rng(1), noise=0.2)
    np.testing.assert_array_equal(noisy, again)
    np.testing.assert_array_equal(y_clean, y_noisy)              # targets stay noiseless
    assert np.std(noisy - clean) == pytest.approx(0.2, rel=0.05)
    assert np.abs(clean).max() <= 1.0


def test_remember_first_labels_are_the_first_symbol():
    X, y = remember_first(300, 25, np.random.default_rng(2), n_classes=3)
    assert X.shape == (300, 25, 4) and y.shape == (300, 3)
    np.testing.assert_array_equal(X[:, :, :3].sum(axis=2), 1.0)         # one symbol per step
    np.testing.assert_array_equal(X[:, 0, :3], y)                      # the label is step 0's
    np.testing.assert_array_equal(X[:, :, 3], np.eye(25)[0][None].repeat(300, 0))   # the marker
    # classes and distractors are balanced: chance is 1/3, and the last step tells nothing
    assert np.allclose(y.mean(axis=0), 1 / 3, atol=0.08)
    agreement = np.mean(np.argmax(X[:, -1, :3], axis=1) == np.argmax(y, axis=1))
    assert agreement == pytest.approx(1 / 3, abs=0.08)


def test_remember_first_noise_leaves_the_first_step_and_the_marker_clean():
    clean, y = remember_first(200, 30, np.random.default_rng(4))
    noisy, y_noisy = remember_first(200, 30, np.random.default_rng(4), noise=0.5)
    np.testing.assert_array_equal(y, y_noisy)
    np.testing.assert_array_equal(noisy[:, 0], clean[:, 0])
    np.testing.assert_array_equal(noisy[:, :, -1], clean[:, :, -1])
    assert np.std(noisy[:, 1:, :2] - clean[:, 1:, :2]) == pytest.approx(0.5, rel=0.05)


def test_remember_first_without_marker():
    X, y = remember_first(10, 5, np.random.default_rng(3), marker=False)
    assert X.shape == (10, 5, 2) and y.shape == (10, 2)


@pytest.mark.parametrize("call, error, match", [
    (lambda r: noisy_sine(0, 5, r), ValueError, "n_sequences"),
    (lambda r: noisy_sine(5, 2.5, r), TypeError, "length"),
    (lambda r: noisy_sine(5, 5, r, noise=-1), ValueError, "noise"),
    (lambda r: noisy_sine(5, 5, r, period=(30, 10)), ValueError, "period"),
    (lambda r: noisy_sine(5, 5, r, period=3), TypeError, "period"),
    (lambda r: noisy_sine(5, 5, 42), TypeError, "rng"),
    (lambda r: remember_first(5, 0, r), ValueError, "length"),
    (lambda r: remember_first(5, 5, r, n_classes=1), ValueError, "n_classes"),
    (lambda r: remember_first(5, 5, r, marker=1), TypeError, "marker"),
    (lambda r: remember_first(5, 5, r, noise=-0.1), ValueError, "noise"),
    (lambda r: remember_first(5, 5, None), TypeError, "rng"),
])
def test_bad_arguments_are_refused(call, error, match):
    with pytest.raises(error, match=match):
        call(np.random.default_rng(0))
