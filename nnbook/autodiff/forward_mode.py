"""Forward mode (dual numbers) against reverse mode: the same derivatives, different pass counts.

Galeone, ch. 2, §'Backpropagation and automatic differentiation' says the chain rule can be
applied to the graph in two ways, forward mode and reverse mode, and that TensorFlow uses
reverse mode. The explanation the source then gives is wrong: it says reverse mode "depends on
the number of inputs, not on the number of parameters". The correct statement, which this
module measures:

* forward mode carries one directional derivative (a tangent) along with the values, so one
  pass gives the derivatives of every output along ONE input direction: the gradient of
  f: Rⁿ → R takes n passes, one per input (per parameter, for a network);
* reverse mode runs the graph forward once and then backward once per scalar OUTPUT: the whole
  gradient of a scalar loss costs one backward pass, however many parameters there are. A
  Jacobian of f: Rⁿ → Rᵐ costs m backward passes (one row each) against n forward-mode
  passes (one column each).

So a network with millions of parameters and one loss is differentiated by one backward pass;
that, not the number of inputs, is why TensorFlow uses reverse mode.

:class:`Dual` is a number a + a′ε with ε² = 0: arithmetic on it carries the derivative along.
Functions to differentiate take a sequence of scalars and use operators and the methods
``exp``, ``log``, ``tanh``, ``sigmoid``, ``relu``, which both :class:`Dual` and
:class:`~nnbook.autodiff.tensor.Tensor` provide, so the same Python function runs in both modes.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

import numpy as np

from nnbook.autodiff.tensor import Tensor
from nnbook.functional import activations
from nnbook.validation import as_float_array


class Dual:
    """value + tangent·ε with ε² = 0: f(a + a′ε) = f(a) + f′(a)·a′ε (the chain rule, forwards)."""

    __slots__ = ("value", "tangent")

    def __init__(self, value, tangent=0.0):
        for what, number in (("value", value), ("tangent", tangent)):
            if isinstance(number, bool) or not isinstance(number, numbers.Real):
                raise TypeError(f"Dual: expected a real {what}, found {type(number).__name__}")
            if not math.isfinite(number):
                raise ValueError(f"Dual: expected a finite {what}, found {number}")
        self.value = float(value)
        self.tangent = float(tangent)

    def __repr__(self):
        return f"Dual({self.value:g}, {self.tangent:g})"

    @staticmethod
    def _lift(other) -> Dual:
        if isinstance(other, Dual):
            return other
        if isinstance(other, bool) or not isinstance(other, numbers.Real):
            raise TypeError(f"Dual arithmetic: expected a Dual or a real number, found "
                            f"{type(other).__name__}")
        return Dual(other, 0.0)      # a constant: zero derivative

    # (u + u′ε) ∘ (v + v′ε), keeping the ε terms
    def __add__(self, other):
        other = self._lift(other)
        return Dual(self.value + other.value, self.tangent + other.tangent)

    def __sub__(self, other):
        other = self._lift(other)
        return Dual(self.value - other.value, self.tangent - other.tangent)

    def __mul__(self, other):
        other = self._lift(other)
        return Dual(self.value * other.value,
                    self.tangent * other.value + self.value * other.tangent)

    def __truediv__(self, other):
        other = self._lift(other)
        if other.value == 0:
            raise ValueError("Dual division: the divisor is 0")
        return Dual(self.value / other.value,
                    (self.tangent * other.value - self.value * other.tangent) / other.value ** 2)

    def __radd__(self, other): return self._lift(other) + self
    def __rsub__(self, other): return self._lift(other) - self
    def __rmul__(self, other): return self._lift(other) * self
    def __rtruediv__(self, other): return self._lift(other) / self
    def __neg__(self): return Dual(-self.value, -self.tangent)

    def __pow__(self, exponent):
        if isinstance(exponent, (Dual, bool)) or not isinstance(exponent, numbers.Real):
            raise TypeError("Dual pow: expected a constant real exponent")
        p = float(exponent)
        if self.value < 0 and not p.is_integer():
            raise ValueError(f"Dual pow: a negative base {self.value:g} with the non-integer "
                             f"exponent {p:g} is not real")
        if self.value == 0 and p < 1 and p != 0:
            raise ValueError(f"Dual pow: 0 ** {p:g} has no finite derivative (p·a^(p−1) at a = 0)")
        return self._chain(self.value ** p, p * self.value ** (p - 1.0))

    # f(u + u′ε) = f(u) + f′(u) u′ ε
    def _chain(self, value, derivative) -> Dual:
        return Dual(value, derivative * self.tangent)

    def exp(self):
        if self.value > 709.0:                       # math.exp overflows past ln(max float)
            raise ValueError(f"Dual exp: e^{self.value:g} overflows a float")
        e = math.exp(self.value)
        return self._chain(e, e)

    def log(self):
        if self.value <= 0:
            raise ValueError("Dual log: expected a positive value")
        return self._chain(math.log(self.value), 1.0 / self.value)

    def tanh(self):
        t = float(activations.tanh.unchecked(self.value))
        return self._chain(t, 1.0 - t * t)

    def sigmoid(self):
        s = float(activations.sigmoid.unchecked(np.float64(self.value)))
        return self._chain(s, s * (1.0 - s))

    def relu(self):
        return self._chain(max(self.value, 0.0), 1.0 if self.value > 0 else 0.0)


@dataclass(frozen=True)
class ModeResult:
    """A derivative with what it cost: the gradient (n,) or the Jacobian (m, n), the value of f
    (a float or an (m,) array), and the passes run: evaluations of f (forward) and backward
    traversals."""

    mode: str
    value: float | np.ndarray
    derivative: np.ndarray
    forward_passes: int
    backward_passes: int


class _Counted:
    """``f`` with a count of its evaluations (each evaluation is one forward pass)."""

    def __init__(self, f):
        if not callable(f):
            raise TypeError(f"f: expected a callable, found {type(f).__name__}")
        self.f, self.calls = f, 0

    def __call__(self, inputs):
        self.calls += 1
        return self.f(inputs)


def _point(x) -> np.ndarray:
    x = as_float_array(x, "x", ndim=1, dtype=np.float64)
    if x.size == 0:
        raise ValueError("x: expected at least one input")
    return x


def _outputs(result, kind, what: str) -> list:
    items = [result] if isinstance(result, kind) else list(result) \
        if isinstance(result, (list, tuple)) else None
    if not items or not all(isinstance(item, kind) for item in items):
        raise TypeError(f"{what}: expected f to return a {kind.__name__} or a list of them, "
                        f"found {type(result).__name__}")
    return items


def gradient_forward_mode(f, x) -> ModeResult:
    """∇f(x) for f: Rⁿ → R by forward mode: pass i seeds input i with tangent 1 (others 0)
    and reads ∂f/∂xᵢ from the output's tangent. n passes."""
    jac = jacobian_forward_mode(f, x)
    if len(jac.value) != 1:
        raise ValueError(f"gradient_forward_mode: f has {len(jac.value)} outputs; use "
                         "jacobian_forward_mode")
    return ModeResult("forward", float(jac.value[0]), jac.derivative[0], jac.forward_passes, 0)


def gradient_reverse_mode(f, x) -> ModeResult:
    """∇f(x) for f: Rⁿ → R by reverse mode: one forward pass builds the graph, one backward
    pass from the scalar output fills every input's gradient."""
    jac = jacobian_reverse_mode(f, x)
    if len(jac.value) != 1:
        raise ValueError(f"gradient_reverse_mode: f has {len(jac.value)} outputs; use "
                         "jacobian_reverse_mode")
    return ModeResult("reverse", float(jac.value[0]), jac.derivative[0], jac.forward_passes,
                      jac.backward_passes)


def jacobian_forward_mode(f, x) -> ModeResult:
    """The (m, n) Jacobian of f: Rⁿ → Rᵐ by forward mode: one pass per input gives a column."""
    x = _point(x)
    counted = _Counted(f)
    columns, value = [], None
    for i in range(x.size):
        inputs = [Dual(float(xj), 1.0 if j == i else 0.0) for j, xj in enumerate(x)]
        outputs = _outputs(counted(inputs), Dual, "jacobian_forward_mode")
        columns.append([out.tangent for out in outputs])
        value = np.array([out.value for out in outputs])
    return ModeResult("forward", value, np.array(columns).T, counted.calls, 0)


def jacobian_reverse_mode(f, x) -> ModeResult:
    """The (m, n) Jacobian of f: Rⁿ → Rᵐ by reverse mode: one forward pass, then one backward
    pass per output gives a row."""
    x = _point(x)
    counted = _Counted(f)
    inputs = [Tensor(xj, name=f"x{j + 1}") for j, xj in enumerate(x)]
    outputs = _outputs(counted(inputs), Tensor, "jacobian_reverse_mode")
    rows, backward_passes = [], 0
    for out in outputs:
        out.backward()
        backward_passes += 1
        rows.append([0.0 if leaf.grad is None else float(leaf.grad) for leaf in inputs])
        for leaf in inputs:
            leaf.grad = None     # an input the next output does not use has no gradient
    value = np.array([out.item() for out in outputs])
    return ModeResult("reverse", value, np.array(rows), counted.calls, backward_passes)


def pass_counts(n_inputs: int, n_outputs: int) -> dict[str, int]:
    """Passes for a full Jacobian of f: Rⁿ → Rᵐ: forward mode n, reverse mode m (backward)
    after one forward pass. For a loss (m = 1) of a million parameters: 1,000,000 against 1."""
    for what, n in (("n_inputs", n_inputs), ("n_outputs", n_outputs)):
        if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 1:
            raise ValueError(f"{what}: expected an integer ≥ 1, found {n!r}")
    return {"forward mode": int(n_inputs), "reverse mode": int(n_outputs)}
