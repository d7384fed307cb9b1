"""nnbook.optim.rmsprop: v ← ρv + (1 − ρ)g², θ ← θ − ηg/√(v + ε), step by step, with Keras' defaults."""

import numpy as np
import pytest

from nnbook.layers import Param
from nnbook.optim import RMSprop, get_optimizer, rmsprop_step


def test_two_steps_by_hand():
    w, g1, g2 = np.array([1.0, -2.0]), np.array([0.5, 4.0]), np.array([-1.0, 0.0])
    eta, rho, eps = 0.1, 0.9, 1e-7
    v1 = 0.1 * g1 ** 2
    w1 = w - eta * g1 / np.sqrt(v1 + eps)
    v2 = 0.9 * v1 + 0.1 * g2 ** 2
    w2 = w1 - eta * g2 / np.sqrt(v2 + eps)
    p = Param(w.copy(), "w")
    opt = RMSprop(learning_rate=eta, rho=rho, epsilon=eps)
    for g in (g1, g2):
        p.grad[...] = g
        opt.step([p])
    np.testing.assert_allclose(p.value, w2, rtol=1e-14)
    new, v = rmsprop_step(w1, g2, v1, learning_rate=eta)
    np.testing.assert_allclose(new, w2, rtol=1e-14)
    np.testing.assert_allclose(v, v2, rtol=1e-14)


def test_the_first_step_is_about_eta_over_root_one_minus_rho():
    """With v = (1 − ρ)g², the step is η g/√((1 − ρ)g²) ≈ η/√0.1 ≈ 3.16 η per unit sign."""
    new, _ = rmsprop_step(np.zeros(3), np.array([0.1, -5.0, 100.0]))     # |g| ≫ √(ε/(1 − ρ))
    np.testing.assert_allclose(new, -0.001 / np.sqrt(0.1) * np.array([1, -1, 1]), rtol=1e-3)


def test_keras_defaults_and_errors():
    opt = get_optimizer("rmsprop")
    assert (opt.learning_rate, opt.rho, opt.epsilon) == (0.001, 0.9, 1e-7)
    for kwargs in (dict(rho=1.0), dict(rho=-0.1), dict(epsilon=0.0), dict(learning_rate=0)):
        with pytest.raises(ValueError):
            RMSprop(**kwargs)


def test_float32_stays_float32():
    new, v = rmsprop_step(np.ones(2, np.float32), np.ones(2, np.float32))
    assert new.dtype == np.float32 and v.dtype == np.float32
