"""Surfaces: the valley C(v1, v2) = v1² + v2² with a descent path (Nielsen §1.5)."""

from __future__ import annotations

import numpy as np

from nnbook.plots.axes import new_axes
from nnbook.validation import as_float_array


def plot_valley(path=None, ax=None):
    """The bowl C(v1, v2) = v1² + v2² on [−1, 1]² (Nielsen §1.5, the valley figures).

    ``path`` (k, 2) — e.g. from :func:`nnbook.optim.gradient_descent.gradient_descent` — is lifted
    onto the surface (z = C(v), line labelled "descent path") and its last point is drawn as a
    ball (label "ball"). ``ax`` must be a 3-D Axes (``fig.add_subplot(projection="3d")``).
    Returns the Axes.
    """
    from nnbook.optim.gradient_descent import valley

    if path is not None:
        path = as_float_array(path, "path", ndim=2)
        if path.shape[1] != 2 or path.shape[0] < 1:
            raise ValueError(f"path: expected shape (k, 2) with k >= 1 points (v1, v2), "
                             f"found {path.shape}")
    if ax is not None and getattr(ax, "name", None) != "3d":
        raise TypeError("ax: expected a 3-D Axes (fig.add_subplot(projection='3d')), found a "
                        f"{getattr(ax, 'name', type(ax).__name__)!r} Axes")
    ax = new_axes(ax, projection="3d")
    grid = np.linspace(-1.0, 1.0, 41)
    V1, V2 = np.meshgrid(grid, grid)
    C = valley(np.stack([V1, V2], axis=-1))
    ax.plot_surface(V1, V2, C, cmap="viridis", alpha=0.55, linewidth=0, antialiased=True,
                    rstride=2, cstride=2)
    if path is not None:
        cost = valley(path)
        ax.plot(path[:, 0], path[:, 1], cost, color="red", marker=".", linewidth=1.5,
                zorder=5, label="descent path")
        ax.plot([path[-1, 0]], [path[-1, 1]], [cost[-1]], "o", color="black", markersize=9,
                zorder=6, label="ball")
    ax.set_xlabel("$v_1$", labelpad=8)       # clear of the tick labels on every matplotlib
    ax.set_ylabel("$v_2$", labelpad=8)
    ax.set_zlabel("$C$")
    ax.set_xticks([-1, 0, 1])
    ax.set_yticks([-1, 0, 1])
    ax.set_zticks([0, 1, 2])
    ax.set_zlim(0, 2)
    return ax
