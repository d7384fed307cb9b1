"""nnbook.functional.rnn: the book's RNN example (5.4.3, Fig. 5-28) exactly as printed, the cell in
both forms, the parameter count, BPTT against finite differences, and ‖∂h_t/∂h_0‖."""

import numpy as np
import pytest

from nnbook.analysis.gradcheck import numerical_gradient, relative_error
from nnbook.functional import rnn

# The book's example, typed in from 5.4.3 (Fig. 5-28 and the program after it).
X_BOOK = [1, 2]
STATE0 = [0.0, 0.0]
W_CELL_STATE = [[0.1, 0.2], [0.3, 0.4]]
W_CELL_INPUT = [0.5, 0.6]
B_CELL = [0.1, -0.1]
W_OUTPUT = [[1.0], [2.0]]
B_OUTPUT = 0.1
# What its program prints, one line per array (numpy's default formatting).
PRINTED = ["[0.6 0.5]", "[0.53704957 0.46211716]", "[1.56128388]",
           "[1.2923401  1.39225678]", "[0.85973818 0.88366641]", "[2.72707101]"]


def _book_weights():
    """The book's blocks as this module's arguments: w_cell_input is the one row of W_x (I = 1)."""
    return (np.array([W_CELL_INPUT]), np.array(W_CELL_STATE), np.array(B_CELL))


def test_parameter_count_is_n_plus_x_times_n_plus_n():
    assert rnn.rnn_param_count(2, 1) == 8                 # the book's example: 6 weights + 2 biases
    kernel, recurrent, bias = _book_weights()
    assert kernel.size + recurrent.size + bias.size == 8
    for n, x in [(1, 1), (4, 2), (128, 64)]:
        assert rnn.rnn_param_count(n, x) == (n + x) * n + n == n * n + x * n + n


@pytest.mark.parametrize("n, x", [(0, 1), (2, 0), (2.5, 1), (True, 1)])
def test_parameter_count_refuses_bad_sizes(n, x):
    with pytest.raises((TypeError, ValueError), match="n_state|n_input"):
        rnn.rnn_param_count(n, x)


def _printed_split_form():
    kernel, recurrent, bias = _book_weights()
    state = np.array([STATE0])
    lines = []
    for x in X_BOOK:
        before = np.array([[x]]) @ kernel + state @ recurrent + bias
        state = rnn.rnn_cell(np.array([[x]]), state, kernel, recurrent, bias)
        output = state @ np.array(W_OUTPUT) + B_OUTPUT
        lines += [str(before[0]), str(state[0]), str(output[0])]
    return lines


def _printed_concatenated_form():
    kernel, recurrent, bias = _book_weights()
    w_rnn = rnn.concatenated_weights(kernel, recurrent)
    state = np.array([STATE0])
    lines = []
    for x in X_BOOK:
        before = np.hstack([state, [[x]]]) @ w_rnn + bias
        state = rnn.rnn_cell_concatenated([[x]], state, w_rnn, bias)
        output = state @ np.array(W_OUTPUT) + B_OUTPUT
        lines += [str(before[0]), str(state[0]), str(output[0])]
    return lines


def test_book_example_prints_its_six_arrays_in_the_split_form():
    assert _printed_split_form() == PRINTED


def test_book_example_prints_its_six_arrays_in_the_concatenated_form():
    kernel, recurrent, _ = _book_weights()
    w_rnn = rnn.concatenated_weights(kernel, recurrent)
    np.testing.assert_array_equal(w_rnn, [[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]])   # Fig. 5-28's W_rnn
    assert _printed_concatenated_form() == PRINTED


def test_book_example_by_the_trace_and_by_the_unrolled_functions():
    kernel, recurrent, bias = _book_weights()
    steps = rnn.rnn_trace(X_BOOK, STATE0, kernel, recurrent, bias, W_OUTPUT, B_OUTPUT)
    assert [str(s[key]) for s in steps for key in ("preactivation", "state", "output")] == PRINTED
    x = np.array(X_BOOK, dtype=float).reshape(1, 2, 1)
    expected = [[0.53704957, 0.46211716], [0.85973818, 0.88366641]]
    for forward in (rnn.rnn_forward_reference, rnn.rnn_forward):
        states = forward(x, np.zeros((1, 2)), kernel, recurrent, bias)
        np.testing.assert_allclose(states[0], expected, atol=5e-9)
    # the prose of Fig. 5-28: tanh([0.6, 0.5]) = [0.537, 0.462]; then [0.860, 0.884] and 2.73
    np.testing.assert_allclose(np.tanh([0.6, 0.5]), [0.537, 0.462], atol=5e-4)
    np.testing.assert_allclose(steps[1]["state"], [0.860, 0.884], atol=5e-4)
    assert round(float(steps[1]["output"][0]), 2) == 2.73


def test_split_and_concatenated_cells_agree_on_random_sizes(rng):
    for batch, n_in, units in [(1, 1, 2), (5, 3, 4), (2, 7, 3)]:
        kernel = rng.normal(size=(n_in, units))
        recurrent = rng.normal(size=(units, units))
        bias = rng.normal(size=units)
        x, h = rng.normal(size=(batch, n_in)), rng.normal(size=(batch, units))
        w_rnn = rnn.concatenated_weights(kernel, recurrent)
        assert w_rnn.shape == (units + n_in, units)
        np.testing.assert_allclose(rnn.rnn_cell_concatenated(x, h, w_rnn, bias),
                                   rnn.rnn_cell(x, h, kernel, recurrent, bias), atol=1e-14)


def test_forward_reference_is_the_cell_repeated(rng):
    x, h0 = rng.normal(size=(3, 4, 2)), rng.normal(size=(3, 5))
    kernel, recurrent, bias = rng.normal(size=(2, 5)), rng.normal(size=(5, 5)), rng.normal(size=5)
    states = rnn.rnn_forward_reference(x, h0, kernel, recurrent, bias)
    h = h0
    for t in range(4):
        h = np.tanh(x[:, t] @ kernel + h @ recurrent + bias)
        np.testing.assert_allclose(states[:, t], h, atol=1e-15)


def test_total_loss_sums_all_or_some_steps():
    losses = np.array([[0.5, 1.0, 2.0], [1.5, 0.0, 1.0]])
    assert rnn.total_loss(losses) == 6.0
    assert rnn.total_loss(losses[0]) == 3.5
    assert rnn.total_loss(losses, steps=[-1]) == 3.0               # the last step only
    assert rnn.total_loss(losses, steps=[0, 2]) == 5.0
    with pytest.raises(ValueError, match="steps"):
        rnn.total_loss(losses, steps=[3])
    with pytest.raises(TypeError, match="steps"):
        rnn.total_loss(losses, steps=[0.5])


# --- backpropagation through time against central differences ------------------------------------

def _extrapolated_gradient(f, x, eps=1e-3):
    """Central differences at ε and ε/2 combined by Richardson, (4·D(ε/2) − D(ε)) / 3: the ε²
    error term cancels, leaving O(ε⁴) ≈ 1e-12 and rounding ≈ 1e-13 — room for a 1e-9 test."""
    coarse = numerical_gradient(f, x, eps=eps)
    fine = numerical_gradient(f, x, eps=eps / 2)
    return (4.0 * fine - coarse) / 3.0


def _problem(rng, batch=2, steps=5, n_in=3, units=4):
    return {"x": rng.normal(size=(batch, steps, n_in)), "h0": rng.normal(size=(batch, units)),
            "kernel": rng.normal(size=(n_in, units)) * 0.6,
            "recurrent_kernel": rng.normal(size=(units, units)) * 0.5,
            "bias": rng.normal(size=units) * 0.3}


@pytest.mark.parametrize("backward", [rnn.rnn_backward_reference, rnn.rnn_backward])
@pytest.mark.parametrize("steps", [1, 3, 6])
def test_bptt_matches_central_differences_for_every_argument(rng, backward, steps):
    p = _problem(rng, steps=steps)
    weights = rng.normal(size=(2, steps, 4))         # L = Σ weights ⊙ hs: every state is seen

    def loss(_):
        return float(np.sum(weights * rnn.rnn_forward_reference(**p)))

    hs = rnn.rnn_forward_reference(**p)
    analytic = backward(weights, p["x"], p["h0"], hs, p["kernel"], p["recurrent_kernel"])
    for name, grad in zip(("x", "h0", "kernel", "recurrent_kernel", "bias"), analytic):
        assert relative_error(grad, _extrapolated_gradient(loss, p[name])) <= 1e-9, name


def test_bptt_of_a_loss_on_the_last_state_only(rng):
    """Sequence-to-one: the loss reads h_T alone, so the gradient must travel back through time."""
    p = _problem(rng, steps=8)
    grad_hs = np.zeros((2, 8, 4))
    grad_hs[:, -1] = 1.0
    hs = rnn.rnn_forward_reference(**p)
    analytic = rnn.rnn_backward_reference(grad_hs, p["x"], p["h0"], hs, p["kernel"],
                                          p["recurrent_kernel"])

    def loss(_):
        return float(rnn.rnn_forward_reference(**p)[:, -1].sum())

    assert np.abs(analytic[0][:, 0]).max() > 0                   # the first input matters
    for name, grad in zip(("x", "h0", "kernel", "recurrent_kernel", "bias"), analytic):
        assert relative_error(grad, _extrapolated_gradient(loss, p[name])) <= 1e-9, name


# --- checked entry points -----------------------------------------------------------------

def test_public_functions_say_what_is_wrong(rng):
    p = _problem(rng)
    args = (p["x"], p["h0"], p["kernel"], p["recurrent_kernel"], p["bias"])
    with pytest.raises(ValueError, match="3-D"):
        rnn.rnn_forward(p["x"][0], *args[1:])
    with pytest.raises(ValueError, match="B ≥ 1"):
        rnn.rnn_forward(np.zeros((0, 5, 3)), np.zeros((0, 4)), *args[2:])
    with pytest.raises(ValueError, match="kernel"):
        rnn.rnn_forward(p["x"][:, :, :2], *args[1:])
    with pytest.raises(ValueError, match="square"):
        rnn.rnn_forward(*args[:3], np.zeros((4, 3)), p["bias"])
    with pytest.raises(ValueError, match="h0"):
        rnn.rnn_forward(p["x"], np.zeros((3, 4)), *args[2:])
    with pytest.raises(ValueError, match="bias"):
        rnn.rnn_forward(*args[:4], np.zeros(3))
    with pytest.raises(TypeError, match="bias"):
        rnn.rnn_forward(*args[:4], None)
    bad = p["x"].copy()
    bad[1, 2, 0] = np.nan
    with pytest.raises(ValueError, match="finite"):
        rnn.rnn_forward(bad, *args[1:])
    with pytest.raises(TypeError, match="numbers"):
        rnn.rnn_forward(np.array([["a"]]), *args[1:])
    hs = rnn.rnn_forward(*args)
    with pytest.raises(ValueError, match="grad_hs"):
        rnn.rnn_backward(hs[:, :2], p["x"], p["h0"], hs, p["kernel"], p["recurrent_kernel"])
    with pytest.raises(ValueError, match="hs"):
        rnn.rnn_backward(hs, p["x"], p["h0"], hs[:1], p["kernel"], p["recurrent_kernel"])


def test_public_functions_keep_float32_when_every_argument_is_float32(rng):
    p = {k: v.astype(np.float32) for k, v in _problem(rng).items()}
    hs = rnn.rnn_forward(**p)
    assert hs.dtype == np.float32
    grads = rnn.rnn_backward(np.ones_like(hs), p["x"], p["h0"], hs, p["kernel"],
                             p["recurrent_kernel"])
    assert all(g.dtype == np.float32 for g in grads)
    mixed = dict(p, bias=p["bias"].astype(np.float64))
    assert rnn.rnn_forward(**mixed).dtype == np.float64


# --- vanishing and exploding gradients ------------------------------------------------------

def test_state_gradient_norms_are_the_exact_jacobian_products(rng):
    """Against central differences of h_t with respect to h_0, in the tanh regime."""
    units, steps = 3, 4
    recurrent = rng.normal(size=(units, units))
    kernel, inputs = rng.normal(size=(2, units)), rng.normal(size=(steps, 2))
    h0, bias = rng.normal(size=units) * 0.5, rng.normal(size=units) * 0.1
    norms = rnn.state_gradient_norms(recurrent, steps, h0=h0, inputs=inputs, kernel=kernel,
                                     bias=bias)
    for t in range(1, steps + 1):
        jacobian = np.empty((units, units))
        for k in range(units):
            step = np.zeros(units)
            step[k] = 1e-6
            up, down = (rnn.rnn_forward_reference(inputs[None, :t], (h0 + sign * step)[None],
                                                  kernel, recurrent, bias)[0, -1]
                        for sign in (1, -1))
            jacobian[:, k] = (up - down) / 2e-6
        assert norms[t - 1] == pytest.approx(np.linalg.norm(jacobian, 2), rel=1e-7)


def test_gradients_vanish_below_radius_one_and_explode_above_it(rng):
    steps = 40
    shrinking = rnn.recurrent_kernel_with_radius(8, 0.5, rng, orthogonal=True)
    growing = rnn.recurrent_kernel_with_radius(8, 1.5, rng, orthogonal=True)
    t = np.arange(1, steps + 1)
    # linearised at h = 0 (zero input, no bias): ‖(W_hᵀ)ᵗ‖ = radiusᵗ exactly
    np.testing.assert_allclose(rnn.state_gradient_norms(shrinking, steps), 0.5 ** t, rtol=1e-10)
    np.testing.assert_allclose(rnn.state_gradient_norms(growing, steps), 1.5 ** t, rtol=1e-10)
    # driven by inputs through tanh (tanh′ ≤ 1) the radius-0.5 gradient vanishes at least as fast
    inputs, kernel = rng.normal(size=(steps, 2)), rng.normal(size=(2, 8))
    driven = rnn.state_gradient_norms(shrinking, steps, inputs=inputs, kernel=kernel)
    assert np.all(driven <= 0.5 ** t * (1 + 1e-12)) and driven[-1] < 1e-12
    # a general (non-normal) matrix of radius 0.5: the t-th root of the norm tends to 0.5
    general = rnn.recurrent_kernel_with_radius(8, 0.5, rng)
    assert np.max(np.abs(np.linalg.eigvals(general))) == pytest.approx(0.5)
    norms = rnn.state_gradient_norms(general, 200)
    assert norms[-1] ** (1 / 200) == pytest.approx(0.5, rel=0.05)
    assert norms[-1] < 1e-50


def test_state_gradient_norms_checks_its_arguments(rng):
    recurrent = np.eye(3)
    with pytest.raises(ValueError, match="T"):
        rnn.state_gradient_norms(recurrent, 0)
    with pytest.raises(TypeError, match="kernel"):
        rnn.state_gradient_norms(recurrent, 2, inputs=np.zeros((2, 1)))
    with pytest.raises(ValueError, match="inputs"):
        rnn.state_gradient_norms(recurrent, 3, inputs=np.zeros((2, 1)), kernel=np.zeros((1, 3)))
    with pytest.raises(TypeError, match="rng"):
        rnn.recurrent_kernel_with_radius(3, 0.5, 42)
