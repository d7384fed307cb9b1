"""Cost functions (Nielsen §1.5) and the loss objects of 陈强 §15.6 ((15.21)–(15.23)).

Shapes of the Nielsen functions: ``a`` and ``y`` are (n, k) — one row per training example x, k
output neurons — or (k,) for a single example. The loss classes of chapter 2 state their own
shapes below.
"""

from __future__ import annotations

import numpy as np

from nnbook.activations import sigmoid, softmax
from nnbook.validation import as_float_array


def _pair(a, y):
    a = as_float_array(a, "a (network output)", ndim=(1, 2))
    y = as_float_array(y, "y (desired output)", ndim=(1, 2))
    if a.shape != y.shape:
        raise ValueError(f"a and y must have the same shape; found a {a.shape} and y {y.shape}")
    return np.atleast_2d(a), np.atleast_2d(y)


def quadratic_cost_per_example(a, y) -> np.ndarray:
    """C_x = ‖y(x) − a‖² / 2 for every example (Nielsen §1.5, the decomposition before eq. (18))."""
    a, y = _pair(a, y)
    return 0.5 * np.sum((y - a) ** 2, axis=1)


def quadratic_cost(a, y) -> float:
    """C = (1/2n) Σ_x ‖y(x) − a‖² — Nielsen eq. (6), the mean squared error (均方误差)."""
    return float(np.mean(quadratic_cost_per_example(a, y)))


def quadratic_cost_gradient(a, y) -> np.ndarray:
    """∂C_x/∂a = a − y for each example (the output-layer factor of backpropagation)."""
    a, y = _pair(a, y)
    return a - y


# --- 陈强 ch. 15, §15.6: loss objects for layers and models ----------------------------------
#
# Every loss below is an object with ``loss(output, target) -> float``, the mean over the batch of
# the per-example loss (empirical risk (15.21)), and ``loss.gradient(output, target)``, the
# array ∂loss/∂output of the same shape as ``output``, already divided by the batch size n. That
# gradient is where backpropagation starts: it gives the output-layer δ that (15.26)–(15.29)
# need but the source leaves out (δ^{(L)} = gradient ⊙ f′(z^{(L)}), or, with ``from_logits=True``,
# the gradient with respect to the logits z^{(L)} directly).

#: Probabilities are clipped to [PROBABILITY_FLOOR, 1 − PROBABILITY_FLOOR] before taking logs
#: (``from_logits=False`` only), so an output of exactly 0 or 1 gives a large finite loss.
PROBABILITY_FLOOR = 1e-12


def _output_target(output, target, name, *, ndim=(1, 2)):
    output = as_float_array(output, f"{name}: output", ndim=ndim)
    target = as_float_array(target, f"{name}: target", ndim=ndim)
    if output.shape != target.shape:
        raise ValueError(f"{name}: output and target must have the same shape; found output "
                         f"{output.shape} and target {target.shape}")
    if output.shape[0] == 0:
        raise ValueError(f"{name}: expected at least one example, found an empty batch")
    return output, target


def _check_unit_interval(values, what):
    if np.any(values < 0) or np.any(values > 1):
        bad = values[(values < 0) | (values > 1)][0]
        raise ValueError(f"{what}: expected values in [0, 1], found {bad!r}")


def _check_from_logits(from_logits):
    if not isinstance(from_logits, (bool, np.bool_)):
        raise TypeError(f"from_logits: expected True or False, found {from_logits!r}")
    return bool(from_logits)


class Loss:
    """Base class: ``__call__(output, target) -> float`` and ``gradient(output, target)``.

    Shapes: ``output`` and ``target`` are (n, k) — n examples, k outputs — or (n,) for one
    output per example (not for the categorical loss).
    """

    name = "loss"

    def __call__(self, output, target) -> float:
        raise NotImplementedError

    def gradient(self, output, target) -> np.ndarray:
        raise NotImplementedError

    def __repr__(self):
        return f"{type(self).__name__}()"


class MeanSquaredError(Loss):
    """L = (1/n) Σ_i ‖y_i − ŷ_i‖²: the squared loss of (15.22), **without** a factor ½.

    Summed over the k outputs of an example, averaged over the n examples (for one output this
    is exactly (15.22)). Gradient: ∂L/∂ŷ_i = 2(ŷ_i − y_i)/n. (Nielsen's ``quadratic_cost`` above
    keeps the ½ of his eq. (6); the two differ by a factor 2.)
    """

    name = "mse"

    def __call__(self, output, target) -> float:
        output, target = _output_target(output, target, "MeanSquaredError")
        n = output.shape[0]
        return float(np.sum((target - output) ** 2) / n)

    def gradient(self, output, target) -> np.ndarray:
        output, target = _output_target(output, target, "MeanSquaredError")
        return 2.0 * (output - target) / output.shape[0]


class BinaryCrossEntropy(Loss):
    """L = −(1/n) Σ_i [y_i ln ŷ_i + (1 − y_i) ln(1 − ŷ_i)] (15.23), targets y in [0, 1].

    ``from_logits=False``: ``output`` holds probabilities ŷ in [0, 1] (a sigmoid output),
    clipped to [PROBABILITY_FLOOR, 1 − PROBABILITY_FLOOR]; gradient (ŷ − y) / (ŷ(1 − ŷ) n).
    ``from_logits=True``: ``output`` holds logits z with ŷ = Λ(z); the loss is computed as
    softplus(z) − y z (exact, stable for |z| up to 1e4 and beyond) and the gradient is
    (Λ(z) − y)/n (derivation D7). With k > 1 columns the k losses are summed per example.
    """

    name = "binary_crossentropy"

    def __init__(self, from_logits=False):
        self.from_logits = _check_from_logits(from_logits)

    def _checked(self, output, target):
        output, target = _output_target(output, target, "BinaryCrossEntropy")
        _check_unit_interval(target, "BinaryCrossEntropy: target")
        if not self.from_logits:
            _check_unit_interval(output, "BinaryCrossEntropy: output (probabilities; pass "
                                         "from_logits=True for logits)")
        return output, target

    def __call__(self, output, target) -> float:
        output, target = self._checked(output, target)
        n = output.shape[0]
        with np.errstate(under="ignore"):
            if self.from_logits:
                per_entry = np.logaddexp(0.0, output) - target * output
            else:
                p = np.clip(output, PROBABILITY_FLOOR, 1.0 - PROBABILITY_FLOOR)
                per_entry = -(target * np.log(p) + (1.0 - target) * np.log1p(-p))
        return float(np.sum(per_entry) / n)

    def gradient(self, output, target) -> np.ndarray:
        output, target = self._checked(output, target)
        n = output.shape[0]
        if self.from_logits:
            return (sigmoid(output) - target) / n
        p = np.clip(output, PROBABILITY_FLOOR, 1.0 - PROBABILITY_FLOOR)
        return (p - target) / (p * (1.0 - p)) / n

    def __repr__(self):
        return f"BinaryCrossEntropy(from_logits={self.from_logits})"


class CategoricalCrossEntropy(Loss):
    """L = −(1/n) Σ_i Σ_k y_ik ln p_ik for (n, K) one-hot (or probability) targets (§15.15).

    ``from_logits=False``: ``output`` holds probabilities p (rows of a softmax), clipped below at
    PROBABILITY_FLOOR; gradient −y/(p n). ``from_logits=True``: ``output`` holds logits z and
    p = softmax(z) is applied inside through ln p = z − logsumexp(z), so logits of ±1e4 give a
    finite loss; the gradient is (softmax(z) − y)/n (derivation D8: softmax + cross-entropy = p − y).
    Every target row must sum to 1.
    """

    name = "categorical_crossentropy"

    def __init__(self, from_logits=False):
        self.from_logits = _check_from_logits(from_logits)

    def _checked(self, output, target):
        output, target = _output_target(output, target, "CategoricalCrossEntropy", ndim=2)
        _check_unit_interval(target, "CategoricalCrossEntropy: target")
        sums = target.sum(axis=1)
        if not np.allclose(sums, 1.0, rtol=0, atol=1e-6):
            row = int(np.argmax(np.abs(sums - 1.0)))
            raise ValueError(f"CategoricalCrossEntropy: every target row must sum to 1 (one-hot "
                             f"labels, e.g. nnbook.data.one_hot); row {row} sums to {sums[row]!r}")
        if not self.from_logits:
            _check_unit_interval(output, "CategoricalCrossEntropy: output (probabilities; pass "
                                         "from_logits=True for logits)")
        return output, target

    def __call__(self, output, target) -> float:
        output, target = self._checked(output, target)
        n = output.shape[0]
        if self.from_logits:
            shifted = output - output.max(axis=1, keepdims=True)
            with np.errstate(under="ignore"):
                log_p = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
        else:
            log_p = np.log(np.clip(output, PROBABILITY_FLOOR, 1.0))
        return float(-np.sum(target * log_p) / n)

    def gradient(self, output, target) -> np.ndarray:
        output, target = self._checked(output, target)
        n = output.shape[0]
        if self.from_logits:
            return (softmax(output, axis=1) - target) / n
        return -target / np.clip(output, PROBABILITY_FLOOR, 1.0) / n

    def __repr__(self):
        return f"CategoricalCrossEntropy(from_logits={self.from_logits})"


#: name → loss class, with the Keras names used in §15.13–§15.15.
LOSSES = {
    "mse": MeanSquaredError,
    "mean_squared_error": MeanSquaredError,
    "binary_crossentropy": BinaryCrossEntropy,
    "categorical_crossentropy": CategoricalCrossEntropy,
}


def get_loss(name, **options) -> Loss:
    """A loss object from its (Keras) name, e.g. ``get_loss("categorical_crossentropy")``.

    ``options`` go to the class (e.g. ``from_logits=True``); a :class:`Loss` instance is
    returned unchanged.
    """
    if isinstance(name, Loss):
        return name
    if not isinstance(name, str):
        raise TypeError(f"loss: expected a name (str) such as 'mse' or a Loss object, found "
                        f"{type(name).__name__} {name!r}")
    key = name.strip().lower()
    if key not in LOSSES:
        raise ValueError(f"unknown loss {name!r}; valid names are: " + ", ".join(LOSSES))
    return LOSSES[key](**options)
