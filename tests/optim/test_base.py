"""nnbook.optim.base: what every optimiser shares — per-Param state in a weak dictionary, in-place
updates that write through views, fixed parameters left alone."""

from functools import partial

import numpy as np
import pytest

from nnbook.layers import Param
from nnbook.optim import (
    SGD,
    Adam,
    RMSprop,
    adagrad_step,
    adam_step,
    rmsprop_step,
    sgd_step,
)


def param(value, grad, name="w"):
    p = Param(np.array(value, dtype=float), name)
    p.grad[...] = grad
    return p


def test_state_is_kept_per_param_and_forgotten_with_it():
    a, b = param([0.0], [1.0], "a"), param([0.0], [-1.0], "b")
    opt = SGD(learning_rate=1.0, momentum=0.5)
    opt.step([a, b])
    opt.step([a, b])
    assert a.value[0] == pytest.approx(-1.0 - 1.5) and b.value[0] == pytest.approx(2.5)
    assert len(opt.state) == 2
    del b
    assert len(opt.state) == 1                       # a weak dictionary: no stale state


def test_updates_are_in_place_so_views_write_through():
    flat = np.zeros(4)
    p = Param(np.zeros((2, 2)), "kernel")
    p.value = flat.reshape(2, 2).T
    p.grad[...] = [[1.0, 2.0], [3.0, 4.0]]
    SGD(learning_rate=1.0).step([p])
    assert flat.tolist() == [-1.0, -3.0, -2.0, -4.0]


def test_fixed_params_are_left_alone():
    p = Param(np.ones(2), "centres", trainable=False)
    p.grad[...] = 5.0
    SGD(learning_rate=1.0).step([p])
    assert p.value.tolist() == [1.0, 1.0]


@pytest.mark.parametrize("make", [lambda: SGD(0.1), lambda: SGD(0.1, momentum=0.9),
                                  lambda: RMSprop(0.01), lambda: Adam(0.01)],
                         ids=["sgd", "momentum", "rmsprop", "adam"])
def test_steps_update_the_arrays_in_place_and_reuse_the_state(make):
    """No new parameter or state arrays per step: the value and every state array keep their
    identity (the rules are written once, in place) — and a float32 parameter stays float32."""
    p = Param(np.ones((3, 2), dtype=np.float32), "w")
    value = p.value
    opt = make()
    p.grad[...] = 0.5
    opt.step([p])
    arrays = {k: v for k, v in opt.state[p].items() if isinstance(v, np.ndarray)}
    p.grad[...] = -0.25
    opt.step([p])
    assert p.value is value and p.value.dtype == np.float32 and not np.all(value == 1)
    assert all(opt.state[p][k] is v and v.dtype == np.float32 for k, v in arrays.items())


@pytest.mark.parametrize("step, state", [(sgd_step, ("velocity",)),
                                         (rmsprop_step, ("mean_square",)),
                                         (adam_step, ("m", "v"))],
                         ids=["sgd", "rmsprop", "adam"])
def test_the_pure_steps_leave_their_arguments_alone(step, state):
    """The pure functions run the in-place rule on copies: value, grad and state are untouched."""
    rng = np.random.default_rng(0)
    value, grad = rng.normal(size=(2, 3)), rng.normal(size=(2, 3))
    old = [rng.random((2, 3)) for _ in state]
    copies = [a.copy() for a in (value, grad, *old)]
    kwargs = {"momentum": 0.9} if step is sgd_step else {}
    result = step(value, grad, *old, learning_rate=0.1, **kwargs)
    for before, after in zip(copies, (value, grad, *old)):
        np.testing.assert_array_equal(before, after)
    assert not np.array_equal(result[0], value)


@pytest.mark.parametrize("step, state_names", [
    (partial(sgd_step, learning_rate=0.1, momentum=0.9), ("velocity",)),
    (partial(adagrad_step, learning_rate=0.1), ("accumulator",)),
    (partial(rmsprop_step, learning_rate=0.1), ("mean_square",)),
    (partial(adam_step, learning_rate=0.1), ("m", "v")),
])
def test_pure_steps_refuse_bad_arrays_with_messages_that_name_them(step, state_names):
    value, grad = np.ones(2), np.ones(2)
    with pytest.raises(ValueError, match="value: expected finite"):
        step(np.array([1.0, np.nan]), grad)
    with pytest.raises(ValueError, match="grad: expected finite"):
        step(value, np.array([np.inf, 0.0]))
    with pytest.raises(TypeError, match="value: expected an array of numbers"):
        step("1 2", grad)
    with pytest.raises(TypeError, match="grad: expected an array of numbers"):
        step(value, None)
    for k, name in enumerate(state_names):       # a state of another shape is not broadcast
        states = [np.zeros(2)] * len(state_names)
        states[k] = np.zeros(3)
        with pytest.raises(ValueError, match=f"{name}: expected the shape of value"):
            step(value, grad, *states)
        states[k] = 0.5                          # nor is a scalar
        with pytest.raises(ValueError, match=f"{name}: expected the shape of value"):
            step(value, grad, *states)


@pytest.mark.parametrize("step, position", [(adagrad_step, 0), (rmsprop_step, 0), (adam_step, 1)])
def test_squared_gradient_states_must_not_be_negative(step, position):
    states = [np.zeros(2), np.zeros(2)][:position + 1]
    states[position] = np.array([0.1, -0.1])
    with pytest.raises(ValueError, match=">= 0"):
        step(np.ones(2), np.ones(2), *states)


def test_pure_steps_take_integer_arrays_as_floats_without_truncating():
    new, _ = sgd_step(np.array([1, 2]), np.array([1, 1]), learning_rate=0.25)
    assert new.dtype == np.float64 and new.tolist() == [0.75, 1.75]
