"""Perceptron learning: Rosenblatt's rule and its convergence bound (Novikoff).

陈强《机器学习及Python应用》§15.1–§15.3, equations (15.1)–(15.9).

Conventions (the source's, made exact):

* Labels are y ∈ {−1, +1} (陈强 §15.2); the logic-gate truth tables of
  :mod:`nnbook.models.logic_gates` use TRUE = 1, FALSE = 0 and are recoded as +1 / −1.
* Prediction is f(x) = sign(w'x + b) with sign(0) = +1 陈强 (15.7)–(15.8), unlike ``np.sign(0) == 0``.
* During learning a point counts as misclassified when y_i (b + w'x_i) ≤ 0. The source writes
  "< 0" for "wrong"; with "< 0" the usual start w = 0, b = 0 would already have an empty
  misclassified set 𝓜 and the algorithm would stop at once. Learning stops when 𝓜 is empty —
  not when the loss 陈强 (15.2) is 0, because points on the boundary add 0 to the loss (see
  :class:`PerceptronClassifier`).
* Shapes: X is (n, p) with one example per row; w is (p,); b is a float.
"""

from __future__ import annotations

import numpy as np

from nnbook.functional.activations import sign
from nnbook.validation import as_float_array, check_matching_rows, check_positive


def check_signed_labels(X, y):
    """X (n, p) float and y (n,) int in {−1, +1} (陈强 §15.2's labels), or a clear error."""
    X = as_float_array(X, "X", ndim=2)
    y = as_float_array(y, "y", ndim=1)
    check_matching_rows(X, y, "X", "y")
    if X.shape[0] == 0:
        raise ValueError("X: expected at least one example, found 0 rows")
    bad = ~np.isin(y, (-1.0, 1.0))
    if np.any(bad):
        i = int(np.argmax(bad))
        raise ValueError(f"y: expected labels in {{-1, +1}} (陈强 §15.2), found {y[i]!r} at index {i}; "
                         "recode 0/1 labels as 2*y - 1")
    return X, y.astype(np.int64)


def perceptron_loss(X, y, weights, bias) -> float:
    """L(w, b) = −Σ_{i∈𝓜} y_i (b + w'x_i) 陈强 (15.2), 𝓜 = {i : y_i (b + w'x_i) ≤ 0}.

    X (n, p), y (n,) in {−1, +1}, weights (p,). Always ≥ 0; points exactly on the boundary
    are in 𝓜 but add 0.
    """
    X, y = check_signed_labels(X, y)
    margins = y * (X @ check_weights(weights, X.shape[1]) + float(bias))
    return 0.0 - float(np.sum(margins[margins <= 0]))


def misclassified(X, y, weights, bias) -> np.ndarray:
    """Indices of 𝓜 = {i : y_i (b + w'x_i) ≤ 0}, the set summed over in 陈强 (15.2)–(15.6)."""
    X, y = check_signed_labels(X, y)
    margins = y * (X @ check_weights(weights, X.shape[1]) + float(bias))
    return np.flatnonzero(margins <= 0)


def check_weights(weights, p):
    """weights as a float vector of length p (one per feature), or a clear ValueError."""
    w = as_float_array(weights, "weights", ndim=1)
    if w.shape != (p,):
        raise ValueError(f"weights: expected shape ({p},) to match X's {p} features, "
                         f"found {w.shape}")
    return w


class PerceptronClassifier:
    """Rosenblatt's perceptron trained by the rules 陈强 (15.5)–(15.6), predicting by (15.7)–(15.8).

    eta : learning rate η > 0.

    max_iter : batch mode — the largest number of updates; online mode — the largest number of
        passes (epochs) over the data.
    mode : ``"batch"`` — one update per iteration with the sum over the whole misclassified set,
        w ← w + η Σ_{𝓜} y_i x_i, b ← b + η Σ_{𝓜} y_i 陈强 (15.5)–(15.6);
        ``"online"`` — visit the points one at a time and update on each mistake,
        w ← w + η y_i x_i, b ← b + η y_i (the classical rule the source describes in words).
    rng : numpy Generator; in online mode each pass visits the points in ``rng.permutation``
        order (None: in index order).

    initial_weights, initial_bias : the start (w₀, b₀) (default zeros).

    After ``fit``: ``weights_`` (p,), ``bias_``, ``converged_`` (True iff 𝓜 became empty),
    ``n_updates_`` (parameter updates made; in online mode = the number of mistakes),
    ``n_iter_`` (updates in batch mode, passes in online mode), ``loss_history_`` (the loss
    陈强 (15.2) before each batch update or at the start of each pass, and once more at the end) and
    ``mistakes_history_`` (|𝓜| at the same moments).

    Note: the stopping rule is 𝓜 = ∅, not L = 0. On XOR started from w = 0, b = 0 the batch sum
    Σ_𝓜 y_i x̃_i is exactly 0, so the parameters never move: the loss stays 0 while all four
    points lie on the boundary and remain misclassified.
    """

    def __init__(self, eta=1.0, max_iter=1000, mode="batch", rng=None, *, initial_weights=None,
                 initial_bias=0.0):
        self.eta = check_positive(eta, "eta")
        self.max_iter = check_positive(max_iter, "max_iter", integer=True)
        if mode not in ("batch", "online"):
            raise ValueError(f"mode: expected 'batch' or 'online', found {mode!r}")
        self.mode = mode
        if rng is not None and not isinstance(rng, np.random.Generator):
            raise TypeError(f"rng: expected a numpy Generator (np.random.default_rng(seed)) or "
                            f"None, found {type(rng).__name__}")
        self.rng = rng
        self.initial_weights = initial_weights
        self.initial_bias = float(as_float_array(initial_bias, "initial_bias", ndim=0))

    def fit(self, X, y):
        """Learn (w, b) from X (n, p) and y (n,) in {−1, +1}; returns self."""
        X, y = check_signed_labels(X, y)
        n, p = X.shape
        if self.initial_weights is None:
            w = np.zeros(p)
        else:
            w = check_weights(self.initial_weights, p).copy()
        b = self.initial_bias
        eta = float(self.eta)
        losses, mistakes = [], []
        n_updates = 0
        converged = False

        def record():
            margins = y * (X @ w + b)
            wrong = margins <= 0
            losses.append(0.0 - float(np.sum(margins[wrong])))
            mistakes.append(int(np.count_nonzero(wrong)))
            return wrong

        iterations = 0
        while True:
            wrong = record()
            if not wrong.any():
                converged = True
                break
            if iterations == self.max_iter:
                break
            if self.mode == "batch":
                w = w + eta * (y[wrong] @ X[wrong])  # 陈强 (15.5)
                b = b + eta * float(np.sum(y[wrong]))  # 陈强 (15.6)
                n_updates += 1
            else:
                order = np.arange(n) if self.rng is None else self.rng.permutation(n)
                for i in order:
                    if y[i] * (X[i] @ w + b) <= 0:  # one point at a time
                        w = w + eta * y[i] * X[i]
                        b = b + eta * float(y[i])
                        n_updates += 1
            iterations += 1

        self.weights_ = w
        self.bias_ = float(b)
        self.converged_ = bool(converged)
        self.n_updates_ = int(n_updates)
        self.n_iter_ = int(iterations)
        self.loss_history_ = losses
        self.mistakes_history_ = mistakes
        return self

    def _check_fitted(self):
        if not hasattr(self, "weights_"):
            raise RuntimeError("this PerceptronClassifier is not fitted yet; call fit(X, y) first")

    def decision_function(self, X):
        """w'x + b for X (n, p) → (n,)."""
        self._check_fitted()
        X = as_float_array(X, "X", ndim=2)
        return X @ check_weights(self.weights_, X.shape[1]) + self.bias_

    def predict(self, X):
        """sign(w'x + b) with sign(0) = +1 陈强 (15.7)–(15.8): int array (n,) of ±1."""
        return sign(self.decision_function(X)).astype(np.int64)

    def score(self, X, y) -> float:
        """Fraction of examples classified correctly."""
        X, y = check_signed_labels(X, y)
        return float(np.mean(self.predict(X) == y))


def novikoff_bound(X, y, weights, bias) -> float:
    """Novikoff's bound (R/γ)² on the number of online-perceptron mistakes (陈强 §15.2, "可以证明").

    With x̃ = (x, 1) and the unit vector u = (w, b)/‖(w, b)‖ of any separating (w, b):
    R = max_i ‖x̃_i‖ and γ = min_i y_i u'x̃_i > 0. The online rule started from w = 0, b = 0
    makes at most (R/γ)² updates, for any η > 0 (scaling η scales w and b alike). X (n, p),
    y (n,) in {−1, +1}, weights (p,). Raises ValueError when (w, b) does not separate the data.
    """
    X, y = check_signed_labels(X, y)
    w = check_weights(weights, X.shape[1])
    augmented = np.hstack([w, float(bias)])
    norm = float(np.linalg.norm(augmented))
    if norm == 0.0:
        raise ValueError("weights, bias: expected a separating hyperplane, found w = 0 and b = 0")
    gamma = float(np.min(y * (X @ w + float(bias)))) / norm
    if gamma <= 0:
        raise ValueError(f"weights, bias: expected a hyperplane with y_i(w'x_i + b) > 0 for all "
                         f"i, found a margin of {gamma:.3g}")
    R = float(np.max(np.linalg.norm(np.hstack([X, np.ones((X.shape[0], 1))]), axis=1)))
    return (R / gamma) ** 2
