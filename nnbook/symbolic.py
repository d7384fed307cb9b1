"""Derivations as data: a chain of sympy expressions, each checked equal to the one before.

A :class:`Derivation` is what a chapter prints and a test verifies: ``lhs = step_1 = step_2 = …``
with a reason for every step. :meth:`Derivation.verify` proves each equality with sympy (the
difference simplifies to zero) and raises :class:`DerivationError` naming the first broken step.
The functions below build the derivations of chapter 1 (Nielsen §1.1–§1.5).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sympy as sp


class DerivationError(AssertionError):
    """A step of a derivation is not equal to the step before it."""


@dataclass(frozen=True)
class Step:
    expr: sp.Expr
    reason: str


@dataclass
class Derivation:
    """``lhs`` = steps[0].expr = steps[1].expr = …, each step with its reason.

    ``definitions`` maps symbols that abbreviate expressions (e.g. σ ↦ 1/(1+e^{−z})) to what
    they stand for; they are substituted before two steps are compared. ``rewrite`` (optional,
    e.g. ``sp.exp``) rewrites both sides in terms of that function before simplifying, for
    identities sympy's ``simplify`` does not see directly (tanh = (e^z − e^{−z})/(e^z + e^{−z})).
    """

    title: str
    source_ref: str
    lhs: sp.Expr
    steps: list[Step] = field(default_factory=list)
    definitions: dict = field(default_factory=dict)
    rewrite: object = None

    def then(self, expr, reason: str) -> Derivation:
        self.steps.append(Step(sp.sympify(expr), reason))
        return self

    def _expand(self, expr):
        expanded = expr.subs(self.definitions).doit()
        return expanded.rewrite(self.rewrite) if self.rewrite is not None else expanded

    def verify(self) -> bool:
        """Check every step equals the previous one (the first equals ``lhs``); True or raise."""
        if not self.steps:
            raise DerivationError(f"{self.title}: a derivation needs at least one step")
        previous = self.lhs
        for number, step in enumerate(self.steps, start=1):
            difference = sp.simplify(self._expand(previous) - self._expand(step.expr))
            if difference != 0:
                raise DerivationError(
                    f"{self.title}, step {number} ({step.reason}): {sp.sstr(step.expr)} is not "
                    f"equal to the previous expression {sp.sstr(previous)}; "
                    f"their difference simplifies to {sp.sstr(difference)}")
            previous = step.expr
        return True

    @property
    def result(self):
        return self.steps[-1].expr

    def latex(self) -> str:
        """The chain as an aligned LaTeX block, one step per line with its reason."""
        lines = [rf"{sp.latex(self.lhs)} &= {sp.latex(self.steps[0].expr)} && \text{{{self.steps[0].reason}}}"]
        lines += [rf"&= {sp.latex(s.expr)} && \text{{{s.reason}}}" for s in self.steps[1:]]
        return "\\begin{aligned}\n" + " \\\\\n".join(lines) + "\n\\end{aligned}"

    def _repr_markdown_(self):
        return f"**{self.title}** ({self.source_ref})\n\n$$\n{self.latex()}\n$$"

    def __str__(self):
        width = max(len(sp.sstr(self.lhs)), 1)
        out = [f"{self.title}  [{self.source_ref}]"]
        for i, s in enumerate(self.steps):
            head = sp.sstr(self.lhs).rjust(width) if i == 0 else " " * width
            out.append(f"{head} = {sp.sstr(s.expr)}    # {s.reason}")
        return "\n".join(out)


z = sp.Symbol("z", real=True)
sigma_symbol = sp.Symbol("sigma")


def sigmoid_expr(arg=z):
    """σ(arg) = 1/(1 + e^{−arg}) as a sympy expression (Nielsen eq. (3))."""
    return 1 / (1 + sp.exp(-arg))


def sigmoid_derivative(symbol=sigma_symbol, *, title: str = "Derivative of the sigmoid",
                       source_ref: str = "Nielsen §1.2, eqs. (3), (5)") -> Derivation:
    """σ'(z) = σ(z)(1 − σ(z)) — the 'lovely property' Nielsen alludes to in §1.2.

    ``symbol`` is the letter the last step writes for the sigmoid (σ for Nielsen, Λ for 陈强).
    """
    s, e = sigmoid_expr(), sp.exp(-z)
    name = sp.pretty(symbol, use_unicode=True)
    d = Derivation(title, source_ref, sp.Derivative(s, z), definitions={symbol: s})
    d.then(e / (1 + e) ** 2, "chain rule on (1 + e^{-z})^{-1}")
    d.then(sp.Mul(1 / (1 + e), e / (1 + e), evaluate=False), "split the fraction")
    d.then(sp.Mul(1 / (1 + e), 1 - 1 / (1 + e), evaluate=False),
           f"e^{{-z}}/(1+e^{{-z}}) = 1 − {name}(z)")
    d.then(symbol * (1 - symbol), f"write {name} for 1/(1+e^{{-z}})")
    return d


def sigmoid_limits() -> tuple:
    """(lim_{z→+∞} σ, lim_{z→−∞} σ, σ(0)) = (1, 0, 1/2) — §1.2; σ(0) = 1/2 is why X2 fails at z = 0."""
    s = sigmoid_expr()
    return sp.limit(s, z, sp.oo), sp.limit(s, z, -sp.oo), s.subs(z, 0)


def scaled_sigmoid_limits() -> tuple:
    """lim_{c→∞} σ(c z) for z > 0, z < 0 and z = 0: (1, 0, 1/2) — exercise X2."""
    c = sp.Symbol("c", positive=True)
    zp = sp.Symbol("z", positive=True)
    zn = sp.Symbol("z", negative=True)
    return (sp.limit(sigmoid_expr(c * zp), c, sp.oo), sp.limit(sigmoid_expr(c * zn), c, sp.oo),
            sigmoid_expr(c * 0))


def sigmoid_neuron_partials(n_inputs: int = 3) -> Derivation:
    """∂ output/∂w_j = σ'(z) x_j, the coefficient of Δw_j in eq. (5), for output = σ(w·x + b)."""
    w = sp.symbols(f"w1:{n_inputs + 1}", real=True)
    x = sp.symbols(f"x1:{n_inputs + 1}", real=True)
    b = sp.Symbol("b", real=True)
    weighted = sum(wi * xi for wi, xi in zip(w, x)) + b
    out = sigmoid_expr(weighted)
    d = Derivation("Partial derivative of a sigmoid neuron's output", "Nielsen §1.2, eq. (5)",
                   sp.Derivative(out, w[0]))
    d.then(sp.diff(sigmoid_expr(), z).subs(z, weighted) * x[0], "chain rule: σ'(z) ∂z/∂w₁")
    d.then(sp.Mul(out, 1 - out, x[0], evaluate=False), "σ' = σ(1 − σ)")
    return d


def gradient_step_decrease(m: int = 2) -> Derivation:
    """ΔC ≈ ∇C·Δv with Δv = −η∇C gives −η‖∇C‖² ≤ 0 (Nielsen eqs. (9)–(10), and (12)–(14))."""
    g = sp.Matrix(sp.symbols(f"g1:{m + 1}", real=True))
    eta = sp.Symbol("eta", positive=True)
    dv = sp.Matrix(sp.symbols(f"Delta_v1:{m + 1}", real=True))
    linear = (g.T * dv)[0]
    d = Derivation("Gradient descent lowers the cost to first order", "Nielsen §1.5, eqs. (9)–(10)",
                   linear)
    d.then((g.T * (-eta * g))[0], "substitute Δv = −η∇C (eq. 10)")
    d.then(-eta * sum(gi ** 2 for gi in g), "∇C·∇C = ‖∇C‖²")
    d.definitions = dict(zip(dv, -eta * g))
    return d


def merged_edge() -> Derivation:
    """Two −2 edges from the same perceptron act as one −4 edge (Nielsen §1.1, p.5)."""
    s = sp.Symbol("s")
    d = Derivation("Merging the carry gate's double edge", "Nielsen §1.1, p.5",
                   sp.Add(-2 * s, -2 * s, evaluate=False))
    d.then(-4 * s, "collect the two terms")
    return d


def steepest_descent_direction(m: int = 2) -> list:
    """Solve min ∇C·Δv subject to ‖Δv‖² = ε² by Lagrange multipliers (exercise X4).

    Returns the stationary points as (Δv, value) pairs; the minimum is Δv = −ε g/‖g‖ with
    value −ε‖g‖ (Cauchy–Schwarz).
    """
    g = sp.symbols(f"g1:{m + 1}", real=True)
    d = sp.symbols(f"d1:{m + 1}", real=True)
    eps, lam = sp.symbols("epsilon lambda", positive=True)
    objective = sum(gi * di for gi, di in zip(g, d))
    lagrangian = objective - lam * (sum(di ** 2 for di in d) - eps ** 2)
    lam_free = sp.Symbol("mu", real=True, nonzero=True)
    lagrangian = lagrangian.subs(lam, lam_free)
    equations = [sp.diff(lagrangian, v) for v in (*d, lam_free)]
    solutions = sp.solve(equations, (*d, lam_free), dict=True)
    return [(sp.Matrix([s[di] for di in d]), sp.simplify(objective.subs(s))) for s in solutions]


def chapter1_derivations() -> list[Derivation]:
    """Every step-by-step derivation the chapter-1 notebook prints (and the tests verify)."""
    return [sigmoid_derivative(), sigmoid_neuron_partials(), gradient_step_decrease(),
            merged_edge()]


# --- Chapter 2: 陈强《机器学习及Python应用》第15章 (source id chen-15) ----------------------------
#
# Λ is the source's name for the sigmoid (15.10). Each function returns a Derivation whose steps
# follow inventory 000 §2.1 (D2–D8); steps the source does not print are marked "supplied".

Lambda_symbol = sp.Symbol("Lambda")
y_symbol = sp.Symbol("y", real=True)


def _logistic():
    return sigmoid_expr(z)


def logistic_derivative() -> Derivation:
    """Λ′(z) = Λ(z)[1 − Λ(z)] (15.11); the source defers the steps to its ch. 5 (D2, supplied)."""
    return sigmoid_derivative(Lambda_symbol, title="Derivative of the sigmoid Λ",
                              source_ref="陈强 (15.10)–(15.11)")


def logistic_derivative_bound() -> Derivation:
    """1/4 − Λ′(z) = (Λ − 1/2)² ≥ 0, so Λ′ ≤ 1/4 with equality at z = 0 (D2 step 5, supplied)."""
    s = _logistic()
    half = sp.Rational(1, 2)
    d = Derivation("The sigmoid's slope is at most 1/4", "陈强 §15.4 (1), after (15.11)",
                   sp.Rational(1, 4) - sp.diff(s, z), definitions={Lambda_symbol: s})
    d.then(sp.Rational(1, 4) - Lambda_symbol * (1 - Lambda_symbol), "(15.11)")
    d.then((Lambda_symbol - half) ** 2, "complete the square")
    return d


def logistic_derivative_limits() -> tuple:
    """(lim_{z→+∞} Λ′, lim_{z→−∞} Λ′, Λ′(0)) = (0, 0, 1/4): saturation at both ends (§15.4 (1))."""
    slope = sp.diff(_logistic(), z)
    return sp.limit(slope, z, sp.oo), sp.limit(slope, z, -sp.oo), sp.simplify(slope.subs(z, 0))


def tanh_identity() -> Derivation:
    """2Λ(2z) − 1 = tanh z, the four steps of (15.13)–(15.14)."""
    e = sp.exp(-2 * z)
    d = Derivation("tanh is a rescaled sigmoid", "陈强 (15.12)–(15.14)",
                   2 * sigmoid_expr(2 * z) - 1, rewrite=sp.exp)
    d.then(sp.Add(2 / (1 + e), -1, evaluate=False), "Λ(2z) = 1/(1 + e^{-2z}) (15.10)")
    d.then((1 - e) / (1 + e), "common denominator: 2 − (1 + e^{-2z}) = 1 − e^{-2z}")
    d.then((sp.exp(z) - sp.exp(-z)) / (sp.exp(z) + sp.exp(-z)),
           "multiply numerator and denominator by e^{z}")
    d.then(sp.tanh(z), "definition of tanh (15.12)")
    return d


def tanh_derivative() -> Derivation:
    """tanh′(z) = 1 − tanh²(z) (supplied; used by ``nnbook.activations.tanh_prime``)."""
    d = Derivation("Derivative of tanh", "陈强 (15.12), supplied", sp.Derivative(sp.tanh(z), z),
                   rewrite=sp.exp)
    d.then(4 / (sp.exp(z) + sp.exp(-z)) ** 2, "quotient rule on (e^z − e^{-z})/(e^z + e^{-z})")
    d.then(1 - sp.tanh(z) ** 2, "(e^z + e^{-z})² − (e^z − e^{-z})² = 4")
    return d


gamma_symbol = sp.Symbol("gamma", positive=True)
_gamma_gap = sp.Symbol("c", positive=True)


def leaky_relu_derivative(side: str = "positive") -> Derivation:
    """LReLU′ from the max form (15.17): 1 for z > 0, γ for z < 0, when 0 < γ < 1.

    ``side`` is "positive" (z > 0) or "negative" (z < 0). The condition γ < 1 is encoded by
    substituting γ = 1/(1 + c) with c > 0 during verification (D4); for γ > 1 the max form is
    wrong, which is why the source adds "当 γ<1 时".
    """
    if side not in ("positive", "negative"):
        raise ValueError(f"side: expected 'positive' or 'negative', found {side!r}")
    positive = side == "positive"
    zs = sp.Symbol("z", positive=True) if positive else sp.Symbol("z", negative=True)
    g = gamma_symbol
    d = Derivation(f"Leaky ReLU derivative for z {'>' if positive else '<'} 0",
                   "陈强 (15.16)–(15.17)", sp.Derivative(sp.Max(zs, g * zs), zs),
                   definitions={g: 1 / (1 + _gamma_gap)})
    if positive:
        d.then(sp.Derivative(zs, zs), "z > γz when z > 0 and γ < 1, so max(z, γz) = z (15.16)")
        d.then(sp.Integer(1), "d z/dz = 1")
    else:
        d.then(sp.Derivative(g * zs, zs), "γz > z when z < 0 and γ < 1, so max(z, γz) = γz (15.16)")
        d.then(g, "d(γz)/dz = γ")
    return d


def softplus_derivative() -> Derivation:
    """Softplus′(z) = Λ(z) > 0 (15.18; the claim that follows it, D5 supplied)."""
    d = Derivation("Derivative of softplus", "陈强 (15.18)", sp.Derivative(sp.log(1 + sp.exp(z)), z),
                   definitions={Lambda_symbol: _logistic()})
    d.then(sp.exp(z) / (1 + sp.exp(z)), "chain rule: (1/(1 + e^z)) · e^z")
    d.then(1 / (1 + sp.exp(-z)), "divide numerator and denominator by e^z")
    d.then(Lambda_symbol, "the sigmoid (15.10), which is > 0 for every z")
    return d


def binary_cross_entropy_gradient() -> Derivation:
    """∂/∂z of −[y ln Λ(z) + (1 − y) ln(1 − Λ(z))] = Λ(z) − y: (15.23) with a sigmoid output (D7)."""
    s, y, lam = _logistic(), y_symbol, Lambda_symbol
    loss = -(y * sp.log(s) + (1 - y) * sp.log(1 - s))
    d = Derivation("Binary cross-entropy through a sigmoid output", "陈强 (15.23), supplied",
                   sp.Derivative(loss, z), definitions={lam: s})
    d.then(sp.Mul(-y / lam + (1 - y) / (1 - lam), lam * (1 - lam), evaluate=False),
           "chain rule: ∂ℓ/∂Λ · Λ′, with Λ′ = Λ(1 − Λ) (15.11)")
    d.then(-y * (1 - lam) + (1 - y) * lam, "cancel Λ and 1 − Λ")
    d.then(lam - y, "multiply out: the output-layer δ is ŷ − y")
    return d


def _softmax_symbols(n_classes: int):
    zs = sp.symbols(f"z1:{n_classes + 1}", real=True)
    ps = sp.symbols(f"p1:{n_classes + 1}", positive=True)
    denominator = sum(sp.exp(v) for v in zs)
    definitions = {p: sp.exp(v) / denominator for p, v in zip(ps, zs)}
    return zs, ps, definitions


def softmax_jacobian_entry(k: int = 1, j: int = 2, n_classes: int = 3) -> Derivation:
    """∂p_k/∂z_j = p_k(1[k = j] − p_j) for the softmax p_k = e^{z_k}/Σ e^{z_i} (D8 step 2)."""
    if not (1 <= k <= n_classes and 1 <= j <= n_classes):
        raise ValueError(f"k and j must be class numbers 1..{n_classes}; found k={k}, j={j}")
    zs, ps, definitions = _softmax_symbols(n_classes)
    d = Derivation(f"Softmax Jacobian entry ∂p_{k}/∂z_{j}", "陈强 §15.10 (softmax), supplied",
                   sp.Derivative(definitions[ps[k - 1]], zs[j - 1]), definitions=definitions)
    kron = 1 if k == j else 0
    d.then(ps[k - 1] * (kron - ps[j - 1]), "quotient rule; e^{z_k}/Σ e^{z_i} = p_k")
    return d


def softmax_cross_entropy_gradient(n_classes: int = 3, j: int = 1) -> Derivation:
    """∂/∂z_j of −Σ_k y_k ln softmax(z)_k = p_j − y_j for one-hot y (D8; the source names only
    softmax and ``categorical_crossentropy``)."""
    if not 1 <= j <= n_classes:
        raise ValueError(f"j must be a class number 1..{n_classes}; found {j}")
    zs, ps, definitions = _softmax_symbols(n_classes)
    ys = sp.symbols(f"y1:{n_classes + 1}", real=True)
    definitions[ys[-1]] = 1 - sum(ys[:-1])  # one-hot (or any distribution): Σ_k y_k = 1
    loss = -sum(y * sp.log(definitions[p]) for y, p in zip(ys, ps))
    d = Derivation(f"Softmax + cross-entropy gradient ∂ℓ/∂z_{j}", "陈强 §15.10, §15.15, supplied",
                   sp.Derivative(loss, zs[j - 1]), definitions=definitions)
    d.then(-sum(y * ((1 if k == j - 1 else 0) - ps[j - 1]) for k, y in enumerate(ys)),
           "∂ ln p_k/∂z_j = 1[k = j] − p_j (the Jacobian divided by p_k)")
    d.then(ps[j - 1] * sum(ys) - ys[j - 1], "collect the terms in p_j")
    d.then(ps[j - 1] - ys[j - 1], "Σ_k y_k = 1 for a one-hot y")
    return d


# --- Backpropagation (15.24)–(15.29) on a small symbolic network -------------------------------

@dataclass
class SymbolicNetwork:
    """A fully connected network with symbolic weights, in the source's notation (15.24)–(15.25).

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
    """Build the network of (15.24)–(15.25) for layer ``sizes`` with symbolic weights.

    ``activation``: a callable from a sympy expression to a sympy expression (default an
    undefined function f, so results hold for every differentiable f). ``loss``: "squared",
    (y − ŷ)² summed over outputs (15.22 for one example), with output activation f; or
    "binary_crossentropy", (15.23) for one example, with a sigmoid Λ output.
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
    """δ^{(L)}_k = ∂ℓ/∂z^{(L)}_k, the base case the source leaves out (inventory 000 E18).

    Squared loss: −2(y_k − ŷ_k) f′(z^{(L)}_k). Sigmoid output + cross-entropy: ŷ_k − y_k (D7).
    """
    if net.loss_name == "binary_crossentropy":
        return [ok - yk for yk, ok in zip(net.y, net.output)]
    g_prime = _derivative_function(net.output_activation)
    return [-2 * (yk - ok) * g_prime(zk) for yk, ok, zk in zip(net.y, net.output, net.z[-1])]


def backprop_deltas(net: SymbolicNetwork) -> list:
    """All δ^{(l)}, l = 1..L, by the backward recursion (15.29) from :func:`output_deltas`:
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
    """∂ℓ/∂W^{(l)} by (15.26): entry (j, i) is δ^{(l)}_i a^{(l−1)}_j. One matrix per layer."""
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
    """Check the δ recursion (15.26)–(15.29) against sympy for every weight; True or raise.

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

    ``layer`` 2 (output): (15.26) with the output δ; ``layer`` 1 (hidden): (15.26), then the
    recursion (15.27)–(15.29), then the output δ the source leaves out. f is any differentiable
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
    d.then(D(layer, i) * a_prev, f"(15.26): ∂L/∂w = δ^({layer})_{i} · a^({layer - 1})_{j}")
    if layer == 1:
        w_up = net.weights[1][i, 0]
        d.then(f_prime(Z(1, i)) * w_up * D(2, 1) * a_prev,
               "(15.27)–(15.29): δ^(1)_i = f′(z^(1)_i) Σ_k δ^(2)_k w^(2)_ik, one unit k = 1")
        d.then(f_prime(Z(1, i)) * w_up * output_delta * a_prev,
               "output-layer δ (missing in the source): δ^(2)_1 = −2(y − ŷ) f′(z^(2)_1)")
    else:
        d.then(output_delta * a_prev,
               "output-layer δ (missing in the source): δ^(2)_1 = −2(y − ŷ) f′(z^(2)_1)")
    return d


def chapter2_derivations() -> list[Derivation]:
    """Every step-by-step derivation the chapter-2 notebook prints (and the tests verify)."""
    return [logistic_derivative(), logistic_derivative_bound(), tanh_identity(), tanh_derivative(),
            leaky_relu_derivative("positive"), leaky_relu_derivative("negative"),
            softplus_derivative(), binary_cross_entropy_gradient(), softmax_jacobian_entry(1, 1),
            softmax_jacobian_entry(1, 2), softmax_cross_entropy_gradient(),
            backprop_derivation(2, 1, 1), backprop_derivation(1, 1, 1)]
