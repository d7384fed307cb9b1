"""The simple recurrent layer: the tanh cell of 《深度学习与神经网络》第5章 (5.4.3) unrolled over time.

For a batch of sequences x (batch, T, features) the layer runs h_t = tanh(x_t W_x + h_{t−1} W_h + b)
from h_0 = 0 (the book's h_init = [0, 0]) and returns every state (batch, T, units) with
``return_sequences=True``, otherwise the last one (batch, units) — a sequence-to-one layer whose
output a Dense layer can read, as the book's output layer reads each state. Its parameters are
the book's (n + x)·n + n (:func:`nnbook.functional.rnn.rnn_param_count`), kept as two blocks of
W_rnn: "kernel" W_x (features, units), "recurrent_kernel" W_h (units, units), and "bias" (units,).

``backward`` is backpropagation through time (an addition, not in the source chapter); both
passes call the Numba twins of :mod:`nnbook.kernels.rnn` in the layer's dtype.
"""

from __future__ import annotations

import numpy as np

from nnbook.layers.base import Layer
from nnbook.layers.initializers import get_initializer
from nnbook.validation import check_positive


def _kernels():
    """The Numba twins, imported on first use so that importing nnbook stays fast."""
    from nnbook.kernels import rnn

    return rnn


class SimpleRNN(Layer):
    """h_t = tanh(x_t W_x + h_{t−1} W_h + b) over x (batch, T, features), h_0 = 0.

    ``return_sequences``: output every h_t (batch, T, units) instead of h_T (batch, units).
    Initializers (names of :data:`nnbook.layers.initializers.INITIALIZERS` or callables
    (shape, rng)): ``kernel_initializer`` for W_x ("glorot_uniform"), ``recurrent_initializer``
    for W_h ("orthogonal", Keras' default: all singular values 1, so the state is neither
    shrunk nor stretched at the start), ``bias_initializer`` ("zeros").
    """

    def __init__(self, units: int, return_sequences: bool = False,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", name: str | None = None):
        super().__init__(name or "simple_rnn")
        self.units = check_positive(units, "units", integer=True)
        if not isinstance(return_sequences, bool):
            raise TypeError(f"return_sequences: expected True or False, found {return_sequences!r}")
        self.return_sequences = return_sequences
        self.kernel_initializer = get_initializer(kernel_initializer)
        self.recurrent_initializer = get_initializer(recurrent_initializer)
        self.bias_initializer = get_initializer(bias_initializer)
        self._cache = None

    # ------------------------------------------------------------------ shapes and parameters
    def _sequence_shape(self, input_shape) -> tuple[int, int]:
        input_shape = tuple(input_shape)
        if len(input_shape) != 2 or min(input_shape) < 1:
            raise ValueError(f"{self.name}: SimpleRNN expects sequences (time steps, features) "
                             f"per example, found input shape {input_shape}")
        return int(input_shape[0]), int(input_shape[1])

    def output_shape(self, input_shape):
        steps, _ = self._sequence_shape(input_shape)
        return (steps, self.units) if self.return_sequences else (self.units,)

    def param_shapes(self, input_shape):
        _, features = self._sequence_shape(input_shape)
        return {"kernel": (features, self.units), "recurrent_kernel": (self.units, self.units),
                "bias": (self.units,)}

    def count_connections(self, input_shape) -> int:
        """Multiply-adds per example: every weight and bias is used once per time step."""
        steps, _ = self._sequence_shape(input_shape)
        return steps * sum(self.count_params(input_shape))

    def initial_values(self, input_shape, rng):
        shapes = self.param_shapes(input_shape)
        return {"kernel": self.kernel_initializer(shapes["kernel"], rng),
                "recurrent_kernel": self.recurrent_initializer(shapes["recurrent_kernel"], rng),
                "bias": self.bias_initializer(shapes["bias"], rng)}

    # ------------------------------------------------------------------ passes
    def forward(self, x, training: bool = False):
        self._require_built()
        x = self._check_input(x, ndim=3)
        return self.forward_unchecked(x.astype(self.params["kernel"].value.dtype, copy=False),
                                      training)

    def forward_unchecked(self, x, training: bool = False):
        """States of a checked batch x (batch, T, features) of the layer's dtype."""
        x = np.ascontiguousarray(x)
        kernel, recurrent, bias = (self.params[k].value for k in
                                   ("kernel", "recurrent_kernel", "bias"))
        h0 = np.zeros((x.shape[0], self.units), dtype=kernel.dtype)
        hs = _kernels().forward_for(x.shape[0], self.units)(x, h0, kernel, recurrent, bias)
        self._cache = (x, h0, hs)
        return hs if self.return_sequences else np.ascontiguousarray(hs[:, -1])

    def backward(self, grad_output):
        """∂L/∂(output) → ∂L/∂x (batch, T, features); adds ∂L/∂W_x, ∂L/∂W_h, ∂L/∂b (BPTT)."""
        shape = () if self._cache is None else self._output_of(self._cache[2]).shape
        grad_output = self._check_grad(grad_output, shape, self._cache)
        x, h0, hs = self._cache
        if self.return_sequences:
            grad_hs = np.ascontiguousarray(grad_output, dtype=hs.dtype)
        else:
            grad_hs = np.zeros_like(hs)
            grad_hs[:, -1] = grad_output
        kernel, recurrent = self.params["kernel"], self.params["recurrent_kernel"]
        grad_x, _, grad_kernel, grad_recurrent, grad_bias = _kernels().rnn_backward(
            grad_hs, x, h0, hs, kernel.value, recurrent.value)
        kernel.grad += grad_kernel
        recurrent.grad += grad_recurrent
        self.params["bias"].grad += grad_bias
        return grad_x

    def _output_of(self, hs):
        return hs if self.return_sequences else hs[:, -1]

    def __repr__(self):
        return (f"SimpleRNN({self.units}, return_sequences={self.return_sequences}, "
                f"name={self.name!r}, n_params={self.n_params})")
