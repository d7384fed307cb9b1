"""Fixtures of the data tests: small MNIST-format files written by the tests themselves."""

import numpy as np
import pytest

from nnbook.data import MNIST_STEMS, write_idx


@pytest.fixture
def write_small_mnist():
    """``write(directory, n_train=12, n_test=5, compress=True, seed=0)``: the four MNIST files
    with random pixels and labels in ``directory``; returns {stem: array written}."""

    def write(directory, n_train=12, n_test=5, compress=True, seed=0):
        rng = np.random.default_rng(seed)
        arrays = {
            MNIST_STEMS[0]: rng.integers(0, 256, size=(n_train, 28, 28)).astype(np.uint8),
            MNIST_STEMS[1]: rng.integers(0, 10, size=n_train).astype(np.uint8),
            MNIST_STEMS[2]: rng.integers(0, 256, size=(n_test, 28, 28)).astype(np.uint8),
            MNIST_STEMS[3]: rng.integers(0, 10, size=n_test).astype(np.uint8),
        }
        directory.mkdir(parents=True, exist_ok=True)
        for stem, array in arrays.items():
            write_idx(directory / (stem + (".gz" if compress else "")), array, gzip=compress)
        return arrays

    return write
