"""Keras' layers as nnbook's layers with Keras' constructor arguments (``nnbook.keras.layers``).

======================  =====================================================================
``Dense``               :class:`nnbook.layers.Dense`; Keras' initialiser names, ``input_dim``
``Activation``          :class:`nnbook.layers.Activation`
``Dropout``             :class:`nnbook.layers.Dropout` (inverted); ``seed``
``Flatten``             :class:`nnbook.layers.Flatten`
``BatchNormalization``  :class:`nnbook.layers.BatchNormalization`; flat (batch, features) only
``Input``               ``Input(shape=(784,))``, today's way to give a model its input shape
``core``                the Keras 1–2 path ``keras.layers.core`` of the book's listings
======================  =====================================================================

Every layer also takes ``input_shape=`` (and Dense ``input_dim=``), which a
:class:`nnbook.keras.models.Sequential` uses to build itself when the layer comes first, and has
Keras' ``get_weights()`` / ``set_weights(list)``. The layers compute exactly what their nnbook
layers compute: there is no second engine.
"""

from __future__ import annotations

from nnbook import layers as nn_layers
from nnbook.keras import initializers
from nnbook.keras.layers.base import KerasLayer, input_shape_from


class Dense(KerasLayer, nn_layers.Dense):
    """Keras' ``Dense(units, activation=None, use_bias=True, kernel_initializer="glorot_uniform",
    bias_initializer="zeros", kernel_regularizer=None, …, input_dim=None, input_shape=None)``.

    Initialisers are read by Keras' names (:func:`nnbook.keras.initializers.get`); penalties are
    nnbook's (:mod:`nnbook.keras.regularizers`). nnbook's Dense always has a bias, so
    ``use_bias`` must be True. Kernel (fan_in, units), bias (units,), as in Keras.
    """

    def __init__(self, units, activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, *, input_dim=None, input_shape=None, name=None):
        if use_bias is not True:
            raise ValueError(f"Dense: use_bias={use_bias!r} is not supported (nnbook's Dense "
                             "always has a bias); leave use_bias=True")
        super().__init__(units, activation=activation,
                         kernel_initializer=initializers.get(kernel_initializer),
                         bias_initializer=initializers.get(bias_initializer),
                         kernel_regularizer=kernel_regularizer, bias_regularizer=bias_regularizer,
                         activity_regularizer=activity_regularizer, name=name)
        self._keras_input(input_shape, input_dim)


class Activation(KerasLayer, nn_layers.Activation):
    """Keras' ``Activation("relu")``: an activation by name ("softmax", "relu", "sigmoid", …)."""

    def __init__(self, activation, *, input_shape=None, name=None):
        super().__init__(activation, name=name)
        self._keras_input(input_shape)


class Dropout(KerasLayer, nn_layers.Dropout):
    """Keras' ``Dropout(rate, noise_shape=None, seed=None)``: inverted dropout, active in training.

    ``seed`` gives the layer its own generator; without, the masks come from the model's.
    ``noise_shape`` (masks shared along some axes) is not supported and must stay None.
    """

    def __init__(self, rate, noise_shape=None, seed=None, *, input_shape=None, name=None):
        if noise_shape is not None:
            raise ValueError(f"Dropout: noise_shape={noise_shape!r} is not supported; leave it None")
        super().__init__(rate, rng=seed, name=name)
        self._keras_input(input_shape)


class Flatten(KerasLayer, nn_layers.Flatten):
    """Keras' ``Flatten()``: (batch, d₁, d₂, …) → (batch, d₁·d₂·…)."""

    def __init__(self, *, input_shape=None, name=None):
        super().__init__(name=name)
        self._keras_input(input_shape)


class BatchNormalization(KerasLayer, nn_layers.BatchNormalization):
    """Keras' ``BatchNormalization(axis=-1, momentum=0.99, epsilon=0.001, center=True,
    scale=True)``: weights [gamma, beta, moving_mean, moving_variance], as in Keras.

    Keras' ``axis=-1`` is the channel axis of its channels-last images; this face has no image
    layers, so it normalises flat examples (batch, features) — for nnbook's NCHW images use
    :class:`nnbook.layers.BatchNormalization` (axis 1). ``center`` and ``scale`` must stay True.
    """

    def __init__(self, axis=-1, momentum=0.99, epsilon=0.001, center=True, scale=True, *,
                 input_shape=None, name=None):
        if center is not True or scale is not True:
            raise ValueError("BatchNormalization: center=False / scale=False are not supported; "
                             "leave both True (a trainable beta and gamma)")
        super().__init__(momentum=momentum, epsilon=epsilon, axis=axis, name=name)
        self._keras_input(input_shape)


class Input:
    """Keras' ``Input(shape=(784,))``: not a layer, the input shape of a Sequential model.

    ``Sequential([Input(shape=(784,)), Dense(10)])`` is today's spelling of
    ``Dense(10, input_shape=(784,))``.
    """

    def __init__(self, shape=None, batch_size=None, name=None):
        self.shape = input_shape_from(shape, None, "Input")
        if self.shape is None:
            raise ValueError("Input: expected shape=(features, …), e.g. Input(shape=(784,))")
        self.batch_size = batch_size
        self.name = name or "input_layer"

    def __repr__(self):
        return f"Input(shape={self.shape})"


__all__ = ["Dense", "Activation", "Dropout", "Flatten", "BatchNormalization", "Input",
           "KerasLayer"]
