"""Discrete signals and LTI systems: convolution by its definition, checked against numpy and by
the properties the source states (sifting, commutativity, LTI output = input * impulse response)."""

import numpy as np
import pytest

from nnbook.functional.convolution import conv_output_size
from nnbook.functional.signals import (
    MODES,
    PropertyCheck,
    System,
    convolve1d,
    correlate1d,
    exponential_smoother,
    impulse_response,
    is_linear,
    is_time_invariant,
    moving_average,
    output_by_convolution,
    ramp_gain,
    squarer,
    unit_impulse,
)

LENGTH_PAIRS = [(1, 1), (5, 3), (3, 5), (6, 4), (4, 6), (7, 2), (8, 8)]


def test_unit_impulse_is_the_kronecker_delta():
    assert unit_impulse(4).tolist() == [1, 0, 0, 0]
    assert unit_impulse(4, at=2).tolist() == [0, 0, 1, 0]
    delta = unit_impulse((3, 3), at=(1, 1))
    assert delta.sum() == 1 and delta[1, 1] == 1


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("n_x,n_h", LENGTH_PAIRS)
def test_convolve1d_equals_numpy(mode, n_x, n_h):
    rng = np.random.default_rng(n_x * 10 + n_h)
    x, h = rng.standard_normal(n_x), rng.standard_normal(n_h)
    np.testing.assert_allclose(convolve1d(x, h, mode), np.convolve(x, h, mode), atol=1e-12)


# numpy centres "same" one sample differently when the kernel is the longer signal
CORRELATE_CASES = [(mode, n_x, n_h) for mode in MODES for n_x, n_h in LENGTH_PAIRS
                   if mode != "same" or n_x >= n_h]


@pytest.mark.parametrize("mode,n_x,n_h", CORRELATE_CASES)
def test_correlate1d_equals_numpy(mode, n_x, n_h):
    rng = np.random.default_rng(n_x * 10 + n_h + 1)
    x, h = rng.standard_normal(n_x), rng.standard_normal(n_h)
    np.testing.assert_allclose(correlate1d(x, h, mode), np.correlate(x, h, mode), atol=1e-12)


def test_a_hand_computed_convolution():
    # (1, 2, 3) * (0, 1, 0.5): n=0: 0; n=1: 1; n=2: 0.5 + 2 = 2.5; n=3: 1 + 3 = 4; n=4: 1.5
    assert convolve1d([1, 2, 3], [0, 1, 0.5]).tolist() == [0, 1, 2.5, 4, 1.5]
    # sliding without a flip: (1, 2, 3, 4) against (1, -1) → 1 - 2, 2 - 3, 3 - 4
    assert correlate1d([1, 2, 3, 4], [1, -1]).tolist() == [-1, -1, -1]
    # the same kernel flipped is the convolution
    assert convolve1d([1, 2, 3, 4], [1, -1], "valid").tolist() == [1, 1, 1]


def test_sifting_property_and_commutativity():
    rng = np.random.default_rng(0)
    x, h = rng.standard_normal(9), rng.standard_normal(4)
    np.testing.assert_array_equal(convolve1d(x, unit_impulse(1)), x)
    # a delayed impulse delays the signal
    np.testing.assert_array_equal(convolve1d(x, unit_impulse(3, at=2))[2:2 + len(x)], x)
    np.testing.assert_allclose(convolve1d(x, h), convolve1d(h, x), atol=1e-12)


@pytest.mark.parametrize("n,k,stride", [(5, 3, 1), (32, 5, 1), (7, 3, 2), (10, 3, 3), (9, 4, 2)])
def test_strided_valid_length_is_the_output_size_formula(n, k, stride):
    x, h = np.arange(n, dtype=float), np.ones(k)
    y = convolve1d(x, h, "valid", stride=stride)
    assert len(y) == (n - k) // stride + 1 == conv_output_size(n, k, stride=stride)
    np.testing.assert_allclose(y, np.convolve(x, h, "valid")[::stride])


def test_hand_impulse_responses():
    np.testing.assert_allclose(impulse_response(moving_average(3), 5), [1 / 3, 1 / 3, 1 / 3, 0, 0])
    a = 0.25
    np.testing.assert_allclose(impulse_response(exponential_smoother(a), 6),
                               a * (1 - a) ** np.arange(6))


@pytest.mark.parametrize("system", [moving_average(1), moving_average(4), exponential_smoother(0.3),
                                    exponential_smoother(1.0)], ids=lambda s: s.name)
def test_an_lti_system_is_the_convolution_with_its_impulse_response(system):
    rng = np.random.default_rng(1)
    x = rng.standard_normal(40)
    np.testing.assert_allclose(system(x), np.convolve(x, system(unit_impulse(len(x))))[:len(x)],
                               atol=1e-12)
    np.testing.assert_allclose(output_by_convolution(system, x), system(x), atol=1e-12)
    assert is_linear(system, rng) and is_time_invariant(system, rng)


def test_the_counter_examples_fail_the_right_property_and_the_convolution_law():
    rng = np.random.default_rng(2)
    x = rng.standard_normal(20)
    square, ramp = squarer(), ramp_gain()
    assert not is_linear(square, rng).holds and is_time_invariant(square, rng).holds
    assert is_linear(ramp, rng).holds and not is_time_invariant(ramp, rng).holds
    assert is_linear(square, rng).worst_deviation > 0.1
    for system in (square, ramp):
        assert not np.allclose(output_by_convolution(system, x), system(x))


def test_property_check_is_a_bool_with_its_deviation():
    check = is_linear(moving_average(2), np.random.default_rng(3))
    assert isinstance(check, PropertyCheck) and check.worst_deviation < 1e-12
    holds, worst = check
    assert holds is True and worst == check.worst_deviation


def test_errors_say_what_was_expected():
    with pytest.raises(ValueError, match="mode"):
        convolve1d([1, 2], [1], mode="wrap")
    with pytest.raises(ValueError, match="at least one sample"):
        convolve1d([], [1])
    with pytest.raises(ValueError, match="1-D"):
        convolve1d(np.ones((2, 2)), [1])
    with pytest.raises(ValueError, match="inside the shape"):
        unit_impulse(3, at=3)
    with pytest.raises(ValueError, match="0 < a <= 1"):
        exponential_smoother(1.5)
    with pytest.raises(TypeError, match="Generator"):
        is_linear(squarer(), 0)
    with pytest.raises(ValueError, match="expected \\(3,\\)"):
        System("broken", lambda x: x[:-1])(np.ones(3))


def test_a_system_that_is_not_callable_and_a_fractional_length_are_named():
    rng = np.random.default_rng(0)
    for call in (lambda: impulse_response(3, 4), lambda: output_by_convolution(3, [1.0, 2.0]),
                 lambda: is_linear(3, rng), lambda: is_time_invariant(3, rng)):
        with pytest.raises(TypeError, match="system: expected a callable"):
            call()
    with pytest.raises(TypeError, match="n: expected"):
        unit_impulse(2.5)
    with pytest.raises(TypeError, match="n: expected"):
        impulse_response(moving_average(2), 2.5)
