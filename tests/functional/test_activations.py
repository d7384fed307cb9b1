"""Activations (Nielsen eqs. (3)–(4); 陈强 (15.8), (15.10)–(15.18), softmax) against closed forms and
central differences, and their stability for |z| up to 1e4 (no warning, no NaN)."""

import math
import warnings

import numpy as np
import pytest

from nnbook.functional import activations as act

ELEMENTWISE = ["sigmoid", "tanh", "relu", "leaky_relu", "softplus", "linear", "gaussian", "elu"]

# Independent oracles written from the formulas with the math module, one number at a time.
CLOSED_FORMS = {
    "sigmoid": (lambda v: 1 / (1 + math.exp(-v)), lambda v: math.exp(-v) / (1 + math.exp(-v)) ** 2),
    "tanh": (lambda v: (math.exp(v) - math.exp(-v)) / (math.exp(v) + math.exp(-v)),
             lambda v: 4 / (math.exp(v) + math.exp(-v)) ** 2),
    "relu": (lambda v: v if v >= 0 else 0.0, lambda v: 1.0 if v > 0 else 0.0),
    "leaky_relu": (lambda v: v if v >= 0 else 0.01 * v, lambda v: 1.0 if v > 0 else 0.01),
    "softplus": (lambda v: math.log(1 + math.exp(v)), lambda v: math.exp(v) / (1 + math.exp(v))),
    "linear": (lambda v: v, lambda v: 1.0),
    # 《深度学习与神经网络》第5章 (5-26) with c = 0, σ = 1; its slope −v e^{−v²/2} by hand.
    "gaussian": (lambda v: math.exp(-v * v / 2), lambda v: -v * math.exp(-v * v / 2)),
    # ELU (Clevert et al. 2015, in Galeone ch. 2's activation figure) with α = 1.
    "elu": (lambda v: v if v > 0 else math.exp(v) - 1, lambda v: 1.0 if v > 0 else math.exp(v)),
}

# Points away from the kink of ReLU / leaky ReLU at 0.
POINTS = np.array([-7.5, -3.0, -1.25, -0.4, -0.05, 0.05, 0.3, 1.0, 2.5, 6.0])
EXTREME = np.array([-1e4, -1e3, -745.0, -710.0, -40.0, -1e-300, -1e-307, 0.0, 1e-300, 40.0, 745.0, 1e3, 1e4])


def relative_error(a, b):
    return np.linalg.norm(a - b) / max(np.linalg.norm(a), np.linalg.norm(b))


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_values_and_derivatives_match_closed_forms(name):
    f, f_prime = act.get_activation(name)
    value, slope = CLOSED_FORMS[name]
    assert np.allclose(f(POINTS), [value(v) for v in POINTS], rtol=1e-13, atol=1e-15)
    assert np.allclose(f_prime(POINTS), [slope(v) for v in POINTS], rtol=1e-12, atol=1e-15)
    assert f(POINTS).dtype == np.float64 and f(POINTS.reshape(2, 5)).shape == (2, 5)


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_derivatives_pass_a_central_difference_check(name):
    f, f_prime = act.get_activation(name)
    h = 1e-6
    numeric = (f(POINTS + h) - f(POINTS - h)) / (2 * h)
    assert relative_error(f_prime(POINTS), numeric) < 1e-7


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_stable_for_extreme_inputs(name):
    f, f_prime = act.get_activation(name)
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        values, slopes = f(EXTREME), f_prime(EXTREME)
    assert np.all(np.isfinite(values)) and np.all(np.isfinite(slopes))


def test_limits_at_plus_minus_1e4():
    big = np.array([-1e4, 1e4])
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        assert act.sigmoid(big).tolist() == [0.0, 1.0]
        assert act.sigmoid_prime(big).tolist() == [0.0, 0.0]
        assert act.tanh(big).tolist() == [-1.0, 1.0]
        assert act.tanh_prime(big).tolist() == [0.0, 0.0]
        assert act.softplus(big).tolist() == [0.0, 1e4]
        assert act.softplus_prime(big).tolist() == [0.0, 1.0]
        assert act.relu(big).tolist() == [0.0, 1e4]
        assert act.leaky_relu(big, gamma=0.1).tolist() == [-1e3, 1e4]


def test_sign_follows_15_8_with_sign_of_zero_plus_one():
    assert act.sign(np.array([-2.0, -1e-300, 0.0, 3.0])).tolist() == [-1.0, -1.0, 1.0, 1.0]
    assert np.sign(0.0) == 0.0  # the numpy convention (15.8) departs from


def test_tanh_is_a_rescaled_sigmoid_15_13():
    z = np.linspace(-20, 20, 81)
    assert np.allclose(act.tanh(z), 2 * act.sigmoid(2 * z) - 1, atol=2e-15)


def test_leaky_relu_is_max_form_only_for_gamma_below_one_15_17():
    z = np.linspace(-3, 3, 13)
    for gamma in (0.01, 0.3, 0.99):
        assert np.array_equal(act.leaky_relu(z, gamma), np.maximum(z, gamma * z))
    assert not np.array_equal(act.leaky_relu(z, 2.0), np.maximum(z, 2.0 * z))
    assert np.array_equal(act.leaky_relu(z, 0.0), act.relu(z))
    assert np.array_equal(act.leaky_relu_prime(z, 0.0), act.relu_prime(z))
    assert act.leaky_relu_prime(np.array([-1.0, 0.0, 1.0]), gamma=0.2).tolist() == [0.2, 0.2, 1.0]
    with pytest.raises(ValueError, match="gamma"):
        act.leaky_relu(z, gamma=-0.1)


def test_softmax_by_hand_and_at_extreme_logits():
    p = act.softmax(np.log([[1.0, 2.0, 3.0], [5.0, 5.0, 10.0]]))
    assert np.allclose(p, [[1 / 6, 2 / 6, 3 / 6], [0.25, 0.25, 0.5]], rtol=1e-14)
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        extreme = act.softmax(np.array([[1e4, -1e4, 0.0], [-1e4, -1e4, -1e4]]))
    assert extreme[0].tolist() == [1.0, 0.0, 0.0]
    assert np.allclose(extreme[1], 1 / 3)
    columns = act.softmax(np.log([[1.0, 1.0], [3.0, 1.0]]), axis=0)
    assert np.allclose(columns, [[0.25, 0.5], [0.75, 0.5]])


def test_softmax_jacobian_against_central_differences():
    rng = np.random.default_rng(3)
    z = rng.normal(size=4)
    p = act.softmax(z, axis=0)
    jacobian = np.diag(p) - np.outer(p, p)  # ∂p_k/∂z_j = p_k(1[k=j] − p_j)
    h = 1e-6
    numeric = np.column_stack([(act.softmax(z + h * e, axis=0) - act.softmax(z - h * e, axis=0))
                               / (2 * h)
                               for e in np.eye(4)])
    assert relative_error(jacobian, numeric) < 1e-7


def test_get_activation_and_table():
    assert set(act.ACTIVATIONS) == {"sigmoid", "tanh", "relu", "leaky_relu", "softplus", "linear",
                                    "gaussian", "elu"}
    assert act.get_activation("ReLU") == (act.relu, act.relu_prime)
    assert act.get_activation(None) == (act.linear, act.linear_prime)
    with pytest.raises(ValueError, match="valid names are: .*leaky_relu.*sigmoid"):
        act.get_activation("swish")
    with pytest.raises(TypeError, match="name"):
        act.get_activation(3)


def test_bad_input_is_reported():
    with pytest.raises(TypeError, match="numbers"):
        act.relu("x")
    with pytest.raises(ValueError, match="finite"):
        act.tanh(np.array([0.0, np.nan]))
    with pytest.raises(ValueError, match="scalar"):
        act.softmax(1.0, axis=0)


def test_softmax_refuses_an_ambiguous_vector_and_empty_classes():
    """A 1-D array could be one example's logits or one logit per example: say which."""
    with pytest.raises(ValueError, match=r"\(batch, classes\).*axis=0"):
        act.softmax(np.array([1.0, 2.0, 3.0]))
    assert np.allclose(act.softmax(np.array([0.0, 0.0]), axis=0), [0.5, 0.5])
    with pytest.raises(ValueError, match="at least one class"):
        act.softmax(np.zeros((3, 0)))
    with pytest.raises(ValueError, match="out of range"):
        act.softmax(np.zeros((2, 2)), axis=2)


# --- Nielsen's sigmoid and step ---------------------------------------------------------------

def test_sigmoid_matches_the_formula_and_is_stable():
    z = np.linspace(-30, 30, 121)
    assert np.allclose(act.sigmoid(z), [1 / (1 + math.exp(-v)) for v in z], rtol=1e-14, atol=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        extreme = act.sigmoid(np.array([-1e4, 1e4]))
    assert extreme.tolist() == [0.0, 1.0]


def test_sigmoid_prime_by_finite_differences():
    z = np.linspace(-6, 6, 25)
    h = 1e-6
    assert np.allclose(act.sigmoid_prime(z), (act.sigmoid(z + h) - act.sigmoid(z - h)) / (2 * h), atol=1e-9)


def test_step_is_zero_at_zero():
    assert act.step(np.array([-1.0, 0.0, 1e-12])).tolist() == [0.0, 0.0, 1.0]


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_layers_use_the_same_formula_without_the_check(name):
    """``f.unchecked`` (what the layers call on arrays they computed) is the checked function's
    own formula: the same numbers, dtype kept; only the checked one refuses NaN."""
    f, f_prime = act.get_activation(name)
    z = np.linspace(-3.0, 3.0, 12).reshape(3, 4).astype(np.float32)
    for g in (f, f_prime):
        np.testing.assert_array_equal(g.unchecked(z), g(z))
        assert g.unchecked(z).dtype == np.float32
        with pytest.raises(ValueError, match="finite"):
            g(np.array([0.0, np.nan]))
    with np.errstate(invalid="ignore"):
        assert np.isnan(f.unchecked(np.array([np.nan]))[0])
    np.testing.assert_array_equal(act.softmax.unchecked(z), act.softmax(z))


# --- 《深度学习与神经网络》第5章: the Gaussian (5-26) and the sigmoid's slope bound ---------------


def test_gaussian_with_centre_and_width_follows_5_26():
    c, sigma = 1.5, 0.5
    z = np.array([-1.0, 0.25, 1.5, 2.0, 4.0])
    expected = [math.exp(-0.5 * ((v - c) / sigma) ** 2) for v in z]
    assert np.allclose(act.gaussian(z, c=c, sigma=sigma), expected, rtol=1e-14, atol=0)
    assert act.gaussian(np.array([c]), c=c, sigma=sigma)[0] == 1.0  # the peak is at c
    h = 1e-6
    numeric = (act.gaussian(z + h, c, sigma) - act.gaussian(z - h, c, sigma)) / (2 * h)
    assert relative_error(act.gaussian_prime(z, c=c, sigma=sigma), numeric) < 1e-8
    # slope −(z − c)/σ² · f: at z = c + σ it is −f(c + σ)/σ = −e^{−1/2}/σ
    assert math.isclose(act.gaussian_prime(np.array([c + sigma]), c, sigma)[0],
                        -math.exp(-0.5) / sigma, rel_tol=1e-14)


def test_gaussian_rejects_a_non_positive_width_and_a_non_finite_centre():
    with pytest.raises(ValueError, match="sigma"):
        act.gaussian(np.zeros(2), sigma=0.0)
    with pytest.raises(TypeError, match="centre"):
        act.gaussian_prime(np.zeros(2), c=float("nan"))


def test_sigmoid_prime_is_at_most_one_quarter_at_zero():
    """The bound behind the vanishing-gradient remark of §5.2.5: max σ′ = σ′(0) = 1/4, so ten
    sigmoid layers scale a gradient by at most (1/4)^10 ≈ 9.54e-7."""
    z = np.linspace(-20, 20, 40001)  # contains 0
    slopes = act.sigmoid_prime(z)
    assert slopes.max() == 0.25 and z[np.argmax(slopes)] == 0.0
    assert np.all(slopes[z != 0] < 0.25)
    assert math.isclose(0.25 ** 10, 9.5367431640625e-07)


def test_elu_saturates_at_minus_alpha_and_is_relu_for_alpha_zero():
    """ELU (Galeone ch. 2's activation figure): → −α far left, exact near 0 (expm1), α = 0 is
    ReLU, its slope is continuous at 0 only for α = 1; a negative α is refused."""
    z = np.array([-1e4, -50.0, -1e-12, 0.0, 1e-12, 3.0])
    assert act.elu(z, alpha=2.0)[:2].tolist() == [-2.0, -2.0]
    assert act.elu(np.array([-1e-12]))[0] == pytest.approx(-1e-12, rel=1e-9)
    assert np.array_equal(act.elu(z, alpha=0.0), act.relu(z))
    assert act.elu_prime(np.array([-1e-12, 1e-12]), alpha=1.0) == pytest.approx([1.0, 1.0])
    assert act.elu_prime(np.array([0.0]), alpha=0.5)[0] == 0.5
    with pytest.raises(ValueError, match="alpha"):
        act.elu(z, alpha=-1.0)
