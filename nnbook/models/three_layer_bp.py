"""The three-layer BP network of 《深度学习与神经网络》第5章 (§5.2.4, Fig. 5-7), one sample at a time.

An n-m-l network of sigmoid units in which every unit has both a bias b and a threshold θ, as
the book has them:

    net⁰_j = Σ_i w⁰_ji x_i + b⁰_j,   h_j = f(net⁰_j − θ⁰_j)          (5-2)
    net¹_k = Σ_j w¹_kj h_j + b¹_k,   o_k = f(net¹_k − θ¹_k)          (5-3)
    E = ½ Σ_k (d_k − o_k)²                                            (5-4)

Backpropagation per (5-11)–(5-17): δᵒ_k = (d_k − o_k) o_k (1 − o_k) (5-16) and
δʸ_j = (Σ_k δᵒ_k w¹_kj) h_j (1 − h_j) — (5-17) with its indices corrected (the book prints
w_jk and y_j). The updates (5-12) are Δw¹_kj = η δᵒ_k h_j and Δw⁰_ji = η δʸ_j x_i, and the bias
rules go to the right layers: Δb¹_k = η δᵒ_k, Δb⁰_j = η δʸ_j. The book prints these two with
swapped labels ((5-19) under the hidden layer, (5-21) under the output layer); ``book_literal=True``
applies them as printed, for the find-the-error exercise. The book gives no rule for θ; since θ
enters as net − θ, ∂E/∂θ = −∂E/∂b and the correct mode moves θ by −η δ (an addition). The
derivation itself is checked in :mod:`nnbook.symbolic.bp_three_layer`.

Shapes: W0 is (m, n) with W0[j, i] = w⁰_ji; W1 is (l, m) with W1[k, j] = w¹_kj; b0, theta0 (m,);
b1, theta1 (l,). One example is a vector x (n,) with target d (l,); a batch is (N, n), one row
per example.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass, field

import numpy as np

from nnbook.functional.activations import sigmoid
from nnbook.validation import as_float_array, check_positive

PARAMETERS = ("W0", "b0", "theta0", "W1", "b1", "theta1")


@dataclass(frozen=True)
class ForwardPass:
    """net⁰, h (5-2) and net¹, o (5-3) for one example (vectors) or a batch (one row each)."""

    net0: np.ndarray
    h: np.ndarray
    net1: np.ndarray
    o: np.ndarray


@dataclass
class TrainingResult:
    """What :meth:`ThreeLayerBPNet.train` did: the total error Σ_p E_p after every epoch."""

    errors: list = field(default_factory=list)
    converged: bool = False

    @property
    def epochs(self) -> int:
        return len(self.errors)


class ThreeLayerBPNet:
    """The n-m-l sigmoid network of Fig. 5-7 with biases b and thresholds θ in both layers.

    ``rng`` (a ``np.random.Generator``) draws every initial W, b and θ from U[−init_scale,
    init_scale] (the book says only "random or from experience"). ``book_literal=True`` makes
    :meth:`step` apply the bias rules as printed — the hidden bias moved by η δᵒ (5-19) and the
    output bias by η δʸ (5-21), which only type-checks when m = l — and leave θ alone (the book
    has no rule for it); that update is not the gradient of E.
    """

    def __init__(self, n_inputs: int, n_hidden: int, n_outputs: int, rng: np.random.Generator,
                 *, init_scale: float = 0.5, book_literal: bool = False):
        for value, what in ((n_inputs, "n_inputs"), (n_hidden, "n_hidden"),
                            (n_outputs, "n_outputs")):
            check_positive(value, what, integer=True)
        if not isinstance(rng, np.random.Generator):
            raise TypeError(f"rng: expected a numpy Generator (np.random.default_rng(seed)), "
                            f"found {type(rng).__name__}")
        check_positive(init_scale, "init_scale", allow_zero=True)
        if not isinstance(book_literal, (bool, np.bool_)):
            raise TypeError(f"book_literal: expected True or False, found {book_literal!r}")
        if book_literal and n_hidden != n_outputs:
            raise ValueError(f"book_literal: the printed bias rules (5-19)/(5-21) give the hidden "
                             f"bias δᵒ (length l = {n_outputs}) and the output bias δʸ (length "
                             f"m = {n_hidden}); they only fit when m = l")
        self.sizes = (int(n_inputs), int(n_hidden), int(n_outputs))
        self.book_literal = bool(book_literal)
        n, m, l = self.sizes

        def draw(*shape):
            return rng.uniform(-init_scale, init_scale, size=shape)

        self.W0, self.b0, self.theta0 = draw(m, n), draw(m), draw(m)
        self.W1, self.b1, self.theta1 = draw(l, m), draw(l), draw(l)
        self._last = None

    # --- forward and error ---------------------------------------------------------------

    def params(self) -> dict:
        """The six parameter arrays by name (the arrays themselves, not copies)."""
        return {name: getattr(self, name) for name in PARAMETERS}

    def _inputs(self, x) -> np.ndarray:
        x = as_float_array(x, "x", ndim=(1, 2), dtype=np.float64)
        n = self.sizes[0]
        if x.shape[-1] != n or x.shape[0] == 0:
            raise ValueError(f"x: expected one example of shape ({n},) or a batch (N, {n}) with "
                             f"N ≥ 1, found shape {x.shape}")
        return x

    def _targets(self, d, like: np.ndarray) -> np.ndarray:
        d = as_float_array(d, "d", dtype=np.float64)
        if d.shape != like.shape:
            raise ValueError(f"d: expected desired outputs of the output's shape {like.shape}, "
                             f"found {d.shape}")
        return d

    def forward(self, x) -> ForwardPass:
        """(net⁰, h, net¹, o) by (5-2)/(5-3); remembered for :meth:`loss` and :meth:`deltas`."""
        x = self._inputs(x)
        net0 = x @ self.W0.T + self.b0
        h = sigmoid.unchecked(net0 - self.theta0)
        net1 = h @ self.W1.T + self.b1
        o = sigmoid.unchecked(net1 - self.theta1)
        self._last = (x, ForwardPass(net0, h, net1, o))
        return self._last[1]

    def _forwarded(self):
        if self._last is None:
            raise RuntimeError("call forward(x) first: loss and deltas use its outputs")
        return self._last

    def loss(self, d) -> float:
        """E = ½ Σ_k (d_k − o_k)² (5-4) for the last forward; summed over the rows of a batch."""
        _, fp = self._forwarded()
        d = self._targets(d, fp.o)
        return float(0.5 * np.sum((d - fp.o) ** 2))

    def deltas(self, d) -> tuple[np.ndarray, np.ndarray]:
        """(δᵒ (l,), δʸ (m,)) of the last forward's example: (5-16) and the corrected (5-17).

        δᵒ_k = (d_k − o_k) o_k (1 − o_k) = −∂E/∂net¹_k;
        δʸ_j = (Σ_k δᵒ_k w¹_kj) h_j (1 − h_j) = −∂E/∂net⁰_j, with the current (pre-update) W1.
        """
        x, fp = self._forwarded()
        if x.ndim != 1:
            raise ValueError(f"deltas: the book's rules are per example; forward one example "
                             f"x of shape ({self.sizes[0]},), not a batch {x.shape}")
        d = self._targets(d, fp.o)
        delta_o = (d - fp.o) * fp.o * (1.0 - fp.o)
        delta_y = (self.W1.T @ delta_o) * fp.h * (1.0 - fp.h)
        return delta_o, delta_y

    def gradients(self, x, d) -> dict:
        """∂E/∂(each parameter) at one example, from the deltas (the oracle for :meth:`step`)."""
        fp = self.forward(x)
        x = self._last[0]
        delta_o, delta_y = self.deltas(d)
        return {"W0": -np.outer(delta_y, x), "b0": -delta_y, "theta0": delta_y,
                "W1": -np.outer(delta_o, fp.h), "b1": -delta_o, "theta1": delta_o}

    # --- learning ----------------------------------------------------------------------------

    def updates(self, x, d, eta) -> dict:
        """The changes Δ that :meth:`step` would add, by name (nothing is changed).

        Correct: Δ = −η ∂E/∂p for every parameter p (W by (5-12), b by (5-19)/(5-21) on the
        right layers, θ by −η δ). ``book_literal``: W by (5-12), Δb⁰ = η δᵒ and Δb¹ = η δʸ
        as printed, Δθ = 0.
        """
        eta = check_positive(eta, "eta")
        fp = self.forward(x)
        x = self._last[0]
        delta_o, delta_y = self.deltas(d)
        change = {"W1": eta * np.outer(delta_o, fp.h), "W0": eta * np.outer(delta_y, x)}
        if self.book_literal:
            change.update(b1=eta * delta_y, b0=eta * delta_o,
                          theta1=np.zeros_like(self.theta1), theta0=np.zeros_like(self.theta0))
        else:
            change.update(b1=eta * delta_o, b0=eta * delta_y,
                          theta1=-eta * delta_o, theta0=-eta * delta_y)
        return change

    def step(self, x, d, eta) -> float:
        """One per-sample update (5-12) on example (x, d); returns E before the update.

        δʸ is computed with the pre-update W1, as the derivation requires.
        """
        change = self.updates(x, d, eta)
        error = self.loss(d)
        for name, delta in change.items():
            getattr(self, name)[...] += delta
        return error

    def total_error(self, X, D) -> float:
        """Σ_p E_p over the rows of X (N, n) and D (N, l)."""
        self.forward(X)
        return self.loss(D)

    def train(self, X, D, eta, tol, max_epochs: int = 10_000) -> TrainingResult:
        """Per-sample BP over the rows of X (N, n), D (N, l), in order, epoch after epoch.

        Stops when the total error Σ_p E_p, measured after an epoch, is ≤ ``tol`` (converged)
        or after ``max_epochs`` epochs. The book's procedure: forward, error, deltas, update,
        "until the error meets the requirement".
        """
        X = as_float_array(X, "X", ndim=2, dtype=np.float64)
        D = as_float_array(D, "D", ndim=2, dtype=np.float64)
        if X.shape[0] == 0 or X.shape[0] != D.shape[0]:
            raise ValueError(f"X and D: expected the same number N ≥ 1 of rows (examples), found "
                             f"X {X.shape} and D {D.shape}")
        check_positive(tol, "tol", allow_zero=True)
        check_positive(max_epochs, "max_epochs", integer=True)
        if not isinstance(eta, numbers.Real):
            raise TypeError(f"eta: expected a real number, found {eta!r}")
        result = TrainingResult()
        for _ in range(max_epochs):
            for x, d in zip(X, D):
                self.step(x, d, eta)
            result.errors.append(self.total_error(X, D))
            if result.errors[-1] <= tol:
                result.converged = True
                break
        return result

    def predict(self, X) -> np.ndarray:
        """The outputs o for one example (l,) or a batch (N, l)."""
        return self.forward(X).o

    def __repr__(self):
        n, m, l = self.sizes
        mode = ", book_literal=True" if self.book_literal else ""
        return f"ThreeLayerBPNet({n}, {m}, {l}{mode})"
