"""The LSTM layer: the cell of 《深度学习与神经网络》第5章 (5.5.3, (5-37)) unrolled over time.

For a batch of sequences x (batch, T, features) the layer runs the cell of
:mod:`nnbook.functional.lstm` from h_0 = c_0 = 0 and returns every output h_t (batch, T, units)
with ``return_sequences=True``, otherwise the last one (batch, units), which a Dense layer can
read. Parameters, the four gates (i, f, g, o) side by side: "kernel" W (features, 4·units),
"recurrent_kernel" U (units, 4·units), "bias" (4·units,) — 4·((I + H)·H + H) numbers
(:func:`nnbook.functional.lstm.lstm_param_count`). ``cell_output="tanh"`` is the standard
h = o ⊙ tanh(c) (an addition, not in the source chapter); ``"book"`` is the book's h = c ⊙ o.

``backward`` is backpropagation through time, (5-39)–(5-45) in corrected form; both passes call
the fast twins of :mod:`nnbook.kernels.lstm` in the layer's dtype.
"""

from __future__ import annotations

import numpy as np

from nnbook.functional.lstm import CELL_OUTPUTS, fast_lstm_pair
from nnbook.layers.base import Layer
from nnbook.layers.initializers import get_initializer
from nnbook.validation import check_positive


class LSTM(Layer):
    """(5-37) over x (batch, T, features) from h_0 = c_0 = 0; output h_T or every h_t.

    ``return_sequences``: output (batch, T, units) instead of (batch, units).
    ``cell_output``: "tanh" (h = o ⊙ tanh(c), standard, an addition) or "book" (h = c ⊙ o, (5-37)).
    Initializers (names of :data:`nnbook.layers.initializers.INITIALIZERS` or callables
    (shape, rng)): ``kernel_initializer`` ("glorot_uniform"), ``recurrent_initializer``
    ("orthogonal", Keras' default), ``bias_initializer`` ("zeros"). ``unit_forget_bias=True``
    then sets the forget gate's bias to 1, as Keras' option of that name does (Jozefowicz et
    al. 2015; not in the source chapter): f starts near σ(1) ≈ 0.73, so the cell state, and its
    gradient, is mostly kept rather than forgotten at the start of training.
    """

    skips_input_grad = True

    def __init__(self, units: int, return_sequences: bool = False, cell_output: str = "tanh",
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", unit_forget_bias: bool = True,
                 name: str | None = None):
        super().__init__(name or "lstm")
        self.units = check_positive(units, "units", integer=True)
        for flag, value in (("return_sequences", return_sequences),
                            ("unit_forget_bias", unit_forget_bias)):
            if not isinstance(value, bool):
                raise TypeError(f"{flag}: expected True or False, found {value!r}")
        if cell_output not in CELL_OUTPUTS:
            raise ValueError(f"cell_output: expected one of {CELL_OUTPUTS} ('tanh': h = o⊙tanh(c), "
                             f"'book': the book's h = c⊙o), found {cell_output!r}")
        self.return_sequences = return_sequences
        self.cell_output = cell_output
        self.unit_forget_bias = unit_forget_bias
        self.kernel_initializer = get_initializer(kernel_initializer)
        self.recurrent_initializer = get_initializer(recurrent_initializer)
        self.bias_initializer = get_initializer(bias_initializer)
        self._cache = None

    # ------------------------------------------------------------------ shapes and parameters
    def _sequence_shape(self, input_shape) -> tuple[int, int]:
        input_shape = tuple(input_shape)
        if len(input_shape) != 2 or min(input_shape) < 1:
            raise ValueError(f"{self.name}: LSTM expects sequences (time steps, features) per "
                             f"example, found input shape {input_shape}")
        return int(input_shape[0]), int(input_shape[1])

    def output_shape(self, input_shape):
        steps, _ = self._sequence_shape(input_shape)
        return (steps, self.units) if self.return_sequences else (self.units,)

    def param_shapes(self, input_shape):
        _, features = self._sequence_shape(input_shape)
        width = 4 * self.units
        return {"kernel": (features, width), "recurrent_kernel": (self.units, width),
                "bias": (width,)}

    def count_connections(self, input_shape) -> int:
        """Multiply-adds per example: every weight and bias is used once per time step."""
        steps, _ = self._sequence_shape(input_shape)
        return steps * sum(self.count_params(input_shape))

    def initial_values(self, input_shape, rng):
        shapes = self.param_shapes(input_shape)
        bias = np.array(self.bias_initializer(shapes["bias"], rng), dtype=np.float64)
        if self.unit_forget_bias:
            bias[self.units:2 * self.units] = 1.0                  # the forget gate's block
        return {"kernel": self.kernel_initializer(shapes["kernel"], rng),
                "recurrent_kernel": self.recurrent_initializer(shapes["recurrent_kernel"], rng),
                "bias": bias}

    # ------------------------------------------------------------------ passes
    def forward(self, x, training: bool = False):
        self._require_built()
        x = self._check_input(x, ndim=3)
        return self.forward_unchecked(x.astype(self.params["kernel"].value.dtype, copy=False),
                                      training)

    def forward_unchecked(self, x, training: bool = False):
        """Outputs of a checked batch x (batch, T, features) of the layer's dtype."""
        x = np.ascontiguousarray(x)
        kernel, recurrent, bias = (self.params[k].value for k in
                                   ("kernel", "recurrent_kernel", "bias"))
        zeros = np.zeros((x.shape[0], self.units), dtype=kernel.dtype)    # h_0 = c_0 = 0
        forward, _ = fast_lstm_pair(x.shape[0], self.units)
        hs, cs, gates = forward(x, zeros, zeros, kernel, recurrent, bias,
                                self.cell_output == "book")
        self._cache = (x, zeros, hs, cs, gates)
        return hs if self.return_sequences else np.ascontiguousarray(hs[:, -1])

    def backward(self, grad_output, input_grad: bool = True):
        """∂L/∂(output) → ∂L/∂x (batch, T, features); adds ∂L/∂W, ∂L/∂U, ∂L/∂b (BPTT).

        ``input_grad=False`` returns None (the lowest layer of a model: nobody reads ∂L/∂x).
        """
        shape = () if self._cache is None else self._output_of(self._cache[2]).shape
        grad_output = self._check_grad(grad_output, shape, self._cache)
        x, zeros, hs, cs, gates = self._cache
        if self.return_sequences:
            grad_hs = np.ascontiguousarray(grad_output, dtype=hs.dtype)
        else:
            grad_hs = np.zeros_like(hs)
            grad_hs[:, -1] = grad_output
        kernel, recurrent = self.params["kernel"], self.params["recurrent_kernel"]
        _, backward = fast_lstm_pair(x.shape[0], self.units)
        grad_x, _, _, grad_kernel, grad_recurrent, grad_bias = backward(
            grad_hs, x, zeros, zeros, kernel.value, recurrent.value, hs, cs, gates,
            self.cell_output == "book", zeros)
        kernel.grad += grad_kernel
        recurrent.grad += grad_recurrent
        self.params["bias"].grad += grad_bias
        return grad_x if input_grad else None

    def _output_of(self, hs):
        return hs if self.return_sequences else hs[:, -1]

    def __repr__(self):
        return (f"LSTM({self.units}, return_sequences={self.return_sequences}, "
                f"cell_output={self.cell_output!r}, name={self.name!r}, n_params={self.n_params})")
