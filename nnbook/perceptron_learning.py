"""Perceptron learning: the M-P neuron, Rosenblatt's rule, its convergence bound, and XOR.

陈强《机器学习及Python应用》§15.1–§15.3, equations (15.1)–(15.9).

Conventions (the source's, made exact):

* Labels are y ∈ {−1, +1} (§15.2); the logic-gate truth tables use TRUE = 1, FALSE = 0 and are
  recoded as +1 / −1 for learning.
* Prediction is f(x) = sign(w'x + b) with sign(0) = +1 (15.7)–(15.8), unlike ``np.sign(0) == 0``.
* During learning a point counts as misclassified when y_i (b + w'x_i) ≤ 0. The source writes
  "< 0" for "wrong"; with "< 0" the usual start w = 0, b = 0 would already have an empty
  misclassified set 𝓜 and the algorithm would stop at once. Learning stops when 𝓜 is empty —
  not when the loss (15.2) is 0, because points on the boundary add 0 to the loss (see
  :class:`PerceptronClassifier`).
* Shapes: X is (n, p) with one example per row; w is (p,); b is a float.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from nnbook.activations import sign, step
from nnbook.perceptron import Perceptron, PerceptronNetwork
from nnbook.validation import as_float_array, check_matching_rows, check_positive

LOGIC_GATES = {
    "AND": (0, 0, 0, 1),
    "OR": (0, 1, 1, 1),
    "NAND": (1, 1, 1, 0),
    "XOR": (0, 1, 1, 0),
}
"""Truth tables of figure 15.3 (§15.2 例), outputs for the inputs (0,0), (0,1), (1,0), (1,1)."""

GATE_INPUTS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])


class MPNeuron(Perceptron):
    """The McCulloch–Pitts neuron (15.1): output I(Σ w_i x_i + b > 0) ∈ {0, 1}.

    weights (p,), bias b (the threshold is −b). The parameters are fixed by hand; the neuron
    does not learn (§15.1). Same rule as :class:`nnbook.perceptron.Perceptron`; ``output(x)``
    takes x (p,) → int or (n, p) → int array.
    """

    def __repr__(self):
        return f"MPNeuron(weights={self.weights.tolist()}, bias={self.bias:g})"


def gate_dataset(name: str):
    """The four points of a logic gate (figure 15.3) with labels recoded to {−1, +1}.

    Returns X (4, 2) float and y (4,) int with +1 for TRUE and −1 for FALSE.
    """
    key = str(name).upper()
    if key not in LOGIC_GATES:
        raise ValueError(f"name: expected one of {sorted(LOGIC_GATES)}, found {name!r}")
    y = np.where(np.array(LOGIC_GATES[key]) == 1, 1, -1)
    return GATE_INPUTS.copy(), y


def _check_data(X, y):
    X = as_float_array(X, "X", ndim=2)
    y = as_float_array(y, "y", ndim=1)
    check_matching_rows(X, y, "X", "y")
    if X.shape[0] == 0:
        raise ValueError("X: expected at least one example, found 0 rows")
    bad = ~np.isin(y, (-1.0, 1.0))
    if np.any(bad):
        i = int(np.argmax(bad))
        raise ValueError(f"y: expected labels in {{-1, +1}} (§15.2), found {y[i]!r} at index {i}; "
                         "recode 0/1 labels as 2*y - 1")
    return X, y.astype(np.int64)


def perceptron_loss(X, y, weights, bias) -> float:
    """L(w, b) = −Σ_{i∈𝓜} y_i (b + w'x_i) (15.2), 𝓜 = {i : y_i (b + w'x_i) ≤ 0}.

    X (n, p), y (n,) in {−1, +1}, weights (p,). Always ≥ 0; points exactly on the boundary
    are in 𝓜 but add 0.
    """
    X, y = _check_data(X, y)
    margins = y * (X @ _check_weights(weights, X.shape[1]) + float(bias))
    return 0.0 - float(np.sum(margins[margins <= 0]))


def misclassified(X, y, weights, bias) -> np.ndarray:
    """Indices of 𝓜 = {i : y_i (b + w'x_i) ≤ 0}, the set summed over in (15.2)–(15.6)."""
    X, y = _check_data(X, y)
    margins = y * (X @ _check_weights(weights, X.shape[1]) + float(bias))
    return np.flatnonzero(margins <= 0)


def _check_weights(weights, p):
    w = as_float_array(weights, "weights", ndim=1)
    if w.shape != (p,):
        raise ValueError(f"weights: expected shape ({p},) to match X's {p} features, "
                         f"found {w.shape}")
    return w


class PerceptronClassifier:
    """Rosenblatt's perceptron trained by the rules (15.5)–(15.6), predicting by (15.7)–(15.8).

    eta : learning rate η > 0.
    max_iter : batch mode — the largest number of updates; online mode — the largest number of
        passes (epochs) over the data.
    mode : ``"batch"`` — one update per iteration with the sum over the whole misclassified set,
        w ← w + η Σ_{𝓜} y_i x_i, b ← b + η Σ_{𝓜} y_i (15.5)–(15.6);
        ``"online"`` — visit the points one at a time and update on each mistake,
        w ← w + η y_i x_i, b ← b + η y_i (the classical rule the source describes in words).
    rng : numpy Generator; in online mode each pass visits the points in ``rng.permutation``
        order (None: in index order).
    initial_weights, initial_bias : the start (w₀, b₀) (default zeros).

    After ``fit``: ``weights_`` (p,), ``bias_``, ``converged_`` (True iff 𝓜 became empty),
    ``n_updates_`` (parameter updates made; in online mode = the number of mistakes),
    ``n_iter_`` (updates in batch mode, passes in online mode), ``loss_history_`` (the loss
    (15.2) before each batch update or at the start of each pass, and once more at the end) and
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
        X, y = _check_data(X, y)
        n, p = X.shape
        if self.initial_weights is None:
            w = np.zeros(p)
        else:
            w = _check_weights(self.initial_weights, p).copy()
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
                w = w + eta * (y[wrong] @ X[wrong])  # (15.5)
                b = b + eta * float(np.sum(y[wrong]))  # (15.6)
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
        return X @ _check_weights(self.weights_, X.shape[1]) + self.bias_

    def predict(self, X):
        """sign(w'x + b) with sign(0) = +1 (15.7)–(15.8): int array (n,) of ±1."""
        return sign(self.decision_function(X)).astype(np.int64)

    def score(self, X, y) -> float:
        """Fraction of examples classified correctly."""
        X, y = _check_data(X, y)
        return float(np.mean(self.predict(X) == y))


def novikoff_bound(X, y, weights, bias) -> float:
    """Novikoff's bound (R/γ)² on the number of online-perceptron mistakes (§15.2, "可以证明").

    With x̃ = (x, 1) and the unit vector u = (w, b)/‖(w, b)‖ of any separating (w, b):
    R = max_i ‖x̃_i‖ and γ = min_i y_i u'x̃_i > 0. The online rule started from w = 0, b = 0
    makes at most (R/γ)² updates, for any η > 0 (scaling η scales w and b alike). X (n, p),
    y (n,) in {−1, +1}, weights (p,). Raises ValueError when (w, b) does not separate the data.
    """
    X, y = _check_data(X, y)
    w = _check_weights(weights, X.shape[1])
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


def make_separable(n, d, margin, rng):
    """Random linearly separable data: n points in [−1, 1]^d at distance ≥ margin from a plane.

    A random unit normal w* and offset b* ∈ [−0.25, 0.25] define the plane w*'x + b* = 0;
    points closer than ``margin`` are rejected and redrawn; y = sign(w*'x + b*).
    Returns X (n, d), y (n,) in {−1, +1}, w* (d,), b*. Requires 0 < margin < 0.5.
    """
    check_positive(n, "n", integer=True)
    check_positive(d, "d", integer=True)
    check_positive(margin, "margin")
    if margin >= 0.5:
        raise ValueError(f"margin: expected a value in (0, 0.5), found {margin!r}")
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng: expected a numpy Generator, found {type(rng).__name__}")
    w = rng.normal(size=d)
    w /= np.linalg.norm(w)
    b = float(rng.uniform(-0.25, 0.25))
    kept = []
    total = 0
    for _ in range(10_000):
        candidates = rng.uniform(-1.0, 1.0, size=(max(2 * n, 64), d))
        keep = candidates[np.abs(candidates @ w + b) >= margin]
        kept.append(keep)
        total += len(keep)
        if total >= n:
            break
    else:
        raise ValueError(f"margin: could not draw {n} points at distance ≥ {margin} in "
                         f"{d} dimensions; use a smaller margin")
    X = np.concatenate(kept)[:n]
    y = np.where(X @ w + b >= 0, 1, -1)
    return X, y, w, b


@dataclass(frozen=True)
class SeparabilityCertificate:
    """Exact proof that no (w, b) separates labelled points (Gordan's alternative).

    forms : the sympy linear forms ℓ_i(w, b) = y_i (w'x_i + b), one per point; separation needs
        ℓ_i > 0 for every i (or ℓ_i ≥ 0 for y_i = +1 under sign(0) = +1 (15.8), with the −1
        points strict).
    multipliers : rational λ_i ≥ 0, not all 0.
    combination : Σ λ_i ℓ_i expanded — identically 0.
    A separating (w, b) would make the combination > 0 (every weighted term ≥ 0 and one with
    λ_i > 0 on a strict inequality is > 0), yet it equals 0: no such (w, b) exists.
    """

    points: tuple
    labels: tuple
    forms: tuple
    multipliers: tuple
    combination: object

    @property
    def holds(self) -> bool:
        """True when every check of the proof passes (recomputed, exact arithmetic)."""
        import sympy

        nonneg = all(lam >= 0 for lam in self.multipliers)
        strict_used = any(lam > 0 and y == -1 for lam, y in zip(self.multipliers, self.labels))
        total = sympy.expand(sum(lam * f for lam, f in zip(self.multipliers, self.forms)))
        return bool(nonneg and strict_used and total == 0)

    def explain(self) -> str:
        lines = [f"  {lam} × ({f}) {'>' if y == -1 else '≥'} 0"
                 for lam, f, y in zip(self.multipliers, self.forms, self.labels)]
        return ("If (w, b) separated the points, then\n" + "\n".join(lines)
                + "\nand adding them would give a number > 0; but the weighted sum is "
                f"{self.combination} for every (w, b): impossible.")


def separability_certificate(X, y):
    """Search, in exact rational arithmetic, for a proof that (X, y) is not linearly separable.

    Builds the matrix A (p+1, n) with columns y_i x̃_i (x̃ = (x, 1)) and takes its null space
    with sympy. When the null space is one-dimensional and spanned by a vector of one sign,
    that vector (scaled to non-negative integers) is the certificate: Σ λ_i y_i x̃_i = 0.
    Returns a :class:`SeparabilityCertificate`, or None when the null space has no such vector
    (for instance AND/OR/NAND, which are separable). Raises ValueError when the null space has
    dimension > 1 (this exact search does not cover that case).
    """
    import sympy

    X, y = _check_data(X, y)
    n, p = X.shape
    rows = [[Fraction(v).limit_denominator() for v in row] for row in X]
    A = sympy.Matrix([[sympy.Rational(y[i]) * sympy.Rational(v) for v in list(rows[i]) + [1]]
                      for i in range(n)]).T
    null = A.nullspace()
    if len(null) == 0:
        return None
    if len(null) > 1:
        raise ValueError(f"the null space of the {p + 1}×{n} constraint matrix has dimension "
                         f"{len(null)}; this exact search handles dimension 1 only")
    vector = null[0]
    if all(v <= 0 for v in vector):
        vector = -vector
    if not all(v >= 0 for v in vector):
        return None
    denominators = [sympy.fraction(v)[1] for v in vector]
    vector = vector * sympy.ilcm(*denominators)
    vector = vector / sympy.igcd(*[int(v) for v in vector])
    symbols = sympy.symbols(f"w1:{p + 1}") + (sympy.Symbol("b"),)
    forms = tuple(sympy.expand(int(y[i]) * (sum(sympy.Rational(rows[i][k]) * symbols[k]
                                                for k in range(p)) + symbols[-1]))
                  for i in range(n))
    multipliers = tuple(sympy.Integer(v) for v in vector)
    combination = sympy.expand(sum(lam * f for lam, f in zip(multipliers, forms)))
    return SeparabilityCertificate(tuple(tuple(r) for r in rows), tuple(int(v) for v in y),
                                   forms, multipliers, combination)


def xor_separability_certificate() -> SeparabilityCertificate:
    """Proof by code that no (w, b) separates XOR (§15.2 例, figure 15.3).

    The four conditions y_i (w1 x_i1 + w2 x_i2 + b) > 0 read −b > 0, w2 + b > 0, w1 + b > 0,
    −w1 − w2 − b > 0; the null-space search finds the multipliers (1, 1, 1, 1), whose sum of
    the four forms is identically 0 — so 0 > 0. Checked with sympy in exact arithmetic.
    """
    certificate = separability_certificate(*gate_dataset("XOR"))
    if certificate is None or not certificate.holds:  # pragma: no cover - a broken proof
        raise AssertionError("the XOR certificate did not verify")
    return certificate


def brute_force_separators(X, y, values=None) -> int:
    """Count the (w, b) on the grid values^(p+1) with y_i (w'x_i + b) > 0 for every i.

    A sanity sweep beside the exact certificate: 0 for XOR, > 0 for AND/OR/NAND on the
    default grid values = −2, −1.75, …, 2 (step 0.25).
    """
    X, y = _check_data(X, y)
    values = np.linspace(-2.0, 2.0, 17) if values is None else as_float_array(values, "values",
                                                                                ndim=1)
    grid = np.array(list(itertools.product(values, repeat=X.shape[1] + 1)))  # (g, p+1)
    margins = y[None, :] * (grid[:, :-1] @ X.T + grid[:, -1:])
    return int(np.count_nonzero(np.all(margins > 0, axis=1)))


@dataclass(frozen=True, eq=False)
class TwoLayerNetwork:
    """The 2-hidden-unit network of (15.9), figure 15.5, in the source's index convention.

    weights1 (p, 2): column i holds w_{ji} from input j to hidden unit i (the first index is the
    source, §15.3 and (15.24)); bias1 (2,); weights2 (2,) = (w₁⁽²⁾, w₂⁽²⁾); bias2 = b⁽²⁾.
    ŷ = f(b⁽²⁾ + w₁⁽²⁾ f(z₁) + w₂⁽²⁾ f(z₂)) with z_i = b_i + Σ_j w_{ji} x_j.
    """

    weights1: np.ndarray
    bias1: np.ndarray
    weights2: np.ndarray
    bias2: float

    def output(self, X, activation=step, scale: float = 1.0):
        """ŷ for X (n, p) or (p,) with activation f (default the indicator of (15.1)).

        ``scale`` multiplies every weight and bias first (use a sigmoid with a large scale to
        get a smooth network with the same decisions).
        """
        X = as_float_array(X, "X", ndim=(1, 2))
        if X.shape[-1] != self.weights1.shape[0]:
            raise ValueError(f"X: expected {self.weights1.shape[0]} features per example, "
                             f"found shape {X.shape}")
        hidden = activation(scale * (X @ self.weights1 + self.bias1))
        return activation(scale * (hidden @ self.weights2 + self.bias2))

    def as_perceptron_network(self) -> PerceptronNetwork:
        """The same network as :class:`nnbook.perceptron.PerceptronNetwork` ((n_out, n_in))."""
        return PerceptronNetwork([self.weights1.T, self.weights2[None, :]],
                                 [self.bias1, np.array([self.bias2])])


def xor_network() -> TwoLayerNetwork:
    """A 2-2-1 network (15.9) computing XOR with indicator (M-P) units.

    Hidden unit 1 is OR (x1 + x2 − 0.5 > 0), hidden unit 2 is NAND (−x1 − x2 + 1.5 > 0), the
    output is AND of the two (h1 + h2 − 1.5 > 0): XOR = OR ∧ NAND. These weights are our
    choice; the source gives none.
    """
    return TwoLayerNetwork(weights1=np.array([[1.0, -1.0], [1.0, -1.0]]),
                           bias1=np.array([-0.5, 1.5]),
                           weights2=np.array([1.0, 1.0]),
                           bias2=-1.5)

