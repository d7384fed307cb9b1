"""nnbook.optim.trajectories: optimiser paths on an ill-conditioned valley, a saddle and a
parabola — momentum beats vanilla in the valley, Adam leaves the saddle, and the learning-rate
thresholds 1/a and 2/a on L = a θ²/2."""

import math
from functools import partial

import numpy as np
import pytest

from nnbook.optim import (
    SGD,
    Adagrad,
    Adam,
    RMSprop,
    adagrad_step,
    adam_step,
    rmsprop_step,
    sgd_step,
)
from nnbook.optim.trajectories import (
    ill_conditioned_valley,
    learning_rate_regime,
    parabola,
    saddle,
    steps_to_tolerance,
    trajectory,
)


def test_test_functions_and_their_gradients():
    loss, grad = ill_conditioned_valley(a=2.0, b=8.0)
    assert loss(np.array([1.0, -1.0])) == 5.0 and grad(np.array([1.0, -1.0])).tolist() == [2.0, -8.0]
    grid = np.zeros((4, 3, 2))
    assert loss(grid).shape == (4, 3)
    loss, grad = saddle()
    assert loss(np.array([2.0, 3.0])) == -5.0 and grad(np.array([2.0, 3.0])).tolist() == [4.0, -6.0]
    loss, grad = saddle(quartic=0.5)                   # minima at (0, ±1), L = −1/2
    assert loss(np.array([0.0, 1.0])) == -0.5 and grad(np.array([0.0, -1.0])).tolist() == [0.0, 0.0]
    h = 1e-6                                           # central differences at a random point
    point = np.random.default_rng(0).normal(size=2)
    for loss, grad in (ill_conditioned_valley(), saddle(0.3)):
        numeric = [(loss(point + h * e) - loss(point - h * e)) / (2 * h) for e in np.eye(2)]
        np.testing.assert_allclose(grad(point), numeric, rtol=1e-7)


@pytest.mark.parametrize("make, pure", [
    (lambda: SGD(0.05), partial(sgd_step, learning_rate=0.05)),
    (lambda: SGD(0.05, momentum=0.9, nesterov=True),
     partial(sgd_step, learning_rate=0.05, momentum=0.9, nesterov=True)),
    (lambda: RMSprop(0.05), partial(rmsprop_step, learning_rate=0.05)),
    (lambda: Adam(0.05), partial(adam_step, learning_rate=0.05)),
    (lambda: Adagrad(0.5), partial(adagrad_step, learning_rate=0.5)),
], ids=["vanilla", "nesterov", "rmsprop", "adam", "adagrad"])
def test_the_optimizer_and_its_pure_step_trace_the_same_path(make, pure):
    _, grad = ill_conditioned_valley()
    via_params = trajectory(make(), grad, [-3.0, 1.0], 40)
    via_step = trajectory(pure, grad, [-3.0, 1.0], 40)
    assert via_params.shape == (41, 2) and via_params[0].tolist() == [-3.0, 1.0]
    np.testing.assert_allclose(via_params, via_step, rtol=0, atol=1e-14)


def test_vanilla_path_is_the_hand_recurrence():
    """On the valley, vanilla descent multiplies x by (1 − ηa) and y by (1 − ηb) each step."""
    _, grad = ill_conditioned_valley(a=1.0, b=25.0)
    path = trajectory(SGD(0.05), grad, [-4.0, 1.0], 30)
    t = np.arange(31)
    np.testing.assert_allclose(path, np.column_stack([-4.0 * 0.95 ** t, (-0.25) ** t]),
                               rtol=1e-12, atol=1e-300)


def test_momentum_reaches_the_valley_floor_in_fewer_steps_than_vanilla():
    """Same learning rate η = 0.01: vanilla crawls along the flat direction (factor 0.99 per
    step, ≈ 900 steps to L ≤ 1e-6), momentum μ = 0.9 needs ≈ 170. Each at its best settings
    (vanilla η = 2/(a + b), rate 12/13 per step; heavy ball η = 4/(√a + √b)², μ = 4/9, rate 2/3),
    momentum still wins by a factor of about 5."""
    loss, grad = ill_conditioned_valley(a=1.0, b=25.0)
    start, tol = [-10.0, 1.0], 1e-6
    vanilla = steps_to_tolerance(trajectory(SGD(0.01), grad, start, 2000), loss, tol)
    momentum = steps_to_tolerance(trajectory(SGD(0.01, momentum=0.9), grad, start, 2000), loss, tol)
    assert momentum is not None and vanilla is not None
    assert vanilla > 3 * momentum
    # L ≈ ½·100·0.99^(2t) once the steep direction has died out (factor 0.75 per step)
    assert vanilla == math.ceil(math.log(50 / tol) / (2 * -math.log(0.99)))
    best_vanilla = steps_to_tolerance(trajectory(SGD(2 / 26), grad, start, 2000), loss, tol)
    best_momentum = steps_to_tolerance(trajectory(SGD(4 / 36, momentum=4 / 9), grad, start, 2000),
                                       loss, tol)
    assert best_vanilla > 3 * best_momentum


def test_adam_escapes_the_saddle_where_vanilla_stalls():
    """From (1, 10⁻⁶) next to the saddle of x² − y²: vanilla's y grows by (1 + 2η) per step
    and is still < 10⁻⁵ after 100 steps at η = 0.01, stuck near L ≈ 0 with a tiny gradient;
    Adam's first step moves y by η·|g|/(|g| + ε̂) with ε̂ = ε/√(1 − β₂) ≈ 3.2e-6 (Keras' ε
    placement; the source's form would give ≈ η here); once |g| ≫ ε̂ every Adam step has size
    ≈ η, however small the gradient."""
    loss, grad = saddle()
    start = [1.0, 1e-6]
    vanilla = trajectory(SGD(0.01), grad, start, 100)
    adam = trajectory(Adam(0.01), grad, start, 100)
    np.testing.assert_allclose(vanilla[:, 1], 1e-6 * 1.02 ** np.arange(101), rtol=1e-12)
    assert abs(vanilla[-1, 1]) < 1e-5 and np.linalg.norm(grad(vanilla[-1])) < 0.3
    g, eps_hat = 2e-6, 1e-7 / math.sqrt(1 - 0.999)
    assert adam[1, 1] == pytest.approx(1e-6 + 0.01 * g / (g + eps_hat), rel=1e-12)
    assert abs(adam[-1, 1]) > 1.0 and loss(adam[-1]) < -1.0
    _, bounded_grad = saddle(quartic=0.5)      # with minima at (0, ±1) beyond
    landed = trajectory(Adam(0.01), bounded_grad, start, 1500)[-1]
    np.testing.assert_allclose(landed, [0.0, 1.0], atol=1e-2)


@pytest.mark.parametrize("eta, regime", [(0.25, "monotone"), (0.5, "one step"),
                                         (0.75, "oscillating convergence"),
                                         (1.0, "pure oscillation"), (1.1, "divergence")])
def test_learning_rate_thresholds_on_a_parabola(eta, regime):
    """L = a θ²/2 with a = 2 (1/a = 0.5, 2/a = 1): θ_s = (1 − 2η)^s θ₀, by hand."""
    a, theta0 = 2.0, 3.0
    assert learning_rate_regime(eta, a) == regime
    _, grad = parabola(a)
    path = trajectory(SGD(eta), grad, [theta0], 12)[:, 0]
    np.testing.assert_allclose(path, theta0 * (1 - eta * a) ** np.arange(13), rtol=1e-12)
    if regime == "monotone":
        assert np.all(np.diff(path) < 0) and np.all(path > 0)
    elif regime == "oscillating convergence":
        assert np.all(np.diff(np.sign(path)) != 0) and np.all(np.diff(np.abs(path)) < 0)
    elif regime == "pure oscillation":
        assert path.tolist() == [theta0 * (-1) ** s for s in range(13)]
    elif regime == "divergence":
        assert np.all(np.diff(np.abs(path)) > 0) and abs(path[-1]) > 2 * theta0


def test_steps_to_tolerance_grow_like_one_over_eta_for_small_eta():
    """n(η) = ⌈ln(tol)/ln(1 − ηa)⌉ ≈ ln(1/tol)/(ηa): halving η doubles the steps."""
    a, tol = 2.0, 1e-4
    loss, grad = parabola(a)
    counts = {}
    for eta in (0.001, 0.002, 0.004):
        path = trajectory(SGD(eta), grad, [1.0], 3000)
        counts[eta] = steps_to_tolerance(path, loss, tol * loss(path[0]))
        assert counts[eta] == math.ceil(math.log(tol) / (2 * math.log(1 - eta * a)))
        assert counts[eta] * eta == pytest.approx(math.log(1 / tol) / (2 * a), rel=0.01)
    assert counts[0.001] / counts[0.002] == pytest.approx(2, rel=0.01)
    assert counts[0.002] / counts[0.004] == pytest.approx(2, rel=0.01)


def test_errors():
    _, grad = ill_conditioned_valley()
    with pytest.raises(TypeError, match="optimizer_or_step"):
        trajectory("sgd", grad, [1.0, 1.0], 3)
    with pytest.raises(ValueError, match="expected shape"):
        trajectory(SGD(), lambda t: np.zeros(3), [1.0, 1.0], 3)
    with pytest.raises(TypeError, match="grad_fn"):
        trajectory(SGD(), None, [1.0, 1.0], 3)
    loss, _ = parabola()
    assert steps_to_tolerance(np.ones((5, 1)), loss, 1e-3) is None


@pytest.mark.parametrize("make", [ill_conditioned_valley, saddle])
def test_test_functions_refuse_points_of_the_wrong_dimension(make):
    loss, grad = make()
    for bad in ([1.0], [1.0, 2.0, 3.0]):
        with pytest.raises(ValueError, match=r"theta: expected one point of shape \(2,\)"):
            grad(bad)
    with pytest.raises(ValueError, match=r"shape \(\.\.\., 2\)"):
        loss(np.zeros((4, 3)))
    assert loss(np.zeros((4, 5, 2))).shape == (4, 5)        # a grid is fine


def test_steps_to_tolerance_names_a_bad_tolerance_and_accepts_a_diverged_path():
    loss, _ = parabola(1.0)
    with pytest.raises(TypeError, match="tolerance"):
        steps_to_tolerance(np.zeros((3, 1)), loss, "0.1")
    assert steps_to_tolerance(np.array([[2.0], [np.inf]]), loss, 0.1) is None


def test_a_diverging_path_is_reported_at_the_step_it_overflows():
    """η = 3 on aθ²/2 with a = 1 multiplies θ by −2 each step: 2^1024 overflows at step 1024."""
    _, grad = parabola(1.0)
    assert abs(trajectory(SGD(3.0), grad, [1.0], 20)[-1, 0]) == 2.0 ** 20
    with pytest.raises(ValueError, match="overflowed at step 1024"):
        trajectory(partial(sgd_step, learning_rate=3.0), grad, [1.0], 1100)


def test_quadratic_bowl_valley_and_parabola_against_their_formulas_on_grids():
    from nnbook.optim.trajectories import quadratic_bowl

    x, y = np.meshgrid(np.linspace(-1, 1, 4), np.linspace(-2, 2, 3))
    loss, grad = ill_conditioned_valley(2.0, 9.0)
    np.testing.assert_allclose(loss(np.stack([x, y], axis=-1)), x ** 2 + 4.5 * y ** 2)
    np.testing.assert_array_equal(grad([1.0, -2.0]), [2.0, -18.0])
    loss, grad = parabola(3.0)
    np.testing.assert_allclose(loss(x[..., None]), 1.5 * x ** 2)
    np.testing.assert_array_equal(grad([-2.0]), [-6.0])
    loss, grad = quadratic_bowl([1.0, 2.0, 4.0])
    assert loss([1.0, 1.0, 1.0]) == 3.5 and loss(np.ones((5, 3))).shape == (5,)
    np.testing.assert_array_equal(grad([1.0, 1.0, -1.0]), [1.0, 2.0, -4.0])
