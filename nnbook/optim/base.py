"""What every optimiser shares: stepping :class:`~nnbook.layers.param.Param` objects.

An optimiser is an update rule written once, in place: ``update(value, grad, state)`` changes
the parameter's ``value`` and its state's arrays (a velocity, moment estimates) without new
copies of the parameter (each optimiser module also exports it as a pure function that checks
its arguments and returns new arrays, e.g. :func:`nnbook.optim.sgd.sgd_step`). The bookkeeping
is here: ``step(params)`` applies the rule to every trainable Param, keeping a state per Param
in a weak dictionary, so one optimiser can serve layers, a flat-vector network and an autodiff
engine alike, and forgets the state of parameters that no longer exist. Hyper-parameters are
checked once, in the constructor.

``learning_rate`` is a number or a schedule — any callable step → η, such as those of
:mod:`nnbook.optim.schedules` — evaluated at ``iterations``, the number of updates made so far
(0 for the first), as Keras does. The rules read the value for the current step from
:attr:`Optimizer.current_learning_rate`.
"""

from __future__ import annotations

import numbers
import weakref

import numpy as np

from nnbook.layers.param import Param
from nnbook.validation import as_float_array


def check_learning_rate(learning_rate) -> float:
    """A finite float > 0, or ValueError."""
    if isinstance(learning_rate, bool) or not isinstance(learning_rate, numbers.Real) \
            or not np.isfinite(learning_rate) or learning_rate <= 0:
        raise ValueError(f"learning_rate: expected a finite number > 0, found {learning_rate!r}")
    return float(learning_rate)


def check_learning_rate_or_schedule(learning_rate):
    """A finite float > 0 (returned as float) or a callable step → η (returned as it is)."""
    if callable(learning_rate):
        return learning_rate
    return check_learning_rate(learning_rate)


def check_step_arrays(value, grad, **states):
    """The array arguments of a pure step function (``sgd_step``, ``adam_step``, …), checked.

    ``value`` and ``grad``: finite numbers of one shape (ints are accepted and become floats);
    each state array (a velocity, moment estimates) None — not started — or finite of that
    shape. Returns (a new float copy of value in the common dtype of value and grad, grad,
    {name: state or None}); the caller's arrays are never changed.
    """
    value, grad = as_float_array(value, "value"), as_float_array(grad, "grad")
    if grad.shape != value.shape:
        raise ValueError(f"grad: expected the shape of value {value.shape}, found {grad.shape}")
    checked = {}
    for name, state in states.items():
        if state is not None:
            state = as_float_array(state, name)
            if state.shape != value.shape:
                raise ValueError(f"{name}: expected the shape of value {value.shape}, found "
                                 f"{state.shape}")
        checked[name] = state
    return np.array(value, dtype=np.result_type(value, grad)), grad, checked


def check_nonnegative_state(state, name: str) -> None:
    """A running sum or mean of squared gradients cannot be negative (its root is taken)."""
    if state is not None and np.any(state < 0):
        raise ValueError(f"{name}: expected entries >= 0 (a sum or mean of squared gradients), "
                         f"found {state.min():g}")


class Optimizer:
    """Base class: subclasses define ``initial_state(param)`` and ``update(value, grad, state)``.

    ``learning_rate``: a number > 0, or a schedule (a callable step → η > 0, see
    :mod:`nnbook.optim.schedules`) evaluated at :attr:`iterations`.
    """

    def __init__(self, learning_rate):
        self.learning_rate = check_learning_rate_or_schedule(learning_rate)
        self.state: weakref.WeakKeyDictionary[Param, dict] = weakref.WeakKeyDictionary()
        self.iterations = 0

    @property
    def current_learning_rate(self) -> float:
        """η for the update about to be made: the number, or the schedule at :attr:`iterations`
        (a schedule may reach 0 — a long exponential decay underflows — but not go below)."""
        if not callable(self.learning_rate):
            return self.learning_rate
        value = self.learning_rate(self.iterations)
        # 0 is allowed: a decaying schedule underflows to 0 after enough steps (0.5 ** 1100)
        if isinstance(value, bool) or not isinstance(value, numbers.Real) \
                or not np.isfinite(value) or value < 0:
            raise ValueError(f"learning_rate schedule {self.learning_rate!r}: expected a finite "
                             f"number >= 0 at step {self.iterations}, found {value!r}")
        return float(value)

    def initial_state(self, param: Param) -> dict:
        """The state a parameter starts with (e.g. a zero velocity); empty by default."""
        return {}

    def update(self, value: np.ndarray, grad: np.ndarray, state: dict) -> None:
        """Change ``value`` (and the arrays in ``state``) in place by one step of the rule."""
        raise NotImplementedError

    def step(self, params) -> None:
        """One update of every trainable Param in ``params`` (an iterable of Param), in place."""
        params = list(params)
        for param in params:
            if not isinstance(param, Param):
                raise TypeError(f"step: expected Param objects (e.g. model.trainable_params()), "
                                f"found {type(param).__name__}")
        for param in params:
            if not param.trainable:
                continue
            state = self.state.get(param)
            if state is None:
                state = self.state[param] = self.initial_state(param)
            self.update(param.value, param.grad, state)
        self.iterations += 1

    def __repr__(self):
        return f"{type(self).__name__}(learning_rate={self.learning_rate})"
