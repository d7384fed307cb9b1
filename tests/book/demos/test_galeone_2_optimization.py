"""nnbook.book.demos.galeone_2_optimization: the learning-rate regimes on L = aθ²/2, momentum's
terminal velocity, Adam's first step, the trajectories on the valley and the saddle and random
search against gradient descent. Oracles: closed forms written here ((1 − ηa)ˢθ₀, the geometric
sum of the velocity, −ηg/(|g| + ε), the saddle's minima), not the library's code."""

import numpy as np
import pytest

from nnbook.book.demos import galeone_2_optimization as demos
from nnbook.optim.trajectories import learning_rate_regime


def test_quadratic_descent_is_a_geometric_sequence():
    for eta in (0.05, 0.4, 0.8, 1.05):
        path = demos.quadratic_descent(eta, a=2.0, theta0=1.0, steps=12)
        assert np.allclose(path, (1 - 2 * eta) ** np.arange(13), rtol=1e-13, atol=1e-15)


def test_the_five_learning_rates_show_the_four_regimes():
    """Read from the paths alone, then predicted from η·a by the library: the same words."""
    expected = {"too small": "monotone", "good": "monotone",
                "oscillating": "oscillating convergence", "edge": "pure oscillation",
                "divergent": "divergence"}
    runs = demos.learning_rate_regimes(a=2.0)
    assert {case: run[2] for case, run in runs.items()} == expected
    for case, (eta, _, seen) in runs.items():
        assert learning_rate_regime(eta, 2.0) == seen, case


def test_momentum_velocity_by_the_geometric_sum():
    """v_s = −ηg(1 + μ + … + μˢ⁻¹) = −ηg(1 − μˢ)/(1 − μ); after 400 steps μ⁴⁰⁰ ≈ 5e-19."""
    short = demos.momentum_terminal_velocity(gradient=2.0, learning_rate=0.1, momentum=0.9,
                                             steps=5)
    assert short["velocity"] == pytest.approx(-0.1 * 2.0 * (1 - 0.9 ** 5) / 0.1, rel=1e-12)
    long = demos.momentum_terminal_velocity(gradient=2.0, learning_rate=0.1, momentum=0.9)
    assert long["velocity"] == pytest.approx(-2.0, rel=1e-12)
    assert long["terminal"] == pytest.approx(10 * long["plain_step"], rel=1e-12)
    for mu in demos.MOMENTUM_RANGE:
        run = demos.momentum_terminal_velocity(momentum=mu, steps=50)
        assert abs(run["velocity"]) < abs(run["terminal"])      # still accelerating


def test_adams_first_step_is_about_eta_times_the_sign():
    """m̂₁ = g, v̂₁ = g²: the step is −ηg/(|g| + ε̂) with Keras' ε̂ = ε/√(1 − β₂) (ε = 1e-7,
    β₂ = 0.999; the source adds ε itself — the same up to ε)."""
    g = np.array([1e-3, 1.0, 1e3, -5.0])
    step = demos.adam_first_step(g, learning_rate=0.001)["step"]
    eps_hat = 1e-7 / np.sqrt(1 - 0.999)
    assert np.allclose(step, -0.001 * g / (np.abs(g) + eps_hat), rtol=1e-12, atol=0)
    assert np.allclose(step, -0.001 * np.sign(g), rtol=5e-3, atol=0)     # g = 1e-3: 0.3 % short


def _first_below(losses, tolerance):
    return int(np.flatnonzero(np.asarray(losses) <= tolerance)[0])


def test_momentum_beats_vanilla_at_the_same_learning_rate_on_the_valley():
    result = demos.optimizer_trajectories("valley")
    start = result["start"]
    l0 = 0.5 * (start[0] ** 2 + 25 * start[1] ** 2)
    for name, path in result["runs"].items():
        assert path.shape == (121, 2) and np.array_equal(path[0], start)
        assert np.allclose(result["losses"][name],
                           0.5 * (path[:, 0] ** 2 + 25 * path[:, 1] ** 2))
    slow = result["losses"]["vanilla, η = 0.01"]
    fast = result["losses"]["momentum, η = 0.01, μ = 0.9"]
    assert slow[-1] > 1e-2 * l0                      # vanilla at η = 0.01 is still crawling
    assert _first_below(fast, 1e-2 * l0) < 60
    zigzag = result["runs"]["vanilla, η = 0.07"][:6, 1]
    assert np.all(zigzag[1:] * zigzag[:-1] < 0)      # (1 − 25η) < 0: θ₂ changes sign


def test_only_vanilla_stays_on_the_saddle():
    """L = x² − y² + y⁴/4 has minima L = −1 at y = ±√2; from y = 0.001 vanilla needs
    ln(1000)/ln(1.1) ≈ 72 steps to get away, so after 60 it is still near L ≈ 0."""
    result = demos.optimizer_trajectories("saddle")
    final = {name: losses[-1] for name, losses in result["losses"].items()}
    assert abs(final["vanilla, η = 0.05"]) < 0.2
    assert final["momentum, η = 0.05, μ = 0.9"] < -0.9
    assert final["Adam, η = 0.05"] < -0.9


def test_random_search_costs_far_more_than_gradient_descent():
    result = demos.random_search_vs_descent(0)
    comparison, search = result["comparison"], result["search"]
    assert search.evaluations == comparison.search_evaluations and search.reached
    assert len(result["descent_losses"]) - 1 == comparison.descent_gradients
    assert comparison.ratio > 30
    # gradient descent with η = 1/4 by hand: θᵢ ← (1 − λᵢ/4)θᵢ
    theta0 = np.random.default_rng(0).standard_normal(50)
    lam = np.linspace(1, 4, 50)
    by_hand = [0.5 * np.sum(lam * ((1 - lam / 4) ** s * theta0) ** 2)
               for s in range(len(result["descent_losses"]))]
    assert np.allclose(result["descent_losses"], by_hand, rtol=1e-12)
    assert by_hand[-1] <= 0.01 * by_hand[0] < by_hand[-2]
