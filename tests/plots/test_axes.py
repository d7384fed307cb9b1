"""nnbook.plots.axes: new figures only when asked, and show() leaves no figure open."""

import importlib

import matplotlib
import matplotlib.pyplot as plt
import pytest

from nnbook import plots


def test_new_axes_returns_the_given_axes_or_a_new_one():
    fig, ax = plt.subplots()
    assert plots.new_axes(ax) is ax
    fresh = plots.new_axes(None)
    assert fresh is not ax and fresh.figure is not fig
    assert plots.new_axes(None, projection="3d").name == "3d"


def test_show_displays_a_png_and_closes_the_figure(monkeypatch):
    display = pytest.importorskip("IPython.display")
    shown = []
    monkeypatch.setattr(display, "display", shown.append)
    fig, ax = plt.subplots()
    ax.plot([0, 1], [1, 0])
    plots.show(ax)                                      # an Axes is taken as its figure
    (image,) = shown
    assert image.data[:8] == b"\x89PNG\r\n\x1a\n"
    assert not plt.fignum_exists(fig.number)


def test_import_does_not_touch_pyplot_state():
    before = dict(matplotlib.rcParams)
    importlib.reload(plots)
    assert dict(matplotlib.rcParams) == before
