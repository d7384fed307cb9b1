"""nnbook.keras.datasets.mnist.load_data: Keras' arrays, read from disk, never downloaded."""

from __future__ import annotations

import numpy as np
import pytest

from nnbook.data import write_idx
from nnbook.data.mnist import MNIST_STEMS
from nnbook.data.mnist_standin import write_mnist_standin
from nnbook.keras.datasets import mnist


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """A tiny MNIST-format folder (30 training and 10 test images)."""
    return write_mnist_standin(tmp_path_factory.mktemp("small") / "mnist", n_train=30, n_test=10)


def test_reads_the_cache_under_nnbook_data_dir(small, monkeypatch):
    monkeypatch.setenv("NNBOOK_DATA_DIR", str(small.parent))
    (x_train, y_train), (x_test, y_test) = mnist.load_data()
    assert x_train.shape == (30, 28, 28) and x_test.shape == (10, 28, 28)
    assert y_train.shape == (30,) and y_test.shape == (10,)
    assert {a.dtype for a in (x_train, y_train, x_test, y_test)} == {np.dtype(np.uint8)}


def test_the_full_stand_in_has_mnists_shapes(data_dir):
    (x_train, y_train), (x_test, y_test) = mnist.load_data()
    assert (x_train.shape, y_train.shape) == ((60_000, 28, 28), (60_000,))
    assert (x_test.shape, y_test.shape) == ((10_000, 28, 28), (10_000,))


def test_path_may_be_a_folder_gzip_files_or_a_keras_npz(small, tmp_path):
    (x_train, y_train), (x_test, y_test) = mnist.load_data(path=small)
    zipped = write_mnist_standin(tmp_path / "zipped", n_train=30, n_test=10, gzip=True)
    np.testing.assert_array_equal(mnist.load_data(path=zipped)[0][0], x_train)
    np.savez(tmp_path / "mnist.npz", x_train=x_train, y_train=y_train, x_test=x_test,
             y_test=y_test)
    (a, b), (c, d) = mnist.load_data(path=tmp_path / "mnist.npz")
    for got, want in ((a, x_train), (b, y_train), (c, x_test), (d, y_test)):
        np.testing.assert_array_equal(got, want)


def test_missing_data_says_how_to_get_it(tmp_path, monkeypatch):
    monkeypatch.setenv("NNBOOK_DATA_DIR", str(tmp_path))
    with pytest.raises(FileNotFoundError) as error:
        mnist.load_data()
    message = str(error.value)
    assert str(tmp_path / "mnist") in message and "nnbook data download-mnist" in message
    assert "path=" in message and "write_mnist_standin" in message
    with pytest.raises(FileNotFoundError, match="not a folder holding MNIST-format files"):
        mnist.load_data(path=tmp_path / "elsewhere")


def test_malformed_files_are_named(small, tmp_path):
    for stem in MNIST_STEMS:
        (tmp_path / stem).write_bytes((small / stem).read_bytes())
    write_idx(tmp_path / MNIST_STEMS[1], np.zeros(29, dtype=np.uint8))
    with pytest.raises(ValueError, match="train has 30 images but 29 labels"):
        mnist.load_data(path=tmp_path)
    write_idx(tmp_path / MNIST_STEMS[0], np.zeros((30, 784), dtype=np.uint8))
    with pytest.raises(ValueError, match=r"uint8 images of shape \(n, rows, cols\)"):
        mnist.load_data(path=tmp_path)
    np.savez(tmp_path / "bad.npz", x_train=np.zeros(1))
    with pytest.raises(ValueError, match="missing"):
        mnist.load_data(path=tmp_path / "bad.npz")
