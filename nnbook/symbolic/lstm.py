"""One LSTM cell's backward pass, derived and checked in sympy (《深度学习与神经网络》第5章, 5.5.3).

The cell is the book's (5-37) with the biases inside the activations (as its code has them; the
printed (5-37) adds b_* outside σ/φ): on x_c = [x(t), h(t−1)],

    g = tanh(W_g x_c + b_g),  i, f, o = σ(W_* x_c + b_*),  s = g ⊙ i + s(t−1) ⊙ f,
    h = s ⊙ o  (the book's output; ``cell_output="tanh"``: h = o ⊙ tanh(s), an addition).

Seen from one cell, the loss from t on, L(t), depends on the cell only through h(t) and s(t):
through h(t) (its own loss l(t) and the next cell's h_prev) with total gradient
diff_h = dL(t)/dh(t), and through the next cell's s(t+1) = … + s(t) ⊙ f(t+1) with
diff_s = dL(t+1)/ds(t). To first order — all a gradient needs — L(t) is therefore
diff_h · h(t) + diff_s · s(t) around the point; :meth:`SymbolicLstmCell.loss_from_t` is that
linearisation, and sympy differentiates it as the oracle. The chain rule as the book runs it
(:func:`backward_formulas`), in corrected form:

    ds = o ⊙ diff_h + diff_s        (book h; for h = o ⊙ tanh(s): o ⊙ (1 − tanh² s) ⊙ diff_h + diff_s)
    do = s ⊙ diff_h,  di = g ⊙ ds,  dg = i ⊙ ds,  df = s(t−1) ⊙ ds           (5-44)
    da_i = i(1 − i) ⊙ di, da_f = f(1 − f) ⊙ df, da_o = o(1 − o) ⊙ do, da_g = (1 − g²) ⊙ dg
    dW_* = da_* x_cᵀ (outer product),  db_* = da_*                          (5-45), corrected
    dx_c = Σ W_*ᵀ da_* = [dx, dh(t−1)],  ds(t−1) = ds ⊙ f                    (passed to cell t−1)

Where the printed derivation slips (each corrected here, each checked by a test):

* After (5-40) L(t) is defined as Σ_{s=1}^{T} l(s), "the loss of the whole sequence"; it must be
  Σ_{s=t}^{T} l(s), the loss from t on, or (5-43)'s L(t) = l(t) + L(t+1) fails
  (:func:`loss_to_go_residuals`).
* In the step for dL(t)/ds(t) after (5-43), the left side is printed as dL(t)/dh_i(t); the reason
  "h(t+1) does not affect L(t)" should say l(t); the term printed with indices t+1,
  dL(t)/dh_i(t+1) · dh_i(t)/ds_i(t+1), is dL(t)/dh_i(t) · dh_i(t)/ds_i(t) = o_i(t) diff_h[i]; and
  diff_s[i] is dL(t+1)/ds_i(t) = f_i(t+1) dL(t+1)/ds_i(t+1), not "dL(t)/ds_i(t) at time t+1"
  (:func:`sequence_state_gradient_derivation` checks the corrected chain over two time steps).
* (5-45)'s last factor is printed d(W_i x_c)/dx_c; it is d(W_i x_c + b_i)/dW_i, which gives x_cᵀ
  and so the outer product, and the middle factor with the bias is i(1 − i).
* The code printed after (5-45) uses i's slope i(1 − i) for the f, o and g gates as well
  (``gate_slopes="printed"`` reproduces it; :func:`backward_matches_sympy` rejects it).

Checks are numeric at random real points (bounded in time, no ``simplify``):
:meth:`~nnbook.symbolic.derivation.Derivation.verify_numerically` walks each derivation step by step.
The exact :meth:`Derivation.verify` also succeeds, in well under a second for the book-output
steps of one cell, but ``simplify`` takes minutes on some tanh-output steps.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy as sp

from nnbook.symbolic.activations import sigmoid_expr
from nnbook.symbolic.derivation import Derivation, DerivationError

GATES = ("g", "i", "f", "o")
SOURCE = "《深度学习与神经网络》第5章, 5.5.3"


def _real(name: str) -> sp.Symbol:
    return sp.Symbol(name, real=True)


def _vector(prefix: str, n: int) -> sp.Matrix:
    return sp.Matrix([_real(prefix if n == 1 else f"{prefix}_{k + 1}") for k in range(n)])


def _activate(gate: str, a):
    return sp.tanh(a) if gate == "g" else sigmoid_expr(a)


def _times(a: sp.Matrix, b: sp.Matrix) -> sp.Matrix:
    return a.multiply_elementwise(b)


@dataclass
class SymbolicLstmCell:
    """One cell (5-37) with symbolic inputs, weights, biases and upstream gradients.

    ``W[gate]`` is (H, x_dim + H) with columns for x_c = [x, h_prev]; ``b[gate]``, ``h_prev``,
    ``s_prev``, ``diff_h``, ``diff_s`` are (H, 1); ``x`` is (x_dim, 1). For H = x_dim = 1 the
    names are the scalar ones: w_gx, w_gh, b_g, h_prev, s_prev, diff_h, diff_s.
    """

    units: int
    x_dim: int
    cell_output: str
    x: sp.Matrix
    h_prev: sp.Matrix
    s_prev: sp.Matrix
    W: dict
    b: dict
    diff_h: sp.Matrix
    diff_s: sp.Matrix

    @property
    def xc(self) -> sp.Matrix:
        return self.x.col_join(self.h_prev)

    def forward(self, cut: dict | None = None) -> dict:
        """{"a_g", …, "a_o", "g", "i", "f", "o", "s", "h"} → (H, 1) expressions.

        ``cut`` maps some of these names to (H, 1) matrices of fresh symbols that replace the
        intermediate (what lies below it is ignored), so that sympy can differentiate with
        respect to it.
        """
        cut = cut or {}
        values = {}
        for gate in GATES:
            values[f"a_{gate}"] = cut.get(f"a_{gate}", self.W[gate] * self.xc + self.b[gate])
            values[gate] = cut.get(gate, values[f"a_{gate}"].applyfunc(lambda a, g=gate: _activate(g, a)))
        values["s"] = cut.get("s", _times(values["g"], values["i"]) + _times(self.s_prev, values["f"]))
        squash = (lambda v: v) if self.cell_output == "book" else sp.tanh
        values["h"] = _times(values["s"].applyfunc(squash), values["o"])
        return values

    def loss_from_t(self, cut: dict | None = None) -> sp.Expr:
        """L(t) to first order: diff_h · h(t) + diff_s · s(t) (a constant dropped)."""
        values = self.forward(cut)
        return (self.diff_h.T * values["h"] + self.diff_s.T * values["s"])[0, 0]

    def symbols(self) -> list:
        """Every free symbol of the cell (inputs, parameters, upstream gradients), in order."""
        parts = [self.x, self.h_prev, self.s_prev, self.diff_h, self.diff_s]
        parts += [self.W[g] for g in GATES] + [self.b[g] for g in GATES]
        return [s for part in parts for s in part]


def symbolic_cell(units: int = 1, x_dim: int = 1, cell_output: str = "book") -> SymbolicLstmCell:
    """A :class:`SymbolicLstmCell` with ``units`` = H cells and ``x_dim`` inputs."""
    if cell_output not in ("book", "tanh"):
        raise ValueError(f"cell_output: expected 'book' or 'tanh', found {cell_output!r}")
    if not all(isinstance(n, int) and 1 <= n <= 3 for n in (units, x_dim)):
        raise ValueError(f"units and x_dim: expected integers 1..3 (symbolic sizes stay small), "
                         f"found {units!r} and {x_dim!r}")
    scalar = units == 1 and x_dim == 1
    columns = (["x", "h"] if scalar
               else [f"x{j + 1}" for j in range(x_dim)] + [f"h{j + 1}" for j in range(units)])
    rows = [""] if scalar else [str(k + 1) for k in range(units)]
    W = {g: sp.Matrix(units, x_dim + units, lambda k, j, g=g: _real(f"w_{g}{rows[k]}{columns[j]}"))
         for g in GATES}
    b = {g: _vector(f"b_{g}", units) for g in GATES}
    return SymbolicLstmCell(units, x_dim, cell_output, _vector("x", x_dim), _vector("h_prev", units),
                            _vector("s_prev", units), W, b, _vector("diff_h", units),
                            _vector("diff_s", units))


def backward_formulas(cell: SymbolicLstmCell, gate_slopes: str = "correct") -> dict:
    """The chain rule as the book's backward runs it, corrected: name → (H, 1) or (H, x_dim + H).

    Names: "s", "o", "i", "g", "f" (dL/d of that quantity), "a_*" (pre-activations), "W_*",
    "b_*", "x", "h_prev", "s_prev". ``gate_slopes="printed"`` uses i(1 − i) for every gate, as
    the code printed after (5-45) does (wrong).
    """
    if gate_slopes not in ("correct", "printed"):
        raise ValueError(f"gate_slopes: expected 'correct' or 'printed', found {gate_slopes!r}")
    v = cell.forward()
    one = sp.ones(cell.units, 1)
    if cell.cell_output == "book":
        ds = _times(v["o"], cell.diff_h) + cell.diff_s
        do = _times(v["s"], cell.diff_h)
    else:
        tanh_s = v["s"].applyfunc(sp.tanh)
        ds = _times(_times(v["o"], one - _times(tanh_s, tanh_s)), cell.diff_h) + cell.diff_s
        do = _times(tanh_s, cell.diff_h)
    grads = {"s": ds, "o": do, "i": _times(v["g"], ds), "g": _times(v["i"], ds),
             "f": _times(cell.s_prev, ds)}
    slopes = {gate: _times(v[gate], one - v[gate]) for gate in ("i", "f", "o")}
    slopes["g"] = one - _times(v["g"], v["g"])
    if gate_slopes == "printed":
        slopes = dict.fromkeys(GATES, slopes["i"])
    dxc = sp.zeros(cell.x_dim + cell.units, 1)
    for gate in GATES:
        da = _times(slopes[gate], grads[gate])
        grads[f"a_{gate}"] = da
        grads[f"W_{gate}"] = da * cell.xc.T
        grads[f"b_{gate}"] = da
        dxc += cell.W[gate].T * da
    grads["x"], grads["h_prev"] = dxc[:cell.x_dim, :], dxc[cell.x_dim:, :]
    grads["s_prev"] = _times(ds, v["f"])
    return grads


def sympy_gradients(cell: SymbolicLstmCell) -> dict:
    """The same names as :func:`backward_formulas`, by sympy's differentiation of
    :meth:`SymbolicLstmCell.loss_from_t` (intermediates through ``cut`` symbols, then
    substituted back)."""
    grads = {}
    values = cell.forward()
    for name in ("s", "o", "i", "g", "f") + tuple(f"a_{g}" for g in GATES):
        fresh = sp.Matrix([sp.Dummy(f"{name}{k}", real=True) for k in range(cell.units)])
        loss = cell.loss_from_t({name: fresh})
        back = dict(zip(fresh, values[name]))
        grads[name] = sp.Matrix([sp.diff(loss, c).xreplace(back) for c in fresh])
    loss = cell.loss_from_t()
    for gate in GATES:
        grads[f"W_{gate}"] = cell.W[gate].applyfunc(lambda w: sp.diff(loss, w))
        grads[f"b_{gate}"] = cell.b[gate].applyfunc(lambda w: sp.diff(loss, w))
    for name in ("x", "h_prev", "s_prev"):
        grads[name] = getattr(cell, name).applyfunc(lambda w: sp.diff(loss, w))
    return grads


def _close(a: float, b: float, tol: float) -> bool:
    return abs(a - b) <= tol * max(1.0, abs(a), abs(b))


def backward_matches_sympy(units: int = 1, x_dim: int = 1, cell_output: str = "book",
                           gate_slopes: str = "correct", rng: np.random.Generator | None = None,
                           points: int = 3, tol: float = 1e-10) -> bool:
    """Every entry of :func:`backward_formulas` equals sympy's derivative at ``points`` random
    real points; True, or :class:`DerivationError` naming the first that differs."""
    rng = np.random.default_rng(0) if rng is None else rng
    cell = symbolic_cell(units, x_dim, cell_output)
    by_chain, by_sympy = backward_formulas(cell, gate_slopes), sympy_gradients(cell)
    names = list(by_chain)
    entries = [(n, k) for n in names for k in range(len(by_chain[n]))]
    symbols = cell.symbols()
    chain_f = sp.lambdify(symbols, [by_chain[n][k] for n, k in entries], "math", cse=True)
    sympy_f = sp.lambdify(symbols, [by_sympy[n][k] for n, k in entries], "math", cse=True)
    for _ in range(points):
        point = rng.standard_normal(len(symbols))
        for (name, k), a, b in zip(entries, chain_f(*point), sympy_f(*point)):
            a, b = float(a), float(b)
            if not _close(a, b, tol):
                raise DerivationError(
                    f"LSTM cell backward ({cell_output} output, {gate_slopes} gate slopes): "
                    f"dL/d{name} entry {k} is {a:.10g} by the chain rule but {b:.10g} by sympy")
    return True


# ---- Step-by-step derivations on the scalar cell (H = x_dim = 1), for printing and checking ----

def _abbreviations(cell: SymbolicLstmCell) -> tuple:
    """Scalar symbols a_g … o, s, h and delta_* (dL/d·, corrected chain) with their values in
    the cell's own symbols; returns (symbols by name, definitions)."""
    values = {name: value[0] for name, value in cell.forward().items()}
    values.update({f"delta_{name}": value[0] for name, value in backward_formulas(cell).items()
                   if name in ("s", "o", "i", "g", "f")})
    names = {name: _real(name) for name in values}
    return names, {names[name]: value for name, value in values.items()}


def _slope(gate: str, value):
    return 1 - value ** 2 if gate == "g" else value * (1 - value)


def _state_gradient(n: dict, cell: SymbolicLstmCell):
    """dL/ds = o · dh/ds · diff_h + diff_s in the scalar abbreviations."""
    dh_ds = n["o"] if cell.cell_output == "book" else n["o"] * (1 - sp.tanh(n["s"]) ** 2)
    return dh_ds * cell.diff_h[0] + cell.diff_s[0]


def _check_gate(gate: str, allowed=GATES) -> str:
    if gate not in allowed:
        raise ValueError(f"gate: expected one of {allowed}, found {gate!r}")
    return gate


def state_gradient_derivation(cell_output: str = "book") -> Derivation:
    """dL(t)/ds(t) = o ⊙ diff_h + diff_s (book h = s ⊙ o), the step after (5-43), corrected."""
    cell = symbolic_cell(cell_output=cell_output)
    n, definitions = _abbreviations(cell)
    s, o = n["s"], n["o"]
    h_of_s = s * o if cell_output == "book" else o * sp.tanh(s)
    d = Derivation(f"dL(t)/ds(t) for one LSTM cell ({cell_output} output)", f"{SOURCE}, after (5-43)",
                   sp.Derivative(cell.loss_from_t({"s": sp.Matrix([s])}), s), definitions=definitions)
    d.then(cell.diff_h[0] * sp.Derivative(h_of_s, s) + cell.diff_s[0],
           "s(t) reaches L(t) through h(t) (total gradient diff_h) and directly through s(t+1) "
           "(diff_s = dL(t+1)/ds(t)); the printed left side dL(t)/dh_i(t) should read dL(t)/ds_i(t)")
    d.then(_state_gradient(n, cell),
           "(5-37): h = s ⊙ o gives dh/ds = o" if cell_output == "book"
           else "h = o ⊙ tanh(s) (an addition) gives dh/ds = o (1 − tanh² s)")
    return d


def gate_gradient_derivation(gate: str = "i", cell_output: str = "book") -> Derivation:
    """(5-44): dL/do = diff_h ⊙ s, dL/di = dL/ds ⊙ g, dL/dg = dL/ds ⊙ i,
    dL/df = dL/ds ⊙ s(t−1)."""
    _check_gate(gate)
    cell = symbolic_cell(cell_output=cell_output)
    n, definitions = _abbreviations(cell)
    G = n[gate]
    d = Derivation(f"dL(t)/d{gate}(t) for one LSTM cell ({cell_output} output)", f"{SOURCE}, (5-44)",
                   sp.Derivative(cell.loss_from_t({gate: sp.Matrix([G])}), G), definitions=definitions)
    if gate == "o":
        squashed = n["s"] if cell_output == "book" else sp.tanh(n["s"])
        d.then(cell.diff_h[0] * squashed, "o enters L(t) only through h (5-37): dL/do = diff_h · s"
               if cell_output == "book" else "o enters only through h = o ⊙ tanh(s)")
        return d
    cell_update = n["g"] * n["i"] + cell.s_prev[0] * n["f"]
    d.then(n["delta_s"] * sp.Derivative(cell_update, G),
           f"{gate} enters L(t) only through s = g ⊙ i + s(t−1) ⊙ f (5-37): "
           f"dL/d{gate} = dL/ds · ds/d{gate}")
    d.then(n["delta_s"] * {"i": n["g"], "g": n["i"], "f": cell.s_prev[0]}[gate], "(5-44)")
    return d


def preactivation_gradient_derivation(gate: str = "i", cell_output: str = "book") -> Derivation:
    """dL/da for a = W x_c + b inside the gate: σ′ = σ(1 − σ) for i, f, o and 1 − g² for g
    (the code printed after (5-45) uses i(1 − i) for all four)."""
    _check_gate(gate)
    cell = symbolic_cell(cell_output=cell_output)
    n, definitions = _abbreviations(cell)
    A, G = n[f"a_{gate}"], n[gate]
    d = Derivation(f"dL(t)/da_{gate}, the gradient inside the activation ({cell_output} output)",
                   f"{SOURCE}, (5-45)", sp.Derivative(cell.loss_from_t({f"a_{gate}": sp.Matrix([A])}), A),
                   definitions=definitions)
    d.then(n[f"delta_{gate}"] * sp.Derivative(_activate(gate, A), A),
           f"{gate} = {'tanh' if gate == 'g' else 'σ'}(a_{gate}) with the bias inside (the printed "
           "(5-37) adds it outside)")
    d.then(n[f"delta_{gate}"] * _slope(gate, G),
           "tanh′ = 1 − tanh²" if gate == "g" else "σ′ = σ(1 − σ)")
    return d


def weight_gradient_derivation(gate: str = "i", column: str = "x",
                               cell_output: str = "book") -> Derivation:
    """(5-45), corrected: dL/dW_* = da_* x_cᵀ; here the entry of W_* on x (``column="x"``) or on
    h(t−1) (``column="h"``) of the scalar cell, down to the cell's quantities."""
    _check_gate(gate)
    if column not in ("x", "h"):
        raise ValueError(f"column: expected 'x' or 'h', found {column!r}")
    cell = symbolic_cell(cell_output=cell_output)
    n, definitions = _abbreviations(cell)
    w = cell.W[gate][0, 0 if column == "x" else 1]
    xc_entry = cell.x[0] if column == "x" else cell.h_prev[0]
    pre = (cell.W[gate] * cell.xc + cell.b[gate])[0]
    slope = _slope(gate, n[gate])
    d = Derivation(f"dL(t)/d{w} for one LSTM cell ({cell_output} output)", f"{SOURCE}, (5-45)",
                   sp.Derivative(cell.loss_from_t(), w), definitions=definitions)
    d.then(n[f"delta_{gate}"] * slope * sp.Derivative(pre, w),
           f"(5-45) corrected: dL/d{gate} · d{gate}/d(W x_c + b) · d(W x_c + b)/dW — the printed "
           "last factor is d(W x_c)/dx_c")
    d.then(n[f"delta_{gate}"] * slope * xc_entry,
           "d(W x_c + b)/dW = x_cᵀ: the gradient is the outer product da x_cᵀ")
    if gate == "o":
        upstream = cell.diff_h[0] * (n["s"] if cell_output == "book" else sp.tanh(n["s"]))
        d.then(upstream * slope * xc_entry, "(5-44): dL/do = diff_h · s" if cell_output == "book"
               else "dL/do = diff_h · tanh(s)")
        return d
    factor = {"i": n["g"], "g": n["i"], "f": cell.s_prev[0]}[gate]
    d.then(n["delta_s"] * factor * slope * xc_entry, f"(5-44): dL/d{gate} = dL/ds · {factor}")
    d.then(_state_gradient(n, cell) * factor * slope * xc_entry,
           "dL/ds = o · diff_h + diff_s (the state-gradient derivation)")
    return d


def previous_state_gradient_derivation(cell_output: str = "book") -> Derivation:
    """dL(t)/ds(t−1) through the direct path = dL(t)/ds(t) ⊙ f(t): what the cell passes down as
    the next-lower cell's diff_s."""
    cell = symbolic_cell(cell_output=cell_output)
    n, definitions = _abbreviations(cell)
    d = Derivation(f"dL(t)/ds(t−1) for one LSTM cell ({cell_output} output)", f"{SOURCE}, after (5-43)",
                   sp.Derivative(cell.loss_from_t(), cell.s_prev[0]), definitions=definitions)
    d.then(n["delta_s"] * sp.Derivative(n["g"] * n["i"] + cell.s_prev[0] * n["f"], cell.s_prev[0]),
           "s(t−1) enters only through s(t) = g ⊙ i + s(t−1) ⊙ f (the gates see h(t−1), not "
           "s(t−1))")
    d.then(n["delta_s"] * n["f"], "so diff_s of cell t−1 is f(t) ⊙ dL(t)/ds(t)")
    return d


def previous_output_gradient_derivation(cell_output: str = "book") -> Derivation:
    """dL(t)/dh(t−1) = Σ_* W_{*h}ᵀ da_*: the h(t−1) part of dx_c, added to cell t−1's own dl/dh."""
    cell = symbolic_cell(cell_output=cell_output)
    n, definitions = _abbreviations(cell)
    d = Derivation(f"dL(t)/dh(t−1) for one LSTM cell ({cell_output} output)", f"{SOURCE}, (5-43)",
                   sp.Derivative(cell.loss_from_t(), cell.h_prev[0]), definitions=definitions)
    d.then(sum(n[f"delta_{g}"] * _slope(g, n[g]) * cell.W[g][0, 1] for g in GATES),
           "h(t−1) is part of x_c and feeds all four gates: dx_c = Σ W_*ᵀ da_*")
    return d


# ---- Through time: the loss from t on, (5-40)–(5-43), and two chained cells ----

def loss_to_go(t: int, losses, printed: bool = False):
    """L(t) = Σ_{s=t}^{T} l(s) for losses l(1) … l(T); ``printed=True`` gives the definition as
    printed after (5-40), Σ_{s=1}^{T} l(s) (wrong: the same for every t)."""
    if not 1 <= t <= len(losses) + 1:
        raise ValueError(f"t: expected 1..{len(losses) + 1}, found {t}")
    return sp.Add(*(losses if printed else losses[t - 1:]))


def loss_to_go_residuals(T: int = 3, printed: bool = False) -> list:
    """L(t) − (l(t) + L(t+1)) for t = 1 … T−1 with symbolic l(1) … l(T): all 0 for the corrected
    L(t), which is (5-43); −l(t) for the printed definition, which breaks (5-43)."""
    losses = [_real(f"l_{t}") for t in range(1, T + 1)]
    return [sp.expand(loss_to_go(t, losses, printed) - losses[t - 1] - loss_to_go(t + 1, losses, printed))
            for t in range(1, T)]


def sequence_state_gradient_derivation(cell_output: str = "book") -> Derivation:
    """dL(1)/ds(1) over two scalar cells with the book's loss l(t) = (h(t) − y(t))², step by step:
    = o(1) diff_h(1) + f(2) dL(2)/ds(2), diff_h(1) = dl(1)/dh(1) + dL(2)/dh(1) by (5-43), and
    dL(2)/ds(2) = o(2) dl(2)/dh(2) at the last step (nothing flows back from a third cell)."""
    cell = symbolic_cell(cell_output=cell_output)
    y1, y2, x1, x2 = _real("y_1"), _real("y_2"), _real("x_1"), _real("x_2")
    S1, H1, S2 = _real("s_1"), _real("h_1"), _real("s_2")
    h_of = (lambda s, o: s * o) if cell_output == "book" else (lambda s, o: o * sp.tanh(s))
    dh_ds = (lambda s, o: o) if cell_output == "book" else (lambda s, o: o * (1 - sp.tanh(s) ** 2))

    def step(x, h_prev, s_prev):
        c = SymbolicLstmCell(1, 1, cell_output, sp.Matrix([x]), sp.Matrix([h_prev]), sp.Matrix([s_prev]),
                             cell.W, cell.b, sp.Matrix([0]), sp.Matrix([0]))
        return c, {k: v[0] for k, v in c.forward().items()}

    _, first = step(x1, cell.h_prev[0], cell.s_prev[0])  # cell 1 starts from h(0), s(0)
    o1, s1, h1 = first["o"], first["s"], first["h"]
    _, second_cut_s = step(x2, h_of(S1, o1), S1)  # s(1) as a free symbol S1
    loss_of_s1 = (h_of(S1, o1) - y1) ** 2 + (second_cut_s["h"] - y2) ** 2
    _, second_cut_h = step(x2, H1, s1)  # h(1) free, s(1) held
    diff_h1 = sp.diff((H1 - y1) ** 2 + (second_cut_h["h"] - y2) ** 2, H1).xreplace({H1: h1})
    cell2, second = step(x2, h1, s1)
    o2, s2_value = second["o"], second["s"]
    dL2_ds2 = sp.diff((h_of(S2, o2) - y2) ** 2, S2).xreplace({S2: s2_value})
    cell2.diff_h = sp.Matrix([2 * (second["h"] - y2)])  # dl(2)/dh(2); diff_s = 0 at the last step
    n = {name: _real(name) for name in ("o_1", "f_2", "o_2", "h_2", "diff_h_1", "dL2_ds2", "dL2_dh1")}
    definitions = {S1: s1, n["o_1"]: o1, n["f_2"]: second["f"], n["o_2"]: o2, n["h_2"]: second["h"],
                   H1: h1, S2: s2_value, n["diff_h_1"]: diff_h1, n["dL2_ds2"]: dL2_ds2,
                   n["dL2_dh1"]: backward_formulas(cell2)["h_prev"][0]}
    d = Derivation(f"dL(1)/ds(1) through two LSTM cells ({cell_output} output)",
                   f"{SOURCE}, (5-40)–(5-43) and the steps after them",
                   sp.Derivative(loss_of_s1, S1), definitions=definitions)
    d.then(dh_ds(S1, n["o_1"]) * n["diff_h_1"] + n["f_2"] * n["dL2_ds2"],
           "through h(1) (total gradient diff_h(1) = dL(1)/dh(1)) and through s(2) = … + s(1) f(2): "
           "diff_s(1) = dL(2)/ds(1) = f(2) dL(2)/ds(2), not the printed 'dL(t)/ds(t) at time t+1'")
    d.then(dh_ds(S1, n["o_1"]) * (2 * (H1 - y1) + n["dL2_dh1"]) + n["f_2"] * n["dL2_ds2"],
           "(5-43) with L(1) = l(1) + L(2): diff_h(1) = dl(1)/dh(1) + dL(2)/dh(1), the second term "
           "being cell 2's dx_c part for h(1)")
    d.then(dh_ds(S1, n["o_1"]) * (2 * (H1 - y1) + n["dL2_dh1"])
           + n["f_2"] * dh_ds(S2, n["o_2"]) * 2 * (n["h_2"] - y2),
           "the last step has no s(3): dL(2)/ds(2) = dh(2)/ds(2) · dl(2)/dh(2)")
    return d


def loss_to_go_derivation(T: int = 3) -> Derivation:
    """(5-43): L(1) = l(1) + L(2) for L(t) = Σ_{s=t}^{T} l(s) (the corrected definition)."""
    losses = [_real(f"l_{t}") for t in range(1, T + 1)]
    loss_from_2 = _real("L_2")
    d = Derivation("The loss from t on satisfies L(t) = l(t) + L(t+1)", f"{SOURCE}, (5-40)–(5-43)",
                   loss_to_go(1, losses), definitions={loss_from_2: loss_to_go(2, losses)})
    d.then(losses[0] + loss_from_2, "(5-43) with L(t) = Σ_{s≥t} l(s); the printed Σ_{s=1}^{T} would give "
           "L(1) = L(2) and so l(1) = 0")
    return d
