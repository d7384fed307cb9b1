"""nnbook.optim.adagrad: G ← G + g², θ ← θ − ηg/√(G + ε) with G₀ = 0.1 (Keras' form and defaults),
step by step against a hand-unrolled expectation; rare features get the larger steps."""

import math

import numpy as np
import pytest

from nnbook.layers import Param
from nnbook.optim import Adagrad, adagrad_step, get_optimizer


def hand_adagrad(w, grads, eta, g0=0.1, eps=1e-7):
    """The rule unrolled with Python floats, one scalar at a time."""
    acc, path = g0, []
    for g in grads:
        acc = acc + g * g
        w = w - eta * g / math.sqrt(acc + eps)
        path.append(w)
    return path


def test_steps_match_the_hand_unrolled_rule():
    grads, eta = [0.5, -2.0, 1.0, 0.0, 3.0], 0.1
    expected = hand_adagrad(1.0, grads, eta)
    assert expected[0] == pytest.approx(1.0 - 0.1 * 0.5 / math.sqrt(0.35 + 1e-7), abs=1e-15)
    p = Param(np.array([1.0]), "w")
    opt = Adagrad(learning_rate=eta)
    w, acc = np.array([1.0]), None
    for g, want in zip(grads, expected):
        p.grad[...] = g
        opt.step([p])
        w, acc = adagrad_step(w, np.array([g]), acc, learning_rate=eta)
        assert abs(p.value[0] - want) < 1e-12 and abs(w[0] - want) < 1e-12
    assert acc[0] == pytest.approx(0.1 + sum(g * g for g in grads), abs=1e-12)
    np.testing.assert_array_equal(opt.state[p]["accumulator"], acc)


def test_the_rare_feature_takes_the_larger_step():
    """A parameter whose gradient is non-zero at every step (frequent feature) against one whose
    gradient is non-zero once in ten steps (rare feature): on the step where both see the same
    gradient, the rare one moves further — the reverse of the source's sentence in
    §'Mini-batch Gradient Descent'."""
    p = Param(np.zeros(2), "w")
    opt = Adagrad(learning_rate=0.1)
    for step in range(10):
        p.grad[...] = [1.0, 1.0 if step == 9 else 0.0]
        before = p.value.copy()
        opt.step([p])
    frequent, rare = np.abs(p.value - before)
    assert rare > 2.5 * frequent                      # √(10.1)/√(1.1) ≈ 3.03


def test_keras_defaults_and_errors():
    opt = get_optimizer("adagrad")
    assert isinstance(opt, Adagrad)
    assert (opt.learning_rate, opt.initial_accumulator_value, opt.epsilon) == (0.001, 0.1, 1e-7)
    for kwargs in ({"initial_accumulator_value": -1.0}, {"epsilon": 0.0},
                   {"learning_rate": -0.1}):
        with pytest.raises(ValueError):
            Adagrad(**kwargs)
    with pytest.raises(ValueError, match="shape of value"):
        adagrad_step(np.zeros(2), np.zeros(3))


def test_pure_step_leaves_arguments_alone_and_float32_stays_float32():
    value, grad, acc = np.ones(3), np.full(3, 0.5), np.full(3, 2.0)
    adagrad_step(value, grad, acc)
    assert value.tolist() == [1.0] * 3 and acc.tolist() == [2.0] * 3
    new, new_acc = adagrad_step(np.ones(2, np.float32), np.ones(2, np.float32))
    assert new.dtype == new_acc.dtype == np.float32
