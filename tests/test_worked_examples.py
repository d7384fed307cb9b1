"""The reproduction table of ``nnbook tour``: every computable worked example of source 001
matches, and the table is built from the library rather than echoing the source values."""

import pytest

from nnbook.book.worked_examples import Reproduction, compare, table
from nnbook.book.worked_examples import nielsen_1


@pytest.fixture(scope="module")
def rows():
    return table("nielsen-1")


# Every worked example W1–W18 of inventory 001 §4 except the two that are facts, not computations
# (W2: neuron counts of V1; W18: the book's Python version).
WORKED_EXAMPLES = ["W1", "W3", "W4", "W5", "W6", "W7", "W8", "W9", "W10", "W11", "W12", "W13",
                   "W14", "W15", "W16", "W17"]


def test_every_worked_example_has_a_row(rows):
    for example in WORKED_EXAMPLES:
        assert any(f"({example}" in r.ref or f" {example}" in r.ref for r in rows), example


def test_no_row_differs(rows):
    assert [r for r in rows if r.match is False] == []


def test_rows_that_cannot_be_compared_say_why(rows):
    for r in rows:
        if r.match is None:
            assert r.note, r


def test_computable_rows_match_offline():
    offline = table("nielsen-1", with_files=False)
    assert all(r.match is True for r in offline if "W3" not in r.ref)


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
