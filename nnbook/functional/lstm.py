"""The LSTM cell and backpropagation through time (《深度学习与神经网络》第5章, (5-37)–(5-45)).

Section 5.5.3 of the book, "长短时记忆网络计算" (computing the LSTM), figures 5-30 and 5-31.

One time step maps the input x_t (B, I), the previous output h_{t−1} (B, H) and the previous
cell state c_{t−1} (B, H) — the book calls the cell state s — to (h_t, c_t). The four gates sit
side by side on one axis of length 4H in the order (i, f, g, o) — input gate, forget gate,
candidate, output gate, the order Keras and PyTorch use — so the whole step is one product::

    z_t = x_t W + h_{t−1} U + b           kernel W (I, 4H), recurrent_kernel U (H, 4H), bias b (4H,)
    i = σ(z_i),  f = σ(z_f),  g = tanh(z_g),  o = σ(z_o)                            (5-37)
    c_t = f ⊙ c_{t−1} + i ⊙ g             the book's s = g ⊙ i + s_prev ⊙ f       (5-37)
    h_t = c_t ⊙ o                         cell_output="book", the book's (5-37)
    h_t = o ⊙ tanh(c_t)                   cell_output="tanh", the standard LSTM — an addition,
                                          not in the source chapter

One correction to the printed (5-37): the book writes the biases outside the nonlinearities,
σ(W_ix x + W_ih h) + b_i; they belong inside, σ(W_ix x + W_ih h + b_i), as in the book's own code.
The book's code also acts on the concatenation x_c = [x_t, h_{t−1}] with one matrix per gate;
that is this model with W_i = [W_ix | W_ih] split into the rows of ``kernel`` and
``recurrent_kernel`` and the four gates' columns put side by side. The book's h = s ⊙ o has no
tanh on the cell state; it is kept (flagged) because the book's code and derivation use it.

Backward (the book's (5-39)–(5-45), corrected). With L⁽ᵗ⁾ = Σ_{s ≥ t} l⁽ˢ⁾, the loss from step t
on (the book defines it as the sum over the whole sequence, for which (5-43) would not hold),
the recursion (5-43) runs from t = T down to 1 with two carried gradients, ∂L/∂h_t and ∂L/∂c_t::

    dh = ∂l⁽ᵗ⁾/∂h_t + (∂L⁽ᵗ⁺¹⁾/∂h_t, from step t+1)                                  (5-43)
    dc = dh ⊙ ∂h_t/∂c_t + dc_{t+1} ⊙ f_{t+1}          ∂h/∂c = o (book) or o ⊙ (1 − tanh²c)
    do = dh ⊙ c_t (book) or dh ⊙ tanh(c_t),  di = dc ⊙ g,  dg = dc ⊙ i,  df = dc ⊙ c_{t−1}   (5-44)
    dz = (di ⊙ i(1−i), df ⊙ f(1−f), dg ⊙ (1−g²), do ⊙ o(1−o))
    ∂L/∂W += x_tᵀ dz,  ∂L/∂U += h_{t−1}ᵀ dz,  ∂L/∂b += Σ_batch dz                  (5-45)
    ∂L/∂x_t = dz Wᵀ,   ∂L/∂h_{t−1} = dz Uᵀ (joins dh at step t−1),  ∂L/∂c_{t−1} = dc ⊙ f

The printed derivation has slips that this follows in corrected form: the left-hand side of
the cell-state gradient is ∂L⁽ᵗ⁾/∂s_t (printed ∂L⁽ᵗ⁾/∂h_t); h_{t+1} does not affect l⁽ᵗ⁾ (printed
"does not affect L⁽ᵗ⁾"), so ∂L⁽ᵗ⁾/∂h_{t+1} = ∂L⁽ᵗ⁺¹⁾/∂h_{t+1}; the carried cell gradient is
f_{t+1} ⊙ ∂L⁽ᵗ⁺¹⁾/∂s_{t+1}; and the last factor of (5-45) is ∂(W_i x_c)/∂W_i, giving the outer
product with x_c (printed ∂(W_i x_c)/∂x_c), with the bias inside the derivative i(1 − i).
Each gate uses its own derivative (f(1−f), o(1−o), 1−g²); the book's weight-gradient code after
(5-45) multiplies all four by i(1−i), which fails a gradient check.

Every ``*_reference`` function is a plain loop over time steps that mirrors these equations;
``lstm_forward`` / ``lstm_backward`` check their arguments and call the Numba twins in
:mod:`nnbook.kernels.lstm`, tested equal. Sequences are batch first: x (B, T, I).
"""

from __future__ import annotations

import numpy as np

from nnbook.functional.activations import sigmoid
from nnbook.validation import as_float_array, check_positive

__all__ = [
    "CELL_OUTPUTS", "lstm_param_count", "split_gates", "lstm_cell",
    "lstm_forward_reference", "lstm_forward",
    "lstm_backward_reference", "lstm_backward", "fast_lstm_pair",
]

#: ``"tanh"``: h = o ⊙ tanh(c), the standard LSTM (an addition); ``"book"``: h = c ⊙ o, (5-37).
CELL_OUTPUTS = ("tanh", "book")
_FLOAT32, _FLOAT64 = np.dtype(np.float32), np.dtype(np.float64)


_KERNELS = []


def _kernels():
    """The fast twins, imported on first use (so that importing nnbook never compiles) and kept:
    at the book's sizes a whole forward pass costs a few µs, as much as an import statement."""
    if not _KERNELS:
        from nnbook.kernels import lstm

        _KERNELS.append(lstm)
    return _KERNELS[0]


def lstm_param_count(n_input: int, units: int) -> int:
    """4·((I + H)·H + H): four gates, each with (I + H)·H weights and H biases (5.5.3)."""
    check_positive(n_input, "n_input", integer=True)
    check_positive(units, "units", integer=True)
    return 4 * ((n_input + units) * units + units)


def split_gates(a: np.ndarray):
    """The four blocks (i, f, g, o) of the last axis (length 4H) of ``a``, as views."""
    units = a.shape[-1] // 4
    return tuple(a[..., k * units:(k + 1) * units] for k in range(4))


# --- one step and the reference loops --------------------------------------------------------

def _step(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias, cell_output):
    """One step of (5-37): (h_t, c_t, gates (B, 4H) after their nonlinearities)."""
    z = x_t @ kernel + h_prev @ recurrent_kernel + bias
    z_i, z_f, z_g, z_o = split_gates(z)
    i, f, o = sigmoid.unchecked(z_i), sigmoid.unchecked(z_f), sigmoid.unchecked(z_o)
    g = np.tanh(z_g)
    c_t = f * c_prev + i * g                                   # s = g⊙i + s_prev⊙f (5-37)
    h_t = c_t * o if cell_output == "book" else o * np.tanh(c_t)
    return h_t, c_t, np.concatenate([i, f, g, o], axis=-1)


def lstm_cell(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias, cell_output="tanh"):
    """One LSTM step (5-37): x_t (B, I), h_prev and c_prev (B, H) → (h_t, c_t), each (B, H).

    kernel (I, 4H), recurrent_kernel (H, 4H), bias (4H,), gates in the order (i, f, g, o).
    """
    x_t = as_float_array(x_t, "x_t", ndim=2)
    x, h_prev, c_prev, kernel, recurrent_kernel, bias = _check_forward_args(
        x_t[:, None, :], h_prev, c_prev, kernel, recurrent_kernel, bias, cell_output)
    h_t, c_t, _ = _step(x[:, 0], h_prev, c_prev, kernel, recurrent_kernel, bias, cell_output)
    return h_t, c_t


def lstm_forward_reference(x, h0, c0, kernel, recurrent_kernel, bias, cell_output="tanh"):
    """(5-37) applied at t = 1 … T: x (B, T, I), h0 and c0 (B, H) → (hs, cs, gates).

    hs and cs (B, T, H) hold h_t and c_t; gates (B, T, 4H) holds (i, f, g, o) after their
    nonlinearities, which the backward pass reuses.
    """
    batch, steps, _ = x.shape
    units = h0.shape[1]
    hs = np.empty((batch, steps, units), dtype=x.dtype)
    cs = np.empty((batch, steps, units), dtype=x.dtype)
    gates = np.empty((batch, steps, 4 * units), dtype=x.dtype)
    h, c = h0, c0
    for t in range(steps):
        h, c, gates[:, t] = _step(x[:, t], h, c, kernel, recurrent_kernel, bias, cell_output)
        hs[:, t], cs[:, t] = h, c
    return hs, cs, gates


def lstm_backward_reference(grad_hs, x, h0, c0, kernel, recurrent_kernel, hs, cs, gates,
                            cell_output="tanh", grad_c_last=None):
    """Backpropagation through time, (5-39)–(5-45) corrected (see the module docstring).

    grad_hs (B, T, H) is ∂L/∂h_t for every t (zeros where no loss reads h_t); ``grad_c_last``
    (B, H) is an optional ∂L/∂c_T. hs, cs, gates come from :func:`lstm_forward_reference`.
    Returns (grad_x (B, T, I), grad_h0 (B, H), grad_c0 (B, H), grad_kernel (I, 4H),
    grad_recurrent_kernel (H, 4H), grad_bias (4H,)).
    """
    steps = x.shape[1]
    grad_x = np.empty_like(x)
    grad_kernel = np.zeros_like(kernel)
    grad_recurrent_kernel = np.zeros_like(recurrent_kernel)
    grad_bias = np.zeros(kernel.shape[1], dtype=x.dtype)
    dh_next = np.zeros_like(h0)                                  # ∂L⁽ᵗ⁺¹⁾/∂h_t, 0 at t = T
    dc = np.zeros_like(c0) if grad_c_last is None else np.array(grad_c_last, dtype=x.dtype)
    for t in range(steps - 1, -1, -1):
        i, f, g, o = split_gates(gates[:, t])
        h_prev = hs[:, t - 1] if t > 0 else h0
        c_prev = cs[:, t - 1] if t > 0 else c0
        dh = grad_hs[:, t] + dh_next                             # (5-43)
        if cell_output == "book":                                # h = c ⊙ o
            do = dh * cs[:, t]
            dc = dc + dh * o
        else:                                                    # h = o ⊙ tanh(c)
            tanh_c = np.tanh(cs[:, t])
            do = dh * tanh_c
            dc = dc + dh * o * (1.0 - tanh_c ** 2)
        di, dg, df = dc * g, dc * i, dc * c_prev                 # (5-44)
        dz = np.concatenate([di * i * (1.0 - i), df * f * (1.0 - f),
                             dg * (1.0 - g ** 2), do * o * (1.0 - o)], axis=-1)
        grad_kernel += x[:, t].T @ dz                            # (5-45): outer products
        grad_recurrent_kernel += h_prev.T @ dz
        grad_bias += dz.sum(axis=0)
        grad_x[:, t] = dz @ kernel.T
        dh_next = dz @ recurrent_kernel.T
        dc = dc * f                                              # ∂L⁽ᵗ⁾/∂c_{t−1} through s_prev ⊙ f
    return grad_x, dh_next, dc, grad_kernel, grad_recurrent_kernel, grad_bias


# --- the validating functions ----------------------------------------------------------------

def lstm_forward(x, h0, c0, kernel, recurrent_kernel, bias, cell_output="tanh"):
    """The fast twin of :func:`lstm_forward_reference`, after checking every argument.

    float32 arguments stay float32 (all of them must be); anything else becomes float64.
    Small B·H runs the compiled loop :func:`nnbook.kernels.lstm.lstm_forward`, large B·H the
    vectorised ``lstm_forward_vectorised`` (see :mod:`nnbook.kernels.lstm`); both equal the
    reference.
    """
    arrays = _check_forward_args(x, h0, c0, kernel, recurrent_kernel, bias, cell_output)
    forward, _ = fast_lstm_pair(*arrays[1].shape)
    return forward(*arrays, cell_output == "book")


def lstm_backward(grad_hs, x, h0, c0, kernel, recurrent_kernel, hs, cs, gates,
                  cell_output="tanh", grad_c_last=None):
    """The fast twin of :func:`lstm_backward_reference`, after checking every argument.

    ``grad_hs``, ``grad_c_last`` and the forward results ``hs``, ``cs``, ``gates`` may hold NaN
    or ∞ (a diverging run produces them; they pass through, as in every layer's backward); the
    path is chosen by B·H as in :func:`lstm_forward`.
    """
    x, h0, c0, kernel, recurrent_kernel = _check_forward_args(
        x, h0, c0, kernel, recurrent_kernel, None, cell_output)
    batch, steps, _ = x.shape
    units = h0.shape[1]
    dtype = x.dtype
    grad_hs = _array(grad_hs, "grad_hs", (batch, steps, units), dtype, allow_nan=True)
    hs = _array(hs, "hs", (batch, steps, units), dtype, allow_nan=True)
    cs = _array(cs, "cs", (batch, steps, units), dtype, allow_nan=True)
    gates = _array(gates, "gates", (batch, steps, 4 * units), dtype, allow_nan=True)
    if grad_c_last is None:
        grad_c_last = np.zeros((batch, units), dtype=dtype)
    else:
        grad_c_last = _array(grad_c_last, "grad_c_last", (batch, units), dtype, allow_nan=True)
    _, backward = fast_lstm_pair(batch, units)
    return backward(grad_hs, x, h0, c0, kernel, recurrent_kernel, hs, cs, gates,
                    cell_output == "book", grad_c_last)


def fast_lstm_pair(batch: int, units: int):
    """(forward, backward) twins that :func:`lstm_forward` / :func:`lstm_backward` use for B·H.

    For callers whose arrays are checked already (the LSTM layer): C-contiguous, one float
    dtype, the shapes of the ``*_reference`` functions, ``book_output`` a bool, ``grad_c_last``
    an array.
    """
    kernels = _kernels()
    if batch * units < kernels.VECTORISED_FROM:
        return kernels.lstm_forward, kernels.lstm_backward
    return kernels.lstm_forward_vectorised, kernels.lstm_backward_vectorised


def _array(value, name, shape, dtype, allow_nan=False):
    """``value`` as a C-contiguous array of ``dtype`` and ``shape`` (str entries: any size).

    An ndarray that already fits costs a few attribute reads and one finiteness pass.
    """
    if not (type(value) is np.ndarray and value.dtype == dtype and value.flags.c_contiguous):
        value = np.ascontiguousarray(as_float_array(value, name, ndim=len(shape), dtype=dtype,
                                                    allow_nan=allow_nan))
    elif not allow_nan and not _kernels().all_finite(value.ravel()):
        as_float_array(value, name)  # raises, naming the first bad entry
    if value.shape == shape:
        return value
    fits = value.ndim == len(shape)
    for have, want in zip(value.shape, shape):
        fits = fits and (have == want or type(want) is str)
    if not fits:
        described = "(" + ", ".join(map(str, shape)) + (",)" if len(shape) == 1 else ")")
        raise ValueError(f"{name}: expected shape {described}, found {value.shape}")
    return value


def _check_forward_args(x, h0, c0, kernel, recurrent_kernel, bias, cell_output):
    """Shapes, one float dtype, finite values, a known ``cell_output``; C-contiguous arrays.

    ``bias=None`` skips the bias (the backward pass does not read it).
    """
    if cell_output not in CELL_OUTPUTS:
        raise ValueError(f"cell_output: expected one of {CELL_OUTPUTS} ('tanh' is h = o⊙tanh(c), "
                         f"'book' the book's h = c⊙o of (5-37)), found {cell_output!r}")
    dtype = _FLOAT32
    for a in (x, h0, c0, kernel, recurrent_kernel, np.float32(0) if bias is None else bias):
        if getattr(a, "dtype", None) != _FLOAT32:
            dtype = _FLOAT64
            break
    x = _array(x, "x", ("batch", "T", "features"), dtype)
    batch, steps, n_input = x.shape
    if batch == 0:
        raise ValueError(f"x: expected at least one sequence (x is (batch, T, features)), found "
                         f"shape {x.shape}")
    if steps == 0:
        raise ValueError(f"x: expected at least one time step (x is (batch, T, features)), found "
                         f"shape {x.shape}")
    kernel = _array(kernel, "kernel", (n_input, "4·units"), dtype)
    if kernel.shape[1] == 0 or kernel.shape[1] % 4:
        raise ValueError(f"kernel: expected shape (features, 4·units) with the gates (i, f, g, o) "
                         f"side by side, found {kernel.shape}")
    units = kernel.shape[1] // 4
    recurrent_kernel = _array(recurrent_kernel, "recurrent_kernel", (units, 4 * units), dtype)
    h0 = _array(h0, "h0", (batch, units), dtype)
    c0 = _array(c0, "c0", (batch, units), dtype)
    arrays = [x, h0, c0, kernel, recurrent_kernel]
    if bias is not None:
        arrays.append(_array(bias, "bias", (4 * units,), dtype))
    return arrays
