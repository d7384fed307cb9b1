"""nnbook.plots draws what it claims: read the artists back and compare with independent values."""

import matplotlib

matplotlib.use("Agg")

import math  # noqa: E402

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.patches import Circle, FancyArrowPatch  # noqa: E402

from nnbook import plots  # noqa: E402
from nnbook.models.logic_gates import Gate, PerceptronCircuit, half_adder_circuit  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def circles(ax):
    return [p for p in ax.patches if isinstance(p, Circle)]


def arrows(ax):
    return [p for p in ax.patches if isinstance(p, FancyArrowPatch)]


def texts(ax):
    return [t.get_text() for t in ax.texts]


def line(ax, label):
    found = [ln for ln in ax.get_lines() if ln.get_label() == label]
    assert len(found) == 1, f"expected one line labelled {label!r}, found {[l.get_label() for l in ax.get_lines()]}"
    return found[0]


# --- draw_network -----------------------------------------------------------------------------

def test_draw_network_counts_nodes_and_connections():
    ax = plots.draw_network([3, 4, 1])
    assert len(circles(ax)) == 3 + 4 + 1
    assert len(arrows(ax)) == 3 * 4 + 4 * 1
    fig = ax.figure
    plt.close(fig)


def test_draw_network_every_edge_joins_adjacent_layers_left_to_right():
    ax = plots.draw_network([2, 3, 2])
    centers = {p.get_gid(): p.center for p in circles(ax)}
    for arrow in arrows(ax):
        _, layer, i, j = arrow.get_gid().split(":")
        x0 = centers[f"node:{layer}:{i}"][0]
        x1 = centers[f"node:{int(layer) + 1}:{j}"][0]
        assert x1 > x0
    # all nodes of one layer share x, and layers are distinct columns
    xs = {gid.split(":")[1]: set() for gid in centers}
    for gid, (x, _) in centers.items():
        xs[gid.split(":")[1]].add(round(x, 9))
    assert all(len(v) == 1 for v in xs.values())
    assert len({next(iter(v)) for v in xs.values()}) == 3


def test_draw_network_truncates_wide_layers_and_reports_true_count():
    ax = plots.draw_network([784, 15, 10], max_nodes=12)
    drawn = [11, 11, 10]  # max_nodes - 1 neurons plus an ellipsis for the wide layers
    assert len(circles(ax)) == sum(drawn)
    assert len(arrows(ax)) == drawn[0] * drawn[1] + drawn[1] * drawn[2]
    labels = " ".join(texts(ax))
    assert "784" in labels and "15" in labels and "10" in labels
    assert sum("⋮" in t for t in texts(ax)) == 2
    # the last input neuron drawn is neuron 783, so the ellipsis stands for the middle ones
    assert any(p.get_gid() == "node:0:783" for p in circles(ax))


def test_draw_network_labels():
    ax = plots.draw_network([3, 1], layer_labels=["inputs", "output"],
                            node_labels=[["x1", "x2", "x3"], None], title="a perceptron")
    shown = texts(ax)
    for label in ("inputs", "output", "x1", "x2", "x3"):
        assert label in shown
    assert ax.get_title() == "a perceptron"


def test_draw_network_uses_given_axes():
    fig, ax = plt.subplots()
    assert plots.draw_network([2, 2], ax=ax) is ax


@pytest.mark.parametrize("bad, error", [([3, -1, 2], ValueError), ([3, 0], ValueError),
                                        ([], ValueError), ([3, 2.5], TypeError),
                                        (5, TypeError)])
def test_draw_network_rejects_bad_sizes(bad, error):
    with pytest.raises(error, match="layer_sizes"):
        plots.draw_network(bad)


def test_draw_network_rejects_label_count_mismatch():
    with pytest.raises(ValueError, match="node_labels\\[0\\]: expected 3"):
        plots.draw_network([3, 1], node_labels=[["a", "b"], None])
    with pytest.raises(ValueError, match="layer_labels"):
        plots.draw_network([3, 1], layer_labels=["only one"])


# --- draw_circuit -----------------------------------------------------------------------------

@pytest.mark.parametrize("merged", [False, True])
def test_draw_circuit_half_adder(merged):
    circuit = half_adder_circuit(merged)
    ax = plots.draw_circuit(circuit)
    n_edges = sum(len(g.inputs) for g in circuit.gates.values())
    assert n_edges == (10 if not merged else 9)  # five NAND gates of two inputs; merge drops one
    assert len(circles(ax)) == 2 + 5
    assert len(arrows(ax)) == n_edges
    weights = [t for t in ax.texts if (t.get_gid() or "").startswith("weight:")]
    expected = sorted(["−2"] * 10 if not merged else ["−2"] * 8 + ["−4"])
    assert sorted(t.get_text() for t in weights) == expected
    biases = [t.get_text() for t in ax.texts if (t.get_gid() or "").startswith("bias:")]
    assert biases == ["3"] * 5
    assert {"sum", "carry", "x1", "x2"} <= set(texts(ax))


def test_draw_circuit_double_edge_is_two_opposite_arcs():
    ax = plots.draw_circuit(half_adder_circuit(merged=False))
    carry_edges = [a for a in arrows(ax) if a.get_gid().startswith("edge:g1->carry")]
    assert len(carry_edges) == 2
    rads = sorted(float(a.get_connectionstyle().rad) for a in carry_edges)
    assert rads[0] < 0 < rads[1]
    single = [a for a in arrows(ax) if a.get_gid().startswith("edge:x1->g1")]
    assert float(single[0].get_connectionstyle().rad) == 0


def test_draw_circuit_places_gates_right_of_their_sources():
    ax = plots.draw_circuit(half_adder_circuit())
    x = {p.get_gid()[5:]: p.center[0] for p in circles(ax)}
    for name, gate in half_adder_circuit().gates.items():
        assert all(x[src] < x[name] for src in gate.inputs)


def test_draw_circuit_without_weights_and_bad_input():
    ax = plots.draw_circuit(half_adder_circuit(), show_weights=False)
    assert not [t for t in ax.texts if (t.get_gid() or "").startswith("weight:")]
    with pytest.raises(TypeError, match="PerceptronCircuit"):
        plots.draw_circuit([1, 2])
    broken = PerceptronCircuit(inputs=("x1",), gates={"g": Gate(("y",), (1.0,), 0.0)},
                               outputs=("g",))
    with pytest.raises(ValueError, match="'y'"):
        plots.draw_circuit(broken)


# --- step and sigmoid -------------------------------------------------------------------------

def test_step_and_sigmoid_lines():
    ax = plots.plot_step_and_sigmoid()
    sig = line(ax, "sigmoid")
    z, y = sig.get_xdata(), sig.get_ydata()
    assert z.min() == -4 and z.max() == 4
    np.testing.assert_allclose(y, 1.0 / (1.0 + np.exp(-z)), rtol=1e-12)  # eq. (3), by hand
    st = line(ax, "step")
    z, y = st.get_xdata(), st.get_ydata()
    assert 0.0 in z
    assert y[z == 0.0][0] == 0.0  # footnote 2: the perceptron gives 0 at z = 0
    np.testing.assert_array_equal(y[z < 0], 0.0)
    np.testing.assert_array_equal(y[z > 0], 1.0)
    mark = line(ax, "step(0) = 0")
    assert list(mark.get_xdata()) == [0.0] and list(mark.get_ydata()) == [0.0]


def test_step_and_sigmoid_range_and_errors():
    ax = plots.plot_step_and_sigmoid(z_range=(-10, 2))
    z = line(ax, "sigmoid").get_xdata()
    assert (z.min(), z.max()) == (-10, 2)
    with pytest.raises(ValueError, match="z_range"):
        plots.plot_step_and_sigmoid(z_range=(3, -3))
    with pytest.raises(ValueError, match="z_range"):
        plots.plot_step_and_sigmoid(z_range=(1, 2, 3))


# --- valley -----------------------------------------------------------------------------------

def test_valley_surface_and_path():
    path = np.array([[0.8, -0.6], [0.64, -0.48], [0.512, -0.384]])
    ax = plots.plot_valley(path)
    assert ax.name == "3d"
    assert len(ax.collections) == 1  # the surface
    xs, ys, zs = line(ax, "descent path").get_data_3d()
    np.testing.assert_allclose(xs, path[:, 0])
    np.testing.assert_allclose(ys, path[:, 1])
    np.testing.assert_allclose(zs, path[:, 0] ** 2 + path[:, 1] ** 2)
    bx, by, bz = line(ax, "ball").get_data_3d()
    np.testing.assert_allclose([bx[0], by[0], bz[0]], [0.512, -0.384, 0.512 ** 2 + 0.384 ** 2])
    assert ax.get_xlabel() == "$v_1$" and ax.get_zlabel() == "$C$"


def test_valley_surface_heights():
    ax = plots.plot_valley()
    assert not ax.get_lines()
    heights = np.asarray(ax.collections[0].get_array())  # mean C over each surface facet
    assert heights.min() >= 0 and heights.max() <= 2
    # the mean of v1² + v2² over [−1, 1]² is 2/3 (∫∫ (v1² + v2²) / 4 = 2·(1/3))
    assert abs(heights.mean() - 2 / 3) < 0.02


def test_valley_rejects_bad_input():
    with pytest.raises(ValueError, match="path"):
        plots.plot_valley(np.zeros((4, 3)))
    fig, flat = plt.subplots()
    with pytest.raises(TypeError, match="3-D"):
        plots.plot_valley(ax=flat)


# --- 1-D descent ------------------------------------------------------------------------------

def test_descent_1d():
    path = np.array([1.0, 0.4, 0.16, 0.064])  # v ← (1 − 2η)v for C = v², η = 0.3
    ax = plots.plot_descent_1d(lambda v: v ** 2, path)
    curve = line(ax, "C(v)")
    np.testing.assert_allclose(curve.get_ydata(), curve.get_xdata() ** 2)
    assert curve.get_xdata().min() < path.min() and curve.get_xdata().max() > path.max()
    it = line(ax, "iterates")
    np.testing.assert_allclose(it.get_xdata(), path)
    np.testing.assert_allclose(it.get_ydata(), path ** 2)
    wide = line(plots.plot_descent_1d(lambda v: v ** 2, path, v_range=(-2, 3)), "C(v)").get_xdata()
    assert (wide.min(), wide.max()) == (-2, 3)
    with pytest.raises(ValueError, match="v_range"):
        plots.plot_descent_1d(lambda v: v ** 2, path, v_range=(1, 0))
    with pytest.raises(TypeError, match="C"):
        plots.plot_descent_1d(3.0, path)
    with pytest.raises(ValueError, match="path"):
        plots.plot_descent_1d(lambda v: v ** 2, np.zeros((3, 2)))


# --- digits -----------------------------------------------------------------------------------

def test_plot_digits_mosaic():
    rng = np.random.default_rng(0)
    images = rng.random((12, 6))
    ax = plots.plot_digits(images, labels=list(range(12)), shape=(2, 3), ncols=5)
    (im,) = ax.get_images()
    assert im.get_cmap().name == "gray_r"
    assert im.get_clim() == (0.0, 1.0)
    mosaic = np.asarray(im.get_array())
    nrows = math.ceil(12 / 5)
    # each image appears unchanged somewhere in the mosaic, in row-major grid order
    row_step = (mosaic.shape[0] + 1) // nrows
    for k in range(12):
        r, c = divmod(k, 5)
        top, left = r * row_step, c * 4
        np.testing.assert_array_equal(mosaic[top:top + 2, left:left + 3], images[k].reshape(2, 3))
    assert [str(k) for k in range(12)] == texts(ax)


def test_plot_digits_accepts_3d_and_rejects_bad_shapes():
    images = np.zeros((3, 8, 8))
    ax = plots.plot_digits(images, shape=(8, 8))
    assert ax.get_images()[0].get_array().shape == (8, 3 * 8 + 2)
    with pytest.raises(ValueError, match="8×8 = 64"):
        plots.plot_digits(np.zeros((3, 63)), shape=(8, 8))
    with pytest.raises(ValueError, match="shape"):
        plots.plot_digits(np.zeros((3, 7, 8)), shape=(8, 8))
    with pytest.raises(ValueError, match="labels"):
        plots.plot_digits(np.zeros((3, 64)), labels=[1, 2], shape=(8, 8))
    with pytest.raises(TypeError, match="shape"):
        plots.plot_digits(np.zeros((3, 64)), shape=8)


# --- history ----------------------------------------------------------------------------------

def test_plot_history():
    history = [{"epoch": e, "cost": 1 / e, "train_accuracy": 0.5 + e / 10,
                "test_accuracy": 0.4 + e / 10} for e in (1, 2, 3)]
    ax = plots.plot_history(history)
    train = line(ax, "train accuracy")
    np.testing.assert_allclose(train.get_xdata(), [1, 2, 3])
    np.testing.assert_allclose(train.get_ydata(), [0.6, 0.7, 0.8])
    np.testing.assert_allclose(line(ax, "test accuracy").get_ydata(), [0.5, 0.6, 0.7])
    ax = plots.plot_history(history, keys="cost")
    np.testing.assert_allclose(line(ax, "cost").get_ydata(), [1, 1 / 2, 1 / 3])
    with pytest.raises(ValueError, match="available keys"):
        plots.plot_history([{"epoch": 1, "cost": 0.1}])
    with pytest.raises(ValueError, match="non-empty"):
        plots.plot_history([])


def test_import_does_not_touch_pyplot_state():
    import importlib

    before = dict(matplotlib.rcParams)
    importlib.reload(plots)
    assert dict(matplotlib.rcParams) == before
