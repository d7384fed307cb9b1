"""Architectures as block diagrams: a shape trace drawn as a row of blocks (陈强 figures
15.21–15.23).

:func:`draw_trace` draws the rows of :func:`nnbook.analysis.architectures.trace` (or
``lenet5_trace()``, ``alexnet_counts()``): one column per layer with its name, what it does,
its output as a stack of feature maps or a column of units, its output shape and its
trainable parameters. Nothing is typed in: every number comes from the trace.

Sizes are in inches: a new figure gets exactly the size the diagram needs, so the labels,
whose fonts are in points, cannot run together however long the network is.
"""

from __future__ import annotations

import math

from matplotlib.patches import FancyArrowPatch, Rectangle
from matplotlib.path import Path

from nnbook.plots.axes import new_axes

#: Width of one column (inches).
PITCH = 1.4
#: Colours of the blocks by layer kind (a LayerCount's ``kind``).
COLOURS = {"input": "0.85", "Conv2D": "#9ecae1", "MaxPool2D": "#fdd0a2", "AvgPool2D": "#fdd0a2",
           "Subsampling2D": "#fdae6b", "Dense": "#a1d99b", "RBF": "#bcbddc"}
_SHEET_STEP = 0.05          # offset between stacked feature maps
_MAX_SHEETS = 6
_NAME_H, _OP_H, _BELOW_H, _ROW_GAP = 0.2, 0.36, 0.5, 0.35


def _side(n: int) -> float:
    """Drawn length (inches) for n pixels or units: logarithmic, so 5 and 227 both fit."""
    return 0.12 + 0.085 * math.log2(max(int(n), 1))


def _sheets(channels: int) -> int:
    return min(_MAX_SHEETS, 1 + int(math.log2(max(int(channels), 1))))


def _is_vector(shape) -> bool:
    return len(shape) == 1 or (len(shape) == 3 and shape[1] * shape[2] == 1)


def _graphic_size(shape) -> tuple[float, float]:
    """(width, height) of a layer's drawing: a column of units or a stack of maps."""
    if _is_vector(shape):
        return 0.14, _side(shape[0])
    if len(shape) != 3:
        raise ValueError(f"output_shape: expected (C, H, W) or (units,), found {shape}")
    depth = (_sheets(shape[0]) - 1) * _SHEET_STEP
    return _side(shape[2]) + depth, _side(shape[1]) + depth


def shape_text(shape) -> str:
    """'6@28×28' for maps (C, H, W), '84' for units."""
    shape = tuple(int(d) for d in shape)
    return f"{shape[0]}@{shape[1]}×{shape[2]}" if len(shape) == 3 else "×".join(map(str, shape))


def count_text(n: int) -> str:
    """Counts a reader can take in: 48,120 · 885 k · 37.8 M."""
    n = int(n)
    if n < 100_000:
        return f"{n:,}"
    if n < 1_000_000:
        return f"{n / 1e3:.0f} k"
    return f"{n / 1e6:.1f} M"


_ACTIVATION_NAMES = {"relu": "ReLU", "leaky_relu": "leaky ReLU"}


def _activation(layer) -> list[str]:
    name = getattr(layer, "activation", None)
    return [] if name in (None, "linear") else [_ACTIVATION_NAMES.get(name, name)]


def describe_layer(layer) -> str:
    """What a layer does, in at most two short lines: "conv 5×5", "max pool 3×3\nstride 2"."""
    kind = type(layer).__name__
    if kind == "Conv2D":
        kh, kw = layer.kernel_size
        extra = [f"stride {layer.stride}"] if layer.stride != 1 else []
        extra += [f"pad {layer.padding}"] if layer.padding else []
        extra += [f"{layer.groups} groups"] if layer.groups > 1 else []
        extra += ["connection table"] if layer.connections is not None else []
        extra += _activation(layer)
        return "\n".join([f"conv {kh}×{kw}"] + ([", ".join(extra)] if extra else []))
    if kind in ("MaxPool2D", "AvgPool2D", "Subsampling2D"):
        what = {"MaxPool2D": "max pool", "AvgPool2D": "mean pool",
                "Subsampling2D": "subsample"}[kind]
        k = layer.pool_size
        return f"{what} {k}×{k}" + (f"\nstride {layer.stride}" if layer.stride != k else "")
    if kind == "Dense":
        return "\n".join(["fully connected"] + _activation(layer))
    if kind == "RBF":
        return "Gaussian RBF"
    return kind


def _params_text(row) -> str:
    if row.kind == "input":
        return ""
    if row.params == 0:
        return "fixed weights" if "fixed" in (row.note or "") else "no parameters"
    return f"{count_text(row.params)} params"


def _draw_graphic(ax, row, centre, image=None):
    """The block of one row, centred at ``centre``: returns its (left, right) x."""
    shape = tuple(row.output_shape)
    colour = COLOURS.get(row.kind, "0.9")
    width, height = _graphic_size(shape)
    cx, cy = centre
    left, bottom = cx - width / 2, cy - height / 2
    if _is_vector(shape):
        ax.add_patch(Rectangle((left, bottom), width, height, facecolor=colour,
                               edgecolor="0.25", linewidth=0.8, gid=f"block:{row.name}"))
        return left, left + width
    n = _sheets(shape[0])
    side_w, side_h = _side(shape[2]), _side(shape[1])
    for k in range(n - 1, -1, -1):          # back sheet first, front sheet at bottom-left
        x, y = left + k * _SHEET_STEP, bottom + k * _SHEET_STEP
        ax.add_patch(Rectangle((x, y), side_w, side_h, facecolor=colour, edgecolor="0.25",
                               linewidth=0.8,
                               gid=f"block:{row.name}" if k == 0 else f"sheet:{row.name}:{k}"))
    if image is not None:
        ax.imshow(image, cmap="gray_r", extent=(left, left + side_w, bottom, bottom + side_h),
                  interpolation="nearest", zorder=3)
    return left, left + width


def _connector(ax, start, end, *, via_y=None, via_x=None):
    """An arrow from start to end; with ``via_y``/``via_x`` an elbow down to the next row."""
    if via_y is None:
        vertices = [start, end]
    else:
        vertices = [start, (via_x[0], start[1]), (via_x[0], via_y), (via_x[1], via_y),
                    (via_x[1], end[1]), end]
    path = Path(vertices, [Path.MOVETO] + [Path.LINETO] * (len(vertices) - 1))
    ax.add_patch(FancyArrowPatch(path=path, arrowstyle="-|>", mutation_scale=10,
                                 color="0.3", linewidth=1.0, shrinkA=2, shrinkB=2, zorder=1))


def draw_trace(rows, ax=None, *, layers=None, per_row=None, title=None, caption=None,
               input_image=None):
    """Draw a shape trace as a row of blocks, inputs on the left (陈强 figures 15.21–15.23).

    rows : the LayerCount rows of :func:`nnbook.analysis.architectures.trace` (first the
        "input" row); each needs ``name``, ``kind``, ``output_shape``, ``params``, ``note``.
    layers : the layers the trace was made from (one per row after the input), to say what
        each does ("conv 5×5", "max pool 3×3, stride 2"); without them, the layer's kind.

    per_row : columns per row (None: one row); longer traces continue on the next row.
    caption : text under the diagram; by default the total of trainable parameters.
    input_image : a 2-D array drawn on the input block (e.g. a digit).

    Feature maps (C, H, W) are drawn as up to 6 stacked sheets (more sheets, more maps) whose
    sides grow with log H and log W; vectors, and C@1×1 maps, as columns of height ∝ log units.
    Blocks carry gid ``block:<name>`` (the front sheet) and ``sheet:<name>:k`` (the k-th sheet
    behind it). Without ``ax`` a figure of the right size is made
    (1 data unit = 1 inch); with one, the diagram is scaled into it. Returns the Axes.
    """
    rows = list(rows)
    if len(rows) < 2 or rows[0].kind != "input":
        raise ValueError("rows: expected a trace (an 'input' row, then one row per layer), "
                         f"found {len(rows)} rows")
    if layers is not None and len(layers) != len(rows) - 1:
        raise ValueError(f"layers: expected {len(rows) - 1} layers (one per traced layer), "
                         f"found {len(layers)}")
    per_row = len(rows) if per_row is None else int(per_row)
    if per_row < 1:
        raise ValueError(f"per_row: expected a positive number of columns, found {per_row}")
    graphic_h = max(_graphic_size(tuple(r.output_shape))[1] for r in rows)
    graphic_w = max(_graphic_size(tuple(r.output_shape))[0] for r in rows)
    pitch = max(PITCH, graphic_w + 0.45)
    row_h = _NAME_H + _OP_H + graphic_h + _BELOW_H
    n_rows = math.ceil(len(rows) / per_row)
    top_pad = 0.45 if title else 0.1
    bottom_pad = 0.35
    width = min(per_row, len(rows)) * pitch
    height = top_pad + n_rows * row_h + (n_rows - 1) * _ROW_GAP + bottom_pad
    if ax is None:
        import matplotlib.pyplot as plt

        fig = plt.figure(figsize=(width, height))
        ax = fig.add_axes((0, 0, 1, 1))
    ax = new_axes(ax)

    ends = []
    for index, row in enumerate(rows):
        r, c = divmod(index, per_row)
        x = (c + 0.5) * pitch
        row_top = height - top_pad - r * (row_h + _ROW_GAP)
        centre_y = row_top - _NAME_H - _OP_H - graphic_h / 2
        ax.text(x, row_top, row.name, ha="center", va="top", fontsize=9, fontweight="bold",
                gid=f"name:{row.name}")
        op = "" if index == 0 else (row.kind if layers is None
                                    else describe_layer(layers[index - 1]))
        if op:
            ax.text(x, row_top - _NAME_H, op, ha="center", va="top", fontsize=7.5,
                    color="0.25", linespacing=1.1, gid=f"op:{row.name}")
        left, right = _draw_graphic(ax, row, (x, centre_y),
                                    image=input_image if index == 0 else None)
        below = centre_y - graphic_h / 2 - 0.06
        ax.text(x, below, shape_text(row.output_shape), ha="center", va="top", fontsize=8,
                gid=f"shape:{row.name}")
        params = _params_text(row)
        if params:
            ax.text(x, below - 0.2, params, ha="center", va="top", fontsize=7.5, color="0.35",
                    gid=f"params:{row.name}")
        ends.append((left, right, centre_y, r, x))

    for (l0, r0, y0, row0, x0), (l1, r1, y1, row1, x1) in zip(ends, ends[1:]):
        if row0 == row1:
            _connector(ax, (r0, y0), (l1, y1))
        else:
            gap_y = y0 - graphic_h / 2 - _BELOW_H - _ROW_GAP / 2 + 0.05
            _connector(ax, (r0, y0), (l1, y1), via_y=gap_y,
                       via_x=(x0 + pitch / 2 - 0.05, x1 - pitch / 2 + 0.05))

    if caption is None:
        caption = f"{sum(int(r.params) for r in rows):,} trainable parameters"
    if caption:
        ax.text(width / 2, bottom_pad / 2, caption, ha="center", va="center", fontsize=9,
                gid="caption")
    if title:
        ax.text(width / 2, height - 0.12, title, ha="center", va="top", fontsize=11,
                gid="title")
    ax.set_xlim(0, width)
    ax.set_ylim(0, height)
    ax.set_aspect("equal")
    ax.axis("off")
    return ax


def block_extents(ax) -> dict[str, tuple[float, float, float, float]]:
    """{layer name: (x0, y0, x1, y1)} of each drawn block's front sheet or column (data units)."""
    extents = {}
    for patch in ax.patches:
        gid = patch.get_gid() or ""
        if gid.startswith("block:"):
            x, y = patch.get_xy()
            extents[gid[6:]] = (x, y, x + patch.get_width(), y + patch.get_height())
    return extents


