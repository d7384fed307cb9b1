"""nnbook.autodiff.forward_mode: dual numbers against sympy, and the passes each mode needs."""

import numpy as np
import pytest
import sympy as sp

from nnbook.autodiff import (Dual, gradient_forward_mode, gradient_reverse_mode,
                             jacobian_forward_mode, jacobian_reverse_mode, pass_counts)


def test_dual_quotient_rule_by_hand():
    x = Dual(2.0, 1.0)
    y = x ** 3 / (1 + x)        # d/dx = (3x²(1+x) − x³)/(1+x)² = 28/9 at x = 2
    assert y.value == pytest.approx(8 / 3)
    assert y.tangent == pytest.approx(28 / 9)


def f_scalar(v):
    """tanh(x·y) + e^z·x − log(1 + y²) + σ(z − x) + relu(x − 0.1) with operators and methods
    only, so it runs on Duals and on Tensors."""
    x, y, z = v
    return (x * y).tanh() + z.exp() * x - (1 + y * y).log() + (z - x).sigmoid() + (x - 0.1).relu()


def sympy_gradient(point):
    x, y, z = sp.symbols("x y z")
    expr = (sp.tanh(x * y) + sp.exp(z) * x - sp.log(1 + y ** 2) + 1 / (1 + sp.exp(x - z))
            + (x - sp.Rational(1, 10)))          # relu is the identity at the point used
    values = dict(zip((x, y, z), point))
    return np.array([float(sp.diff(expr, s).subs(values)) for s in (x, y, z)])


def test_both_modes_give_the_sympy_gradient_with_their_pass_counts():
    point = [0.7, -0.4, 0.3]
    forward = gradient_forward_mode(f_scalar, point)
    reverse = gradient_reverse_mode(f_scalar, point)
    expected = sympy_gradient(point)
    np.testing.assert_allclose(forward.derivative, expected, rtol=1e-12)
    np.testing.assert_allclose(reverse.derivative, expected, rtol=1e-12)
    assert forward.value == pytest.approx(reverse.value, rel=1e-15)
    assert (forward.forward_passes, forward.backward_passes) == (3, 0)   # one per input
    assert (reverse.forward_passes, reverse.backward_passes) == (1, 1)   # one per output


def test_many_parameters_one_loss():
    """A loss of 40 'parameters': forward mode needs 40 passes, reverse mode one backward."""
    rng = np.random.default_rng(0)
    theta = rng.standard_normal(40)

    def loss(params):
        total = 0.0
        for k, p in enumerate(params):
            total = total + (p * (k + 1.0) / 40.0).tanh() ** 2
        return total

    forward = gradient_forward_mode(loss, theta)
    reverse = gradient_reverse_mode(loss, theta)
    t = np.tanh(theta * np.arange(1, 41) / 40)
    expected = 2 * t * (1 - t ** 2) * np.arange(1, 41) / 40
    np.testing.assert_allclose(forward.derivative, expected, rtol=1e-12)
    np.testing.assert_allclose(reverse.derivative, expected, rtol=1e-12)
    assert forward.forward_passes == 40 == pass_counts(40, 1)["forward mode"]
    assert reverse.backward_passes == 1 == pass_counts(40, 1)["reverse mode"]


def f_vector(v):
    x, y, z = v
    return [x * y * z, (x - y).exp() + z ** 2]


def test_jacobian_columns_by_forward_rows_by_reverse():
    point = [1.5, 0.5, -2.0]
    x, y, z = point
    expected = np.array([[y * z, x * z, x * y],
                         [np.exp(x - y), -np.exp(x - y), 2 * z]])
    forward = jacobian_forward_mode(f_vector, point)
    reverse = jacobian_reverse_mode(f_vector, point)
    np.testing.assert_allclose(forward.derivative, expected, rtol=1e-14)
    np.testing.assert_allclose(reverse.derivative, expected, rtol=1e-14)
    assert forward.forward_passes == 3 and forward.backward_passes == 0       # n columns
    assert reverse.forward_passes == 1 and reverse.backward_passes == 2       # m rows
    assert pass_counts(3, 2) == {"forward mode": 3, "reverse mode": 2}


def test_output_that_ignores_an_input_has_zero_derivative_there():
    reverse = jacobian_reverse_mode(lambda v: [v[0] * 2.0, v[1] * 3.0], [1.0, 1.0])
    np.testing.assert_array_equal(reverse.derivative, [[2.0, 0.0], [0.0, 3.0]])


def test_errors():
    with pytest.raises(TypeError, match="real value"):
        Dual("1")
    with pytest.raises(ValueError, match="finite"):
        Dual(np.nan)
    with pytest.raises(TypeError, match="Dual or a real"):
        Dual(1.0) + "a"
    with pytest.raises(ValueError, match="not real"):
        Dual(-1.0) ** 0.5
    with pytest.raises(ValueError, match="jacobian_forward_mode"):
        gradient_forward_mode(f_vector, [1.0, 2.0, 3.0])
    with pytest.raises(TypeError, match="return a Dual"):
        gradient_forward_mode(lambda v: 1.0, [1.0])
    with pytest.raises(ValueError, match="1-D"):
        gradient_reverse_mode(f_scalar, [[1.0]])
    with pytest.raises(ValueError, match="integer"):
        pass_counts(0, 1)


def test_dual_domain_errors_are_value_errors():
    with pytest.raises(ValueError, match="no finite derivative"):
        Dual(0.0, 1.0) ** 0.5
    with pytest.raises(ValueError, match="overflows"):
        Dual(710.0, 1.0).exp()
    assert (Dual(0.0, 1.0) ** 2).tangent == 0.0
