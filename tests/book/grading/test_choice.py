"""Tests of nnbook.book.grading.choice: multiple-choice checks never reveal the correct key."""

import pytest

from nnbook.book import grading


OPTIONS = {"a": "eta too small: slow convergence", "b": "eta too large: overshoot", "c": "no effect"}


def test_check_choice(failure):
    grading.check_choice(" B ", "b", OPTIONS)
    grading.check_choice("c", ["b", "c"], OPTIONS)
    message = failure(grading.check_choice, "a", "b", OPTIONS, name="eta")
    assert message.startswith("eta: you chose 'a'")
    assert OPTIONS["a"] in message and "not the correct answer" in message
    assert "'b'" not in message and OPTIONS["b"] not in message
    message = failure(grading.check_choice, "d", "b", OPTIONS)
    assert "'d' is not one of the options; the valid keys are 'a', 'b', 'c'" in message
    assert "found None" in failure(grading.check_choice, None, "b", OPTIONS)
    with pytest.raises(ValueError):
        grading.check_choice("a", "z", OPTIONS)


def test_check_valid_choice(failure):
    grading.check_valid_choice("A", OPTIONS)
    assert "valid keys are 'a', 'b', 'c'" in failure(grading.check_valid_choice, "e", OPTIONS)
    assert "found a list" in failure(grading.check_valid_choice, ["a"], OPTIONS)
    assert "found a bool: True" in failure(grading.check_valid_choice, True, OPTIONS)
