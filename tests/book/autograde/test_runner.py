"""nnbook.book.autograde.runner (with proxy): one notebook executed across the boundary.

A small notebook made here — a setup cell, the student's solution cell, test cells — is run
once through :func:`runner.execute` (a fresh grading process and sandbox, as nbgrader's
preprocessor does). Each test cell prints what it observed of the student's names, and each
test below reads one cell's outputs: results cross as plain data, in-place changes come back,
callbacks work, exceptions arrive as builtin classes, setup names stay the instructor's, a hang
costs one cell only, and a hidden failure keeps its secrets."""

from __future__ import annotations

import json

import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from nnbook.book.autograde import runner, sandbox
from nnbook.book.autograde.settings import Settings

TIMEOUT = 3
SECRET_VALUE = "12345.678"

SETUP = """\
import numpy as np
import warnings
from nnbook.book import grading
SETUP_VALUE = 41
"""

STUDENT = """\
import numpy as np
import warnings

class Liar(int):
    def __eq__(self, other):
        return True
    __hash__ = int.__hash__

def answer():
    return Liar(3)

def scale_in_place(a, factor):
    a *= factor

def append_to(items, value):
    items.append(value)

def fill(d):
    d["added"] = 1

def identity(value):
    return value

def apply_twice(f, value):
    return f(f(value))

def call_and_catch(f):
    try:
        f()
    except ValueError as error:
        return "caught: " + str(error)

class MyError(ValueError):
    pass

class Odd(Exception):
    pass

def fails():
    raise MyError("student says no")

def fails_oddly():
    raise Odd("odd one")

def hang():
    while True:
        pass

def draws(rng):
    return rng.random(3)

class Counter:
    def __init__(self):
        self.count = 0
    def bump(self):
        self.count += 1
        return self.count

counter = Counter()
SETUP_VALUE = 0

def uses_setup():
    return SETUP_VALUE

def secret_sum():
    return 1.0

def noisy():
    print("student printed")
    warnings.warn("careful", RuntimeWarning)
    return 5

def make_scaler(k):
    return lambda v: v * k
"""

#: a cell the student added: an object whose __class__ claims int, and a function beside it
PRETENDER = """\
class Pretender:
    __class__ = property(lambda self: int)

pretender = Pretender()

def beside_the_pretender():
    return "still here"
"""

TESTS = {
    "plain": """\
got = answer()
print(type(got).__name__, got == 3, got == 4, type(answer).__name__, answer.__name__)""",
    "mutated": """\
arr = np.ones(3)
scale_in_place(arr, 2.0)
items = [1]
append_to(items, "two")
table = {"kept": 0}
fill(table)
print(arr.tolist(), items, sorted(table.items()))""",
    "same": """\
given_list, given_array = [1, 2], np.zeros(2)
print(identity(given_list) is given_list, identity(given_array) is given_array, identity(7))""",
    "callback": """\
def refuse():
    raise ValueError("from the test")
print(apply_twice(lambda v: v + 1, 3), call_and_catch(refuse), make_scaler(4)(2.5))""",
    "exceptions": """\
try:
    fails()
except ValueError as error:
    print(type(error).__name__, error)
try:
    fails_oddly()
except RuntimeError as error:
    print(type(error).__name__, error)""",
    "generator": """\
rng, twin = np.random.default_rng(5), np.random.default_rng(5)
drawn = draws(rng)
print(np.array_equal(drawn, twin.random(3)), np.array_equal(rng.random(2), twin.random(2)))""",
    "object": """\
first, second = counter.bump(), counter.bump()
counter.count = 10
print(first, second, counter.bump(), counter.count)""",
    "setup_name": """\
print(SETUP_VALUE, uses_setup())""",
    "streams": """\
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    value = noisy()
print(value, [(w.category.__name__, str(w.message)) for w in caught])""",
    "visible_failure": """\
grading.check_equal(answer(), 4, name="answer_is_four")""",
    "hidden_failure": f"""\
assert answer() == 3
### BEGIN HIDDEN TESTS
secret_expected = {SECRET_VALUE}
grading.check_scalar(secret_sum(), secret_expected, name="secret_sum")
### END HIDDEN TESTS""",
    "hidden_pass": """\
grading.check_equal(answer(), 3, name="answer")
### BEGIN HIDDEN TESTS
grading.check_scalar(secret_sum(), 1.0, name="secret_sum")
### END HIDDEN TESTS
print("hidden passed")""",
    "student_error": """\
fails()""",
    "pretender": """\
print(beside_the_pretender())""",
    "hang": """\
hang()""",
    "after_hang": """\
print(answer(), counter.bump(), SETUP_VALUE)""",
}


def _meta(grade_id, **flags):
    meta = {"grade_id": grade_id, "solution": False, "grade": False, "locked": False, "schema_version": 3}
    meta.update(flags)
    return {"nbgrader": meta}


def notebook():
    cells = [new_markdown_cell("# Boundary", metadata=_meta("intro", locked=True)),
             new_code_cell(SETUP, metadata=_meta("setup", locked=True)),
             new_code_cell(STUDENT, metadata=_meta("answers", solution=True)),
             new_code_cell(PRETENDER)]
    cells += [new_code_cell(source, metadata=_meta(name, grade=True, locked=True, points=1))
              for name, source in TESTS.items()]
    return new_notebook(cells=cells)


@pytest.fixture(scope="module")
def graded():
    """(outputs of each test cell by name, problems) of the notebook run once."""
    executed, problems = runner.execute(notebook(), Settings(timeout=TIMEOUT, memory_mb=2048))
    outputs = {cell.metadata.get("nbgrader", {}).get("grade_id", "added"): cell.outputs
               for cell in executed.cells if cell.cell_type == "code"}
    return outputs, problems


def _stdout(outputs):
    return "".join(o["text"] for o in outputs if o["output_type"] == "stream" and o["name"] == "stdout")


def _errors(outputs):
    return [o for o in outputs if o["output_type"] == "error"]


def _passed(graded, name):
    """The cell's printed text, after checking that it shows no error and nothing on stderr
    (either costs the cell its points in nbgrader)."""
    outputs = graded[0][name]
    assert _errors(outputs) == [], _errors(outputs)
    assert not any(o["output_type"] == "stream" and o["name"] == "stderr" for o in outputs), outputs
    return _stdout(outputs)


def test_setup_and_student_cells_ran(graded):
    outputs, _ = graded
    assert _errors(outputs["setup"]) == [] and _errors(outputs["answers"]) == []


def test_results_cross_as_plain_data(graded):
    # the student's int subclass that equals everything arrives as a plain int 3
    assert _passed(graded, "plain") == "int True False StudentObject answer\n"


def test_arguments_mutated_in_place_are_mutated_for_the_check(graded):
    assert _passed(graded, "mutated") == "[2.0, 2.0, 2.0] [1, 'two'] [('added', 1), ('kept', 0)]\n"


def test_a_returned_argument_is_the_same_object(graded):
    assert _passed(graded, "same") == "True True 7\n"


def test_callbacks_from_the_test_work_and_their_errors_reach_the_student(graded):
    assert _passed(graded, "callback") == "5 caught: from the test 10.0\n"


def test_exceptions_arrive_as_the_nearest_builtin_class(graded):
    assert _passed(graded, "exceptions") == "ValueError student says no\nRuntimeError Odd: odd one\n"


def test_a_generator_argument_advances_as_in_the_students_code(graded):
    assert _passed(graded, "generator") == "True True\n"


def test_the_students_objects_are_used_through_requests(graded):
    assert _passed(graded, "object") == "1 2 11 11\n"


def test_a_student_cell_rebinding_a_setup_name_keeps_the_setup_value(graded):
    _, problems = graded
    # the checks see the instructor's value; the student's code keeps its own
    assert _passed(graded, "setup_name") == "41 0\n"
    assert any("'SETUP_VALUE'" in p and "instructor" in p for p in problems)


def test_the_students_prints_and_warnings_are_replayed(graded):
    assert _passed(graded, "streams") == "student printed\n5 [('RuntimeWarning', 'careful')]\n"


def test_a_visible_failure_shows_its_message_without_nnbook_frames(graded):
    [error] = _errors(graded[0]["visible_failure"])
    assert error["ename"] == "CheckFailure"
    assert error["evalue"].startswith("answer_is_four:")
    text = "\n".join(error["traceback"])
    assert "nnbook/book/grading" not in text and "nnbook/book/autograde" not in text


def test_a_failure_in_the_students_code_shows_their_trace_not_the_graders(graded):
    [error] = _errors(graded[0]["student_error"])
    assert error["ename"] == "ValueError" and error["evalue"] == "student says no"
    text = "\n".join(error["traceback"])
    assert 'raise MyError("student says no")' in text
    assert "nnbook/book/autograde" not in text and "nnbook/book/grading" not in text


def test_an_unsendable_global_does_not_hide_the_cells_other_names(graded):
    assert _passed(graded, "pretender") == "still here\n"


def test_a_hidden_failure_names_the_check_and_nothing_else(graded):
    outputs = graded[0]["hidden_failure"]
    [error] = _errors(outputs)
    assert error["evalue"] == "a hidden test failed: secret_sum"
    shown = json.dumps(outputs)
    assert SECRET_VALUE not in shown and "12345" not in shown
    assert "secret_expected" not in shown and "check_scalar" not in shown


def test_hidden_checks_that_pass_cost_nothing(graded):
    assert _passed(graded, "hidden_pass") == "hidden passed\n"


def test_a_hang_fails_its_cell_with_the_time_limit(graded):
    outputs, problems = graded
    [error] = _errors(outputs["hang"])
    assert f"time limit of {TIMEOUT} s" in error["evalue"]
    assert any("restarted" in p for p in problems)


def test_cells_after_a_hang_run_in_a_rebuilt_sandbox(graded):
    # the student's cell was replayed: a fresh counter; the setup value is still the instructor's
    assert _passed(graded, "after_hang") == "3 1 41\n"


def test_a_confined_run_reports_nothing_unprotected(graded):
    if not sandbox.bwrap_works():
        pytest.skip("bubblewrap unavailable: this run was unconfined")
    assert sandbox.UNPROTECTED not in graded[1]


def test_roles_come_from_the_nbgrader_metadata():
    cells = notebook().cells
    assert [runner.role(c) for c in cells[:5]] == [None, "setup", "student", "student", "test"]
    assert runner.role(cells[3]) == "student"  # a cell the student added, without metadata
    assert runner.role(new_code_cell("x", metadata=_meta("both", solution=True, grade=True))) == "student"


def test_hidden_lines_are_those_between_the_markers():
    source = "a\n### BEGIN HIDDEN TESTS\nb\nc\n### END HIDDEN TESTS\nd"
    assert runner.hidden_lines(source) == {2, 3, 4}
