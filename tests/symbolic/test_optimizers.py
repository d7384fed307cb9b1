"""nnbook.symbolic.optimizers: the update-rule derivations of Galeone ch. 2 — each verifies, ends
at a closed form written independently here, agrees with nnbook's numeric optimisers, and a
plausible slip is caught."""

import math

import numpy as np
import pytest
import sympy as sp

from nnbook.layers.regularizers import L2
from nnbook.optim import adam_step, sgd_step
from nnbook.symbolic import optimizers as O
from nnbook.symbolic.derivation import Derivation, DerivationError
from nnbook.train.batches import iterations_per_epoch

eta, a, theta, mu = sp.Symbol("eta", real=True), sp.Symbol("a", real=True), \
    sp.Symbol("theta", real=True), sp.Symbol("mu", positive=True)


def final(d):
    return d._expand(d.result)


@pytest.mark.parametrize("make", O.DERIVATIONS, ids=lambda f: f.__name__)
def test_every_derivation_verifies_exactly_and_at_random_points(make):
    d = make()
    assert isinstance(d, Derivation) and d.verify() and d.title and d.source_ref


def test_parabola_step_and_the_thresholds():
    assert sp.expand(O.parabola_step().result - (theta - eta * a * theta)) == 0
    thresholds = O.learning_rate_thresholds()
    a_pos = sp.Symbol("a", positive=True)
    assert thresholds == {"monotone_below": 1 / a_pos, "diverges_above": 2 / a_pos}
    closed = O.gradient_descent_closed_form()
    s, theta0 = sp.Symbol("s", integer=True, nonnegative=True), sp.Symbol("theta_0", real=True)
    assert sp.simplify(closed - theta0 * (1 - eta * a) ** s) == 0
    # at η = 2/a the factor is −1: θ_s = ±θ₀ for ever
    assert sp.simplify(closed.subs(eta, 2 / a).subs(s, 7) + theta0) == 0


def test_steps_grow_like_one_over_eta():
    tol, a_pos = sp.Symbol("tol", positive=True), sp.Symbol("a", positive=True)
    assert sp.simplify(O.steps_to_tolerance_limit() - sp.log(1 / tol) / a_pos) == 0


def test_quadratic_step_matches_numbers():
    """The exact expansion against a numeric quadratic with A = [[2, 1], [1, 3]], b = (1, −1)."""
    A, b, t, h = np.array([[2.0, 1.0], [1.0, 3.0]]), np.array([1.0, -1.0]), np.array([0.5, 2.0]), 0.1
    L = lambda p: 0.5 * p @ A @ p + b @ p
    g = A @ t + b
    assert L(t - h * g) == pytest.approx(L(t) - h * g @ g + h ** 2 / 2 * g @ A @ g, abs=1e-12)
    assert L(t - h * g) < L(t)


def test_momentum_unrolled_matches_sgd_step():
    s = 5
    d = O.momentum_unrolled(s)
    rng = np.random.default_rng(2)
    grads, lr, m = rng.normal(size=s), 0.1, 0.8
    expected = -lr * sum(m ** j * grads[s - 1 - j] for j in range(s))       # written here
    g_syms = sp.symbols(f"g1:{s + 1}", real=True)
    value = float(d.result.subs({eta: lr, mu: m, **dict(zip(g_syms, grads))}))
    assert value == pytest.approx(expected, abs=1e-14)
    w, v = np.zeros(1), None
    for g in grads:
        w, v = sgd_step(w, np.array([g]), v, learning_rate=lr, momentum=m)
    assert v[0] == pytest.approx(expected, abs=1e-14)


def test_terminal_velocity_is_ten_vanilla_steps_at_mu_09():
    g = sp.Symbol("g", real=True)
    v_inf = O.terminal_velocity()
    assert sp.simplify(v_inf - (-eta * g / (1 - mu))) == 0
    assert v_inf.subs(mu, sp.Rational(9, 10)) / (-eta * g) == 10
    partial = O.momentum_constant_gradient(8).result
    assert sp.simplify(partial - (-eta * g * (1 - mu ** 8) / (1 - mu))) == 0
    s = sp.Symbol("s", positive=True, integer=True)
    geometric = -eta * g * (1 - sp.Rational(9, 10) ** s) / (1 - sp.Rational(9, 10))
    assert sp.limit(geometric, s, sp.oo) == -10 * eta * g
    w, v = np.zeros(1), None
    for _ in range(400):                                   # numeric: the velocity converges
        w, v = sgd_step(w, np.ones(1), v, learning_rate=0.01, momentum=0.9)
    assert v[0] == pytest.approx(-0.1, rel=1e-12)


def test_adam_bias_and_first_step():
    g_bar, b1 = sp.Symbol("gbar", real=True), sp.Symbol("beta_1", positive=True)
    for t in (1, 3, 6):
        assert sp.expand(final(O.adam_first_moment_bias(t)) - (1 - b1 ** t) * g_bar) == 0
    g, eps = sp.Symbol("g", real=True), sp.Symbol("epsilon", positive=True)
    assert sp.simplify(O.adam_first_step().result - (-eta * g / (sp.Abs(g) + eps))) == 0
    assert O.adam_first_step_limit() == (-eta, eta)


def test_adam_epsilon_placement_explains_nnbooks_first_step():
    """nnbook's first Adam step is −η g/(|g| + ε/√(1 − β₂)), not the source's −η g/(|g| + ε)."""
    g, lr, eps, b2 = np.array([3e-6, -1.0]), 0.001, 1e-7, 0.999
    new, _, _ = adam_step(np.zeros(2), g, learning_rate=lr, epsilon=eps, beta_2=b2)
    keras_form = -lr * g / (np.abs(g) + eps / math.sqrt(1 - b2))
    source_form = -lr * g / (np.abs(g) + eps)
    np.testing.assert_allclose(new, keras_form, rtol=1e-12)
    assert abs(new[0] - source_form[0]) > 0.3 * lr                 # differ where |g| ~ ε̂
    assert new[1] == pytest.approx(source_form[1], rel=1e-5)       # agree where |g| ≫ ε̂
    d = O.adam_epsilon_placement()
    c2, eps_s = sp.Symbol("c_2", positive=True), sp.Symbol("epsilon", positive=True)
    assert d.result.has(eps_s / sp.sqrt(c2))


def test_weight_decay_factor_matches_the_l2_regularizer():
    w, lam = sp.Symbol("w", real=True), sp.Symbol("lambda", positive=True)
    E = sp.Function("E")(w)
    assert sp.expand(O.weight_decay_update().result - ((1 - 2 * eta * lam) * w
                                                       - eta * sp.Derivative(E, w))) == 0
    assert L2(0.05).shrink_factor(0.1) == pytest.approx(1 - 2 * 0.1 * 0.05)
    wrong = Derivation("slip", "test", O.weight_decay_update().lhs)
    wrong.then((1 - eta * lam) * w - eta * sp.Derivative(E, w), "forgot the 2")
    with pytest.raises(DerivationError):
        wrong.verify()


def test_nesterov_derivation_matches_sgd_step_numbers():
    """Classical look-ahead momentum on L = 3θ²/2, run by hand, against sgd_step(nesterov=True)
    on φ = θ + μv: the stored variables agree at every step."""
    grad = lambda p: 3.0 * p
    lr, m = 0.05, 0.9
    th, v = 2.0, 0.0
    phi, velocity = np.array([2.0]), None
    for _ in range(10):
        v = m * v - lr * grad(th + m * v)
        th = th + v
        phi, velocity = sgd_step(phi, grad(phi), velocity, learning_rate=lr, momentum=m,
                                 nesterov=True)
        assert phi[0] == pytest.approx(th + m * v, abs=1e-12)


def test_minibatch_cases_and_updates_per_epoch():
    assert O.minibatch_full_batch(5).verify() and O.minibatch_single_example(5, 3).verify()
    g = sp.symbols("g1:6", real=True)
    assert sp.simplify(O.minibatch_average_unbiased(5, 3).result - sum(g) / 5) == 0
    slip = Derivation("slip", "test", O.minibatch_average_unbiased(5, 3).lhs)
    slip.then(sum(g) / 3, "divided by b instead of k")
    with pytest.raises(DerivationError):
        slip.verify()
    assert [iterations_per_epoch(10, b) for b in (1, 3, 10)] == [10, 4, 1]   # ⌈k/b⌉
    with pytest.raises(ValueError):
        O.minibatch_average_unbiased(4, 4)
