"""nnbook.book.worked_examples.nielsen_1: every computable worked example of Nielsen ch. 1 has a
row that matches, and the table is built from the library rather than echoing the source values."""

import pytest

from nnbook.book.worked_examples import Reproduction, compare, nielsen_1, table


@pytest.fixture(scope="module")
def rows():
    return table("nielsen-1")


#: Every worked computation of Nielsen ch. 1, by page, and a phrase of the row that recomputes it
#: (the visual cortex's neuron counts and the book's Python version are facts, not computations).
WORKED_EXAMPLES = {
    "§1 p.1: MNIST's first labels": "labels of MNIST's first six",
    "§1 p.2: the digit network's accuracy": "test accuracy of the",
    "§1.1 p.3: the cheese festival": "decisions for inputs 000…111",
    "§1.1 p.4: NAND": "NAND perceptron output",
    "§1.1 p.4–5: the half adder": "half adder (sum, carry)",
    "§1.1 p.5: a perceptron without inputs": "no-input perceptron",
    "§1.2 p.7, p.9: sigmoid outputs": "a sigmoid output the book quotes",
    "§1.2 p.8: the plotted curves": "σ'(0)",
    "§1.2 p.9: the 0.5 rule": "read as 'is a 9'",
    "§1.3 p.10: a 64×64 image": "64×64 image",
    "§1.4 p.12: 784 inputs, 784-15-10": "weights + biases of the 784-15-10",
    "§1.4 p.12: four binary outputs": "binary output neurons",
    "§1.5 p.14: MNIST's size": "training / test images",
    "§1.5 p.16: the valley": "largest C on the valley",
    "§1.5 p.18–19: second partials": "second partials",
}


def test_every_worked_example_has_a_row(rows):
    for where, phrase in WORKED_EXAMPLES.items():
        assert any(phrase in r.quantity for r in rows), where


def test_no_row_differs(rows):
    assert [r for r in rows if r.match is False] == []


def test_rows_that_cannot_be_compared_say_why(rows):
    for r in rows:
        if r.match is None:
            assert r.note, r


def test_computable_rows_match_offline():
    offline = table("nielsen-1", with_files=False)
    assert all(r.match is True for r in offline if "test accuracy" not in r.quantity)


def test_json_shape(rows):
    keys = {"source", "ref", "quantity", "source_value", "nnbook_value", "match"}
    assert all(keys <= set(r.as_dict()) for r in rows)
    assert {r.source for r in rows} == {"nielsen-1"}


def test_a_broken_library_shows_as_a_mismatch(monkeypatch):
    """The rows are computed: break the NAND perceptron and its rows must stop matching."""
    from nnbook.models.perceptron import Perceptron

    monkeypatch.setattr(nielsen_1, "nand_perceptron", lambda: Perceptron((-2.0, -2.0), 1.0))
    broken = [r for r in nielsen_1.perceptron_rows() if "NAND" in r.quantity]
    assert any(r.match is False for r in broken)


def test_compare_rules():
    assert compare(0.982014, 0.98201379, digits=6)
    assert not compare(0.982014, 0.9821, digits=6)
    assert compare(4096, 4096) and not compare("1110", "1111")
    assert Reproduction("s", "r", "q", 1, 1, True).as_dict()["match"] is True


def test_unknown_source():
    with pytest.raises(ValueError, match="nielsen-1"):
        table("nielsen-2")
