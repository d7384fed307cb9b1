"""nnbook.book.demos.dlnn_5_listings: the printed code of 《深度学习与神经网络》第5章 ported with its
bugs — each bug shown on an input where the book's version differs from nnbook's, and nnbook's
function checked against an independent oracle on the same input."""

import math
import warnings

import numpy as np
import pytest

from nnbook.book.demos import dlnn_5_listings as book
from nnbook.functional import activations as act
from nnbook.functional.losses import BinaryCrossEntropy

Z = np.array([-5.0, -0.5, 0.5, 5.0])   # away from the kinks at 0


@pytest.mark.parametrize("name", ["sigmoid", "sigmoid_prime", "ReLU", "ReLU_prime", "lReLU",
                                  "tanh", "tanh_prime"])
def test_the_correct_listings_agree_with_nnbook(name):
    assert np.allclose(getattr(book, name)(Z), book.CORRECT[name](Z), rtol=1e-12, atol=0)


def test_values_quoted_for_the_sigmoid_and_tanh_slopes():
    """Oracle values at z = −5, −0.5, 0, 0.5, 5 (the vanishing-gradient remark of §5.2.5)."""
    z = np.array([-5, -0.5, 0, 0.5, 5])
    assert np.allclose(book.sigmoid_prime(z), [0.00664806, 0.23500371, 0.25, 0.23500371,
                                               0.00664806], atol=5e-9)
    assert np.allclose(book.tanh_prime(z), [1.8158e-4, 0.78644773, 1, 0.78644773, 1.8158e-4],
                       atol=5e-8)


def test_lrelu_prime_truncates_the_leaky_slope_to_zero():
    ints = np.array([-5, -1, 1, 5])
    printed = book.lReLU_prime(ints)
    assert printed.dtype.kind == "i" and printed.tolist() == [0, 0, 1, 1]
    assert book.lReLU_prime(Z).tolist() == [0, 0, 1, 1]            # float input: the same bug
    fixed = book.CORRECT["lReLU_prime"](ints)
    assert fixed.tolist() == [0.01, 0.01, 1.0, 1.0]
    assert np.array_equal(fixed, np.where(ints >= 0, 1.0, 0.01))    # the one-line fix
    h = 1e-6                                                         # and it is the slope
    assert np.allclose(fixed, (book.lReLU(ints + h) - book.lReLU(ints - h)) / (2 * h))


def test_relu_prime_is_an_integer_one_at_zero_and_relu_gives_minus_zero():
    assert book.ReLU_prime(np.array([0.0])).tolist() == [1] and book.ReLU_prime(Z).dtype.kind == "i"
    assert act.relu_prime(np.array([0.0])).tolist() == [0.0]        # nnbook: left derivative
    assert math.copysign(1.0, book.ReLU(np.array([-2.0]))[0]) == -1.0
    assert math.copysign(1.0, act.relu(np.array([-2.0]))[0]) == 1.0


def test_softmax_overflows_and_normalises_a_batch_as_one_vector():
    with warnings.catch_warnings():
        warnings.simplefilter("error")                                # silenced, not printed
        overflowed = book.softmax([1000.0, 1001.0])
    assert np.isnan(overflowed).all()
    e = math.exp(-1.0)
    assert np.allclose(act.softmax(np.array([1000.0, 1001.0]), axis=0), [e / (1 + e), 1 / (1 + e)])
    batch = np.array([[1.0, 2.0, 3.0], [1.0, 1.0, 1.0]])
    assert not np.allclose(book.softmax(batch).sum(axis=1), 1.0)
    assert np.allclose(act.softmax(batch).sum(axis=1), 1.0)
    # one small vector: the listing is right (its e^{+x}), oracle values for [1, 2, 3]
    oracle = [0.09003057, 0.24472847, 0.66524096]
    assert np.allclose(book.softmax([1.0, 2.0, 3.0]), oracle, atol=5e-9)
    assert np.allclose(act.softmax(np.array([1.0, 2.0, 3.0]), axis=0), oracle, atol=5e-9)


def test_the_printed_softmax_formula_reverses_the_ranking():
    printed = book.softmax_as_printed([1.0, 2.0, 3.0])
    assert np.allclose(printed, [0.66524096, 0.24472847], atol=5e-9)   # C − 1 values
    assert printed.sum() < 1 and np.argmax(printed) == 0
    assert np.argmax(act.softmax(np.array([1.0, 2.0, 3.0]), axis=0)) == 2


def test_the_printed_cross_entropy_has_the_wrong_sign():
    y, p = np.array([1.0, 0.0, 1.0]), np.array([0.9, 0.2, 0.6])
    by_hand = -(math.log(0.9) + math.log(0.8) + math.log(0.6)) / 3
    assert math.isclose(BinaryCrossEntropy()(p, y), by_hand, rel_tol=1e-12)
    assert math.isclose(book.cross_entropy_as_printed(y, p), -by_hand, rel_tol=1e-12)
    # minimising the printed C favours wrong predictions: a worse p gives a *smaller* C
    worse = np.array([0.5, 0.5, 0.5])
    assert book.cross_entropy_as_printed(y, worse) < book.cross_entropy_as_printed(y, p)
    assert BinaryCrossEntropy()(worse, y) > BinaryCrossEntropy()(p, y)


def test_the_tf1_binary_crossentropy_port_is_element_wise_and_shifted():
    t, o = np.array([1.0, 0.0, 1.0]), np.array([0.9, 0.2, 0.6])
    losses = book.binary_crossentropy(t, o)
    assert losses.shape == (3,)
    assert np.allclose(losses, [-math.log(0.9 + 1e-7), -math.log(0.8 + 1e-7),
                                -math.log(0.6 + 1e-7)], rtol=1e-14)
    assert np.isclose(losses.mean(), BinaryCrossEntropy()(o, t), rtol=1e-6)
    perfect = book.binary_crossentropy(t, t)
    assert np.all(perfect < 0)                           # −ln(1 + ε) instead of 0
    assert BinaryCrossEntropy()(t, t) == pytest.approx(0.0, abs=1e-11)


def test_every_row_of_the_bug_table_shows_a_difference():
    rows = book.bug_table()
    assert {r["name"] for r in rows} >= {"lReLU_prime", "softmax", "(5-29)", "(5-30)",
                                         "binary_crossentropy"}
    for row in rows:
        b, c = np.asarray(row["book"], dtype=float), np.asarray(row["correct"], dtype=float)
        assert b.shape != c.shape or not np.allclose(b, c, equal_nan=False), row["name"]
        assert row["fault"]
