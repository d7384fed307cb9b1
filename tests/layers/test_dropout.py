"""nnbook.layers.dropout: inverted dropout (陈强 §15.9, figure 15.14)."""

import numpy as np
import pytest

from nnbook.analysis.gradcheck import check_layer
from nnbook.layers import Dropout


def test_dropout_is_identity_at_inference_and_inverted_in_training():
    x = np.full((200, 50), 3.0)
    layer = Dropout(0.5, rng=np.random.default_rng(7))
    assert np.array_equal(layer.forward(x, training=False), x)
    y = layer.forward(x, training=True)
    kept = y != 0
    assert set(np.unique(y)) == {0.0, 6.0}                      # kept units scaled by 1/(1 − p)
    assert abs(kept.mean() - 0.5) < 0.02                         # 10,000 Bernoulli(0.5) draws
    assert abs(y.mean() - 3.0) < 0.12                            # expectation preserved
    assert np.array_equal(layer.mask, kept.astype(float))


def test_dropout_mask_comes_from_the_explicit_rng():
    x = np.ones((5, 8))
    a = Dropout(0.5, rng=np.random.default_rng(11)).forward(x, training=True)
    b = Dropout(0.5, rng=np.random.default_rng(11)).forward(x, training=True)
    c = Dropout(0.5, rng=np.random.default_rng(12)).forward(x, training=True)
    assert np.array_equal(a, b) and not np.array_equal(a, c)
    expected = (np.random.default_rng(11).random((5, 8)) >= 0.5) * 2.0
    assert np.array_equal(a, expected)


def test_dropout_gradient_check_with_a_fixed_mask():
    rng = np.random.default_rng(8)
    layer = Dropout(0.5)
    mask = (rng.random((4, 6)) >= 0.5).astype(float)
    layer.fix_mask(mask)
    x = rng.standard_normal((4, 6))
    assert check_layer(layer, x, rng, training=True) < 1e-7
    np.testing.assert_allclose(layer.backward(np.ones((4, 6))), 2.0 * mask)


def test_dropout_rejects_bad_rates():
    for rate in (-0.1, 1.0, "half", True):
        with pytest.raises(ValueError):
            Dropout(rate)
