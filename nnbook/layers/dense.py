"""The fully connected layer, 陈强 (15.24)–(15.29) in batch form.

The kernel W has shape (fan_in, units), so ``W[j, i]`` is w⁽ˡ⁾_ji, the weight from unit j of
layer l−1 to unit i of layer l (the source's index order), and for a batch A⁽ˡ⁻¹⁾ (batch, fan_in)

    Z⁽ˡ⁾ = A⁽ˡ⁻¹⁾ W⁽ˡ⁾ + b⁽ˡ⁾   (陈强 (15.25), the bias kept as its own vector),   A⁽ˡ⁾ = f(Z⁽ˡ⁾)   (15.24).

Backward receives ∂L/∂A⁽ˡ⁾ and forms δ⁽ˡ⁾ = ∂L/∂Z⁽ˡ⁾ = f′(Z⁽ˡ⁾) ⊙ ∂L/∂A⁽ˡ⁾; it adds
∂L/∂W⁽ˡ⁾ = A⁽ˡ⁻¹⁾ᵀ δ⁽ˡ⁾ (陈强 (15.26), summed over the batch) and ∂L/∂b⁽ˡ⁾ = Σ δ⁽ˡ⁾ to the
parameters' gradients and returns ∂L/∂A⁽ˡ⁻¹⁾ = δ⁽ˡ⁾ W⁽ˡ⁾ᵀ. The layer below multiplies this by its
own f′: together that is the recursion δ⁽ˡ⁻¹⁾ = f′(Z⁽ˡ⁻¹⁾) ⊙ (δ⁽ˡ⁾ W⁽ˡ⁾ᵀ), 陈强 (15.27)–(15.29).
Nielsen writes the same layer with the transposed matrix, a′ = σ(w a + b) with w of shape
(n_out, n_in); :class:`nnbook.models.network.Network` shows that view of these kernels.
"""

from __future__ import annotations

from nnbook.layers.activation import Nonlinearity
from nnbook.layers.base import Layer
from nnbook.layers.initializers import get_initializer
from nnbook.layers.regularizers import check_penalty
from nnbook.validation import check_positive


class Dense(Layer):
    """A = f(X W + b) for X (batch, fan_in), kernel W (fan_in, units), bias b (units,).

    ``activation``: None (linear) or a name such as "sigmoid", "relu", "softmax".
    ``kernel_initializer`` / ``bias_initializer``: a name of
    :data:`nnbook.layers.initializers.INITIALIZERS` ("glorot_uniform", Keras' default;
    "normal" N(0, 1) and "uniform" U[−0.7, 0.7], 陈强's two choices; "zeros"; "constant") or a
    callable (shape, rng). ``kernel_regularizer``, ``bias_regularizer``: penalties such as
    :func:`nnbook.layers.regularizers.l2` on the kernel and the bias; the model adds their values
    to the loss and their gradients to the parameters' (陈强 (15.33)). ``activity_regularizer``:
    a penalty on the layer's output A, added as penalty(A)/batch size (Keras' convention).
    Parameters: ``params["kernel"]`` and ``params["bias"]``.
    """

    skips_input_grad = True

    def __init__(self, units: int, activation=None, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, name: str | None = None):
        super().__init__(name)
        self.units = check_positive(units, "units", integer=True)
        self._nonlinearity = Nonlinearity(activation)
        self.activation = self._nonlinearity.name
        self.kernel_initializer = get_initializer(kernel_initializer)
        self.bias_initializer = get_initializer(bias_initializer)
        self.kernel_regularizer = check_penalty(kernel_regularizer, "kernel_regularizer")
        self.bias_regularizer = check_penalty(bias_regularizer, "bias_regularizer")
        self.activity_regularizer = check_penalty(activity_regularizer, "activity_regularizer")
        self._x = self._z = self._a = None

    def output_shape(self, input_shape):
        self._flat_features(input_shape)
        return (self.units,)

    def param_shapes(self, input_shape):
        return {"kernel": (self._flat_features(input_shape), self.units), "bias": (self.units,)}

    def initial_values(self, input_shape, rng):
        shapes = self.param_shapes(input_shape)
        return {"kernel": self.kernel_initializer(shapes["kernel"], rng),
                "bias": self.bias_initializer(shapes["bias"], rng)}

    def forward(self, x, training: bool = False):
        self._require_built()
        return self.forward_unchecked(self._check_input(x, ndim=2), training)

    def forward_unchecked(self, x, training: bool = False):
        """Z = XW + b, A = f(Z) for a checked batch x (batch, fan_in) of the layer's dtype."""
        self._x = x
        self._z = x @ self.params["kernel"].value                                    # 陈强 (15.25)
        self._z += self.params["bias"].value
        self._a = self._nonlinearity(self._z)                                        # 陈强 (15.24)
        return self._a

    @property
    def preactivation(self):
        """Z = X W + b of the last forward pass (batch, units)."""
        return self._z

    def backward(self, grad_output, input_grad: bool = True):
        """∂L/∂A (batch, units) → ∂L/∂X (batch, fan_in); adds to the kernel's and bias' grads.

        ``input_grad=False`` skips ∂L/∂X and returns None: a model's lowest layer does not need
        it (its input is the data), and for a 784-input layer that product is a third of the work.
        """
        grad_output = self._check_grad(grad_output, self._shape(), self._a)
        return self._backward_delta(self._nonlinearity.backward(self._z, self._a, grad_output),
                                    input_grad)

    def backward_preactivation(self, delta, input_grad: bool = True):
        """Backward from δ = ∂L/∂Z (batch, units): 陈强 (15.26) for the parameters, δWᵀ for the input."""
        return self._backward_delta(self._check_grad(delta, self._shape(), self._z), input_grad)

    def _backward_delta(self, delta, input_grad: bool):
        self.params["kernel"].grad += self._x.T @ delta                          # 陈强 (15.26)
        self.params["bias"].grad += delta.sum(axis=0)
        if not input_grad:
            return None
        return delta @ self.params["kernel"].value.T                             # feeds 陈强 (15.29)

    def _shape(self):
        return () if self._z is None else self._z.shape

    def penalties(self):
        if not self.built:
            return []
        return [(self.params[key], penalty) for key, penalty in
                (("kernel", self.kernel_regularizer), ("bias", self.bias_regularizer))
                if penalty is not None]

    def __repr__(self):
        return (f"Dense({self.units}, activation={self.activation!r}, name={self.name!r}, "
                f"n_params={self.n_params})")
