"""nnbook.models.logic_gates: truth tables (陈强 figure 15.3), NAND and the half adder (Nielsen §1.1)."""

import itertools

import pytest

from nnbook.models.logic_gates import (
    LOGIC_GATES,
    gate_dataset,
    half_adder,
    half_adder_circuit,
    nand_perceptron,
)

BITS = [(0, 0), (0, 1), (1, 0), (1, 1)]
GATES = {"AND": lambda a, b: a & b, "OR": lambda a, b: a | b,
         "NAND": lambda a, b: 1 - (a & b), "XOR": lambda a, b: a ^ b}


@pytest.mark.parametrize("name", sorted(GATES))
def test_gate_datasets_match_the_truth_tables(name):
    X, y = gate_dataset(name)
    assert X.tolist() == [list(map(float, bits)) for bits in BITS]
    assert y.tolist() == [1 if GATES[name](a, b) else -1 for a, b in BITS]


def test_nand_table():
    p = nand_perceptron()
    assert [p.output(x) for x in ((0, 0), (0, 1), (1, 0), (1, 1))] == [1, 1, 1, 0]
    assert p.weighted_input((0, 0)) == 3 and p.weighted_input((1, 1)) == -1


@pytest.mark.parametrize("merged", [False, True])
def test_half_adder(merged):
    for x1, x2 in itertools.product((0, 1), repeat=2):
        assert half_adder(x1, x2, merged=merged) == (x1 ^ x2, x1 & x2)


def test_half_adder_is_made_of_nand_gates():
    circuit = half_adder_circuit()
    assert len(circuit.gates) == 5
    assert all(g.weights == (-2.0, -2.0) and g.bias == 3.0 for g in circuit.gates.values())


def test_gate_errors():
    with pytest.raises(ValueError, match="one of"):
        gate_dataset("XNOR")
    assert set(LOGIC_GATES) == {"AND", "OR", "NAND", "XOR"}
