"""The computational graph behind a :class:`~nnbook.autodiff.tensor.Tensor`: order, edges, table.

Galeone, ch. 2, §'Backpropagation and automatic differentiation': the graph can be traversed
forwards (computing the loss) and backwards (applying the chain rule node by node). Both
traversals need an order in which every node comes after the nodes it was computed from — a
topological order. :func:`topological_order` finds one with an explicit stack (no recursion, so
a chain of 100,000 operations is fine); :func:`graph_edges` and :func:`node_depths` are what a
drawing needs; :func:`gradient_table` lists every node with its forward value and its gradient
(the table the chapter prints for the ReLU neuron).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nnbook.autodiff.tensor import Tensor, unbroadcast


def _check_tensor(output) -> Tensor:
    if not isinstance(output, Tensor):
        raise TypeError(f"expected an nnbook.autodiff Tensor, found {type(output).__name__}")
    return output


def topological_order(output: Tensor) -> list[Tensor]:
    """Every node ``output`` depends on, each after all of its parents, ``output`` last.

    Depth-first search with an explicit stack. An operation is emitted once all its parents
    have been; a leaf is emitted just before its first user, so the table of the ReLU neuron
    reads x1, w1, mul, x2, w2, mul, add, b, add, … and the target y appears where the loss
    uses it.
    """
    _check_tensor(output)
    order: list[Tensor] = []
    emitted: set[int] = set()
    seen: set[int] = set()
    stack: list[tuple[Tensor, bool]] = [(output, False)]
    while stack:
        node, parents_done = stack.pop()
        if parents_done:
            for parent in node.parents:
                if not parent.parents and id(parent) not in emitted:
                    emitted.add(id(parent))
                    order.append(parent)
            order.append(node)
            emitted.add(id(node))
            continue
        if id(node) in seen:
            continue
        seen.add(id(node))
        stack.append((node, True))
        for parent in reversed(node.parents):
            if parent.parents and id(parent) not in seen:
                stack.append((parent, False))
    return order


def graph_edges(output: Tensor) -> list[tuple[Tensor, Tensor]]:
    """(parent, child) for every input of every node, in topological order of the child.

    A parent used twice by the same child (x * x) gives two edges.
    """
    return [(parent, node) for node in topological_order(output) for parent in node.parents]


def node_depths(output: Tensor) -> dict[Tensor, int]:
    """Column of every node for a left-to-right drawing.

    An operation sits one column right of its deepest parent (longest path from the leaves);
    a leaf sits in the column just left of its first user, so a bias added late is drawn next
    to the node that adds it rather than at the far left.
    """
    order = topological_order(output)
    depth: dict[Tensor, int] = {}
    for node in order:
        if node.parents:
            depth[node] = 1 + max((depth[parent] for parent in node.parents if parent.parents),
                                  default=0)
    users: dict[int, list[Tensor]] = {}
    for parent, child in graph_edges(output):
        users.setdefault(id(parent), []).append(child)
    for node in order:
        if not node.parents:
            children = users.get(id(node))
            depth[node] = min(depth[child] for child in children) - 1 if children else 0
    return depth


def local_derivatives(node: Tensor) -> tuple[np.ndarray, ...]:
    """∂node/∂parent for each parent of a one-element ``node``: its operation's own rule applied
    to the upstream gradient 1 — the factor this node contributes to the chain rule.

    For the ReLU neuron's mul1 = x1·w1 this is (w1, x1); for relu, 1[s > 0]; for a leaf, ().
    """
    _check_tensor(node)
    if node.value.size != 1:
        raise ValueError(f"local_derivatives: expected a one-element node, found shape "
                         f"{node.shape}; for arrays the local derivative is a Jacobian")
    if node._vjp is None:
        return ()
    return tuple(unbroadcast(part, parent.shape)
                 for parent, part in zip(node.parents, node._vjp(np.ones_like(node.value))))


def node_label(node: Tensor) -> str:
    """The node's name when it has one, else its operation (``mul``, ``pow 2``, ``const``)."""
    return node.name or node.op


@dataclass(frozen=True)
class GraphRow:
    """One node of :func:`gradient_table`: its label, operation, forward value and ∂L/∂node."""

    name: str
    op: str
    value: np.ndarray
    grad: np.ndarray | None

    def as_tuple(self) -> tuple:
        """(name, op, value, grad) with one-element arrays as floats (for printing)."""
        def plain(array):
            if array is None:
                return None
            return float(array.reshape(())) if array.size == 1 else array
        return self.name, self.op, plain(self.value), plain(self.grad)


def gradient_table(output: Tensor) -> list[GraphRow]:
    """Every node in forward (topological) order with its value and gradient.

    Gradients are those of the last :meth:`Tensor.backward` run through the node (None before
    any). Constant leaves (numbers met in an operation) are included; filter on ``op`` to
    leave them out.
    """
    return [GraphRow(node_label(node), node.op, node.value.copy(),
                     None if node.grad is None else node.grad.copy())
            for node in topological_order(output)]
