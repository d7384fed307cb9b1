"""Paths of optimisers on small test functions: ill-conditioned valleys, saddles, parabolas.

Galeone ch. 2 compares the vanilla update with momentum on a figure of two trajectories
(§'Momentum': momentum damps the zig-zag across a narrow valley and reaches the minimum
sooner), warns of saddle points and plateaus where the gradient almost vanishes
(§'Mini-batch Gradient Descent'), and describes a learning rate that is too large as jumping
between the two sides of a "U" (§'Gradient descent'; its reason — the U's two peaks being
farther apart than η — is not the criterion: what decides is η against the curvature, see
:func:`learning_rate_regime`). This module makes those pictures
computable for *any* nnbook optimiser:

* :func:`trajectory` runs an :class:`~nnbook.optim.base.Optimizer` (through a
  :class:`~nnbook.layers.param.Param`) or a pure step function such as
  :func:`~nnbook.optim.sgd.sgd_step` on a gradient function and returns the path;
* :func:`ill_conditioned_valley`, :func:`saddle` and :func:`parabola` give (loss, grad) pairs
  (the valley and the parabola are :func:`quadratic_bowl`, which any dimension d can use);
* :func:`steps_to_tolerance` counts the steps a path needs to reach a loss;
* :func:`learning_rate_regime` names the behaviour of gradient descent on L = a θ²/2
  (θ ← (1 − ηa)θ: monotone for η < 1/a, oscillating convergence for 1/a < η < 2/a, pure
  oscillation ±θ₀ at η = 2/a, divergence beyond — the thresholds are derived, not in the
  source, in :func:`nnbook.symbolic.optimizers.learning_rate_thresholds`).
"""

from __future__ import annotations

import inspect
import numbers

import numpy as np

from nnbook.layers.param import Param
from nnbook.optim.base import Optimizer
from nnbook.validation import as_float_array, check_positive


def _points(theta, d: int) -> np.ndarray:
    """``theta`` as floats whose last axis holds the d coordinates (a point or a grid)."""
    theta = as_float_array(theta, "theta", allow_nan=True)
    if theta.ndim == 0 or theta.shape[-1] != d:
        raise ValueError(f"theta: expected points with {d} coordinates, shape (..., {d}), "
                         f"found {theta.shape}")
    return theta


def _point(theta, d: int) -> np.ndarray:
    """``theta`` as one point (d,) of floats."""
    theta = as_float_array(theta, "theta")
    if theta.shape != (d,):
        raise ValueError(f"theta: expected one point of shape ({d},), found {theta.shape}")
    return theta


def quadratic_bowl(curvatures):
    """L(θ) = ½ Σᵢ λᵢ θᵢ² and its gradient λ ⊙ θ, for the curvatures λ (d,) > 0: the quadratic
    behind every test function here except the saddle.

    Returns (loss, grad): ``loss`` takes points (..., d) (a grid for contours gives (...)),
    ``grad`` a point (d,) → (d,)."""
    lam = as_float_array(curvatures, "curvatures", ndim=1)
    if len(lam) == 0 or np.any(lam <= 0):
        raise ValueError("curvatures: expected a non-empty vector of positive numbers")
    d = len(lam)

    def loss(theta):
        return 0.5 * np.sum(lam * _points(theta, d) ** 2, axis=-1)

    def grad(theta):
        return lam * _point(theta, d)

    return loss, grad


def ill_conditioned_valley(a: float = 1.0, b: float = 25.0):
    """L(x, y) = ½(a x² + b y²): an elliptic valley, b/a times steeper across (y) than along (x).

    Returns (loss, grad) as :func:`quadratic_bowl` with d = 2. Gradient descent is stable only
    for η < 2/max(a, b), so the flat direction crawls when b ≫ a — the case momentum helps."""
    check_positive(a, "a")
    check_positive(b, "b")
    return quadratic_bowl([a, b])


def saddle(quartic: float = 0.0):
    """L(x, y) = x² − y² + c·y⁴ with c = ``quartic``: a saddle point at the origin.

    c = 0 (default) is the plain saddle, unbounded below along y; c > 0 adds minima at
    (0, ±1/√(2c)) beyond it (L = −1/(4c) there), so an optimiser that escapes the saddle has
    somewhere to land. Near the origin the gradient (2x, −2y + 4c y³) is tiny: plain descent
    stalls there, the trap the source warns of in §'Mini-batch Gradient Descent'. Returns (loss, grad) as
    :func:`ill_conditioned_valley`."""
    check_positive(quartic, "quartic", allow_zero=True)

    def loss(theta):
        theta = _points(theta, 2)
        x, y = theta[..., 0], theta[..., 1]
        return x ** 2 - y ** 2 + quartic * y ** 4

    def grad(theta):
        theta = _point(theta, 2)
        x, y = theta[0], theta[1]
        return np.array([2.0 * x, -2.0 * y + 4.0 * quartic * y ** 3])

    return loss, grad


def parabola(a: float = 1.0):
    """L(θ) = a θ²/2 on θ (1,) (or (..., 1)), gradient a θ: the "U" of §'Gradient descent'."""
    check_positive(a, "a")
    return quadratic_bowl([a])


def _pure_stepper(step):
    """Wrap a pure step ``step(value, grad, *state) -> (value, *state)``; a ``t`` parameter in
    its signature (Adam's bias correction) receives the step number from 1."""
    try:
        wants_t = "t" in inspect.signature(step).parameters
    except (TypeError, ValueError):
        wants_t = False
    state = ()

    def advance(value, grad, t):
        nonlocal state
        result = step(value, grad, *state, **({"t": t} if wants_t else {}))
        if not isinstance(result, tuple) or len(result) < 1:
            raise TypeError("a pure step must return (new value, *new state), e.g. sgd_step")
        state = tuple(result[1:])
        return np.asarray(result[0], dtype=float)

    return advance


def _optimizer_stepper(optimizer: Optimizer, theta0: np.ndarray):
    param = Param(theta0.copy(), "theta")

    def advance(value, grad, t):
        param.grad[...] = grad
        optimizer.step([param])
        return param.value.copy()

    return advance


def trajectory(optimizer_or_step, grad_fn, theta0, steps: int) -> np.ndarray:
    """The path θ₀, θ₁, …, θ_steps of an optimiser on a function with gradient ``grad_fn``.

    ``optimizer_or_step``: an :class:`~nnbook.optim.base.Optimizer` (a fresh one: its state and
    ``iterations`` advance) or a pure step such as ``functools.partial(sgd_step,
    learning_rate=0.1, momentum=0.9)`` or ``partial(adam_step, learning_rate=0.1)``. Both routes
    run the same update rule. ``grad_fn`` maps θ (d,) to ∇L (d,); ``theta0`` is (d,), d = 2 for
    the test functions here. Returns an array (steps + 1, d), float64.
    """
    if not callable(grad_fn):
        raise TypeError(f"grad_fn: expected a function theta -> gradient, found "
                        f"{type(grad_fn).__name__}")
    check_positive(steps, "steps", integer=True, allow_zero=True)
    theta = as_float_array(theta0, "theta0", ndim=1).astype(np.float64)
    if isinstance(optimizer_or_step, Optimizer):
        advance = _optimizer_stepper(optimizer_or_step, theta)
    elif callable(optimizer_or_step):
        advance = _pure_stepper(optimizer_or_step)
    else:
        raise TypeError(f"optimizer_or_step: expected an nnbook Optimizer or a pure step "
                        f"function, found {type(optimizer_or_step).__name__}")
    path = np.empty((steps + 1, theta.size))
    path[0] = theta
    for t in range(1, steps + 1):
        grad = as_float_array(grad_fn(theta), "grad_fn(theta)")
        if grad.shape != theta.shape:
            raise ValueError(f"grad_fn(theta): expected shape {theta.shape}, found {grad.shape}")
        with np.errstate(over="ignore", invalid="ignore"):
            theta = advance(theta, grad, t)
        if not np.all(np.isfinite(theta)):
            raise ValueError(f"trajectory: theta overflowed at step {t} of {steps}; the optimiser "
                             "diverges on this function (a smaller learning rate, or fewer "
                             "steps, shows the divergence on a finite path)")
        path[t] = theta
    return path


def steps_to_tolerance(path, loss, tolerance: float) -> int | None:
    """The first step t with loss(path[t]) ≤ ``tolerance``, or None if the path never gets there.

    ``path`` (steps + 1, d) from :func:`trajectory`; ``loss`` takes points (..., d)."""
    path = as_float_array(path, "path", ndim=2, allow_nan=True)
    if isinstance(tolerance, bool) or not isinstance(tolerance, numbers.Real) \
            or not np.isfinite(tolerance):
        raise TypeError(f"tolerance: expected a finite loss value, found {tolerance!r}")
    values = np.asarray(loss(path), dtype=float)
    if values.shape != (len(path),):
        raise ValueError(f"loss(path): expected one value per point, shape ({len(path)},), "
                         f"found {values.shape}; the loss must accept points (..., d)")
    hits = np.flatnonzero(values <= tolerance)
    return int(hits[0]) if hits.size else None


def learning_rate_regime(learning_rate: float, curvature: float) -> str:
    """What gradient descent does on L = a θ²/2 with step η (a = ``curvature``):

    ``"monotone"`` (η < 1/a), ``"one step"`` (η = 1/a: the minimum in one step),
    ``"oscillating convergence"`` (1/a < η < 2/a), ``"pure oscillation"`` (η = 2/a: ±θ₀ for
    ever), ``"divergence"`` (η > 2/a) — from θ_{s+1} = (1 − ηa) θ_s."""
    check_positive(learning_rate, "learning_rate")
    check_positive(curvature, "curvature")
    factor = 1.0 - learning_rate * curvature
    if factor > 0:
        return "monotone"
    if factor == 0:
        return "one step"
    if factor > -1:
        return "oscillating convergence"
    if factor == -1:
        return "pure oscillation"
    return "divergence"


__all__ = [
    "ill_conditioned_valley",
    "learning_rate_regime",
    "parabola",
    "quadratic_bowl",
    "saddle",
    "steps_to_tolerance",
    "trajectory",
]
