"""nnbook.optim.sgd: the step of 陈强 (15.31)–(15.32) / Nielsen eqs. (20)–(21), and momentum —
as a pure function and as an optimiser stepping Params."""

import numpy as np
import pytest

from nnbook.layers import Param
from nnbook.optim import SGD, ExponentialDecay, get_optimizer, sgd_step


def param(value, grad, name="w"):
    p = Param(np.array(value, dtype=float), name)
    p.grad[...] = grad
    return p


def test_sgd_step_is_w_minus_eta_gradient():
    p = param([1.0, -2.0], [0.5, 4.0])
    SGD(learning_rate=0.1).step([p])
    np.testing.assert_allclose(p.value, [1.0 - 0.05, -2.0 - 0.4], rtol=1e-15)
    new, velocity = sgd_step(np.array([1.0, -2.0]), np.array([0.5, 4.0]), learning_rate=0.1)
    np.testing.assert_allclose(new, p.value, rtol=0, atol=0)
    np.testing.assert_allclose(velocity, [-0.05, -0.4])


def test_momentum_by_hand():
    """v₁ = −ηg₁, w₁ = w₀ + v₁; v₂ = μv₁ − ηg₂, w₂ = w₁ + v₂."""
    p = param([1.0], [2.0])
    opt = SGD(learning_rate=0.1, momentum=0.9)
    opt.step([p])
    assert p.value[0] == pytest.approx(1.0 - 0.2)
    p.grad[...] = 1.0
    opt.step([p])
    assert p.value[0] == pytest.approx(0.8 + (0.9 * -0.2 - 0.1))
    assert opt.iterations == 2
    w, v = sgd_step(np.array([1.0]), np.array([2.0]), None, learning_rate=0.1, momentum=0.9)
    w, v = sgd_step(w, np.array([1.0]), v, learning_rate=0.1, momentum=0.9)
    assert w[0] == pytest.approx(p.value[0], rel=1e-15)


def hand_nesterov(w, grads, eta, mu):
    """Keras' Nesterov form unrolled by hand, one scalar at a time (not via sgd_update):
    v ← μv − ηg, w ← w + μv − ηg."""
    v, path = 0.0, []
    for g in grads:
        v = mu * v - eta * g
        w = w + mu * v - eta * g
        path.append(w)
    return path


def test_nesterov_matches_the_hand_unrolled_steps():
    """Three steps in float64 against the unrolled rule, to 1e-12; the first step by hand:
    v₁ = −ηg₁, w₁ = w₀ + μv₁ − ηg₁ = w₀ − (1 + μ)ηg₁."""
    grads, eta, mu = [2.0, -1.0, 0.5], 0.1, 0.9
    expected = hand_nesterov(1.0, grads, eta, mu)
    assert expected[0] == pytest.approx(1.0 - 1.9 * 0.2, abs=1e-15)
    p = param([1.0], [0.0])
    opt = SGD(learning_rate=eta, momentum=mu, nesterov=True)
    w, v = np.array([1.0]), None
    for g, want in zip(grads, expected):
        p.grad[...] = g
        opt.step([p])
        w, v = sgd_step(w, np.array([g]), v, learning_rate=eta, momentum=mu, nesterov=True)
        assert abs(p.value[0] - want) < 1e-12 and abs(w[0] - want) < 1e-12


def test_nesterov_differs_from_plain_momentum_and_needs_momentum_to_matter():
    w0, g1 = np.array([1.0]), np.array([2.0])
    plain, _ = sgd_step(w0, g1, learning_rate=0.1, momentum=0.9)
    look_ahead, _ = sgd_step(w0, g1, learning_rate=0.1, momentum=0.9, nesterov=True)
    assert plain[0] == pytest.approx(0.8) and look_ahead[0] == pytest.approx(0.62)
    vanilla, _ = sgd_step(w0, g1, learning_rate=0.1, nesterov=True)       # μ = 0: plain SGD
    assert vanilla[0] == pytest.approx(0.8)
    assert "nesterov=True" in repr(SGD(momentum=0.5, nesterov=True))
    with pytest.raises(TypeError, match="nesterov"):
        SGD(momentum=0.9, nesterov="yes")


def test_vanilla_and_momentum_sequences_against_hand_unrolled_recurrences():
    """Vanilla w ← w − ηg and momentum v ← μv − ηg, w ← w + v, unrolled by hand over five
    random gradients in float64 (1e-12)."""
    rng = np.random.default_rng(3)
    grads = rng.normal(size=(5, 4))
    eta, mu = 0.05, 0.8
    w0 = rng.normal(size=4)
    w_plain = w_mom = w0
    v = np.zeros(4)
    expected_plain, expected_mom = [], []
    for g in grads:
        w_plain = w_plain - eta * g
        v = mu * v - eta * g
        w_mom = w_mom + v
        expected_plain.append(w_plain)
        expected_mom.append(w_mom)
    a, b = param(w0, 0.0, "a"), param(w0, 0.0, "b")
    vanilla, momentum = SGD(learning_rate=eta), SGD(learning_rate=eta, momentum=mu)
    for g, want_plain, want_mom in zip(grads, expected_plain, expected_mom):
        a.grad[...] = g
        b.grad[...] = g
        vanilla.step([a])
        momentum.step([b])
        np.testing.assert_allclose(a.value, want_plain, rtol=0, atol=1e-12)
        np.testing.assert_allclose(b.value, want_mom, rtol=0, atol=1e-12)


def test_a_schedule_sets_the_rate_of_each_step():
    """With η(s) = 0.1/(s + 1) the steps are 0.1·g, 0.05·g, 0.0333·g: the schedule is read at
    iterations = 0, 1, 2 (Keras' convention)."""
    p = param([0.0], [1.0])
    opt = SGD(learning_rate=lambda s: 0.1 / (s + 1))
    for _ in range(3):
        opt.step([p])
    assert p.value[0] == pytest.approx(-(0.1 + 0.05 + 0.1 / 3), abs=1e-15)
    assert opt.current_learning_rate == pytest.approx(0.025)
    bad = SGD(learning_rate=lambda s: 0.1 - 0.2 * s)
    bad.step([param([0.0], [1.0])])
    with pytest.raises(ValueError, match="step 1"):
        bad.step([param([0.0], [1.0])])


def test_a_schedule_that_decays_to_zero_stops_the_steps_without_an_error():
    """0.5 ** (s/1) underflows to 0.0 after about 1075 updates; training goes on (as in Keras)."""
    p = param([1.0], [1.0])
    opt = SGD(learning_rate=ExponentialDecay(0.1, decay_steps=1, decay_rate=0.5))
    opt.iterations = 1100
    assert opt.current_learning_rate == 0.0
    opt.step([p])
    assert p.value[0] == 1.0
def test_sgd_errors():
    for bad in (0, -1.0, float("nan"), "0.1"):
        with pytest.raises(ValueError):
            SGD(learning_rate=bad)
    with pytest.raises(ValueError):
        SGD(momentum=1.0)
    with pytest.raises(TypeError, match="Param"):
        SGD().step([np.zeros(2)])
    with pytest.raises(ValueError, match=r"shape of value \(2,\)"):
        sgd_step(np.zeros(2), np.zeros(3), learning_rate=0.1)
    assert isinstance(get_optimizer("SGD"), SGD)
    with pytest.raises(ValueError, match="sgd"):
        get_optimizer("no-such-optimiser")
    with pytest.raises(TypeError, match="Optimizer"):
        get_optimizer(3)
