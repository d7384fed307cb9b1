"""nnbook.book.demos.nielsen_1: exercise X3's binary output layer (Nielsen §1.4), checked over
every corner of the premise box; the chapter's derivations and its digit network."""

import numpy as np
import pytest

from nnbook.book.demos.nielsen_1 import (
    bits_needed,
    corner_activations,
    decode_fraction,
    derivations,
    digit_bits,
    train_digit_network,
)


def test_corner_set():
    a, d = corner_activations()
    assert a.shape == (10240, 10) and np.bincount(d).tolist() == [1024] * 10
    assert np.all(a[np.arange(len(d)), d] >= 0.99)
    others = a.copy()
    others[np.arange(len(d)), d] = 0
    assert others.max() <= 0.01


def test_digit_bits_by_hand():
    assert digit_bits()[:, 6].tolist() == [0, 1, 1, 0]
    assert digit_bits()[:, 9].tolist() == [1, 0, 0, 1]
    assert bits_needed(10) == 4 and bits_needed(16) == 4 and bits_needed(17) == 5


def test_layer_decodes_every_corner_and_weak_layers_do_not():
    w, b = 10.0 * (2.0 * digit_bits() - 1.0), np.zeros(4)    # a layer that works, written here
    assert decode_fraction(w, b) == 1.0
    assert decode_fraction(w, b, msb_first=True) < 1.0
    # without negative weights or a bias, a 0-bit neuron sits at σ(≥ 0) ≥ 0.5 and reads as 1
    assert decode_fraction(digit_bits(), np.zeros(4)) < 1.0


@pytest.mark.parametrize("derivation", derivations(), ids=lambda d: d.title)
def test_every_chapter_1_derivation_verifies(derivation):
    assert derivation.verify()
    assert derivation.latex().startswith("\\begin{aligned}")


def test_the_digit_network_of_the_chapter_trains():
    """64-30-10, η = 3, mini-batch 10 on the offline digits: ≥ 93 % with the fixed seed."""
    net, history, digits = train_digit_network(epochs=30, seed=0)
    assert history.history["test_accuracy"][-1] >= 0.93
    assert net.accuracy(digits.X_test, digits.y_test) == history.history["test_accuracy"][-1]
