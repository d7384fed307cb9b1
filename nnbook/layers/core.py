"""Fully connected building blocks on the :class:`~nnbook.layers.base.Layer` protocol.

Shapes: Dense, Activation and Dropout take (batch, features) (Activation and Dropout accept any
shape); Flatten takes (batch, …). The notation follows 陈强 (15.24)–(15.29): the kernel
``W`` has shape (units of layer l−1, units of layer l), so ``W[j, i]`` is w⁽ˡ⁾_ji, the weight
from unit j of layer l−1 to unit i of layer l, and the layer computes, for a batch A⁽ˡ⁻¹⁾,

    Z⁽ˡ⁾ = A⁽ˡ⁻¹⁾ W⁽ˡ⁾ + b⁽ˡ⁾   (15.25, the bias kept as its own vector),   A⁽ˡ⁾ = f(Z⁽ˡ⁾)   (15.24).

Backward receives ∂L/∂A⁽ˡ⁾ and forms δ⁽ˡ⁾ = ∂L/∂Z⁽ˡ⁾ = f′(Z⁽ˡ⁾) ⊙ ∂L/∂A⁽ˡ⁾; the parameter
gradients are ∂L/∂W⁽ˡ⁾ = A⁽ˡ⁻¹⁾ᵀ δ⁽ˡ⁾ (15.26, summed over the batch) and ∂L/∂b⁽ˡ⁾ = Σ δ⁽ˡ⁾, and it
returns ∂L/∂A⁽ˡ⁻¹⁾ = δ⁽ˡ⁾ W⁽ˡ⁾ᵀ. The next layer down multiplies this by its own f′: together
that is the recursion δ⁽ˡ⁻¹⁾ = f′(Z⁽ˡ⁻¹⁾) ⊙ (δ⁽ˡ⁾ W⁽ˡ⁾ᵀ), i.e. (15.27)–(15.29).
"""

from __future__ import annotations

import numbers

import numpy as np

from nnbook import activations
from nnbook.initializers import get_initializer
from nnbook.layers.base import Layer
from nnbook.validation import as_float_array, check_positive

OUTPUT_ONLY = ("softmax",)


def resolve_activation(name):
    """(name, f, backward) for an activation name; backward(z, a, ∂L/∂a) → ∂L/∂z.

    Element-wise activations come from :func:`nnbook.activations.get_activation` and use
    ∂L/∂z = f′(z) ⊙ ∂L/∂a. ``"softmax"`` (row-wise) uses its Jacobian–vector product
    ∂L/∂z = a ⊙ (∂L/∂a − Σ_k a_k ∂L/∂a_k).
    """
    if isinstance(name, str) and name.strip().lower() == "softmax":
        def softmax_backward(z, a, grad_a):
            return a * (grad_a - np.sum(grad_a * a, axis=-1, keepdims=True))
        return "softmax", activations.softmax, softmax_backward

    f, f_prime = activations.get_activation(name)

    def elementwise_backward(z, a, grad_a):
        return grad_a * f_prime(z)
    return ("linear" if name is None else name.strip().lower()), f, elementwise_backward


def _batch(x, layer: Layer, ndim=None) -> np.ndarray:
    x = as_float_array(x, f"{layer.name} input", ndim=ndim)
    if x.ndim < 1:
        raise ValueError(f"{layer.name} input: expected a batch (first axis = examples), found a "
                         "scalar")
    if layer.input_shape is not None and x.shape[1:] != layer.input_shape:
        raise ValueError(f"{layer.name} input: expected examples of shape {layer.input_shape} "
                         f"(built for that), found a batch of shape {x.shape}")
    return x


def _needs_forward(layer: Layer, cache):
    if cache is None:
        raise RuntimeError(f"{layer.name}: backward called before forward")


def _grad(grad_output, layer: Layer, shape) -> np.ndarray:
    grad_output = as_float_array(grad_output, f"{layer.name} grad_output")
    if grad_output.shape != shape:
        raise ValueError(f"{layer.name} grad_output: expected shape {shape} (the last forward "
                         f"output), found {grad_output.shape}")
    return grad_output


class Activation(Layer):
    """A = f(Z) element-wise (15.24), or row-wise softmax for ``"softmax"``; no parameters."""

    def __init__(self, activation, name: str | None = None):
        super().__init__(name)
        self.activation, self._f, self._backward = resolve_activation(activation)
        self._z = self._a = None

    def forward(self, x, training: bool = False):
        self._z = _batch(x, self)
        self._a = self._f(self._z)
        return self._a

    @property
    def preactivation(self):
        """The input Z of the last forward pass (the model uses it for stable output losses)."""
        return self._z

    def backward(self, grad_output):
        _needs_forward(self, self._a)
        grad_output = _grad(grad_output, self, self._a.shape)
        return self._backward(self._z, self._a, grad_output)

    def backward_z(self, grad_z):
        """Backward when ∂L/∂Z is already known (softmax + cross-entropy fused in the model)."""
        _needs_forward(self, self._a)
        return _grad(grad_z, self, self._z.shape)

    def __repr__(self):
        return f"Activation({self.activation!r}, name={self.name!r})"


class Dense(Layer):
    """Fully connected layer: A = f(X W + b) for X (batch, fan_in), W (fan_in, units), b (units,).

    ``kernel_initializer``: ``"glorot_uniform"`` (Keras' default), ``"normal"`` (N(0, 1)),
    ``"uniform"`` (U[−0.7, 0.7]) — the source's two choices —, ``"zeros"``, ``"constant"``
    (all 1) or a callable (shape, rng). ``kernel_regularizer``: e.g.
    :func:`nnbook.regularizers.l2`, whose gradient backward adds to ∂L/∂W (15.33), so
    ``grads["W"]`` is the gradient of loss + penalty (the model adds :meth:`penalty` to its
    loss; a layer-level gradient check should therefore use a layer without a regularizer).
    """

    def __init__(self, units: int, activation=None, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, name: str | None = None):
        super().__init__(name)
        self.units = check_positive(units, "units", integer=True)
        self.activation, self._f, self._act_backward = resolve_activation(activation)
        self.kernel_initializer = get_initializer(kernel_initializer)
        self.bias_initializer = get_initializer(bias_initializer)
        if kernel_regularizer is not None and not (callable(kernel_regularizer)
                                                   and hasattr(kernel_regularizer, "gradient")):
            raise TypeError("kernel_regularizer: expected None or a penalty with __call__(W) and "
                            f"gradient(W) such as nnbook.regularizers.l2(0.01), found "
                            f"{type(kernel_regularizer).__name__}")
        self.kernel_regularizer = kernel_regularizer
        self._x = self._z = self._a = None

    def build(self, input_shape, rng):
        input_shape = tuple(input_shape)
        if len(input_shape) != 1:
            raise ValueError(f"{self.name}: Dense expects flat examples (features,), found input "
                             f"shape {input_shape}; put a Flatten() layer first")
        rng = np.random.default_rng(rng)
        fan_in = input_shape[0]
        W = np.asarray(self.kernel_initializer((fan_in, self.units), rng), dtype=np.float64)
        b = np.asarray(self.bias_initializer((self.units,), rng), dtype=np.float64)
        if W.shape != (fan_in, self.units) or b.shape != (self.units,):
            raise ValueError(f"{self.name}: the initializer returned shapes {W.shape} and "
                             f"{b.shape}, expected {(fan_in, self.units)} and {(self.units,)}")
        self.params = {"W": W, "b": b}
        self.zero_grads()
        super().build(input_shape, rng)

    def output_shape(self, input_shape):
        return (self.units,)

    def forward(self, x, training: bool = False):
        if not self.built:
            raise RuntimeError(f"{self.name}: build(input_shape, rng) first (a Sequential model "
                               "does this for you)")
        self._x = _batch(x, self, ndim=2)
        self._z = self._x @ self.params["W"] + self.params["b"]          # (15.25)
        self._a = self._f(self._z)                                        # (15.24)
        return self._a

    @property
    def preactivation(self):
        """Z = X W + b of the last forward pass (batch, units)."""
        return self._z

    def backward(self, grad_output):
        """∂L/∂A (batch, units) → ∂L/∂X (batch, fan_in); fills grads["W"], grads["b"]."""
        _needs_forward(self, self._a)
        grad_output = _grad(grad_output, self, self._a.shape)
        return self.backward_z(self._act_backward(self._z, self._a, grad_output))

    def backward_z(self, delta):
        """Backward from δ = ∂L/∂Z (batch, units): (15.26) for the parameters, δWᵀ for the input."""
        _needs_forward(self, self._a)
        delta = _grad(delta, self, self._z.shape)
        grad_W = self._x.T @ delta                                        # (15.26)
        if self.kernel_regularizer is not None:
            grad_W = grad_W + self.kernel_regularizer.gradient(self.params["W"])   # (15.33)
        self.grads = {"W": grad_W, "b": delta.sum(axis=0)}
        return delta @ self.params["W"].T                                 # feeds (15.29)

    def penalty(self) -> float:
        """λ‖W‖² of the kernel regularizer, 0 without one (added to the loss by the model)."""
        if self.kernel_regularizer is None or not self.built:
            return 0.0
        return float(self.kernel_regularizer(self.params["W"]))

    def __repr__(self):
        return (f"Dense({self.units}, activation={self.activation!r}, name={self.name!r}, "
                f"n_params={self.n_params})")


class Dropout(Layer):
    """Inverted dropout (陈强 §15.9, fig. 15.14; Srivastava et al. 2014).

    In training each unit is kept with probability 1 − ``rate`` and the kept ones are divided by
    1 − rate, so the expected activation is unchanged and inference is the identity (no
    rescaling at test time). The source drops 50 % (``rate=0.5``) and does not discuss the
    scaling. The mask comes from ``rng`` (a Generator or seed; when None, the one the model
    passes to ``build``). ``fix_mask(mask)`` freezes a 0/1 mask (for gradient checks and
    figures); the last mask used is ``mask`` (1 = kept).
    """

    deterministic = False

    def __init__(self, rate: float, rng=None, name: str | None = None):
        super().__init__(name)
        if isinstance(rate, bool) or not isinstance(rate, numbers.Real) or not 0 <= rate < 1:
            raise ValueError(f"rate: expected a drop probability in [0, 1), found {rate!r}")
        self.rate = float(rate)
        self.rng = None if rng is None else np.random.default_rng(rng)
        self.mask = None
        self._fixed = None
        self._scale = None

    def build(self, input_shape, rng):
        if self.rng is None:
            self.rng = np.random.default_rng(rng)
        super().build(input_shape, rng)

    def fix_mask(self, mask) -> None:
        """Use this 0/1 ``mask`` (shape of one batch) in every training forward; None to unfix."""
        if mask is None:
            self._fixed = None
            return
        mask = as_float_array(mask, "mask")
        if not np.all((mask == 0) | (mask == 1)):
            raise ValueError("mask: expected entries 0 (dropped) or 1 (kept)")
        self._fixed = mask

    def forward(self, x, training: bool = False):
        x = _batch(x, self)
        if not training or self.rate == 0.0:
            self._scale = np.ones_like(x)
            self.mask = None
            return x
        if self._fixed is not None:
            if self._fixed.shape != x.shape:
                raise ValueError(f"{self.name}: fixed mask has shape {self._fixed.shape}, the batch "
                                 f"has shape {x.shape}")
            self.mask = self._fixed
        else:
            if self.rng is None:
                self.rng = np.random.default_rng()
            self.mask = (self.rng.random(x.shape) >= self.rate).astype(np.float64)
        self._scale = self.mask / (1.0 - self.rate)
        return x * self._scale

    def backward(self, grad_output):
        _needs_forward(self, self._scale)
        grad_output = _grad(grad_output, self, self._scale.shape)
        return grad_output * self._scale

    def __repr__(self):
        return f"Dropout(rate={self.rate}, name={self.name!r})"


class Flatten(Layer):
    """(batch, d₁, d₂, …) → (batch, d₁·d₂·…), e.g. a 100×100×3 image → 30,000 inputs (W14)."""

    def __init__(self, name: str | None = None):
        super().__init__(name)
        self._shape = None

    def output_shape(self, input_shape):
        return (int(np.prod(input_shape)),)

    def forward(self, x, training: bool = False):
        x = _batch(x, self)
        self._shape = x.shape
        return x.reshape(x.shape[0], -1)

    def backward(self, grad_output):
        _needs_forward(self, self._shape)
        grad_output = _grad(grad_output, self, (self._shape[0], int(np.prod(self._shape[1:]))))
        return grad_output.reshape(self._shape)
