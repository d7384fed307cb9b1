"""Chapter 4's optimisation demos (Galeone, ch. 2, §'Optimization' to §'ADAM'), run on the
library's optimisers (:mod:`nnbook.optim`).

The source gives no numbers: every result is a *derived* one — the learning-rate thresholds
1/a and 2/a on L = aθ²/2, momentum's terminal velocity −ηg/(1 − μ), Adam's first step
≈ η·sign g, the trajectories on an ill-conditioned valley and a saddle (the source's figure
of vanilla against momentum), random perturbation against gradient descent. The source's
two-input ReLU neuron as a graph is in :mod:`nnbook.book.demos.galeone_2_autodiff`.
"""

from __future__ import annotations

import numpy as np

from nnbook.validation import check_positive

#: The momentum range the source calls usual (§'Momentum'): μ ∈ [0.9, 0.999].
MOMENTUM_RANGE = (0.9, 0.999)
#: η·a for the five runs of :func:`learning_rate_regimes`: too small, good, oscillating,
#: on the edge (pure oscillation), divergent.
LEARNING_RATE_CASES = {"too small": 0.1, "good": 0.8, "oscillating": 1.6, "edge": 2.0,
                       "divergent": 2.1}
#: c of the saddle L = x² − y² + c·y⁴ of :func:`optimizer_trajectories`: minima at y = ±√2.
SADDLE_QUARTIC = 0.25


# ------------------------------------------------------------------ §'Gradient descent'

def quadratic_descent(learning_rate: float, *, a: float = 2.0, theta0: float = 1.0,
                      steps: int = 30) -> np.ndarray:
    """θ after each of ``steps`` plain gradient steps on L = aθ²/2 (gradient aθ), through
    :func:`nnbook.optim.sgd.sgd_step`; (steps + 1,). Each step multiplies θ by (1 − ηa)."""
    from nnbook.optim.sgd import sgd_step

    check_positive(a, "a (curvature)")
    theta = np.array([float(theta0)])
    path = [theta[0]]
    for _ in range(steps):
        theta, _ = sgd_step(theta, a * theta, learning_rate=learning_rate)
        path.append(theta[0])
    return np.array(path)


def regime(path) -> str:
    """Name what a 1-D descent path does, read from the path alone (no formula): "monotone"
    (same sign, size falling), "oscillating convergence" (sign flips, size falling), "pure
    oscillation" (size constant), "divergence" (size growing) — the names of
    :func:`nnbook.optim.trajectories.learning_rate_regime`, which predicts them from η·a."""
    path = np.asarray(path, dtype=float)
    size = np.abs(path)
    if np.allclose(size, size[0], rtol=1e-12, atol=0):
        return "pure oscillation"
    if size[-1] > size[0]:
        return "divergence"
    if np.all(np.sign(path[1:]) == np.sign(path[0])):
        return "monotone"
    return "oscillating convergence"


def learning_rate_regimes(*, a: float = 2.0, steps: int = 30) -> dict:
    """The five runs of :data:`LEARNING_RATE_CASES` on L = aθ²/2: {case: (η, path, regime)},
    the regime read from the path by :func:`regime`.
    Derived thresholds (not in the source, which only says a large η jumps across the "U"):
    η < 1/a monotone, 1/a < η < 2/a oscillating, η = 2/a ±θ₀ for ever, η > 2/a divergent."""
    runs = {}
    for case, eta_a in LEARNING_RATE_CASES.items():
        path = quadratic_descent(eta_a / a, a=a, steps=steps)
        runs[case] = (eta_a / a, path, regime(path))
    return runs


# ------------------------------------------------------------------ §'Momentum', §'ADAM'

def momentum_terminal_velocity(*, gradient: float = 1.0, learning_rate: float = 0.1,
                               momentum: float = 0.9, steps: int = 400) -> dict:
    """Velocity after ``steps`` momentum steps (:func:`nnbook.optim.sgd.sgd_step`) under a
    constant gradient g, next to the derived fixed point −ηg/(1 − μ) of v ← μv − ηg
    (reconstructed rule, §'Momentum'): 1/(1 − μ) = 10 times the plain step for μ = 0.9."""
    from nnbook.optim.sgd import sgd_step

    theta, velocity = np.zeros(1), None
    g = np.array([float(gradient)])
    for _ in range(steps):
        theta, velocity = sgd_step(theta, g, velocity, learning_rate=learning_rate,
                                   momentum=momentum)
    return {"velocity": float(velocity[0]),
            "terminal": -learning_rate * gradient / (1.0 - momentum),
            "plain_step": -learning_rate * gradient}


def adam_first_step(gradients=(1e-3, 1.0, 1e3, -5.0), *, learning_rate: float = 0.001) -> dict:
    """Adam's first step from m = v = 0 (:func:`nnbook.optim.adam.adam_step`): bias correction
    makes m̂₁ = g, v̂₁ = g², so Δθ = −ηg/(abs(g) + ε̂) ≈ −η·sign g whatever the gradient's scale
    (derived from the source's §'ADAM' formulas; ε̂ = ε/√(1 − β₂) in Keras' placement of ε,
    which nnbook follows, ε itself in the source's)."""
    from nnbook.optim.adam import adam_step

    g = np.asarray(gradients, dtype=float)
    theta = np.zeros_like(g)
    new, _, _ = adam_step(theta, g, learning_rate=learning_rate)
    return {"gradients": g, "step": new - theta, "sign_step": -learning_rate * np.sign(g)}


def optimizer_trajectories(surface: str = "valley", *, steps: int | None = None) -> dict:
    """Paths of the library's optimisers through :func:`nnbook.optim.trajectories.trajectory`.

    ``"valley"``: :func:`~nnbook.optim.trajectories.ill_conditioned_valley`,
    L = (x² + 25y²)/2 from (−9, 1.6), 120 steps: vanilla with η = 0.07 (zig-zags across the
    valley) and η = 0.01 (crawls along it), momentum with the same η = 0.01 and μ = 0.9, Adam
    with η = 0.3. ``"saddle"``: :func:`~nnbook.optim.trajectories.saddle`,
    L = x² − y² + y⁴/4 from (−1.5, 0.001), just off the saddle's attracting line, 60 steps of
    vanilla and momentum (η = 0.05, μ = 0.9) and Adam (η = 0.05).
    Returns {"loss", "start", "runs": {label: (steps + 1, 2) path}, "losses": {label: (steps + 1,)}}.
    """
    from nnbook.optim.adam import Adam
    from nnbook.optim.sgd import SGD
    from nnbook.optim.trajectories import ill_conditioned_valley, saddle, trajectory

    if surface == "valley":
        loss, grad = ill_conditioned_valley()
        start, steps = np.array([-9.0, 1.6]), steps or 120
        optimisers = {"vanilla, η = 0.07": SGD(0.07), "vanilla, η = 0.01": SGD(0.01),
                      "momentum, η = 0.01, μ = 0.9": SGD(0.01, momentum=0.9),
                      "Adam, η = 0.3": Adam(0.3)}
    elif surface == "saddle":
        loss, grad = saddle(quartic=SADDLE_QUARTIC)
        start, steps = np.array([-1.5, 1e-3]), steps or 60
        optimisers = {"vanilla, η = 0.05": SGD(0.05),
                      "momentum, η = 0.05, μ = 0.9": SGD(0.05, momentum=0.9),
                      "Adam, η = 0.05": Adam(0.05)}
    else:
        raise ValueError(f"surface: expected 'valley' or 'saddle', found {surface!r}")
    runs = {name: trajectory(opt, grad, start, steps) for name, opt in optimisers.items()}
    losses = {name: np.asarray(loss(path), dtype=float) for name, path in runs.items()}
    return {"loss": loss, "start": start, "runs": runs, "losses": losses}


# ------------------------------------------------------------------ §'Optimization'

def random_search_vs_descent(seed: int = 0, *, d: int = 50, condition: float = 4.0,
                             relative_tolerance: float = 1e-2,
                             max_evaluations: int = 200_000) -> dict:
    """Random perturbation search (§'Optimization': keep a random Δθ when it lowers the loss)
    against gradient descent (η = 1/λ_max) on L = ½ Σ λᵢθᵢ², λ evenly spaced in [1, 4], d = 50,
    from θ₀ ~ N(0, I), until L ≤ 1 % of L(θ₀) — the setting of
    :func:`nnbook.optim.random_search.compare_with_gradient_descent` (its counts, under
    "comparison"), rerun here step by step for the curves: "search" (its SearchResult, the best
    loss after each evaluation) and "descent_losses" (after each gradient step). A comparison
    not in the source chapter."""
    from nnbook.optim.random_search import (
        compare_with_gradient_descent,
        quadratic_bowl,
        random_perturbation_search,
    )
    from nnbook.optim.sgd import sgd_step

    comparison = compare_with_gradient_descent(
        d, rng=np.random.default_rng(seed), relative_tolerance=relative_tolerance,
        condition=condition, max_evaluations=max_evaluations)
    rng = np.random.default_rng(seed)
    loss, grad = quadratic_bowl(np.linspace(1.0, condition, d))
    theta0 = rng.standard_normal(d)
    target = relative_tolerance * loss(theta0)
    search = random_perturbation_search(loss, theta0, rng, scale=0.1 / np.sqrt(d),
                                        max_evaluations=max_evaluations, tolerance=target)
    theta, descent = theta0, [loss(theta0)]
    while descent[-1] > target:
        theta, _ = sgd_step(theta, grad(theta), learning_rate=1.0 / condition)
        descent.append(loss(theta))
    return {"comparison": comparison, "search": search, "target": target,
            "descent_losses": np.array(descent)}
