"""nnbook.symbolic.derivation: a chain of steps, each checked equal to the last; a broken step is
named by its number and reason."""

import numpy as np
import pytest
import sympy as sp

from nnbook.symbolic.activations import sigma_symbol, sigmoid_derivative, z
from nnbook.symbolic.derivation import Derivation, DerivationError


def test_a_wrong_step_is_reported_with_its_number():
    d = sigmoid_derivative()
    d.then(sigma_symbol * (1 + sigma_symbol), "a sign slip")
    with pytest.raises(DerivationError, match="step 5 \\(a sign slip\\)"):
        d.verify()


def test_a_derivation_prints_as_latex_and_text():
    d = Derivation("square of a sum", "nowhere", (z + 1) ** 2).then(z ** 2 + 2 * z + 1, "expand")
    assert d.verify() and d.result == z ** 2 + 2 * z + 1
    assert d.latex().startswith("\\begin{aligned}") and "expand" in d.latex()
    assert "# expand" in str(d) and "square of a sum" in d._repr_markdown_()
    with pytest.raises(DerivationError, match="at least one step"):
        Derivation("empty", "nowhere", sp.Integer(1)).verify()


def test_numeric_verification_accepts_a_true_chain_and_names_a_false_step():
    x, y = sp.symbols("x y", real=True)
    s = sp.Symbol("s", real=True)
    good = Derivation("square", "test", (x + y) ** 2, definitions={s: x + y}) \
        .then(s ** 2, "abbreviate").then(x ** 2 + 2 * x * y + y ** 2, "expand") \
        .then(sp.Derivative(x ** 3 / 3, x) + 2 * x * y + y ** 2, "a derivative, evaluated")
    assert good.verify_numerically(np.random.default_rng(1))
    bad = Derivation("square", "test", (x + y) ** 2).then(x ** 2 + y ** 2, "forgot 2xy")
    with pytest.raises(DerivationError, match=r"step 1 \(forgot 2xy\)"):
        bad.verify_numerically()
    with pytest.raises(DerivationError, match="at least one step"):
        Derivation("empty", "test", x).verify_numerically()
