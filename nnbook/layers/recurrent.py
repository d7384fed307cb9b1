"""What every recurrent layer shares (《深度学习与神经网络》第5章, §5.4–§5.5): sequences in, the
last state or every state out, parameters "kernel", "recurrent_kernel" and "bias".

A recurrent layer reads x (batch, T, features) from zero initial states and returns h_T (batch,
units) or, with ``return_sequences=True``, every h_t (batch, T, units). Its parameters are
``gate_count`` blocks of ``units`` columns side by side: "kernel" (features, gates·units),
"recurrent_kernel" (units, gates·units) and "bias" (gates·units,) — one block for the simple RNN,
four (i, f, g, o) for the LSTM. Every weight is used once per time step. Subclasses run the cell
(``forward_unchecked``, ``backward``).
"""

from __future__ import annotations

import numpy as np

from nnbook.layers.base import Layer
from nnbook.layers.initializers import get_initializer
from nnbook.validation import check_positive


class Recurrent(Layer):
    """Shapes, parameters, input checks and the output/gradient plumbing of a recurrent layer."""

    #: Blocks of ``units`` columns in each parameter (1 for the simple RNN, 4 for the LSTM).
    gate_count = 1
    #: The class's name in messages ("SimpleRNN", "LSTM").
    kind = "recurrent layer"

    def __init__(self, units: int, return_sequences: bool, kernel_initializer,
                 recurrent_initializer, bias_initializer, name: str):
        super().__init__(name)
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
            raise ValueError(f"{self.name}: {self.kind} expects sequences (time steps, features) "
                             f"per example, found input shape {input_shape}")
        return int(input_shape[0]), int(input_shape[1])

    def output_shape(self, input_shape):
        steps, _ = self._sequence_shape(input_shape)
        return (steps, self.units) if self.return_sequences else (self.units,)

    def param_shapes(self, input_shape):
        _, features = self._sequence_shape(input_shape)
        width = self.gate_count * self.units
        return {"kernel": (features, width), "recurrent_kernel": (self.units, width),
                "bias": (width,)}

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

    def _output_of(self, hs):
        """The layer's output from every state hs (batch, T, units)."""
        return hs if self.return_sequences else np.ascontiguousarray(hs[:, -1])

    def _state_gradients(self, grad_output, hs):
        """∂L/∂h_t for every t (batch, T, units) from ∂L/∂(output), checked against the last
        forward pass (zero before the last step when only h_T was output)."""
        shape = () if self._cache is None else self._output_of(hs).shape
        grad_output = self._check_grad(grad_output, shape, self._cache)
        if self.return_sequences:
            return np.ascontiguousarray(grad_output, dtype=hs.dtype)
        grad_hs = np.zeros_like(hs)
        grad_hs[:, -1] = grad_output
        return grad_hs

    def _add_param_grads(self, grad_kernel, grad_recurrent, grad_bias) -> None:
        self.params["kernel"].grad += grad_kernel
        self.params["recurrent_kernel"].grad += grad_recurrent
        self.params["bias"].grad += grad_bias
