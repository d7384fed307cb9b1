"""nnbook.plots.surfaces: the valley C(v1, v2) = v1² + v2² and a path lifted onto it."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from nnbook import plots


def line(ax, label):
    (found,) = [ln for ln in ax.get_lines() if ln.get_label() == label]
    return found


def test_valley_surface_and_path():
    path = np.array([[0.8, -0.6], [0.64, -0.48], [0.512, -0.384]])
    ax = plots.plot_valley(path)
    assert ax.name == "3d"
    assert len(ax.collections) == 1  # the surface
    xs, ys, zs = line(ax, "descent path").get_data_3d()
    np.testing.assert_allclose(xs, path[:, 0])
    np.testing.assert_allclose(ys, path[:, 1])
    np.testing.assert_allclose(zs, path[:, 0] ** 2 + path[:, 1] ** 2)
    bx, by, bz = line(ax, "ball").get_data_3d()
    np.testing.assert_allclose([bx[0], by[0], bz[0]], [0.512, -0.384, 0.512 ** 2 + 0.384 ** 2])
    assert ax.get_xlabel() == "$v_1$" and ax.get_zlabel() == "$C$"


def test_valley_surface_heights():
    ax = plots.plot_valley()
    assert not ax.get_lines()
    heights = np.asarray(ax.collections[0].get_array())  # mean C over each surface facet
    assert heights.min() >= 0 and heights.max() <= 2
    # the mean of v1² + v2² over [−1, 1]² is 2/3 (∫∫ (v1² + v2²) / 4 = 2·(1/3))
    assert abs(heights.mean() - 2 / 3) < 0.02


def test_valley_rejects_bad_input():
    with pytest.raises(ValueError, match="path"):
        plots.plot_valley(np.zeros((4, 3)))
    fig, flat = plt.subplots()
    with pytest.raises(TypeError, match="3-D"):
        plots.plot_valley(ax=flat)
