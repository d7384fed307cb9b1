"""Figures for the chapters, drawn with matplotlib only (Nielsen ch. 1, figures of §1.1–§1.5).

Every function takes an optional ``ax``; when it is None a new figure is made. Each returns
the Axes it drew on. Nothing here calls ``plt.show()``, changes rcParams or picks a backend,
and pyplot is imported only when a new figure is needed.

Drawn artists carry a ``gid`` so a reader (or a test) can find them again:
``node:…`` and ``edge:…`` for diagram patches, ``weight:…`` and ``bias:…`` for circuit labels.
"""

from __future__ import annotations

import math
import numbers

import numpy as np
from matplotlib.patches import Circle, FancyArrowPatch

from nnbook.validation import as_float_array

NODE_RADIUS = 0.22
_NODE_FACE = "white"
_EDGE_COLOR = "0.35"


def _new_axes(ax, projection=None):
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    fig = plt.figure()
    return fig.add_subplot(projection=projection)


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
                 title=None):
    """Draw a fully connected feedforward network, inputs on the left (Nielsen §1.3 figures).

    layer_sizes : sequence of positive ints, e.g. (784, 15, 10).
    layer_labels : one string per layer (None entries keep the default); the default names
        the layer and its true size, e.g. "input layer (784 neurons)".
    node_labels : one entry per layer, each None or a sequence of ``size`` strings (the labels
        of every neuron; only the drawn ones are shown). Input labels sit left of the nodes,
        output labels right of them, hidden labels inside.
    max_nodes : layers wider than this show ``max_nodes - 1`` neurons and a vertical ellipsis.

    Every drawn neuron is a ``Circle`` (gid ``node:l:i``) and every connection between drawn
    neurons a ``FancyArrowPatch`` (gid ``edge:l:i:j``, from neuron i of layer l to neuron j of
    layer l+1). Returns the Axes.
    """
    sizes = _layer_sizes(layer_sizes)
    if isinstance(max_nodes, bool) or not isinstance(max_nodes, numbers.Integral) or max_nodes < 3:
        raise ValueError(f"max_nodes: expected an int >= 3, found {max_nodes!r}")
    n_layers = len(sizes)
    if layer_labels is not None and len(layer_labels) != n_layers:
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
    ax = _new_axes(ax)

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

    for l in range(n_layers - 1):
        for i, (x0, y0) in positions[l].items():
            for j, (x1, y1) in positions[l + 1].items():
                ax.add_patch(_arrow((x0, y0), (x1, y1), gid=f"edge:{l}:{i}:{j}"))

    for l, layer in enumerate(positions):
        labels = None if node_labels is None else node_labels[l]
        for i, (x, y) in layer.items():
            ax.add_patch(Circle((x, y), NODE_RADIUS, facecolor=_NODE_FACE, edgecolor="black",
                                linewidth=1.2, zorder=3, gid=f"node:{l}:{i}"))
            if labels is not None and labels[i] is not None:
                if l == 0 and n_layers > 1:
                    ax.text(x - NODE_RADIUS - 0.1, y, str(labels[i]), ha="right", va="center")
                elif l == n_layers - 1 and n_layers > 1:
                    ax.text(x + NODE_RADIUS + 0.1, y, str(labels[i]), ha="left", va="center")
                else:
                    ax.text(x, y, str(labels[i]), ha="center", va="center", fontsize=8, zorder=4)

    bottom = -(tallest - 1) / 2 * y_gap - 0.6
    for l, size in enumerate(sizes):
        label = None if layer_labels is None else layer_labels[l]
        if label is None:
            label = _default_layer_label(l, n_layers, size)
        ax.text(l * x_gap, bottom, label, ha="center", va="top", fontsize=9,
                gid=f"layer_label:{l}")

    ax.set_xlim(-1.3, (n_layers - 1) * x_gap + 1.3)
    ax.set_ylim(bottom - 0.9, (tallest - 1) / 2 * y_gap + 0.6)
    ax.set_aspect("equal")
    ax.axis("off")
    if title is not None:
        ax.set_title(title)
    return ax


def _arrow(start, end, *, gid, rad=0.0, color=_EDGE_COLOR):
    return FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=9, color=color,
                           linewidth=0.8, shrinkA=9, shrinkB=9,
                           connectionstyle=f"arc3,rad={rad}", zorder=2, gid=gid)


def _circuit_positions(circuit):
    """Place circuit inputs at depth 0 and each gate one column right of its deepest source.

    Within a column, gates are ordered by the mean height of their sources and centred; an
    output gate that is not in the last column (the half adder's carry) goes below the rest
    of its column so its wires do not cross the other gates.
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
    return {name: (1.8 * depth[name], y[name]) for name in depth}


def _format_number(value) -> str:
    return f"{value:g}".replace("-", "−")


def draw_circuit(circuit, ax=None, *, show_weights=True):
    """Draw a :class:`nnbook.perceptron.PerceptronCircuit` (Nielsen §1.1, half-adder figures).

    Inputs are drawn at the left, each gate one column right of its deepest source. Each
    gate's bias is written inside its circle (gid ``bias:name``), each connection is an arrow
    (gid ``edge:src->dst:k`` for the k-th input of gate dst) labelled with its weight
    (gid ``weight:src->dst:k``) when ``show_weights``. A gate that reads the same source twice
    (the half adder's carry) gets two arcs bending opposite ways. Outputs are named at the
    right. Returns the Axes.
    """
    from nnbook.perceptron import PerceptronCircuit

    if not isinstance(circuit, PerceptronCircuit):
        raise TypeError(f"circuit: expected a nnbook.perceptron.PerceptronCircuit, found "
                        f"{type(circuit).__name__}")
    ax = _new_axes(ax)
    pos = _circuit_positions(circuit)

    for name in circuit.inputs:
        x, y = pos[name]
        ax.add_patch(Circle((x, y), NODE_RADIUS * 0.8, facecolor="0.85", edgecolor="black",
                            zorder=3, gid=f"node:{name}"))
        ax.text(x - NODE_RADIUS - 0.1, y, name, ha="right", va="center", fontsize=11)

    for name, gate in circuit.gates.items():
        x, y = pos[name]
        ax.add_patch(Circle((x, y), NODE_RADIUS * 1.3, facecolor=_NODE_FACE, edgecolor="black",
                            zorder=3, gid=f"node:{name}"))
        ax.text(x, y, _format_number(gate.bias), ha="center", va="center", fontsize=9, zorder=4,
                gid=f"bias:{name}")
        repeats = {}
        if len(gate.weights) != len(gate.inputs):
            raise ValueError(f"gate {name!r}: {len(gate.inputs)} inputs but "
                             f"{len(gate.weights)} weights; expected one weight per input")
        for k, src in enumerate(gate.inputs):
            repeats.setdefault(src, []).append(k)
        for src, ks in repeats.items():
            bends = [0.0] if len(ks) == 1 else list(np.linspace(-0.25, 0.25, len(ks)))
            for k, rad in zip(ks, bends):
                start, end = pos[src], (x, y)
                ax.add_patch(_arrow(start, end, gid=f"edge:{src}->{name}:{k}", rad=rad,
                                    color="0.2"))
                if show_weights:
                    lx, ly = _label_point(start, end, rad)
                    ax.text(lx, ly, _format_number(gate.weights[k]), ha="center", va="center",
                            fontsize=8, color="tab:blue", zorder=4,
                            bbox=dict(boxstyle="round,pad=0.1", facecolor="white",
                                      edgecolor="none", alpha=0.8),
                            gid=f"weight:{src}->{name}:{k}")
        if name not in circuit.outputs:
            ax.text(x, y + NODE_RADIUS * 1.3 + 0.08, name, ha="center", va="bottom", fontsize=8)

    for name in circuit.outputs:
        x, y = pos[name]
        ax.text(x + NODE_RADIUS * 1.3 + 0.15, y, name, ha="left", va="center", fontsize=11,
                gid=f"output:{name}")

    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    ax.set_xlim(min(xs) - 1.0, max(xs) + 1.6)
    ax.set_ylim(min(ys) - 0.8, max(ys) + 0.8)
    ax.set_aspect("equal")
    ax.axis("off")
    return ax


def _label_point(start, end, rad, fraction=0.5):
    """A point on the arc3 curve from start to end, ``fraction`` of the way along."""
    (x0, y0), (x1, y1) = start, end
    mx, my = (x0 + x1) / 2, (y0 + y1) / 2
    dx, dy = x1 - x0, y1 - y0
    cx, cy = mx + rad * dy, my - rad * dx  # the quadratic Bézier control point of arc3
    t = fraction
    return ((1 - t) ** 2 * x0 + 2 * (1 - t) * t * cx + t ** 2 * x1,
            (1 - t) ** 2 * y0 + 2 * (1 - t) * t * cy + t ** 2 * y1)


def plot_step_and_sigmoid(ax=None, z_range=(-4, 4)):
    """σ(z) (eq. (3)) and the perceptron's step on one axes (Nielsen §1.2 figures).

    The step line takes the value 0 at z = 0 (footnote 2: the perceptron outputs 0 there) and
    the point (0, 0) is marked filled, (0, 1) hollow. Lines carry the labels "sigmoid" and
    "step". Returns the Axes.
    """
    from nnbook.activations import sigmoid, step

    bounds = as_float_array(z_range, "z_range", ndim=1)
    if bounds.shape != (2,) or not bounds[0] < bounds[1]:
        raise ValueError(f"z_range: expected (low, high) with low < high, found {z_range!r}")
    lo, hi = float(bounds[0]), float(bounds[1])
    ax = _new_axes(ax)
    if lo < 0 < hi:
        z = np.concatenate([np.linspace(lo, 0.0, 201), np.linspace(0.0, hi, 201)[1:]])
    else:
        z = np.linspace(lo, hi, 401)
    ax.plot(z, sigmoid(z), color="tab:blue", linewidth=2, label="sigmoid")
    ax.plot(z, step(z), color="tab:orange", linewidth=2, linestyle="--", label="step")
    if lo <= 0 <= hi:
        ax.plot([0.0], [0.0], "o", color="tab:orange", label="step(0) = 0")
        ax.plot([0.0], [1.0], "o", markerfacecolor="white", color="tab:orange")
    ax.set_xlabel("z")
    ax.set_ylabel("output")
    ax.set_ylim(-0.05, 1.05)
    ax.set_yticks(np.linspace(0, 1, 6))
    ax.set_title("sigmoid σ(z) and the perceptron's step")
    ax.legend(loc="upper left")
    ax.grid(alpha=0.3)
    return ax


def plot_valley(path=None, ax=None):
    """The bowl C(v1, v2) = v1² + v2² on [−1, 1]² (Nielsen §1.5, the valley figures).

    ``path`` (k, 2) — e.g. from :func:`nnbook.gradient_descent.gradient_descent` — is lifted
    onto the surface (z = C(v), line labelled "descent path") and its last point is drawn as a
    ball (label "ball"). ``ax`` must be a 3-D Axes (``fig.add_subplot(projection="3d")``).
    Returns the Axes.
    """
    from nnbook.gradient_descent import valley

    if path is not None:
        path = as_float_array(path, "path", ndim=2)
        if path.shape[1] != 2 or path.shape[0] < 1:
            raise ValueError(f"path: expected shape (k, 2) with k >= 1 points (v1, v2), "
                             f"found {path.shape}")
    if ax is not None and getattr(ax, "name", None) != "3d":
        raise TypeError("ax: expected a 3-D Axes (fig.add_subplot(projection='3d')), found a "
                        f"{getattr(ax, 'name', type(ax).__name__)!r} Axes")
    ax = _new_axes(ax, projection="3d")
    grid = np.linspace(-1.0, 1.0, 41)
    V1, V2 = np.meshgrid(grid, grid)
    C = valley(np.stack([V1, V2], axis=-1))
    ax.plot_surface(V1, V2, C, cmap="viridis", alpha=0.55, linewidth=0, antialiased=True,
                    rstride=2, cstride=2)
    if path is not None:
        cost = valley(path)
        ax.plot(path[:, 0], path[:, 1], cost, color="red", marker=".", linewidth=1.5,
                zorder=5, label="descent path")
        ax.plot([path[-1, 0]], [path[-1, 1]], [cost[-1]], "o", color="black", markersize=9,
                zorder=6, label="ball")
    ax.set_xlabel("$v_1$")
    ax.set_ylabel("$v_2$")
    ax.set_zlabel("$C$")
    ax.set_xticks([-1, 0, 1])
    ax.set_yticks([-1, 0, 1])
    ax.set_zticks([0, 1, 2])
    ax.set_zlim(0, 2)
    return ax


def plot_descent_1d(C, path, ax=None, *, v_range=None):
    """Gradient descent on a cost of one variable (Nielsen §1.5, exercise X5).

    C : callable mapping an array of v values to C(v) (vectorised).
    path : (k,) iterates v_0 … v_{k−1}. Draws the curve C (label "C(v)") over ``v_range``
    (low, high) — by default a range covering the path — and the iterates at height C(v_t)
    joined in order (label "iterates"). Returns the Axes.
    """
    if not callable(C):
        raise TypeError(f"C: expected a function v -> C(v), found {type(C).__name__}")
    path = as_float_array(path, "path", ndim=(1, 2))
    if path.ndim == 2:
        if path.shape[1] != 1:
            raise ValueError(f"path: expected the iterates of a 1-D descent, shape (k,) or (k, 1), "
                             f"found {path.shape}")
        path = path[:, 0]
    if path.size == 0:
        raise ValueError("path: expected at least one iterate, found none")
    if v_range is None:
        lo, hi = float(path.min()), float(path.max())
        span = max(hi - lo, 1.0)
        lo, hi = lo - 0.15 * span, hi + 0.15 * span
    else:
        bounds = as_float_array(v_range, "v_range", ndim=1)
        if bounds.shape != (2,) or not bounds[0] < bounds[1]:
            raise ValueError(f"v_range: expected (low, high) with low < high, found {v_range!r}")
        lo, hi = float(bounds[0]), float(bounds[1])
    ax = _new_axes(ax)
    v = np.linspace(lo, hi, 400)
    cost_curve = as_float_array(C(v), "C(v)", ndim=1)
    if cost_curve.shape != v.shape:
        raise ValueError(f"C(v): expected one value per v, shape {v.shape}, found {cost_curve.shape}")
    ax.plot(v, cost_curve, color="tab:blue", label="C(v)")
    cost_path = as_float_array(C(path), "C(path)", ndim=1)
    ax.plot(path, cost_path, "o-", color="tab:red", markersize=4, linewidth=1, label="iterates")
    ax.plot([path[0]], [cost_path[0]], "s", color="tab:green", label="start")
    ax.set_xlabel("v")
    ax.set_ylabel("C(v)")
    ax.legend()
    return ax


def plot_digits(images, labels=None, *, shape, ncols=10, ax=None):
    """Images in a grid on one Axes, ink dark (``gray_r``: Nielsen's 0 = white, 1 = black).

    images : (n, prod(shape)) flattened rows or (n, *shape); intensities in [0, 1].
    labels : optional (n,) values written above each image.
    shape : (rows, cols) of one image, e.g. (8, 8) or (28, 28).
    The mosaic is a single ``imshow`` with one blank pixel between images. Returns the Axes.
    """
    try:
        rows, cols = (int(s) for s in shape)
    except (TypeError, ValueError):
        raise TypeError(f"shape: expected (rows, cols) of one image, found {shape!r}") from None
    if rows < 1 or cols < 1:
        raise ValueError(f"shape: expected positive (rows, cols), found {shape!r}")
    images = as_float_array(images, "images", ndim=(2, 3))
    n = images.shape[0]
    if images.ndim == 2 and images.shape[1] != rows * cols:
        raise ValueError(f"images: expected rows of {rows}×{cols} = {rows * cols} pixels, "
                         f"found shape {images.shape}")
    if images.ndim == 3 and images.shape[1:] != (rows, cols):
        raise ValueError(f"images: expected images of shape ({rows}, {cols}), found shape "
                         f"{images.shape[1:]}")
    if n == 0:
        raise ValueError("images: expected at least one image, found none")
    if labels is not None and len(labels) != n:
        raise ValueError(f"labels: expected {n} labels (one per image), found {len(labels)}")
    if isinstance(ncols, bool) or not isinstance(ncols, numbers.Integral) or ncols < 1:
        raise ValueError(f"ncols: expected a positive int, found {ncols!r}")
    images = images.reshape(n, rows, cols)
    ncols = min(int(ncols), n)
    nrows = math.ceil(n / ncols)
    gap = 1
    row_gap = gap if labels is None else max(gap, math.ceil(rows / 4))
    mosaic = np.zeros((nrows * (rows + row_gap) - row_gap, ncols * (cols + gap) - gap))
    for k in range(n):
        r, c = divmod(k, ncols)
        top, left = r * (rows + row_gap), c * (cols + gap)
        mosaic[top:top + rows, left:left + cols] = images[k]
    ax = _new_axes(ax)
    ax.imshow(mosaic, cmap="gray_r", vmin=0.0, vmax=1.0, interpolation="nearest")
    if labels is not None:
        for k, label in enumerate(labels):
            r, c = divmod(k, ncols)
            ax.text(c * (cols + gap) + (cols - 1) / 2, r * (rows + row_gap) - 0.55, str(label),
                    ha="center", va="bottom", fontsize=8, color="tab:blue")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_ylim(mosaic.shape[0] - 0.5, -0.5 - (row_gap if labels is not None else 0))
    return ax


def plot_history(history, ax=None, keys=("train_accuracy", "test_accuracy")):
    """Per-epoch records from :func:`nnbook.training.sgd` — one line per key against ``epoch``.

    history : list of dicts with an ``epoch`` entry and the requested keys. Returns the Axes.
    """
    if isinstance(history, dict) or not hasattr(history, "__len__") or len(history) == 0:
        raise ValueError("history: expected a non-empty list of per-epoch dicts as returned by "
                         f"nnbook.training.sgd, found {history!r}")
    if isinstance(keys, str):
        keys = (keys,)
    for i, record in enumerate(history):
        if not isinstance(record, dict):
            raise TypeError(f"history[{i}]: expected a dict, found {type(record).__name__}")
        missing = [k for k in ("epoch", *keys) if k not in record]
        if missing:
            raise ValueError(f"history[{i}]: missing {missing}; available keys are "
                             f"{sorted(record)}")
    ax = _new_axes(ax)
    epochs = [record["epoch"] for record in history]
    for key in keys:
        ax.plot(epochs, [record[key] for record in history], "o-", markersize=3,
                label=key.replace("_", " "))
    ax.set_xlabel("epoch")
    ax.set_ylabel(", ".join(k.replace("_", " ") for k in keys))
    ax.grid(alpha=0.3)
    ax.legend()
    return ax


def show(figure, *, dpi: int = 90) -> None:
    """Display a finished figure in a notebook as a PNG and close it.

    Works under any backend (including Agg, where ``display(fig)`` shows nothing) and keeps the
    number of open figures at zero, so long chapters never trigger matplotlib's warning.
    """
    import io

    import matplotlib.pyplot as plt
    from IPython.display import Image, display

    figure = getattr(figure, "figure", figure)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
    plt.close(figure)
    display(Image(data=buffer.getvalue()))


def draw_matrix(values, ax=None, *, highlight=None, fmt="{:g}", title=None, cmap="Blues",
                origin=(0.0, 0.0), shade=True):
    """Draw a small matrix as an annotated grid (陈强 §15.10, figures 15.15–15.20).

    values : 2-D array (rows, cols); cell (r, c) is a unit square whose top-left corner sits at
        ``origin + (c, r)`` (rows grow downwards, as printed), with the value written inside.
    highlight : None or a sequence of windows ``(row, col, height, width)`` outlined in thick
        red, e.g. the 3×3 patch a kernel covers or a 2×2 pooling region.
    shade : colour the cells by value with ``cmap`` (white when all values are equal).

    Cells are ``Rectangle`` patches with gid ``cell:r:c``, their texts have gid ``value:r:c``
    and the windows gid ``highlight:k``, so the drawing can be read back. Several matrices can
    share one Axes by giving each an ``origin``. Returns the Axes.
    """
    import matplotlib
    from matplotlib.patches import Rectangle

    matrix = as_float_array(values, "values", ndim=2)
    if matrix.size == 0:
        raise ValueError(f"values: expected a non-empty 2-D array, found shape {matrix.shape}")
    if not np.all(np.isfinite(matrix)):
        raise ValueError("values: expected finite numbers, found NaN or inf")
    windows = [] if highlight is None else [tuple(w) for w in highlight]
    rows, cols = matrix.shape
    for k, window in enumerate(windows):
        if len(window) != 4:
            raise ValueError(f"highlight[{k}]: expected (row, col, height, width), found {window!r}")
        r, c, h, w = window
        if h < 1 or w < 1 or r < 0 or c < 0 or r + h > rows or c + w > cols:
            raise ValueError(f"highlight[{k}]: the window {window!r} does not fit in a "
                             f"{rows}×{cols} matrix")
    ax = _new_axes(ax)
    x0, y0 = origin
    low, high = float(matrix.min()), float(matrix.max())
    colours = matplotlib.colormaps[cmap]
    for r in range(rows):
        for c in range(cols):
            level = (matrix[r, c] - low) / (high - low) if shade and high > low else 0.0
            face = colours(0.15 + 0.55 * level) if shade and high > low else "white"
            ax.add_patch(Rectangle((x0 + c, y0 + r), 1, 1, facecolor=face, edgecolor="0.3",
                                   linewidth=1.0, gid=f"cell:{r}:{c}"))
            ax.text(x0 + c + 0.5, y0 + r + 0.5, fmt.format(matrix[r, c]), ha="center",
                    va="center", fontsize=11, gid=f"value:{r}:{c}")
    for k, (r, c, h, w) in enumerate(windows):
        ax.add_patch(Rectangle((x0 + c, y0 + r), w, h, fill=False, edgecolor="tab:red",
                               linewidth=3.0, zorder=5, gid=f"highlight:{k}"))
    cells = [p for p in ax.patches if isinstance(p, Rectangle)]
    ax.set_xlim(min(p.get_x() for p in cells) - 0.2,
                max(p.get_x() + p.get_width() for p in cells) + 0.2)
    ax.set_ylim(max(p.get_y() + p.get_height() for p in cells) + 0.2,
                min(p.get_y() for p in cells) - 0.2)
    ax.set_aspect("equal")
    ax.axis("off")
    if title is not None:
        ax.set_title(title)
    return ax


def plot_decision_boundary(predict, X, y, ax=None, *, resolution=201, padding=0.5, title=None):
    """Regions of a 2-D classifier and its labelled points (陈强 §15.2, figure 15.3).

    predict : callable mapping points (k, 2) to labels (k,) — e.g. a fitted
        ``PerceptronClassifier.predict`` or ``xor_network().output``.
    X (n, 2), y (n,): points drawn blue where y is TRUE (> 0) and black otherwise (the source's
    colours), as two scatter collections with gids ``points:true`` and ``points:false``.
    The predicted labels on a ``resolution``² grid over the points' box widened by ``padding``
    are shaded with ``contourf`` (gid ``regions``). Returns the Axes.
    """
    if not callable(predict):
        raise TypeError(f"predict: expected a function of points (k, 2), found "
                        f"{type(predict).__name__}")
    X = as_float_array(X, "X", ndim=2)
    y = as_float_array(y, "y", ndim=1)
    if X.shape[1] != 2:
        raise ValueError(f"X: expected 2 features per point (a plane), found shape {X.shape}")
    if X.shape[0] != y.shape[0] or X.shape[0] == 0:
        raise ValueError(f"X has {X.shape[0]} rows and y has {y.shape[0]} labels; expected the "
                         "same non-zero number")
    if isinstance(resolution, bool) or not isinstance(resolution, numbers.Integral) \
            or resolution < 2:
        raise ValueError(f"resolution: expected an int >= 2, found {resolution!r}")
    ax = _new_axes(ax)
    low, high = X.min(axis=0) - padding, X.max(axis=0) + padding
    g0 = np.linspace(low[0], high[0], int(resolution))
    g1 = np.linspace(low[1], high[1], int(resolution))
    G0, G1 = np.meshgrid(g0, g1)
    labels = as_float_array(predict(np.column_stack([G0.ravel(), G1.ravel()])), "predict(grid)")
    if labels.size != G0.size:
        raise ValueError(f"predict(grid): expected {G0.size} labels, found shape {labels.shape}")
    regions = ax.contourf(G0, G1, (labels.reshape(G0.shape) > 0).astype(float),
                          levels=[-0.5, 0.5, 1.5], colors=["0.85", "#cfe2f3"])
    regions.set_gid("regions")
    true = y > 0
    ax.scatter(X[true, 0], X[true, 1], color="tab:blue", s=60, zorder=3, label="TRUE",
               gid="points:true")
    ax.scatter(X[~true, 0], X[~true, 1], color="black", s=60, zorder=3, label="FALSE",
               gid="points:false")
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.set_aspect("equal")
    if title is not None:
        ax.set_title(title)
    return ax


def plot_approximation(G, g, ax=None, *, x=None, label=None):
    """A one-hidden-layer approximation G (15.19) against its target g on [0, 1] (§15.5).

    G, g : callables of x (k,) → (k,), e.g. ``nnbook.approximation.relu_hats(g, 20)`` and g.
    Lines are labelled "g(x)" and ``label`` (default "G(x), m = <units>" when G has
    ``n_units``). x defaults to 1,001 points on [0, 1]. Returns the Axes.
    """
    for name, fn in (("G", G), ("g", g)):
        if not callable(fn):
            raise TypeError(f"{name}: expected a function of x, found {type(fn).__name__}")
    x = np.linspace(0.0, 1.0, 1001) if x is None else as_float_array(x, "x", ndim=1)
    if label is None:
        units = getattr(G, "n_units", None)
        label = "G(x)" if units is None else f"G(x), m = {units}"
    ax = _new_axes(ax)
    ax.plot(x, as_float_array(g(x), "g(x)"), color="black", linewidth=2, label="g(x)")
    ax.plot(x, as_float_array(G(x), "G(x)"), color="tab:red", linewidth=1.2, linestyle="--",
            label=label)
    ax.set_xlabel("x")
    ax.legend()
    ax.grid(alpha=0.3)
    return ax


def plot_error_vs_units(ms, errors, ax=None, *, label=None, epsilon=None):
    """Sup error against the number of hidden units m on log–log axes (§15.5, (15.20)).

    ms (k,), errors (k,) — e.g. from ``nnbook.approximation.error_vs_units``. One line per call
    (label ``label``), so several constructions can share the Axes; ``epsilon`` adds a
    horizontal line labelled "ε = …". Returns the Axes.
    """
    ms = as_float_array(ms, "ms", ndim=1)
    errors = as_float_array(errors, "errors", ndim=1)
    if ms.shape != errors.shape or ms.size == 0:
        raise ValueError(f"ms and errors: expected two equal non-empty 1-D arrays, found shapes "
                         f"{ms.shape} and {errors.shape}")
    if np.any(ms <= 0) or np.any(errors <= 0):
        raise ValueError("ms and errors: expected positive values for log–log axes")
    ax = _new_axes(ax)
    ax.loglog(ms, errors, "o-", markersize=4, label=label)
    if epsilon is not None:
        ax.axhline(float(epsilon), color="0.4", linestyle=":", label=f"ε = {epsilon:g}")
    ax.set_xlabel("hidden units m")
    ax.set_ylabel("sup |G(x) − g(x)|")
    ax.grid(alpha=0.3, which="both")
    if label is not None or epsilon is not None:
        ax.legend()
    return ax
