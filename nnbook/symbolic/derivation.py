"""Derivations as data: a chain of sympy expressions, each checked equal to the one before.

A :class:`Derivation` is what a chapter prints and a test verifies: ``lhs = step_1 = step_2 = …``
with a reason for every step. :meth:`Derivation.verify` proves each equality with sympy (the
difference simplifies to zero) and raises :class:`DerivationError` naming the first broken step;
:meth:`Derivation.verify_numerically` compares the steps at random points instead, for chains
whose exact simplification would run for minutes.
The derivations themselves live in the topic modules of :mod:`nnbook.symbolic.derivation`.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import numpy as np
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
            problem = self._difference(previous, step.expr)
            if problem:
                raise DerivationError(
                    f"{self.title}, step {number} ({step.reason}): {sp.sstr(step.expr)} is not "
                    f"equal to the previous expression {sp.sstr(previous)}; {problem}")
            previous = step.expr
        return True

    def _difference(self, before, after) -> str | None:
        """None when ``after`` equals ``before`` exactly, else what differs (for the message)."""
        difference = sp.simplify(self._expand(before) - self._expand(after))
        return None if difference == 0 else f"their difference simplifies to {sp.sstr(difference)}"

    def verify_numerically(self, rng: np.random.Generator | None = None, points: int = 3,
                           tol: float = 1e-10) -> bool:
        """:meth:`verify`, bounded in time: each step must equal the one before at ``points``
        random real points (derivatives evaluated by ``doit``, ``definitions`` substituted once,
        so their values must be in the base symbols). For derivations whose exact ``simplify``
        runs for minutes. True, or :class:`DerivationError` naming the broken step."""
        rng = np.random.default_rng(0) if rng is None else rng
        if not self.steps:
            raise DerivationError(f"{self.title}: a derivation needs at least one step")
        exprs = [self.lhs] + [step.expr for step in self.steps]
        exprs = [sp.sympify(e).doit().xreplace(self.definitions) for e in exprs]
        symbols = sorted(set().union(*(e.free_symbols for e in exprs)), key=sp.default_sort_key)
        evaluate = sp.lambdify(symbols, exprs, "math", cse=True)
        for _ in range(points):
            values = [float(v) for v in evaluate(*rng.standard_normal(len(symbols)))]
            for number, (before, after) in enumerate(itertools.pairwise(values), start=1):
                if abs(before - after) > tol * max(1.0, abs(before), abs(after)):
                    step = self.steps[number - 1]
                    raise DerivationError(
                        f"{self.title}, step {number} ({step.reason}): {sp.sstr(step.expr)} "
                        f"evaluates to {after!r} where the previous expression gives {before!r}")
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
