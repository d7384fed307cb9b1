"""Losses: Nielsen's quadratic cost (§1.5, eq. (6)) and 陈强's losses (§15.6, (15.21)–(15.23)).

A loss object is called as ``loss(output, target) -> float``: the mean over the n examples of
the batch of a per-example loss (the empirical risk of 陈强 (15.21)); ``loss.gradient(output,
target)`` is ∂loss/∂output, of the output's shape and already divided by n — where
backpropagation starts. Both check their arguments; a training step, whose output and targets
are checked already, asks for both at once, unchecked: ``loss.value_and_gradient(output,
target)``. Each loss also owns what a model needs to know about it:

* ``check_targets(y, output_shape)`` — targets validated (shape, range, one-hot rows) and
  reshaped to the model's output, with an error that says what was expected;
* ``fused_with(activation)`` — the twin that takes the *logits* when the output layer's
  activation pairs with this loss (softmax with categorical cross-entropy, sigmoid with binary
  cross-entropy): its gradient is p − y, stable for any logit;
* ``from_logits`` — whether ``output`` holds logits (for accuracy thresholds).

So a model gains a loss without being edited. Conventions differ by a factor: Nielsen's
quadratic cost keeps a ½ (``"quadratic"``), 陈强's squared loss (15.22) does not (``"mse"``).
"""

from __future__ import annotations

import numpy as np

from nnbook.functional.activations import sigmoid, softmax
from nnbook.validation import as_float_array

# --- Nielsen's quadratic cost, as plain functions ---------------------------------------------


def _pair(a, y):
    a = as_float_array(a, "a (network output)", ndim=(1, 2))
    y = as_float_array(y, "y (desired output)", ndim=(1, 2))
    if a.shape != y.shape:
        raise ValueError(f"a and y must have the same shape; found a {a.shape} and y {y.shape}")
    if a.size == 0:
        raise ValueError(f"a and y: expected at least one example and one output, found shape "
                         f"{a.shape}")
    return np.atleast_2d(a), np.atleast_2d(y)


def quadratic_cost_per_example(a, y) -> np.ndarray:
    """C_x = ‖y(x) − a‖² / 2 for every example (Nielsen §1.5, the decomposition before eq. (18)).

    a, y: (n, k) — one row per example, k outputs — or (k,) for one example; returns (n,).
    """
    a, y = _pair(a, y)
    return 0.5 * np.sum((y - a) ** 2, axis=1)


def quadratic_cost(a, y) -> float:
    """C = (1/2n) Σ_x ‖y(x) − a‖² — Nielsen eq. (6), the mean squared error (均方误差)."""
    return float(np.mean(quadratic_cost_per_example(a, y)))


def quadratic_cost_gradient(a, y) -> np.ndarray:
    """∂C_x/∂a = a − y for each example (the output-layer factor of backpropagation)."""
    a, y = _pair(a, y)
    return a - y


# --- loss objects -------------------------------------------------------------------------------

#: Probabilities are clipped to [floor, 1 − floor] before taking logs (``from_logits=False``
#: only), so an output of exactly 0 or 1 gives a large finite loss: 1e-12 in float64, 1e-7 (Keras'
#: epsilon) in float32, where 1 − 1e-12 would round to 1.
PROBABILITY_FLOOR = {np.dtype(np.float64): 1e-12, np.dtype(np.float32): 1e-7}


def _clip(p, upper: bool = True):
    floor = PROBABILITY_FLOOR[p.dtype]
    return np.clip(p, floor, 1.0 - floor if upper else 1.0)


def _check_unit_interval(values, what):
    if np.any(values < 0) or np.any(values > 1):
        bad = values[(values < 0) | (values > 1)][0]
        raise ValueError(f"{what}: expected values in [0, 1], found {bad!r}")


def _check_from_logits(from_logits):
    if not isinstance(from_logits, (bool, np.bool_)):
        raise TypeError(f"from_logits: expected True or False, found {from_logits!r}")
    return bool(from_logits)


class Loss:
    """Base class. Shapes: ``output`` and ``target`` are (n, k) — n ≥ 1 examples, k outputs —
    or (n,) for one output per example (not for the categorical loss)."""

    name = "loss"
    from_logits = False
    #: Accepted target dimensionalities (the categorical loss needs (n, K)).
    target_ndim: tuple[int, ...] = (1, 2)

    def __call__(self, output, target) -> float:
        output, target = self._checked(output, target)
        return float(np.sum(self._per_entry(output, target)) / output.shape[0])

    def gradient(self, output, target) -> np.ndarray:
        output, target = self._checked(output, target)
        with np.errstate(under="ignore"):
            return self._gradient(output, target) / output.shape[0]

    def value_and_gradient(self, output, target) -> tuple[float, np.ndarray]:
        """``(loss(output, target), gradient(output, target))`` without checking the arrays: for
        a model's outputs and targets it has checked (see :meth:`check_targets`).

        The same numbers as the two checked calls. A subclass that redefines ``__call__`` or
        ``gradient`` is served by them (checked).
        """
        if type(self).__call__ is not Loss.__call__ or type(self).gradient is not Loss.gradient:
            return self(output, target), self.gradient(output, target)
        n = output.shape[0]
        with np.errstate(under="ignore"):
            per_entry, gradient = self._per_entry_and_gradient(output, target)
            return float(np.sum(per_entry) / n), gradient / n

    def _per_entry(self, output, target) -> np.ndarray:
        raise NotImplementedError

    def _per_entry_and_gradient(self, output, target):
        """(``_per_entry``, ``_gradient``) together; losses whose two share work override it."""
        return self._per_entry(output, target), self._gradient(output, target)

    def _gradient(self, output, target) -> np.ndarray:
        """∂(Σ per-entry loss)/∂output, before the division by n."""
        raise NotImplementedError

    def _check_values(self, output, target) -> None:
        """Value checks specific to the loss (ranges, row sums); shapes are checked already."""

    def _checked(self, output, target):
        name = type(self).__name__
        output = as_float_array(output, f"{name}: output", ndim=self.target_ndim)
        target = as_float_array(target, f"{name}: target", ndim=self.target_ndim)
        if output.shape != target.shape:
            raise ValueError(f"{name}: output and target must have the same shape; found output "
                             f"{output.shape} and target {target.shape}")
        if output.shape[0] == 0:
            raise ValueError(f"{name}: expected at least one example, found an empty batch")
        self._check_values(output, target)
        return output, target

    def check_targets(self, y, output_shape) -> np.ndarray:
        """Targets ``y`` for a model whose examples come out with shape ``output_shape``.

        (n,) targets become (n, 1) when the model has one output; anything else must already be
        ``(n, *output_shape)``. Raises ValueError naming what was expected.
        """
        name = type(self).__name__
        output_shape = tuple(output_shape)
        Y = as_float_array(y, "y")
        if Y.ndim == 1 and output_shape == (1,):
            Y = Y.reshape(-1, 1)
        if Y.ndim == 0 or Y.shape[1:] != output_shape:
            expected = ", ".join(map(str, output_shape))
            raise ValueError(f"y: the model outputs shape (n, {expected}) and {name} compares "
                             f"targets of that shape, found targets of shape {Y.shape}")
        if Y.shape[0] == 0:
            raise ValueError("y: expected at least one target, found an empty array")
        self._check_values(Y, Y)
        return Y

    def fused_with(self, activation: str | None):
        """The from-logits twin when ``activation`` is this loss's natural output, else None."""
        return None

    def __repr__(self):
        return f"{type(self).__name__}()"


class MeanSquaredError(Loss):
    """L = (1/n) Σ_i ‖y_i − ŷ_i‖²: the squared loss of 陈强 (15.22), **without** a factor ½.

    Summed over the k outputs of an example, averaged over the n examples (for one output this
    is exactly 陈强 (15.22)). Gradient: ∂L/∂ŷ_i = 2(ŷ_i − y_i)/n.
    """

    name = "mse"

    def _per_entry(self, output, target):
        return (target - output) ** 2

    def _gradient(self, output, target):
        return 2.0 * (output - target)


class QuadraticCost(Loss):
    """C = (1/2n) Σ_x ‖y(x) − a‖²: Nielsen's eq. (6), half of :class:`MeanSquaredError`.

    Gradient (a − y)/n, so a plain gradient step with learning rate η is Nielsen's eqs.
    (20)–(21). Same numbers as :func:`quadratic_cost`.
    """

    name = "quadratic"

    def _per_entry(self, output, target):
        return 0.5 * (target - output) ** 2

    def _gradient(self, output, target):
        return output - target


class _CrossEntropy(Loss):
    """A cross-entropy that takes probabilities, or logits with ``from_logits=True``.

    ``natural_activation`` is the output activation that turns logits into its probabilities;
    when the model's last layer ends with it, the model uses the from-logits twin instead.
    """

    natural_activation = ""

    def __init__(self, from_logits=False):
        self.from_logits = _check_from_logits(from_logits)

    def fused_with(self, activation):
        if not self.from_logits and activation == self.natural_activation:
            return type(self)(from_logits=True)
        return None

    def __repr__(self):
        return f"{type(self).__name__}(from_logits={self.from_logits})"


class BinaryCrossEntropy(_CrossEntropy):
    """L = −(1/n) Σ_i [y_i ln ŷ_i + (1 − y_i) ln(1 − ŷ_i)] (陈强 (15.23)), targets y in [0, 1].

    ``from_logits=False``: ``output`` holds probabilities ŷ in [0, 1] (a sigmoid output),
    clipped to [floor, 1 − floor]; gradient (ŷ − y) / (ŷ(1 − ŷ) n).
    ``from_logits=True``: ``output`` holds logits z with ŷ = Λ(z); the loss is computed as
    softplus(z) − y z (exact, stable for |z| up to 1e4 and beyond) and the gradient is
    (Λ(z) − y)/n. With k > 1 columns the k losses are summed per example.
    """

    name = "binary_crossentropy"
    natural_activation = "sigmoid"

    def _check_values(self, output, target):
        name = type(self).__name__
        _check_unit_interval(target, f"{name}: target")
        if not self.from_logits:
            _check_unit_interval(output, f"{name}: output (probabilities; pass from_logits=True "
                                         "for logits)")

    def _per_entry(self, output, target):
        with np.errstate(under="ignore"):
            if self.from_logits:
                return np.logaddexp(0.0, output) - target * output
            p = _clip(output)
            return -(target * np.log(p) + (1.0 - target) * np.log1p(-p))

    def _gradient(self, output, target):
        if self.from_logits:
            return sigmoid(output) - target
        p = _clip(output)
        return (p - target) / (p * (1.0 - p))


class CategoricalCrossEntropy(_CrossEntropy):
    """L = −(1/n) Σ_i Σ_k y_ik ln p_ik for (n, K) one-hot (or probability) targets (陈强 §15.15).

    ``from_logits=False``: ``output`` holds probabilities p (rows of a softmax), clipped below at
    the floor; gradient −y/(p n). ``from_logits=True``: ``output`` holds logits z and
    p = softmax(z) is applied inside through ln p = z − logsumexp(z), so logits of ±1e4 give a
    finite loss; the gradient is (softmax(z) − y)/n (softmax + cross-entropy gives p − y).
    Every target row must sum to 1.
    """

    name = "categorical_crossentropy"
    natural_activation = "softmax"
    target_ndim = (2,)

    def _check_values(self, output, target):
        name = type(self).__name__
        _check_unit_interval(target, f"{name}: target")
        sums = target.sum(axis=1)
        if not np.allclose(sums, 1.0, rtol=0, atol=1e-6):
            row = int(np.argmax(np.abs(sums - 1.0)))
            raise ValueError(f"{name}: every target row must sum to 1 (one-hot labels, e.g. "
                             f"nnbook.data.one_hot); row {row} sums to {sums[row]!r}")
        if not self.from_logits:
            _check_unit_interval(output, f"{name}: output (probabilities; pass from_logits=True "
                                         "for logits)")

    def check_targets(self, y, output_shape):
        Y = as_float_array(y, "y")
        if Y.ndim == 1:
            k = ", ".join(map(str, output_shape))
            raise ValueError(f"y: CategoricalCrossEntropy expects one-hot targets of shape (n, {k}),"
                             f" found shape {Y.shape}; encode class labels with "
                             f"nnbook.data.one_hot(labels, {k})")
        return super().check_targets(Y, output_shape)

    def _per_entry(self, output, target):
        if self.from_logits:
            shifted = output - output.max(axis=1, keepdims=True)
            with np.errstate(under="ignore"):
                log_p = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
        else:
            log_p = np.log(_clip(output, upper=False))
        return -target * log_p

    def _gradient(self, output, target):
        if self.from_logits:
            return softmax(output, axis=1) - target
        return -target / _clip(output, upper=False)

    def _per_entry_and_gradient(self, output, target):
        """From logits, one softmax serves both: ln p = z − logsumexp(z) and p − y."""
        if not self.from_logits:
            return super()._per_entry_and_gradient(output, target)
        shifted = output - output.max(axis=1, keepdims=True)
        e = np.exp(shifted)
        total = np.sum(e, axis=1, keepdims=True)
        return -target * (shifted - np.log(total)), e / total - target



#: name → loss class, with the Keras names used in 陈强 §15.13–§15.15 and Nielsen's cost.
LOSSES = {
    "mse": MeanSquaredError,
    "mean_squared_error": MeanSquaredError,
    "quadratic": QuadraticCost,
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
