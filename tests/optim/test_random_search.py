"""nnbook.optim.random_search: the source's random-perturbation loop (keep a random change only
if the loss falls) and its cost in loss evaluations against gradient descent."""

import numpy as np
import pytest

from nnbook.optim.random_search import (
    compare_with_gradient_descent,
    quadratic_bowl,
    random_perturbation_search,
)


def test_the_loop_accepts_only_improvements_and_counts_every_evaluation():
    calls = []

    def loss(theta):
        calls.append(theta.copy())
        return float(np.sum((theta - 1.0) ** 2))

    result = random_perturbation_search(loss, np.zeros(3), np.random.default_rng(0), scale=0.3,
                                        max_evaluations=200)
    assert result.evaluations == len(calls) == len(result.history) == 200
    assert result.history[0] == 3.0 and np.all(np.diff(result.history) <= 0)
    assert result.loss == result.history[-1] == pytest.approx(loss(result.theta))
    assert result.loss < 0.5 and not result.reached
    drops = np.count_nonzero(np.diff(result.history) < 0)
    assert result.accepted == drops > 0


def test_the_same_generator_seed_gives_the_same_search_and_tolerance_stops_it():
    loss, _ = quadratic_bowl(np.ones(4))
    runs = [random_perturbation_search(loss, np.ones(4), np.random.default_rng(7), scale=0.2,
                                       max_evaluations=10_000, tolerance=0.05) for _ in range(2)]
    assert runs[0].evaluations == runs[1].evaluations < 10_000
    np.testing.assert_array_equal(runs[0].theta, runs[1].theta)
    assert runs[0].reached and runs[0].loss <= 0.05 < runs[0].history[-2]


def test_random_search_needs_far_more_evaluations_than_gradient_descent_in_50_dimensions():
    """d = 50, loss down to 1 % of its start: gradient descent's gradients, each charged as 4
    loss evaluations, against random search's loss evaluations — even at its best fixed scale
    random search spends more than 30 times as many; in 2 dimensions the two are comparable."""
    result = compare_with_gradient_descent(50, rng=np.random.default_rng(0))
    assert result.search_reached and result.dimension == 50
    assert result.descent_evaluations == 4 * result.descent_gradients + 1
    assert result.ratio > 50
    for scale in (0.003, 0.01, 0.03, 0.1):
        tuned = compare_with_gradient_descent(50, rng=np.random.default_rng(0), scale=scale)
        assert tuned.search_evaluations > 30 * tuned.descent_evaluations
    small = compare_with_gradient_descent(2, rng=np.random.default_rng(0))
    assert small.ratio < 5


def test_bad_arguments():
    loss, _ = quadratic_bowl([1.0, 2.0])
    with pytest.raises(TypeError, match="Generator"):
        random_perturbation_search(loss, np.ones(2), 0, scale=0.1, max_evaluations=10)
    with pytest.raises(ValueError, match="scale"):
        random_perturbation_search(loss, np.ones(2), np.random.default_rng(), scale=-1.0,
                                   max_evaluations=10)
    with pytest.raises(ValueError, match="NaN"):
        random_perturbation_search(lambda t: np.nan, np.ones(2), np.random.default_rng(),
                                   scale=0.1, max_evaluations=10)
    with pytest.raises(ValueError, match="curvatures"):
        quadratic_bowl([1.0, -1.0])


def test_bad_losses_tolerances_and_starts_are_named():
    rng = np.random.default_rng(0)

    def run(loss, theta0=(1.0, 2.0), **kw):
        return random_perturbation_search(loss, theta0, rng, scale=0.1, max_evaluations=5, **kw)

    with pytest.raises(ValueError, match="one number from loss"):
        run(lambda theta: theta)
    with pytest.raises(TypeError, match="a number from loss"):
        run(lambda theta: "small")
    with pytest.raises(TypeError, match="tolerance"):
        run(lambda theta: 1.0, tolerance="0.1")
    with pytest.raises(ValueError, match="theta0: expected at least one"):
        run(lambda theta: 1.0, theta0=[])
    assert run(lambda theta: -1.0, tolerance=-0.5).reached      # losses may be negative
    with pytest.raises(TypeError, match="condition"):
        compare_with_gradient_descent(3, rng=rng, condition="4")
