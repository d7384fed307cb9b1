"""A student's matplotlib figure as plain data, redrawn on the grader's side.

What the plot checks read crosses: each Axes' lines (x, y, label), its title, axis labels,
scales and legend texts. The grader draws them again on a fresh ``Figure`` (no pyplot state),
so ``isinstance(ax, Axes)`` and :mod:`nnbook.book.grading.plots` work as in one process, and no
artist of the student's (whose methods they may have replaced) is ever used.
"""

import sys

import numpy as np

MAX_LINES = 200


def is_figure_or_axes(value):
    """Whether ``value`` is a matplotlib Figure or Axes (without importing matplotlib)."""
    if "matplotlib" not in sys.modules:
        return False
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    return isinstance(value, (Axes, Figure))


def _describe_axes(ax):
    legend = ax.get_legend()
    return {"lines": [[np.asarray(line.get_xdata(), dtype=float), np.asarray(line.get_ydata(), dtype=float),
                       str(line.get_label())] for line in ax.lines[:MAX_LINES]],
            "title": str(ax.get_title()), "xlabel": str(ax.get_xlabel()), "ylabel": str(ax.get_ylabel()),
            "xscale": str(ax.get_xscale()), "yscale": str(ax.get_yscale()),
            "legend": None if legend is None else [str(t.get_text()) for t in legend.get_texts()]}


def describe(value):
    """``("axes", description)`` or ``("figure", [description, ...])``."""
    from matplotlib.axes import Axes

    if isinstance(value, Axes):
        return ["axes", _describe_axes(value)]
    return ["figure", [_describe_axes(ax) for ax in value.axes[:50]]]


def _draw(ax, description):
    if not isinstance(description, dict):
        raise ValueError("malformed axes description")
    for x, y, label in description.get("lines", [])[:MAX_LINES]:
        ax.plot(np.asarray(x, dtype=float), np.asarray(y, dtype=float), label=str(label))
    ax.set_title(str(description.get("title", "")))
    ax.set_xlabel(str(description.get("xlabel", "")))
    ax.set_ylabel(str(description.get("ylabel", "")))
    for setter, scale in ((ax.set_xscale, description.get("xscale")), (ax.set_yscale, description.get("yscale"))):
        if scale in ("linear", "log", "symlog", "logit"):
            setter(scale)
    legend = description.get("legend")
    if isinstance(legend, list):
        ax.legend(ax.lines, [str(text) for text in legend][:len(ax.lines)]) if ax.lines else ax.legend()


def rebuild(kind, body):
    """A new Axes or Figure drawn from :func:`describe`'s data."""
    from matplotlib.figure import Figure

    figure = Figure()
    if kind == "axes":
        ax = figure.add_subplot()
        _draw(ax, body)
        return ax
    if kind == "figure" and isinstance(body, list):
        for index, description in enumerate(body[:50]):
            _draw(figure.add_subplot(len(body), 1, index + 1), description)
        return figure
    raise ValueError("malformed figure description")
