"""Computational graphs of :mod:`nnbook.autodiff`: nodes as boxes, left to right, edges as arrows.

Galeone, ch. 2, §'Backpropagation and automatic differentiation' draws a network as a graph of
elementary operations; :func:`draw_graph` draws the graph behind any
:class:`~nnbook.autodiff.tensor.Tensor`. Each operation sits one column right of its deepest
input and each leaf just left of its first user (:func:`nnbook.autodiff.graph.node_depths`);
within a column nodes are placed near the nodes that use them, from the output leftwards. Every
box holds the node's name and operation and, when asked, its forward value and its gradient
∂L/∂node (after ``backward``), so labels cannot collide.

Drawn artists carry a ``gid``: ``node:k`` for the k-th box in topological order, ``label:k``
for its text and ``edge:i->j`` (``edge:i->j:1`` for a second use of the same input) for arrows; the
arrows into a node arrive at separate heights, one per input, in the order of its operands.
"""

from __future__ import annotations

import numpy as np
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from nnbook.autodiff.graph import graph_edges, node_depths, topological_order
from nnbook.autodiff.tensor import Tensor

#: Box size in data units; columns and rows are 1 unit apart.
BOX_WIDTH, BOX_HEIGHT = 0.74, 0.64
#: Vertical distance between the arrow heads of a node's inputs (data units).
INPUT_SPACING = 0.3
#: Inches per column and per row of a new figure.
INCHES_PER_COLUMN, INCHES_PER_ROW = 1.45, 0.95
#: Face colours: inputs and constants, Param-bound leaves, operations.
FACES = {"leaf": "0.9", "const": "0.9", "param": "#cfe3f5", "op": "#fbeec1"}


def _number(value: float) -> str:
    return f"{value:.3g}".replace("-", "−")


def _value_text(array: np.ndarray) -> str:
    if array.size == 1:
        return f"value {_number(float(array.reshape(())))}"
    return "shape " + "×".join(str(n) for n in array.shape)


def _grad_text(array: np.ndarray) -> str:
    if array.size == 1:
        return f"grad {_number(float(array.reshape(())))}"
    return f"‖grad‖ {_number(float(np.linalg.norm(array)))}"


def node_text(node: Tensor, show_values: bool = True, show_grads: bool = True) -> str:
    """The lines in a node's box: name (operation), value, gradient ∂L/∂node. One-element
    nodes show numbers; arrays show their shape and the Euclidean norm of their gradient."""
    title = node.name or node.op
    if node.name and node.op not in ("leaf", "const", "param"):
        title = f"{node.name} ({node.op})"
    elif node.op == "const" and not node.name:
        title = "const"
    lines = [title]
    if show_values:
        lines.append(_value_text(node.value))
    if show_grads and node.grad is not None:
        lines.append(_grad_text(node.grad))
    return "\n".join(lines)


def graph_positions(output: Tensor) -> dict[Tensor, tuple[float, float]]:
    """(x, y) of every node: x its column, y near the mean height of the nodes using it,
    columns placed from the output leftwards with rows at least 1 apart."""
    order = topological_order(output)
    rank = {id(node): k for k, node in enumerate(order)}
    depth = node_depths(output)
    users: dict[int, list[Tensor]] = {}
    for parent, child in graph_edges(output):
        users.setdefault(id(parent), []).append(child)
    y: dict[Tensor, float] = {}
    for column in range(max(depth.values()), -1, -1):
        members = [node for node in order if depth[node] == column]
        wanted = {id(node): float(np.mean([y[user] for user in users[id(node)]]))
                  if id(node) in users else 0.0 for node in members}
        members.sort(key=lambda node: (-wanted[id(node)], rank[id(node)]))
        placed = []
        for node in members:
            height = wanted[id(node)]
            placed.append(min(height, placed[-1] - 1.0) if placed else height)
        shift = np.mean([wanted[id(node)] for node in members]) - np.mean(placed)
        for node, height in zip(members, placed):
            y[node] = float(height + shift)
    return {node: (float(depth[node]), y[node]) for node in order}


def draw_graph(output: Tensor, ax=None, show_values: bool = True, show_grads: bool = True):
    """Draw the computational graph that ends in ``output`` and return the Axes.

    Boxes: grey for inputs and constants, blue for leaves bound to Params, yellow for
    operations; the output has a thick edge. Gradients appear once ``output.backward()`` has
    run (``show_grads=False`` hides them, e.g. for a forward-only figure). With ``ax=None`` a
    figure sized to the graph is created.
    """
    if not isinstance(output, Tensor):
        raise TypeError(f"output: expected an nnbook.autodiff Tensor, found "
                        f"{type(output).__name__}")
    order = topological_order(output)
    rank = {id(node): k for k, node in enumerate(order)}
    pos = graph_positions(output)
    xs = [x for x, _ in pos.values()]
    ys = [y for _, y in pos.values()]
    if ax is None:
        import matplotlib.pyplot as plt

        fig = plt.figure(figsize=(INCHES_PER_COLUMN * (max(xs) - min(xs) + 1),
                                  INCHES_PER_ROW * (max(ys) - min(ys) + 1)))
        ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))     # one data unit = the inches above
    for node in order:
        x, y = pos[node]
        kind = node.op if node.op in FACES else "op"
        ax.add_patch(FancyBboxPatch((x - BOX_WIDTH / 2, y - BOX_HEIGHT / 2), BOX_WIDTH,
                                    BOX_HEIGHT, boxstyle="round,pad=0,rounding_size=0.06",
                                    facecolor=FACES[kind], edgecolor="black",
                                    linewidth=1.8 if node is output else 0.8, zorder=2,
                                    gid=f"node:{rank[id(node)]}"))
        ax.text(x, y, node_text(node, show_values, show_grads), ha="center", va="center",
                fontsize=8.5, linespacing=1.25, zorder=3, gid=f"label:{rank[id(node)]}")
    slot: dict[int, int] = {}
    for parent, child in graph_edges(output):
        key = (rank[id(parent)], rank[id(child)])
        k = slot[id(child)] = slot.get(id(child), -1) + 1      # which input of the child
        offset = (k - (len(child.parents) - 1) / 2) * INPUT_SPACING
        (x0, y0), (x1, y1) = pos[parent], pos[child]
        repeat = sum(1 for p in child.parents[:k] if p is parent)
        gid = f"edge:{key[0]}->{key[1]}" + (f":{repeat}" if repeat else "")
        ax.add_patch(FancyArrowPatch((x0 + BOX_WIDTH / 2, y0), (x1 - BOX_WIDTH / 2, y1 + offset),
                                     arrowstyle="-|>", mutation_scale=9, color="0.25",
                                     linewidth=0.9, shrinkA=0, shrinkB=0, zorder=1, gid=gid))
    ax.set_xlim(min(xs) - 0.5, max(xs) + 0.5)
    ax.set_ylim(min(ys) - 0.5, max(ys) + 0.5)
    ax.axis("off")
    return ax
