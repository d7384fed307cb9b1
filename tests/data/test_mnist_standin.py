"""nnbook.data.mnist_standin: the 8×8 digits drawn at 28×28 in MNIST's IDX format."""

from __future__ import annotations

import numpy as np
import pytest

from nnbook.data import load_digits, read_idx
from nnbook.data.mnist import MNIST_STEMS
from nnbook.data.mnist_standin import (CANVAS, DIGIT_BOX, MAX_SHIFT, bilinear_matrix,
                                       mnist_standin, upscale, write_mnist_standin)


def test_bilinear_matrix_interpolates_between_pixel_centres():
    matrix = bilinear_matrix(8, 20)
    assert matrix.shape == (20, 8)
    np.testing.assert_allclose(matrix.sum(axis=1), 1.0)
    np.testing.assert_allclose(matrix[:4, :2], [[1, 0], [0.9, 0.1], [0.5, 0.5], [0.1, 0.9]])
    ramp = np.arange(8.0)
    assert np.all(np.diff(matrix @ ramp) >= 0)                  # order kept, no overshoot
    np.testing.assert_allclose(bilinear_matrix(5, 5), np.eye(5))


def test_upscale_centres_a_20_pixel_box_on_a_28_pixel_canvas():
    images = upscale(np.ones((2, 8, 8)))
    assert images.shape == (2, CANVAS, CANVAS) and images.dtype == np.uint8
    margin = (CANVAS - DIGIT_BOX) // 2
    assert np.all(images[:, margin:-margin, margin:-margin] == 255)
    assert images.sum() == 2 * 255 * DIGIT_BOX ** 2
    dot = np.zeros((1, 8, 8))
    dot[0, 0, 0] = 1.0
    assert upscale(dot)[0, margin, margin] == 255 and upscale(dot)[0, margin + 2, margin] == 128


def test_counts_balance_and_reproducibility():
    (x_train, y_train), (x_test, y_test) = mnist_standin(n_train=1000, n_test=200, seed=3)
    assert x_train.shape == (1000, 28, 28) and x_test.shape == (200, 28, 28)
    assert y_train.dtype == np.uint8 and set(np.unique(y_train)) == set(range(10))
    assert np.bincount(y_train).min() > 70                      # about 100 of each digit
    again = mnist_standin(n_train=1000, n_test=200, seed=3)
    np.testing.assert_array_equal(again[0][0], x_train)
    assert not np.array_equal(mnist_standin(n_train=1000, n_test=200, seed=4)[0][0], x_train)
    assert np.all(x_train[:, :, :2] == 0) and np.all(x_train[:, :2, :] == 0)   # margin ≥ 2


def test_test_images_come_from_test_originals_only():
    seed = 5
    (x_train, _), (x_test, y_test) = mnist_standin(n_train=300, n_test=60, seed=seed)
    digits = load_digits(test_size=0.2, seed=seed)
    bases = {split: {image.tobytes() for image in upscale(X.reshape(-1, 8, 8))}
             for split, X in (("train", digits.X_train), ("test", digits.X_test))}

    def origin(image):
        for dy in range(-MAX_SHIFT, MAX_SHIFT + 1):
            for dx in range(-MAX_SHIFT, MAX_SHIFT + 1):
                key = np.roll(image, (dy, dx), axis=(0, 1)).tobytes()
                for split in ("test", "train"):
                    if key in bases[split]:
                        return split
        return None

    assert {origin(image) for image in x_test} == {"test"}
    assert {origin(image) for image in x_train[:60]} == {"train"}


def test_write_mnist_standin_writes_the_four_idx_files(tmp_path):
    directory = write_mnist_standin(tmp_path / "mnist", n_train=40, n_test=10, seed=1)
    arrays = [read_idx(directory / stem) for stem in MNIST_STEMS]
    assert [a.shape for a in arrays] == [(40, 28, 28), (40,), (10, 28, 28), (10,)]
    (x_train, y_train), _ = mnist_standin(n_train=40, n_test=10, seed=1)
    np.testing.assert_array_equal(arrays[0], x_train)
    np.testing.assert_array_equal(arrays[1], y_train)
    zipped = write_mnist_standin(tmp_path / "gz", n_train=40, n_test=10, seed=1, gzip=True)
    np.testing.assert_array_equal(read_idx(zipped / (MNIST_STEMS[0] + ".gz")), x_train)


@pytest.mark.parametrize("kwargs", [{"n_train": 0}, {"n_test": -1}, {"seed": -1},
                                    {"n_train": 2.5}, {"seed": True}])
def test_bad_arguments(kwargs):
    with pytest.raises(ValueError, match=next(iter(kwargs))):
        mnist_standin(**kwargs)
