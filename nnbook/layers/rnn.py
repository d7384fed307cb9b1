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

from nnbook.layers.recurrent import Recurrent


def _kernels():
    """The Numba twins, imported on first use so that importing nnbook stays fast."""
    from nnbook.kernels import rnn

    return rnn


class SimpleRNN(Recurrent):
    """h_t = tanh(x_t W_x + h_{t−1} W_h + b) over x (batch, T, features), h_0 = 0.

    ``return_sequences``: output every h_t (batch, T, units) instead of h_T (batch, units).
    Initializers (names of :data:`nnbook.layers.initializers.INITIALIZERS` or callables
    (shape, rng)): ``kernel_initializer`` for W_x ("glorot_uniform"), ``recurrent_initializer``
    for W_h ("orthogonal", Keras' default: all singular values 1, so the state is neither
    shrunk nor stretched at the start), ``bias_initializer`` ("zeros").
    """

    kind = "SimpleRNN"

    def __init__(self, units: int, return_sequences: bool = False,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", name: str | None = None):
        super().__init__(units, return_sequences, kernel_initializer, recurrent_initializer,
                         bias_initializer, name or "simple_rnn")

    def forward_unchecked(self, x, training: bool = False):
        """States of a checked batch x (batch, T, features) of the layer's dtype."""
        x = np.ascontiguousarray(x)
        kernel, recurrent, bias = (self.params[k].value for k in
                                   ("kernel", "recurrent_kernel", "bias"))
        h0 = np.zeros((x.shape[0], self.units), dtype=kernel.dtype)
        hs = _kernels().forward_for(x.shape[0], self.units)(x, h0, kernel, recurrent, bias)
        self._cache = (x, h0, hs)
        return self._output_of(hs)

    def backward(self, grad_output):
        """∂L/∂(output) → ∂L/∂x (batch, T, features); adds ∂L/∂W_x, ∂L/∂W_h, ∂L/∂b (BPTT)."""
        grad_hs = self._state_gradients(grad_output, None if self._cache is None else self._cache[2])
        x, h0, hs = self._cache
        grad_x, _, grad_kernel, grad_recurrent, grad_bias = _kernels().rnn_backward(
            grad_hs, x, h0, hs, self.params["kernel"].value, self.params["recurrent_kernel"].value)
        self._add_param_grads(grad_kernel, grad_recurrent, grad_bias)
        return grad_x

    def __repr__(self):
        return (f"SimpleRNN({self.units}, return_sequences={self.return_sequences}, "
                f"name={self.name!r}, n_params={self.n_params})")
