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
    they stand for; they are substituted before two steps are compared.
    """

    title: str
    source_ref: str
    lhs: sp.Expr
    steps: list[Step] = field(default_factory=list)
    definitions: dict = field(default_factory=dict)

    def then(self, expr, reason: str) -> Derivation:
        self.steps.append(Step(sp.sympify(expr), reason))
        return self

    def _expand(self, expr):
        return expr.subs(self.definitions).doit()

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


def sigmoid_derivative() -> Derivation:
    """σ'(z) = σ(z)(1 − σ(z)) — the 'lovely property' Nielsen alludes to in §1.2."""
    s = sigmoid_expr()
    d = Derivation("Derivative of the sigmoid", "Nielsen §1.2, eqs. (3), (5)",
                   sp.Derivative(s, z), definitions={sigma_symbol: s})
    d.then(sp.exp(-z) / (1 + sp.exp(-z)) ** 2, "chain rule on (1 + e^{-z})^{-1}")
    d.then(sp.Mul(1 / (1 + sp.exp(-z)), sp.exp(-z) / (1 + sp.exp(-z)), evaluate=False),
           "split the fraction")
    d.then(sp.Mul(1 / (1 + sp.exp(-z)), 1 - 1 / (1 + sp.exp(-z)), evaluate=False),
           "e^{-z}/(1+e^{-z}) = 1 − σ(z)")
    d.then(sigma_symbol * (1 - sigma_symbol), "write σ for 1/(1+e^{-z})")
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
