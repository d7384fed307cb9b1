"""The BP derivation of 《深度学习与神经网络》第5章 (§5.2.4, (5-2)–(5-21)), checked by sympy.

The book derives backpropagation for the three-layer sigmoid network of Fig. 5-7, which has
both a bias b and a threshold θ in every unit: h_j = f(net⁰_j − θ⁰_j) with
net⁰_j = Σ_i w⁰_ji x_i + b⁰_j (5-2), o_k = f(net¹_k − θ¹_k) with net¹_k = Σ_j w¹_kj h_j + b¹_k
(5-3), and E = ½ Σ_k (d_k − o_k)² (5-4). Here every step is a :class:`Derivation` on a 2-2-2
network with symbolic weights, and :func:`verify_all` checks them all:

* the expansion of E to the hidden and the input layer (5-5), (5-6);
* the partial derivatives of the net inputs: ∂net/∂w = h or x, ∂net/∂b = 1 ((5-9), (5-10)),
  and ∂net¹_k/∂net⁰_j = w¹_kj f′(net⁰_j − θ⁰_j) ((5-10), (5-14));
* the output-layer weight rule (5-7), (5-9), (5-11)–(5-13), (5-15), (5-16) and the hidden-layer
  rule (5-8), (5-10), (5-11), (5-12), (5-14), (5-15), (5-17), ending in δᵒ and δʸ;
* the bias rules (5-19), (5-21) with the layers put right, and the θ–b antisymmetry
  ∂E/∂θ = −∂E/∂b (so only b − θ matters);
* the sigmoid identity f′ = f(1 − f) the book uses after (5-15).

Source slips flagged where they occur: (5-8) writes w⁰_kj for w⁰_ji; (5-17) writes
Σ_k δᵒ_k w_jk · y_j(1 − y_j) where the indices give w¹_kj and the hidden output is h_j; (5-19)
and (5-21) carry swapped labels — the rule Δb = ηδᵒ belongs to the *output* layer and
Δb = ηδʸ to the *hidden* layer (:func:`printed_bias_rules_check` evaluates both at a point);
(5-20), printed as the output layer's net input, repeats the hidden layer's (5-18). The book
writes f′(net) where the derivative is taken at net − θ; the steps below keep the θ.

Time is bounded: chain-rule steps use an undefined f (sympy cancels them without simplifying),
and only the steps that use f′ = f(1 − f) need ``simplify`` on a two-output sum.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from nnbook.symbolic.activations import sigma_symbol, sigmoid_derivative, sigmoid_expr
from nnbook.symbolic.derivation import Derivation

SOURCE = "《深度学习与神经网络》第5章"
#: Layer sizes of the symbolic network: n inputs, m hidden units, l outputs.
SIZES = (2, 2, 2)

eta = sp.Symbol("eta", positive=True)


def _symbols(name: str, count: int):
    return tuple(sp.Symbol(f"{name}_{index}", real=True) for index in range(1, count + 1))


def _matrix(layer: int, rows: int, cols: int):
    return sp.Matrix(rows, cols,
                     lambda r, c: sp.Symbol(f"w^({layer})_{r + 1}{c + 1}", real=True))


def _prime(f):
    """f′ as a function of its argument: explicit for a concrete f, ``Subs(Derivative…)`` else."""
    t = sp.Dummy("t")
    slope = sp.diff(f(t), t)
    return lambda argument: slope.subs(t, argument)


#: The printed name f′ in the steps; a derivation's ``definitions`` map it to the real slope.
f_prime = sp.Function("f'")


def _prime_definition(f):
    """{f′: the Lambda t ↦ f′(t)} for a derivation's definitions (valid at any argument)."""
    t, u = sp.Dummy("t"), sp.Dummy("u")
    if isinstance(f, sp.FunctionClass):
        return {f_prime: sp.Lambda(t, sp.Subs(sp.Derivative(f(u), u), u, t))}
    return {f_prime: sp.Lambda(t, sp.diff(f(t), t))}


@dataclass(frozen=True)
class BPNetwork:
    """The n-m-l network of Fig. 5-7 with symbolic parameters; index from 1 as the book does.

    ``W0`` is the m × n matrix of w⁽⁰⁾_ji (input i → hidden j), ``W1`` the l × m matrix of
    w⁽¹⁾_kj (hidden j → output k); ``b0``, ``theta0`` have m entries, ``b1``, ``theta1`` l.
    ``net0``, ``h``, ``net1``, ``o`` are the explicit expressions of (5-2)/(5-3) and ``E`` is
    (5-4). ``names`` maps the abbreviation symbols net⁰_j, h_j, net¹_k, o_k, δᵒ_k, δʸ_j,
    ∂E/∂o_k and ∂E/∂net¹_k to their explicit expressions (a ``definitions`` map).
    """

    x: tuple
    d: tuple
    W0: sp.Matrix
    b0: tuple
    theta0: tuple
    W1: sp.Matrix
    b1: tuple
    theta1: tuple
    f: object
    net0: tuple
    h: tuple
    net1: tuple
    o: tuple
    E: sp.Expr
    names: dict
    symbol: dict

    def prime(self, argument):
        """f′(argument), printed as f′ (``names`` holds its meaning)."""
        return f_prime(argument)


def bp_network(activation=None, sizes=SIZES) -> BPNetwork:
    """Build the network of Fig. 5-7 with symbolic x, d, W, b, θ ((5-2)–(5-4)).

    ``activation``: a callable on sympy expressions (default an undefined function f, so a
    result holds for every differentiable f; pass :func:`sigmoid_expr` for the book's f).
    """
    n, m, l = (int(s) for s in sizes)
    if min(n, m, l) < 1:
        raise ValueError(f"sizes: expected three positive layer sizes (n, m, l), found {sizes}")
    f = activation if activation is not None else sp.Function("f")
    x, d = _symbols("x", n), _symbols("d", l)
    W0, W1 = _matrix(0, m, n), _matrix(1, l, m)
    b0, theta0 = _symbols("b^(0)", m), _symbols("theta^(0)", m)
    b1, theta1 = _symbols("b^(1)", l), _symbols("theta^(1)", l)
    net0 = tuple(sum(W0[j, i] * x[i] for i in range(n)) + b0[j] for j in range(m))
    h = tuple(f(net0[j] - theta0[j]) for j in range(m))
    net1 = tuple(sum(W1[k, j] * h[j] for j in range(m)) + b1[k] for k in range(l))
    o = tuple(f(net1[k] - theta1[k]) for k in range(l))
    E = sp.Rational(1, 2) * sum((d[k] - o[k]) ** 2 for k in range(l))
    slope = _prime(f)
    names, symbol = dict(_prime_definition(f)), {}

    def name(label, value):
        s = sp.Symbol(label, real=True)
        names[s], symbol[label] = value, s

    for j in range(m):
        name(f"net^(0)_{j + 1}", net0[j])
        name(f"h_{j + 1}", h[j])
    dE_dnet1 = []
    for k in range(l):
        name(f"net^(1)_{k + 1}", net1[k])
        name(f"o_{k + 1}", o[k])
        name(f"dE/do_{k + 1}", -(d[k] - o[k]))
        dE_dnet1.append(-(d[k] - o[k]) * slope(net1[k] - theta1[k]))
        name(f"dE/dnet^(1)_{k + 1}", dE_dnet1[k])
        name(f"delta^o_{k + 1}", -dE_dnet1[k])
    name("E", E)
    for j in range(m):
        name(f"delta^y_{j + 1}",
             -sum(dE_dnet1[k] * W1[k, j] * slope(net0[j] - theta0[j]) for k in range(l)))
    return BPNetwork(x, d, W0, b0, theta0, W1, b1, theta1, f, net0, h, net1, o, E, names, symbol)


def _check_index(value, upper, what):
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= upper:
        raise ValueError(f"{what}: expected an index from 1 to {upper}, found {value!r}")
    return value - 1


# --- (5-4)–(5-6): the error expanded layer by layer -----------------------------------------


def error_expansion() -> Derivation:
    """E of (5-4) written through the output layer (5-5) and down to the inputs (5-6).

    The book's first line of (5-6) puts +b¹_k inside the inner f; it belongs outside, as its
    second line has it.
    """
    net = bp_network()
    s, f = net.symbol, net.f
    m, l = net.W1.cols, net.W1.rows
    half = sp.Rational(1, 2)
    d = Derivation("The error E expanded to the hidden and the input layer",
                   f"{SOURCE} (5-4)–(5-6)",
                   half * sum((net.d[k] - s[f"o_{k + 1}"]) ** 2 for k in range(l)),
                   definitions=net.names)
    d.then(half * sum((net.d[k] - f(s[f"net^(1)_{k + 1}"] - net.theta1[k])) ** 2
                      for k in range(l)), "(5-3): o_k = f(net¹_k − θ¹_k)")
    d.then(half * sum((net.d[k] - f(sum(net.W1[k, j] * s[f"h_{j + 1}"] for j in range(m))
                                     + net.b1[k] - net.theta1[k])) ** 2 for k in range(l)),
           "(5-5): net¹_k = Σ_j w¹_kj h_j + b¹_k")
    d.then(half * sum((net.d[k] - f(sum(net.W1[k, j] * f(s[f"net^(0)_{j + 1}"] - net.theta0[j])
                                         for j in range(m)) + net.b1[k] - net.theta1[k])) ** 2
                      for k in range(l)), "(5-6), first line: h_j = f(net⁰_j − θ⁰_j)")
    d.then(net.E, "(5-6), second line: net⁰_j = Σ_i w⁰_ji x_i + b⁰_j (5-2)")
    return d


# --- partial derivatives of the net inputs -----------------------------------------------------


def net_partials() -> list[Derivation]:
    """∂net¹_k/∂w¹_kj = h_j, ∂net¹_k/∂b¹_k = 1 (5-9); ∂net⁰_j/∂w⁰_ji = x_i, ∂net⁰_j/∂b⁰_j = 1
    (5-10) — for every index of the 2-2-2 network."""
    net = bp_network()
    s = net.symbol
    out = []
    for k in range(net.W1.rows):
        for j in range(net.W1.cols):
            out.append(Derivation(f"∂net¹_{k + 1}/∂w¹_{k + 1}{j + 1}", f"{SOURCE} (5-9)",
                                  sp.Derivative(net.net1[k], net.W1[k, j]), definitions=net.names)
                       .then(s[f"h_{j + 1}"], "only the term w¹_kj h_j depends on w¹_kj"))
        out.append(Derivation(f"∂net¹_{k + 1}/∂b¹_{k + 1}", f"{SOURCE} (5-9)",
                              sp.Derivative(net.net1[k], net.b1[k])).then(1, "net¹_k = … + b¹_k"))
    for j in range(net.W0.rows):
        for i in range(net.W0.cols):
            out.append(Derivation(f"∂net⁰_{j + 1}/∂w⁰_{j + 1}{i + 1}", f"{SOURCE} (5-10)",
                                  sp.Derivative(net.net0[j], net.W0[j, i]))
                       .then(net.x[i], "only the term w⁰_ji x_i depends on w⁰_ji"))
        out.append(Derivation(f"∂net⁰_{j + 1}/∂b⁰_{j + 1}", f"{SOURCE} (5-10)",
                              sp.Derivative(net.net0[j], net.b0[j])).then(1, "net⁰_j = … + b⁰_j"))
    return out


def output_net_partial(k: int = 1, j: int = 1) -> Derivation:
    """∂net¹_k/∂net⁰_j = w¹_kj f′(net⁰_j − θ⁰_j), the middle factor of (5-10) and (5-14).

    Here net⁰_j are independent symbols (net¹ is read as a function of them), so the
    derivation has no definitions.
    """
    net = bp_network()
    kk, jj = _check_index(k, net.W1.rows, "k"), _check_index(j, net.W1.cols, "j")
    nu = _symbols("net^(0)", net.W1.cols)
    h = [net.f(nu[q] - net.theta0[q]) for q in range(len(nu))]
    net1_k = sum(net.W1[kk, q] * h[q] for q in range(len(nu))) + net.b1[kk]
    hidden = sp.Symbol(f"h_{j}", real=True)
    d = Derivation(f"∂net¹_{k}/∂net⁰_{j}", f"{SOURCE} (5-10), (5-14)",
                   sp.Derivative(net1_k, nu[jj]),
                   definitions={hidden: h[jj], **_prime_definition(net.f)})
    d.then(net.W1[kk, jj] * sp.Derivative(hidden, nu[jj]),
           "∂net¹_k/∂h_j = w¹_kj (5-3): only h_j depends on net⁰_j")
    d.then(net.W1[kk, jj] * net.prime(nu[jj] - net.theta0[jj]),
           "∂h_j/∂net⁰_j = f′(net⁰_j − θ⁰_j) (5-2)")
    return d


# --- the weight rules ---------------------------------------------------------------------------


def output_weight_rule(k: int = 1, j: int = 1) -> Derivation:
    """Δw¹_kj = −η ∂E/∂w¹_kj = η δᵒ_k h_j with δᵒ_k = (d_k − o_k) o_k (1 − o_k).

    (5-7), (5-9), (5-11), (5-12), (5-13), (5-15), (5-16), on the sigmoid network.
    """
    net = bp_network(sigmoid_expr)
    kk, jj = _check_index(k, net.W1.rows, "k"), _check_index(j, net.W1.cols, "j")
    s = net.symbol
    h, o = s[f"h_{j}"], s[f"o_{k}"]
    slope = net.prime(s[f"net^(1)_{k}"] - net.theta1[kk])
    d = Derivation(f"The output-layer weight rule for w¹_{k}{j}", f"{SOURCE} (5-7)–(5-16)",
                   -eta * sp.Derivative(s["E"], net.W1[kk, jj]), definitions=net.names)
    d.then(-eta * s[f"dE/dnet^(1)_{k}"] * h,
           "(5-9): chain rule through net¹_k, ∂net¹_k/∂w¹_kj = h_j")
    d.then(eta * s[f"delta^o_{k}"] * h, "(5-11), (5-12): δᵒ_k = −∂E/∂net¹_k, Δw_kj = η δᵒ_k h_j")
    d.then(-eta * s[f"dE/do_{k}"] * slope * h,
           "(5-13): ∂E/∂net¹_k = ∂E/∂o_k · f′(net¹_k − θ¹_k)")
    d.then(eta * (net.d[kk] - o) * slope * h, "(5-15): ∂E/∂o_k = −(d_k − o_k), from (5-4)")
    d.then(eta * (net.d[kk] - o) * o * (1 - o) * h,
           "(5-16): the sigmoid's f′ = f(1 − f) at net¹_k − θ¹_k is o_k(1 − o_k)")
    return d


def hidden_weight_rule(j: int = 1, i: int = 1) -> Derivation:
    """Δw⁰_ji = −η ∂E/∂w⁰_ji = η δʸ_j x_i with δʸ_j = (Σ_k δᵒ_k w¹_kj) f′(net⁰_j − θ⁰_j).

    (5-8), (5-10), (5-11), (5-12), (5-14), (5-15), (5-17) for any differentiable f (the
    sigmoid's form h_j(1 − h_j) of the last factor is :func:`hidden_delta_sigmoid_form`). The
    printed (5-8) names the weight w⁰_kj; it is w⁰_ji (input i → hidden j).
    """
    net = bp_network()
    jj, ii = _check_index(j, net.W0.rows, "j"), _check_index(i, net.W0.cols, "i")
    s, l = net.symbol, net.W1.rows
    x = net.x[ii]
    hidden_slope = net.prime(s[f"net^(0)_{j}"] - net.theta0[jj])
    out_slope = [net.prime(s[f"net^(1)_{k + 1}"] - net.theta1[k]) for k in range(l)]
    d = Derivation(f"The hidden-layer weight rule for w⁰_{j}{i}", f"{SOURCE} (5-8)–(5-17)",
                   -eta * sp.Derivative(s["E"], net.W0[jj, ii]), definitions=net.names)
    d.then(-eta * sum(s[f"dE/dnet^(1)_{k + 1}"] * net.W1[k, jj] * hidden_slope
                      for k in range(l)) * x,
           "(5-10): chain rule through every net¹_k; ∂net¹_k/∂net⁰_j = w¹_kj f′(net⁰_j − θ⁰_j), "
           "∂net⁰_j/∂w⁰_ji = x_i")
    d.then(eta * s[f"delta^y_{j}"] * x, "(5-11), (5-12): δʸ_j = −∂E/∂net⁰_j, Δv_ji = η δʸ_j x_i")
    d.then(-eta * sum(s[f"dE/do_{k + 1}"] * out_slope[k] * net.W1[k, jj] for k in range(l))
           * hidden_slope * x,
           "(5-14): ∂E/∂o_k · f′(net¹_k − θ¹_k) · ∂net¹_k/∂h_j · f′(net⁰_j − θ⁰_j)")
    d.then(eta * sum((net.d[k] - s[f"o_{k + 1}"]) * out_slope[k] * net.W1[k, jj]
                     for k in range(l)) * hidden_slope * x,
           "(5-15): ∂E/∂o_k = −(d_k − o_k)")
    d.then(eta * sum(s[f"delta^o_{k + 1}"] * net.W1[k, jj] for k in range(l)) * hidden_slope * x,
           "(5-16), (5-17) with its indices corrected: δʸ_j = (Σ_k δᵒ_k w¹_kj) f′(net⁰_j − θ⁰_j)")
    return d


def hidden_delta_sigmoid_form(j: int = 1) -> Derivation:
    """δʸ_j = (Σ_k δᵒ_k w¹_kj) f′(net⁰_j − θ⁰_j) = (Σ_k δᵒ_k w¹_kj) h_j(1 − h_j) for the sigmoid.

    The corrected (5-17); the book prints Σ_k δᵒ_k w_jk · y_j(1 − y_j), but with its own
    indices the weight from hidden j to output k is w¹_kj and the hidden output is h_j (there
    is no y in Fig. 5-7). δᵒ_k, the weights and net⁰_j are free symbols here.
    """
    net = bp_network(sigmoid_expr)
    jj = _check_index(j, net.W0.rows, "j")
    l = net.W1.rows
    delta_o = _symbols("delta^o", l)
    net0_j = sp.Symbol(f"net^(0)_{j}", real=True)
    h = sp.Symbol(f"h_{j}", real=True)
    back = sum(delta_o[k] * net.W1[k, jj] for k in range(l))
    d = Derivation(f"δʸ_{j} for the sigmoid", f"{SOURCE} (5-17) with its indices corrected",
                   back * net.prime(net0_j - net.theta0[jj]),
                   definitions={h: sigmoid_expr(net0_j - net.theta0[jj]),
                                **_prime_definition(sigmoid_expr)})
    d.then(back * h * (1 - h), "f′ = f(1 − f) at net⁰_j − θ⁰_j, where f = h_j (5-2)")
    return d


# --- biases and thresholds ------------------------------------------------------------------------


def bias_rules() -> list[Derivation]:
    """Δb¹_k = −η∂E/∂b¹_k = ηδᵒ_k and Δb⁰_j = −η∂E/∂b⁰_j = ηδʸ_j (undefined f).

    The book prints the first under "hidden-layer bias" (5-19) and the second under
    "output-layer bias" (5-21): the labels are swapped; these are the rules with the layers
    put right.
    """
    net = bp_network()
    s = net.symbol
    out = []
    for k in range(net.W1.rows):
        out.append(Derivation(f"The output-layer bias rule for b¹_{k + 1}",
                              f"{SOURCE} (5-9), (5-19) with its label corrected",
                              -eta * sp.Derivative(s["E"], net.b1[k]), definitions=net.names)
                   .then(-eta * s[f"dE/dnet^(1)_{k + 1}"], "chain rule, ∂net¹_k/∂b¹_k = 1")
                   .then(eta * s[f"delta^o_{k + 1}"], "δᵒ_k = −∂E/∂net¹_k (5-11)"))
    for j in range(net.W0.rows):
        out.append(Derivation(f"The hidden-layer bias rule for b⁰_{j + 1}",
                              f"{SOURCE} (5-10), (5-21) with its label corrected",
                              -eta * sp.Derivative(s["E"], net.b0[j]), definitions=net.names)
                   .then(eta * s[f"delta^y_{j + 1}"],
                         "(5-10) with ∂net⁰_j/∂b⁰_j = 1: −∂E/∂net⁰_j = δʸ_j (5-11)"))
    return out


def threshold_antisymmetry() -> list[Derivation]:
    """∂E/∂θ = −∂E/∂b in both layers (θ enters as net − θ, b as net + b) and E depends on b
    and θ only through b − θ: shifting both by t changes nothing. Not stated in the source."""
    net = bp_network()
    E, defs = net.symbol["E"], {net.symbol["E"]: net.E}
    out = [Derivation(f"∂E/∂θ¹_{k + 1} = −∂E/∂b¹_{k + 1}", f"{SOURCE} (5-3), an addition",
                      sp.Derivative(E, net.theta1[k]), definitions=defs)
           .then(-sp.Derivative(E, net.b1[k]), "o_k = f(Σ_j w¹_kj h_j + b¹_k − θ¹_k)")
           for k in range(net.W1.rows)]
    out += [Derivation(f"∂E/∂θ⁰_{j + 1} = −∂E/∂b⁰_{j + 1}", f"{SOURCE} (5-2), an addition",
                       sp.Derivative(E, net.theta0[j]), definitions=defs)
            .then(-sp.Derivative(E, net.b0[j]), "h_j = f(Σ_i w⁰_ji x_i + b⁰_j − θ⁰_j)")
            for j in range(net.W0.rows)]
    t = sp.Symbol("t", real=True)
    shift = {p: p + t for p in (*net.b0, *net.theta0, *net.b1, *net.theta1)}
    out.append(Derivation("E depends on b and θ only through b − θ",
                          f"{SOURCE} (5-2), (5-3), an addition", net.E.xreplace(shift))
               .then(net.E, "b + t − (θ + t) = b − θ in every unit"))
    return out


def sigmoid_identity() -> Derivation:
    """f′ = f(1 − f) for the sigmoid (5-24), used between (5-15) and (5-16)."""
    return sigmoid_derivative(sigma_symbol, title="The sigmoid's derivative f′ = f(1 − f)",
                              source_ref=f"{SOURCE} (5-24), after (5-15)")


def printed_bias_rules_check(point=None) -> dict:
    """Evaluate the bias gradients at a rational point of the 2-2-2 sigmoid network.

    Returns ``{"-dE/db0_1": …, "delta_y_1": …, "delta_o_1": …, "-dE/db1_1": …}`` as floats:
    −∂E/∂b⁰_1 equals δʸ_1, not the δᵒ_1 the printed (5-19) assigns to the hidden bias, and
    −∂E/∂b¹_1 equals δᵒ_1, not δʸ_1 as the printed (5-21) has it. ``point`` maps symbol names
    (e.g. "x_1", "w^(0)_12", "theta^(1)_2") to numbers; missing entries take a fixed default.
    """
    net = bp_network(sigmoid_expr)
    values = {}
    defaults = iter([sp.Rational(p, 10) for p in (5, -3, 2, 7, -4, 1, 6, -2, 3, -5, 4, 8, -1,
                                                 2, -6, 3, 5, -7, 1, 9)])
    symbols = sorted(net.E.free_symbols, key=str)
    given = {} if point is None else {str(key): value for key, value in point.items()}
    for sym in symbols:
        values[sym] = sp.nsimplify(given[str(sym)]) if str(sym) in given else next(defaults)
    s = net.symbol

    def at_point(expr):
        return float(sp.N(expr.xreplace(net.names).xreplace(values), 30))

    return {"-dE/db0_1": at_point(-sp.diff(net.E, net.b0[0])),
            "delta_y_1": at_point(s["delta^y_1"]),
            "delta_o_1": at_point(s["delta^o_1"]),
            "-dE/db1_1": at_point(-sp.diff(net.E, net.b1[0]))}


def derivations() -> list[Derivation]:
    """Every derivation of (5-2)–(5-21) on the 2-2-2 network, in the book's order."""
    return [error_expansion(), *net_partials(), output_net_partial(1, 2),
            output_weight_rule(1, 2), sigmoid_identity(), hidden_weight_rule(2, 1),
            hidden_delta_sigmoid_form(2),
            *bias_rules(), *threshold_antisymmetry()]


def verify_all() -> bool:
    """Verify every derivation of :func:`derivations`; True, or raise the first broken step."""
    return all(d.verify() for d in derivations())
