"""nnbook.optim.adam: bias-corrected Adam (Kingma & Ba 2015) step by step, Keras' defaults, and
the first step ≈ η·sign(g)."""

import math

import numpy as np
import pytest

from nnbook.layers import Param
from nnbook.optim import Adam, adam_step, get_optimizer


def textbook_adam(w, grads, eta=0.001, b1=0.9, b2=0.999, eps=1e-7):
    """Kingma & Ba's Algorithm 1 with ε̂ = ε/√(1 − β₂ᵗ): the form nnbook (and Keras) compute."""
    m = v = 0.0
    for t, g in enumerate(grads, start=1):
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        m_hat, v_hat = m / (1 - b1 ** t), v / (1 - b2 ** t)
        w = w - eta * m_hat / (np.sqrt(v_hat) + eps / math.sqrt(1 - b2 ** t))
    return w


def test_steps_match_the_bias_corrected_update_equations():
    rng = np.random.default_rng(1)
    w0, grads = rng.normal(size=(3, 2)), [rng.normal(size=(3, 2)) for _ in range(6)]
    p = Param(w0.copy(), "w")
    opt = Adam(learning_rate=0.01)
    for g in grads:
        p.grad[...] = g
        opt.step([p])
    np.testing.assert_allclose(p.value, textbook_adam(w0, grads, eta=0.01), rtol=1e-13)
    w, m, v = w0, None, None
    for t, g in enumerate(grads, start=1):
        w, m, v = adam_step(w, g, m, v, t, learning_rate=0.01)
    np.testing.assert_allclose(w, p.value, rtol=1e-15)


def test_the_first_step_is_about_eta_times_the_sign_of_the_gradient():
    g = np.array([0.1, -2.0, 50.0, -1e-2])        # |g| ≫ ε/√(1 − β₂) ≈ 3.2e-6
    new, m, v = adam_step(np.zeros(4), g)
    np.testing.assert_allclose(new, -0.001 * np.array([1, -1, 1, -1]), rtol=1e-3)
    np.testing.assert_allclose(m, 0.1 * g)


def test_state_is_per_param_and_counts_steps():
    a, b = Param(np.zeros(1), "a"), Param(np.zeros(1), "b")
    opt = Adam()
    a.grad[...] = 1.0
    opt.step([a])
    b.grad[...] = 1.0
    opt.step([a, b])
    assert opt.state[a]["t"] == 2 and opt.state[b]["t"] == 1


def test_keras_defaults_and_errors():
    opt = get_optimizer("adam")
    assert (opt.learning_rate, opt.beta_1, opt.beta_2, opt.epsilon) == (0.001, 0.9, 0.999, 1e-7)
    with pytest.raises(ValueError, match="beta_2"):
        Adam(beta_2=1.0)
    with pytest.raises(ValueError, match="t"):
        adam_step(np.zeros(1), np.zeros(1), t=0)


def test_float32_stays_float32():
    new, m, v = adam_step(np.ones(2, np.float32), np.ones(2, np.float32))
    assert new.dtype == m.dtype == v.dtype == np.float32
