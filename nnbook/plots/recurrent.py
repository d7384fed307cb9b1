"""Recurrent networks as box-and-arrow diagrams (《深度学习与神经网络》第5章, Figs 5-24–5-31).

* :func:`draw_rnn_folded` — the cell A with its loop: x_t in, h_t out, h fed back (Fig. 5-24);
* :func:`draw_rnn_cell` — inside the simplest cell: [h_{t−1}, x_t] → tanh layer → h_t → output
  layer → o_t (Fig. 5-27);
* :func:`draw_unrolled` — the cell copied along time, inputs below, outputs above, the state
  passed right (Figs 5-25, 5-28, and with ``cell_line`` the LSTM chain of Fig. 5-29); every
  label can carry numbers;
* :func:`draw_lstm_cell` — the LSTM cell: forget, input and output gates (σ), the candidate
  (tanh), × and + on the cell state (Figs 5-30/5-31, gates named as in (5-37)).

Every box has an explicit size in data units (the Axes has equal aspect), and every arrow runs
from the edge of one box to the edge of the next, computed here — not clipped by matplotlib at
draw time — so the arrowheads sit where they belong at any resolution. Fonts are in points, so
a diagram needs about 0.9 inch per data unit to keep its texts inside their boxes: without an
``ax`` each function makes a figure of that size. Texts carry a ``gid``
(``cell:k``, ``input:k``, ``output:k``, ``state:k``, ``gate:f`` …) so that a test can read the
drawing back. Every function takes an optional ``ax`` and returns the Axes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch
from matplotlib.path import Path

from nnbook.plots.axes import new_axes

#: Inches per data unit of a figure the functions make themselves.
INCHES_PER_UNIT = 0.9

CELL_COLOUR = "#e8eef7"
GATE_COLOUR = "#fbe5d6"
TANH_COLOUR = "#e2f0d9"
ARROW_COLOUR = "0.3"
STATE_COLOUR = "tab:red"
CELL_STATE_COLOUR = "tab:green"


@dataclass(frozen=True)
class Node:
    """A box (or a circle, when ``radius`` is set) centred at (x, y), half-width w, half-height h."""

    x: float
    y: float
    w: float
    h: float
    radius: float | None = None

    def edge(self, toward) -> tuple[float, float]:
        """Where the ray from the centre toward the point ``toward`` leaves the node."""
        d = np.asarray(toward, float) - (self.x, self.y)
        length = float(np.hypot(*d))
        if length == 0:
            return self.x, self.y
        if self.radius is not None:
            return tuple(np.array((self.x, self.y)) + self.radius * d / length)
        scale = min(self.w / abs(d[0]) if d[0] else np.inf, self.h / abs(d[1]) if d[1] else np.inf)
        return tuple(np.array((self.x, self.y)) + scale * d)


def _centre(p):
    return (p.x, p.y) if isinstance(p, Node) else tuple(p)


def _node(ax, xy, text, size, *, gid, colour=CELL_COLOUR, fontsize=10, edge="0.35",
          text_colour="0.1", round_=True) -> Node:
    """A box of ``size`` (width, height) with ``text`` in its middle; a white box without an
    outline (``edge=None``) is a plain label that arrows stop short of."""
    (x, y), (width, height) = xy, size
    ax.add_patch(FancyBboxPatch((x - width / 2, y - height / 2), width, height,
                                boxstyle="round,pad=0,rounding_size=0.12" if round_ else "square,pad=0",
                                facecolor=colour, edgecolor=edge or "none", linewidth=1.0,
                                zorder=3, gid=f"box:{gid}"))
    ax.text(x, y, text, ha="center", va="center", fontsize=fontsize, color=text_colour,
            zorder=4, gid=gid)
    return Node(x, y, width / 2, height / 2)


def _label(ax, xy, text, size, *, gid, fontsize=11, colour="0.1") -> Node:
    return _node(ax, xy, text, size, gid=gid, colour="white", edge=None, fontsize=fontsize,
                 text_colour=colour)


def _operator(ax, xy, symbol, *, gid, radius=0.22) -> Node:
    """A point-wise operation (×, +) drawn as a small circle."""
    ax.add_patch(Circle(xy, radius, facecolor="white", edgecolor="0.35", zorder=3,
                        gid=f"box:{gid}"))
    ax.text(*xy, symbol, ha="center", va="center", fontsize=11, zorder=4, gid=gid)
    return Node(xy[0], xy[1], radius, radius, radius)


def _arrow(ax, start, end, *, colour=ARROW_COLOUR, lw=1.3, head=True, gap=0.04):
    """A straight arrow from the edge of ``start`` to the edge of ``end`` (Nodes or points)."""
    a, b = _centre(start), _centre(end)
    p = start.edge(b) if isinstance(start, Node) else a
    q = end.edge(a) if isinstance(end, Node) else b
    d = np.subtract(q, p)
    length = float(np.hypot(*d))
    if length > 2 * gap:
        p, q = tuple(np.add(p, gap * d / length)), tuple(np.subtract(q, gap * d / length))
    ax.add_patch(FancyArrowPatch(p, q, arrowstyle="-|>" if head else "-", mutation_scale=11,
                                 color=colour, linewidth=lw, shrinkA=0, shrinkB=0, zorder=2))


def _polyline(ax, points, *, colour=ARROW_COLOUR, lw=1.3, head=True, gid=None):
    """An arrow along a path of straight pieces (for loops and merges)."""
    path = Path(points, [Path.MOVETO] + [Path.LINETO] * (len(points) - 1))
    ax.add_patch(FancyArrowPatch(path=path, arrowstyle="-|>" if head else "-",
                                 mutation_scale=11, color=colour, linewidth=lw, zorder=2,
                                 shrinkA=0, shrinkB=0, gid=gid))


def _axes(ax, xlim, ylim):
    """``ax``, or the Axes of a new figure sized :data:`INCHES_PER_UNIT` per data unit."""
    if ax is not None:
        return new_axes(ax)
    import matplotlib.pyplot as plt

    size = (INCHES_PER_UNIT * (xlim[1] - xlim[0]), INCHES_PER_UNIT * (ylim[1] - ylim[0]) + 0.4)
    return plt.figure(figsize=size, layout="constrained").add_subplot()


def _finish(ax, xlim, ylim, title):
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_aspect("equal")
    ax.axis("off")
    if title is not None:
        ax.set_title(title, fontsize=10)
    return ax


def draw_rnn_folded(ax=None, *, cell="A", title=None):
    """The recurrent cell with its loop (Fig. 5-24): x_t enters from below, h_t leaves upwards
    (to the output o_t) and loops back into the cell as h_{t−1} of the next step."""
    ax = _axes(ax, (-1.2, 2.7), (-2.1, 2.1))
    a = _node(ax, (0, 0), cell, (1.2, 0.9), gid="cell:0", fontsize=14)
    _arrow(ax, _label(ax, (0, -1.75), "$x_t$", (0.5, 0.4), gid="input:0"), a)
    _arrow(ax, a, _label(ax, (0, 1.75), "$h_t$ (→ $o_t$)", (1.4, 0.4), gid="output:0"))
    _polyline(ax, [(0, 1.0), (1.35, 1.0), (1.35, -1.0), (0.35, -1.0), (0.35, -0.5)],
              colour=STATE_COLOUR, gid="loop")
    ax.text(1.5, 0.0, "$h_{t-1}$:\nthe state\nfed back", ha="left", va="center", fontsize=9,
            color=STATE_COLOUR, gid="loop_label")
    return _finish(ax, (-1.2, 2.7), (-2.1, 2.1), title)


def draw_rnn_cell(ax=None, *, n_state="n", n_input="x", title=None):
    """Inside the simplest recurrent cell (Fig. 5-27): the previous state and the input are
    concatenated, one fully connected tanh layer of n units gives the new state h_t, which goes
    to the next step and, through a second fully connected layer, to the output o_t."""
    ax = _axes(ax, (-4.0, 6.2), (-1.5, 3.6))
    h_prev = _label(ax, (-3.4, 0.9), "$h_{t-1}$", (0.7, 0.4), gid="input:state")
    x_t = _label(ax, (-3.4, -0.9), "$x_t$", (0.5, 0.4), gid="input:x")
    concat = _node(ax, (-1.5, 0), f"concatenate\n[$h_{{t-1}}$, $x_t$]\n({n_state} + {n_input})",
                   (1.9, 1.2), gid="cell:concat", fontsize=9, colour="white")
    layer = _node(ax, (1.0, 0), "fully connected\ntanh, n units", (2.0, 0.9),
                  gid="cell:tanh", colour=TANH_COLOUR, fontsize=9)
    h_t = _label(ax, (3.3, 0), "$h_t$", (0.5, 0.4), gid="state:out")
    out = _node(ax, (3.3, 1.7), "fully connected\n(output layer)", (2.0, 0.9),
                gid="cell:output", colour=GATE_COLOUR, fontsize=9)
    o_t = _label(ax, (3.3, 3.2), "$o_t$", (0.5, 0.4), gid="output:0")
    nxt = _label(ax, (5.4, 0), "to step\n$t + 1$", (1.1, 0.7), gid="state:next", fontsize=9)
    for a, b in ((h_prev, concat), (x_t, concat), (concat, layer), (layer, h_t), (h_t, out),
                 (out, o_t), (h_t, nxt)):
        _arrow(ax, a, b)
    ax.text(1.0, -1.1, f"({n_state} + {n_input})·{n_state} + {n_state} parameters", ha="center",
            va="center", fontsize=9, color="0.3", gid="params")
    return _finish(ax, (-4.0, 6.2), (-1.5, 3.6), title)


def draw_unrolled(steps: int, ax=None, *, cell="A", inputs=None, outputs=None, states=None,
                  initial_state="h₀", cell_line=None, pitch=3.0, fontsize=11,
                  label_width=None, title=None):
    """The cell unrolled in time (Fig. 5-25): ``steps`` copies side by side, input k below copy
    k, output k above it, the state passed right from each copy to the next.

    inputs, outputs, states : None or one label per step (any text, matplotlib's ``$…$`` math
        included: ``"$x_0$"``, ``"x = 1"``, ``"[0.537, 0.462]"``); states label the arrow leaving
        copy k. ``initial_state`` labels the arrow into the first copy (None: no arrow).
        ``cell_line`` : a label such as ``"$c_t$"``
        draws a second line along the top of the copies — the LSTM's cell state (Fig. 5-29).
    fontsize : of the labels (the states' one point smaller); ``label_width`` : width of the
        input, output and initial-state labels in data units (default: fits short labels).
    """
    if steps < 1:
        raise ValueError(f"steps: expected at least one copy of the cell, found {steps}")
    for name, labels in (("inputs", inputs), ("outputs", outputs), ("states", states)):
        if labels is not None and len(labels) != steps:
            raise ValueError(f"{name}: expected {steps} labels (one per step), found {len(labels)}")
    label_width = 1.4 if label_width is None else label_width
    ax = _axes(ax, (-0.5 * pitch - label_width - 0.1, (steps - 0.5) * pitch + 1.0), (-2.1, 2.1))
    width = 0.4 + 0.11 * max([len(cell)] + [0])
    cells = [_node(ax, (k * pitch, 0), cell, (max(width + 0.4, 0.8), 0.8), gid=f"cell:{k}",
                   fontsize=12) for k in range(steps)]
    for k, box in enumerate(cells):
        if inputs is not None:
            _arrow(ax, _label(ax, (k * pitch, -1.7), inputs[k], (label_width, 0.45),
                              gid=f"input:{k}", fontsize=fontsize), box)
        if outputs is not None:
            _arrow(ax, box, _label(ax, (k * pitch, 1.7), outputs[k], (label_width, 0.45),
                                   gid=f"output:{k}", fontsize=fontsize))
    left = -0.5 * pitch
    if initial_state is not None:
        start = _label(ax, (left - 0.5 * label_width, 0), initial_state, (label_width, 0.45),
                       gid="state:initial", fontsize=fontsize)
        _arrow(ax, start, cells[0])
        left -= label_width + 0.1
    for k in range(steps):
        end = cells[k + 1] if k + 1 < steps else (k * pitch + 0.5 * pitch + 0.2, 0)
        _arrow(ax, cells[k], end, colour=STATE_COLOUR)
        if states is not None:
            ax.text(k * pitch + 0.5 * pitch, -0.32, states[k], ha="center", va="top",
                    fontsize=fontsize - 1, color=STATE_COLOUR, gid=f"state:{k}")
    right = (steps - 0.5) * pitch + 0.4
    if cell_line is not None:
        y = 0.75
        _polyline(ax, [(-0.5 * pitch, y), ((steps - 0.5) * pitch + 0.2, y)],
                  colour=CELL_STATE_COLOUR, lw=2.0, gid="cell_line")
        ax.text((steps - 0.5) * pitch + 0.3, y, cell_line, ha="left", va="center",
                fontsize=fontsize, color=CELL_STATE_COLOUR, gid="cell_line_label")
        right += 0.6
    return _finish(ax, (left, right), (-2.1, 2.1), title)


def draw_lstm_cell(ax=None, *, cell_output="tanh", title=None):
    """The LSTM cell (Figs 5-30/5-31): from [x_t, h_{t−1}] four layers — the forget gate f, the
    input gate i, the candidate g (tanh) and the output gate o (σ); the cell state runs along
    the top, c_t = f ⊙ c_{t−1} + i ⊙ g, and h_t = o ⊙ tanh(c_t) (``cell_output="tanh"``, the
    standard cell) or o ⊙ c_t (``"book"``, (5-37) as the book's code computes it)."""
    if cell_output not in ("tanh", "book"):
        raise ValueError(f"cell_output: expected 'tanh' or 'book', found {cell_output!r}")
    ax = _axes(ax, (-5.1, 5.1), (-4.1, 2.9))
    top, bus = 2.4, -1.5
    c_prev = _label(ax, (-4.6, top), "$c_{t-1}$", (0.7, 0.4), gid="state:c_prev")
    h_prev = _label(ax, (-4.6, bus), "$h_{t-1}$", (0.7, 0.4), gid="state:h_prev")
    x_t = _label(ax, (-3.5, -2.8), "$x_t$", (0.5, 0.4), gid="input:x")
    c_t = _label(ax, (4.6, top), "$c_t$", (0.5, 0.4), gid="state:c")
    h_t = _label(ax, (4.6, bus), "$h_t$", (0.5, 0.4), gid="state:h")
    specs = (("f", -2.4, "σ"), ("i", -1.0, "σ"), ("g", 0.4, "tanh"), ("o", 1.8, "σ"))
    gates = {}
    for name, x, fn in specs:
        gates[name] = _node(ax, (x, 0), f"{name}: {fn}", (1.05, 0.5), gid=f"gate:{name}",
                            round_=False, colour=TANH_COLOUR if fn == "tanh" else GATE_COLOUR)
    times_f = _operator(ax, (-2.4, top), "×", gid="op:forget")
    times_i = _operator(ax, (0.4, 1.3), "×", gid="op:input")
    plus = _operator(ax, (0.4, top), "+", gid="op:add")
    times_o = _operator(ax, (3.0, 0.0), "×", gid="op:output")
    # the bus: h_{t-1} and x_t merge and feed every gate
    _polyline(ax, [h_prev.edge((0, bus)), (1.8, bus)], head=False)
    _polyline(ax, [x_t.edge((-3.5, 0)), (-3.5, bus)], head=False)
    for name, x, _ in specs:
        _arrow(ax, (x, bus), gates[name])
    _arrow(ax, c_prev, times_f, colour=CELL_STATE_COLOUR, lw=2.0)
    _arrow(ax, gates["f"], times_f)
    _arrow(ax, times_f, plus, colour=CELL_STATE_COLOUR, lw=2.0)
    _polyline(ax, [gates["i"].edge((-1.0, 1.0)), (-1.0, 1.3), times_i.edge((-1.0, 1.3))])
    _arrow(ax, gates["g"], times_i)
    _arrow(ax, times_i, plus)
    _arrow(ax, plus, c_t, colour=CELL_STATE_COLOUR, lw=2.0)
    if cell_output == "tanh":
        squash = _node(ax, (3.0, 1.3), "tanh", (0.8, 0.45), gid="op:tanh_c",
                       colour=TANH_COLOUR, fontsize=9)
        _arrow(ax, (3.0, top), squash)
        _arrow(ax, squash, times_o)
        rule = "$h_t = o \\odot \\tanh(c_t)$"
    else:
        _arrow(ax, (3.0, top), times_o)
        rule = "$h_t = o \\odot c_t$, the book's (5-37)"
    _arrow(ax, gates["o"], times_o)
    _polyline(ax, [times_o.edge((3.0, bus)), (3.0, bus), h_t.edge((3.0, bus))])
    ax.text(0.0, -3.3, "f forget gate, i input gate, g candidate, o output gate", ha="center",
            va="center", fontsize=8.5, color="0.3", gid="gate_names")
    ax.text(0.0, -3.8, "$c_t = f \\odot c_{t-1} + i \\odot g$,   " + rule, ha="center",
            va="center", fontsize=9.5, gid="rule")
    return _finish(ax, (-5.1, 5.1), (-4.1, 2.9), title)
