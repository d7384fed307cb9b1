"""Chapter 1's network of sigmoid neurons (Nielsen §1.3–§1.6): a face of :class:`Sequential`.

``Network((784, 30, 10))`` *is* a :class:`~nnbook.models.sequential.Sequential` of sigmoid
:class:`~nnbook.layers.dense.Dense` layers, compiled with Nielsen's quadratic cost (eq. (6)) and
plain SGD. What it adds is Nielsen's view of the same numbers:

* every weight and bias lives in one flat vector ``parameters`` (w¹ row by row, b¹, w², b², …);
  the Dense kernels are views into it, so the optimiser, the readable reference and the Numba
  kernel all update the same memory;
* ``weights[l]`` is layer l+1's weight matrix in Nielsen's orientation (n_out, n_in) — the
  transpose of the Dense kernel — and ``biases[l]`` its bias vector;
* ``feedforward``, ``classify`` (the most active output neuron) and ``accuracy``;
* :meth:`Network.sgd`, Nielsen's training call, with three interchangeable engines that take
  the same steps: the Numba epoch kernel (:mod:`nnbook.kernels.minibatch_sgd`, the default),
  the readable per-example reference (:mod:`nnbook.train.minibatch_sgd`) and the layers'
  own ``train_on_batch``.
"""

from __future__ import annotations

import numpy as np

from nnbook.functional.losses import QuadraticCost
from nnbook.layers.dense import Dense
from nnbook.models.sequential import Sequential
from nnbook.optim.sgd import SGD
from nnbook.train import fit as fit_loop
from nnbook.train.history import History
from nnbook.validation import as_float_array, check_matching_rows, check_positive

#: The engines of :meth:`Network.sgd`.
KERNELS = ("numba", "reference", "layers")


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


class Network(Sequential):
    """A fully connected feedforward network of sigmoid neurons, in Nielsen's notation.

    ``sizes`` lists the neurons per layer, input first: (784, 15, 10) is Nielsen's digit
    network of §1.4. Weights and biases start as independent N(0, 1) draws from ``rng``
    (a ``numpy.random.Generator`` or an int seed), as Nielsen's code does in §1.6.
    """

    def __init__(self, sizes, rng=None):
        sizes = _check_sizes(sizes)
        rng = np.random.default_rng(rng)
        flat = rng.standard_normal(count_parameters(sizes))
        layers = [Dense(n, activation="sigmoid", kernel_initializer="zeros") for n in sizes[1:]]
        super().__init__(layers, input_shape=(sizes[0],), rng=rng, name="network")
        self.sizes = sizes
        self._share(flat)
        self.compile(QuadraticCost(), SGD(learning_rate=3.0), metrics=("accuracy",))

    def _share(self, flat: np.ndarray) -> None:
        """Make ``flat`` the storage of every kernel and bias (Nielsen's layout)."""
        self.parameters = flat
        self.weights, self.biases = [], []
        offset = 0
        for layer, n_in, n_out in zip(self.layers, self.sizes[:-1], self.sizes[1:]):
            w = flat[offset:offset + n_out * n_in].reshape(n_out, n_in)
            offset += n_out * n_in
            b = flat[offset:offset + n_out]
            offset += n_out
            layer.params["kernel"].value = w.T
            layer.params["bias"].value = b
            self.weights.append(w)
            self.biases.append(b)

    @classmethod
    def from_parameters(cls, weights, biases) -> Network:
        """A network with the given weight matrices (n_out, n_in) and bias vectors (n_out,)."""
        weights = [as_float_array(w, f"weights[{i}]", ndim=2) for i, w in enumerate(weights)]
        biases = [as_float_array(b, f"biases[{i}]", ndim=1) for i, b in enumerate(biases)]
        if len(weights) != len(biases) or not weights:
            raise ValueError("expected one bias vector per weight matrix and at least one layer")
        net = cls([weights[0].shape[1]] + [w.shape[0] for w in weights], rng=0)
        for i, (w, b) in enumerate(zip(weights, biases)):
            if w.shape != net.weights[i].shape or b.shape != net.biases[i].shape:
                raise ValueError(f"layer {i}: expected weights {net.weights[i].shape} and bias "
                                 f"{net.biases[i].shape}, found {w.shape} and {b.shape}")
            net.weights[i][...] = w
            net.biases[i][...] = b
        return net

    def copy(self) -> Network:
        return Network.from_parameters(self.weights, self.biases)

    @property
    def n_parameters(self) -> int:
        return self.parameters.size

    def feedforward(self, x) -> np.ndarray:
        """a' = σ(w a + b) layer by layer; x (n_in,) → (n_out,), or (batch, n_in) → (batch, n_out)."""
        x = as_float_array(x, "x", ndim=(1, 2))
        if x.shape[-1] != self.sizes[0]:
            raise ValueError(f"x: expected {self.sizes[0]} inputs per example (last axis), "
                             f"found shape {x.shape}")
        return self.forward(x[None, :])[0] if x.ndim == 1 else self.forward(x)

    def classify(self, x) -> np.ndarray:
        """The digit read from the output layer: the index of the most active neuron (§1.4)."""
        return np.argmax(self.feedforward(x), axis=-1)

    def accuracy(self, x, labels) -> float:
        """Fraction of examples whose class (:meth:`classify`) equals ``labels`` (batch,)."""
        labels = np.asarray(labels)
        predictions = self.classify(x)
        if predictions.shape != labels.shape:
            raise ValueError(f"labels: expected shape {predictions.shape}, found {labels.shape}")
        return float(np.mean(predictions == labels))

    def one_hot(self, labels) -> np.ndarray:
        """The desired outputs y(x) (n, n_out) for integer class ``labels`` (n,), checked."""
        labels = np.asarray(labels)
        n_out = self.sizes[-1]
        if labels.ndim != 1 or not np.issubdtype(labels.dtype, np.integer):
            raise ValueError(f"labels: expected a 1-D integer array of classes, found shape "
                             f"{labels.shape} and dtype {labels.dtype}")
        if labels.size == 0:
            raise ValueError("labels: expected at least one example, found none")
        if labels.min() < 0 or labels.max() >= n_out:
            raise ValueError(f"labels: expected classes 0 … {n_out - 1} (one per output neuron), "
                             f"found values from {labels.min()} to {labels.max()}")
        return np.eye(n_out)[labels]

    def sgd(self, X, labels, *, epochs: int, batch_size: int, eta: float, rng, test=None,
            kernel: str = "numba", progress: bool = True) -> History:
        """Train in place by mini-batch SGD (Nielsen eqs. (20)–(21)); return the History.

        X (n, n_in) in [0, 1]; labels (n,) integer classes. ``rng`` (Generator or seed)
        shuffles the examples each epoch. ``kernel``: "numba" (one compiled call per epoch),
        "reference" (per-example backprop, readable) or "layers" (the Dense layers'
        ``train_on_batch``) — the same arithmetic. After each epoch the History records, on
        the whole training set, ``loss`` (eq. (6)) and ``accuracy``, and with ``test`` =
        (X_test, labels_test) also ``test_loss`` and ``test_accuracy``. The progress bar goes
        to stdout; ``progress=False`` silences it.
        """
        if kernel not in KERNELS:
            raise ValueError(f"kernel: expected one of {KERNELS}, found {kernel!r}")
        X = np.ascontiguousarray(as_float_array(X, "X", ndim=2))
        if X.shape[1] != self.sizes[0]:
            raise ValueError(f"X: expected {self.sizes[0]} columns (the input layer), "
                             f"found shape {X.shape}")
        Y = self.one_hot(labels)
        check_matching_rows(X, Y, "X", "labels")
        check_positive(epochs, "epochs", integer=True)
        check_positive(batch_size, "batch_size", integer=True)
        check_positive(eta, "eta")
        self.optimizer = SGD(learning_rate=eta)
        evaluation = {}
        if test is not None:
            X_test, labels_test = test
            evaluation["test"] = (as_float_array(X_test, "X_test", ndim=2),
                                  self.one_hot(labels_test))
        run_epoch = {"numba": self._numba_epoch, "reference": self._reference_epoch,
                     "layers": self._layers_epoch}[kernel]
        return fit_loop.fit(self, X, Y, epochs=epochs, batch_size=batch_size,
                            rng=np.random.default_rng(rng), evaluation=evaluation,
                            progress=progress,
                            epoch_runner=lambda order: run_epoch(X, Y, order, eta, batch_size))

    def _numba_epoch(self, X, Y, order, eta, batch_size):
        from nnbook.kernels.minibatch_sgd import sgd_epoch

        sgd_epoch(self.parameters, np.asarray(self.sizes, dtype=np.int64), X, Y,
                  np.asarray(order, dtype=np.int64), float(eta), int(batch_size))

    def _reference_epoch(self, X, Y, order, eta, batch_size):
        from nnbook.train.minibatch_sgd import sgd_epoch_reference

        sgd_epoch_reference(self, X, Y, order, eta, batch_size)

    def _layers_epoch(self, X, Y, order, eta, batch_size):
        from nnbook.train.batches import minibatches

        for batch in minibatches(order, batch_size):
            self.train_on_batch(X[batch], Y[batch])

    def __repr__(self):
        return f"Network(sizes={self.sizes}, n_parameters={self.n_parameters})"


def binary_decision(output, threshold: float = 0.5):
    """Read a single sigmoid output as yes/no: yes iff output ≥ 0.5 (Nielsen §1.2, p.9).

    The book's p.10 restates the rule as "< 0.5 no, > 0.5 yes" and leaves 0.5 itself open;
    nnbook follows p.9 and counts 0.5 as yes.
    """
    return as_float_array(output, "output") >= threshold
