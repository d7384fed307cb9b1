"""Universal approximation made constructive: one hidden layer, explicit weights (陈强 §15.5).

陈强《机器学习及Python应用》§15.5, (15.19) G(x) = Σ_{i=1}^m α_i f(w_i'x + b_i) and
Proposition 15.1 / 陈强 (15.20) |G(x) − g(x)| < ε on [0, 1]^p. The theorem only says such a G
exists; the constructions here write its weights down and come with an error bound:

* :func:`step_bumps` — a staircase of m indicator units (differences of neighbouring steps are
  the "bumps"); sup error ≤ Lip(g)/(2m).
* :func:`sigmoid_bumps` — the same staircase with steep sigmoids.
* :func:`relu_hats` — the piecewise-linear interpolant at m − 1 equal intervals, written with m
  ReLU units (a sum of hat functions with shared kinks merged); sup error ≤ h² max|g''|/8,
  h = 1/(m − 1).
* :func:`ridge_relu_hats` — 2-D: a sum of ridge profiles φ_r(v_r'x), each by ReLU hats.
* :func:`relu_surface` — 2-D, any g: ReLU ridge units on a fixed grid of directions and
  offsets, output weights α by least squares (no bound; error measured).

Shapes: a 1-D network takes x (k,) and returns (k,); a p-D one takes x (k, p) → (k,).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np

from nnbook.functional.activations import relu, sigmoid, step
from nnbook.validation import as_float_array, check_positive


@dataclass(frozen=True, eq=False)
class ShallowNetwork:
    """G(x) = Σ_i α_i f(w_i'x + b_i) 陈强 (15.19): m hidden units, one linear output, no output bias.

    alpha (m,), weights (m, p), biases (m,), activation f (vectorised), name of the
    construction. Calling it on x (k,) (p = 1) or (k, p) returns G(x) of shape (k,).
    """

    alpha: np.ndarray
    weights: np.ndarray
    biases: np.ndarray
    activation: Callable
    name: str = ""

    @property
    def n_units(self) -> int:
        return int(self.alpha.shape[0])

    @property
    def input_dim(self) -> int:
        return int(self.weights.shape[1])

    def hidden(self, x) -> np.ndarray:
        """The hidden activations f(x W' + b), shape (k, m)."""
        x = as_float_array(x, "x", ndim=(1, 2))
        if x.ndim == 1:
            if self.input_dim != 1:
                raise ValueError(f"x: expected shape (k, {self.input_dim}) for a network on "
                                 f"{self.input_dim}-D inputs, found {x.shape}")
            x = x[:, None]
        if x.shape[1] != self.input_dim:
            raise ValueError(f"x: expected {self.input_dim} columns, found shape {x.shape}")
        return self.activation(x @ self.weights.T + self.biases)

    def __call__(self, x) -> np.ndarray:
        return self.hidden(x) @ self.alpha


def _check_target(g, name="g"):
    if not callable(g):
        raise TypeError(f"{name}: expected a function of x, found {type(g).__name__}")
    return g


def _evaluate(g, x, name="g"):
    values = as_float_array(g(x), f"{name}(x)")
    if values.shape != (x.shape[0],):
        raise ValueError(f"{name}(x): expected one value per point, shape ({x.shape[0]},), "
                         f"found {values.shape}")
    return values


def _check_units(m, minimum):
    check_positive(m, "m", integer=True)
    if m < minimum:
        raise ValueError(f"m: expected at least {minimum} hidden units, found {m}")
    return int(m)


def _staircase(g, m):
    """Levels g(c_i) at the interval midpoints c_i = (i + ½)/m and the knots t_i = i/m."""
    midpoints = (np.arange(m) + 0.5) / m
    levels = _evaluate(g, midpoints)
    alpha = np.concatenate([levels[:1], np.diff(levels)])
    knots = np.arange(m) / m
    return alpha, knots


def step_bumps(g, m) -> ShallowNetwork:
    """A staircase of m indicator units approximating g on [0, 1] 陈强 (15.19) with f = step.

    On [i/m, (i+1)/m) G equals g at the midpoint (i + ½)/m. Unit 0 is f(x + 1) = 1 on [0, 1]
    with α₀ = g(½m⁻¹); unit i ≥ 1 is f(x − i/m) with α_i = g(c_i) − g(c_{i−1}). Each pair of
    neighbouring steps forms a bump; the telescoped sum needs m units, not 2m.
    Bound: every x is within 1/(2m) of the midpoint whose level G takes (at a knot step(0) = 0
    gives the level on the left), so sup|G − g| ≤ Lip(g)/(2m); for sin(2πx), π/m.
    """
    _check_target(g)
    m = _check_units(m, 1)
    alpha, knots = _staircase(g, m)
    biases = -knots
    biases[0] = 1.0
    return ShallowNetwork(alpha, np.ones((m, 1)), biases, step, "step bumps")


def sigmoid_bumps(g, m, steepness=10.0) -> ShallowNetwork:
    """The staircase of :func:`step_bumps` with sigmoid units f(s(x − i/m)), s = steepness·m.

    ``steepness`` κ is the slope in units of the knot spacing 1/m. Unit 0 is f(s(x + 1)).
    Bound, with L = Lip(g): |G − g| ≤ L/(2m) + (L/m)(1 + 2e^{−κ}/(1 − e^{−κ})) + |α₀|e^{−s}
    (|σ(u) − step(u)| ≤ min(½, e^{−|u|}); |α_i| ≤ L/m for i ≥ 1; the nearest knot on each side
    counts ½, the others e^{−κk}). For sin(2πx), m = 50, κ = 10: ≈ 0.19 (measured ≈ 0.063).
    """
    _check_target(g)
    m = _check_units(m, 1)
    check_positive(steepness, "steepness")
    alpha, knots = _staircase(g, m)
    s = float(steepness) * m
    biases = -s * knots
    biases[0] = s
    return ShallowNetwork(alpha, np.full((m, 1), s), biases, sigmoid, "sigmoid bumps")


def sigmoid_bumps_bound(lipschitz, m, steepness=10.0, alpha0=1.0) -> float:
    """The sup-error bound stated in :func:`sigmoid_bumps` (L = ``lipschitz``, |α₀| ≤ alpha0)."""
    tail = 2.0 * math.exp(-steepness) / (1.0 - math.exp(-steepness))
    return (lipschitz / (2 * m) + lipschitz / m * (1.0 + tail)
            + abs(alpha0) * math.exp(-steepness * m))


def _hat_coefficients(values, knots):
    """α for Σ α_i relu(x − t_i) (+ constant unit) reproducing the PL interpolant."""
    slopes = np.diff(values) / np.diff(knots)
    return slopes, np.diff(slopes)


def relu_hats(g, m, interval=(0.0, 1.0)) -> ShallowNetwork:
    """The piecewise-linear interpolant of g at m − 1 equal intervals, with m ReLU units.

    Knots t_k = a + k h, h = (c − a)/(m − 1), k = 0 … m − 1 on ``interval`` (a, c). The
    interpolant is Σ_k g(t_k) φ_k(x), φ_k the hat of half-width h around t_k; each hat is
    [relu(x − t_{k−1}) − 2 relu(x − t_k) + relu(x − t_{k+1})]/h, and merging shared kinks gives
    G(x) = α₀ relu(x − a + 1) + α₁ relu(x − a) + Σ_{k=1}^{m−2} (s_k − s_{k−1}) relu(x − t_k),
    with s_k the slope on [t_k, t_{k+1}], α₀ = g(a) and α₁ = s₀ − g(a) (relu(x − a + 1) − relu(x − a)
    = 1 on the interval).
    Bound (linear interpolation): sup|G − g| ≤ h² max|g''|/8. For sin(2πx) on [0, 1]:
    π²/(2(m − 1)²); m = 50 → 0.002055 (< 0.01).
    """
    _check_target(g)
    m = _check_units(m, 2)
    bounds = as_float_array(interval, "interval", ndim=1)
    if bounds.shape != (2,) or not bounds[0] < bounds[1]:
        raise ValueError(f"interval: expected (a, c) with a < c, found {interval!r}")
    a, c = float(bounds[0]), float(bounds[1])
    knots = np.linspace(a, c, m)
    values = _evaluate(g, knots)
    slopes, kinks = _hat_coefficients(values, knots)
    alpha = np.concatenate([[values[0], slopes[0] - values[0]], kinks])
    biases = np.concatenate([[1.0 - a, -a], -knots[1:-1]])
    return ShallowNetwork(alpha, np.ones((m, 1)), biases, relu, "ReLU hats")


def relu_hats_bound(second_derivative_max, m, length=1.0) -> float:
    """h² max|g''|/8 with h = length/(m − 1): the sup-error bound of :func:`relu_hats`."""
    h = length / (m - 1)
    return h * h * second_derivative_max / 8.0


def ridge_relu_hats(ridges, m) -> ShallowNetwork:
    """2-D (any p): G(x) = Σ_r φ_r(v_r'x) on [0, 1]^p, each profile φ_r by :func:`relu_hats`.

    ridges : sequence of (v_r (p,), φ_r) — g must equal Σ_r φ_r(v_r'x), e.g.
        sin(2πx₁)cos(2πx₂) = ½ sin(2π(x₁ + x₂)) + ½ sin(2π(x₁ − x₂)) with v = (1, 1), (1, −1).
    m : units per ridge (the network has m·len(ridges) units). The profile is interpolated on
        the range of v_r'x over the unit cube. Sup error ≤ Σ_r (bound of each profile).
    """
    ridges = list(ridges)
    if not ridges:
        raise ValueError("ridges: expected at least one (direction, profile) pair, found none")
    alphas, weights, biases = [], [], []
    p = None
    for r, pair in enumerate(ridges):
        try:
            direction, profile = pair
        except (TypeError, ValueError):
            raise TypeError(f"ridges[{r}]: expected a (direction, profile) pair, "
                            f"found {pair!r}") from None
        v = as_float_array(direction, f"ridges[{r}] direction", ndim=1)
        if p is None:
            p = v.shape[0]
        elif v.shape[0] != p:
            raise ValueError(f"ridges[{r}] direction: expected {p} entries like the first, "
                             f"found {v.shape[0]}")
        low, high = float(np.sum(np.minimum(v, 0))), float(np.sum(np.maximum(v, 0)))
        if not low < high:
            raise ValueError(f"ridges[{r}] direction: expected a non-zero vector, found {v}")
        one_d = relu_hats(_check_target(profile, f"ridges[{r}] profile"), m, (low, high))
        alphas.append(one_d.alpha)
        weights.append(one_d.weights * v[None, :])
        biases.append(one_d.biases)
    return ShallowNetwork(np.concatenate(alphas), np.vstack(weights), np.concatenate(biases),
                          relu, "ReLU ridge hats")


def relu_surface(g2, m, *, n_directions=None, fit_points=None) -> ShallowNetwork:
    """Fit any g2 on [0, 1]² with m ReLU ridge units by least squares on α 陈强 (15.19).

    The hidden layer is fixed: ``n_directions`` angles θ_k = kπ/n (default ≈ √m), unit vectors
    v_k = (cos θ_k, sin θ_k), and m/n offsets per direction spread evenly over the range of
    v_k'x on the square; only α is fitted, by least squares on a ``fit_points`` × ``fit_points``
    grid (default max(41, ⌈3√m⌉), so there are ≥ 9 fitting points per unit). No error
    bound comes with it: measure the error on a finer grid (:func:`sup_error`).
    g2 takes x (k, 2) and returns (k,).
    """
    _check_target(g2, "g2")
    m = _check_units(m, 2)
    if n_directions is None:
        n_directions = max(1, int(round(math.sqrt(m))))
    check_positive(n_directions, "n_directions", integer=True)
    if fit_points is None:
        fit_points = max(41, math.ceil(3 * math.sqrt(m)))
    check_positive(fit_points, "fit_points", integer=True)
    per = [m // n_directions + (1 if k < m % n_directions else 0) for k in range(n_directions)]
    weights, biases = [], []
    for k, count in enumerate(per):
        if count == 0:
            continue
        theta = k * math.pi / n_directions
        v = np.array([math.cos(theta), math.sin(theta)])
        low, high = float(np.sum(np.minimum(v, 0))), float(np.sum(np.maximum(v, 0)))
        offsets = np.linspace(low - (high - low) / max(count, 2), high, count, endpoint=False)
        weights.append(np.repeat(v[None, :], count, axis=0))
        biases.append(-offsets)
    weights = np.vstack(weights)
    biases = np.concatenate(biases)
    grid = np.linspace(0.0, 1.0, int(fit_points))
    X = np.array(np.meshgrid(grid, grid, indexing="ij")).reshape(2, -1).T
    target = _evaluate(g2, X, "g2")
    features = relu(X @ weights.T + biases)
    alpha, *_ = np.linalg.lstsq(features, target, rcond=None)
    return ShallowNetwork(alpha, weights, biases, relu, "ReLU ridge least squares")


def sup_error(G, g, grid) -> float:
    """max over ``grid`` of |G(x) − g(x)|, the left side of 陈强 (15.20) on a grid.

    grid (k,) or (k, p). On a 1-D grid with spacing δ the true sup over the interval is at
    most this value + (δ/2)(Lip(g) + Lip(G)).
    """
    grid = as_float_array(grid, "grid", ndim=(1, 2))
    if grid.shape[0] == 0:
        raise ValueError("grid: expected at least one point, found none")
    _check_target(G, "G")
    _check_target(g)
    return float(np.max(np.abs(_evaluate(G, grid, "G") - _evaluate(g, grid))))


def error_vs_units(construct, g, ms, grid=None):
    """The sup error of ``construct(g, m)`` for each m in ``ms``: returns (ms (k,), errors (k,)).

    construct : e.g. :func:`relu_hats`, :func:`step_bumps`, or
        ``functools.partial(sigmoid_bumps, steepness=10)``.

    grid : evaluation points (default 10,001 points on [0, 1]).
    """
    if not callable(construct):
        raise TypeError(f"construct: expected a function (g, m) -> network, found "
                        f"{type(construct).__name__}")
    ms = np.asarray(ms)
    if ms.ndim != 1 or ms.size == 0 or not np.issubdtype(ms.dtype, np.integer):
        raise ValueError(f"ms: expected a non-empty 1-D sequence of ints, found {ms!r}")
    if grid is None:
        grid = np.linspace(0.0, 1.0, 10_001)
    errors = np.array([sup_error(construct(g, int(m)), g, grid) for m in ms])
    return ms.astype(np.int64), errors
