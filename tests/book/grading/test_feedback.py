"""Tests of nnbook.book.grading.feedback and of what every check shares: silent on success, a
``✓`` on stdout, messages that start with the name and keep values short, a light import."""

import subprocess
import sys

import numpy as np

from nnbook.book import grading


def test_import_is_light():
    code = "import sys, nnbook.book.grading; print('sympy' in sys.modules, 'matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
    assert out.stderr == ""


def test_passed_prints_tick_to_stdout_only(capsys):
    grading.passed("x1 scale invariance")
    captured = capsys.readouterr()
    assert captured.out == "\u2713 x1 scale invariance\n"
    assert captured.err == ""


def test_checks_are_silent_on_success(capsys):
    grading.check_array([1.0, 2.0], np.array([1.0, 2.0]))
    grading.check_scalar(0.5, 0.5)
    grading.check_equal((1, 2), (1, 2))
    grading.check_choice("a", "a", {"a": "yes", "b": "no"})
    grading.check_property(lambda c: c > 0, [1, 2])
    grading.check_gradient(lambda v: float(v @ v), lambda v: 2 * v, [1.0, -2.0])
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


def test_messages_start_with_the_name_and_keep_values_short(failure):
    big = np.arange(10_000, dtype=float)
    wrong = big.copy()
    wrong[1234] = -1.0
    message = failure(grading.check_array, wrong, big, name="weights")
    assert message.startswith("weights: ")
    assert all(len(line) <= 250 for line in message.splitlines())
    assert "..." in message  # numpy summarised the arrays
