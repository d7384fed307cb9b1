"""nnbook.plots.circuits draws the circuit it is given: read the gates, wires and weights back."""

import numpy as np
import pytest
from matplotlib.patches import Circle, FancyArrowPatch

from nnbook import plots
from nnbook.models.logic_gates import Gate, PerceptronCircuit, half_adder_circuit
from nnbook.plots.circuits import _label_point


def circles(ax):
    return [p for p in ax.patches if isinstance(p, Circle)]


def arrows(ax):
    return [p for p in ax.patches if isinstance(p, FancyArrowPatch)]


def by_gid(ax, prefix):
    return [a for a in list(ax.patches) + list(ax.texts) if (a.get_gid() or "").startswith(prefix)]


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
    assert {"sum", "carry", "x1", "x2"} <= set([t.get_text() for t in ax.texts])


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


def test_draw_circuit_arcs_are_clipped_at_the_gates():
    ax = plots.draw_circuit(half_adder_circuit())
    for arrow in arrows(ax):
        if float(arrow.get_connectionstyle().rad):
            assert arrow.patchA is not None and arrow.patchB is not None
