"""The vectorised BP network of 《深度学习与神经网络》第5章 (§5.2.4, the listing after (5-21)).

Columns are examples: X is (n_features, m), y is (n_outputs, m), layer l computes
z⁽ˡ⁾ = W⁽ˡ⁾ a⁽ˡ⁻¹⁾ + B⁽ˡ⁾ and a⁽ˡ⁾ = φ_l(z⁽ˡ⁾). The book prints two methods, ``_feedForward
(keep_prob)`` and ``startTraining(epochs, alpha, _lambda, keep_prob=0.5, interval=100)``:
full-batch gradient descent with an L2 weight penalty and inverted dropout, starting from
δ⁽ᴸ⁾ = a⁽ᴸ⁾ − y and going back with δ⁽ˡ⁻¹⁾ = (W⁽ˡ⁾ᵀ δ⁽ˡ⁾) ⊙ φ′(z⁽ˡ⁻¹⁾), each layer moved by
W ← W − (α/m)(δ a⁽ˡ⁻¹⁾ᵀ + λW), B ← B − (α/m) Σ_columns δ. The rest of the class is not printed
(the constructor, ``predict``, the cost, its derivative and the activation tables are
additions here): the cost is the binary cross-entropy plus λ/(2m) Σ_l ‖W⁽ˡ⁾‖², whose gradient
those updates follow when the output is a sigmoid.

Dropout as printed has three faults, kept behind ``book_literal=True``:

* it is applied to every layer after the first *including the output layer*, so a sigmoid
  output divided by keep_prob exceeds 1 and the cross-entropy is undefined there;
* the mask has shape (units, 1): the same units are dropped for every example of the batch;
* the mask is not kept, so backpropagation ignores it (δ is not multiplied by mask/keep_prob).

The default is inverted dropout done right: every hidden layer (and only those), one mask of
the activations' shape per layer per pass, the same mask multiplying δ on the way back.
"""

from __future__ import annotations

import sys
import time

import numpy as np

from nnbook.analysis.gradcheck import relative_error, richardson_gradient
from nnbook.functional import activations as act
from nnbook.functional.dropout import check_keep_prob
from nnbook.functional.losses import BinaryCrossEntropy, CategoricalCrossEntropy
from nnbook.layers.initializers import normal, uniform, zeros
from nnbook.validation import as_float_array, check_positive

#: name → φ, the book's activation names (the table itself is not printed; an addition).
PHI = {"sigmoid": act.sigmoid.unchecked, "relu": act.relu.unchecked,
       "lrelu": act.leaky_relu.unchecked, "tanh": act.tanh.unchecked}
#: name → φ′ for the same names.
PHI_PRIME = {"sigmoid": act.sigmoid_prime.unchecked, "relu": act.relu_prime.unchecked,
             "lrelu": act.leaky_relu_prime.unchecked, "tanh": act.tanh_prime.unchecked}
#: Output activations whose loss has the gradient a − y with respect to z (the book's
#: ``_cost_derivative``): sigmoid with binary cross-entropy; softmax over the rows of a column
#: with categorical cross-entropy (an addition, for ``loss_func="c_ce"``).
OUTPUT_ACTIVATIONS = ("sigmoid", "softmax")
LOSS_FUNCS = ("b_ce", "c_ce")


def _gaussian(shape, rng):
    return normal(shape, rng, stddev=1.0 / np.sqrt(shape[1]))


def _random(shape, rng):
    return uniform(shape, rng, limit=1.0 / np.sqrt(shape[1]))


#: Initial weights for W⁽ˡ⁾ of shape (units, fan_in); biases start at 0. Additions: the book
#: does not print its constructor. "zeros" is the symmetric start that never breaks symmetry.
INIT_METHODS = {"gaussian": _gaussian, "random": _random, "zeros": zeros}


class NeuralNet:
    """The book's vectorised network (columns = examples) with L2 and inverted dropout.

    ``layers``: units per layer after the input, e.g. [32, 16, 1]; ``X`` (n_features, m);
    ``y`` (layers[-1], m); ``ac_funcs``: one name of :data:`PHI` per layer, the last one
    "sigmoid" (or "softmax", an addition); ``init_method`` a key of :data:`INIT_METHODS`;
    ``loss_func`` "b_ce" (accuracy of outputs thresholded at 0.5) or "c_ce" (accuracy of the
    arg-max over each column). ``rng`` (a ``np.random.Generator``) draws the weights and the
    dropout masks. ``book_literal=True`` reproduces the printed dropout (see the module).
    """

    def __init__(self, layers, X, y, ac_funcs, init_method="gaussian", loss_func="b_ce", *,
                 rng: np.random.Generator, book_literal: bool = False):
        if not isinstance(rng, np.random.Generator):
            raise TypeError(f"rng: expected a numpy Generator (np.random.default_rng(seed)), "
                            f"found {type(rng).__name__}")
        if not isinstance(book_literal, (bool, np.bool_)):
            raise TypeError(f"book_literal: expected True or False, found {book_literal!r}")
        if isinstance(layers, (str, bytes)) or not hasattr(layers, "__len__") or not layers:
            raise ValueError(f"layers: expected a non-empty list of layer sizes, found {layers!r}")
        self.layers = [check_positive(size, "layers[...]", integer=True) for size in layers]
        self.X = as_float_array(X, "X (n_features, m): one column per example", ndim=2,
                                dtype=np.float64)
        self.y = as_float_array(y, "y (n_outputs, m): one column per example", ndim=2,
                                dtype=np.float64)
        if self.X.shape[1] == 0 or self.y.shape != (self.layers[-1], self.X.shape[1]):
            raise ValueError(f"X and y: expected X (n_features, m) with m ≥ 1 and y "
                             f"({self.layers[-1]}, m) — one column per example — found X "
                             f"{self.X.shape} and y {self.y.shape}")
        self.ac_funcs = self._check_activations(ac_funcs)
        if loss_func not in LOSS_FUNCS:
            raise ValueError(f"loss_func: expected one of {LOSS_FUNCS}, found {loss_func!r}")
        if init_method not in INIT_METHODS:
            raise ValueError(f"init_method: expected one of {sorted(INIT_METHODS)}, found "
                             f"{init_method!r}")
        self.loss = loss_func
        self.book_literal = bool(book_literal)
        self.rng = rng
        self.m = self.X.shape[1]
        fan_in = [self.X.shape[0], *self.layers[:-1]]
        self.W = [INIT_METHODS[init_method]((units, n_in), rng)
                  for units, n_in in zip(self.layers, fan_in)]
        self.B = [np.zeros((units, 1)) for units in self.layers]
        self.cost, self.acc, self.masks = [], None, []
        self._keep_prob = 1.0
        self._loss = (BinaryCrossEntropy() if self.ac_funcs[-1] == "sigmoid"
                      else CategoricalCrossEntropy())

    def _check_activations(self, ac_funcs):
        if isinstance(ac_funcs, str) or len(ac_funcs) != len(self.layers):
            raise ValueError(f"ac_funcs: expected one activation name per layer "
                             f"({len(self.layers)}), found {ac_funcs!r}")
        names = list(ac_funcs)
        for name in names[:-1]:
            if name not in PHI:
                raise ValueError(f"ac_funcs: unknown hidden activation {name!r}; expected one "
                                 f"of {sorted(PHI)}")
        if names[-1] not in OUTPUT_ACTIVATIONS:
            raise ValueError(f"ac_funcs: the output activation must be one of "
                             f"{OUTPUT_ACTIVATIONS} (the gradient a − y assumes it), found "
                             f"{names[-1]!r}")
        return names

    # --- forward ---------------------------------------------------------------------------

    def _phi(self, layer, z):
        if layer == len(self.layers) - 1 and self.ac_funcs[-1] == "softmax":
            return act.softmax.unchecked(z, axis=0)
        return PHI[self.ac_funcs[layer]](z)

    def _dropped_layers(self):
        """Layers that get dropout: hidden ones (fixed) or 1..L−1 incl. the output (literal)."""
        last = len(self.layers) - 1
        return range(1, last + 1) if self.book_literal else range(0, last)

    def _draw_mask(self, layer, keep_prob, n_columns):
        shape = (self.layers[layer], 1) if self.book_literal else (self.layers[layer], n_columns)
        return (self.rng.random(shape) < keep_prob).astype(np.float64)

    def _feedForward(self, keep_prob, masks=None, X=None):  # noqa: N802 (the book's name)
        """Forward pass with inverted dropout: returns (z, a), lists with one array per layer.

        ``keep_prob`` ∈ (0, 1] is the probability of *keeping* a unit; kept activations are
        divided by it. ``masks`` (optional): one 0/1 array or None per layer, used instead of
        fresh draws (for gradient checks); the masks used are left in ``self.masks``.
        """
        keep_prob = check_keep_prob(keep_prob)
        X = self.X if X is None else X
        dropped = set(self._dropped_layers()) if keep_prob < 1.0 else set()
        if masks is not None and len(masks) != len(self.layers):
            raise ValueError(f"masks: expected one entry per layer ({len(self.layers)}), found "
                             f"{len(masks)}")
        z, a, self.masks = [], [], []
        previous = X
        for layer, (W, B) in enumerate(zip(self.W, self.B)):
            z.append(W @ previous + B)
            activation = self._phi(layer, z[-1])
            mask = None
            if layer in dropped:
                mask = (self._draw_mask(layer, keep_prob, X.shape[1]) if masks is None
                        else self._given_mask(masks[layer], layer, activation.shape))
                activation = activation * mask / keep_prob
            self.masks.append(mask)
            a.append(activation)
            previous = activation
        return z, a

    def _given_mask(self, mask, layer, shape):
        """A caller's 0/1 mask for ``layer``: the activations' shape, or (units, 1) for the
        printed version's batch-wide mask."""
        if mask is None:
            raise ValueError(f"masks[{layer}]: layer {layer} is dropped out; expected a 0/1 "
                             f"mask, found None")
        mask = as_float_array(mask, f"masks[{layer}]", ndim=2, dtype=np.float64)
        if mask.shape not in (shape, (shape[0], 1)) or not np.all((mask == 0) | (mask == 1)):
            raise ValueError(f"masks[{layer}]: expected a 0/1 array of shape {shape} or "
                             f"({shape[0]}, 1), found shape {mask.shape}")
        return mask

    def predict(self, X=None) -> np.ndarray:
        """Outputs a⁽ᴸ⁾ (n_outputs, columns) without dropout; X defaults to the training set."""
        if X is not None:
            X = as_float_array(X, "X (n_features, columns)", ndim=2, dtype=np.float64)
            if X.shape[0] != self.X.shape[0]:
                raise ValueError(f"X: expected {self.X.shape[0]} rows (features), one column "
                                 f"per example; found shape {X.shape}")
        return self._feedForward(1.0, X=X)[1][-1]

    # --- cost and gradients ------------------------------------------------------------------

    def _cost_derivative(self, a):
        """∂J/∂z⁽ᴸ⁾ times m for a sigmoid (softmax) output with binary (categorical) CE: a − y."""
        return a - self.y

    def _penalty(self, _lambda):
        return _lambda / (2.0 * self.m) * sum(float(np.sum(W * W)) for W in self.W)

    def _cost_func(self, a, _lambda):
        """J = cross-entropy averaged over the m columns + λ/(2m) Σ_l ‖W⁽ˡ⁾‖².

        NaN when an output has left [0, 1] — which only the book's output dropout does.
        """
        if np.any(a < 0.0) or np.any(a > 1.0):
            return float("nan")
        return self._loss(a.T, self.y.T) + self._penalty(_lambda)

    def _backprop(self, z, a, _lambda):
        """Gradients (dW, dB) of J for the pass (z, a); literal mode ignores the masks."""
        L = len(self.layers)
        inputs = [self.X, *a[:-1]]
        delta = self._cost_derivative(a[-1])
        dW, dB = [None] * L, [None] * L
        for layer in range(L - 1, -1, -1):
            dW[layer] = (delta @ inputs[layer].T + _lambda * self.W[layer]) / self.m
            dB[layer] = np.sum(delta, axis=1, keepdims=True) / self.m
            if layer == 0:
                break
            delta = (self.W[layer].T @ delta) * PHI_PRIME[self.ac_funcs[layer - 1]](z[layer - 1])
            mask = self.masks[layer - 1]
            if mask is not None and not self.book_literal:
                delta = delta * mask / self._keep_prob
        return dW, dB

    def gradients(self, _lambda=0.0, keep_prob=1.0, masks=None):
        """One training pass: (dW, dB, masks) — the gradients the update uses, of J over m."""
        self._keep_prob = check_keep_prob(keep_prob)
        check_positive(_lambda, "_lambda", allow_zero=True)
        z, a = self._feedForward(keep_prob, masks)
        dW, dB = self._backprop(z, a, _lambda)
        return dW, dB, list(self.masks)

    def compute_cost(self, _lambda=0.0, keep_prob=1.0, masks=None) -> float:
        """J of one forward pass with the given ``masks`` (drawn afresh when None)."""
        check_positive(_lambda, "_lambda", allow_zero=True)
        return self._cost_func(self._feedForward(keep_prob, masks)[1][-1], _lambda)

    def gradient_check(self, _lambda=0.1, keep_prob=1.0, masks=None, eps=1e-3) -> float:
        """Largest relative error between :meth:`gradients` and the finite-difference gradient
        of :meth:`compute_cost` over every W and B, with the same masks (drawn once when None).

        The reference is :func:`~nnbook.analysis.gradcheck.richardson_gradient`, a fourth-order
        difference: a correct gradient agrees to about 1e-11 (a plain central difference
        stalls near 1e-9).
        """
        dW, dB, masks = self.gradients(_lambda, keep_prob, masks)

        def cost(_):
            return self.compute_cost(_lambda, keep_prob, masks)

        return max(relative_error(analytic, richardson_gradient(cost, values, eps))
                   for analytic, values in zip(dW + dB, self.W + self.B))

    # --- training ----------------------------------------------------------------------------

    def accuracy(self, X=None, y=None) -> float:
        """'b_ce': fraction of outputs on the right side of 0.5 (over all entries; the book's
        sum/m is the same for one output); 'c_ce': fraction of columns whose arg-max matches."""
        out = self.predict(X)
        y = self.y if y is None else as_float_array(y, "y", ndim=2)
        if out.shape != y.shape:
            raise ValueError(f"y: expected shape {out.shape}, found {y.shape}")
        if self.loss == "b_ce":
            return float(np.mean((out > 0.5) == y))
        return float(np.mean(np.argmax(out, axis=0) == np.argmax(y, axis=0)))

    def startTraining(self, epochs, alpha, _lambda, keep_prob=0.5, interval=100,  # noqa: N802
                      verbose=False) -> list[str]:
        """Full-batch gradient descent for ``epochs`` + 1 passes (the book counts 0..epochs).

        Every ``interval`` epochs the accuracy (:meth:`accuracy`) and the cost of that pass's
        outputs are recorded in ``self.acc`` and ``self.cost`` and a log line
        "Epoch[i] : Cost = … ; Acc = …% ; Time Taken = …s" is made. Returns the log lines;
        ``verbose=True`` also prints them to stdout.
        """
        check_positive(epochs, "epochs", integer=True, allow_zero=True)
        check_positive(alpha, "alpha")
        check_positive(_lambda, "_lambda", allow_zero=True)
        check_positive(interval, "interval", integer=True)
        self._keep_prob = check_keep_prob(keep_prob)
        lines, start = [], time.perf_counter()
        for epoch in range(epochs + 1):
            z, a = self._feedForward(keep_prob)
            dW, dB = self._backprop(z, a, _lambda)
            for layer in range(len(self.layers)):
                self.W[layer] -= alpha * dW[layer]
                self.B[layer] -= alpha * dB[layer]
            if epoch % interval == 0:
                self.acc = self.accuracy()
                self.cost.append(self._cost_func(a[-1], _lambda))
                lines.append(f"Epoch[{epoch}] : Cost = {self.cost[-1]:.2f} ; "
                             f"Acc = {self.acc * 100:.2f}% ; "
                             f"Time Taken = {time.perf_counter() - start:.2f}s")
                if verbose:
                    print(lines[-1], file=sys.stdout)
        return lines

    def __repr__(self):
        mode = ", book_literal=True" if self.book_literal else ""
        return (f"NeuralNet({self.layers}, ac_funcs={self.ac_funcs}, loss_func={self.loss!r}"
                f"{mode})")
