"""nnbook.autodiff.graph: topological order, edges, drawing columns and the gradient table."""

import numpy as np
import pytest

from nnbook.autodiff import (Tensor, gradient_table, graph_edges, local_derivatives, node_depths,
                             relu, topological_order)


def neuron():
    x1, w1, x2, w2, b, y = (Tensor(v, name=n) for v, n in
                            zip([1.0, 0.5, 2.0, -0.3, 0.2, 1.0], ["x1", "w1", "x2", "w2", "b", "y"]))
    out = relu(x1 * w1 + x2 * w2 + b)
    return (y - out) ** 2


def test_every_node_comes_after_its_parents_and_the_output_last():
    loss = neuron()
    order = topological_order(loss)
    position = {id(node): k for k, node in enumerate(order)}
    assert order[-1] is loss
    assert len(position) == len(order) == 13          # 6 leaves and 7 operations
    for node in order:
        assert all(position[id(p)] < position[id(node)] for p in node.parents)


def test_leaves_appear_just_before_their_first_use():
    names = [row.name for row in gradient_table(neuron())]
    assert names == ["x1", "w1", "mul", "x2", "w2", "mul", "add", "b", "add", "relu", "y",
                     "sub", "pow 2"]


def test_shared_node_is_listed_once_with_one_edge_per_use():
    x = Tensor(2.0, name="x")
    h = x * x
    out = h + h
    assert len(topological_order(out)) == 3
    assert [(p.name or p.op, c.op) for p, c in graph_edges(out)] == [
        ("x", "mul"), ("x", "mul"), ("mul", "add"), ("mul", "add")]


def test_edges_and_depths_of_the_neuron():
    loss = neuron()
    assert len(graph_edges(loss)) == 2 + 2 + 2 + 2 + 1 + 2 + 1
    columns = sorted(node_depths(loss).values())
    assert columns == [0, 0, 0, 0, 1, 1, 2, 2, 3, 4, 4, 5, 6]
    by_name = {node.name: d for node, d in node_depths(loss).items() if node.name}
    assert by_name == {"x1": 0, "w1": 0, "x2": 0, "w2": 0, "b": 2, "y": 4}


def test_gradient_table_holds_values_and_gradients():
    loss = neuron()
    assert all(row.grad is None for row in gradient_table(loss))
    loss.backward()
    rows = {row.name: row.as_tuple() for row in gradient_table(loss)}
    s = 1.0 * 0.5 + 2.0 * -0.3 + 0.2                   # 0.1 > 0: the ReLU passes
    assert rows["relu"][2] == pytest.approx(s)
    assert rows["pow 2"][2:] == pytest.approx(((1.0 - s) ** 2, 1.0))
    assert rows["w1"][3] == pytest.approx(-2 * (1.0 - s) * 1.0)
    assert isinstance(rows["x1"][2], float)


def test_non_tensor_is_refused():
    with pytest.raises(TypeError, match="Tensor"):
        topological_order(np.ones(2))


def test_local_derivatives_are_each_nodes_own_factor():
    x, w = Tensor(1.5, name="x"), Tensor(0.4, name="w")
    product = x * w
    assert local_derivatives(product) == (0.4, 1.5)               # ∂(xw)/∂x = w, ∂/∂w = x
    assert local_derivatives(relu(product - 1.0))[0] == 0.0       # relu off: 1[s > 0] = 0
    assert local_derivatives((product - 1.0) ** 2)[0] == pytest.approx(2 * (0.6 - 1.0))
    assert local_derivatives(x) == ()
    with pytest.raises(ValueError, match="one-element"):
        local_derivatives(Tensor([1.0, 2.0]) * 2.0)
