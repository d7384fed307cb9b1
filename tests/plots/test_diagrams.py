"""nnbook.plots.diagrams draws the networks it claims: read the patches and texts back."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.patches import Circle, FancyArrowPatch

from nnbook import plots


def circles(ax):
    return [p for p in ax.patches if isinstance(p, Circle)]


def arrows(ax):
    return [p for p in ax.patches if isinstance(p, FancyArrowPatch)]


def texts(ax):
    return [t.get_text() for t in ax.texts]


def by_gid(ax, prefix):
    return [a for a in list(ax.patches) + list(ax.texts) if (a.get_gid() or "").startswith(prefix)]


# --- draw_network ------------------------------------------------------------------------------

def test_draw_network_counts_nodes_and_connections():
    ax = plots.draw_network([3, 4, 1])
    assert len(circles(ax)) == 3 + 4 + 1
    assert len(arrows(ax)) == 3 * 4 + 4 * 1


def test_draw_network_every_edge_joins_adjacent_layers_left_to_right():
    ax = plots.draw_network([2, 3, 2])
    centres = {p.get_gid(): p.center for p in circles(ax)}
    for arrow in arrows(ax):
        _, layer, i, j = arrow.get_gid().split(":")
        assert centres[f"node:{int(layer) + 1}:{j}"][0] > centres[f"node:{layer}:{i}"][0]
    columns = {}
    for gid, (x, _) in centres.items():
        columns.setdefault(gid.split(":")[1], set()).add(round(x, 9))
    assert all(len(xs) == 1 for xs in columns.values())           # one column per layer …
    assert len({next(iter(xs)) for xs in columns.values()}) == 3  # … and three distinct ones


def test_draw_network_truncates_wide_layers_and_reports_true_count():
    ax = plots.draw_network([784, 15, 10], max_nodes=12)
    drawn = [11, 11, 10]  # max_nodes - 1 neurons plus an ellipsis for the wide layers
    assert len(circles(ax)) == sum(drawn)
    assert len(arrows(ax)) == drawn[0] * drawn[1] + drawn[1] * drawn[2]
    labels = " ".join(texts(ax))
    assert "784" in labels and "15" in labels and "10" in labels
    assert sum("⋮" in t for t in texts(ax)) == 2
    assert any(p.get_gid() == "node:0:783" for p in circles(ax))  # the ellipsis is in the middle


def test_draw_network_arrowheads_only_where_few_connections_meet():
    """A neuron receiving 11 arrowheads gets a black blob; lines are drawn instead."""
    def styles(ax):
        return {type(a.get_arrowstyle()).__name__ for a in arrows(ax)}

    assert styles(plots.draw_network([3, 4, 1])) == {"CurveFilledB"}      # fan-in ≤ 5: "-|>"
    assert styles(plots.draw_network([784, 15, 10])) == {"Curve"}          # fan-in 11: "-"
    assert styles(plots.draw_network([784, 15, 10], arrowheads=True)) == {"CurveFilledB"}
    assert styles(plots.draw_network([3, 4, 1], arrowheads=False)) == {"Curve"}


@pytest.mark.parametrize("figsize", [(2, 1.5), (12, 9)])
def test_draw_network_arrows_end_at_the_node_edges(figsize):
    """Arrow tips touch the target circle at any scale (a fixed shrink in points hid the heads
    under big circles and piled them up on small ones)."""
    fig, ax = plt.subplots(figsize=figsize)
    plots.draw_network([2, 1], ax)
    nodes = {p.get_gid(): p for p in circles(ax)}
    fig.canvas.draw()
    for arrow in arrows(ax):
        _, l, i, j = arrow.get_gid().split(":")
        source, target = nodes[f"node:{l}:{i}"], nodes[f"node:1:{j}"]
        path = arrow.get_path().vertices                          # data coordinates
        tip_gap = np.min(np.hypot(*(path - target.center).T)) - target.radius
        tail_gap = np.min(np.hypot(*(path - source.center).T)) - source.radius
        points = 72 * figsize[0] / np.ptp(ax.get_xlim())          # points per data unit
        assert 0 <= tip_gap * points < 3 and 0 <= tail_gap * points < 3


def test_draw_network_labels():
    ax = plots.draw_network([3, 1], layer_labels=["inputs", "output"],
                            node_labels=[["x1", "x2", "x3"], None], title="a perceptron")
    shown = texts(ax)
    for label in ("inputs", "output", "x1", "x2", "x3"):
        assert label in shown
    assert ax.get_title() == "a perceptron"
    assert not [t for t in texts(plots.draw_network([3, 1], layer_labels=False)) if t]


def test_draw_network_uses_given_axes():
    fig, ax = plt.subplots()
    assert plots.draw_network([2, 2], ax=ax) is ax


@pytest.mark.parametrize("bad, error", [([3, -1, 2], ValueError), ([3, 0], ValueError),
                                        ([], ValueError), ([3, 2.5], TypeError),
                                        (5, TypeError)])
def test_draw_network_rejects_bad_sizes(bad, error):
    with pytest.raises(error, match="layer_sizes"):
        plots.draw_network(bad)


def test_draw_network_rejects_label_count_mismatch():
    with pytest.raises(ValueError, match="node_labels\\[0\\]: expected 3"):
        plots.draw_network([3, 1], node_labels=[["a", "b"], None])
    with pytest.raises(ValueError, match="layer_labels"):
        plots.draw_network([3, 1], layer_labels=["only one"])


def test_highlight_edge_marks_one_connection():
    ax = plots.draw_network([2, 3, 1])
    arrow = plots.highlight_edge(ax, 0, 1, 2, label="w + Δw")
    assert arrow.get_gid() == "edge:0:1:2"
    assert arrow.get_linewidth() > max(a.get_linewidth() for a in arrows(ax) if a is not arrow)
    (label,) = by_gid(ax, "edge_label:0:1:2")
    assert label.get_text() == "w + Δw"
    start, end = (next(p.center for p in circles(ax) if p.get_gid() == g)
                  for g in ("node:0:1", "node:1:2"))
    assert min(start[0], end[0]) < label.get_position()[0] < max(start[0], end[0])
    with pytest.raises(ValueError, match="edge:0:5:0"):
        plots.highlight_edge(ax, 0, 5, 0)


def test_drop_neurons_greys_them_and_hides_their_connections():
    ax = plots.draw_network([2, 3, 2])
    plots.drop_neurons(ax, [(1, 0), (1, 2)])
    hidden = {a.get_gid() for a in arrows(ax) if not a.get_visible()}
    expected = {f"edge:0:{i}:{j}" for i in range(2) for j in (0, 2)} | \
               {f"edge:1:{i}:{j}" for i in (0, 2) for j in range(2)}
    assert hidden == expected
    faces = {p.get_gid(): p.get_facecolor() for p in circles(ax)}
    assert faces["node:1:0"] == faces["node:1:2"] != faces["node:1:1"]
    assert len(by_gid(ax, "dropped:")) == 2
    with pytest.raises(ValueError, match="node:1:7"):
        plots.drop_neurons(ax, [(1, 7)])
