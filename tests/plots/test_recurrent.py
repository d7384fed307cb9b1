"""nnbook.plots.recurrent: the RNN and LSTM diagrams — arrows start and end on box edges, every
label asked for is drawn (and readable), bad arguments say what was expected."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.patches import FancyArrowPatch

from nnbook.plots.layout import label_problems
from nnbook.plots.recurrent import (
    Node,
    draw_lstm_cell,
    draw_rnn_cell,
    draw_rnn_folded,
    draw_unrolled,
)


def _gids(ax):
    return {t.get_gid(): t.get_text() for t in ax.texts if t.get_gid()}


def test_node_edges():
    box = Node(0.0, 0.0, 1.0, 0.5)
    assert box.edge((10.0, 0.0)) == pytest.approx((1.0, 0.0))
    assert box.edge((0.0, -3.0)) == pytest.approx((0.0, -0.5))
    assert box.edge((4.0, 4.0)) == pytest.approx((0.5, 0.5))         # leaves through the top
    circle = Node(1.0, 1.0, 0.2, 0.2, radius=0.2)
    assert circle.edge((1.0, 5.0)) == pytest.approx((1.0, 1.2))
    assert box.edge((0.0, 0.0)) == (0.0, 0.0)


def test_unrolled_labels_and_arrows():
    fig, ax = plt.subplots()
    draw_unrolled(3, ax, inputs=["a", "b", "c"], outputs=["o1", "o2", "o3"],
                  states=["s1", "s2", "s3"], initial_state="h0")
    gids = _gids(ax)
    assert [gids[f"input:{k}"] for k in range(3)] == ["a", "b", "c"]
    assert [gids[f"state:{k}"] for k in range(3)] == ["s1", "s2", "s3"]
    assert gids["state:initial"] == "h0" and gids["cell:2"] == "A"
    arrows = [p for p in ax.patches if isinstance(p, FancyArrowPatch)]
    assert len(arrows) == 3 + 3 + 3 + 1                      # in, out, state, initial
    boxes = {p.get_gid(): p for p in ax.patches if (p.get_gid() or "").startswith("box:cell")}
    first, second = boxes["box:cell:0"], boxes["box:cell:1"]
    x_end = first.get_x() + first.get_width()
    state_arrow = next(a for a in arrows if a.get_edgecolor()[:3] != (0.3, 0.3, 0.3)
                       and np.isclose(a._posA_posB[0][1], 0))
    assert x_end <= state_arrow._posA_posB[0][0] < x_end + 0.1           # starts on the edge
    assert second.get_x() - 0.1 < state_arrow._posA_posB[1][0] <= second.get_x()
    assert label_problems(fig) == []
    plt.close(fig)


def test_unrolled_checks_its_labels():
    with pytest.raises(ValueError, match="inputs: expected 2 labels"):
        draw_unrolled(2, inputs=["x"])
    with pytest.raises(ValueError, match="steps"):
        draw_unrolled(0)
    plt.close("all")


@pytest.mark.parametrize("cell_output, has_tanh", [("tanh", True), ("book", False)])
def test_lstm_cell(cell_output, has_tanh):
    fig, ax = plt.subplots(figsize=(7, 5))
    draw_lstm_cell(ax, cell_output=cell_output)
    gids = _gids(ax)
    assert {gids[f"gate:{g}"] for g in "fio"} == {"f: σ", "i: σ", "o: σ"}
    assert gids["gate:g"] == "g: tanh"
    assert ("op:tanh_c" in gids) == has_tanh
    assert label_problems(fig) == []
    plt.close(fig)
    with pytest.raises(ValueError, match="cell_output"):
        draw_lstm_cell(cell_output="peephole")
    plt.close("all")


@pytest.mark.parametrize("draw", [draw_rnn_folded, draw_rnn_cell, draw_lstm_cell,
                                  lambda: draw_unrolled(4, inputs=["$x_1$"] * 4)])
def test_without_an_axes_the_figure_is_big_enough_to_read(draw):
    ax = draw()
    assert label_problems(ax.figure) == []
    plt.close(ax.figure)


def test_folded_and_inside_cells():
    fig, axes = plt.subplots(1, 2, figsize=(14, 4.5), width_ratios=(1, 2.6))
    draw_rnn_folded(axes[0])
    draw_rnn_cell(axes[1], n_state="2", n_input="1")
    assert "(2 + 1)·2 + 2 parameters" in _gids(axes[1])["params"]
    assert any(p.get_gid() == "loop" for p in axes[0].patches)
    assert label_problems(fig) == []
    plt.close(fig)
