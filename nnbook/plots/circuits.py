"""Perceptron circuits: gates as circles with their bias, wires labelled with their weight
(Nielsen §1.1: the NAND gate and the half adder).

Drawn artists carry a ``gid``: ``node:name`` and ``edge:src->dst:k`` for the patches,
``bias:name``, ``weight:src->dst:k`` and ``output:name`` for the texts. Wires bend around
gates they do not connect, and each weight sits where it is clearest of the other wires.
"""

from __future__ import annotations

import numpy as np
from matplotlib.patches import Circle

from nnbook.plots.axes import new_axes
from nnbook.plots.diagrams import NODE_FACE, NODE_RADIUS, connection


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
        circles[name] = ax.add_patch(Circle((x, y), gate_radius, facecolor=NODE_FACE,
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
                ax.add_patch(connection(pos[src], (x, y), circles[src], circles[name],
                                    gid=f"edge:{src}->{name}:{k}", rad=rad,
                                    color="0.2"))
        if name not in circuit.outputs:
            ax.text(x, y + gate_radius + 0.08, name, ha="center", va="bottom", fontsize=8)
            obstacles.append(((x, y + gate_radius + 0.2), 0.12))

    if show_weights:
        curves = [_curve(start, end, rad) for *_, start, end, rad in wires]
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


def _first_clear(candidates, clearance, wanted):
    """The first candidate whose ``clearance(candidate)`` is at least ``wanted``, else the one
    with the largest clearance."""
    scored = []
    for candidate in candidates:
        score = clearance(candidate)
        if score >= wanted:
            return candidate
        scored.append((score, -len(scored), candidate))       # ties go to the earlier one
    return max(scored, key=lambda entry: entry[:2])[2]


def _curve(start, end, rad, samples=41) -> np.ndarray:
    """Points (samples, 2) along the arc3 curve from start to end."""
    return np.array([_label_point(start, end, rad, t) for t in np.linspace(0, 1, samples)])


#: Bends (arc3 ``rad``) tried for 1 and 2 wires between the same two gates, preferred first.
_BENDS = {1: ((0.0,), (0.2,), (-0.2,), (0.35,), (-0.35,)),
          2: ((-0.25, 0.25), (0.15, 0.4), (-0.4, -0.15), (0.3, 0.55), (-0.55, -0.3))}


def _bends(start, end, n: int, bystanders, *, wanted=0.2):
    """Bends for ``n`` wires from start to end: the first choice whose curves stay ``wanted``
    clear of every bystander (centre, radius), else the clearest (Nielsen: wires that go
    around gates, not through them)."""
    if n not in _BENDS:
        return list(np.linspace(-0.25, 0.25, n))

    def clearance(bends):
        return min([float(np.min(np.hypot(*(_curve(start, end, rad) - centre).T))) - radius
                    for rad in bends for centre, radius in bystanders] + [np.inf])

    return list(_first_clear(_BENDS[n], clearance, wanted))


#: Where a weight label may sit along its wire (fraction of the way), most preferred first.
_LABEL_FRACTIONS = (0.5, 0.42, 0.58, 0.34, 0.66, 0.26, 0.74)


def _clear_point(start, end, rad, other_wires, obstacles, *, wanted=0.22):
    """The first point along the wire (at :data:`_LABEL_FRACTIONS`) at least ``wanted`` clear
    of every other wire and of every obstacle's edge, else the clearest of them."""
    def clearance(point):
        return min([float(np.min(np.hypot(*(curve - point).T))) for curve in other_wires]
                   + [float(np.hypot(*(point - centre))) - size for centre, size in obstacles]
                   + [np.inf])

    points = [np.array(_label_point(start, end, rad, f)) for f in _LABEL_FRACTIONS]
    return tuple(_first_clear(points, clearance, wanted))


def _label_point(start, end, rad, fraction=0.5):
    """A point on the arc3 curve from start to end, ``fraction`` of the way along."""
    (x0, y0), (x1, y1) = start, end
    mx, my = (x0 + x1) / 2, (y0 + y1) / 2
    dx, dy = x1 - x0, y1 - y0
    cx, cy = mx + rad * dy, my - rad * dx  # the quadratic Bézier control point of arc3
    t = fraction
    return ((1 - t) ** 2 * x0 + 2 * (1 - t) * t * cx + t ** 2 * x1,
            (1 - t) ** 2 * y0 + 2 * (1 - t) * t * cy + t ** 2 * y1)
