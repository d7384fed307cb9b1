"""Tests of nnbook.book.grading.gradient: check_gradient against central finite differences;
the expected gradients are written by hand."""

import math

import numpy as np

from nnbook.book import grading


def _f(v):  # f(v) = v0^2 v1 + sin(v2)
    return v[0] ** 2 * v[1] + np.sin(v[2])


def _grad_f(v):  # by hand: (2 v0 v1, v0^2, cos v2)
    return np.array([2 * v[0] * v[1], v[0] ** 2, np.cos(v[2])])


def test_check_gradient_correct_passes():
    grading.check_gradient(_f, _grad_f, [1.5, -2.0, 0.3])
    grading.check_gradient(lambda w: np.sum(w**2), lambda w: 2 * w, np.zeros((2, 2)))  # zero gradient
    grading.check_gradient(lambda w: np.sum(w**2), lambda w: 2 * w, [1e-7, 3.0, 1e4])


def test_check_gradient_factor_two_names_worst_coordinate(failure):
    def half_wrong(v):
        g = _grad_f(v)
        g[2] *= 2  # d/dv2 off by a factor of 2
        return g

    message = failure(grading.check_gradient, _f, half_wrong, [1.5, -2.0, 0.3], name="dC/dv")
    assert message.startswith("dC/dv: does not match central finite differences at coordinate 2")
    cos = math.cos(0.3)
    assert f"yours {2 * cos:.10g}" in message
    assert "relative error 0.333" in message  # |c - 2c| / (c + 2c)
    assert "1 of 3 coordinates" in message


def test_check_gradient_matrix_input_and_small_errors(failure):
    a = np.array([[1.0, 2.0], [3.0, 4.0]])

    def wrong(w):
        g = a.copy()
        g[1, 0] = 3.001
        return g

    message = failure(grading.check_gradient, lambda w: float(np.sum(a * w)), wrong, np.ones((2, 2)))
    assert "coordinate (1, 0)" in message and "yours 3.001" in message
    small = failure(grading.check_gradient, lambda w: 1e-3 * w[0] ** 2, lambda w: 4e-3 * w, [0.5])
    assert "coordinate 0" in small


def test_check_gradient_bad_gradients(failure):
    assert "found None" in failure(grading.check_gradient, _f, lambda v: None, [1.0, 2.0, 3.0])
    message = failure(grading.check_gradient, _f, lambda v: np.zeros(2), [1.0, 2.0, 3.0])
    assert "expected a gradient of shape (3,) (the shape of x), found (2,)" in message
    message = failure(grading.check_gradient, _f, lambda v: np.array([0.0, np.nan, 0.0]), [1.0, 2.0, 3.0])
    assert "found nan at coordinate 1" in message
    message = failure(grading.check_gradient, lambda v: v**2, lambda v: 2 * v, [1.0, 2.0])
    assert "f must return a single real number" in message
