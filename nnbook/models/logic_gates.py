"""Logic gates from perceptrons: truth tables, NAND, and circuits of NAND perceptrons.

Nielsen §1.1 builds NAND from one perceptron (weights −2, −2, bias 3, p.4) and a half adder
from five NANDs (p.4–5); 陈强 §15.2 asks which gates one perceptron can learn (figure 15.3:
AND, OR and NAND can, XOR cannot). The truth tables are written once, here.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import numpy as np

from nnbook.models.perceptron import Perceptron

#: Outputs of the gates of 陈强 figure 15.3 for the inputs (0,0), (0,1), (1,0), (1,1).
LOGIC_GATES = {
    "AND": (0, 0, 0, 1),
    "OR": (0, 1, 1, 1),
    "NAND": (1, 1, 1, 0),
    "XOR": (0, 1, 1, 0),
}

#: The four inputs of a two-input gate, in counting order (4, 2).
GATE_INPUTS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])


def gate_dataset(name: str):
    """The four points of a logic gate (figure 15.3) with labels recoded to {−1, +1}.

    Returns X (4, 2) float and y (4,) int with +1 for TRUE and −1 for FALSE (陈强 §15.2's labels).
    """
    key = str(name).upper()
    if key not in LOGIC_GATES:
        raise ValueError(f"name: expected one of {sorted(LOGIC_GATES)}, found {name!r}")
    y = np.where(np.array(LOGIC_GATES[key]) == 1, 1, -1)
    return GATE_INPUTS.copy(), y


def nand_perceptron() -> Perceptron:
    """NAND from one perceptron: weights (−2, −2), bias 3 (Nielsen §1.1, p.4)."""
    return Perceptron((-2.0, -2.0), 3.0)


def truth_table(fn, n_inputs: int):
    """Evaluate ``fn(*bits)`` on every binary input, in counting order 00…0, 00…1, ….

    Returns (inputs (2**n, n) int array, outputs array with one row per input).
    """
    inputs = np.array(list(itertools.product((0, 1), repeat=n_inputs)), dtype=np.int64)
    outputs = np.array([fn(*row) for row in inputs])
    return inputs, outputs


@dataclass(frozen=True)
class Gate:
    """A perceptron inside a circuit: named inputs, their weights, and a bias."""

    inputs: tuple[str, ...]
    weights: tuple[float, ...]
    bias: float


@dataclass
class PerceptronCircuit:
    """Perceptrons wired as a directed acyclic graph (Nielsen §1.1, figures of the half adder).

    ``gates`` maps a gate name to its :class:`Gate`, in an order where every gate's inputs are
    either circuit inputs or earlier gates. ``outputs`` names the gates read as the result.
    """

    inputs: tuple[str, ...]
    gates: dict[str, Gate] = field(default_factory=dict)
    outputs: tuple[str, ...] = ()

    def evaluate(self, *bits) -> tuple[int, ...]:
        if len(bits) != len(self.inputs):
            raise ValueError(f"expected {len(self.inputs)} input bits {self.inputs}, "
                             f"found {len(bits)}")
        values = {name: int(bit) for name, bit in zip(self.inputs, bits)}
        for name, gate in self.gates.items():
            z = sum(w * values[src] for src, w in zip(gate.inputs, gate.weights)) + gate.bias
            values[name] = int(z > 0)
        return tuple(values[name] for name in self.outputs)


def half_adder_circuit(merged: bool = False) -> PerceptronCircuit:
    """The half adder built from five NAND perceptrons (Nielsen §1.1, p.4–5).

    g1 = NAND(x1, x2); g2 = NAND(x1, g1); g3 = NAND(g1, x2); sum = NAND(g2, g3);
    carry = NAND(g1, g1). The carry gate reads g1 twice; with ``merged=True`` the two −2 edges
    become one edge of weight −4, as the book redraws it.
    """
    nand = ((-2.0, -2.0), 3.0)
    gates = {
        "g1": Gate(("x1", "x2"), *nand),
        "g2": Gate(("x1", "g1"), *nand),
        "g3": Gate(("g1", "x2"), *nand),
        "sum": Gate(("g2", "g3"), *nand),
        "carry": Gate(("g1",), (-4.0,), 3.0) if merged else Gate(("g1", "g1"), *nand),
    }
    return PerceptronCircuit(inputs=("x1", "x2"), gates=gates, outputs=("sum", "carry"))


def half_adder(x1: int, x2: int, merged: bool = False) -> tuple[int, int]:
    """(sum, carry) = (x1 ⊕ x2, x1·x2) computed by the NAND-perceptron circuit."""
    return half_adder_circuit(merged).evaluate(x1, x2)
