"""nnbook.layers.base: the protocol every layer follows, and parameter counts without building."""

import numpy as np
import pytest

import nnbook.layers as layers
from nnbook.layers import RBF, Conv2D, Dense, Dropout, Flatten, Layer, MaxPool2D, Param


def test_package_exports_every_layer_kind():
    for name in ("Layer", "Dense", "Activation", "Dropout", "Flatten", "Conv2D", "MaxPool2D",
                 "AvgPool2D", "Subsampling2D", "RBF"):
        assert name in layers.__all__ and issubclass(getattr(layers, name), Layer)
    assert "Param" in layers.__all__


def test_build_creates_params_with_the_announced_shapes():
    layer = Dense(10)
    assert layer.param_shapes((64,)) == {"kernel": (64, 10), "bias": (10,)}
    assert layer.count_params((64,)) == (650, 0)
    layer.build((64,), np.random.default_rng(0))
    assert all(isinstance(p, Param) for p in layer.params.values())
    assert layer.params["kernel"].name == "dense.kernel" and layer.n_params == 650
    assert layer.output_shape((64,)) == (10,)
    assert Dropout(0.5).n_params == 0 and Flatten().n_params == 0


def test_counts_need_no_allocation():
    """VGG-16's largest layer (25,088 → 4,096, 102.8 million weights) is counted, not built."""
    layer = Dense(4096)
    assert layer.count_params((25_088,)) == (102_764_544, 0)
    assert not layer.built and layer.params == {}
    assert Conv2D(64, 3, padding=1).count_params((3, 224, 224)) == (1_792, 0)
    assert RBF(10).count_params((84,)) == (0, 840)                 # fixed weights
    assert MaxPool2D(2).count_params((64, 224, 224)) == (0, 0)


def test_zero_grads_and_the_forward_before_backward_rule():
    layer = Dense(2)
    layer.build((3,), np.random.default_rng(1))
    layer.forward(np.ones((4, 3)))
    layer.backward(np.ones((4, 2)))
    assert np.any(layer.params["kernel"].grad != 0)
    layer.zero_grads()
    assert all(np.all(p.grad == 0) for p in layer.params.values())
    with pytest.raises(RuntimeError, match="before forward"):
        Flatten().backward(np.ones((1, 3)))


def test_empty_batches_get_a_clear_error_in_every_layer():
    for layer, shape in ((Flatten(), (0, 3, 2)), (Dropout(0.5), (0, 4)),
                         (layers.Activation("relu"), (0, 2))):
        with pytest.raises(ValueError, match="at least one example"):
            layer.forward(np.ones(shape), training=True)
    dense = Dense(2)
    dense.build((3,), np.random.default_rng(0))
    with pytest.raises(ValueError, match="at least one example"):
        dense.forward(np.zeros((0, 3)))


def test_a_layer_without_an_activation_cannot_be_fused():
    with pytest.raises(NotImplementedError, match="Flatten has no activation"):
        Flatten().backward_preactivation(np.ones((1, 2)))
    assert Flatten().activation is None and Dense(3).activation == "linear"
