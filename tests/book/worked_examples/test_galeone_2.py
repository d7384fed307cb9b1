"""nnbook.book.worked_examples.galeone_2: the ``galeone-2`` rows of the reproduction table —
every derived oracle of Galeone ch. 2 has a row, every row matches, every ref cites a section
title of the chapter, the source column holds the derived values (recomputed here by hand),
and a broken library turns a row into a mismatch.

The rows are built by calling ``galeone_2.rows()`` directly (the source is registered with
``nnbook tour`` separately)."""

import math
import re

import pytest

from nnbook.book.worked_examples import galeone_2
from nnbook.book.worked_examples.reproduction import Reproduction

#: Every derived oracle and stated number, and a phrase of the row that recomputes it.
ORACLES = {
    "the neuron O = f(Σxw + b)": "O = f(Σ xᵢwᵢ + b)",
    "a monotone f keeps a hyperplane": "keeps the boundary a hyperplane",
    "the figure's 10 inputs → 2 outputs": "inputs → outputs",
    "row and column form": "equals the column form",
    "linear layers collapse (sympy)": "two linear layers equal one",
    "linear layers collapse (numbers)": "a stack of two linear Dense layers",
    "pixel scaling [0, 255] → [−1, 1]": "pixels 0, 127.5, 255",
    "sigmoid, tanh, ReLU, leaky ReLU, ELU": "ELU (α = 1)",
    "argmax and one-hot": "argmax of the outputs",
    "mean L2 loss": "per-example L2 losses",
    "N(0, 1)": "N(0, 1): mean and standard deviation",
    "constant 10 keeps units identical": "every parameter 10",
    "zero init: the output bias's gradient": "all-zero start",
    "random search against gradient descent": "random perturbation",
    "thresholds 1/a and 2/a": "starts to oscillate and to diverge",
    "the four regimes on a = 2": "what the paths do",
    "b = 1, b = k, 1 < b < k": "updates per epoch",
    "terminal velocity −ηg/(1 − μ)": "terminal velocity",
    "μ ∈ [0.9, 0.999]": "ends of the usual range",
    "vanilla against momentum": "which of vanilla and momentum",
    "saddle points": "saddle",
    "Adam's first step ≈ η·sign g": "≈ η·sign g",
    "Adam's bias correction": "bias correction",
    "the ReLU neuron's forward values": "O = relu(s)",
    "the ReLU neuron's gradients": "∂L/∂w₁, ∂L/∂w₂",
    "forward against reverse mode": "forward mode, reverse mode",
    "engine against Sequential": "by the engine and by Sequential",
    "two neurons on an image": "two neurons fully connected",
    "LTI output = x * S(δ)": "np.convolve(x, S(δ))",
    "commutativity": "convolution commutes",
    "true convolution = flipped kernel": "rotated 180°",
    "5, 3, 1 → 3": "I = 5, k = 3, S = 1",
    "32, 5, 1 → 28": "I = 32, k = 5, S = 1",
    "7, 3, 2 → 3": "I = 7, k = 3, S = 2",
    "Sobel": "Sobel edge map",
    "volumes: sum over depth": "sum of the per-channel",
    "channel order": "permuting the channels",
    "LeNet-5's 10 classes": "LeNet-5",
    "1×1×512 = per-pixel dense": "1×1×512 convolution",
    "1×1×D parameters": "parameters of 64 filters",
    "200×200×3 → 1×1, larger → W > 1": "on 200×200×3 and on 264×264×3",
    "dense on a volume = big kernel": "dense layer on a whole",
    "2ⁿ thinned networks": "thinned networks",
    "direct dropout mean": "direct dropout",
    "inverted dropout mean": "inverted dropout: training mean",
    "weight decay (1 − 2ηλ)": "weight-decay factor",
    "the arrow check": "arrow",
    "early stopping": "patience 0 stops",
    "BN mean 0 / var ≈ 1": "per-feature mean and variance",
    "BN inference": "does not depend on the rest of the batch",
    "BN depth demo": "8 sigmoid layers",
}


@pytest.fixture(scope="module")
def rows():
    return galeone_2.rows()


def _row(rows, phrase):
    found = [r for r in rows if phrase in r.quantity]
    assert found, f"no row about {phrase!r}"
    return found[0]


def test_rows_are_reproductions_that_all_match(rows):
    assert rows and all(isinstance(r, Reproduction) and r.source == "galeone-2" for r in rows)
    mismatched = [f"{r.ref}: {r.quantity}: {r.source_value!r} vs {r.nnbook_value!r}"
                  for r in rows if r.match is not True]
    assert not mismatched, "\n".join(mismatched)


@pytest.mark.parametrize("oracle", sorted(ORACLES))
def test_every_derived_oracle_has_a_row(rows, oracle):
    _row(rows, ORACLES[oracle])


def test_refs_cite_section_titles_and_no_inventory_codes(rows):
    assert len(galeone_2.SECTIONS) == len(set(galeone_2.SECTIONS)) == 31
    assert galeone_2.SECTIONS[:3] == ("Neural networks", "Biological neurons",
                                      "Artificial neurons")
    assert galeone_2.SECTIONS[-2:] == ("Summary", "Exercises")
    code = re.compile(r"\b(?:[EDJQBGN]\d{1,2}|L\d{2,})\b")
    for r in rows:
        assert r.ref.startswith("§'"), r.ref
        assert r.ref[2:r.ref.index("'", 2)] in galeone_2.SECTIONS, r.ref
        assert not code.search(r.ref + " " + r.quantity), r.ref


def test_source_values_are_the_derived_values(rows):
    """The source column, recomputed here by hand."""
    assert _row(rows, "O = f(Σ xᵢwᵢ + b)").source_value == round(1 / (1 + math.exp(-1.1)), 6)
    assert _row(rows, "parameters of 10 → 6 → 4 → 2").source_value == 10 * 6 + 6 + 6 * 4 + 4 \
        + 4 * 2 + 2
    assert _row(rows, "two neurons fully connected").source_value == \
        f"{2 * 1000 * 1000 * 3 + 2} {2 * (3 * 3 * 3 + 1)}"
    assert _row(rows, "parameters of 64 filters").source_value == 512 * 64 + 64
    assert _row(rows, "ends of the usual range").source_value == \
        f"{1 / (1 - 0.9):.6g} {1 / (1 - 0.999):.6g}"
    decay = _row(rows, "learning-rate decay").source_value.split()
    assert [float(v) for v in decay] == pytest.approx([0.1, 0.05, 0.1 * 0.5 ** 2.5], rel=1e-5)
    s = 1.5 * 0.4 - 0.5 * 0.8 + 0.1
    assert _row(rows, "∂L/∂w₁, ∂L/∂w₂").source_value == " ".join(
        f"{v:g}" for v in (round(-2 * (1 - s) * 1.5, 12), round(-2 * (1 - s) * -0.5, 12),
                           round(-2 * (1 - s), 12)))
    assert _row(rows, "weight-decay factor").source_value.startswith(f"{1 - 2 * 0.1 * 0.05:g}")


def test_a_broken_library_turns_rows_into_mismatches(monkeypatch):
    """A collapse that forgets b₁W₂ and a batch count that floors k/b are caught."""
    import nnbook.analysis.linear_collapse as collapse
    from nnbook.train import batches

    monkeypatch.setattr(collapse, "collapse_linear_layers", lambda W1, b1, W2, b2:
                        (W1 @ W2, b2))
    broken = [r for r in galeone_2.neuron_rows() if r.match is not True]
    assert [r.quantity for r in broken] == [_row(galeone_2.neuron_rows(),
                                                 "a stack of two linear Dense").quantity]
    monkeypatch.setattr(batches, "iterations_per_epoch", lambda n, b: n // b)
    broken = [r for r in galeone_2.optimization_rows() if r.match is not True]
    assert any("updates per epoch" in r.quantity for r in broken)
