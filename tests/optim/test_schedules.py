"""nnbook.optim.schedules: learning-rate decay as callables step → η, values by hand, and every
optimiser reading its schedule at ``iterations``."""

import math

import numpy as np
import pytest

from nnbook.layers import Param
from nnbook.optim import (
    SGD,
    Adagrad,
    Adam,
    ExponentialDecay,
    InverseTimeDecay,
    RMSprop,
    StepDecay,
    adagrad_step,
    adam_step,
    rmsprop_step,
    sgd_step,
)


def test_exponential_decay_values():
    schedule = ExponentialDecay(0.1, decay_steps=10, decay_rate=0.5)
    assert schedule(0) == 0.1
    assert schedule(10) == pytest.approx(0.05, abs=1e-15)
    assert schedule(5) == pytest.approx(0.1 / math.sqrt(2), abs=1e-15)
    stairs = ExponentialDecay(0.1, decay_steps=10, decay_rate=0.5, staircase=True)
    assert [stairs(s) for s in (0, 9, 10, 19, 20)] == pytest.approx([0.1, 0.1, 0.05, 0.05, 0.025])


def test_inverse_time_decay_values():
    schedule = InverseTimeDecay(0.2, decay_steps=1, decay_rate=0.5)
    assert [schedule(s) for s in (0, 1, 2, 6)] == pytest.approx([0.2, 0.2 / 1.5, 0.1, 0.05])
    stairs = InverseTimeDecay(0.2, decay_steps=4, decay_rate=1.0, staircase=True)
    assert [stairs(s) for s in (0, 3, 4, 8)] == pytest.approx([0.2, 0.2, 0.1, 0.2 / 3])


def test_step_decay_values():
    schedule = StepDecay(0.8, drop=0.5, steps_per_drop=3)
    assert [schedule(s) for s in range(10)] == pytest.approx(
        [0.8] * 3 + [0.4] * 3 + [0.2] * 3 + [0.1])


def test_schedule_errors():
    with pytest.raises(ValueError, match="step"):
        ExponentialDecay(0.1, 10, 0.5)(-1)
    with pytest.raises(ValueError, match="drop"):
        StepDecay(0.1, drop=1.5)
    with pytest.raises((TypeError, ValueError), match="decay_steps"):
        InverseTimeDecay(0.1, decay_steps=0, decay_rate=1.0)
    assert "ExponentialDecay(initial_learning_rate=0.1" in repr(ExponentialDecay(0.1, 10, 0.5))


@pytest.mark.parametrize("make, pure, state", [
    (lambda lr: SGD(lr, momentum=0.9), lambda w, g, s, lr, t: sgd_step(w, g, *s, learning_rate=lr,
                                                                       momentum=0.9), 1),
    (lambda lr: RMSprop(lr), lambda w, g, s, lr, t: rmsprop_step(w, g, *s, learning_rate=lr), 1),
    (lambda lr: Adam(lr), lambda w, g, s, lr, t: adam_step(w, g, *s, t, learning_rate=lr), 2),
    (lambda lr: Adagrad(lr), lambda w, g, s, lr, t: adagrad_step(w, g, *s, learning_rate=lr), 1),
], ids=["momentum", "rmsprop", "adam", "adagrad"])
def test_every_optimizer_evaluates_its_schedule_at_iterations(make, pure, state):
    """An optimiser with a schedule takes exactly the steps of its pure function called with
    η = schedule(0), schedule(1), …"""
    schedule = StepDecay(0.1, drop=0.5, steps_per_drop=2)
    rng = np.random.default_rng(0)
    grads = rng.normal(size=(5, 3))
    p = Param(np.ones(3), "w")
    opt = make(schedule)
    w, s = np.ones(3), (None,) * state
    for t, g in enumerate(grads):
        p.grad[...] = g
        opt.step([p])
        w, *s = pure(w, g, s, schedule(t), t + 1)
    np.testing.assert_allclose(p.value, w, rtol=0, atol=1e-15)
    assert opt.iterations == 5 and opt.current_learning_rate == 0.025


def test_a_decaying_rate_lets_a_noisy_descent_settle():
    """SGD with gradient noise on L = θ²/2: a constant rate keeps jittering around the minimum,
    a 1/s decay settles much closer (same noise)."""
    def run(learning_rate):
        rng = np.random.default_rng(1)
        p, opt = Param(np.array([5.0]), "w"), SGD(learning_rate)
        tail = []
        for step in range(2000):
            p.grad[...] = p.value + rng.normal()
            opt.step([p])
            if step >= 1500:
                tail.append(abs(p.value[0]))
        return np.mean(tail)
    tails = [run(0.5), run(InverseTimeDecay(0.5, decay_steps=1, decay_rate=0.05))]
    assert tails[1] < tails[0] / 3


def test_step_decay_is_the_staircase_exponential_decay():
    step = StepDecay(0.3, drop=0.25, steps_per_drop=4)
    stairs = ExponentialDecay(0.3, decay_steps=4, decay_rate=0.25, staircase=True)
    assert [step(s) for s in range(20)] == [stairs(s) for s in range(20)]
    assert (step.drop, step.steps_per_drop) == (0.25, 4)
    assert repr(step) == "StepDecay(initial_learning_rate=0.3, drop=0.25, steps_per_drop=4)"
