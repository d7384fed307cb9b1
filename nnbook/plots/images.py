"""Images and matrices: digit mosaics and annotated grids (Nielsen §1.4; 陈强 figures 15.15–15.20),
matrix products drawn to scale (《深度学习与神经网络》第5章, Figs 5-18–5-20)."""

from __future__ import annotations

import math
import numbers

import numpy as np

from nnbook.plots.axes import new_axes
from nnbook.validation import as_float_array


def plot_digits(images, labels=None, *, shape, ncols=10, ax=None):
    """Images in a grid on one Axes, ink dark (``gray_r``: Nielsen's 0 = white, 1 = black).

    images : (n, prod(shape)) flattened rows or ``(n, *shape)``; intensities in [0, 1].
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
    ax = new_axes(ax)
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
    ax = new_axes(ax)
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


#: Face colours of the factors and the result of :func:`draw_matrix_products`.
PRODUCT_COLOURS = ("#9ecae1", "#fdd0a2", "#a1d99b")


def draw_matrix_products(products, ax=None, *, scale=0.003, min_side=0.06):
    """Matrix products as rectangles drawn to scale, one product per row (《深度学习与神经网络》
    第5章, Figs 5-18–5-20: the fully connected layer's backward pass for a batch).

    products : a sequence of tuples ``(title, left, right, result)``, each factor a
        ``(name, (rows, cols))`` pair — left factor, right factor, result; e.g.
        ``("dX", ("dA", (16, 500)), ("W", (500, 800)), ("dX", (16, 800)))``. The inner
        dimensions must agree and the result must have the outer ones.
    scale : data units per row or column (the Axes has equal aspect); ``min_side`` keeps a side
        of 1 visible.

    Rectangles carry gid ``matrix:k:name`` (product k), labels ``label:k:name``. Returns the Axes.
    """
    from matplotlib.patches import Rectangle

    products = list(products)
    if not products:
        raise ValueError("products: expected at least one (title, left, right, result), found none")
    for k, product in enumerate(products):
        if len(product) != 4:
            raise ValueError(f"products[{k}]: expected (title, left, right, result), found "
                             f"{len(product)} items")
        (_, (a, b)), (_, (c, d)), (_, (e, f)) = product[1:]
        if b != c or (e, f) != (a, d):
            raise ValueError(f"products[{k}]: ({a}×{b}) · ({c}×{d}) = ({e}×{f}) does not hold")
    ax = new_axes(ax)
    y, right = 0.0, 0.0
    for k, (title, *terms) in enumerate(products):
        half = max(max(rows * scale, min_side) for _, (rows, _) in terms) / 2
        y -= half + 0.35
        ax.text(0.0, y + half + 0.15, title, ha="left", va="bottom", fontsize=10,
                gid=f"title:{k}")
        x = 0.0
        for position, (name, (rows, cols)) in enumerate(terms):
            w, h = max(cols * scale, min_side), max(rows * scale, min_side)
            ax.add_patch(Rectangle((x, y - h / 2), w, h, edgecolor="0.3",
                                   facecolor=PRODUCT_COLOURS[position], gid=f"matrix:{k}:{name}"))
            ax.text(x + w / 2, y - max(h / 2, 0.1) - 0.08, f"{name}  ({rows}×{cols})",
                    ha="center", va="top", fontsize=9, gid=f"label:{k}:{name}")
            x += w + 0.7
            if position < 2:
                ax.text(x - 0.35, y, "·" if position == 0 else "=", ha="center", va="center",
                        fontsize=16)
        right = max(right, x - 0.5)
        y -= half + 0.45
    ax.set_xlim(-0.1, right + 0.1)
    ax.set_ylim(y, 0.0)
    ax.set_aspect("equal")
    ax.axis("off")
    return ax
