"""nnbook.symbolic.lstm: one LSTM cell's backward (5-43)–(5-45), corrected, against sympy.

Oracle: sympy's own differentiation of the composed cell, compared at random real points (and,
for a few book-output steps, exactly); the printed slips are shown to fail the same checks; the
formulas also agree with the numpy node of nnbook.models.lstm_network."""

import numpy as np
import pytest
import sympy as sp

from nnbook.models import lstm_network as N
from nnbook.symbolic import lstm as S
from nnbook.symbolic.derivation import Derivation, DerivationError


@pytest.mark.parametrize("units, x_dim, cell_output", [
    (1, 1, "book"), (1, 1, "tanh"), (2, 2, "book"),
], ids=["scalar book", "scalar tanh", "2-unit 2-input book"])
def test_chain_rule_equals_sympy_for_every_gradient(units, x_dim, cell_output):
    assert S.backward_matches_sympy(units, x_dim, cell_output, rng=np.random.default_rng(units))


@pytest.mark.parametrize("cell_output", ["book", "tanh"])
def test_the_printed_gate_slopes_are_rejected(cell_output):
    with pytest.raises(DerivationError, match="printed gate slopes"):
        S.backward_matches_sympy(1, 1, cell_output, gate_slopes="printed")


def test_a_backward_that_forgets_the_forget_gate_is_caught(monkeypatch):
    correct = S.backward_formulas

    def without_forget_gate(cell, gate_slopes="correct"):
        grads = correct(cell, gate_slopes)
        grads["s_prev"] = grads["s"]  # ds(t−1) = ds(t), the f(t) factor dropped
        return grads

    monkeypatch.setattr(S, "backward_formulas", without_forget_gate)
    with pytest.raises(DerivationError, match="dL/ds_prev"):
        S.backward_matches_sympy(1, 1, "book")


def _derivations(cell_output):
    yield S.state_gradient_derivation(cell_output)
    yield S.previous_state_gradient_derivation(cell_output)
    yield S.previous_output_gradient_derivation(cell_output)
    yield S.sequence_state_gradient_derivation(cell_output)
    for gate in S.GATES:
        yield S.gate_gradient_derivation(gate, cell_output)
        yield S.preactivation_gradient_derivation(gate, cell_output)
        for column in ("x", "h"):
            yield S.weight_gradient_derivation(gate, column, cell_output)


@pytest.mark.parametrize("cell_output", ["book", "tanh"])
def test_every_step_of_every_derivation_holds_at_random_points(cell_output):
    derivations = list(_derivations(cell_output))
    assert len(derivations) == 20
    for derivation in derivations:
        assert derivation.verify_numerically(np.random.default_rng(7)), derivation.title


@pytest.mark.parametrize("make", [
    lambda: S.state_gradient_derivation(),
    lambda: S.gate_gradient_derivation("i"),
    lambda: S.preactivation_gradient_derivation("f"),
    lambda: S.previous_state_gradient_derivation(),
    lambda: S.weight_gradient_derivation("i"),
    lambda: S.loss_to_go_derivation(),
], ids=["ds", "di", "da_f", "ds_prev", "dW_ix", "(5-43)"])
def test_book_output_steps_also_hold_exactly(make):
    assert make().verify()  # sympy's simplify; fast for these (the tanh output is not)


def _with_step(derivation, expr, reason):
    broken = Derivation(derivation.title, derivation.source_ref, derivation.lhs,
                        list(derivation.steps[:1]), definitions=derivation.definitions)
    return broken.then(expr, reason)


def test_the_printed_last_factor_of_5_45_is_caught():
    derivation = S.weight_gradient_derivation("i", "x")
    symbol = {str(s): s for s in derivation.definitions}
    i, w_ix = symbol["i"], S.symbolic_cell().W["i"][0, 0]
    printed = _with_step(derivation, symbol["delta_i"] * i * (1 - i) * w_ix,
                         "d(W_i x_c)/dx_c = W_i, as printed")
    with pytest.raises(DerivationError, match="step 2"):
        printed.verify_numerically()


def test_diff_s_without_the_next_forget_gate_is_caught():
    derivation = S.sequence_state_gradient_derivation()
    symbol = {str(s): s for s in derivation.definitions}
    first = derivation.steps[0].expr
    wrong = first.subs(symbol["f_2"], 1)  # diff_s read as dL(t+1)/ds(t+1) itself
    broken = Derivation(derivation.title, derivation.source_ref, derivation.lhs,
                        definitions=derivation.definitions).then(wrong, "no f(t+1)")
    with pytest.raises(DerivationError, match="step 1"):
        broken.verify_numerically()


def test_the_loss_from_t_must_start_at_t():
    l1, l2, l3 = sp.symbols("l_1 l_2 l_3", real=True)
    assert S.loss_to_go_residuals(3) == [0, 0]
    assert S.loss_to_go_residuals(3, printed=True) == [-l1, -l2]
    assert S.loss_to_go(2, [l1, l2, l3]) == l2 + l3
    assert S.loss_to_go(2, [l1, l2, l3], printed=True) == l1 + l2 + l3


@pytest.mark.parametrize("cell_output", ["book", "tanh"])
def test_formulas_agree_with_the_numpy_node(cell_output):
    rng = np.random.default_rng(11)
    cell = S.symbolic_cell(2, 2, cell_output)
    values = dict(zip(cell.symbols(), rng.standard_normal(len(cell.symbols()))))
    param = N.LstmParam(2, 2, rng)
    for gate in S.GATES:
        getattr(param, f"w{gate}")[...] = np.array(cell.W[gate].subs(values), dtype=float)
        getattr(param, f"b{gate}")[...] = np.array(cell.b[gate].subs(values), dtype=float).ravel()
    numeric = {name: np.array(getattr(cell, name).subs(values), dtype=float).ravel()
               for name in ("x", "h_prev", "s_prev", "diff_h", "diff_s")}
    node = N.LstmNode(param, N.LstmState(2, 2), cell_output=cell_output)
    node.bottom_data_is(numeric["x"], numeric["s_prev"], numeric["h_prev"])
    node.top_diff_is(numeric["diff_h"], numeric["diff_s"])
    formulas = S.backward_formulas(cell)
    symbols = list(values)
    point = list(values.values())
    evaluate = {name: np.array(sp.lambdify(symbols, value, "numpy", cse=True)(*point), dtype=float)
                for name, value in formulas.items()}.__getitem__
    close = {"rtol": 1e-12, "atol": 1e-14}
    for gate in S.GATES:
        np.testing.assert_allclose(getattr(param, f"w{gate}_diff"), evaluate(f"W_{gate}"), **close)
        np.testing.assert_allclose(getattr(param, f"b{gate}_diff"), evaluate(f"b_{gate}").ravel(), **close)
    np.testing.assert_allclose(node.state.bottom_diff_s, evaluate("s_prev").ravel(), **close)
    np.testing.assert_allclose(node.state.bottom_diff_h, evaluate("h_prev").ravel(), **close)
    np.testing.assert_allclose(node.state.bottom_diff_x, evaluate("x").ravel(), **close)


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="1..3"):
        S.symbolic_cell(units=4)
    with pytest.raises(ValueError, match="cell_output"):
        S.symbolic_cell(cell_output="relu")
    with pytest.raises(ValueError, match="gate"):
        S.gate_gradient_derivation("z")
    with pytest.raises(ValueError, match="column"):
        S.weight_gradient_derivation("i", column="b")
    with pytest.raises(ValueError, match="gate_slopes"):
        S.backward_formulas(S.symbolic_cell(), gate_slopes="book")
    with pytest.raises(ValueError, match="t: expected"):
        S.loss_to_go(5, [1, 2])
