"""nnbook.models.lstm_network: the book's LSTM node/network/loss-layer design (5.5.3).

Oracles: (5-37) evaluated by hand with math for a one-unit cell; finite differences of the
sequence loss (every parameter, four time steps, both cell outputs); the library LSTM of
nnbook.functional.lstm (written independently, gates ordered i, f, g, o)."""

import math
import time

import numpy as np
import pytest

from nnbook.models import lstm_network as L

TARGETS = [-0.5, 0.2, 0.1, -0.5]


def _network(rng, units=5, x_dim=3, cell_output="book", book_literal=(), scale=0.5):
    param = L.LstmParam(units, x_dim, rng, init_scale=scale)
    return L.LstmNetwork(param, cell_output=cell_output, book_literal=book_literal)


def _run(network, xs):
    network.x_list_clear()
    for x in xs:
        network.x_list_add(x)


def _sigmoid(z):
    return 1.0 / (1.0 + math.exp(-z))


@pytest.mark.parametrize("cell_output", ["book", "tanh"])
def test_forward_is_5_37_by_hand_for_one_unit(cell_output):
    param = L.LstmParam(1, 1, np.random.default_rng(0))
    weights = {"g": (0.5, -0.3, 0.1), "i": (0.2, 0.4, -0.2), "f": (-0.6, 0.3, 0.5), "o": (0.7, 0.1, 0.0)}
    for gate, (wx, wh, b) in weights.items():
        getattr(param, f"w{gate}")[...] = [[wx, wh]]
        getattr(param, f"b{gate}")[...] = [b]
    network = L.LstmNetwork(param, cell_output=cell_output)
    h, s = 0.0, 0.0
    for x in (1.0, -2.0, 0.5):
        pre = {gate: wx * x + wh * h + b for gate, (wx, wh, b) in weights.items()}
        g, i, f, o = math.tanh(pre["g"]), _sigmoid(pre["i"]), _sigmoid(pre["f"]), _sigmoid(pre["o"])
        s = g * i + s * f
        h = s * o if cell_output == "book" else o * math.tanh(s)
        network.x_list_add([x])
        state = network.lstm_node_list[-1].state
        assert state.s[0] == pytest.approx(s, abs=1e-15)
        assert state.h[0] == pytest.approx(h, abs=1e-15)
        assert (state.g[0], state.i[0], state.f[0], state.o[0]) == pytest.approx((g, i, f, o), abs=1e-15)


@pytest.mark.parametrize("cell_output", ["book", "tanh"])
@pytest.mark.parametrize("loss_layer", [L.ToyLossLayer, L.SquaredErrorLossLayer])
def test_every_parameter_passes_the_gradient_check_over_four_steps(cell_output, loss_layer):
    rng = np.random.default_rng(1)
    network = _network(rng, cell_output=cell_output)
    xs = [rng.standard_normal(3) for _ in range(4)]
    ys = TARGETS if loss_layer is L.ToyLossLayer else [rng.standard_normal(5) for _ in range(4)]
    errors = L.gradient_errors(network, xs, ys, loss_layer)
    assert set(errors) == set(L.PARAM_NAMES)
    assert max(errors.values()) <= 1e-9, errors


@pytest.mark.parametrize("cell_output", ["book", "tanh"])
def test_the_printed_gate_slopes_fail_the_gradient_check(cell_output):
    rng = np.random.default_rng(2)
    xs = [rng.standard_normal(3) for _ in range(4)]
    fixed = _network(np.random.default_rng(3), cell_output=cell_output)
    literal = _network(np.random.default_rng(3), cell_output=cell_output, book_literal="gate_derivative")
    assert max(L.gradient_errors(fixed, xs, TARGETS, L.ToyLossLayer).values()) <= 1e-9
    errors = L.gradient_errors(literal, xs, TARGETS, L.ToyLossLayer)
    # f, o and g use i's slope directly; the wrong gradients also flow back into every other one
    assert min(errors[name] for name in ("wf", "wo", "wg", "bf", "bo", "bg")) > 1e-2, errors
    assert errors["wi"] > 1e-3, errors


def test_the_printed_none_test_raises_at_the_second_step_and_is_fine_for_one_unit():
    xs = [np.ones(3), np.zeros(3)]
    literal = _network(np.random.default_rng(0), book_literal="none_test")
    literal.x_list_add(xs[0])  # s_prev is None here: None == None is True
    with pytest.raises(ValueError, match="truth value of an array"):
        literal.x_list_add(xs[1])
    fixed = _network(np.random.default_rng(0))
    _run(fixed, xs)
    assert len(fixed.x_list) == 2
    # with one unit `array == None` is a one-entry array, so the printed test happens to work
    one_unit_literal = _network(np.random.default_rng(0), units=1, book_literal=True)
    one_unit_fixed = _network(np.random.default_rng(0), units=1)
    _run(one_unit_literal, xs)
    _run(one_unit_fixed, xs)
    np.testing.assert_array_equal(one_unit_literal.states()["h"], one_unit_fixed.states()["h"])


def test_printed_weight_gradients_are_right_for_wi_only():
    rng = np.random.default_rng(4)
    network = _network(rng)
    _run(network, [rng.standard_normal(3) for _ in range(2)])  # step 2: s_prev ≠ 0, so df ≠ 0
    node, param = network.lstm_node_list[1], network.lstm_param
    param.zero_diffs()
    dh, ds_next = rng.standard_normal(5), rng.standard_normal(5)
    node.top_diff_is(dh, ds_next)
    st = node.state
    ds = st.o * dh + ds_next  # book output, h = s ⊙ o
    printed = L.printed_weight_gradients(st.i, di=st.g * ds, df=node.s_prev * ds, do=st.s * dh,
                                         dg=st.i * ds, xc=node.xc)
    np.testing.assert_allclose(printed["wi"], param.wi_diff, rtol=1e-12, atol=1e-15)
    # each row k of the printed wf, wo, wg carries i_k(1 − i_k) where f_k(1 − f_k), o_k(1 − o_k),
    # 1 − g_k² belong: rescaling rows by the ratio recovers the true gradient
    i_slope = st.i * (1 - st.i)
    for name, true_slope in (("wf", st.f * (1 - st.f)), ("wo", st.o * (1 - st.o)), ("wg", 1 - st.g ** 2)):
        assert not np.allclose(printed[name], param.diffs()[name], rtol=1e-3)
        np.testing.assert_allclose(printed[name] * (true_slope / i_slope)[:, None],
                                   param.diffs()[name], rtol=1e-12, atol=1e-15)


def test_y_list_is_returns_the_summed_toy_loss_and_apply_diff_steps_down():
    rng = np.random.default_rng(5)
    network = _network(rng)
    _run(network, [rng.standard_normal(3) for _ in range(4)])
    h0 = network.states()["h"][:, 0]
    loss = network.y_list_is(TARGETS, L.ToyLossLayer)
    assert loss == pytest.approx(sum((a - b) ** 2 for a, b in zip(h0, TARGETS)), rel=1e-14)
    param = network.lstm_param
    before = param.wo.copy()
    step = 0.05 * param.wo_diff.copy()
    param.apply_diff(lr=0.05)
    np.testing.assert_allclose(param.wo, before - step, rtol=0, atol=1e-16)
    assert all(not diff.any() for diff in param.diffs().values())


def test_toy_loss_layer_uses_the_first_unit_only():
    pred = np.array([0.3, 5.0, -7.0])
    assert L.ToyLossLayer.loss(pred, 0.1) == pytest.approx(0.04)
    np.testing.assert_allclose(L.ToyLossLayer.bottom_diff(pred, 0.1), [0.4, 0.0, 0.0])
    assert L.SquaredErrorLossLayer.loss(pred, [0.3, 4.0, -7.0]) == pytest.approx(1.0)
    with pytest.raises(TypeError, match="one finite real number"):
        L.ToyLossLayer.loss(pred, [0.1, 0.2])


def test_nodes_are_reused_and_a_second_sequence_does_not_see_the_first():
    rng = np.random.default_rng(6)
    xs = [rng.standard_normal(3) for _ in range(3)]
    used = _network(np.random.default_rng(7))
    _run(used, [rng.standard_normal(3) for _ in range(5)])
    _run(used, xs)
    fresh = _network(np.random.default_rng(7))
    _run(fresh, xs)
    assert len(used.lstm_node_list) == 5 and len(used.states()["h"]) == 3
    np.testing.assert_array_equal(used.states()["h"], fresh.states()["h"])


def test_bad_input_is_refused_with_a_clear_message():
    rng = np.random.default_rng(8)
    network = _network(rng)
    with pytest.raises(ValueError, match="length 3"):
        network.x_list_add(np.ones(4))
    with pytest.raises(ValueError, match="finite"):
        network.x_list_add([1.0, np.nan, 0.0])
    network.x_list_add(np.ones(3))
    with pytest.raises(ValueError, match="one label per input"):
        network.y_list_is([0.1, 0.2], L.ToyLossLayer)
    with pytest.raises(TypeError, match="loss_layer"):
        network.y_list_is([0.1], object())
    with pytest.raises(ValueError, match="cell_output"):
        L.LstmNetwork(network.lstm_param, cell_output="sigmoid")
    with pytest.raises(ValueError, match="book_literal"):
        L.LstmNetwork(network.lstm_param, book_literal="off_by_one")
    with pytest.raises(TypeError, match="Generator"):
        L.LstmParam(2, 2, rng=0)
    with pytest.raises(TypeError, match="LstmParam"):
        L.LstmNetwork(object())


def test_training_demo_learns_the_toy_sequence_quickly():
    rng = np.random.default_rng(0)
    xs = [rng.uniform(size=50) for _ in TARGETS]
    start = time.perf_counter()
    network, losses = L.train_toy_sequence(TARGETS, xs, mem_cell_ct=100, rng=rng, iterations=100)
    assert time.perf_counter() - start < 3.0
    assert losses[-1] < 1e-2 * losses[0]
    assert losses[50] < losses[10] < losses[0]
    np.testing.assert_allclose(network.states()["h"][:, 0], TARGETS, atol=0.05)


def test_library_weights_permute_gates_and_split_x_from_h():
    param = L.LstmParam(2, 3, np.random.default_rng(9))
    kernel, recurrent, bias = L.library_weights(param)
    assert kernel.shape == (3, 8) and recurrent.shape == (2, 8) and bias.shape == (8,)
    np.testing.assert_array_equal(kernel[:, 0:2], param.wi[:, :3].T)      # i first
    np.testing.assert_array_equal(recurrent[:, 4:6], param.wg[:, 3:].T)   # g third
    np.testing.assert_array_equal(bias[6:8], param.bo)                    # o last


@pytest.mark.parametrize("cell_output", ["book", "tanh"])
def test_forward_states_and_gradients_equal_the_library_lstm(cell_output):
    F = pytest.importorskip("nnbook.functional.lstm")
    rng = np.random.default_rng(10)
    network = _network(rng, units=4, x_dim=2, cell_output=cell_output)
    xs = rng.standard_normal((6, 2))
    _run(network, xs)
    kernel, recurrent, bias = L.library_weights(network.lstm_param)
    zeros = np.zeros((1, 4))
    hs, cs, _ = F.lstm_forward_reference(xs[None], zeros, zeros, kernel, recurrent, bias,
                                         cell_output=cell_output)
    states = network.states()
    np.testing.assert_allclose(hs[0], states["h"], rtol=0, atol=1e-14)
    np.testing.assert_allclose(cs[0], states["s"], rtol=0, atol=1e-14)

    ys = list(rng.standard_normal(6))
    network.lstm_param.zero_diffs()
    network.y_list_is(ys, L.ToyLossLayer)
    grad_hs = np.zeros((1, 6, 4))
    grad_hs[0, :, 0] = 2 * (states["h"][:, 0] - ys)  # the toy loss reads the first unit only
    _, _, gates = F.lstm_forward_reference(xs[None], zeros, zeros, kernel, recurrent, bias,
                                           cell_output=cell_output)
    grads = F.lstm_backward_reference(grad_hs, xs[None], zeros, zeros, kernel, recurrent, hs, cs,
                                      gates, cell_output=cell_output)
    for library, ours in zip(grads[3:], L.library_weights(network.lstm_param, diffs=True)):
        np.testing.assert_allclose(library, ours, rtol=1e-12, atol=1e-14)
