"""nnbook.functional.dropout: the Bernoulli mask and the direct and inverted schemes
(Galeone ch. 2, §'How dropout works', §'Inverted dropout').

The Monte-Carlo oracle: for a fixed activation a and masks d ~ Bernoulli(q), the mean of the
training outputs over n masks must equal the inference output up to sampling noise, whose
standard deviation is √(Var/n) with Var = a² q (1 − q) (direct) or a² (1 − q)/q (inverted),
both from the Bernoulli variance q (1 − q). The tolerance is five of those standard deviations.
"""

import itertools

import numpy as np
import pytest

from nnbook.functional.dropout import (
    bernoulli_mask,
    dropout_direct,
    dropout_inverted,
    dropout_variance,
    thinned_network_count,
)

A = np.array([-2.0, -0.5, 0.0, 0.3, 1.0, 4.0])
N_MASKS = 40_000


@pytest.mark.parametrize("keep_prob", [0.5, 0.8])
@pytest.mark.parametrize("scheme, apply, bernoulli_var_factor", [
    ("direct", dropout_direct, lambda q: q * (1 - q)),
    ("inverted", dropout_inverted, lambda q: (1 - q) / q),
])
def test_mean_training_output_equals_the_inference_output(keep_prob, scheme, apply,
                                                          bernoulli_var_factor):
    rng = np.random.default_rng(20260)
    a = np.broadcast_to(A, (N_MASKS, A.size)).copy()
    masks = bernoulli_mask(a.shape, keep_prob, rng)
    train = apply(a, masks, keep_prob, training=True)
    test = apply(A, None, keep_prob, training=False)
    expected_test = keep_prob * A if scheme == "direct" else A
    np.testing.assert_array_equal(test, expected_test)
    variance = A ** 2 * bernoulli_var_factor(keep_prob)
    tolerance = 5 * np.sqrt(variance / N_MASKS) + 1e-12
    assert np.all(np.abs(train.mean(axis=0) - test) <= tolerance)
    # the variance formula, against the sample variance (its own noise is below 5 %)
    np.testing.assert_allclose(dropout_variance(A, keep_prob, scheme), variance)
    nonzero = A != 0
    np.testing.assert_allclose(train.var(axis=0)[nonzero], variance[nonzero], rtol=0.05)


def test_mask_frequency_and_which_probability_is_which():
    rng = np.random.default_rng(3)
    mask = bernoulli_mask((200, 500), 0.8, rng)              # keep 80 %, drop p = 20 %
    assert set(np.unique(mask)) == {0.0, 1.0}
    assert abs(mask.mean() - 0.8) < 5 * np.sqrt(0.8 * 0.2 / mask.size)
    with pytest.raises(ValueError, match="KEEP probability"):
        bernoulli_mask((3,), 0.0, rng)                        # q = 0 drops everything
    with pytest.raises(ValueError, match="KEEP probability"):
        bernoulli_mask((3,), 1.5, rng)
    with pytest.raises(TypeError, match="Generator"):
        bernoulli_mask((3,), 0.5, 7)


def test_hand_values_of_both_schemes():
    a = np.array([[1.0, 2.0, 3.0, 4.0]])
    d = np.array([[1.0, 0.0, 1.0, 0.0]])
    np.testing.assert_array_equal(dropout_direct(a, d, 0.5), [[1.0, 0.0, 3.0, 0.0]])
    np.testing.assert_array_equal(dropout_inverted(a, d, 0.5), [[2.0, 0.0, 6.0, 0.0]])
    np.testing.assert_array_equal(dropout_direct(a, None, 0.5, training=False), [[0.5, 1, 1.5, 2]])
    np.testing.assert_array_equal(dropout_inverted(a, None, 0.5, training=False), a)
    # the schemes differ by the constant 1/q in both modes
    np.testing.assert_allclose(dropout_inverted(a, d, 0.25), dropout_direct(a, d, 0.25) / 0.25)


def test_functions_are_pure():
    a = np.array([1.0, -2.0, 3.0])
    d = np.array([1.0, 0.0, 1.0])
    a0, d0 = a.copy(), d.copy()
    out = dropout_inverted(a, d, 0.5)
    out[...] = 99.0
    test_out = dropout_inverted(a, None, 0.5, training=False)
    test_out[...] = 99.0
    np.testing.assert_array_equal(a, a0)
    np.testing.assert_array_equal(d, d0)


def test_bad_masks_and_modes_are_refused():
    a = np.ones((2, 3))
    with pytest.raises(ValueError, match="mask"):
        dropout_direct(a, None, 0.5, training=True)
    with pytest.raises(ValueError, match="shape"):
        dropout_inverted(a, np.ones((3, 2)), 0.5)
    with pytest.raises(ValueError, match="0 .dropped. or 1"):
        dropout_inverted(a, np.full((2, 3), 0.5), 0.5)
    with pytest.raises(ValueError, match="finite"):
        dropout_direct(np.array([np.nan]), np.ones(1), 0.5)
    with pytest.raises(TypeError, match="training"):
        dropout_direct(a, np.ones((2, 3)), 0.5, training="yes")
    with pytest.raises(ValueError, match="scheme"):
        dropout_variance(a, 0.5, "reverse")


def test_thinned_networks_are_two_to_the_n():
    assert thinned_network_count(3) == 8
    assert thinned_network_count(0) == 1
    assert thinned_network_count(100) == 1 << 100
    masks = bernoulli_mask((2000, 3), 0.5, np.random.default_rng(1))
    seen = {tuple(row) for row in masks.astype(int)}
    assert seen == set(itertools.product((0, 1), repeat=3))
    with pytest.raises(ValueError):
        thinned_network_count(-1)


def test_a_fractional_mask_shape_is_refused_not_truncated():
    rng = np.random.default_rng(0)
    with pytest.raises(TypeError, match="shape: expected a tuple of ints"):
        bernoulli_mask((2.5,), 0.5, rng)
    assert bernoulli_mask(4, 0.5, rng).shape == (4,)
    assert bernoulli_mask((np.int64(2), 3), 0.5, rng).shape == (2, 3)
