"""Fixtures shared by the whole suite."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

os.environ.setdefault("MPLBACKEND", "Agg")   # tests draw without a display

#: The repository root (the folder holding pyproject.toml).
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def rng() -> np.random.Generator:
    """A fresh, seeded generator per test (tests never share random state)."""
    return np.random.default_rng(20261130)


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def digits():
    """scikit-learn's 8×8 digits as nnbook's offline Dataset (loaded once per session)."""
    from nnbook.data import load_digits

    return load_digits()


@pytest.fixture(autouse=True)
def _close_figures():
    """Close every matplotlib figure a test opened, so none leaks into the next test."""
    yield
    import sys

    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")


@pytest.fixture
def mlp():
    """A factory of fully connected Sequential models.

    ``mlp((3, 4, 2), ("tanh", "softmax"), seed=0, **dense_kwargs)``: Dense layers of the given
    sizes and activations, built for inputs of ``sizes[0]`` features.
    """
    from nnbook.layers import Dense
    from nnbook.models.sequential import Sequential

    def make(sizes, activations, seed=0, **dense_kwargs):
        layers = [Dense(n, activation=a, **dense_kwargs) for n, a in zip(sizes[1:], activations)]
        return Sequential(layers, input_shape=(sizes[0],), rng=seed)

    return make
