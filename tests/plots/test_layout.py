"""nnbook.plots.layout finds the labels a reader cannot read, and only those."""

import matplotlib.pyplot as plt
import pytest

from nnbook.plots.layout import (canvas_extent, drawn_labels, label_problems, labels_off_canvas,
                                 labels_on_other_axes, overlapping_labels)


def clean_figure():
    fig, ax = plt.subplots(figsize=(5, 3), layout="constrained")
    ax.plot([0, 1, 2], [0, 1, 4], label="C(v)")
    ax.set(xlabel="v", ylabel="cost", title="a clean figure")
    ax.legend()
    fig.suptitle("suptitle")
    return fig, ax


def test_a_clean_figure_has_no_problems_and_every_label_has_a_role():
    fig, ax = clean_figure()
    assert label_problems(fig) == []
    roles = {label.text: label.role for label in drawn_labels(ax)}          # an Axes is accepted
    assert roles["a clean figure"] == "title of Axes 0 ('a clean figure')"
    assert roles["cost"].startswith("y label") and roles["C(v)"].startswith("legend entry")
    assert roles["suptitle"] == "suptitle"
    assert any(role.startswith("x tick label") for role in roles.values())


def test_only_drawn_tick_labels_count():
    """Axis objects keep Text for ticks outside the view; they are not drawn and not checked."""
    fig, ax = plt.subplots()
    ax.set_xticks(range(0, 100, 10))
    ax.set_xlim(0, 25)
    shown = sorted(label.text for label in drawn_labels(fig) if label.role.startswith("x tick"))
    assert shown == ["0", "10", "20"]


def test_two_labels_in_one_spot_are_caught_and_named():
    fig, ax = clean_figure()
    ax.text(1, 2, "first label")
    ax.text(1.05, 2.05, "second label")
    pairs = overlapping_labels(fig)
    assert [(a.text, b.text) for a, b in pairs] == [("first label", "second label")]
    (problem,) = label_problems(fig)
    assert problem == ("text in Axes 0 ('a clean figure') 'first label' overlaps "
                       "text in Axes 0 ('a clean figure') 'second label'")


def test_the_margin_decides_how_close_is_too_close():
    fig, ax = plt.subplots()
    ax.axis("off")                                           # no tick labels, only the two
    a = ax.text(0.2, 0.5, "left", ha="right")
    b = ax.text(0.2, 0.5, "right", ha="left")            # touching: the extents share an edge
    fig.canvas.draw()
    gap = b.get_window_extent().x0 - a.get_window_extent().x1
    assert abs(gap) < 1
    assert len(overlapping_labels(fig)) == 1                 # run together at the default margin
    b.set_x(0.25)
    assert overlapping_labels(fig) == []
    assert len(overlapping_labels(fig, margin=100)) == 1


def test_a_background_box_is_part_of_the_label_but_an_annotation_arrow_is_not():
    fig, ax = plt.subplots()
    ax.text(0.5, 0.5, "A", bbox=dict(pad=30, facecolor="white"))
    ax.text(0.5, 0.62, "B")                                  # clear of "A", not of its box
    assert len(overlapping_labels(fig)) == 1
    fig, ax = plt.subplots()
    ax.annotate("note", xy=(0.5, 0.5), xytext=(0.1, 0.9), arrowprops=dict(arrowstyle="->"))
    ax.text(0.3, 0.7, "on the arrow's path")
    assert overlapping_labels(fig) == []


def test_a_label_inside_the_neighbouring_panel_is_caught():
    fig = plt.figure(figsize=(8, 3))
    left = fig.add_axes((0.08, 0.15, 0.4, 0.75))
    right = fig.add_axes((0.5, 0.15, 0.4, 0.75))             # too close: no room for its labels
    right.set_ylabel("x₂")
    right.set_yticks([0.0, 0.5, 1.0], ["−0.50", "0.00", "0.50"])
    found = labels_on_other_axes(fig)
    assert {label.text for label, _ in found} >= {"x₂", "−0.50"}
    assert all(name == "Axes 0" for _, name in found)
    assert any("reaches into the plotting area of Axes 0" in p for p in label_problems(fig))
    left.axis("off")                                         # a diagram panel has no area
    assert labels_on_other_axes(fig) == []


def test_cut_off_labels_clipped_or_out_of_layout_are_caught():
    fig, ax = plt.subplots()
    ax.set_xlim(0, 1)
    ax.text(0.95, 0.5, "clipped at the frame", clip_on=True)
    fig.text(1.02, 0.5, "outside, out of layout").set_in_layout(False)
    reasons = {label.text: why for label, why in labels_off_canvas(fig)}
    assert reasons == {"clipped at the frame": "clipped by its Axes or clip box",
                       "outside, out of layout": "outside the tight canvas"}


def test_the_tight_canvas_grows_to_hold_a_label_the_figure_does_not():
    """Saved with bbox_inches="tight" a label past the figure's edge is still seen whole."""
    fig, ax = plt.subplots(figsize=(4, 3))
    fig.text(0.98, 0.5, "past the right edge")
    assert labels_off_canvas(fig) == []
    (cut,) = labels_off_canvas(fig, canvas="figure")
    assert cut[0].text == "past the right edge" and cut[1] == "outside the figure canvas"
    assert canvas_extent(fig).x1 > fig.bbox.x1
    with pytest.raises(ValueError, match="canvas"):
        canvas_extent(fig, "screen")


def test_rejects_what_is_not_a_figure():
    with pytest.raises(TypeError, match="Figure or Axes"):
        drawn_labels("figure")
