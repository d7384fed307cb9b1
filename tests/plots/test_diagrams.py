"""nnbook.plots.diagrams draws what it claims: read the patches and texts back."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.patches import Circle, FancyArrowPatch

from nnbook import plots
from nnbook.models.logic_gates import Gate, PerceptronCircuit, half_adder_circuit


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


def test_draw_circuit_arcs_are_clipped_at_the_gates():
    ax = plots.draw_circuit(half_adder_circuit())
    for arrow in arrows(ax):
        if float(arrow.get_connectionstyle().rad):
            assert arrow.patchA is not None and arrow.patchB is not None


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


# --- draw_circuit ------------------------------------------------------------------------------

@pytest.mark.parametrize("merged", [False, True])
def test_draw_circuit_half_adder(merged):
    circuit = half_adder_circuit(merged)
    ax = plots.draw_circuit(circuit)
    n_edges = sum(len(g.inputs) for g in circuit.gates.values())
    assert n_edges == (10 if not merged else 9)  # five NAND gates of two inputs; merge drops one
    assert len(circles(ax)) == 2 + 5
    assert len(arrows(ax)) == n_edges
    weights = by_gid(ax, "weight:")
    expected = sorted(["−2"] * 10 if not merged else ["−2"] * 8 + ["−4"])
    assert sorted(t.get_text() for t in weights) == expected
    assert [t.get_text() for t in by_gid(ax, "bias:")] == ["3"] * 5
    assert {"sum", "carry", "x1", "x2"} <= set(texts(ax))


def test_draw_circuit_double_edge_is_two_arcs_bending_apart():
    ax = plots.draw_circuit(half_adder_circuit(merged=False))
    carry_edges = [a for a in arrows(ax) if a.get_gid().startswith("edge:g1->carry")]
    assert len(carry_edges) == 2
    rads = sorted(float(a.get_connectionstyle().rad) for a in carry_edges)
    assert rads[0] < rads[1]
    single = [a for a in arrows(ax) if a.get_gid().startswith("edge:x1->g1")]
    assert float(single[0].get_connectionstyle().rad) == 0


def test_draw_circuit_places_gates_right_of_their_sources():
    ax = plots.draw_circuit(half_adder_circuit())
    x = {p.get_gid()[5:]: p.center[0] for p in circles(ax)}
    for name, gate in half_adder_circuit().gates.items():
        assert all(x[src] < x[name] for src in gate.inputs)


def test_draw_circuit_wires_go_around_other_gates():
    """Each wire (sampled along its arc) stays clear of every gate it does not connect."""
    from nnbook.plots.diagrams import _label_point

    ax = plots.draw_circuit(half_adder_circuit())
    nodes = {p.get_gid()[5:]: p for p in circles(ax)}
    for arrow in arrows(ax):
        src, rest = arrow.get_gid()[5:].split("->")
        dst = rest.split(":")[0]
        rad = float(arrow.get_connectionstyle().rad)
        curve = np.array([_label_point(nodes[src].center, nodes[dst].center, rad, t)
                          for t in np.linspace(0, 1, 101)])
        for name, node in nodes.items():
            if name not in (src, dst):
                gap = np.min(np.hypot(*(curve - node.center).T)) - node.radius
                assert gap > 0.1, f"{arrow.get_gid()} passes {gap:.2f} from {name}"


def test_draw_circuit_weight_labels_keep_apart():
    """No two weight labels closer than 0.3 (data units; the gates are 0.29 across)."""
    ax = plots.draw_circuit(half_adder_circuit())
    points = np.array([t.get_position() for t in by_gid(ax, "weight:")])
    distances = np.hypot(*(points[:, None] - points[None]).transpose(2, 0, 1))
    assert np.min(distances + np.eye(len(points)) * 9) > 0.3


def test_draw_circuit_without_weights_and_bad_input():
    ax = plots.draw_circuit(half_adder_circuit(), show_weights=False)
    assert not by_gid(ax, "weight:")
    with pytest.raises(TypeError, match="PerceptronCircuit"):
        plots.draw_circuit([1, 2])
    broken = PerceptronCircuit(inputs=("x1",), gates={"g": Gate(("y",), (1.0,), 0.0)},
                               outputs=("g",))
    with pytest.raises(ValueError, match="'y'"):
        plots.draw_circuit(broken)
