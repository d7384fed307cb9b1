"""Fixtures of the experiment tests: no real MNIST in sight, and small MNIST-format files."""

from __future__ import annotations

import numpy as np
import pytest

from nnbook.data import MNIST_STEMS, write_idx


@pytest.fixture
def empty_cache(tmp_path, monkeypatch):
    """nnbook's cache pointed at an empty folder: no MNIST there (whatever this machine has)."""
    root = tmp_path / "cache"
    root.mkdir()
    monkeypatch.setenv("NNBOOK_DATA_DIR", str(root))
    return root


def write_mnist_format(directory, y_train, y_test, *, side: int = 2, seed: int = 0):
    """Write the four MNIST IDX files with these labels and random side×side uint8 images."""
    rng = np.random.default_rng(seed)
    directory.mkdir(parents=True, exist_ok=True)
    y_train, y_test = np.asarray(y_train, np.uint8), np.asarray(y_test, np.uint8)
    images = [rng.integers(0, 256, (len(y), side, side), dtype=np.uint8) for y in (y_train, y_test)]
    for stem, array in zip(MNIST_STEMS, (images[0], y_train, images[1], y_test)):
        write_idx(directory / stem, array)
    return directory


@pytest.fixture
def mnist_format():
    return write_mnist_format
