"""Back-propagation on a small symbolic network (陈强 (15.24)–(15.29)), checked against sympy.

:func:`symbolic_network` builds a fully connected network with symbolic weights in 陈强's
notation; :func:`backprop_gradients` applies the δ recursion and :func:`direct_gradients`
differentiates the composed loss directly; :func:`backprop_matches_sympy` compares the two for
every weight, and :func:`backprop_derivation` prints one weight's derivation step by step.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from nnbook.symbolic.activations import sigmoid_expr, y_symbol
from nnbook.symbolic.derivation import Derivation, DerivationError


@dataclass
class SymbolicNetwork:
    """A fully connected network with symbolic weights, in the source's notation 陈强 (15.24)–(15.25).

    ``weights[l-1]`` is the (n_{l−1} + 1) × n_l matrix W^{(l)} with entries w^{(l)}_{ji} (from
    unit j of layer l − 1 to unit i of layer l; row 0 is the bias, a^{(l−1)}_0 ≡ 1).
    ``z[l-1]`` lists z^{(l)}_i; ``a[l]`` lists a^{(l)}_j with the constant 1 first (a[0] = (1, x)).
    """

    sizes: tuple
    x: tuple
    y: tuple
    weights: list
    z: list
    a: list
    output: list
    loss: sp.Expr
    loss_name: str
    activation: object
    output_activation: object


def _weight_symbol(layer: int, j: int, i: int):
    return sp.Symbol(f"w^{{({layer})}}_{{{j}{i}}}", real=True)


def _derivative_function(f):
    t = sp.Dummy("t")
    slope = sp.diff(f(t), t)
    return lambda argument: slope.subs(t, argument)


def symbolic_network(sizes=(2, 2, 1), activation=None, loss: str = "squared") -> SymbolicNetwork:
    """Build the network of 陈强 (15.24)–(15.25) for layer ``sizes`` with symbolic weights.

    ``activation``: a callable from a sympy expression to a sympy expression (default an
    undefined function f, so results hold for every differentiable f). ``loss``: "squared",
    (y − ŷ)² summed over outputs (15.22 for one example), with output activation f; or
    "binary_crossentropy", 陈强 (15.23) for one example, with a sigmoid Λ output.
    """
    sizes = tuple(int(s) for s in sizes)
    if len(sizes) < 2 or min(sizes) < 1:
        raise ValueError(f"sizes: expected at least two positive layer sizes, found {sizes}")
    if loss not in ("squared", "binary_crossentropy"):
        raise ValueError(f"loss: expected 'squared' or 'binary_crossentropy', found {loss!r}")
    f = activation if activation is not None else sp.Function("f")
    g = sigmoid_expr if loss == "binary_crossentropy" else f
    x = sp.symbols(f"x1:{sizes[0] + 1}", real=True)
    y = sp.symbols(f"y1:{sizes[-1] + 1}", real=True) if sizes[-1] > 1 else (y_symbol,)
    weights, zs, activations = [], [], [(sp.Integer(1), *x)]
    for layer in range(1, len(sizes)):
        W = sp.Matrix(sizes[layer - 1] + 1, sizes[layer],
                      lambda j, i: _weight_symbol(layer, j, i + 1))
        previous = activations[-1]
        z_layer = [sum(W[j, i] * previous[j] for j in range(W.rows)) for i in range(W.cols)]
        act = g if layer == len(sizes) - 1 else f
        weights.append(W)
        zs.append(z_layer)
        activations.append((sp.Integer(1), *[act(v) for v in z_layer]))
    output = list(activations[-1][1:])
    if loss == "squared":
        objective = sum((yk - ok) ** 2 for yk, ok in zip(y, output))
    else:
        objective = -sum(yk * sp.log(ok) + (1 - yk) * sp.log(1 - ok) for yk, ok in zip(y, output))
    return SymbolicNetwork(sizes, x, y, weights, zs, activations, output, objective, loss, f, g)


def output_deltas(net: SymbolicNetwork) -> list:
    """δ^{(L)}_k = ∂ℓ/∂z^{(L)}_k, the base case 陈强 leaves out of (15.26)–(15.29).

    Squared loss: −2(y_k − ŷ_k) f′(z^{(L)}_k). Sigmoid output + cross-entropy: ŷ_k − y_k
    (:func:`nnbook.symbolic.losses.binary_cross_entropy_gradient`).
    """
    if net.loss_name == "binary_crossentropy":
        return [ok - yk for yk, ok in zip(net.y, net.output)]
    g_prime = _derivative_function(net.output_activation)
    return [-2 * (yk - ok) * g_prime(zk) for yk, ok, zk in zip(net.y, net.output, net.z[-1])]


def backprop_deltas(net: SymbolicNetwork) -> list:
    """All δ^{(l)}, l = 1..L, by the backward recursion 陈强 (15.29) from :func:`output_deltas`:
    δ^{(l)}_i = f′(z^{(l)}_i) Σ_k δ^{(l+1)}_k w^{(l+1)}_{ik}."""
    f_prime = _derivative_function(net.activation)
    deltas = [output_deltas(net)]
    for layer in range(len(net.sizes) - 2, 0, -1):  # hidden layers L−1, …, 1
        W_next, upper = net.weights[layer], deltas[0]
        deltas.insert(0, [f_prime(net.z[layer - 1][i - 1])
                          * sum(upper[k] * W_next[i, k] for k in range(W_next.cols))
                          for i in range(1, W_next.rows)])
    return deltas


def backprop_gradients(net: SymbolicNetwork) -> list:
    """∂ℓ/∂W^{(l)} by 陈强 (15.26): entry (j, i) is δ^{(l)}_i a^{(l−1)}_j. One matrix per layer."""
    deltas = backprop_deltas(net)
    return [sp.Matrix(W.rows, W.cols, lambda j, i: deltas[l][i] * net.a[l][j])
            for l, W in enumerate(net.weights)]


def direct_gradients(net: SymbolicNetwork) -> list:
    """∂ℓ/∂W^{(l)} by sympy's differentiation of the composed loss (the oracle for backprop)."""
    return [W.applyfunc(lambda w: sp.diff(net.loss, w)) for W in net.weights]


def _zero_or_simplified(expr):
    """0 when the numerator of ``expr`` over a common denominator expands to 0 (fast and exact),
    else ``simplify(expr)``."""
    if sp.expand(sp.numer(sp.together(expr))) == 0:
        return sp.Integer(0)
    return sp.simplify(expr)


def backprop_matches_sympy(sizes=(2, 2, 1), activation=None, loss: str = "squared") -> bool:
    """Check the δ recursion 陈强 (15.26)–(15.29) against sympy for every weight; True or raise.

    Raises :class:`DerivationError` naming the first weight where the two disagree.
    """
    net = symbolic_network(sizes, activation, loss)
    for W, by_deltas, by_sympy in zip(net.weights, backprop_gradients(net), direct_gradients(net)):
        for index in range(W.rows * W.cols):
            difference = _zero_or_simplified(by_deltas[index] - by_sympy[index])
            if difference != 0:
                raise DerivationError(
                    f"backprop: the δ-recursion gradient for {W[index]} differs from sympy's "
                    f"by {sp.sstr(difference)}")
    return True


def _backprop_abbreviations(net: SymbolicNetwork):
    """Symbols for z^{(l)}_i, ŷ and δ^{(l)}_i with their explicit expressions (a definitions map)."""
    names = {}
    for l, z_layer in enumerate(net.z, start=1):
        for i, value in enumerate(z_layer, start=1):
            names[sp.Symbol(f"z^{{({l})}}_{{{i}}}", real=True)] = value
    yhat = sp.Symbol("yhat", real=True)
    names[yhat] = net.output[0]
    for l, layer in enumerate(backprop_deltas(net), start=1):
        for i, value in enumerate(layer, start=1):
            names[sp.Symbol(f"delta^{{({l})}}_{{{i}}}", real=True)] = value
    return names, yhat


def backprop_derivation(layer: int = 1, j: int = 1, i: int = 1) -> Derivation:
    """∂L/∂w^{(l)}_{ji} on the 2-2-1 network with squared loss L = (y − ŷ)², step by step.

    ``layer`` 2 (output): 陈强 (15.26) with the output δ; ``layer`` 1 (hidden): (15.26), then the
    recursion 陈强 (15.27)–(15.29), then the output δ the source leaves out. f is any differentiable
    activation (an undefined sympy function).
    """
    net = symbolic_network((2, 2, 1))
    if layer not in (1, 2) or not (0 <= j <= 2) or not (1 <= i <= net.sizes[layer]):
        raise ValueError(f"expected layer 1 or 2, j in 0..2 and i in 1..{net.sizes[min(max(layer, 1), 2)]}; "
                         f"found layer={layer}, j={j}, i={i}")
    names, yhat = _backprop_abbreviations(net)
    symbol = {sp.sstr(s): s for s in names}
    Z = lambda l, k: symbol[f"z^{{({l})}}_{{{k}}}"]  # noqa: E731
    D = lambda l, k: symbol[f"delta^{{({l})}}_{{{k}}}"]  # noqa: E731
    f = net.activation
    f_prime = _derivative_function(f)
    w = net.weights[layer - 1][j, i - 1]
    a_prev = (sp.Integer(1), *net.x)[j] if layer == 1 else (sp.Integer(1) if j == 0 else f(Z(1, j)))
    output_delta = -2 * (y_symbol - yhat) * f_prime(Z(2, 1))
    d = Derivation(f"Backpropagation for w^({layer})_{j}{i} on a 2-2-1 network",
                   "陈强 (15.24)–(15.29)", sp.Derivative((y_symbol - yhat) ** 2, w),
                   definitions=names)
    d.then(D(layer, i) * a_prev, f"陈强 (15.26): ∂L/∂w = δ^({layer})_{i} · a^({layer - 1})_{j}")
    if layer == 1:
        w_up = net.weights[1][i, 0]
        d.then(f_prime(Z(1, i)) * w_up * D(2, 1) * a_prev,
               "陈强 (15.27)–(15.29): δ^(1)_i = f′(z^(1)_i) Σ_k δ^(2)_k w^(2)_ik, one unit k = 1")
        d.then(f_prime(Z(1, i)) * w_up * output_delta * a_prev,
               "output-layer δ (missing in the source): δ^(2)_1 = −2(y − ŷ) f′(z^(2)_1)")
    else:
        d.then(output_delta * a_prev,
               "output-layer δ (missing in the source): δ^(2)_1 = −2(y − ŷ) f′(z^(2)_1)")
    return d
