"""Fixtures of the Keras-face tests: the MNIST-format stand-in, written once per session."""

from __future__ import annotations

import numpy as np
import pytest


@pytest.fixture(scope="session")
def standin_root(tmp_path_factory):
    """A folder whose ``mnist/`` holds the 60,000 / 10,000-image stand-in (what
    ``$NNBOOK_DATA_DIR`` points at for ``load_data()``)."""
    from nnbook.data.mnist_standin import write_mnist_standin

    root = tmp_path_factory.mktemp("nnbook-data")
    write_mnist_standin(root / "mnist")
    return root


@pytest.fixture
def data_dir(standin_root, monkeypatch):
    """``$NNBOOK_DATA_DIR`` set to the stand-in for this test only."""
    monkeypatch.setenv("NNBOOK_DATA_DIR", str(standin_root))
    return standin_root


@pytest.fixture
def global_numpy_seed():
    """Restore numpy's global generator after a test that seeds it (as the book's listings do)."""
    state = np.random.get_state()
    yield
    np.random.set_state(state)
