"""nnbook.plots.curves: the lines carry the data they claim (checked against formulas by hand)."""

import numpy as np
import pytest

from nnbook import plots


def line(ax, label):
    found = [ln for ln in ax.get_lines() if ln.get_label() == label]
    assert len(found) == 1, f"expected one line labelled {label!r}, found " \
                            f"{[ln.get_label() for ln in ax.get_lines()]}"
    return found[0]


def test_step_and_sigmoid_lines():
    ax = plots.plot_step_and_sigmoid()
    sig = line(ax, "sigmoid")
    z, y = sig.get_xdata(), sig.get_ydata()
    assert z.min() == -4 and z.max() == 4
    np.testing.assert_allclose(y, 1.0 / (1.0 + np.exp(-z)), rtol=1e-12)  # Nielsen eq. (3)
    st = line(ax, "step")
    z, y = st.get_xdata(), st.get_ydata()
    assert 0.0 in z
    assert y[z == 0.0][0] == 0.0  # Nielsen's footnote 2: the perceptron gives 0 at z = 0
    np.testing.assert_array_equal(y[z < 0], 0.0)
    np.testing.assert_array_equal(y[z > 0], 1.0)
    mark = line(ax, "step(0) = 0")
    assert list(mark.get_xdata()) == [0.0] and list(mark.get_ydata()) == [0.0]


def test_step_and_sigmoid_range_and_errors():
    ax = plots.plot_step_and_sigmoid(z_range=(-10, 2))
    z = line(ax, "sigmoid").get_xdata()
    assert (z.min(), z.max()) == (-10, 2)
    with pytest.raises(ValueError, match="z_range"):
        plots.plot_step_and_sigmoid(z_range=(3, -3))
    with pytest.raises(ValueError, match="z_range"):
        plots.plot_step_and_sigmoid(z_range=(1, 2, 3))


def test_descent_1d():
    path = np.array([1.0, 0.4, 0.16, 0.064])  # v ← (1 − 2η)v for C = v², η = 0.3
    ax = plots.plot_descent_1d(lambda v: v ** 2, path)
    curve = line(ax, "C(v)")
    np.testing.assert_allclose(curve.get_ydata(), curve.get_xdata() ** 2)
    assert curve.get_xdata().min() < path.min() and curve.get_xdata().max() > path.max()
    iterates = line(ax, "iterates")
    np.testing.assert_allclose(iterates.get_xdata(), path)
    np.testing.assert_allclose(iterates.get_ydata(), path ** 2)
    wide = line(plots.plot_descent_1d(lambda v: v ** 2, path, v_range=(-2, 3)), "C(v)")
    assert (wide.get_xdata().min(), wide.get_xdata().max()) == (-2, 3)
    with pytest.raises(ValueError, match="v_range"):
        plots.plot_descent_1d(lambda v: v ** 2, path, v_range=(1, 0))
    with pytest.raises(TypeError, match="C"):
        plots.plot_descent_1d(3.0, path)
    with pytest.raises(ValueError, match="path"):
        plots.plot_descent_1d(lambda v: v ** 2, np.zeros((3, 2)))


def test_approximation_draws_target_and_network():
    def g(x):
        return np.sin(2 * np.pi * x)

    class Hats:                      # a stand-in "network": piecewise linear through 5 knots
        n_units = 5

        def __call__(self, x):
            knots = np.linspace(0, 1, 5)
            return np.interp(x, knots, g(knots))

    ax = plots.plot_approximation(Hats(), g)
    target, approx = line(ax, "g(x)"), line(ax, "G(x), m = 5")
    x = target.get_xdata()
    assert (x.min(), x.max(), len(x)) == (0.0, 1.0, 1001)
    np.testing.assert_allclose(target.get_ydata(), g(x))
    np.testing.assert_allclose(approx.get_ydata()[[0, 250, 500]], [0.0, 1.0, 0.0], atol=1e-12)
    ax = plots.plot_approximation(Hats(), g, x=np.linspace(0, 1, 11), label="five knots")
    assert len(line(ax, "five knots").get_xdata()) == 11
    with pytest.raises(TypeError, match="G"):
        plots.plot_approximation(3, g)


def test_error_vs_units_on_log_axes():
    ms, errors = [2, 4, 8], [0.5, 0.125, 0.03125]   # error ∝ 1/m²
    ax = plots.plot_error_vs_units(ms, errors, label="hats", epsilon=0.01)
    assert ax.get_xscale() == ax.get_yscale() == "log"
    hats = line(ax, "hats")
    np.testing.assert_allclose(hats.get_xdata(), ms)
    slope = np.polyfit(np.log(hats.get_xdata()), np.log(hats.get_ydata()), 1)[0]
    assert slope == pytest.approx(-2.0)
    assert line(ax, "ε = 0.01").get_ydata()[0] == 0.01
    with pytest.raises(ValueError, match="positive"):
        plots.plot_error_vs_units([1, 2], [0.1, 0.0])
    with pytest.raises(ValueError, match="equal non-empty"):
        plots.plot_error_vs_units([1, 2], [0.1])
