"""Exercise X3's construction, checked over every corner of the premise box."""

import numpy as np

from nnbook.book.demos.nielsen_1 import (bits_needed, bitwise_output_layer, corner_activations, decode_fraction, digit_bits)


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
    assert decode_fraction(*bitwise_output_layer()) == 1.0
    w, b = bitwise_output_layer()
    assert decode_fraction(w, b, msb_first=True) < 1.0
    # without negative weights or a bias, a 0-bit neuron sits at σ(≥ 0) ≥ 0.5 and reads as 1
    assert decode_fraction(digit_bits(), np.zeros(4)) < 1.0
