"""Perceptrons: the threshold rule, logic gates built from it, and layered perceptron networks.

Nielsen ch. 1, §1.1 (eqs. (1)–(2)); the same neuron is the M-P neuron of 陈强 §15.1.
Convention throughout: a perceptron outputs 1 iff w·x + b > 0, so the boundary w·x + b = 0
gives 0 (eq. (1) puts the tie on the "≤ threshold" side).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import numpy as np

from nnbook.activations import sigmoid, step
from nnbook.validation import as_float_array


class Perceptron:
    """One perceptron with weights ``w`` (n_inputs,) and bias ``b`` — Nielsen eq. (2)."""

    def __init__(self, weights, bias):
        self.weights = as_float_array(weights, "weights", ndim=1)
        self.bias = float(as_float_array(bias, "bias", ndim=0))

    @classmethod
    def from_threshold(cls, weights, threshold):
        """Build from the threshold form of eq. (1): b ≡ −threshold."""
        return cls(weights, -float(as_float_array(threshold, "threshold", ndim=0)))

    @property
    def threshold(self) -> float:
        return -self.bias

    def weighted_input(self, x):
        """z = w·x + b for x of shape (n_inputs,) or (batch, n_inputs)."""
        x = as_float_array(x, "x", ndim=(1, 2))
        if x.shape[-1] != self.weights.size:
            raise ValueError(f"x: expected {self.weights.size} inputs per example "
                             f"(last axis), found shape {x.shape}")
        return x @ self.weights + self.bias

    def output(self, x):
        """1 if w·x + b > 0 else 0 — an int for one example, an int array for a batch."""
        out = step(self.weighted_input(x)).astype(np.int64)
        return int(out) if out.ndim == 0 else out

    def __repr__(self):
        return f"Perceptron(weights={self.weights.tolist()}, bias={self.bias:g})"


def nand_perceptron() -> Perceptron:
    """NAND from one perceptron: weights (−2, −2), bias 3 (Nielsen §1.1, p.4)."""
    return Perceptron((-2.0, -2.0), 3.0)


def festival_perceptron(threshold: float) -> Perceptron:
    """The cheese-festival decision (Nielsen §1.1, p.3).

    Inputs: x1 = good weather, x2 = partner comes along, x3 = near public transit;
    weights (6, 2, 2). With threshold 5 the answer is the weather alone; with threshold 3
    it is weather OR (partner AND transit).
    """
    return Perceptron.from_threshold((6.0, 2.0, 2.0), threshold)


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


class PerceptronNetwork:
    """Layers of perceptrons: a' = step(W a + b) per layer (Nielsen §1.1, figure of p.3).

    ``weights[l]`` has shape (n_out, n_in) and ``biases[l]`` shape (n_out,).
    """

    def __init__(self, weights, biases):
        if len(weights) != len(biases) or not weights:
            raise ValueError("expected one bias vector per weight matrix and at least one layer, "
                             f"found {len(weights)} weight matrices and {len(biases)} bias vectors")
        self.weights = [as_float_array(w, f"weights[{i}]", ndim=2) for i, w in enumerate(weights)]
        self.biases = [as_float_array(b, f"biases[{i}]", ndim=1) for i, b in enumerate(biases)]
        for i, (w, b) in enumerate(zip(self.weights, self.biases)):
            if w.shape[0] != b.shape[0]:
                raise ValueError(f"layer {i}: weights have {w.shape[0]} rows but the bias has "
                                 f"{b.shape[0]} entries")
            if i and w.shape[1] != self.weights[i - 1].shape[0]:
                raise ValueError(f"layer {i}: expects {w.shape[1]} inputs but layer {i - 1} has "
                                 f"{self.weights[i - 1].shape[0]} outputs")

    def weighted_inputs(self, x):
        """The z of every layer for x (n_in,) or (batch, n_in); returns a list of arrays."""
        a = as_float_array(x, "x", ndim=(1, 2))
        zs = []
        for w, b in zip(self.weights, self.biases):
            z = a @ w.T + b
            zs.append(z)
            a = step(z)
        return zs

    def output(self, x):
        """The network's output bits for x (n_in,) or (batch, n_in)."""
        return step(self.weighted_inputs(x)[-1]).astype(np.int64)

    def scaled(self, c: float) -> PerceptronNetwork:
        """The same network with every weight and bias multiplied by c (exercise X1)."""
        return PerceptronNetwork([c * w for w in self.weights], [c * b for b in self.biases])

    def sigmoid_output(self, x, c: float = 1.0):
        """Replace every perceptron by a sigmoid neuron and scale parameters by c (exercise X2)."""
        a = as_float_array(x, "x", ndim=(1, 2))
        for w, b in zip(self.weights, self.biases):
            a = sigmoid(c * (a @ w.T + b))
        return a
