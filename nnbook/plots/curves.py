"""Curves: activations, 1-D descent, universal approximation and its error (Nielsen §1.2, §1.5;
陈强 §15.4–§15.5)."""

from __future__ import annotations

import numpy as np

from nnbook.plots.axes import new_axes
from nnbook.validation import as_float_array


def plot_step_and_sigmoid(ax=None, z_range=(-4, 4)):
    """σ(z) (Nielsen eq. (3)) and the perceptron's step on one axes (Nielsen §1.2 figures).

    The step line takes the value 0 at z = 0 (footnote 2: the perceptron outputs 0 there) and
    the point (0, 0) is marked filled, (0, 1) hollow. Lines carry the labels "sigmoid" and
    "step". Returns the Axes.
    """
    from nnbook.functional.activations import sigmoid, step

    bounds = as_float_array(z_range, "z_range", ndim=1)
    if bounds.shape != (2,) or not bounds[0] < bounds[1]:
        raise ValueError(f"z_range: expected (low, high) with low < high, found {z_range!r}")
    lo, hi = float(bounds[0]), float(bounds[1])
    ax = new_axes(ax)
    if lo < 0 < hi:
        z = np.concatenate([np.linspace(lo, 0.0, 201), np.linspace(0.0, hi, 201)[1:]])
    else:
        z = np.linspace(lo, hi, 401)
    ax.plot(z, sigmoid(z), color="tab:blue", linewidth=2, label="sigmoid")
    ax.plot(z, step(z), color="tab:orange", linewidth=2, linestyle="--", label="step")
    if lo <= 0 <= hi:
        ax.plot([0.0], [0.0], "o", color="tab:orange", label="step(0) = 0")
        ax.plot([0.0], [1.0], "o", markerfacecolor="white", color="tab:orange")
    ax.set_xlabel("z")
    ax.set_ylabel("output")
    ax.set_ylim(-0.05, 1.05)
    ax.set_yticks(np.linspace(0, 1, 6))
    ax.set_title("sigmoid σ(z) and the perceptron's step")
    ax.legend(loc="upper left")
    ax.grid(alpha=0.3)
    return ax


def plot_descent_1d(C, path, ax=None, *, v_range=None):
    """Gradient descent on a cost of one variable (Nielsen §1.5, the one-dimensional exercise).

    C : callable mapping an array of v values to C(v) (vectorised).
    path : (k,) iterates v_0 … v_{k−1}. Draws the curve C (label "C(v)") over ``v_range``
    (low, high) — by default a range covering the path — and the iterates at height C(v_t)
    joined in order (label "iterates"). Returns the Axes.
    """
    if not callable(C):
        raise TypeError(f"C: expected a function v -> C(v), found {type(C).__name__}")
    path = as_float_array(path, "path", ndim=(1, 2))
    if path.ndim == 2:
        if path.shape[1] != 1:
            raise ValueError(f"path: expected the iterates of a 1-D descent, shape (k,) or (k, 1), "
                             f"found {path.shape}")
        path = path[:, 0]
    if path.size == 0:
        raise ValueError("path: expected at least one iterate, found none")
    if v_range is None:
        lo, hi = float(path.min()), float(path.max())
        span = max(hi - lo, 1.0)
        lo, hi = lo - 0.15 * span, hi + 0.15 * span
    else:
        bounds = as_float_array(v_range, "v_range", ndim=1)
        if bounds.shape != (2,) or not bounds[0] < bounds[1]:
            raise ValueError(f"v_range: expected (low, high) with low < high, found {v_range!r}")
        lo, hi = float(bounds[0]), float(bounds[1])
    ax = new_axes(ax)
    v = np.linspace(lo, hi, 400)
    cost_curve = as_float_array(C(v), "C(v)", ndim=1)
    if cost_curve.shape != v.shape:
        raise ValueError(f"C(v): expected one value per v, shape {v.shape}, found {cost_curve.shape}")
    ax.plot(v, cost_curve, color="tab:blue", label="C(v)")
    cost_path = as_float_array(C(path), "C(path)", ndim=1)
    ax.plot(path, cost_path, "o-", color="tab:red", markersize=4, linewidth=1, label="iterates")
    ax.plot([path[0]], [cost_path[0]], "s", color="tab:green", label="start")
    ax.set_xlabel("v")
    ax.set_ylabel("C(v)")
    ax.legend()
    return ax


def plot_approximation(G, g, ax=None, *, x=None, label=None):
    """A one-hidden-layer approximation G, 陈强 (15.19), against its target g on [0, 1].

    G, g : callables of x (k,) → (k,), e.g. ``nnbook.analysis.approximation.relu_hats(g, 20)`` and g.
    Lines are labelled "g(x)" and ``label`` (default "G(x), m = <units>" when G has
    ``n_units``). x defaults to 1,001 points on [0, 1]. Returns the Axes.
    """
    for name, fn in (("G", G), ("g", g)):
        if not callable(fn):
            raise TypeError(f"{name}: expected a function of x, found {type(fn).__name__}")
    x = np.linspace(0.0, 1.0, 1001) if x is None else as_float_array(x, "x", ndim=1)
    if label is None:
        units = getattr(G, "n_units", None)
        label = "G(x)" if units is None else f"G(x), m = {units}"
    ax = new_axes(ax)
    ax.plot(x, as_float_array(g(x), "g(x)"), color="black", linewidth=2, label="g(x)")
    ax.plot(x, as_float_array(G(x), "G(x)"), color="tab:red", linewidth=1.2, linestyle="--",
            label=label)
    ax.set_xlabel("x")
    ax.legend()
    ax.grid(alpha=0.3)
    return ax


def plot_error_vs_units(ms, errors, ax=None, *, label=None, epsilon=None):
    """Sup error against the number of hidden units m on log–log axes (陈强 §15.5, (15.20)).

    ms (k,), errors (k,) — e.g. from ``nnbook.analysis.approximation.error_vs_units``. One line
    per call
    (label ``label``), so several constructions can share the Axes; ``epsilon`` adds a
    horizontal line labelled "ε = …". Returns the Axes.
    """
    ms = as_float_array(ms, "ms", ndim=1)
    errors = as_float_array(errors, "errors", ndim=1)
    if ms.shape != errors.shape or ms.size == 0:
        raise ValueError(f"ms and errors: expected two equal non-empty 1-D arrays, found shapes "
                         f"{ms.shape} and {errors.shape}")
    if np.any(ms <= 0) or np.any(errors <= 0):
        raise ValueError("ms and errors: expected positive values for log–log axes")
    ax = new_axes(ax)
    ax.loglog(ms, errors, "o-", markersize=4, label=label)
    if epsilon is not None:
        ax.axhline(float(epsilon), color="0.4", linestyle=":", label=f"ε = {epsilon:g}")
    ax.set_xlabel("hidden units m")
    ax.set_ylabel("sup |G(x) − g(x)|")
    ax.grid(alpha=0.3, which="both")
    if label is not None or epsilon is not None:
        ax.legend()
    return ax
