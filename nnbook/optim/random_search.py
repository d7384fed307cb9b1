"""Random-perturbation search, and what it costs next to gradient descent.

Galeone ch. 2, §'Optimization', names two ways of improving parameters θ from a starting point
θ₀: perturb them at random and keep the change if the loss falls, or estimate the direction of
steepest descent (the gradient). :func:`random_perturbation_search` is the first, in the
source's steps (the formula images of that passage are lost; the loop is reconstructed from its
text):

1. evaluate L₀ = L(θ₀);
2. draw a random Δθ and evaluate L₁ = L(θ + Δθ);
3. if L₁ < L₀ accept θ + Δθ (and L₁ becomes the value to beat), otherwise keep θ;
4. repeat from 2.

It needs no derivative, but a random direction in d dimensions is nearly orthogonal to the
descent direction, so few draws help, and fewer the higher d is.
:func:`compare_with_gradient_descent` measures this on a quadratic in d = 50 dimensions.

**How cost is counted.** Random search pays one loss evaluation per draw (plus one for L(θ₀)).
Gradient descent pays one gradient per step; reverse-mode differentiation (backpropagation)
computes the loss *and* its whole gradient for a small constant multiple of one loss
evaluation — independent of d; Griewank & Walther (*Evaluating Derivatives*, 2008) bound the
factor by about 4 — and the forward pass of that computation already gives L(θ) at the point.
So a descent step is charged ``gradient_cost`` (default 4) loss evaluations, and the count of
gradients is reported separately as well.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass

import numpy as np

from nnbook.optim.sgd import sgd_step
from nnbook.optim.trajectories import quadratic_bowl
from nnbook.validation import as_float_array, check_positive


@dataclass(frozen=True)
class SearchResult:
    """The outcome of :func:`random_perturbation_search`.

    ``theta``: the best parameters found; ``loss``: their loss; ``evaluations``: loss
    evaluations spent (the first, L(θ₀), included); ``history`` (evaluations,): the best loss
    known after each evaluation (non-increasing); ``accepted``: how many perturbations were
    kept; ``reached``: whether ``loss`` ≤ the tolerance (False when no tolerance was given).
    """

    theta: np.ndarray
    loss: float
    evaluations: int
    history: np.ndarray
    accepted: int
    reached: bool


def _check_generator(rng) -> np.random.Generator:
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng: expected a numpy Generator (np.random.default_rng(seed)), "
                        f"found {type(rng).__name__}")
    return rng


def _check_real(value, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not np.isfinite(value):
        raise TypeError(f"{name}: expected a finite real number, found {value!r}")
    return float(value)


def _loss_value(loss, theta) -> float:
    value = loss(theta)
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"loss: expected a number from loss(theta), found "
                        f"{type(value).__name__} {value!r}") from None
    if array.size != 1:
        raise ValueError(f"loss: expected one number from loss(theta), found shape {array.shape}")
    value = float(array.reshape(()))
    if np.isnan(value):
        raise ValueError(f"loss: returned NaN at theta = {theta!r}")
    return value


def random_perturbation_search(loss, theta0, rng, *, scale: float, max_evaluations: int,
                               tolerance: float | None = None) -> SearchResult:
    """Minimise ``loss`` by random perturbations Δθ ~ N(0, scale² I), keeping those that lower it.

    ``loss`` maps θ (the shape of ``theta0``) to a number; ``rng`` is a
    :class:`numpy.random.Generator`; the search stops after ``max_evaluations`` loss
    evaluations (L(θ₀) included) or as soon as the loss is ≤ ``tolerance``.
    """
    if not callable(loss):
        raise TypeError(f"loss: expected a function theta -> number, found {type(loss).__name__}")
    rng = _check_generator(rng)
    check_positive(scale, "scale")
    check_positive(max_evaluations, "max_evaluations", integer=True)
    if tolerance is not None:
        _check_real(tolerance, "tolerance")
    theta = as_float_array(theta0, "theta0").copy()
    if theta.size == 0:
        raise ValueError("theta0: expected at least one parameter, found an empty array")
    best = _loss_value(loss, theta)
    history, accepted = [best], 0

    def done():
        return tolerance is not None and best <= tolerance

    while len(history) < max_evaluations and not done():
        candidate = theta + scale * rng.standard_normal(theta.shape)
        value = _loss_value(loss, candidate)
        if value < best:
            theta, best, accepted = candidate, value, accepted + 1
        history.append(best)
    return SearchResult(theta, best, len(history), np.array(history), accepted, done())


@dataclass(frozen=True)
class CostComparison:
    """Loss evaluations each method spent to bring the loss below ``target``.

    ``search_evaluations``: loss evaluations of random search (``search_reached`` False: the
    budget ran out first); ``descent_gradients``: gradient-descent steps (one gradient each);
    ``descent_evaluations``: their cost in loss evaluations, ``gradient_cost`` per gradient;
    ``ratio``: search_evaluations / descent_evaluations (a lower bound if not reached).
    """

    dimension: int
    target: float
    search_evaluations: int
    search_reached: bool
    descent_gradients: int
    descent_evaluations: float
    gradient_cost: float

    @property
    def ratio(self) -> float:
        return self.search_evaluations / self.descent_evaluations


def compare_with_gradient_descent(d: int = 50, *, rng, relative_tolerance: float = 1e-2,
                                  condition: float = 4.0, scale: float | None = None,
                                  max_evaluations: int = 200_000,
                                  gradient_cost: float = 4.0) -> CostComparison:
    """Random search against gradient descent on L(θ) = ½ Σ λᵢ θᵢ², λ evenly spaced in
    [1, ``condition``], from θ₀ ~ N(0, I) drawn by ``rng``; the target is
    ``relative_tolerance`` · L(θ₀).

    Gradient descent uses η = 1/λ_max (the fastest safe constant rate) through
    :func:`~nnbook.optim.sgd.sgd_step`; random search uses ``scale`` (default 0.1/√d: steps of
    length ≈ 0.1, a tenth of the distance to the minimum at the start — generous, since a fixed
    scale must be small enough to make progress near the target). Counting as in the module
    docstring.
    """
    check_positive(d, "d", integer=True)
    check_positive(relative_tolerance, "relative_tolerance")
    check_positive(gradient_cost, "gradient_cost")
    _check_real(condition, "condition")
    if not condition >= 1:
        raise ValueError(f"condition: expected a ratio λ_max/λ_min >= 1, found {condition!r}")
    rng = _check_generator(rng)
    curvatures = np.linspace(1.0, condition, d)
    loss, grad = quadratic_bowl(curvatures)
    theta0 = rng.standard_normal(d)
    target = relative_tolerance * loss(theta0)
    scale = 0.1 / np.sqrt(d) if scale is None else scale
    search = random_perturbation_search(loss, theta0, rng, scale=scale,
                                        max_evaluations=max_evaluations, tolerance=target)
    theta, steps = theta0, 0
    while loss(theta) > target:
        theta, _ = sgd_step(theta, grad(theta), learning_rate=1.0 / condition)
        steps += 1
    return CostComparison(d, target, search.evaluations, search.reached, steps,
                          steps * gradient_cost + 1, gradient_cost)


__all__ = [
    "CostComparison",
    "SearchResult",
    "compare_with_gradient_descent",
    "quadratic_bowl",            # defined in nnbook.optim.trajectories
    "random_perturbation_search",
]
