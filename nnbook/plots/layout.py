"""Can a reader read it? The labels a figure draws, which of them overlap, which are cut off.

:func:`drawn_labels` draws a figure once (without rendering pixels) and records every piece of
text matplotlib actually draws — titles, axis labels, tick labels, legend entries, annotations,
free text — with its window extent in pixels. :func:`overlapping_labels` and
:func:`labels_off_canvas` read that list; :func:`label_problems` says what is wrong in words.

"The canvas" is what a reader gets: by default the image saved with ``bbox_inches="tight"``
(as ``nnbook tour`` and :func:`nnbook.plots.axes.show` save figures). That box grows to hold
every label that takes part in the layout, so a label is cut off only when it is clipped (by its
Axes or a clip box) or excluded from the layout (``set_in_layout(False)``). ``canvas="figure"``
checks against the figure's own size instead (what ``plt.show`` puts in a window).
"""

from __future__ import annotations

import functools
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
from matplotlib.text import Text
from matplotlib.transforms import Bbox

#: Two labels closer than this many pixels (both ways) run together: they count as overlapping.
MARGIN = 1.0
#: A label may reach this many pixels past a canvas or an Axes' edge without counting.
TOLERANCE = 1.0


@dataclass(frozen=True)
class Label:
    """One drawn text: its string, its role in the figure, its extent and clip box in pixels."""

    text: str
    role: str
    extent: Bbox
    clip: Bbox | None
    artist: Text
    axes: object = None     # the Axes the text belongs to (None for figure-level text)

    def __str__(self) -> str:
        return f"{self.role} {self.text!r}"


@contextmanager
def _record_text_draws(drawn: list):
    """Within the block, every ``Text.draw`` also appends (text, renderer) to ``drawn``."""
    original = Text.draw

    @functools.wraps(original)
    def draw(self, renderer):
        original(self, renderer)
        drawn.append((self, renderer))

    Text.draw = draw
    try:
        yield
    finally:
        Text.draw = original


def _axes_name(ax, index: int) -> str:
    title = next((t.get_text() for t in (ax.title, ax._left_title, ax._right_title)
                  if t.get_text()), "")
    return f"Axes {index} ({title!r})" if title else f"Axes {index}"


def _roles(figure) -> dict[int, tuple[str, object]]:
    """id(text) → (a description such as "x tick label of Axes 1 ('AND')", its Axes or None)."""
    roles = {}
    if getattr(figure, "_suptitle", None) is not None:
        roles[id(figure._suptitle)] = ("suptitle", None)
    for legend in figure.legends:
        for text in legend.get_texts():
            roles[id(text)] = ("figure legend entry", None)
    for index, ax in enumerate(figure.axes):
        name = _axes_name(ax, index)
        for title in (ax.title, ax._left_title, ax._right_title):
            roles[id(title)] = (f"title of {name}", ax)
        for letter in "xyz":
            axis = getattr(ax, f"{letter}axis", None)
            if axis is None:
                continue
            roles[id(axis.label)] = (f"{letter} label of {name}", ax)
            roles[id(axis.get_offset_text())] = (f"{letter} offset text of {name}", ax)
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                for text in (tick.label1, tick.label2):
                    roles[id(text)] = (f"{letter} tick label of {name}", ax)
        legend = ax.get_legend()
        if legend is not None:
            for text in legend.get_texts():
                roles[id(text)] = (f"legend entry of {name}", ax)
            roles[id(legend.get_title())] = (f"legend title of {name}", ax)
        for text in ax.texts:
            kind = "annotation" if hasattr(text, "xyann") else "text"
            roles.setdefault(id(text), (f"{kind} in {name}", ax))
    return roles


def _extent(text: Text, renderer) -> Bbox:
    """The text's extent, grown to its background box (``bbox=dict(...)``) when it has one;
    an annotation's arrow is not part of its label."""
    extent = Text.get_window_extent(text, renderer)
    patch = text.get_bbox_patch()
    if patch is not None:
        text.update_bbox_position_size(renderer)
        extent = Bbox.union([extent, patch.get_window_extent(renderer)])
    return extent


def drawn_labels(figure) -> list[Label]:
    """Every non-blank text ``figure`` draws, in drawing order, with extents in pixels.

    ``figure`` is a matplotlib Figure (an Axes is taken as its figure). Like
    ``savefig(bbox_inches="tight")``, it is drawn twice without rendering pixels and the second
    draw is recorded: layout engines run at every draw, and constrained layout with
    equal-aspect Axes only settles on the second.
    """
    figure = getattr(figure, "figure", figure)
    if not hasattr(figure, "draw_without_rendering"):
        raise TypeError(f"figure: expected a matplotlib Figure or Axes, found "
                        f"{type(figure).__name__}")
    drawn = []
    figure.draw_without_rendering()
    with _record_text_draws(drawn):
        figure.draw_without_rendering()
    roles = _roles(figure)
    labels, seen = [], set()
    for text, renderer in drawn:
        content = text.get_text()
        if id(text) in seen or not text.get_visible() or not content.strip():
            continue
        seen.add(id(text))
        extent = _extent(text, renderer)
        if not np.all(np.isfinite(extent.get_points())):
            continue
        clip = text.get_clip_box() if text.get_clip_on() else None
        role, axes = roles.get(id(text), ("figure text", getattr(text, "axes", None)))
        labels.append(Label(content, role, extent, clip, text, axes))
    return labels


def _overlap(a: Bbox, b: Bbox) -> tuple[float, float]:
    return (min(a.x1, b.x1) - max(a.x0, b.x0), min(a.y1, b.y1) - max(a.y0, b.y0))


def overlapping_labels(figure, labels=None, *, margin=MARGIN) -> list[tuple[Label, Label]]:
    """Pairs of drawn labels whose extents overlap or are less than ``margin`` pixels apart
    (two labels that touch read as one)."""
    labels = drawn_labels(figure) if labels is None else labels
    pairs = []
    for i, a in enumerate(labels):
        for b in labels[i + 1:]:
            dx, dy = _overlap(a.extent, b.extent)
            if dx > -margin and dy > -margin:
                pairs.append((a, b))
    return pairs


def labels_on_other_axes(figure, labels=None, *, tolerance=TOLERANCE) -> list[tuple[Label, str]]:
    """Labels that reach into the plotting area of an Axes they do not belong to (a y label
    inside the neighbouring panel): (label, that Axes' name). Axes drawn with ``axis("off")``
    (diagrams) have no visible area and are skipped."""
    figure = getattr(figure, "figure", figure)
    labels = drawn_labels(figure) if labels is None else labels
    found = []
    for index, ax in enumerate(figure.axes):
        if not (ax.get_visible() and ax.axison):
            continue
        area = ax.bbox
        for label in labels:
            dx, dy = _overlap(label.extent, area)
            if label.axes is not ax and dx > tolerance and dy > tolerance:
                found.append((label, _axes_name(ax, index)))
    return found


def canvas_extent(figure, canvas: str = "tight") -> Bbox:
    """The part of the figure a reader sees, in pixels: ``"tight"`` (the box that
    ``savefig(bbox_inches="tight")`` saves, padding included) or ``"figure"`` (its own size)."""
    import matplotlib

    figure = getattr(figure, "figure", figure)
    if canvas == "figure":
        return figure.bbox
    if canvas != "tight":
        raise ValueError(f"canvas: expected 'tight' or 'figure', found {canvas!r}")
    pad = matplotlib.rcParams["savefig.pad_inches"]
    pad = 0.0 if pad == "layout" else float(pad)
    return figure.get_tightbbox().padded(pad).transformed(figure.dpi_scale_trans)


def _inside(inner: Bbox, outer: Bbox, tolerance: float) -> bool:
    return (inner.x0 >= outer.x0 - tolerance and inner.y0 >= outer.y0 - tolerance
            and inner.x1 <= outer.x1 + tolerance and inner.y1 <= outer.y1 + tolerance)


def labels_off_canvas(figure, labels=None, *, canvas: str = "tight",
                      tolerance=TOLERANCE) -> list[tuple[Label, str]]:
    """Labels a reader does not see whole: (label, "clipped" or "outside the canvas")."""
    labels = drawn_labels(figure) if labels is None else labels
    shown = canvas_extent(figure, canvas)
    cut = []
    for label in labels:
        if label.clip is not None and not _inside(label.extent, label.clip, tolerance):
            cut.append((label, "clipped by its Axes or clip box"))
        elif not _inside(label.extent, shown, tolerance):
            cut.append((label, f"outside the {canvas} canvas"))
    return cut


def label_problems(figure, *, canvas: str = "tight", margin=MARGIN,
                   tolerance=TOLERANCE) -> list[str]:
    """Every overlap, every label inside another panel and every cut-off label of ``figure``,
    one sentence each (an empty list when a reader can read every label)."""
    labels = drawn_labels(figure)
    problems = [f"{a} overlaps {b}" for a, b in overlapping_labels(figure, labels, margin=margin)]
    problems += [f"{label} reaches into the plotting area of {name}"
                 for label, name in labels_on_other_axes(figure, labels, tolerance=tolerance)]
    problems += [f"{label} is {why}"
                 for label, why in labels_off_canvas(figure, labels, canvas=canvas,
                                                     tolerance=tolerance)]
    return problems
