"""Tests of nnbook.book.grading.plots: the checks read the data of a student's matplotlib axes."""

import numpy as np
import pytest

from nnbook.book import grading


@pytest.fixture
def plt():
    """matplotlib.pyplot, imported only by the tests that draw (the conftest draws with Agg and
    closes every figure after each test)."""
    import matplotlib.pyplot as pyplot

    return pyplot


def test_axes_lines_reads_line_data(plt):
    fig, ax = plt.subplots()
    ax.plot([0, 1, 2], [0, 1, 4])
    ax.plot([0, 1], [5, 6])
    lines = grading.axes_lines(ax)
    assert len(lines) == 2
    np.testing.assert_array_equal(lines[0][0], [0.0, 1.0, 2.0])
    np.testing.assert_array_equal(lines[0][1], [0.0, 1.0, 4.0])
    np.testing.assert_array_equal(lines[1][1], [5.0, 6.0])


def test_check_plot(plt, failure):
    fig, ax = plt.subplots()
    v = np.arange(10.0)
    ax.plot(v, v**2)
    ax.set_xlabel("Step")
    ax.set_ylabel("cost C(v)")
    ax.set_title("Gradient descent on C")
    grading.check_plot(ax, xlabel="step", ylabel="cost", title="gradient descent")
    grading.check_plot(fig, xlabel=("iteration", "step"))  # a Figure with one Axes is accepted
    message = failure(grading.check_plot, ax, name="trajectory", min_lines=2)
    assert message.startswith("trajectory: expected at least 2 lines with data, found 1")
    assert "10 points, x from 0 to 9, y from 0 to 81" in message
    message = failure(grading.check_plot, ax, xlabel="eta")
    assert "x-axis label should mention 'eta', found 'Step'" in message


def test_check_plot_rejects_non_axes(plt, failure):
    assert "found None" in failure(grading.check_plot, None)
    assert "return ax" in failure(grading.check_plot, None)
    fig, axes = plt.subplots(1, 2)
    assert "a Figure with 2 Axes" in failure(grading.check_plot, fig)
    fig, ax = plt.subplots()
    message = failure(grading.check_plot, ax)
    assert "found 0" in message and "no lines on the axes" in message
    ax.set_ylabel("")
    ax.scatter([1, 2], [3, 4])
    assert "scatter" in failure(grading.check_plot, ax)
    fig, ax = plt.subplots()
    assert "should mention 'cost', found no text" in failure(grading.check_plot, ax.plot([1, 2]), ylabel="cost")


def test_check_line(plt, failure):
    fig, ax = plt.subplots()
    x = np.linspace(0.0, 1.0, 5)
    ax.plot(x, x**2, label="C")
    ax.plot(x, x)
    grading.check_line(ax, x, x)
    grading.check_line(ax, x, x**2)
    grading.check_line(ax, None, x**2)
    message = failure(grading.check_line, ax, x, x**3, name="cost curve")
    assert message.startswith("cost curve: no line on the axes has the expected data (5 points")
    assert "first differing point is 1: expected y = 0.015625, found y = 0.0625" in message
    assert "line 0 'C': 5 points" in message
    message = failure(grading.check_line, ax, x[:3], x[:3])
    assert "3 points" in message and "right length" not in message
