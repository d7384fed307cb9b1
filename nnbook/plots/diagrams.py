"""Diagrams: fully connected networks and perceptron circuits (Nielsen §1.1–§1.3, 陈强 §15.3).

Drawn artists carry a ``gid`` so a reader (or a test) can find them again:
``node:…`` and ``edge:…`` for diagram patches, ``weight:…`` and ``bias:…`` for circuit labels.
"""

from __future__ import annotations

import numbers

import numpy as np
from matplotlib.patches import Circle, FancyArrowPatch

from nnbook.plots.axes import new_axes

NODE_RADIUS = 0.22
#: Above this many drawn inputs per neuron, draw_network draws connections without arrowheads.
MAX_ARROWHEADS = 5
_NODE_FACE = "white"
_EDGE_COLOR = "0.35"


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
            nodes[l, i] = ax.add_patch(Circle((x, y), NODE_RADIUS, facecolor=_NODE_FACE,
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
                ax.add_patch(_arrow(start, end, nodes[l, i], nodes[l + 1, j],
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


def _arrow(start, end, node_a, node_b, *, gid, rad=0.0, color=_EDGE_COLOR, head=True):
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


def _circuit_positions(circuit):
    """Place circuit inputs at depth 0 and each gate one column right of its deepest source.

    Within a column, gates are ordered by the mean height of their sources and centred; an
    output gate that is not in the last column (the half adder's carry) goes below the rest
    of its column and half a column further right (as Nielsen moves it), so its wires pass
    clear of the other gates.
    """
    depth = {name: 0 for name in circuit.inputs}
    for name, gate in circuit.gates.items():
        missing = [src for src in gate.inputs if src not in depth]
        if missing:
            raise ValueError(f"gate {name!r} reads {missing}, which are neither circuit inputs "
                             "nor earlier gates")
        depth[name] = 1 + max(depth[src] for src in gate.inputs) if gate.inputs else 1
    for name in circuit.outputs:
        if name not in depth:
            raise ValueError(f"output {name!r} is not a gate or input of the circuit")
    last = max(depth.values())
    gap = 1.6
    y = {}
    for column in range(last + 1):
        members = [n for n in depth if depth[n] == column]

        def height(name):
            srcs = circuit.gates[name].inputs if name in circuit.gates else ()
            return float(np.mean([y[s] for s in srcs])) if srcs else 0.0

        early_outputs = [n for n in members if n in circuit.outputs and column < last]
        regular = sorted((n for n in members if n not in early_outputs), key=lambda n: -height(n))
        for k, name in enumerate(regular):
            y[name] = (len(regular) - 1) / 2 * gap - k * gap
        lowest = min((y[n] for n in regular), default=gap / 2)
        for k, name in enumerate(early_outputs, start=1):
            y[name] = lowest - k * gap
    column = 1.8
    return {name: (column * (depth[name] + (0.5 if name in circuit.outputs and depth[name] < last
                                            else 0.0)), y[name]) for name in depth}


def _format_number(value) -> str:
    return f"{value:g}".replace("-", "−")


def draw_circuit(circuit, ax=None, *, show_weights=True):
    """Draw a :class:`nnbook.models.logic_gates.PerceptronCircuit` (Nielsen §1.1, half-adder figures).

    Inputs are drawn at the left, each gate one column right of its deepest source. Each
    gate's bias is written inside its circle (gid ``bias:name``), each connection is an arrow
    (gid ``edge:src->dst:k`` for the k-th input of gate dst) labelled with its weight
    (gid ``weight:src->dst:k``) when ``show_weights``. A gate that reads the same source twice
    (the half adder's carry) gets two arcs bending opposite ways. Each weight sits on its wire
    where it is farthest from the other wires, gates and labels. Outputs are named at the
    right. Returns the Axes.
    """
    from nnbook.models.logic_gates import PerceptronCircuit

    if not isinstance(circuit, PerceptronCircuit):
        raise TypeError(f"circuit: expected a nnbook.models.logic_gates.PerceptronCircuit, found "
                        f"{type(circuit).__name__}")
    ax = new_axes(ax)
    pos = _circuit_positions(circuit)
    gate_radius = NODE_RADIUS * 1.3
    obstacles = []          # (point, clearance it needs): gates and the labels placed so far
    circles = {}

    for name in circuit.inputs:
        x, y = pos[name]
        circles[name] = ax.add_patch(Circle((x, y), NODE_RADIUS * 0.8, facecolor="0.85",
                                            edgecolor="black", zorder=3, gid=f"node:{name}"))
        ax.text(x - NODE_RADIUS - 0.1, y, name, ha="right", va="center", fontsize=11)
        obstacles.append(((x, y), NODE_RADIUS * 0.8))

    wires = []              # (src, dst, k, start, end, rad)
    for name, gate in circuit.gates.items():
        x, y = pos[name]
        circles[name] = ax.add_patch(Circle((x, y), gate_radius, facecolor=_NODE_FACE,
                                            edgecolor="black", zorder=3, gid=f"node:{name}"))
        ax.text(x, y, _format_number(gate.bias), ha="center", va="center", fontsize=9, zorder=4,
                gid=f"bias:{name}")
        obstacles.append(((x, y), gate_radius))
        if len(gate.weights) != len(gate.inputs):
            raise ValueError(f"gate {name!r}: {len(gate.inputs)} inputs but "
                             f"{len(gate.weights)} weights; expected one weight per input")
        repeats = {}
        for k, src in enumerate(gate.inputs):
            repeats.setdefault(src, []).append(k)
        for src, ks in repeats.items():
            bystanders = [((gx, gy), gate_radius) for g, (gx, gy) in pos.items()
                          if g not in (src, name)]
            for k, rad in zip(ks, _bends(pos[src], (x, y), len(ks), bystanders)):
                wires.append((src, name, k, pos[src], (x, y), rad))
                ax.add_patch(_arrow(pos[src], (x, y), circles[src], circles[name],
                                    gid=f"edge:{src}->{name}:{k}", rad=rad,
                                    color="0.2"))
        if name not in circuit.outputs:
            ax.text(x, y + gate_radius + 0.08, name, ha="center", va="bottom", fontsize=8)
            obstacles.append(((x, y + gate_radius + 0.2), 0.12))

    if show_weights:
        curves = [np.array([_label_point(start, end, rad, t) for t in np.linspace(0, 1, 41)])
                  for *_, start, end, rad in wires]
        for n, (src, name, k, start, end, rad) in enumerate(wires):
            others = [curve for m, curve in enumerate(curves) if m != n]
            lx, ly = _clear_point(start, end, rad, others, obstacles)
            obstacles.append(((lx, ly), 0.2))
            ax.text(lx, ly, _format_number(circuit.gates[name].weights[k]), ha="center",
                    va="center", fontsize=8, color="tab:blue", zorder=4,
                    bbox=dict(boxstyle="round,pad=0.1", facecolor="white", edgecolor="none",
                              alpha=0.8),
                    gid=f"weight:{src}->{name}:{k}")

    for name in circuit.outputs:
        x, y = pos[name]
        ax.text(x + gate_radius + 0.15, y, name, ha="left", va="center", fontsize=11,
                gid=f"output:{name}")

    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    ax.set_xlim(min(xs) - 1.0, max(xs) + 1.6)
    ax.set_ylim(min(ys) - 0.8, max(ys) + 0.8)
    ax.set_aspect("equal")
    ax.axis("off")
    return ax


#: Bends (arc3 ``rad``) tried for 1 and 2 wires between the same two gates, preferred first.
_BENDS = {1: ((0.0,), (0.2,), (-0.2,), (0.35,), (-0.35,)),
          2: ((-0.25, 0.25), (0.15, 0.4), (-0.4, -0.15), (0.3, 0.55), (-0.55, -0.3))}


def _bends(start, end, n: int, bystanders, *, wanted=0.2):
    """Bends for ``n`` wires from start to end: the first choice whose curves stay ``wanted``
    clear of every bystander (centre, radius), else the clearest (Nielsen: wires that go
    around gates, not through them)."""
    if n not in _BENDS:
        return list(np.linspace(-0.25, 0.25, n))
    best, best_clearance = None, -np.inf
    for bends in _BENDS[n]:
        curves = [np.array([_label_point(start, end, rad, t) for t in np.linspace(0, 1, 41)])
                  for rad in bends]
        clearance = min([float(np.min(np.hypot(*(curve - centre).T))) - radius
                         for curve in curves for centre, radius in bystanders] + [np.inf])
        if clearance >= wanted:
            return list(bends)
        if clearance > best_clearance:
            best, best_clearance = list(bends), clearance
    return best


#: Where a weight label may sit along its wire (fraction of the way), most preferred first.
_LABEL_FRACTIONS = (0.5, 0.42, 0.58, 0.34, 0.66, 0.26, 0.74)


def _clear_point(start, end, rad, other_wires, obstacles, *, wanted=0.22):
    """The first point along the wire (at :data:`_LABEL_FRACTIONS`) at least ``wanted`` clear
    of every other wire and of every obstacle's edge, else the clearest of them."""
    best, best_clearance = None, -np.inf
    for fraction in _LABEL_FRACTIONS:
        point = np.array(_label_point(start, end, rad, fraction))
        clearance = min([float(np.min(np.hypot(*(curve - point).T))) for curve in other_wires]
                        + [float(np.hypot(*(point - centre))) - size
                           for centre, size in obstacles] + [np.inf])
        if clearance >= wanted:
            return tuple(point)
        if clearance > best_clearance:
            best, best_clearance = tuple(point), clearance
    return best


def _label_point(start, end, rad, fraction=0.5):
    """A point on the arc3 curve from start to end, ``fraction`` of the way along."""
    (x0, y0), (x1, y1) = start, end
    mx, my = (x0 + x1) / 2, (y0 + y1) / 2
    dx, dy = x1 - x0, y1 - y0
    cx, cy = mx + rad * dy, my - rad * dx  # the quadratic Bézier control point of arc3
    t = fraction
    return ((1 - t) ** 2 * x0 + 2 * (1 - t) * t * cx + t ** 2 * x1,
            (1 - t) ** 2 * y0 + 2 * (1 - t) * t * cy + t ** 2 * y1)
