"""The simple recurrent network (《深度学习与神经网络》第5章, 5.4), with fast twins.

One cell is a fully connected tanh layer on the previous state and the current input
(5.4.3, Fig. 5-27). With rows as examples, h_{t−1} (B, H), x_t (B, I)::

    h_t = tanh(x_t W_x + h_{t−1} W_h + b),   W_x = ``kernel`` (I, H),
                                              W_h = ``recurrent_kernel`` (H, H)

The book writes the same cell on the concatenation [h_{t−1}, x_t] (state first) with one weight
matrix W_rnn of n + x rows — W_rnn = [[W_h], [W_x]] stacked (:func:`concatenated_weights`) — and
counts its (n + x)·n + n parameters (:func:`rnn_param_count`). Its program after Fig. 5-28
(p. 148) keeps the two blocks apart — the state row vector times ``w_cell_state``, plus the
input number times the vector ``w_cell_input``, plus ``b_cell`` — so ``w_cell_state`` is W_h as
it is here (row = state unit read, column = unit written) and ``w_cell_input`` is the single row
of W_x. The outputs o_t = h_t W_out + b_out are an ordinary
fully connected layer on each state, and the loss of a sequence is the sum of per-step losses
over all or some of the steps (:func:`total_loss`).

The book only names backpropagation through time (5.4.2: unrolled over N steps the network is
an N-layer feed-forward net, trained by ordinary backpropagation). Its formulas here —
:func:`rnn_backward_reference` and :func:`state_gradient_norms` — are an addition, not in the
source chapter. With δ_t = ∂L/∂z_t for z_t = x_t W_x + h_{t−1} W_h + b::

    ∂L/∂h_t = g_t + δ_{t+1} W_hᵀ,   δ_t = ∂L/∂h_t ⊙ (1 − h_t²),
    ∂L/∂W_x = Σ_t x_tᵀ δ_t,   ∂L/∂W_h = Σ_t h_{t−1}ᵀ δ_t,   ∂L/∂b = Σ_t Σ_rows δ_t,
    ∂L/∂x_t = δ_t W_xᵀ,   ∂L/∂h_0 = δ_1 W_hᵀ

where g_t is the gradient the loss sends to h_t directly. Every ``*_reference`` function is a
loop over time that mirrors these formulas; :func:`rnn_forward` and :func:`rnn_backward` check
their arguments and call the Numba twins in :mod:`nnbook.kernels.rnn`, tested equal.
Sequences are (batch, time, features).
"""

from __future__ import annotations

import numpy as np

from nnbook.validation import as_float_array, check_positive

__all__ = [
    "rnn_param_count", "rnn_cell", "concatenated_weights", "rnn_cell_concatenated",
    "rnn_forward_reference", "rnn_forward", "rnn_backward_reference", "rnn_backward",
    "rnn_trace", "total_loss", "recurrent_kernel_with_radius", "state_gradient_norms",
]


def _kernels():
    """The Numba twins, imported on first use so that importing nnbook stays fast."""
    from nnbook.kernels import rnn

    return rnn


# --- sizes ---------------------------------------------------------------------------------

def rnn_param_count(n_state: int, n_input: int) -> int:
    """(n + x)·n + n parameters of one cell: W_rnn ((n + x) × n) and the bias (n) (5.4.3).

    The book's example (n = 2 state units, x = 1 input) has 3·2 + 2 = 8.
    """
    check_positive(n_state, "n_state", integer=True)
    check_positive(n_input, "n_input", integer=True)
    return (n_state + n_input) * n_state + n_state


# --- one step --------------------------------------------------------------------------------

def _weights(kernel, recurrent_kernel, bias=None):
    """The cell's weights as float arrays of matching shapes: W_x (I, H), W_h (H, H), b (H,)."""
    kernel = as_float_array(kernel, "kernel", ndim=2)
    recurrent_kernel = as_float_array(recurrent_kernel, "recurrent_kernel", ndim=2)
    if bias is not None:
        bias = as_float_array(bias, "bias", ndim=1)
    _check_weight_shapes(kernel, recurrent_kernel, bias)
    return kernel, recurrent_kernel, bias


def _check_weight_shapes(kernel, recurrent_kernel, bias) -> None:
    units = recurrent_kernel.shape[1]
    if recurrent_kernel.shape != (units, units):
        raise ValueError(f"recurrent_kernel: expected a square (H, H) matrix, found shape "
                         f"{recurrent_kernel.shape}")
    if kernel.shape[1] != units:
        raise ValueError(f"kernel has shape {kernel.shape} but recurrent_kernel has {units} "
                         f"units; expected kernel (I, {units})")
    if bias is not None and bias.shape != (units,):
        raise ValueError(f"bias: expected shape ({units},) (one per unit), found {bias.shape}")


def _rows(array, name, width, batch=None):
    """A (B, width) float array; 1-D input is one example."""
    array = as_float_array(array, name, ndim=(1, 2))
    array = array.reshape(1, -1) if array.ndim == 1 else array
    if array.shape[1] != width:
        raise ValueError(f"{name}: expected {width} features per row, found shape {array.shape}")
    if batch is not None and array.shape[0] != batch:
        raise ValueError(f"{name} has {array.shape[0]} rows but the batch has {batch}; expected "
                         "one row per example")
    return array


def rnn_cell(x_t, h_prev, kernel, recurrent_kernel, bias) -> np.ndarray:
    """h_t = tanh(x_t W_x + h_{t−1} W_h + b) for x_t (B, I), h_prev (B, H) (5.4.3, Fig. 5-27).

    The split form of the book's program; 1-D x_t and h_prev are read as one example.
    """
    kernel, recurrent_kernel, bias = _weights(kernel, recurrent_kernel, bias)
    h_prev = _rows(h_prev, "h_prev", recurrent_kernel.shape[0])
    x_t = _rows(x_t, "x_t", kernel.shape[0], batch=h_prev.shape[0])
    return np.tanh(x_t @ kernel + h_prev @ recurrent_kernel + bias)


def concatenated_weights(kernel, recurrent_kernel) -> np.ndarray:
    """W_rnn ((H + I), H): the book's one matrix over [h_{t−1}, x_t], state rows first (5.4.3)."""
    kernel, recurrent_kernel, _ = _weights(kernel, recurrent_kernel)
    return np.vstack([recurrent_kernel, kernel])


def rnn_cell_concatenated(x_t, h_prev, weights, bias) -> np.ndarray:
    """h_t = tanh([h_{t−1}, x_t] W_rnn + b): the cell as the book draws it (5.4.3, Fig. 5-28)."""
    weights = as_float_array(weights, "weights", ndim=2)
    units = weights.shape[1]
    if weights.shape[0] <= units:
        raise ValueError(f"weights: expected W_rnn of shape (H + I, H) with I ≥ 1, found "
                         f"{weights.shape}")
    bias = as_float_array(bias, "bias", ndim=1)
    if bias.shape != (units,):
        raise ValueError(f"bias: expected shape ({units},), found {bias.shape}")
    h_prev = _rows(h_prev, "h_prev", units)
    x_t = _rows(x_t, "x_t", weights.shape[0] - units, batch=h_prev.shape[0])
    return np.tanh(np.hstack([h_prev, x_t]) @ weights + bias)


# --- a whole sequence: the readable references -------------------------------------------------

def rnn_forward_reference(x, h0, kernel, recurrent_kernel, bias) -> np.ndarray:
    """States hs (B, T, H) of the unrolled cell (Fig. 5-25): h_t = cell(x_t, h_{t−1}), t = 1…T."""
    x = np.asarray(x, dtype=np.float64)
    h = np.asarray(h0, dtype=np.float64)
    hs = np.empty((x.shape[0], x.shape[1], h.shape[1]))
    for t in range(x.shape[1]):
        h = np.tanh(x[:, t] @ kernel + h @ recurrent_kernel + bias)
        hs[:, t] = h
    return hs


def rnn_backward_reference(grad_hs, x, h0, hs, kernel, recurrent_kernel):
    """Backpropagation through time (an addition, not in the source chapter).

    ``grad_hs`` (B, T, H) is what the loss sends to each h_t directly; returns (∂L/∂x (B, T, I),
    ∂L/∂h0 (B, H), ∂L/∂W_x (I, H), ∂L/∂W_h (H, H), ∂L/∂b (H,)) by the formulas of the module
    docstring, one step at a time from t = T back to 1.
    """
    grad_hs, x, h0, hs = (np.asarray(a, dtype=np.float64) for a in (grad_hs, x, h0, hs))
    grad_x = np.zeros_like(x)
    grad_kernel = np.zeros_like(np.asarray(kernel, dtype=np.float64))
    grad_recurrent = np.zeros_like(np.asarray(recurrent_kernel, dtype=np.float64))
    grad_bias = np.zeros(hs.shape[2])
    grad_h = np.zeros_like(h0)                           # ∂L/∂h_t through h_{t+1}
    for t in reversed(range(x.shape[1])):
        h_prev = h0 if t == 0 else hs[:, t - 1]
        delta = (grad_hs[:, t] + grad_h) * (1.0 - hs[:, t] ** 2)     # ∂L/∂z_t, tanh′ = 1 − h²
        grad_kernel += x[:, t].T @ delta
        grad_recurrent += h_prev.T @ delta
        grad_bias += delta.sum(axis=0)
        grad_x[:, t] = delta @ np.transpose(kernel)
        grad_h = delta @ np.transpose(recurrent_kernel)
    return grad_x, grad_h, grad_kernel, grad_recurrent, grad_bias


# --- checked entry points to the twins --------------------------------------------------------

def _sequence_args(x, h0, kernel, recurrent_kernel, bias):
    """Checked, C-contiguous arrays of one float type (float32 only when all of them are)."""
    x = as_float_array(x, "x", ndim=3)
    if x.shape[0] == 0 or x.shape[1] == 0:
        raise ValueError(f"x: expected a batch of sequences (B, T, I) with B ≥ 1 and T ≥ 1, "
                         f"found shape {x.shape}")
    h0 = as_float_array(h0, "h0", ndim=2)
    kernel, recurrent_kernel, bias = _weights(kernel, recurrent_kernel, bias)
    if x.shape[2] != kernel.shape[0]:
        raise ValueError(f"x has {x.shape[2]} features per step (shape {x.shape}) but kernel has "
                         f"{kernel.shape[0]} rows; expected kernel (I, H) with I = {x.shape[2]}")
    units = recurrent_kernel.shape[0]
    if h0.shape != (x.shape[0], units):
        raise ValueError(f"h0: expected shape {(x.shape[0], units)} (batch, units), found "
                         f"{h0.shape}")
    arrays = (x, h0, kernel, recurrent_kernel) + (() if bias is None else (bias,))
    dtype = np.result_type(*arrays)
    return tuple(np.ascontiguousarray(a, dtype=dtype) for a in arrays)


def rnn_forward(x, h0, kernel, recurrent_kernel, bias) -> np.ndarray:
    """Twin of :func:`rnn_forward_reference`: states hs (B, T, H) for x (B, T, I).

    Computes in float32 when every argument is float32, else in float64. Small B·H run the
    compiled loop :func:`nnbook.kernels.rnn.rnn_forward`, large ones its vectorised sibling
    (``kernels.rnn.forward_for`` decides; both are tested equal to the reference).
    """
    if bias is None:
        raise TypeError("bias: expected an array of shape (H,), found None")
    arrays = _sequence_args(x, h0, kernel, recurrent_kernel, bias)
    twins = _kernels()
    return twins.forward_for(*arrays[1].shape)(*arrays)


def rnn_backward(grad_hs, x, h0, hs, kernel, recurrent_kernel):
    """Numba twin of :func:`rnn_backward_reference` (BPTT, an addition, not in the source chapter).

    Returns (grad_x, grad_h0, grad_kernel, grad_recurrent_kernel, grad_bias).
    """
    x, h0, kernel, recurrent_kernel = _sequence_args(x, h0, kernel, recurrent_kernel, None)
    expected = (x.shape[0], x.shape[1], recurrent_kernel.shape[0])
    arrays = []
    for value, name in ((hs, "hs"), (grad_hs, "grad_hs")):
        array = as_float_array(value, name, ndim=3, dtype=x.dtype)
        if array.shape != expected:
            raise ValueError(f"{name}: expected shape {expected} (batch, time, units), found "
                             f"{array.shape}")
        arrays.append(np.ascontiguousarray(array))
    hs, grad_hs = arrays
    return _kernels().rnn_backward(grad_hs, x, h0, hs, kernel, recurrent_kernel)


# --- the book's example, step by step ------------------------------------------------------

def rnn_trace(xs, h0, kernel, recurrent_kernel, bias, output_kernel, output_bias) -> list[dict]:
    """One sequence through the cell and the output layer, every intermediate kept (Fig. 5-28).

    xs (T, I) (or (T,) for one input), h0 (H,); output_kernel (H, K), output_bias (K,) or a
    number. Returns one dict per step: "preactivation" z_t (H,), "state" h_t (H,) and
    "output" o_t = h_t W_out + b_out (K,) — the three arrays the book's program prints.
    """
    kernel, recurrent_kernel, bias = _weights(kernel, recurrent_kernel, bias)
    xs = as_float_array(xs, "xs", ndim=(1, 2))
    xs = xs.reshape(-1, 1) if xs.ndim == 1 else xs
    h = _rows(h0, "h0", recurrent_kernel.shape[0], batch=1)[0]
    xs = _rows(xs, "xs", kernel.shape[0])
    output_kernel = as_float_array(output_kernel, "output_kernel", ndim=2)
    output_bias = as_float_array(output_bias, "output_bias", ndim=(0, 1))
    if output_kernel.shape[0] != h.shape[0]:
        raise ValueError(f"output_kernel: expected {h.shape[0]} rows (one per state unit), "
                         f"found shape {output_kernel.shape}")
    steps = []
    for x_t in xs:
        z = h @ recurrent_kernel + x_t @ kernel + bias
        h = np.tanh(z)
        steps.append({"preactivation": z, "state": h, "output": h @ output_kernel + output_bias})
    return steps


def total_loss(step_losses, steps=None) -> float:
    """L = Σ_t l_t over all steps, or over the steps listed in ``steps`` (5.4.3).

    ``step_losses`` (T,) or (B, T): one loss per step (per example); the book sums "all or some"
    of the steps, e.g. only the last for a sequence-to-one task.
    """
    losses = as_float_array(step_losses, "step_losses", ndim=(1, 2))
    if losses.shape[-1] == 0:
        raise ValueError("step_losses: expected at least one time step, found none")
    if steps is not None:
        index = np.asarray(steps)
        if index.dtype.kind not in "iu" or index.ndim != 1:
            raise TypeError(f"steps: expected a list of time indices, found {steps!r}")
        if index.size and (index.min() < -losses.shape[-1] or index.max() >= losses.shape[-1]):
            raise ValueError(f"steps: expected indices below {losses.shape[-1]}, found {steps!r}")
        losses = losses[..., index]
    return float(losses.sum())


# --- vanishing and exploding gradients (an addition) --------------------------------------------

def recurrent_kernel_with_radius(n_state: int, radius: float, rng: np.random.Generator,
                                 orthogonal: bool = False) -> np.ndarray:
    """A random (n, n) W_h with spectral radius ``radius`` (largest |eigenvalue|).

    Gaussian entries rescaled, or with ``orthogonal`` a random orthogonal matrix times
    ``radius``, for which ‖W_hᵗ‖ = radiusᵗ exactly. An addition, not in the source chapter.
    """
    check_positive(n_state, "n_state", integer=True)
    check_positive(radius, "radius", allow_zero=True)
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng: expected a numpy Generator, found {type(rng).__name__}")
    gaussian = rng.standard_normal((n_state, n_state))
    if orthogonal:
        q, r = np.linalg.qr(gaussian)
        return radius * q * np.where(np.diag(r) < 0, -1.0, 1.0)
    return gaussian * (radius / np.max(np.abs(np.linalg.eigvals(gaussian))))


def state_gradient_norms(recurrent_kernel, T: int, *, h0=None, inputs=None, kernel=None,
                         bias=None) -> np.ndarray:
    """‖∂h_t/∂h_0‖₂ for t = 1 … T, as exact products of one-step Jacobians (an addition).

    One step's Jacobian is ∂h_t/∂h_{t−1} = diag(1 − h_t²) W_hᵀ (column-vector convention), so
    ∂h_t/∂h_0 multiplies t of them; its spectral norm (largest singular value) is returned for
    every t. Without ``inputs`` the cell runs on zero inputs: from h0 = 0 with no bias the state
    stays 0, tanh′ = 1 and the products are W_hᵀ powers — the linearised regime where a spectral
    radius below 1 makes the gradient vanish geometrically and one above 1 makes it explode.
    ``inputs`` (T, I) with ``kernel`` (I, H) drive one sequence through the tanh regime; ``h0``
    (H,) and ``bias`` (H,) default to zeros.
    """
    check_positive(T, "T", integer=True)
    recurrent_kernel = as_float_array(recurrent_kernel, "recurrent_kernel", ndim=2)
    units = recurrent_kernel.shape[0]
    if inputs is None:
        inputs, kernel = np.zeros((T, 1)), np.zeros((1, units))
    elif kernel is None:
        raise TypeError("kernel: expected W_x (I, H) to go with inputs, found None")
    bias = np.zeros(units) if bias is None else bias
    kernel, recurrent_kernel, bias = _weights(kernel, recurrent_kernel, bias)
    inputs = _rows(inputs, "inputs", kernel.shape[0])
    if inputs.shape[0] != T:
        raise ValueError(f"inputs: expected T = {T} rows (one per step), found {inputs.shape[0]}")
    h = np.zeros(units) if h0 is None else _rows(h0, "h0", units, batch=1)[0]
    jacobian = np.eye(units)
    norms = np.empty(T)
    for t in range(T):
        h = np.tanh(inputs[t] @ kernel + h @ recurrent_kernel + bias)
        jacobian = (1.0 - h ** 2)[:, None] * recurrent_kernel.T @ jacobian
        norms[t] = np.linalg.norm(jacobian, 2)
    return norms
