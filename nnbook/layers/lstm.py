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
from nnbook.layers.recurrent import Recurrent


class LSTM(Recurrent):
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
    gate_count = 4
    kind = "LSTM"

    def __init__(self, units: int, return_sequences: bool = False, cell_output: str = "tanh",
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", unit_forget_bias: bool = True,
                 name: str | None = None):
        super().__init__(units, return_sequences, kernel_initializer, recurrent_initializer,
                         bias_initializer, name or "lstm")
        if not isinstance(unit_forget_bias, bool):
            raise TypeError(f"unit_forget_bias: expected True or False, found {unit_forget_bias!r}")
        if cell_output not in CELL_OUTPUTS:
            raise ValueError(f"cell_output: expected one of {CELL_OUTPUTS} ('tanh': h = o⊙tanh(c), "
                             f"'book': the book's h = c⊙o), found {cell_output!r}")
        self.cell_output = cell_output
        self.unit_forget_bias = unit_forget_bias

    def initial_values(self, input_shape, rng):
        values = super().initial_values(input_shape, rng)
        bias = np.array(values["bias"], dtype=np.float64)
        if self.unit_forget_bias:
            bias[self.units:2 * self.units] = 1.0                  # the forget gate's block
        return {**values, "bias": bias}

    # ------------------------------------------------------------------ passes
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
        return self._output_of(hs)

    def backward(self, grad_output, input_grad: bool = True):
        """∂L/∂(output) → ∂L/∂x (batch, T, features); adds ∂L/∂W, ∂L/∂U, ∂L/∂b (BPTT).

        ``input_grad=False`` returns None (the lowest layer of a model: nobody reads ∂L/∂x).
        """
        grad_hs = self._state_gradients(grad_output, None if self._cache is None else self._cache[2])
        x, zeros, hs, cs, gates = self._cache
        kernel, recurrent = self.params["kernel"], self.params["recurrent_kernel"]
        _, backward = fast_lstm_pair(x.shape[0], self.units)
        grad_x, _, _, grad_kernel, grad_recurrent, grad_bias = backward(
            grad_hs, x, zeros, zeros, kernel.value, recurrent.value, hs, cs, gates,
            self.cell_output == "book", zeros)
        self._add_param_grads(grad_kernel, grad_recurrent, grad_bias)
        return grad_x if input_grad else None

    def __repr__(self):
        return (f"LSTM({self.units}, return_sequences={self.return_sequences}, "
                f"cell_output={self.cell_output!r}, name={self.name!r}, n_params={self.n_params})")
