"""Fixtures shared by the tests of nnbook.book.grading."""

import pytest

from nnbook.book.grading import CheckFailure


@pytest.fixture
def failure():
    """``failure(check, *args, **kwargs)``: the message of the CheckFailure that the call raises
    (a CheckFailure is an AssertionError, so nbgrader and pytest count it as a failed test)."""

    def message(check, *args, **kwargs):
        with pytest.raises(CheckFailure) as info:
            check(*args, **kwargs)
        assert isinstance(info.value, AssertionError)
        return str(info.value)

    return message
