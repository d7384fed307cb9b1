"""Feedforward networks of sigmoid neurons of any layer sizes (Nielsen §1.3–§1.4).

All parameters live in one flat float64 vector; ``weights[l]`` (n_{l+1}, n_l) and
``biases[l]`` (n_{l+1},) are views into it. That keeps one copy of the truth, makes copying
and comparing networks trivial, and lets the Numba training kernel update it in place.
"""

from __future__ import annotations

import numpy as np

from nnbook.activations import sigmoid
from nnbook.validation import as_float_array


def count_parameters(sizes) -> int:
    """Number of weights and biases of a fully connected net, e.g. 784-15-10 → 11,935."""
    sizes = _check_sizes(sizes)
    return int(sum(n_in * n_out + n_out for n_in, n_out in zip(sizes[:-1], sizes[1:])))


def _check_sizes(sizes) -> tuple[int, ...]:
    try:
        sizes = tuple(int(s) for s in sizes)
    except (TypeError, ValueError):
        raise TypeError(f"sizes: expected a sequence of layer sizes like (784, 30, 10), "
                        f"found {sizes!r}") from None
    if len(sizes) < 2 or min(sizes) < 1:
        raise ValueError(f"sizes: expected at least two layers of at least one neuron, "
                         f"found {sizes}")
    return sizes


class Network:
    """A fully connected feedforward network of sigmoid neurons.

    ``sizes`` lists the neurons per layer, input first: (784, 15, 10) is Nielsen's digit
    network of §1.4. Weights and biases start as independent N(0, 1) draws from ``rng``
    (a ``numpy.random.Generator`` or an int seed), as Nielsen's code does in §1.6.
    """

    def __init__(self, sizes, rng=None):
        self.sizes = _check_sizes(sizes)
        rng = np.random.default_rng(rng)
        self.parameters = rng.standard_normal(count_parameters(self.sizes))
        self._make_views()

    @classmethod
    def from_parameters(cls, weights, biases) -> Network:
        """Build a network from given weight matrices (n_out, n_in) and bias vectors (n_out,)."""
        weights = [as_float_array(w, f"weights[{i}]", ndim=2) for i, w in enumerate(weights)]
        biases = [as_float_array(b, f"biases[{i}]", ndim=1) for i, b in enumerate(biases)]
        if len(weights) != len(biases) or not weights:
            raise ValueError("expected one bias vector per weight matrix and at least one layer")
        sizes = [weights[0].shape[1]] + [w.shape[0] for w in weights]
        net = cls.__new__(cls)
        net.sizes = _check_sizes(sizes)
        net.parameters = np.zeros(count_parameters(net.sizes))
        net._make_views()
        for i, (w, b) in enumerate(zip(weights, biases)):
            if w.shape != net.weights[i].shape or b.shape != net.biases[i].shape:
                raise ValueError(f"layer {i}: expected weights {net.weights[i].shape} and bias "
                                 f"{net.biases[i].shape}, found {w.shape} and {b.shape}")
            net.weights[i][...] = w
            net.biases[i][...] = b
        return net

    def _make_views(self):
        self.weights, self.biases = [], []
        offset = 0
        for n_in, n_out in zip(self.sizes[:-1], self.sizes[1:]):
            self.weights.append(self.parameters[offset:offset + n_out * n_in].reshape(n_out, n_in))
            offset += n_out * n_in
            self.biases.append(self.parameters[offset:offset + n_out])
            offset += n_out

    def copy(self) -> Network:
        return Network.from_parameters(self.weights, self.biases)

    @property
    def n_parameters(self) -> int:
        return self.parameters.size

    def _check_input(self, x) -> np.ndarray:
        x = as_float_array(x, "x", ndim=(1, 2))
        if x.shape[-1] != self.sizes[0]:
            raise ValueError(f"x: expected {self.sizes[0]} inputs per example (last axis), "
                             f"found shape {x.shape}")
        return x

    def feedforward(self, x) -> np.ndarray:
        """a' = σ(W a + b) layer by layer; x (n_in,) → (n_out,), or (batch, n_in) → (batch, n_out)."""
        a = self._check_input(x)
        for w, b in zip(self.weights, self.biases):
            a = sigmoid(a @ w.T + b)
        return a

    def predict(self, x) -> np.ndarray:
        """The digit read from the output layer: the index of the most active neuron (§1.4)."""
        return np.argmax(self.feedforward(x), axis=-1)

    def accuracy(self, x, labels) -> float:
        """Fraction of examples whose predicted class equals ``labels`` (batch,)."""
        labels = np.asarray(labels)
        predictions = self.predict(x)
        if predictions.shape != labels.shape:
            raise ValueError(f"labels: expected shape {predictions.shape}, found {labels.shape}")
        return float(np.mean(predictions == labels))

    def __repr__(self):
        return f"Network(sizes={self.sizes}, n_parameters={self.n_parameters})"


def binary_decision(output, threshold: float = 0.5):
    """Read a single sigmoid output as yes/no: yes iff output ≥ 0.5 (Nielsen §1.2, p.9).

    The book's p.10 restates the rule as "< 0.5 no, > 0.5 yes" and leaves 0.5 itself open;
    nnbook follows p.9 and counts 0.5 as yes.
    """
    return as_float_array(output, "output") >= threshold
