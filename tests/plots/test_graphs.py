"""nnbook.plots.graphs draws the graph it is given: boxes, arrows and numbers read back."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from nnbook import plots
from nnbook.autodiff import Tensor, graph_edges, topological_order
from nnbook.book.demos.galeone_2_autodiff import (NEURON_ACTIVE, engine_mlp_loss, example_mlp,
                                                   relu_neuron)
from nnbook.plots.layout import label_problems


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def by_gid(ax, prefix):
    return [a for a in list(ax.patches) + list(ax.texts) if (a.get_gid() or "").startswith(prefix)]


def neuron_after_backward():
    loss = relu_neuron(**NEURON_ACTIVE)
    loss.backward()
    return loss


def test_one_box_per_node_and_one_arrow_per_edge():
    loss = neuron_after_backward()
    ax = plots.draw_graph(loss)
    assert len([p for p in by_gid(ax, "node:") if isinstance(p, FancyBboxPatch)]) == 13
    arrows = [p for p in by_gid(ax, "edge:") if isinstance(p, FancyArrowPatch)]
    assert len(arrows) == len(graph_edges(loss)) == 12
    for arrow in arrows:                                  # every edge points right
        (x0, _), (x1, _) = arrow._posA_posB
        assert x0 < x1


def test_labels_show_name_operation_value_and_gradient():
    ax = plots.draw_graph(neuron_after_backward())
    texts = {t.get_text().split("\n")[0]: t.get_text() for t in by_gid(ax, "label:")}
    assert texts["w1"] == "w1\nvalue 0.4\ngrad −2.1"          # −2(1 − 0.3)·1.5
    assert texts["L (pow 2)"] == "L (pow 2)\nvalue 0.49\ngrad 1"
    assert texts["O (relu)"].endswith("grad −1.4")
    hidden = plots.draw_graph(neuron_after_backward(), show_grads=False, show_values=False)
    assert all(t.get_text().count("\n") == 0 for t in by_gid(hidden, "label:"))


def test_no_gradients_before_backward():
    ax = plots.draw_graph(relu_neuron(**NEURON_ACTIVE))
    assert not any("grad" in t.get_text() for t in by_gid(ax, "label:"))


def test_arrays_show_shape_and_gradient_norm():
    model = example_mlp(seed=0)
    rng = np.random.default_rng(0)
    loss = engine_mlp_loss(model, rng.standard_normal((8, 4)), rng.uniform(size=(8, 3)))
    loss.backward()
    ax = plots.draw_graph(loss)
    texts = [t.get_text() for t in by_gid(ax, "label:")]
    kernel = next(t for t in texts if t.startswith("dense.kernel"))
    norm = np.linalg.norm(model.layers[0].params["kernel"].grad)
    assert kernel == f"dense.kernel\nshape 4×5\n‖grad‖ {norm:.3g}"


@pytest.mark.parametrize("which", ["neuron", "mlp"])
def test_readable_every_text_inside_its_box(which):
    if which == "neuron":
        loss = neuron_after_backward()
    else:
        rng = np.random.default_rng(0)
        loss = engine_mlp_loss(example_mlp(0), rng.standard_normal((8, 4)),
                               rng.uniform(size=(8, 3)))
        loss.backward()
    ax = plots.draw_graph(loss)
    assert label_problems(ax.figure) == []
    renderer = ax.figure.canvas.get_renderer()
    boxes = {p.get_gid()[5:]: p.get_window_extent(renderer) for p in by_gid(ax, "node:")}
    for text in by_gid(ax, "label:"):
        extent, box = text.get_window_extent(renderer), boxes[text.get_gid()[6:]]
        assert box.x0 < extent.x0 and extent.x1 < box.x1, text.get_text()
        assert box.y0 < extent.y0 and extent.y1 < box.y1, text.get_text()


def test_operations_right_of_their_inputs_and_inputs_arrive_apart():
    x = Tensor(2.0, name="x")
    out = (x * x).sigmoid()
    out.backward()
    ax = plots.draw_graph(out)
    order = topological_order(out)
    x_of = {int(p.get_gid()[5:]): p.get_x() for p in by_gid(ax, "node:")}
    for node in order:
        for parent in node.parents:
            assert x_of[order.index(parent)] < x_of[order.index(node)]
    heads = [p._posA_posB[1] for p in by_gid(ax, "edge:0->1")]
    assert len(heads) == 2 and heads[0][1] != heads[1][1]     # x used twice: two arrows


def test_refuses_non_tensor():
    with pytest.raises(TypeError, match="Tensor"):
        plots.draw_graph(np.ones(3))
