"""nnbook.analysis.architectures: counts on real layers against published numbers (typed here,
not produced by the code).

Sources of the oracles: 陈强 §15.10 (30,000 connections; LeNet-5 has 7 layers; AlexNet ≈ 60
million parameters and ≈ 650,000 neurons); LeCun et al. (1998), §II.B
(per-layer parameters and connections of LeNet-5); Krizhevsky et al. (2012), §3.5 (neurons
per layer); 《深度学习与神经网络》第5章 §5.3.4 (VGG-16's printed shapes); the widely quoted totals of the grouped / ungrouped AlexNet and of torchvision's.
"""

import pytest

from nnbook.analysis import architectures as arch
from nnbook.layers import Conv2D, Dense, MaxPool2D, Subsampling2D


def test_thirty_thousand_connections():
    counts = arch.dense_vs_conv_counts((100, 100, 3), hidden_units=1)
    assert counts.inputs == 30_000 and counts.connections_per_neuron == 30_000
    many = arch.dense_vs_conv_counts((100, 100, 3), hidden_units=1000, filters=1000,
                                     kernel_size=3)
    assert many.dense_params == 1000 * 30_000 + 1000
    assert many.conv_params == 1000 * (3 * 3 * 3 + 1)  # 28,000: no dependence on 100×100
    bigger = arch.dense_vs_conv_counts((200, 200, 3), hidden_units=1000, filters=1000)
    assert bigger.conv_params == many.conv_params
    assert bigger.dense_params == 1000 * 120_000 + 1000


LECUN_1998 = {  # name: (output shape, trainable parameters, connections)
    "C1": ((6, 28, 28), 156, 122_304),
    "S2": ((6, 14, 14), 12, 5_880),
    "C3": ((16, 10, 10), 1_516, 151_600),
    "S4": ((16, 5, 5), 32, 2_000),
    "C5": ((120, 1, 1), 48_120, 48_120),
    "F6": ((84,), 10_164, 10_164),
}


def test_lenet5_lecun1998_convention():
    rows = arch.lenet5_trace("lecun1998")
    assert rows[0].output_shape == (1, 32, 32)
    assert len(rows) - 1 == 7  # 陈强 §15.10: seven layers after the input
    by_name = {row.name: row for row in rows}
    for name, (shape, params, connections) in LECUN_1998.items():
        row = by_name[name]
        assert (row.output_shape, row.params, row.connections) == (shape, params, connections), name
    assert by_name["output"].output_shape == (10,) and by_name["output"].params == 0
    assert arch.total_params(rows) == 60_000  # "about 60,000 trainable parameters"


def test_lenet5_modern_convention():
    rows = {row.name: row for row in arch.lenet5_trace("modern")}
    assert rows["S2"].params == 0 and rows["S4"].params == 0
    assert rows["C3"].params == 16 * (6 * 25 + 1)  # 2,416 with full connectivity
    assert rows["output"].params == 10 * (84 + 1)
    assert arch.total_params(rows.values()) == 156 + 2_416 + 48_120 + 10_164 + 850


def test_c3_table_has_sixty_map_connections():
    assert len(arch.LENET5_C3_TABLE) == 16
    assert sorted(len(maps) for maps in arch.LENET5_C3_TABLE) == [3] * 6 + [4] * 9 + [6]
    assert all(len(set(maps)) == len(maps) and set(maps) <= set(range(6))
               for maps in arch.LENET5_C3_TABLE)


@pytest.mark.parametrize("variant, total", [
    ("krizhevsky2012", 60_965_224),
    ("single_gpu", 62_378_344),
    ("torchvision", 61_100_840),
])
def test_alexnet_totals(variant, total):
    rows = arch.alexnet_counts(variant)
    assert arch.total_params(rows) == total
    kinds = [row.kind for row in rows]
    assert kinds.count("Conv2D") == 5 and kinds.count("Dense") == 3   # 陈强 §15.10
    assert rows[-1].output_shape == (1000,)


def test_alexnet_about_sixty_million_parameters_and_650k_neurons():
    rows = arch.alexnet_counts()
    assert abs(arch.total_params(rows) - 60e6) / 60e6 < 0.02
    by_name = {row.name: row for row in rows}
    # Krizhevsky et al. §3.5 list the layers after conv1 as
    # 186,624–64,896–64,896–43,264–4096–4096–1000
    assert [by_name[n].neurons for n in ("conv2", "conv3", "conv4", "conv5", "fc6", "fc7", "fc8")] \
        == [186_624, 64_896, 64_896, 43_264, 4096, 4096, 1000]
    assert by_name["conv1"].output_shape == (96, 55, 55)
    assert by_name["pool5"].output_shape == (256, 6, 6)
    assert abs(arch.neuron_count(rows) - 650_000) / 650_000 < 0.02


def test_format_trace_and_errors():
    table = arch.format_trace(arch.lenet5_trace())
    assert "C3" in table and "1,516" in table and "60,000" in table
    with pytest.raises(ValueError, match="convention"):
        arch.lenet5_trace("keras")
    with pytest.raises(ValueError, match="variant"):
        arch.alexnet_counts("vgg")
    with pytest.raises(ValueError, match="groups"):
        arch.trace([Conv2D(4, 3, groups=2)], (3, 8, 8))
    with pytest.raises(TypeError, match="nnbook layers"):
        arch.trace(["conv"], (1, 8, 8))
    with pytest.raises(ValueError, match="does not fit"):
        arch.trace([Conv2D(4, 9)], (1, 8, 8))


def test_the_trace_is_the_real_layers_counts():
    """A traced layer counts what the same layer builds — the tracer has no numbers of its own."""
    import numpy as np

    for layer, shape in ((Conv2D(16, 5, connections=arch.LENET5_C3_TABLE), (6, 14, 14)),
                         (Subsampling2D(2), (6, 28, 28)), (Dense(84), (120,)),
                         (Conv2D(256, 5, padding=2, groups=2), (96, 27, 27))):
        [_, row] = arch.trace([layer], shape)
        layer.build(shape, np.random.default_rng(0))
        trainable = sum(p.size for p in layer.params.values() if p.trainable)
        masked = 0                       # kernel entries a grouped / tabled conv never uses
        if isinstance(layer, Conv2D):
            masked = int(np.sum(layer.connection_mask(shape[0]) == 0)) * 5 * 5
        assert row.params == trainable - masked
        assert row.output_shape == layer.output_shape(shape)


def test_a_dense_layer_after_a_feature_map_reads_it_flattened():
    rows = arch.trace([Conv2D(2, 3, name="c"), Dense(5, name="d")], (1, 5, 5))
    assert rows[1].output_shape == (2, 3, 3)
    assert rows[2].params == 18 * 5 + 5                           # 2·3·3 = 18 inputs → 5 units


def test_vgg16_trace_has_the_books_twelve_printed_sizes():
    """《深度学习与神经网络》第5章 §5.3.4: the sizes the book prints after each of its 12 steps
    (H×W×C, typed in from the book), found after the last layer of each step."""
    rows = {row.name: row for row in arch.vgg16_trace()}
    printed = {"conv1_2": (64, 224, 224), "pool1": (64, 112, 112), "conv2_2": (128, 112, 112),
               "pool2": (128, 56, 56), "conv3_3": (256, 56, 56), "pool3": (256, 28, 28),
               "conv4_3": (512, 28, 28), "pool4": (512, 14, 14), "conv5_3": (512, 14, 14),
               "pool5": (512, 7, 7), "fc6": (4096,), "fc7": (4096,), "fc8": (1000,)}
    for name, shape in printed.items():
        assert rows[name].output_shape == shape, name
    weight_layers = [r for r in rows.values() if r.kind in ("Conv2D", "Dense")]
    assert len(weight_layers) == 16                       # 13 convolutions + 3 FC: "VGG-16"


def test_vgg16_parameters_follow_k2_c_f_plus_f():
    """Each 3×3 convolution has 9·C·F + F parameters, each FC layer n_in·n_out + n_out."""
    rows = arch.vgg16_trace()
    expected, channels = [], 3
    for filters, convolutions in ((64, 2), (128, 2), (256, 3), (512, 3), (512, 3)):
        for _ in range(convolutions):
            expected.append(9 * channels * filters + filters)
            channels = filters
    for n_in, n_out in ((7 * 7 * 512, 4096), (4096, 4096), (4096, 1000)):
        expected.append(n_in * n_out + n_out)
    assert [r.params for r in rows if r.kind in ("Conv2D", "Dense")] == expected
    assert arch.total_params(rows) == sum(expected) == 138_357_544


def test_dense_share_of_vgg16_and_alexnet_is_above_the_books_eighty_percent():
    assert round(arch.dense_share(arch.vgg16_trace()), 3) == 0.894
    assert round(arch.dense_share(arch.alexnet_counts()), 3) == 0.962
    with pytest.raises(ValueError, match="no parameters"):
        arch.dense_share(arch.trace([MaxPool2D(2)], (1, 4, 4)))


def test_fc_vs_conv_params_two_neurons_on_a_megapixel_image():
    counts = arch.fc_vs_conv_params(((1000, 1000, 3), (32, 32, 3), (200, 300, 3)))
    big = counts[(1000, 1000, 3)]
    assert big.inputs == 3_000_000
    assert big.dense_params == 2 * 1000 * 1000 * 3 + 2 == 6_000_002
    # 2 filters of 3×3×3 plus a bias each, whatever the image size
    assert {c.conv_params for c in counts.values()} == {2 * (3 * 3 * 3 + 1)} == {56}
    assert counts[(32, 32, 3)].dense_params == 2 * 32 * 32 * 3 + 2
    with pytest.raises(ValueError, match="at least one"):
        arch.fc_vs_conv_params(())


def test_fc_vs_conv_params_wants_a_sequence_of_shapes():
    with pytest.raises(TypeError, match="sequence of"):
        arch.fc_vs_conv_params((10, 10, 3))
    assert arch.fc_vs_conv_params(((10, 10, 3),))[(10, 10, 3)].dense_params == 602
