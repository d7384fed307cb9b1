"""Constructive universal approximation (陈强 §15.5, (15.19)–(15.20)) against bounds derived here.

Every ε below is computed in the test from calculus, not read off the code:
* step staircase: sup|G − g| ≤ Lip(g)/(2m) = π/m for g = sin(2πx);
* ReLU hats (linear interpolation, h = 1/(m − 1)): sup|G − g| ≤ h² max|g''|/8 = π²/(2(m − 1)²),
  so m = 50 gives ≤ 0.002055 < ε = 0.01;
* on a grid of spacing δ the true sup exceeds the grid sup by at most (δ/2)(Lip g + Lip G).
"""

import functools
import math

import numpy as np
import pytest

from nnbook.analysis.approximation import (
    ShallowNetwork,
    error_vs_units,
    relu_hats,
    relu_hats_bound,
    relu_surface,
    ridge_relu_hats,
    sigmoid_bumps,
    sigmoid_bumps_bound,
    step_bumps,
    sup_error,
)


def g(x):
    return np.sin(2 * np.pi * x)


LIP = 2 * np.pi  # max |g'|
CURV = 4 * np.pi ** 2  # max |g''|
GRID = np.linspace(0.0, 1.0, 20_001)
DELTA = GRID[1] - GRID[0]


def manual_G(net, x):
    """(15.19) written out: Σ_i α_i f(w_i x + b_i), one unit at a time."""
    return sum(a * net.activation(w[0] * x + b)
               for a, w, b in zip(net.alpha, net.weights, net.biases))


@pytest.mark.parametrize("construct", [step_bumps, sigmoid_bumps, relu_hats])
def test_networks_have_the_form_15_19_with_m_units(construct):
    net = construct(g, 17)
    assert isinstance(net, ShallowNetwork) and net.n_units == 17
    assert net.alpha.shape == (17,) and net.weights.shape == (17, 1) and net.biases.shape == (17,)
    x = np.linspace(0, 1, 301)
    assert np.allclose(net(x), manual_G(net, x), atol=1e-12)


# --- ReLU hats: the stated ε for the stated m -------------------------------------------------

def test_relu_hats_m50_sup_error_below_001():
    m, epsilon = 50, 0.01
    bound = math.pi ** 2 / (2 * (m - 1) ** 2)  # = 0.002055…
    assert bound < epsilon and relu_hats_bound(CURV, m) == pytest.approx(bound)
    net = relu_hats(g, m)
    grid_sup = sup_error(net, g, GRID)
    assert grid_sup <= bound + 1e-12
    lip_G = np.max(np.abs(np.diff(net(np.linspace(0, 1, m)))) * (m - 1))  # largest slope
    assert grid_sup + DELTA / 2 * (LIP + lip_G) < epsilon
    assert grid_sup > 0.9 * bound  # the bound is nearly attained: it is the right construction


def test_relu_hats_interpolate_at_the_knots_and_are_linear_between():
    m = 11
    net = relu_hats(g, m)
    knots = np.linspace(0, 1, m)
    assert np.allclose(net(knots), g(knots), atol=1e-12)
    mids = (knots[:-1] + knots[1:]) / 2
    assert np.allclose(net(mids), (g(knots[:-1]) + g(knots[1:])) / 2, atol=1e-12)


def test_relu_hats_on_another_interval_and_function():
    net = relu_hats(np.exp, 30, interval=(-1.0, 2.0))
    x = np.linspace(-1, 2, 9001)
    bound = (3 / 29) ** 2 * math.exp(2) / 8
    assert sup_error(net, np.exp, x) <= bound + 1e-12


def test_relu_error_is_second_order():
    ms, errors = error_vs_units(relu_hats, g, [11, 21, 41, 81], GRID)
    ratios = errors[:-1] / errors[1:]  # h halves each time → error / 4
    assert np.all((ratios > 3.5) & (ratios < 4.5)), ratios


# --- step and sigmoid bumps -------------------------------------------------------------------

@pytest.mark.parametrize("m", [5, 20, 50, 100])
def test_step_bumps_within_lipschitz_bound(m):
    err = sup_error(step_bumps(g, m), g, GRID)
    assert err <= math.pi / m + 1e-12
    assert err > 0.9 * math.pi / m  # near x = 0 the slope is 2π: the bound is attained


def test_step_bumps_are_a_staircase_of_midpoint_values():
    m = 8
    net = step_bumps(g, m)
    for i in range(m):
        inside = np.linspace(i / m + 1e-9, (i + 1) / m - 1e-9, 7)
        assert np.allclose(net(inside), g((i + 0.5) / m))


def test_sigmoid_bumps_within_their_bound():
    m, kappa = 50, 10.0
    bound = (LIP / (2 * m) + LIP / m * (1 + 2 * math.exp(-kappa) / (1 - math.exp(-kappa)))
             + math.exp(-kappa * m))
    assert sigmoid_bumps_bound(LIP, m, kappa) == pytest.approx(bound)
    net = sigmoid_bumps(g, m, steepness=kappa)
    assert sup_error(net, g, GRID) + DELTA / 2 * (LIP + LIP * kappa) < bound


def test_steep_sigmoid_bumps_approach_step_bumps_off_the_knots():
    m = 10
    x = np.linspace(0, 1, 1001)
    x = x[np.min(np.abs(x[:, None] - np.arange(m)[None, :] / m), axis=1) > 0.02]
    gaps = [np.max(np.abs(sigmoid_bumps(g, m, steepness=k)(x) - step_bumps(g, m)(x)))
            for k in (5.0, 20.0, 80.0)]
    assert gaps[0] > gaps[1] > gaps[2] and gaps[2] < 1e-6


@pytest.mark.parametrize("construct", [step_bumps, functools.partial(sigmoid_bumps, steepness=10.0),
                                       relu_hats])
def test_error_decreases_with_m(construct):
    ms, errors = error_vs_units(construct, g, [4, 8, 16, 32, 64], GRID)
    assert ms.tolist() == [4, 8, 16, 32, 64]
    assert np.all(np.diff(errors) < 0), errors


# --- 2-D ---------------------------------------------------------------------------------------

def g2(X):
    return np.sin(2 * np.pi * X[:, 0]) * np.cos(2 * np.pi * X[:, 1])


GRID2 = np.array(np.meshgrid(np.linspace(0, 1, 161), np.linspace(0, 1, 161),
                             indexing="ij")).reshape(2, -1).T


def test_ridge_relu_hats_fit_sin_cos_within_the_bound():
    # sin(2πx)cos(2πy) = ½ sin(2π(x + y)) + ½ sin(2π(x − y)); each profile on an interval of
    # length 2 with m units: h = 2/(m − 1), bound h² (½·4π²)/8 per ridge
    m = 50
    profile = lambda u: 0.5 * np.sin(2 * np.pi * u)  # noqa: E731
    net = ridge_relu_hats([((1.0, 1.0), profile), ((1.0, -1.0), profile)], m)
    assert net.n_units == 2 * m and net.input_dim == 2
    bound = 2 * (2 / (m - 1)) ** 2 * (0.5 * CURV) / 8
    err = sup_error(net, g2, GRID2)
    assert err <= bound + 1e-12 and err < 0.01


def test_relu_surface_least_squares_error_falls_with_m():
    def bump(X):
        return np.exp(-8 * ((X[:, 0] - 0.5) ** 2 + (X[:, 1] - 0.5) ** 2))

    errors = [sup_error(relu_surface(bump, m), bump, GRID2) for m in (16, 64, 256)]
    assert errors[0] > errors[1] > errors[2] and errors[2] < 0.02, errors


# --- sup_error, plots, errors ------------------------------------------------------------------

def test_sup_error_by_hand():
    x = np.linspace(0, 1, 5)
    assert sup_error(lambda t: t, lambda t: 0 * t, x) == 1.0
    assert sup_error(lambda t: t ** 2, lambda t: t, x) == 0.25


def test_clear_errors():
    with pytest.raises(TypeError, match="function"):
        relu_hats(3.0, 10)
    with pytest.raises(ValueError, match="at least 2"):
        relu_hats(g, 1)
    with pytest.raises(TypeError, match="integer"):
        step_bumps(g, 2.5)
    with pytest.raises(ValueError, match="one value per point"):
        relu_hats(lambda x: np.ones(3), 10)
    with pytest.raises(ValueError, match="interval"):
        relu_hats(g, 10, interval=(1.0, 0.0))
    with pytest.raises(ValueError, match="columns"):
        ridge_relu_hats([((1.0, 1.0), g)], 5)(np.zeros((3, 3)))
    with pytest.raises(ValueError, match="ints"):
        error_vs_units(relu_hats, g, [2.5, 3.0])
