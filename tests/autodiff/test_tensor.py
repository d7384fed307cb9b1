"""nnbook.autodiff.tensor: every operation's backward against central finite differences, hand
values, broadcasting, shared nodes, deep graphs, Params, and the errors."""

import numpy as np
import pytest

from nnbook import autodiff as ad
from nnbook.analysis.gradcheck import relative_error, richardson_gradient
from nnbook.autodiff import Tensor
from nnbook.layers.param import Param


def check_gradients(build, *arrays, tol=1e-7):
    """build(*tensors) -> scalar Tensor; compare each input's grad with fourth-order finite
    differences (Richardson), whose own error is near 1e-11."""
    arrays = [np.array(a, dtype=np.float64) for a in arrays]
    leaves = [Tensor(a.copy()) for a in arrays]
    build(*leaves).backward()
    for k, array in enumerate(arrays):
        def f(_):
            return build(*[Tensor(a) for a in arrays]).item()
        numeric = richardson_gradient(f, array)
        error = relative_error(leaves[k].grad, numeric)
        assert error < tol, f"input {k}: relative error {error:.2e}"


# ------------------------------------------------------------------ hand values

def test_product_and_sum_by_hand():
    x, w, b = Tensor(3.0), Tensor(-2.0), Tensor(0.5)
    out = x * w + b                     # −5.5; ∂/∂x = w, ∂/∂w = x, ∂/∂b = 1
    out.backward()
    assert out.item() == -5.5
    assert (x.grad, w.grad, b.grad) == (-2.0, 3.0, 1.0)
    assert out.op == "add" and out.parents[0].op == "mul" and x.op == "leaf"


def test_node_used_twice_gets_the_sum():
    x = Tensor(3.0)
    (x * x + x).backward()              # d/dx (x² + x) = 2x + 1
    assert x.grad == 7.0


def test_backward_twice_gives_the_same_gradient():
    x = Tensor([1.0, 2.0])
    y = (x ** 3).sum()
    y.backward()
    y.backward()
    np.testing.assert_array_equal(x.grad, 3 * np.array([1.0, 2.0]) ** 2)


def test_relu_and_maximum_derivative_at_zero_is_zero():
    for op in (ad.relu, lambda t: ad.maximum(t, 0.0)):
        x = Tensor([-1.0, 0.0, 2.0])
        op(x).sum().backward()
        np.testing.assert_array_equal(x.grad, [0.0, 0.0, 1.0])


# ------------------------------------------------------------------ every op by finite differences

UNARY = {
    "neg": lambda a: (-a).sum(),
    "pow": lambda a: (a ** 3).sum(),
    "pow_fractional": lambda a: ((a * a + 1.0) ** 0.5).sum(),
    "sum_axis0": lambda a: (a.sum(axis=0) ** 2).sum(),
    "sum_keepdims": lambda a: (a.sum(axis=1, keepdims=True) * a).sum(),
    "mean_axis1": lambda a: (a.mean(axis=1) ** 2).sum(),
    "mean_all": lambda a: a.mean() * a.mean(),
    "reshape": lambda a: (a.reshape(-1) * np.arange(12.0)).sum(),
    "transpose": lambda a: (a.T @ np.arange(3.0)).sum() + (a.transpose() ** 2).sum(),
    "relu": lambda a: (ad.relu(a) * a).sum(),
    "maximum": lambda a: ad.maximum(a, 0.2).sum() + ad.maximum(0.1, a * a).sum(),
    "sigmoid": lambda a: (ad.sigmoid(a) ** 2).sum(),
    "tanh": lambda a: (ad.tanh(a) * a).sum(),
    "exp": lambda a: ad.exp(a).sum(),
    "log": lambda a: ad.log(a * a + 0.5).sum(),
}


@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_ops_match_finite_differences(name, rng):
    check_gradients(UNARY[name], rng.standard_normal((3, 4)))


BINARY = {
    "add_broadcast_bias": (lambda a, b: ((a + b) ** 2).sum(), (4, 3), (3,)),
    "sub_broadcast_column": (lambda a, b: ((a - b) ** 2).sum(), (4, 3), (4, 1)),
    "mul_outer_broadcast": (lambda a, b: ((a * b) ** 2).sum(), (4, 1), (1, 3)),
    "div": (lambda a, b: (a / (b * b + 1.0)).sum(), (4, 3), (4, 3)),
    "matmul_2d": (lambda a, b: ((a @ b) ** 2).sum(), (4, 3), (3, 2)),
    "matmul_matrix_vector": (lambda a, b: ((a @ b) ** 2).sum(), (4, 3), (3,)),
    "matmul_vector_matrix": (lambda a, b: ((a @ b) ** 2).sum(), (3,), (3, 2)),
    "matmul_dot": (lambda a, b: (a @ b) ** 2, (3,), (3,)),
    "scalar_times_array": (lambda a, b: (a * b).sum() * a, (), (2, 3)),
}


@pytest.mark.parametrize("name", sorted(BINARY))
def test_binary_ops_match_finite_differences(name, rng):
    build, shape_a, shape_b = BINARY[name]
    check_gradients(build, rng.standard_normal(shape_a), rng.standard_normal(shape_b))


def random_composition(rng, depth=6):
    """A random chain of elementwise ops and a matmul, ending in a scalar: built from the rng
    once (the same chain for every evaluation)."""
    steps = rng.choice(["tanh", "sigmoid", "relu", "exp", "square", "scale", "bias", "log1p2"],
                       size=depth)
    W = rng.standard_normal((3, 3))
    c = rng.standard_normal(3)

    def build(x, w):
        h = x @ w
        for step in steps:
            h = {"tanh": ad.tanh, "sigmoid": ad.sigmoid, "relu": lambda t: ad.relu(t) + 0.5 * t,
                 "exp": lambda t: ad.exp(0.3 * t), "square": lambda t: t * t * 0.5,
                 "scale": lambda t: t @ W / 3.0, "bias": lambda t: t - c,
                 "log1p2": lambda t: ad.log(1.0 + t * t)}[step](h)
        return (h * h).mean() + (h.sum(axis=0) / w.sum()).sum()
    return build


@pytest.mark.parametrize("seed", range(6))
def test_random_compositions_match_finite_differences(seed):
    rng = np.random.default_rng(seed)
    check_gradients(random_composition(rng), rng.standard_normal((5, 4)),
                    rng.standard_normal((4, 3)) + 0.5)


# ------------------------------------------------------------------ plumbing

def test_numpy_operands_become_constant_leaves():
    x = Tensor([1.0, 2.0])
    for out in (np.array([3.0, 4.0]) + x, np.float64(2.0) * x, 1 - x, 2 / x,
                np.ones((2, 2)) @ x):
        assert isinstance(out, Tensor)
        assert any(p.op == "const" for p in out.parents)
    np.testing.assert_array_equal((np.array([3.0, 4.0]) - x).value, [2.0, 2.0])


def test_deep_chain_backward_is_iterative():
    x = Tensor(0.5)
    h = x
    for _ in range(5_000):
        h = h + 0.0 * h          # each step doubles nothing: dh/dx stays 1
    h.backward()
    assert x.grad == 1.0
    assert len(ad.topological_order(h)) == 1 + 3 * 5_000     # x, then const, mul, add per step


def test_from_param_adds_into_param_grad():
    param = Param(np.array([1.0, -2.0]), "w")
    param.grad[...] = 10.0
    w = Tensor.from_param(param)
    loss = (w * w).sum()
    loss.backward()
    np.testing.assert_array_equal(param.grad, 10.0 + 2 * np.array([1.0, -2.0]))
    loss.backward()                         # accumulates again, like a layer's backward
    np.testing.assert_array_equal(param.grad, 10.0 + 4 * np.array([1.0, -2.0]))
    assert w.op == "param" and w.name == "w"


def test_unbroadcast_sums_stretched_axes():
    grad = np.arange(24.0).reshape(2, 3, 4)
    np.testing.assert_array_equal(ad.unbroadcast(grad, (4,)), grad.sum(axis=(0, 1)))
    np.testing.assert_array_equal(ad.unbroadcast(grad, (3, 1)),
                                  grad.sum(axis=(0, 2)).reshape(3, 1))
    assert ad.unbroadcast(grad, ()).shape == ()


# ------------------------------------------------------------------ errors

def test_backward_of_a_non_scalar_needs_a_seed():
    x = Tensor([1.0, 2.0])
    y = x * 3.0
    with pytest.raises(ValueError, match="not a scalar"):
        y.backward()
    y.backward(seed=[1.0, -1.0])
    np.testing.assert_array_equal(x.grad, [3.0, -3.0])
    with pytest.raises(ValueError, match="seed must have"):
        y.backward(seed=[1.0])


@pytest.mark.parametrize("bad, error, match", [
    (np.nan, ValueError, "finite"), ([1.0, np.inf], ValueError, "finite"),
    ("abc", TypeError, "array of numbers"), (None, TypeError, "array of numbers"),
])
def test_bad_leaf_values(bad, error, match):
    with pytest.raises(error, match=match):
        Tensor(bad)


def test_bad_operands_and_domains():
    x = Tensor([1.0, 2.0])
    with pytest.raises(TypeError, match="Tensor, a real number"):
        x + "a"
    with pytest.raises(TypeError, match="constant real exponent"):
        x ** x
    with pytest.raises(TypeError, match="constant exponents"):
        2.0 ** x
    with pytest.raises(ValueError, match="log: expected positive"):
        ad.log(x - 1.5)
    with pytest.raises(ValueError, match="divisor"):
        x / (x - 1.0)
    with pytest.raises(ValueError, match="not finite"):
        (x - 2.0) ** -1.0
    with pytest.raises(ValueError, match="inner dimensions"):
        x @ Tensor(np.ones((3, 2)))
    with pytest.raises(TypeError, match="Param"):
        Tensor.from_param(np.ones(2))
    with pytest.raises(TypeError, match="truth value"):
        bool(x)


def test_power_at_zero_has_a_gradient_only_where_one_exists():
    """d(a²)/da = 0 and d(a⁰)/da = 0 at a = 0; d√a/da = 1/(2√a) is infinite there: an error,
    not an inf gradient and a numpy warning."""
    for exponent, expected in ((2.0, [0.0, 8.0]), (0.0, [0.0, 0.0])):
        a = Tensor(np.array([0.0, 4.0]))
        (a ** exponent).sum().backward()
        np.testing.assert_array_equal(a.grad, expected)
    a = Tensor(np.array([0.0, 4.0]))
    loss = (a ** 0.5).sum()
    with pytest.raises(ValueError, match="infinite at a = 0"):
        loss.backward()


def test_an_overflowing_gradient_is_an_error_not_a_warning_and_inf():
    a, b = Tensor([1.0]), Tensor([1e-200])           # a/b is finite, ∂/∂b = −a/b² is not
    loss = (a / b).sum()
    with pytest.raises(ValueError, match="passed back by div is not finite"):
        loss.backward()
    with pytest.raises(ValueError, match="mean: expected at least one entry"):
        Tensor(np.empty((0, 3))).mean()
