"""Tests of nnbook.book.grading.properties: check_property names the first failing case."""

import numpy as np

from nnbook.book import grading


def test_check_property_passes_and_names_the_failing_case(failure):
    grading.check_property(lambda n: n * (n + 1) % 2 == 0, range(50))
    message = failure(grading.check_property, lambda n: n < 3, [0, 1, 2, 3, 4], name="small",
                      describe=lambda n: f"n = {n}")
    assert message.startswith("small: is false for case 4 of 5 (3 cases passed before it)")
    assert "case: n = 3" in message


def test_check_property_reports_exceptions_and_nested_checks(failure):
    message = failure(grading.check_property, lambda c: 1 / c > 0, (c for c in [2, 1, 0]))
    assert "raised ZeroDivisionError for case 3 (2 cases passed before it)" in message
    assert "case: 0" in message and "division by zero" in message
    message = failure(grading.check_property, lambda c: grading.check_array(c, [1, 2], name="row") is None,
                      [np.array([1, 2]), np.array([1, 5])])
    assert "a check inside the property failed for case 2 of 2" in message
    assert "expected 2, found 5" in message


def test_check_property_describes_big_cases_briefly(failure):
    message = failure(grading.check_property, lambda a: False, [np.arange(10_000)])
    case_line = [line for line in message.splitlines() if "case:" in line][0]
    assert len(case_line) < 220 and "..." in case_line
