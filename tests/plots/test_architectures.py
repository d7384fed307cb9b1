"""nnbook.plots.architectures: a trace drawn as blocks shows the trace's own numbers."""

import matplotlib.pyplot as plt
import pytest

from nnbook import plots
from nnbook.analysis.architectures import (alexnet_counts, alexnet_layers, lenet5_layers,
                                           lenet5_trace, trace)
from nnbook.layers import AvgPool2D, Conv2D, Dense, MaxPool2D, Subsampling2D
from nnbook.plots.architectures import (PITCH, block_extents, count_text, describe_layer,
                                        shape_text)
from nnbook.plots.layout import label_problems


def texts_by_gid(ax):
    return {t.get_gid(): t.get_text() for t in ax.texts if t.get_gid()}


def test_lenet5_blocks_carry_the_traced_shapes_and_counts():
    rows = lenet5_trace()
    ax = plots.draw_trace(rows, layers=lenet5_layers())
    shown = texts_by_gid(ax)
    typed = {"input": "1@32×32", "C1": "6@28×28", "S2": "6@14×14", "C3": "16@10×10",
             "S4": "16@5×5", "C5": "120@1×1", "F6": "84", "output": "10"}   # LeCun et al. 1998
    assert {name: shown[f"shape:{name}"] for name in typed} == typed
    assert shown["params:C1"] == "156 params" and shown["params:C3"] == "1,516 params"
    assert shown["params:output"] == "fixed weights"         # the RBF's 840 weights are fixed
    assert shown["op:C3"] == "conv 5×5\nconnection table" and shown["op:S2"] == "subsample 2×2"
    assert shown["caption"] == "60,000 trainable parameters"
    blocks = block_extents(ax)
    assert list(blocks) == [r.name for r in rows]
    lefts = [blocks[r.name][0] for r in rows]
    assert lefts == sorted(lefts)                              # one row, inputs on the left
    width = lambda name: blocks[name][2] - blocks[name][0]     # noqa: E731
    height = lambda name: blocks[name][3] - blocks[name][1]    # noqa: E731
    assert width("input") > width("C1") > width("S2") > width("C3") > width("S4")  # 32 > … > 5
    assert height("F6") > height("output")                    # 84 units > 10 units


def test_stacks_show_more_sheets_for_more_maps():
    rows = trace([Conv2D(1, 3, name="one"), Conv2D(6, 1, name="six"), Conv2D(96, 1, name="many")],
                 (1, 16, 16))
    ax = plots.draw_trace(rows)

    def sheets(name):
        return 1 + sum((p.get_gid() or "").startswith(f"sheet:{name}:") for p in ax.patches)

    assert (sheets("one"), sheets("six"), sheets("many")) == (1, 3, 6)   # 1 + log2 C, at most 6


def test_alexnet_wraps_onto_a_second_row_with_one_connector_between_each_pair():
    rows = alexnet_counts()
    layers, _ = alexnet_layers()
    ax = plots.draw_trace(rows, layers=layers, per_row=7, caption="")
    blocks = block_extents(ax)
    first, second = [r.name for r in rows[:7]], [r.name for r in rows[7:]]
    assert min(blocks[n][1] for n in first) > max(blocks[n][3] for n in second)
    assert blocks["conv5"][0] < blocks["conv1"][0]            # the second row starts at the left
    connectors = [p for p in ax.patches if type(p).__name__ == "FancyArrowPatch"]
    assert len(connectors) == len(rows) - 1
    shown = texts_by_gid(ax)
    assert shown["params:fc6"] == "37.8 M params"
    assert shown["op:conv2"] == "conv 5×5\npad 2, 2 groups"
    assert "caption" not in shown
    width, height = ax.figure.get_size_inches()
    assert width == pytest.approx(7 * PITCH)


@pytest.mark.parametrize("name", ["lenet5", "alexnet"])
def test_no_label_runs_into_another(name):
    if name == "lenet5":
        ax = plots.draw_trace(lenet5_trace(), layers=lenet5_layers(), title="LeNet-5")
    else:
        ax = plots.draw_trace(alexnet_counts(), layers=alexnet_layers()[0], per_row=7,
                              title="AlexNet")
    assert label_problems(ax.figure) == []


def test_draw_into_a_given_axes():
    fig, ax = plt.subplots(figsize=(12, 3))
    assert plots.draw_trace(lenet5_trace(), ax) is ax
    assert ax.get_aspect() == 1.0


def test_describe_layer_and_text_helpers():
    assert describe_layer(Conv2D(96, 11, stride=4)) == "conv 11×11\nstride 4"
    assert describe_layer(Conv2D(8, 3, activation="relu")) == "conv 3×3\nReLU"
    assert describe_layer(MaxPool2D(3, 2)) == "max pool 3×3\nstride 2"
    assert describe_layer(AvgPool2D(2)) == "mean pool 2×2"
    assert describe_layer(Subsampling2D(2)) == "subsample 2×2"
    assert describe_layer(Dense(10, activation="softmax")) == "fully connected\nsoftmax"
    assert describe_layer(Dense(10)) == "fully connected"
    assert shape_text((6, 28, 28)) == "6@28×28" and shape_text((84,)) == "84"
    assert [count_text(n) for n in (156, 48_120, 307_456, 37_752_832)] == \
           ["156", "48,120", "307 k", "37.8 M"]


def test_rejects_what_is_not_a_trace():
    rows = lenet5_trace()
    with pytest.raises(ValueError, match="input"):
        plots.draw_trace(rows[1:])
    with pytest.raises(ValueError, match="layers: expected 7"):
        plots.draw_trace(rows, layers=lenet5_layers()[:3])
    with pytest.raises(ValueError, match="per_row"):
        plots.draw_trace(rows, per_row=0)
