"""nnbook.plots.images: digit mosaics and annotated matrices, read back pixel by pixel."""

import math

import numpy as np
import pytest
from matplotlib.patches import Rectangle

from nnbook import plots


def test_plot_digits_mosaic():
    rng = np.random.default_rng(0)
    images = rng.random((12, 6))
    ax = plots.plot_digits(images, labels=list(range(12)), shape=(2, 3), ncols=5)
    (im,) = ax.get_images()
    assert im.get_cmap().name == "gray_r"
    assert im.get_clim() == (0.0, 1.0)
    mosaic = np.asarray(im.get_array())
    nrows = math.ceil(12 / 5)
    row_step = (mosaic.shape[0] + 1) // nrows
    for k in range(12):            # each image appears unchanged, in row-major grid order
        r, c = divmod(k, 5)
        top, left = r * row_step, c * 4
        np.testing.assert_array_equal(mosaic[top:top + 2, left:left + 3], images[k].reshape(2, 3))
    assert [str(k) for k in range(12)] == [t.get_text() for t in ax.texts]


def test_plot_digits_accepts_3d_and_rejects_bad_shapes():
    ax = plots.plot_digits(np.zeros((3, 8, 8)), shape=(8, 8))
    assert ax.get_images()[0].get_array().shape == (8, 3 * 8 + 2)
    with pytest.raises(ValueError, match="8×8 = 64"):
        plots.plot_digits(np.zeros((3, 63)), shape=(8, 8))
    with pytest.raises(ValueError, match="shape"):
        plots.plot_digits(np.zeros((3, 7, 8)), shape=(8, 8))
    with pytest.raises(ValueError, match="labels"):
        plots.plot_digits(np.zeros((3, 64)), labels=[1, 2], shape=(8, 8))
    with pytest.raises(TypeError, match="shape"):
        plots.plot_digits(np.zeros((3, 64)), shape=8)


def test_draw_matrix_writes_every_value_and_outlines_the_windows():
    values = np.array([[5, 0, 4, 6], [1, 4, 1, 4], [3, 2, 4, 3]])
    ax = plots.draw_matrix(values, highlight=[(0, 0, 2, 2), (1, 2, 2, 2)], title="pooling")
    written = {t.get_gid(): t.get_text() for t in ax.texts}
    for r in range(3):
        for c in range(4):
            assert written[f"value:{r}:{c}"] == f"{values[r, c]:g}"
    cells = {p.get_gid(): p for p in ax.patches if (p.get_gid() or "").startswith("cell:")}
    assert len(cells) == 12 and cells["cell:2:3"].get_xy() == (3, 2)  # rows grow downwards
    windows = [p for p in ax.patches if (p.get_gid() or "").startswith("highlight:")]
    assert [(w.get_xy(), w.get_width(), w.get_height()) for w in windows] == \
           [((0, 0), 2, 2), ((2, 1), 2, 2)]
    assert ax.get_title() == "pooling"


def test_draw_matrix_shares_an_axes_by_origin_and_rejects_bad_windows():
    ax = plots.draw_matrix(np.eye(2))
    plots.draw_matrix(np.ones((1, 1)), ax, origin=(3, 0.5), shade=False)
    moved = [p for p in ax.patches if isinstance(p, Rectangle) and p.get_xy() == (3, 0.5)]
    assert len(moved) == 1
    assert ax.get_xlim()[1] >= 4.0                                   # both matrices in view
    with pytest.raises(ValueError, match="does not fit"):
        plots.draw_matrix(np.eye(2), highlight=[(1, 1, 2, 2)])
    with pytest.raises(ValueError, match="finite"):
        plots.draw_matrix([[1.0, np.nan]])


# --- draw_matrix_products (《深度学习与神经网络》第5章, Figs 5-18–5-20) ----------------------------

def test_matrix_products_are_drawn_to_scale():
    import matplotlib.pyplot as plt

    from nnbook.plots.images import draw_matrix_products
    from nnbook.plots.layout import label_problems

    fig, ax = plt.subplots(figsize=(8, 4))
    draw_matrix_products([("dX", ("dA", (16, 500)), ("W", (500, 800)), ("dX", (16, 800)))], ax,
                         scale=0.004)
    rects = {p.get_gid(): p for p in ax.patches}
    assert rects["matrix:0:W"].get_width() == pytest.approx(800 * 0.004)
    assert rects["matrix:0:W"].get_height() == pytest.approx(500 * 0.004)
    assert rects["matrix:0:dX"].get_width() == pytest.approx(800 * 0.004)
    assert {t.get_gid(): t.get_text() for t in ax.texts}["label:0:dA"] == "dA  (16×500)"
    assert label_problems(fig) == []
    plt.close(fig)


def test_matrix_products_must_multiply():
    import matplotlib.pyplot as plt

    from nnbook.plots.images import draw_matrix_products

    with pytest.raises(ValueError, match=r"\(16×500\) · \(400×800\)"):
        draw_matrix_products([("bad", ("A", (16, 500)), ("B", (400, 800)), ("C", (16, 800)))])
    with pytest.raises(ValueError, match="expected at least one"):
        draw_matrix_products([])
    plt.close("all")
