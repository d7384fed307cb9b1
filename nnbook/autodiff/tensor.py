"""The value node of a reverse-mode autodiff engine: a float64 array that remembers how it was made.

Galeone, *Hands-On Neural Networks with TensorFlow 2.0*, ch. 2, §'Backpropagation and automatic
differentiation' describes a network as a graph of elementary functions (mul, sum, relu), each
node knowing the derivative of its output with respect to its inputs; the forward traversal
computes the loss, the backward traversal multiplies local derivatives along the chain rule.
This module is that graph, written out (the source has no code; this implementation is ours).

A :class:`Tensor` holds ``value`` (a float64 array, possibly 0-d), ``parents`` (the Tensors it
was computed from), ``op`` (the name of the operation, ``"leaf"`` for an input) and, after
:meth:`Tensor.backward`, ``grad`` = ∂(output)/∂(this node), of the value's shape. Every
operation below states its local derivative once, as a *vector–Jacobian product*: given the
upstream gradient g = ∂L/∂(result) it returns ∂L/∂(each parent). Broadcasting (a bias (k,)
added to a batch (n, k)) is undone in one place, :func:`unbroadcast`: a parent that was
broadcast receives the sum of the gradient over the broadcast axes.

Python numbers and numpy arrays met in an operation become constant leaves (``op="const"``).
A leaf made by :meth:`Tensor.from_param` is bound to a :class:`nnbook.layers.param.Param`:
backward *adds* its gradient to ``param.grad`` (the Layer protocol's convention), so nnbook's
optimisers train a model written with Tensors unchanged.
"""

from __future__ import annotations

import numbers

import numpy as np

from nnbook.functional import activations
from nnbook.layers.param import Param
from nnbook.validation import as_float_array


def unbroadcast(grad: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Sum ``grad`` over the axes along which an array of ``shape`` was broadcast to grad's shape.

    A parent of shape (k,) added to (n, k) contributed to every row: its gradient is the
    column sum. Leading axes that broadcasting added are summed away; axes of length 1 that
    were stretched are summed with ``keepdims``.
    """
    grad = np.asarray(grad, dtype=np.float64)
    while grad.ndim > len(shape):
        grad = grad.sum(axis=0)
    for axis, length in enumerate(shape):
        if length == 1 and grad.shape[axis] != 1:
            grad = grad.sum(axis=axis, keepdims=True)
    return grad.reshape(shape)


class Tensor:
    """A node of the computational graph: ``value`` (float64 array), ``grad``, ``parents``, ``op``.

    ``Tensor(value, name=None)`` makes a leaf (an input or a parameter); operations make the
    other nodes. ``grad`` is None until :meth:`backward` has run on a graph containing the
    node. ``name`` labels the node in tables and drawings (``tensor.name = "w1"``).
    """

    __slots__ = ("value", "grad", "parents", "op", "name", "param", "_vjp", "__weakref__")
    #: numpy defers to our reflected operators: ``array + tensor`` is ``tensor.__radd__(array)``.
    __array_ufunc__ = None

    def __init__(self, value, name: str | None = None, *, op: str = "leaf"):
        if isinstance(value, Tensor):
            raise TypeError("Tensor: the value is already a Tensor; use it directly")
        self.value = as_float_array(value, name or "Tensor value", dtype=np.float64)
        self.grad: np.ndarray | None = None
        self.parents: tuple[Tensor, ...] = ()
        self.op = op
        self.name = name
        self.param: Param | None = None
        self._vjp = None

    # ----------------------------------------------------------------------------- leaves
    @classmethod
    def from_param(cls, param: Param) -> Tensor:
        """A leaf holding ``param.value``; after :meth:`backward` its gradient is ADDED to
        ``param.grad`` (zero the Params first, as a training step does)."""
        if not isinstance(param, Param):
            raise TypeError(f"from_param: expected an nnbook.layers.param.Param, found "
                            f"{type(param).__name__}")
        leaf = cls(param.value, name=param.name, op="param")
        leaf.param = param
        return leaf

    @classmethod
    def _result(cls, op: str, value, parents, vjp) -> Tensor:
        """A node computed by ``op`` from ``parents``; ``vjp(g)`` returns ∂L/∂(each parent)."""
        value = np.asarray(value, dtype=np.float64)
        if not np.all(np.isfinite(value)):
            raise ValueError(f"{op}: the result is not finite (NaN or ±∞); check the inputs "
                             f"of this operation")
        node = cls.__new__(cls)
        node.value, node.grad, node.parents, node.op = value, None, tuple(parents), op
        node.name, node.param, node._vjp = None, None, vjp
        return node

    # ----------------------------------------------------------------------------- backward
    def backward(self, seed=None) -> None:
        """Reverse-mode differentiation: fill ``grad`` of every node of the graph ending here.

        ``seed`` is ∂L/∂(this node); it defaults to 1 and must be given when the value is not a
        scalar (one backward pass differentiates ONE scalar, or one weighted combination of
        outputs). The nodes are visited in reverse topological order (iteratively, so graphs
        thousands of nodes deep are fine); a node used by several others receives the sum of
        their contributions. Every ``grad`` is recomputed from zero, so calling backward twice
        gives the same ``grad``; Params bound by :meth:`from_param` accumulate instead.
        """
        from nnbook.autodiff.graph import topological_order

        if seed is None:
            if self.value.size != 1:
                raise ValueError(f"backward: the output has shape {self.value.shape}, not a "
                                 "scalar; reduce it to a scalar loss (e.g. .sum()) or pass "
                                 "seed=∂L/∂output of that shape")
            seed = np.ones_like(self.value)
        else:
            seed = as_float_array(seed, "seed", dtype=np.float64)
            if seed.shape != self.value.shape:
                raise ValueError(f"backward: seed must have the output's shape "
                                 f"{self.value.shape}, found {seed.shape}")
        order = topological_order(self)
        for node in order:
            node.grad = np.zeros_like(node.value)
        self.grad = seed.copy()
        for node in reversed(order):
            if node._vjp is None:
                continue
            with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
                contributions = node._vjp(node.grad)
            for parent, contribution in zip(node.parents, contributions):
                if not np.all(np.isfinite(contribution)):
                    raise ValueError(f"backward: the gradient passed back by {node.op} is not "
                                     "finite (it overflowed, e.g. 1/b² for a divisor b near 0)")
                parent.grad += unbroadcast(contribution, parent.value.shape)
        for node in order:
            if node.param is not None:
                node.param.accumulate(node.grad.astype(node.param.grad.dtype, copy=False))

    # ----------------------------------------------------------------------------- conveniences
    @property
    def shape(self) -> tuple[int, ...]:
        return self.value.shape

    @property
    def ndim(self) -> int:
        return self.value.ndim

    @property
    def T(self) -> Tensor:
        return transpose(self)

    def item(self) -> float:
        """The value as a Python float (a one-element Tensor only)."""
        if self.value.size != 1:
            raise ValueError(f"item: expected a one-element Tensor, found shape {self.shape}")
        return float(self.value.reshape(()))

    def __repr__(self):
        label = f"{self.name!r}, " if self.name else ""
        shown = f"{self.item():.6g}" if self.value.size == 1 else f"shape={self.shape}"
        return f"Tensor({label}op={self.op!r}, {shown})"

    # methods and operators: the functions below
    def sum(self, axis=None, keepdims=False): return sum(self, axis, keepdims)
    def mean(self, axis=None, keepdims=False): return mean(self, axis, keepdims)
    def reshape(self, *shape): return reshape(self, shape[0] if len(shape) == 1 else shape)
    def transpose(self, axes=None): return transpose(self, axes)
    def relu(self): return relu(self)
    def sigmoid(self): return sigmoid(self)
    def tanh(self): return tanh(self)
    def exp(self): return exp(self)
    def log(self): return log(self)

    def __add__(self, other): return add(self, other)
    def __radd__(self, other): return add(other, self)
    def __sub__(self, other): return sub(self, other)
    def __rsub__(self, other): return sub(other, self)
    def __mul__(self, other): return mul(self, other)
    def __rmul__(self, other): return mul(other, self)
    def __truediv__(self, other): return div(self, other)
    def __rtruediv__(self, other): return div(other, self)
    def __neg__(self): return neg(self)
    def __pow__(self, exponent): return power(self, exponent)
    def __matmul__(self, other): return matmul(self, other)
    def __rmatmul__(self, other): return matmul(other, self)

    def __rpow__(self, base):
        raise TypeError("pow: only constant exponents are supported (tensor ** 2.0); write "
                        "c ** x as exp(x * log(c))")

    def __bool__(self):
        raise TypeError("a Tensor has no truth value; compare its .value instead")


def as_tensor(x) -> Tensor:
    """``x`` itself when it is a Tensor, else a constant leaf (``op="const"``) holding it."""
    if isinstance(x, Tensor):
        return x
    if isinstance(x, bool) or not isinstance(x, (numbers.Real, np.ndarray, np.generic, list,
                                                  tuple)):
        raise TypeError(f"expected a Tensor, a real number or a numpy array, found "
                        f"{type(x).__name__}")
    return Tensor(x, op="const")


# ------------------------------------------------------------------------- arithmetic
# Each rule: result value, then the local derivative as g ↦ (∂L/∂a, ∂L/∂b).

def add(a, b) -> Tensor:
    """a + b; ∂(a+b)/∂a = ∂(a+b)/∂b = 1 (the source's ``sum`` node)."""
    a, b = as_tensor(a), as_tensor(b)
    return Tensor._result("add", a.value + b.value, (a, b), lambda g: (g, g))


def sub(a, b) -> Tensor:
    """a − b; derivatives 1 and −1."""
    a, b = as_tensor(a), as_tensor(b)
    return Tensor._result("sub", a.value - b.value, (a, b), lambda g: (g, -g))


def mul(a, b) -> Tensor:
    """a ⊙ b (elementwise); ∂/∂a = b, ∂/∂b = a (the source's ``mul`` node)."""
    a, b = as_tensor(a), as_tensor(b)
    return Tensor._result("mul", a.value * b.value, (a, b),
                          lambda g: (g * b.value, g * a.value))


def neg(a) -> Tensor:
    """−a; derivative −1."""
    a = as_tensor(a)
    return Tensor._result("neg", -a.value, (a,), lambda g: (-g,))


def div(a, b) -> Tensor:
    """a / b; ∂/∂a = 1/b, ∂/∂b = −a/b². Raises for a zero divisor."""
    a, b = as_tensor(a), as_tensor(b)
    if np.any(b.value == 0):
        raise ValueError("div: the divisor contains 0")
    return Tensor._result("div", a.value / b.value, (a, b),
                          lambda g: (g / b.value, -g * a.value / b.value ** 2))


def power(a, exponent) -> Tensor:
    """a ** p for a constant real p; derivative p·a^(p−1)."""
    if isinstance(exponent, Tensor) or isinstance(exponent, bool) \
            or not isinstance(exponent, numbers.Real):
        raise TypeError(f"pow: expected a constant real exponent, found "
                        f"{type(exponent).__name__}")
    a, p = as_tensor(a), float(exponent)
    with np.errstate(all="ignore"):
        value = a.value ** p

    def vjp(g):
        if p == 0:                                   # a ** 0 = 1: no dependence on a
            return (np.zeros_like(g),)
        if p < 1 and np.any(a.value == 0):
            raise ValueError(f"pow {p:g}: the derivative p·a^(p−1) is infinite at a = 0, so "
                             "the gradient does not exist there")
        return (g * p * a.value ** (p - 1.0),)

    return Tensor._result(f"pow {p:g}", value, (a,), vjp)


def _matmul_shapes(a, b):
    if a.ndim not in (1, 2) or b.ndim not in (1, 2):
        raise ValueError(f"matmul: expected 1-D or 2-D operands, found shapes {a.shape} and "
                         f"{b.shape}")
    if a.shape[-1] != b.shape[0]:
        raise ValueError(f"matmul: inner dimensions differ: {a.shape} @ {b.shape}")


def matmul(a, b) -> Tensor:
    """a @ b for 1-D or 2-D operands; for C = AB: ∂L/∂A = G Bᵀ, ∂L/∂B = Aᵀ G.

    Vectors are treated as a row (left operand) or a column (right operand), as numpy does.
    """
    a, b = as_tensor(a), as_tensor(b)
    _matmul_shapes(a, b)

    def vjp(g):
        rows = a.value[None, :] if a.ndim == 1 else a.value
        cols = b.value[:, None] if b.ndim == 1 else b.value
        g = g.reshape(rows.shape[0], cols.shape[1])
        return (g @ cols.T).reshape(a.shape), (rows.T @ g).reshape(b.shape)

    return Tensor._result("matmul", a.value @ b.value, (a, b), vjp)


# ------------------------------------------------------------------------- reductions and shapes

def _spread(g, axis, keepdims, shape):
    """Broadcast a reduced gradient back to the input's ``shape``."""
    if axis is not None and not keepdims:
        axes = (axis,) if isinstance(axis, numbers.Integral) else tuple(axis)
        g = np.expand_dims(g, tuple(ax % len(shape) for ax in axes))
    return np.broadcast_to(g, shape)


def sum(a, axis=None, keepdims: bool = False) -> Tensor:  # noqa: A001 (the op's name)
    """Σ over ``axis`` (all axes when None); each input entry gets the upstream gradient."""
    a = as_tensor(a)
    return Tensor._result("sum", np.sum(a.value, axis=axis, keepdims=keepdims), (a,),
                          lambda g: (_spread(g, axis, keepdims, a.shape),))


def mean(a, axis=None, keepdims: bool = False) -> Tensor:
    """Mean over ``axis``; each input entry gets the upstream gradient ÷ the count averaged."""
    a = as_tensor(a)
    if a.value.size == 0:
        raise ValueError(f"mean: expected at least one entry, found shape {a.shape}")
    value = np.mean(a.value, axis=axis, keepdims=keepdims)
    count = a.value.size // max(np.asarray(value).size, 1)
    return Tensor._result("mean", value, (a,),
                          lambda g: (_spread(g, axis, keepdims, a.shape) / count,))


def reshape(a, shape) -> Tensor:
    """The same entries in a new shape; the gradient is reshaped back."""
    a = as_tensor(a)
    return Tensor._result("reshape", a.value.reshape(shape), (a,),
                          lambda g: (g.reshape(a.shape),))


def transpose(a, axes=None) -> Tensor:
    """Axes permuted (reversed when None); the gradient gets the inverse permutation."""
    a = as_tensor(a)
    order = tuple(reversed(range(a.ndim))) if axes is None else tuple(axes)
    inverse = tuple(np.argsort(order))
    return Tensor._result("transpose", np.transpose(a.value, order), (a,),
                          lambda g: (np.transpose(g, inverse),))


# ------------------------------------------------------------------------- nonlinearities
# Forward values come from nnbook.functional.activations: one implementation of each function.

def relu(a) -> Tensor:
    """max(0, a) (the source's ``relu`` node); derivative 1[a > 0] (0 at a = 0, as in
    :func:`nnbook.functional.activations.relu_prime`)."""
    a = as_tensor(a)
    return Tensor._result("relu", activations.relu.unchecked(a.value), (a,),
                          lambda g: (g * activations.relu_prime.unchecked(a.value),))


def maximum(a, b) -> Tensor:
    """Elementwise max(a, b); the gradient goes to the larger argument, to ``b`` on ties, so
    ``maximum(x, 0)`` has exactly :func:`relu`'s derivative."""
    a, b = as_tensor(a), as_tensor(b)
    a_wins = (a.value > b.value).astype(np.float64)
    return Tensor._result("maximum", np.maximum(a.value, b.value), (a, b),
                          lambda g: (g * a_wins, g * (1.0 - a_wins)))


def sigmoid(a) -> Tensor:
    """σ(a) = 1/(1 + e^{−a}); derivative σ(a)(1 − σ(a))."""
    a = as_tensor(a)
    s = activations.sigmoid.unchecked(a.value)
    return Tensor._result("sigmoid", s, (a,), lambda g: (g * s * (1.0 - s),))


def tanh(a) -> Tensor:
    """tanh(a); derivative 1 − tanh²(a)."""
    a = as_tensor(a)
    t = activations.tanh.unchecked(a.value)
    return Tensor._result("tanh", t, (a,), lambda g: (g * (1.0 - t * t),))


def exp(a) -> Tensor:
    """e^a; derivative e^a."""
    a = as_tensor(a)
    with np.errstate(over="ignore"):
        e = np.exp(a.value)
    return Tensor._result("exp", e, (a,), lambda g: (g * e,))


def log(a) -> Tensor:
    """ln a for a > 0 (raises otherwise); derivative 1/a."""
    a = as_tensor(a)
    if np.any(a.value <= 0):
        raise ValueError("log: expected positive values")
    return Tensor._result("log", np.log(a.value), (a,), lambda g: (g / a.value,))


#: The operations by name (for documentation and tests: each is differentiated by its rule).
OPS = {"add": add, "sub": sub, "mul": mul, "neg": neg, "div": div, "pow": power,
       "matmul": matmul, "sum": sum, "mean": mean, "reshape": reshape, "transpose": transpose,
       "relu": relu, "maximum": maximum, "sigmoid": sigmoid, "tanh": tanh, "exp": exp,
       "log": log}
