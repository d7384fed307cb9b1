"""Sigmoid, step and the quadratic cost (Nielsen eqs. (3), (6)) against closed forms."""

import math
import warnings

import numpy as np
import pytest

from nnbook.functional.activations import sigmoid, sigmoid_prime, step
from nnbook.functional.losses import (quadratic_cost, quadratic_cost_gradient, quadratic_cost_per_example)


def test_sigmoid_matches_the_formula_and_is_stable():
    z = np.linspace(-30, 30, 121)
    assert np.allclose(sigmoid(z), [1 / (1 + math.exp(-v)) for v in z], rtol=1e-14, atol=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        extreme = sigmoid(np.array([-1e4, 1e4]))
    assert extreme.tolist() == [0.0, 1.0]


def test_sigmoid_prime_by_finite_differences():
    z = np.linspace(-6, 6, 25)
    h = 1e-6
    assert np.allclose(sigmoid_prime(z), (sigmoid(z + h) - sigmoid(z - h)) / (2 * h), atol=1e-9)


def test_step_is_zero_at_zero():
    assert step(np.array([-1.0, 0.0, 1e-12])).tolist() == [0.0, 0.0, 1.0]


def test_quadratic_cost_by_hand():
    a = np.array([[0.5, 0.5], [1.0, 0.0]])
    y = np.array([[1.0, 0.0], [1.0, 0.0]])
    # (1/2n) Σ‖y − a‖² with n = 2: (0.25 + 0.25 + 0) / 4
    assert quadratic_cost(a, y) == pytest.approx(0.125)
    assert quadratic_cost_per_example(a, y).tolist() == [0.25, 0.0]
    assert quadratic_cost_gradient(a, y).tolist() == [[-0.5, 0.5], [0.0, 0.0]]


def test_quadratic_cost_is_nonnegative_and_zero_only_at_target():
    rng = np.random.default_rng(0)
    a, y = rng.random((20, 10)), rng.random((20, 10))
    assert quadratic_cost(a, y) > 0 and quadratic_cost(y, y) == 0


def test_cost_shape_errors():
    with pytest.raises(ValueError, match=r"same shape.*\(2, 3\).*\(2, 2\)"):
        quadratic_cost(np.zeros((2, 3)), np.zeros((2, 2)))
    with pytest.raises(TypeError, match="numbers"):
        sigmoid("a string")
