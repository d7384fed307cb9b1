"""The book's LSTM as nodes on a chain: parameters, states, nodes, a network and a loss layer.

《深度学习与神经网络》第5章, section 5.5.3 (Fig. 5-31, (5-37)–(5-45)) computes an LSTM with numpy
in a node/network/loss-layer design; this module is that design in nnbook's own code, runnable.

* :class:`LstmParam` — the cell's weights over the concatenation x_c = [x(t), h(t−1)]: W_g, W_i,
  W_f, W_o of shape (H, x_dim + H) and biases b_* (H,) — *inside* σ/φ, as the book's code has
  them ((5-37) prints the biases outside the activations, a slip), with gradients accumulated in
  ``*_diff`` and applied by :meth:`LstmParam.apply_diff`.
* :class:`LstmNode` — one time step. Forward :meth:`LstmNode.bottom_data_is` is (5-37):
  g = φ(W_g x_c + b_g), i, f, o = σ(W_* x_c + b_*), s = g ⊙ i + s(t−1) ⊙ f and the book's
  h = s ⊙ o (``cell_output="book"``; the standard h = o ⊙ tanh(s) is ``cell_output="tanh"``, an
  addition, not in the source chapter). Backward :meth:`LstmNode.top_diff_is` takes
  diff_h = dL(t)/dh(t) and diff_s = dL(t+1)/ds(t) and follows the corrected (5-44)–(5-45); the
  derivation is checked in sympy in :mod:`nnbook.symbolic.lstm`.
* :class:`LstmNetwork` — the chain: ``x_list_add`` runs one forward step, ``y_list_is`` sums the
  loss and back-propagates through time ((5-43): diff_h(t) = dl(t)/dh(t) + the node above's
  bottom_diff_h; diff_s(t) = the node above's bottom_diff_s = f(t+1) ⊙ dL(t+1)/ds(t+1)).
* :class:`ToyLossLayer` — the book's loss layer: only the first unit is compared with a scalar
  label, l = (h₀ − y)², whereas (5-38) writes ‖h − y‖² (that form is
  :class:`SquaredErrorLossLayer`).

Two bugs of the printed code can be switched on, ``book_literal=...`` (default: fixed):

* ``"none_test"`` — the printed forward tests ``s_prev == None`` (and ``h_prev == None``) where
  ``is None`` is meant; for a state of more than one unit the comparison is an array and ``if``
  raises ``ValueError`` at the second time step.
* ``"gate_derivative"`` — the code printed after (5-45) multiplies the gradients of f, o and g by
  i's sigmoid slope i(1 − i) instead of f(1 − f), o(1 − o) and 1 − g²; with the flag the node's
  backward does the same, so every gradient is wrong (a gradient check shows it). The printed
  snippet itself is :func:`printed_weight_gradients`.

The training driver :func:`train_toy_sequence` and the gradient check are additions (not in the
source chapter). The library's batched LSTM with gates ordered (i, f, g, o) is
:mod:`nnbook.functional.lstm`; :func:`library_weights` maps this cell's weights to it.
"""

from __future__ import annotations

import numbers

import numpy as np

from nnbook.analysis.gradcheck import relative_error, richardson_gradient
from nnbook.functional.activations import sigmoid
from nnbook.validation import as_float_array, check_positive

#: The order of the book's code: candidate g, input i, forget f, output o ((5-37) lists i, f, g, o).
GATES = ("g", "i", "f", "o")
#: ``"book"``: h = s ⊙ o (5-37); ``"tanh"``: the standard h = o ⊙ tanh(s) (an addition).
CELL_OUTPUTS = ("book", "tanh")
#: Names of the printed code's bugs that ``book_literal`` can reproduce.
BOOK_BUGS = ("none_test", "gate_derivative")
#: Parameter names, weights then biases, in gate order.
PARAM_NAMES = tuple(f"w{gate}" for gate in GATES) + tuple(f"b{gate}" for gate in GATES)


def _book_bugs(book_literal) -> frozenset:
    """``book_literal``: False/None/() (fixed), True (both bugs), a bug name or names."""
    if book_literal is None or book_literal is False:
        return frozenset()
    if book_literal is True:
        return frozenset(BOOK_BUGS)
    names = (book_literal,) if isinstance(book_literal, str) else tuple(book_literal)
    unknown = [name for name in names if name not in BOOK_BUGS]
    if unknown:
        raise ValueError(f"book_literal: expected True, False or names from {BOOK_BUGS}, found "
                         f"{unknown}")
    return frozenset(names)


def _check_cell_output(cell_output):
    if cell_output not in CELL_OUTPUTS:
        raise ValueError(f"cell_output: expected one of {CELL_OUTPUTS}, found {cell_output!r}")
    return cell_output


def _vector(value, name: str, length: int) -> np.ndarray:
    array = as_float_array(value, name, ndim=1, dtype=np.float64)
    if array.shape != (length,):
        raise ValueError(f"{name}: expected a vector of length {length}, found shape {array.shape}")
    return array


class LstmParam:
    """Weights W_g, W_i, W_f, W_o (H, x_dim + H) and biases b_* (H,) of the cell (5-37).

    Entries start uniform in [−init_scale, init_scale] from ``rng``; ``wg_diff`` … ``bo_diff``
    accumulate dL/dW over a sequence until :meth:`apply_diff` takes the step.
    """

    def __init__(self, mem_cell_ct: int, x_dim: int, rng: np.random.Generator,
                 init_scale: float = 0.1):
        self.mem_cell_ct = check_positive(mem_cell_ct, "mem_cell_ct", integer=True)
        self.x_dim = check_positive(x_dim, "x_dim", integer=True)
        check_positive(init_scale, "init_scale")
        if not isinstance(rng, np.random.Generator):
            raise TypeError(f"rng: expected a numpy Generator (np.random.default_rng(seed)), "
                            f"found {type(rng).__name__}")
        width = x_dim + mem_cell_ct
        for gate in GATES:
            setattr(self, f"w{gate}", rng.uniform(-init_scale, init_scale, (mem_cell_ct, width)))
            setattr(self, f"b{gate}", rng.uniform(-init_scale, init_scale, mem_cell_ct))
        self.zero_diffs()

    def arrays(self) -> dict:
        """{"wg": W_g, …, "bo": b_o}: the parameter arrays themselves (not copies)."""
        return {name: getattr(self, name) for name in PARAM_NAMES}

    def diffs(self) -> dict:
        """{"wg": dL/dW_g, …}: the accumulated gradients (the arrays themselves)."""
        return {name: getattr(self, f"{name}_diff") for name in PARAM_NAMES}

    def zero_diffs(self) -> None:
        for name in PARAM_NAMES:
            setattr(self, f"{name}_diff", np.zeros_like(getattr(self, name)))

    def apply_diff(self, lr: float = 1.0) -> None:
        """One gradient-descent step W ← W − lr · dL/dW (in place), then clear the gradients."""
        check_positive(lr, "lr")
        for name, diff in self.diffs().items():
            getattr(self, name)[...] -= lr * diff
        self.zero_diffs()


class LstmState:
    """What one node keeps: gates g, i, f, o, cell s and output h (H,), and the gradients it
    hands down the chain, bottom_diff_h = dL/dh(t−1), bottom_diff_s = dL(t)/ds(t−1) through
    the direct path, bottom_diff_x = dL/dx(t)."""

    def __init__(self, mem_cell_ct: int, x_dim: int):
        for name in ("g", "i", "f", "o", "s", "h", "bottom_diff_h", "bottom_diff_s"):
            setattr(self, name, np.zeros(mem_cell_ct))
        self.bottom_diff_x = np.zeros(x_dim)


def _printed_none_test(value) -> bool:
    """The printed code's ``if value == None`` — raises ValueError for an array of > 1 entries."""
    return bool(value == None)  # reproduces the book's bug on purpose


class LstmNode:
    """One time step of the book's LSTM; shares ``param`` with every other node of the chain."""

    def __init__(self, param: LstmParam, state: LstmState, cell_output: str = "book",
                 book_literal=()):
        self.param = param
        self.state = state
        self.cell_output = _check_cell_output(cell_output)
        self.book_bugs = _book_bugs(book_literal)

    def bottom_data_is(self, x, s_prev=None, h_prev=None) -> None:
        """Forward (5-37) for input ``x`` (x_dim,); ``s_prev``/``h_prev`` (H,) default to zeros
        (the first node of a chain)."""
        p, st = self.param, self.state
        is_none = _printed_none_test if "none_test" in self.book_bugs else (lambda v: v is None)
        if is_none(s_prev):
            s_prev = np.zeros(p.mem_cell_ct)
        if is_none(h_prev):
            h_prev = np.zeros(p.mem_cell_ct)
        x = _vector(x, "x", p.x_dim)
        self.s_prev = _vector(s_prev, "s_prev", p.mem_cell_ct)
        self.h_prev = _vector(h_prev, "h_prev", p.mem_cell_ct)
        self.x = x
        self.xc = np.concatenate([x, self.h_prev])
        st.g = np.tanh(p.wg @ self.xc + p.bg)
        st.i = sigmoid.unchecked(p.wi @ self.xc + p.bi)
        st.f = sigmoid.unchecked(p.wf @ self.xc + p.bf)
        st.o = sigmoid.unchecked(p.wo @ self.xc + p.bo)
        st.s = st.g * st.i + self.s_prev * st.f
        st.h = st.s * st.o if self.cell_output == "book" else st.o * np.tanh(st.s)

    def top_diff_is(self, top_diff_h, top_diff_s) -> None:
        """Backward: ``top_diff_h`` = dL(t)/dh(t), ``top_diff_s`` = dL(t+1)/ds(t) (both (H,)).

        Adds dL/dW_*, dL/db_* to the param's diffs and sets the state's bottom diffs.
        """
        p, st = self.param, self.state
        dh = _vector(top_diff_h, "top_diff_h", p.mem_cell_ct)
        ds_next = _vector(top_diff_s, "top_diff_s", p.mem_cell_ct)
        if self.cell_output == "book":  # h = s ⊙ o
            ds = st.o * dh + ds_next
            do = st.s * dh
        else:  # h = o ⊙ tanh(s), an addition
            tanh_s = np.tanh(st.s)
            ds = st.o * (1.0 - tanh_s ** 2) * dh + ds_next
            do = tanh_s * dh
        gate_grads = {"g": st.i * ds, "i": st.g * ds, "f": self.s_prev * ds, "o": do}  # (5-44)
        slopes = {"g": 1.0 - st.g ** 2, "i": st.i * (1.0 - st.i),
                  "f": st.f * (1.0 - st.f), "o": st.o * (1.0 - st.o)}
        if "gate_derivative" in self.book_bugs:  # the code printed after (5-45): i's slope for all
            slopes = dict.fromkeys(GATES, slopes["i"])
        dxc = np.zeros_like(self.xc)
        for gate in GATES:
            d_pre = slopes[gate] * gate_grads[gate]  # dL/d(W_* x_c + b_*)
            getattr(p, f"w{gate}_diff")[...] += np.outer(d_pre, self.xc)  # (5-45), corrected
            getattr(p, f"b{gate}_diff")[...] += d_pre
            dxc += getattr(p, f"w{gate}").T @ d_pre
        st.bottom_diff_s = ds * st.f
        st.bottom_diff_x = dxc[:p.x_dim]
        st.bottom_diff_h = dxc[p.x_dim:]


class ToyLossLayer:
    """The book's loss layer: l = (h₀ − y)² for a scalar label y (only the first unit is used,
    unlike (5-38)'s ‖h − y‖²). The chapter prints only ``bottom_diff``; ``loss`` is supplied."""

    @staticmethod
    def _label(label) -> float:
        if isinstance(label, bool) or not isinstance(label, numbers.Real) or not np.isfinite(label):
            raise TypeError(f"label: expected one finite real number, found {label!r}")
        return float(label)

    @classmethod
    def loss(cls, pred, label) -> float:
        pred = as_float_array(pred, "pred", ndim=1)
        return float((pred[0] - cls._label(label)) ** 2)

    @classmethod
    def bottom_diff(cls, pred, label) -> np.ndarray:
        """dl/dh = 2(h₀ − y) e₀ (zero except the first entry)."""
        pred = as_float_array(pred, "pred", ndim=1)
        diff = np.zeros_like(pred, dtype=np.float64)
        diff[0] = 2.0 * (pred[0] - cls._label(label))
        return diff


class SquaredErrorLossLayer:
    """(5-38)'s l = ‖h − y‖² for a label vector y of h's length; dl/dh = 2(h − y)."""

    @staticmethod
    def loss(pred, label) -> float:
        pred = as_float_array(pred, "pred", ndim=1)
        return float(np.sum((pred - _vector(label, "label", pred.size)) ** 2))

    @staticmethod
    def bottom_diff(pred, label) -> np.ndarray:
        pred = as_float_array(pred, "pred", ndim=1)
        return 2.0 * (pred - _vector(label, "label", pred.size))


class LstmNetwork:
    """A chain of :class:`LstmNode` sharing one :class:`LstmParam`; nodes are kept between
    sequences and reused."""

    def __init__(self, param: LstmParam, cell_output: str = "book", book_literal=()):
        if not isinstance(param, LstmParam):
            raise TypeError(f"param: expected an LstmParam, found {type(param).__name__}")
        self.lstm_param = param
        self.cell_output = _check_cell_output(cell_output)
        self.book_bugs = _book_bugs(book_literal)
        self.lstm_node_list = []
        self.x_list = []

    def x_list_add(self, x) -> None:
        """Append input x(t) (x_dim,) and run the forward step of its node."""
        p = self.lstm_param
        if len(self.lstm_node_list) == len(self.x_list):
            self.lstm_node_list.append(LstmNode(p, LstmState(p.mem_cell_ct, p.x_dim),
                                                self.cell_output, self.book_bugs))
        node = self.lstm_node_list[len(self.x_list)]
        if self.x_list:
            previous = self.lstm_node_list[len(self.x_list) - 1].state
            node.bottom_data_is(x, previous.s, previous.h)
        else:
            node.bottom_data_is(x)
        self.x_list.append(x)

    def x_list_clear(self) -> None:
        """Forget the current sequence (the nodes stay, to be reused)."""
        self.x_list = []

    def y_list_is(self, y_list, loss_layer) -> float:
        """Total loss L = Σ_t l(t) of the current sequence against ``y_list``; back-propagates
        through time, adding the gradients to the param's diffs (no update)."""
        for method in ("loss", "bottom_diff"):
            if not callable(getattr(loss_layer, method, None)):
                raise TypeError(f"loss_layer: expected an object with loss(pred, label) and "
                                f"bottom_diff(pred, label) such as ToyLossLayer, found "
                                f"{type(loss_layer).__name__}")
        if len(y_list) != len(self.x_list) or not self.x_list:
            raise ValueError(f"y_list: expected one label per input, {len(self.x_list)} (at "
                             f"least 1), found {len(y_list)}")
        total = 0.0
        diff_h_above = np.zeros(self.lstm_param.mem_cell_ct)  # no node above the last one
        diff_s_above = np.zeros(self.lstm_param.mem_cell_ct)
        for t in range(len(self.x_list) - 1, -1, -1):
            node = self.lstm_node_list[t]
            total += loss_layer.loss(node.state.h, y_list[t])
            diff_h = loss_layer.bottom_diff(node.state.h, y_list[t]) + diff_h_above  # (5-43)
            node.top_diff_is(diff_h, diff_s_above)
            diff_h_above, diff_s_above = node.state.bottom_diff_h, node.state.bottom_diff_s
        return total

    def states(self) -> dict:
        """{"g", "i", "f", "o", "s", "h"} → arrays (T, H) of the current sequence's forward pass."""
        nodes = self.lstm_node_list[:len(self.x_list)]
        return {name: np.array([getattr(node.state, name) for node in nodes])
                for name in ("g", "i", "f", "o", "s", "h")}


def printed_weight_gradients(i, di, df, do, dg, xc) -> dict:
    """The weight-gradient code printed after (5-45) — WRONG for f, o and g, kept to show it.

    It multiplies every gate's gradient by i's sigmoid slope i(1 − i); the correct factors are
    f(1 − f), o(1 − o) and 1 − g² (only ``wi`` is right). Arguments (H,) and x_c
    (x_dim + H,); returns {"wi", "wf", "wo", "wg"} → (H, x_dim + H) outer products.
    """
    slope = (1.0 - np.asarray(i)) * np.asarray(i)
    return {name: np.outer(slope * np.asarray(d), xc)
            for name, d in (("wi", di), ("wf", df), ("wo", do), ("wg", dg))}


def gradient_errors(network: LstmNetwork, x_list, y_list, loss_layer, eps: float = 1e-3) -> dict:
    """Relative error (‖analytic − numeric‖ / max‖·‖) of dL/d(each parameter) over a sequence.

    Runs the sequence forward, back-propagates with ``y_list_is`` and compares each accumulated
    diff with the fourth-order difference :func:`nnbook.analysis.gradcheck.richardson_gradient`
    (steps ε and 2ε), so a correct backward agrees to ~1e-10 relative in float64 (plain central
    differences stall near 1e-9 here). Leaves the
    param's diffs cleared. An addition (not in the source chapter).
    """
    param = network.lstm_param

    def sequence_loss(_=None) -> float:
        network.x_list_clear()
        for x in x_list:
            network.x_list_add(x)
        return sum(loss_layer.loss(node.state.h, y)
                   for node, y in zip(network.lstm_node_list, y_list))

    param.zero_diffs()
    sequence_loss()
    network.y_list_is(y_list, loss_layer)
    analytic = {name: diff.copy() for name, diff in param.diffs().items()}
    param.zero_diffs()
    errors = {}
    for name, array in param.arrays().items():
        numeric = richardson_gradient(sequence_loss, array, 2.0 * eps)
        errors[name] = relative_error(analytic[name], numeric)
    return errors


def library_weights(param: LstmParam, diffs: bool = False) -> tuple:
    """(kernel (x_dim, 4H), recurrent_kernel (H, 4H), bias (4H,)) for the library's LSTM
    (:mod:`nnbook.functional.lstm`, gates ordered i, f, g, o, rows = inputs): the same cell with
    [W_x | W_h] split by columns of x_c, transposed and the gate blocks permuted. ``diffs=True``
    maps the accumulated gradients the same way."""
    if not isinstance(param, LstmParam):
        raise TypeError(f"param: expected an LstmParam, found {type(param).__name__}")
    suffix = "_diff" if diffs else ""
    order = ("i", "f", "g", "o")
    stacked = np.concatenate([getattr(param, f"w{gate}{suffix}") for gate in order], axis=0)
    bias = np.concatenate([getattr(param, f"b{gate}{suffix}") for gate in order])
    return stacked[:, :param.x_dim].T.copy(), stacked[:, param.x_dim:].T.copy(), bias


def train_toy_sequence(y_list, x_list, mem_cell_ct: int, rng: np.random.Generator,
                       iterations: int = 100, lr: float = 0.1, cell_output: str = "book",
                       loss_layer=ToyLossLayer) -> tuple:
    """Fit one sequence: each iteration runs it forward, back-propagates and steps by ``lr``.

    The usage the book's design is made for: the first unit of h(t) learns the targets
    ``y_list`` for inputs ``x_list`` (T vectors of one length). Returns (network, losses) with
    the loss before each step. An addition (the driver is not in the source chapter).
    """
    check_positive(iterations, "iterations", integer=True)
    x_list = [as_float_array(x, "x_list[t]", ndim=1, dtype=np.float64) for x in x_list]
    if not x_list:
        raise ValueError("x_list: expected at least one input vector, found none")
    param = LstmParam(mem_cell_ct, x_list[0].size, rng)
    network = LstmNetwork(param, cell_output=cell_output)
    losses = []
    for _ in range(iterations):
        network.x_list_clear()
        for x in x_list:
            network.x_list_add(x)
        losses.append(network.y_list_is(y_list, loss_layer))
        param.apply_diff(lr)
    return network, np.array(losses)
