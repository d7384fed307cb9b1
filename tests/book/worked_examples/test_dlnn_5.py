"""nnbook.book.worked_examples.dlnn_5: the ``dlnn-5`` rows of the reproduction table — every worked
example of 《深度学习与神经网络》第5章 has a row, every row matches, the RNN example's six arrays
print exactly as the book prints them, and a broken library turns a row into a mismatch.

The rows are built by calling ``dlnn_5.rows()`` directly (the source is registered with
``nnbook tour`` separately)."""

import re

import numpy as np
import pytest

from nnbook.book.worked_examples import dlnn_5
from nnbook.book.worked_examples.reproduction import Reproduction

#: Every worked example of the chapter, by what it is, and a phrase of the row that recomputes it.
WORKED_EXAMPLES = {
    "convolution a₀,₀: the ten printed terms": "the ten terms of a₀,₀",
    "convolution a₀,₀ = relu(4) = 4": "a₀,₀ = relu(4)",
    "the full feature map, stride 1": "the whole 3×3 feature map, stride 1",
    "the full feature map, stride 2": "the whole 2×2 feature map, stride 2",
    "(5-32): 3×3 for S = 1": "F = 3, P = 0, S = 1",
    "(5-32): 2×2 for S = 2": "output width with stride S = 2",
    "the first fully connected layer's 50×4×4 = 800 inputs": "50×4×4",
    "its 400,500 parameters": "parameters of the 800 → 500 layer",
    "(5-36) for a batch of 16": "∂loss/∂x_k",
    "dW for a batch of 16": "∂loss/∂w_jk",
    "db for a batch of 16": "∂loss/∂b",
    "pooling keeps the depth": "keep the depth",
    "VGG-16's twelve printed sizes": "VGG-16 size after step (12)",
    "VGG-16's parameters": "VGG-16 parameters",
    "VGGNet-16's 16 weight layers": "weight layers of VGGNet-16",
    "AlexNet's 5 convolutions, 3 pooled, 3 dense": "fully connected layers",
    "AlexNet's 650,000 neurons": "65万",
    "RNN step t₀ (prose)": "t₀: state tanh([0.6, 0.5])",
    "RNN step t₁ (prose)": "t₁: state",
    "RNN output 2.73 (prose)": "t₁: output",
    "the listing's six printed arrays": "print of state (exact)",
    "the concatenated form": "the concatenated form prints the same six arrays",
    "RNN parameters (n + x)·n + n": "(n + x)·n + n",
    "max σ′ = 1/4": "largest slope of the sigmoid",
    "(1/4)¹⁰": "(1/4)¹⁰",
    "σ′ and tanh′ values": "tanh′ at z",
    "ReLU′ = 1 only for x > 0": "ReLU′ is 1",
    "BGD 3,000,000 gradients": "batch descent, 10 iterations over 300,000",
    "SGD 300,000 gradients": "stochastic descent, one pass",
}

#: The book's printout of the RNN listing, typed again here from §5.4.3 (numpy's ``str``).
BOOK_PRINTOUT = {
    ("t₀", "before activation"): "[0.6 0.5]",
    ("t₀", "state"): "[0.53704957 0.46211716]",
    ("t₀", "output"): "[1.56128388]",
    ("t₁", "before activation"): "[1.2923401  1.39225678]",
    ("t₁", "state"): "[0.85973818 0.88366641]",
    ("t₁", "output"): "[2.72707101]",
}


@pytest.fixture(scope="module")
def rows():
    return dlnn_5.rows()


def _row(rows, quantity_part):
    found = [r for r in rows if quantity_part in r.quantity]
    assert len(found) == 1, f"expected one row about {quantity_part!r}, found {len(found)}"
    return found[0]


@pytest.mark.parametrize("where", WORKED_EXAMPLES)
def test_every_worked_example_has_a_row(rows, where):
    phrase = WORKED_EXAMPLES[where]
    assert any(phrase in r.quantity for r in rows), f"no dlnn-5 row recomputes {where}"


def test_every_row_matches(rows):
    assert all(isinstance(r, Reproduction) for r in rows)
    assert [r.quantity for r in rows if r.match is not True] == []
    assert {r.source for r in rows} == {"dlnn-5"}


def test_refs_cite_sections_equations_and_figures_never_inventory_codes(rows):
    for r in rows:
        assert r.ref.startswith("§5."), r.ref
        text = f"{r.ref} {r.quantity}"
        assert not re.search(r"\b(E|B|F|M|IE|A)\d+\b", text), text
        assert "line" not in text.lower(), text


@pytest.mark.parametrize("step, what", BOOK_PRINTOUT)
def test_the_rnn_printout_matches_the_book_character_for_character(rows, step, what):
    r = _row(rows, f"RNN example, {step}: print of {what} (exact)")
    assert r.source_value == BOOK_PRINTOUT[step, what]
    assert r.nnbook_value == BOOK_PRINTOUT[step, what]
    assert isinstance(r.nnbook_value, str)


def test_the_concatenated_form_prints_the_same(rows):
    r = _row(rows, "the concatenated form prints the same six arrays")
    assert r.nnbook_value == " | ".join(BOOK_PRINTOUT.values())


def test_source_values_are_the_book_numbers(rows):
    assert _row(rows, "a₀,₀ = relu(4)").source_value == 4
    assert _row(rows, "the ten terms of a₀,₀").source_value == "1 0 1 0 1 0 0 0 1 0"
    assert _row(rows, "t₀: state tanh").source_value == "0.537 0.462"
    assert _row(rows, "t₁: state").source_value == "0.860 0.884"
    assert _row(rows, "t₁: output").source_value == 2.73
    assert _row(rows, "VGG-16 parameters").source_value == 138_357_544
    assert _row(rows, "VGG-16 size after step (5)").source_value == "56×56×256"
    assert _row(rows, "VGG-16 size after step (11)").source_value == \
        "1×1×4096, 1×1×4096, 1×1×1000"
    assert _row(rows, "batch descent, 10 iterations").source_value == 3_000_000


def test_values_the_book_does_not_print_are_marked_derived(rows):
    for phrase in ("the whole 3×3 feature map", "the whole 2×2 feature map",
                   "VGG-16 parameters", "parameters of the cell", "parameters of the 800"):
        assert "derived" in _row(rows, phrase).ref, phrase
    assert "standard figure" in _row(rows, "the whole 3×3 feature map").ref


# --- breaking the library turns rows into mismatches ----------------------------------------

def test_a_cell_off_in_the_eighth_decimal_breaks_the_exact_rows(monkeypatch):
    from nnbook.functional import rnn

    original = rnn.rnn_trace

    def nudged(*args, **kwargs):
        steps = original(*args, **kwargs)
        return [{**step, "state": step["state"] + 3e-8} for step in steps]

    monkeypatch.setattr(rnn, "rnn_trace", nudged)
    broken = dlnn_5.rnn_rows()
    assert _row(broken, "t₀: print of state (exact)").match is False
    assert _row(broken, "t₀: state tanh").match is True            # 3 decimals do not see it


def test_a_convolution_that_ignores_the_stride_shows(monkeypatch):
    from nnbook.book.demos import dlnn_5 as demos

    monkeypatch.setattr(dlnn_5, "feature_map", lambda stride=1: demos.feature_map(1))
    broken = dlnn_5.convolution_rows()
    assert _row(broken, "the whole 2×2 feature map, stride 2").match is False
    assert _row(broken, "the whole 3×3 feature map, stride 1").match is True


def test_a_dense_layer_with_a_wrong_weight_gradient_shows(monkeypatch):
    from nnbook.book.demos import dlnn_5 as demos

    def wrong(rng):
        result = demos.fully_connected_batch(rng)
        result["dW"] = result["dW"] / 16                       # averaged instead of summed
        return result

    monkeypatch.setattr(dlnn_5, "fully_connected_batch", wrong)
    broken = dlnn_5.fully_connected_rows()
    assert _row(broken, "∂loss/∂w_jk").match is False
    assert _row(broken, "∂loss/∂x_k").match is True


def test_a_softmax_with_the_printed_sign_shows(monkeypatch):
    monkeypatch.setattr(dlnn_5, "class_probabilities",
                        lambda logits: np.exp(-np.asarray(logits))
                        / np.exp(-np.asarray(logits)).sum(axis=1, keepdims=True))
    assert _row(dlnn_5.fully_connected_rows(), "for a = [1, 2, 3]").match is False
