"""Network diagrams: fully connected feedforward networks (Nielsen §1.3, 陈强 §15.3), one
weight highlighted (Nielsen §1.2) or some neurons dropped out (陈强 figure 15.14).

Drawn artists carry a ``gid`` so a reader (or a test) can find them again: ``node:l:i`` and
``edge:l:i:j`` for the patches, ``layer_label:l``, ``edge_label:l:i:j``, ``dropped:l:i`` for
texts. :func:`connection` (an arrow from node edge to node edge) is shared with
:mod:`nnbook.plots.circuits`.
"""

from __future__ import annotations

import numbers

import numpy as np
from matplotlib.patches import Circle, FancyArrowPatch

from nnbook.plots.axes import new_axes

NODE_RADIUS = 0.22
#: Above this many drawn inputs per neuron, draw_network draws connections without arrowheads.
MAX_ARROWHEADS = 5
NODE_FACE = "white"
EDGE_COLOR = "0.35"


def _layer_sizes(layer_sizes) -> tuple[int, ...]:
    try:
        sizes = tuple(layer_sizes)
    except TypeError:
        raise TypeError(f"layer_sizes: expected a sequence of layer sizes like (784, 15, 10), "
                        f"found {layer_sizes!r}") from None
    if not sizes:
        raise ValueError("layer_sizes: expected at least one layer, found an empty sequence")
    for i, size in enumerate(sizes):
        if isinstance(size, (bool, np.bool_)) or not isinstance(size, numbers.Integral):
            raise TypeError(f"layer_sizes[{i}]: expected a positive int, found {size!r}")
        if size < 1:
            raise ValueError(f"layer_sizes[{i}]: expected a positive number of neurons, "
                             f"found {size}")
    return tuple(int(s) for s in sizes)


def _visible_nodes(size: int, max_nodes: int) -> tuple[list[int], int | None]:
    """Which neuron indices are drawn, and the slot of the ellipsis (None if all are drawn)."""
    if size <= max_nodes:
        return list(range(size)), None
    top = max_nodes // 2
    bottom = max_nodes - 1 - top
    return list(range(top)) + list(range(size - bottom, size)), top


def _default_layer_label(position: int, n_layers: int, size: int) -> str:
    if n_layers == 1:
        kind = "layer"
    elif position == 0:
        kind = "input layer"
    elif position == n_layers - 1:
        kind = "output layer"
    else:
        kind = "hidden layer"
    unit = "neuron" if size == 1 else "neurons"
    return f"{kind}\n({size} {unit})"


def draw_network(layer_sizes, ax=None, *, layer_labels=None, node_labels=None, max_nodes=12,
                 title=None, arrowheads=None):
    """Draw a fully connected feedforward network, inputs on the left (Nielsen §1.3 figures).

    layer_sizes : sequence of positive ints, e.g. (784, 15, 10).

    layer_labels : one string per layer (None entries keep the default), or False for none;
        the default names the layer and its true size, e.g. "input layer (784 neurons)".
    node_labels : one entry per layer, each None or a sequence of ``size`` strings (the labels
        of every neuron; only the drawn ones are shown). Input labels sit left of the nodes,
        output labels right of them, hidden labels inside.

    max_nodes : layers wider than this show ``max_nodes - 1`` neurons and a vertical ellipsis.

    arrowheads : draw connections as arrows (True) or plain lines (False); by default arrows
        unless a drawn neuron receives more than 5 connections, where heads would pile up.

    Every drawn neuron is a ``Circle`` (gid ``node:l:i``) and every connection between drawn
    neurons a ``FancyArrowPatch`` (gid ``edge:l:i:j``, from neuron i of layer l to neuron j of
    layer l+1). Returns the Axes.
    """
    sizes = _layer_sizes(layer_sizes)
    if isinstance(max_nodes, bool) or not isinstance(max_nodes, numbers.Integral) or max_nodes < 3:
        raise ValueError(f"max_nodes: expected an int >= 3, found {max_nodes!r}")
    n_layers = len(sizes)
    if layer_labels is False:
        layer_labels = [""] * n_layers
    elif layer_labels is not None and len(layer_labels) != n_layers:
        raise ValueError(f"layer_labels: expected {n_layers} labels (one per layer), "
                         f"found {len(layer_labels)}")
    if node_labels is not None:
        if len(node_labels) != n_layers:
            raise ValueError(f"node_labels: expected {n_layers} entries (one per layer), "
                             f"found {len(node_labels)}")
        for l, (labels, size) in enumerate(zip(node_labels, sizes)):
            if labels is not None and len(labels) != size:
                raise ValueError(f"node_labels[{l}]: expected {size} labels (one per neuron), "
                                 f"found {len(labels)}")
    ax = new_axes(ax)

    y_gap = 0.75
    tallest = max(min(size, max_nodes) for size in sizes)
    x_gap = max(2.0, 0.4 * tallest * y_gap)
    positions = []  # per layer: {neuron index: (x, y)}
    for l, size in enumerate(sizes):
        visible, ellipsis_slot = _visible_nodes(size, max_nodes)
        n_slots = len(visible) + (ellipsis_slot is not None)
        ys = [(n_slots - 1) / 2 * y_gap - s * y_gap for s in range(n_slots)]
        layer = {}
        slot = 0
        for i in visible:
            if slot == ellipsis_slot:
                ax.text(l * x_gap, ys[slot], "⋮", ha="center", va="center", fontsize=16,
                        gid=f"ellipsis:{l}")
                slot += 1
            layer[i] = (l * x_gap, ys[slot])
            slot += 1
        positions.append(layer)

    nodes = {}
    for l, layer in enumerate(positions):
        labels = None if node_labels is None else node_labels[l]
        for i, (x, y) in layer.items():
            nodes[l, i] = ax.add_patch(Circle((x, y), NODE_RADIUS, facecolor=NODE_FACE,
                                              edgecolor="black", linewidth=1.2, zorder=3,
                                              gid=f"node:{l}:{i}"))
            if labels is not None and labels[i] is not None:
                if l == 0 and n_layers > 1:
                    ax.text(x - NODE_RADIUS - 0.1, y, str(labels[i]), ha="right", va="center")
                elif l == n_layers - 1 and n_layers > 1:
                    ax.text(x + NODE_RADIUS + 0.1, y, str(labels[i]), ha="left", va="center")
                else:
                    ax.text(x, y, str(labels[i]), ha="center", va="center", fontsize=8, zorder=4)

    if arrowheads is None:
        arrowheads = max(len(layer) for layer in positions[:-1]) <= MAX_ARROWHEADS
    for l in range(n_layers - 1):
        for i, start in positions[l].items():
            for j, end in positions[l + 1].items():
                ax.add_patch(connection(start, end, nodes[l, i], nodes[l + 1, j],
                                    gid=f"edge:{l}:{i}:{j}", head=bool(arrowheads)))

    bottom = -(tallest - 1) / 2 * y_gap - 0.6
    for l, size in enumerate(sizes):
        label = None if layer_labels is None else layer_labels[l]
        if label is None:
            label = _default_layer_label(l, n_layers, size)
        if not label:
            continue
        ax.text(l * x_gap, bottom, label, ha="center", va="top", fontsize=9,
                gid=f"layer_label:{l}")

    ax.set_xlim(-1.3, (n_layers - 1) * x_gap + 1.3)
    ax.set_ylim(bottom - 0.9, (tallest - 1) / 2 * y_gap + 0.6)
    ax.set_aspect("equal")
    ax.axis("off")
    if title is not None:
        ax.set_title(title)
    return ax


def connection(start, end, node_a, node_b, *, gid, rad=0.0, color=EDGE_COLOR, head=True):
    """A connection between two Circle patches that starts and ends at their edges, so the
    head touches the node whatever the drawing's scale (the Axes must have equal aspect).

    A straight connection is cut in data units; an arc (``rad`` ≠ 0) is clipped by the two
    patches (exact for curves, but too slow for the hundreds of straight edges of a network).
    """
    style = dict(arrowstyle="-|>" if head else "-", mutation_scale=9, color=color,
                 linewidth=0.8, connectionstyle=f"arc3,rad={rad}", zorder=2, gid=gid)
    if rad:
        return FancyArrowPatch(start, end, patchA=node_a, patchB=node_b, shrinkA=1, shrinkB=1,
                               **style)
    start, end = np.asarray(start, float), np.asarray(end, float)
    unit = (end - start) / max(float(np.hypot(*(end - start))), 1e-12)
    return FancyArrowPatch(tuple(start + node_a.radius * unit), tuple(end - node_b.radius * unit),
                           shrinkA=1, shrinkB=1, **style)


def _patch(ax, gid: str):
    found = [p for p in ax.patches if p.get_gid() == gid]
    if not found:
        raise ValueError(f"no {gid!r} on this Axes: draw it with draw_network first (only drawn "
                         "neurons and connections can be marked)")
    return found[0]


def highlight_edge(ax, layer: int, i: int, j: int, *, label=None, color="tab:red"):
    """Thicken and colour the connection from neuron i of layer ``layer`` to neuron j of the
    next (drawn by :func:`draw_network`); write ``label`` above its middle (gid
    ``edge_label:l:i:j``). Returns the arrow (Nielsen §1.2: "w + Δw")."""
    arrow = _patch(ax, f"edge:{layer}:{i}:{j}")
    arrow.set_color(color)
    arrow.set_linewidth(2.5)
    arrow.set_zorder(2.5)
    if label is not None:
        (x0, y0) = _patch(ax, f"node:{layer}:{i}").center
        (x1, y1) = _patch(ax, f"node:{layer + 1}:{j}").center
        ax.text((x0 + x1) / 2, (y0 + y1) / 2 + 0.12, label, color=color, ha="center",
                va="bottom", fontsize=10, zorder=5, gid=f"edge_label:{layer}:{i}:{j}",
                bbox=dict(boxstyle="round,pad=0.15", facecolor="white", edgecolor="none"))
    return arrow


def drop_neurons(ax, neurons, *, color="0.85", mark="✕"):
    """Show dropout on a :func:`draw_network` diagram (陈强 figure 15.14): each (layer, i) in
    ``neurons`` is filled ``color`` and crossed with ``mark`` (gid ``dropped:l:i``; None for
    no mark), and every connection into or out of it is hidden. Returns the Axes."""
    dropped = {(int(l), int(i)) for l, i in neurons}
    for l, i in sorted(dropped):
        node = _patch(ax, f"node:{l}:{i}")
        node.set_facecolor(color)
        if mark:
            ax.text(*node.center, mark, ha="center", va="center", color="tab:red", fontsize=11,
                    zorder=5, gid=f"dropped:{l}:{i}")
    for patch in ax.patches:
        kind, *where = (patch.get_gid() or "").split(":")
        if kind == "edge" and len(where) == 3:
            l, i, j = (int(v) for v in where)
            if (l, i) in dropped or (l + 1, j) in dropped:
                patch.set_visible(False)
    return ax
