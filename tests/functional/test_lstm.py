"""nnbook.functional.lstm: the cell (5-37), the forward loop and backpropagation through time.

Oracles: one step computed by hand with ``math``; the book's own form of (5-37) (one matrix per
gate acting on x_c = [x, h_prev], gates written g, i, f, o); central differences for every
gradient (relative error ≤ 1e-9 in float64 over several time steps, both cell outputs).
"""

import math

import numpy as np
import pytest

from nnbook.analysis.gradcheck import numerical_gradient, relative_error
from nnbook.functional.lstm import (
    lstm_backward,
    lstm_backward_reference,
    lstm_cell,
    lstm_forward,
    lstm_forward_reference,
    lstm_param_count,
    split_gates,
)


def _sigma(z):
    return 1.0 / (1.0 + math.exp(-z))


def _problem(rng, batch=2, steps=4, n_input=3, units=2, scale=0.6):
    """Random x, h0, c0, kernel, recurrent_kernel, bias (I ≠ H so transposes matter)."""
    return (rng.normal(size=(batch, steps, n_input)), rng.normal(size=(batch, units)),
            rng.normal(size=(batch, units)), scale * rng.normal(size=(n_input, 4 * units)),
            scale * rng.normal(size=(units, 4 * units)), 0.3 * rng.normal(size=4 * units))


@pytest.mark.parametrize("cell_output", ["tanh", "book"])
def test_one_step_by_hand(cell_output):
    """One unit, one input: every gate and the two outputs with math.exp/math.tanh."""
    w = [0.5, -1.0, 2.0, 0.25]          # kernel entries for (i, f, g, o)
    u = [0.1, 0.2, -0.3, 0.4]           # recurrent entries
    b = [0.0, 1.0, -0.5, 0.2]
    x, h_prev, c_prev = 0.8, -0.6, 1.5
    z = [w[k] * x + u[k] * h_prev + b[k] for k in range(4)]
    i, f, o = _sigma(z[0]), _sigma(z[1]), _sigma(z[3])
    g = math.tanh(z[2])
    c = f * c_prev + i * g
    h = c * o if cell_output == "book" else o * math.tanh(c)
    h_t, c_t = lstm_cell([[x]], [[h_prev]], [[c_prev]], [w], [u], b, cell_output=cell_output)
    assert c_t[0, 0] == pytest.approx(c, abs=1e-15)
    assert h_t[0, 0] == pytest.approx(h, abs=1e-15)


@pytest.mark.parametrize("cell_output", ["tanh", "book"])
def test_the_books_concatenated_form_is_the_same_model(cell_output):
    """The book's code: W_g, W_i, W_f, W_o (H, I + H) act on x_c = [x, h_prev], biases inside;
    s = g⊙i + s_prev⊙f, h = s⊙o (5-37). Stacking their transposes as (i, f, g, o) columns of
    [[kernel], [recurrent_kernel]] gives the same outputs, three steps in a row."""
    rng = np.random.default_rng(1)
    n_input, units = 3, 2
    book = {gate: rng.normal(size=(units, n_input + units)) for gate in "gifo"}
    book_bias = {gate: rng.normal(size=units) for gate in "gifo"}
    stacked = np.concatenate([book[gate].T for gate in "ifgo"], axis=1)     # (I + H, 4H)
    kernel, recurrent_kernel = stacked[:n_input], stacked[n_input:]
    bias = np.concatenate([book_bias[gate] for gate in "ifgo"])
    h, s = np.zeros(units), np.zeros(units)
    h_ours, c_ours = np.zeros((1, units)), np.zeros((1, units))
    for _ in range(3):
        x = rng.normal(size=n_input)
        x_c = np.concatenate([x, h])
        pre = {gate: book[gate] @ x_c + book_bias[gate] for gate in "gifo"}
        g = np.tanh(pre["g"])
        i, f, o = (1 / (1 + np.exp(-pre[gate])) for gate in "ifo")
        s = g * i + s * f
        h = s * o if cell_output == "book" else o * np.tanh(s)
        h_ours, c_ours = lstm_cell(x[None], h_ours, c_ours, kernel, recurrent_kernel, bias,
                                   cell_output=cell_output)
        np.testing.assert_allclose(c_ours[0], s, rtol=0, atol=1e-14)
        np.testing.assert_allclose(h_ours[0], h, rtol=0, atol=1e-14)


def test_forward_keeps_the_cell_when_the_forget_gate_is_open_and_the_input_gate_shut():
    """f ≈ 1, i ≈ 0 (biases ±40): c_t = c_0 for every t; the gates come back in (i, f, g, o)."""
    rng = np.random.default_rng(2)
    x, h0, c0, kernel, recurrent_kernel, _ = _problem(rng, steps=5)
    units = h0.shape[1]
    bias = np.zeros(4 * units)
    bias[:units], bias[units:2 * units] = -40.0, 40.0
    hs, cs, gates = lstm_forward_reference(x, h0, c0, kernel, recurrent_kernel, bias, "book")
    np.testing.assert_allclose(cs, np.repeat(c0[:, None], 5, axis=1), atol=1e-12)
    i, f, g, o = split_gates(gates)
    assert np.all(i < 1e-12) and np.all(f > 1 - 1e-12)
    np.testing.assert_allclose(hs, cs * o, atol=0)                        # h = s ⊙ o (5-37)
    assert np.all(np.abs(g) < 1) and np.all((o > 0) & (o < 1))


def test_forward_is_the_cell_applied_step_after_step():
    rng = np.random.default_rng(3)
    x, h0, c0, kernel, recurrent_kernel, bias = _problem(rng, steps=3)
    hs, cs, _ = lstm_forward_reference(x, h0, c0, kernel, recurrent_kernel, bias)
    h, c = h0, c0
    for t in range(3):
        h, c = lstm_cell(x[:, t], h, c, kernel, recurrent_kernel, bias)
        np.testing.assert_array_equal(hs[:, t], h)
        np.testing.assert_array_equal(cs[:, t], c)


@pytest.mark.parametrize("cell_output", ["tanh", "book"])
def test_backward_reference_passes_a_gradient_check(cell_output):
    """L = Σ R ⊙ hs + Σ R_c ⊙ c_T over T = 4 steps: every parameter and x, h0, c0 ≤ 1e-9."""
    rng = np.random.default_rng(4)
    x, h0, c0, kernel, recurrent_kernel, bias = _problem(rng, batch=2, steps=4)
    weights_h = rng.normal(size=(2, 4, 2))
    weights_c = rng.normal(size=(2, 2))
    arrays = {"x": x, "h0": h0, "c0": c0, "kernel": kernel,
              "recurrent_kernel": recurrent_kernel, "bias": bias}

    def loss(_=None):
        hs, cs, _ = lstm_forward_reference(*arrays.values(), cell_output)
        return float(np.sum(weights_h * hs) + np.sum(weights_c * cs[:, -1]))

    hs, cs, gates = lstm_forward_reference(*arrays.values(), cell_output)
    grads = lstm_backward_reference(weights_h, x, h0, c0, kernel, recurrent_kernel, hs, cs, gates,
                                    cell_output, grad_c_last=weights_c)
    names = ["x", "h0", "c0", "kernel", "recurrent_kernel", "bias"]
    for name, analytic in zip(names, grads):
        numeric = numerical_gradient(loss, arrays[name], eps=1e-5)
        assert relative_error(analytic, numeric) <= 1e-9, name


def test_public_functions_equal_the_references_and_accept_lists():
    rng = np.random.default_rng(5)
    x, h0, c0, kernel, recurrent_kernel, bias = _problem(rng)
    expected = lstm_forward_reference(x, h0, c0, kernel, recurrent_kernel, bias)
    got = lstm_forward(x.tolist(), h0, c0, kernel, recurrent_kernel, bias.tolist())
    for a, b in zip(got, expected):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-12)
    grad_hs = rng.normal(size=expected[0].shape)
    for a, b in zip(lstm_backward(grad_hs, x, h0, c0, kernel, recurrent_kernel, *got),
                    lstm_backward_reference(grad_hs, x, h0, c0, kernel, recurrent_kernel,
                                            *expected)):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-12)


def test_float32_stays_float32_and_a_mixture_becomes_float64():
    rng = np.random.default_rng(6)
    arrays = [a.astype(np.float32) for a in _problem(rng)]
    assert all(out.dtype == np.float32 for out in lstm_forward(*arrays))
    arrays[5] = arrays[5].astype(np.float64)
    assert all(out.dtype == np.float64 for out in lstm_forward(*arrays))


def test_the_parameter_count():
    """4·((I + H)·H + H): four gates, each a (I + H) → H layer with biases."""
    assert lstm_param_count(2, 4) == 4 * (6 * 4 + 4) == 112
    with pytest.raises(ValueError, match="units"):
        lstm_param_count(2, 0)


@pytest.mark.parametrize("change, error, message", [
    (lambda a: {**a, "x": a["x"][0]}, ValueError, r"x: expected shape \(batch, T, features\)"),
    (lambda a: {**a, "x": a["x"][:0]}, ValueError, "at least one sequence"),
    (lambda a: {**a, "x": a["x"][:, :0]}, ValueError, "at least one time step"),
    (lambda a: {**a, "x": np.where(a["x"] > 0, np.nan, a["x"])}, ValueError, "x: expected finite"),
    (lambda a: {**a, "x": "abc"}, TypeError, "x: expected an array of numbers"),
    (lambda a: {**a, "kernel": a["kernel"][:, :7]}, ValueError, "kernel: expected shape"),
    (lambda a: {**a, "kernel": a["kernel"][:2]}, ValueError,
     r"kernel: expected shape \(3, 4·units\)"),
    (lambda a: {**a, "recurrent_kernel": a["recurrent_kernel"].T}, ValueError,
     r"recurrent_kernel: expected shape \(2, 8\)"),
    (lambda a: {**a, "bias": a["bias"][:4]}, ValueError, r"bias: expected shape \(8,\)"),
    (lambda a: {**a, "h0": a["h0"][:1]}, ValueError, r"h0: expected shape \(2, 2\)"),
    (lambda a: {**a, "c0": np.full((2, 2), np.inf)}, ValueError, "c0: expected finite"),
    (lambda a: {**a, "cell_output": "sigmoid"}, ValueError, "cell_output: expected one of"),
])
def test_bad_arguments_are_refused_with_a_message(change, error, message):
    rng = np.random.default_rng(7)
    names = ["x", "h0", "c0", "kernel", "recurrent_kernel", "bias"]
    arguments = change({**dict(zip(names, _problem(rng))), "cell_output": "tanh"})
    with pytest.raises(error, match=message):
        lstm_forward(**arguments)


def test_backward_lets_nan_gradients_through_but_checks_shapes():
    rng = np.random.default_rng(8)
    x, h0, c0, kernel, recurrent_kernel, bias = _problem(rng)
    hs, cs, gates = lstm_forward(x, h0, c0, kernel, recurrent_kernel, bias)
    grad_hs = np.full_like(hs, np.nan)
    grad_x = lstm_backward(grad_hs, x, h0, c0, kernel, recurrent_kernel, hs, cs, gates)[0]
    assert np.isnan(grad_x).all()
    with pytest.raises(ValueError, match=r"grad_hs: expected shape \(2, 4, 2\)"):
        lstm_backward(grad_hs[:, :3], x, h0, c0, kernel, recurrent_kernel, hs, cs, gates)
    with pytest.raises(ValueError, match=r"gates: expected shape \(2, 4, 8\)"):
        lstm_backward(grad_hs, x, h0, c0, kernel, recurrent_kernel, hs, cs, gates[..., :4])
