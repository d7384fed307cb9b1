"""nnbook.data.separable: random separable data with a guaranteed margin."""

import numpy as np
import pytest

from nnbook.data.separable import make_separable


def test_make_separable_respects_its_margin():
    rng = np.random.default_rng(2)
    X, y, w, b = make_separable(200, 4, 0.1, rng)
    assert X.shape == (200, 4) and y.shape == (200,) and np.isclose(np.linalg.norm(w), 1.0)
    distances = X @ w + b
    assert np.all(np.abs(distances) >= 0.1) and np.array_equal(y, np.where(distances >= 0, 1, -1))
    assert np.all(np.abs(X) <= 1.0) and set(y.tolist()) == {-1, 1}


def test_an_impossible_margin_is_refused():
    with pytest.raises(ValueError, match="margin"):
        make_separable(10, 2, 0.7, np.random.default_rng(0))
