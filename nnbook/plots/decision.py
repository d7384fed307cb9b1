"""Decision regions of a 2-D classifier (陈强 §15.2, figure 15.3)."""

from __future__ import annotations

import numbers

import numpy as np

from nnbook.plots.axes import new_axes
from nnbook.validation import as_float_array


def plot_decision_boundary(predict, X, y, ax=None, *, resolution=201, padding=0.5, title=None):
    """Regions of a 2-D classifier and its labelled points (陈强 §15.2, figure 15.3).

    predict : callable mapping points (k, 2) to labels (k,) — e.g. a fitted
        ``PerceptronClassifier.predict`` or ``xor_network().output``.

    X (n, 2), y (n,): points drawn blue where y is TRUE (> 0) and black otherwise (the source's
    colours), as two scatter collections with gids ``points:true`` and ``points:false``.
    The predicted labels on a ``resolution`` × ``resolution`` grid over the points' box widened
    by ``padding`` are shaded with ``contourf`` (gid ``regions``). Returns the Axes.
    """
    if not callable(predict):
        raise TypeError(f"predict: expected a function of points (k, 2), found "
                        f"{type(predict).__name__}")
    X = as_float_array(X, "X", ndim=2)
    y = as_float_array(y, "y", ndim=1)
    if X.shape[1] != 2:
        raise ValueError(f"X: expected 2 features per point (a plane), found shape {X.shape}")
    if X.shape[0] != y.shape[0] or X.shape[0] == 0:
        raise ValueError(f"X has {X.shape[0]} rows and y has {y.shape[0]} labels; expected the "
                         "same non-zero number")
    if isinstance(resolution, bool) or not isinstance(resolution, numbers.Integral) \
            or resolution < 2:
        raise ValueError(f"resolution: expected an int >= 2, found {resolution!r}")
    ax = new_axes(ax)
    low, high = X.min(axis=0) - padding, X.max(axis=0) + padding
    g0 = np.linspace(low[0], high[0], int(resolution))
    g1 = np.linspace(low[1], high[1], int(resolution))
    G0, G1 = np.meshgrid(g0, g1)
    labels = as_float_array(predict(np.column_stack([G0.ravel(), G1.ravel()])), "predict(grid)")
    if labels.size != G0.size:
        raise ValueError(f"predict(grid): expected {G0.size} labels, found shape {labels.shape}")
    regions = ax.contourf(G0, G1, (labels.reshape(G0.shape) > 0).astype(float),
                          levels=[-0.5, 0.5, 1.5], colors=["0.85", "#cfe2f3"])
    regions.set_gid("regions")
    true = y > 0
    ax.scatter(X[true, 0], X[true, 1], color="tab:blue", s=60, zorder=3, label="TRUE",
               gid="points:true")
    ax.scatter(X[~true, 0], X[~true, 1], color="black", s=60, zorder=3, label="FALSE",
               gid="points:false")
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.set_aspect("equal")
    if title is not None:
        ax.set_title(title)
    return ax
