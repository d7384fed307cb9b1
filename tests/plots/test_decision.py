"""nnbook.plots.decision: the regions are the classifier's predictions; the points their labels."""

import numpy as np
import pytest

from nnbook import plots

AND_X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
AND_Y = np.array([0, 0, 0, 1])


def predict_and(points):
    return (points[:, 0] + points[:, 1] > 1.5).astype(int)


def test_points_by_class_and_regions_by_prediction():
    asked = []

    def recording(points):
        asked.append(points)
        return predict_and(points)

    ax = plots.plot_decision_boundary(recording, AND_X, AND_Y, title="AND", resolution=11)
    points = {c.get_gid(): c.get_offsets() for c in ax.collections
              if (c.get_gid() or "").startswith("points:")}
    np.testing.assert_array_equal(points["points:true"], [[1, 1]])
    np.testing.assert_array_equal(points["points:false"], AND_X[:3])
    (grid,) = asked                                  # one call, on the padded 11 × 11 grid
    assert grid.shape == (121, 2)
    np.testing.assert_allclose(grid.min(axis=0), [-0.5, -0.5])
    np.testing.assert_allclose(grid.max(axis=0), [1.5, 1.5])
    shaded = ax.findobj(lambda a: getattr(a, "get_gid", lambda: None)() == "regions")
    assert shaded, "the predicted regions are not drawn"
    assert ax.get_title() == "AND" and ax.get_xlabel() == "$x_1$"


def test_rejects_bad_input():
    with pytest.raises(ValueError, match="2 features"):
        plots.plot_decision_boundary(predict_and, np.zeros((3, 3)), np.ones(3))
    with pytest.raises(ValueError, match="same non-zero"):
        plots.plot_decision_boundary(predict_and, AND_X, AND_Y[:3])
    with pytest.raises(TypeError, match="predict"):
        plots.plot_decision_boundary("AND", AND_X, AND_Y)
    with pytest.raises(ValueError, match="predict\\(grid\\)"):
        plots.plot_decision_boundary(lambda p: np.zeros(3), AND_X, AND_Y)
