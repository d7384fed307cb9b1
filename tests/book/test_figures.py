"""Every tour figure is readable: no two labels overlap, none sits in another panel or is cut
off, and drawing warns about nothing (a missing glyph is a warning, then a box in the image).

Each landed chapter's figures are drawn once per session (tests/book/conftest.py; chapter 1
trains a small network), and each chapter's own figure tests read the same drawing.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest

from nnbook.book.sources import LANDED


@pytest.fixture(scope="module")
def drawn(landed_figures):
    """Every landed source's figures, drawn and checked once (tests/book/conftest.py)."""
    return landed_figures


@pytest.mark.parametrize("source", LANDED)
def test_each_landed_chapter_has_figures_named_by_source(drawn, source):
    names = [name for name in drawn[source] if name is not None]
    assert names, f"{source}: figures() drew nothing"
    for name in names:
        assert name.startswith(f"{source}_") and name.endswith(".png"), name
        assert drawn[source][name].kind in ("Figure", "Axes"), \
            f"{name}: the drawing function returned a {drawn[source][name].kind}"


@pytest.mark.parametrize("source", LANDED)
def test_no_label_overlaps_or_leaves_the_canvas(drawn, source):
    problems = [p for name, result in drawn[source].items() if name is not None
                for p in result.problems]
    assert not problems, "labels a reader cannot read:\n" + "\n".join(problems)


@pytest.mark.parametrize("source", LANDED)
def test_drawing_is_silent(drawn, source):
    stderr, warned = drawn[source][None]
    assert warned == [] and stderr == ""


def test_the_check_catches_overlapping_and_cut_off_labels(draw_figures):
    """A deliberately bad figure fails the same check, and the message names figure and labels."""
    def bad():
        fig, axes = plt.subplots(1, 2, figsize=(6, 3))
        axes[0].set_title("left panel")
        axes[0].text(0.5, 0.5, "first label")
        axes[0].text(0.52, 0.52, "second label")
        axes[1].set_position((0.45, 0.1, 0.5, 0.8))       # over the left panel's area
        axes[1].set_ylabel("x₂")
        return fig

    problems = draw_figures({"chen-15_bad.png": bad})["chen-15_bad.png"].problems
    assert ("chen-15_bad.png: text in Axes 0 ('left panel') 'first label' overlaps "
            "text in Axes 0 ('left panel') 'second label'") in problems
    assert any(p.startswith("chen-15_bad.png: y label of Axes 1 'x₂' reaches into the "
                            "plotting area of Axes 0") for p in problems)


def test_the_silence_check_hears_a_missing_glyph(draw_figures):
    from matplotlib.font_manager import FontProperties, findfont
    from matplotlib.ft2font import FT2Font

    if FT2Font(findfont(FontProperties())).get_char_index(ord("陈")):
        pytest.skip("this machine's default font has Chinese glyphs")

    def chinese():
        fig, ax = plt.subplots()
        ax.set_title("陈强")
        return fig

    stderr, warned = draw_figures({"chen-15_cjk.png": chinese})[None]
    assert any("missing from" in w for w in warned), warned


def test_new_figures_cite_the_source_figure_they_redraw(drawn):
    def texts(source, name):
        return " ".join(drawn[source][name].texts)

    assert "figure 15.21 (redrawn)" in texts("chen-15", "chen-15_cnn_pipeline.png")
    assert "figure 15.22 (redrawn)" in texts("chen-15", "chen-15_lenet5.png")
    assert "figure 15.23 (redrawn)" in texts("chen-15", "chen-15_alexnet.png")
    assert "Nielsen §1.2 (figure redrawn)" in texts("nielsen-1", "nielsen-1_small_change.png")


@pytest.mark.parametrize("name, rows", [("chen-15_lenet5.png", "lenet5"),
                                        ("chen-15_alexnet.png", "alexnet")])
def test_architecture_figures_show_the_traced_numbers(drawn, name, rows):
    """The block diagrams are computed from the traces, not typed in."""
    from nnbook.analysis.architectures import alexnet_counts, lenet5_trace
    from nnbook.plots.architectures import shape_text

    trace = lenet5_trace() if rows == "lenet5" else alexnet_counts()
    figure = drawn["chen-15"][name].figure
    shown = {t.get_gid()[6:]: t.get_text() for t in figure.axes[0].texts
             if (t.get_gid() or "").startswith("shape:")}
    assert shown == {row.name: shape_text(row.output_shape) for row in trace}
    caption = next(t.get_text() for t in figure.axes[0].texts if t.get_gid() == "caption")
    assert f"{sum(r.params for r in trace):,} trainable parameters" in caption


def test_small_change_curves_follow_eq_5():
    """Nielsen eq. (5): for small Δw the sigmoid network's Δoutput ≈ (∂output/∂w)·Δw, and the
    slope (by backpropagation) is the curve's own slope at 0; the perceptron network jumps."""
    from nnbook.book.figures.nielsen_1 import small_change_curves

    h = 1e-4
    curves = small_change_curves(np.array([-h, 0.0, h]))
    assert curves["sigmoid"][1] == 0.0
    numeric = (curves["sigmoid"][2] - curves["sigmoid"][0]) / (2 * h)
    assert numeric == pytest.approx(curves["slope"], rel=1e-6)
    wide = small_change_curves()
    small = np.abs(wide["delta_w"]) <= 0.25
    assert np.max(np.abs(wide["sigmoid"] - wide["linear"])[small]) < 0.05 * np.max(
        np.abs(wide["linear"][small]))                               # ≈ linear when Δw is small
    assert set(np.unique(wide["perceptron"])) <= {-1, 0, 1}
    assert np.count_nonzero(np.diff(wide["perceptron"])) >= 1        # the perceptron output flips
