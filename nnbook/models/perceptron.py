"""Perceptrons: the threshold rule and layered perceptron networks.

Nielsen ch. 1, §1.1 (eqs. (1)–(2)); the same neuron is 陈强's M-P neuron (15.1) of §15.1 — a
weighted sum and a threshold, with weights set by hand. Convention throughout: a perceptron
outputs 1 iff w·x + b > 0, so the boundary w·x + b = 0 gives 0 (Nielsen's eq. (1) puts the tie
on the "≤ threshold" side; 陈强 writes the indicator I(w'x + b > 0)). Learning rules are in
:mod:`nnbook.models.perceptron_learning`; gates and circuits in :mod:`nnbook.models.logic_gates`.
"""

from __future__ import annotations

import numpy as np

from nnbook.functional.activations import sigmoid, step
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


def festival_perceptron(threshold: float) -> Perceptron:
    """The cheese-festival decision (Nielsen §1.1, p.3).

    Inputs: x1 = good weather, x2 = partner comes along, x3 = near public transit;
    weights (6, 2, 2). With threshold 5 the answer is the weather alone; with threshold 3
    it is weather OR (partner AND transit).
    """
    return Perceptron.from_threshold((6.0, 2.0, 2.0), threshold)


class PerceptronNetwork:
    """Layers of perceptrons: a' = step(w a + b) per layer (Nielsen §1.1, the figure of p.3;
    陈强 (15.9), figure 15.5).

    ``weights[l]`` has shape (n_out, n_in) — Nielsen's orientation — and ``biases[l]`` shape
    (n_out,). :meth:`from_kernels` takes 陈强's (and Dense's) orientation (n_in, n_out) instead,
    where column i holds the weights w_ji from input j to unit i.
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

    @classmethod
    def from_kernels(cls, kernels, biases) -> PerceptronNetwork:
        """Build from kernels (n_in, n_out) per layer, 陈强's index order w_ji (input j → unit i)."""
        kernels = [as_float_array(k, f"kernels[{i}]", ndim=2) for i, k in enumerate(kernels)]
        return cls([k.T for k in kernels], biases)

    @property
    def n_inputs(self) -> int:
        return int(self.weights[0].shape[1])

    def _inputs(self, x):
        x = as_float_array(x, "x", ndim=(1, 2))
        if x.shape[-1] != self.n_inputs:
            raise ValueError(f"x: expected {self.n_inputs} inputs per example (last axis), "
                             f"found shape {x.shape}")
        return x

    def weighted_inputs(self, x):
        """The z of every layer for x (n_in,) or (batch, n_in); returns a list of arrays."""
        a = self._inputs(x)
        zs = []
        for w, b in zip(self.weights, self.biases):
            z = a @ w.T + b
            zs.append(z)
            a = step(z)
        return zs

    def output(self, x, activation=None, scale: float = 1.0):
        """The network's output for x (n_in,) or (batch, n_in).

        Default: every unit is a perceptron and the output bits are ints. With ``activation``
        (a vectorised f, e.g. :func:`~nnbook.functional.activations.sigmoid`) every unit
        computes f(scale·(w a + b)) and the output is float — the smooth network of exercise
        of Nielsen §1.2 (the second exercise on p.9) or of 陈强 §15.4.
        """
        if activation is None and scale == 1.0:
            return step(self.weighted_inputs(x)[-1]).astype(np.int64)
        f = step if activation is None else activation
        a = self._inputs(x)
        for w, b in zip(self.weights, self.biases):
            a = f(scale * (a @ w.T + b))
        return a

    def scaled(self, c: float) -> PerceptronNetwork:
        """The same network with every weight and bias multiplied by c (Nielsen §1.2, the first
        exercise on p.9)."""
        return PerceptronNetwork([c * w for w in self.weights], [c * b for b in self.biases])

    def sigmoid_output(self, x, c: float = 1.0):
        """Replace every perceptron by a sigmoid neuron and scale parameters by c (Nielsen §1.2,
        the second exercise on p.9)."""
        return self.output(x, activation=sigmoid, scale=c)


def xor_network() -> PerceptronNetwork:
    """A 2-2-1 network (陈强 (15.9), figure 15.5) computing XOR with indicator (M-P) units.

    Hidden unit 1 is OR (x1 + x2 − 0.5 > 0), hidden unit 2 is NAND (−x1 − x2 + 1.5 > 0), the
    output is AND of the two (h1 + h2 − 1.5 > 0): XOR = OR ∧ NAND. These weights are nnbook's
    choice; 陈强 gives none.
    """
    return PerceptronNetwork.from_kernels([[[1.0, -1.0], [1.0, -1.0]], [[1.0], [1.0]]],
                                          [[-0.5, 1.5], [-1.5]])
