"""nnbook.keras.optimizers and .regularizers are nnbook's own, with Keras' defaults."""

from __future__ import annotations

import numpy as np
import pytest

from nnbook import optim
from nnbook.keras import optimizers, regularizers
from nnbook.layers import regularizers as core_penalties


def test_optimizers_are_nnbooks_with_keras_defaults():
    assert (optimizers.SGD, optimizers.RMSprop, optimizers.Adam) == (optim.SGD, optim.RMSprop,
                                                                      optim.Adam)
    sgd, rmsprop, adam = optimizers.SGD(), optimizers.RMSprop(), optimizers.Adam()
    assert (sgd.learning_rate, sgd.momentum) == (0.01, 0.0)
    assert (rmsprop.learning_rate, rmsprop.rho, rmsprop.epsilon) == (0.001, 0.9, 1e-7)
    assert (adam.learning_rate, adam.beta_1, adam.beta_2, adam.epsilon) == (0.001, 0.9, 0.999,
                                                                            1e-7)
    assert isinstance(optimizers.get("adam"), optim.Adam)


def test_regularizers_follow_keras():
    weights = np.array([[1.0, 2.0], [3.0, 4.0]])
    assert regularizers.l2(0.01)(weights) == pytest.approx(0.3)
    assert regularizers.l1()(weights) == pytest.approx(0.1)                 # default 0.01
    assert regularizers.l1_l2(l1=0.01, l2=0.01)(weights) == pytest.approx(0.4)
    assert regularizers.l2 is core_penalties.l2


def test_adagrad_nesterov_and_schedules_have_keras_names_and_defaults():
    assert optimizers.Adagrad is optim.Adagrad and isinstance(optimizers.get("adagrad"),
                                                              optim.Adagrad)
    adagrad = optimizers.Adagrad()
    assert (adagrad.learning_rate, adagrad.initial_accumulator_value, adagrad.epsilon) == (
        0.001, 0.1, 1e-7)
    assert optimizers.SGD().nesterov is False
    assert optimizers.SGD(momentum=0.9, nesterov=True).nesterov is True
    schedule = optimizers.schedules.ExponentialDecay(0.1, decay_steps=100, decay_rate=0.96)
    assert optimizers.SGD(learning_rate=schedule).learning_rate is schedule
