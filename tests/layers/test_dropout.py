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


# ---------------------------------------------------------------- the direct scheme (Galeone ch. 2)
def test_direct_scheme_masks_in_training_and_scales_by_q_at_inference():
    x = np.full((400, 50), 3.0)
    layer = Dropout(0.25, rng=np.random.default_rng(5), scheme="direct")
    assert layer.keep_prob == 0.75
    np.testing.assert_allclose(layer.forward(x, training=False), 0.75 * x)
    np.testing.assert_allclose(layer.backward(np.ones_like(x)), 0.75)
    y = layer.forward(x, training=True)
    assert set(np.unique(y)) == {0.0, 3.0}                       # kept units are not rescaled
    np.testing.assert_array_equal(y, layer.mask * x)
    # mean over 20,000 units of the training output = the inference output 0.75·3, within
    # 5 standard deviations √(a² q (1 − q) / n)
    assert abs(y.mean() - 2.25) < 5 * np.sqrt(9 * 0.75 * 0.25 / y.size)


def test_inverted_scheme_is_the_default_and_matches_the_old_mask_draw():
    x = np.ones((5, 8))
    y = Dropout(0.3, rng=np.random.default_rng(11)).forward(x, training=True)
    expected = (np.random.default_rng(11).random((5, 8)) >= 0.3) / 0.7
    np.testing.assert_allclose(y, expected)


@pytest.mark.parametrize("scheme", ["inverted", "direct"])
@pytest.mark.parametrize("training", [True, False])
def test_gradient_check_in_both_schemes_with_a_fixed_mask(scheme, training):
    rng = np.random.default_rng(9)
    layer = Dropout(0.4, scheme=scheme)
    layer.fix_mask((rng.random((3, 5)) >= 0.4).astype(float))
    x = rng.standard_normal((3, 5))
    assert check_layer(layer, x, rng, training=training) < 1e-7


def test_unknown_scheme_is_refused():
    with pytest.raises(ValueError, match="scheme"):
        Dropout(0.5, scheme="reversed")
