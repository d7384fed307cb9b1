"""nnbook.book.autograde.submission: a submission is rebuilt on the instructor's source notebook,
whatever the student did to its cells, and every repair is reported."""

from __future__ import annotations

import copy

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from nnbook.book.autograde import submission
from nnbook.book.autograde.settings import Settings


def _nbgrader(cell, grade_id, *, solution=False, grade=False, locked=False, points=None):
    meta = {"grade_id": grade_id, "solution": solution, "grade": grade, "locked": locked,
            "schema_version": 3}
    if points is not None:
        meta["points"] = points
    cell.metadata["nbgrader"] = meta
    return cell


def _source_notebook():
    return new_notebook(cells=[
        _nbgrader(new_markdown_cell("# Exercise set"), "intro", locked=True),
        _nbgrader(new_code_cell("import numpy as np"), "setup", locked=True),
        _nbgrader(new_code_cell("def double(x):\n    return 2 * x"), "double_solution", solution=True),
        _nbgrader(new_code_cell("assert double(2) == 4\n### BEGIN HIDDEN TESTS\nassert double(-1) == -2\n"
                                "### END HIDDEN TESTS"), "double_test", grade=True, locked=True, points=2),
        _nbgrader(new_code_cell("def square(x):\n    return x * x"), "square_solution", solution=True),
        _nbgrader(new_code_cell("assert square(3) == 9"), "square_test", grade=True, locked=True, points=1),
        _nbgrader(new_markdown_cell("Explain."), "explain", solution=True, grade=True, points=1),
    ])


@pytest.fixture
def source():
    return _source_notebook()


def _student(source, **answers):
    """The source notebook as a student would hand it in: their text in the named solution
    cells, test cells without their hidden part, outputs in code cells."""
    nb = copy.deepcopy(source)
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade_id") in answers:
            cell.source = answers[meta["grade_id"]]
        if meta.get("grade") and cell.cell_type == "code":
            cell.source = cell.source.split("### BEGIN HIDDEN TESTS")[0]
        if cell.cell_type == "code":
            cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="printed\n")]
            cell.execution_count = 3
    return nb


def _ids(nb):
    return [c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells]


def _cell(nb, grade_id):
    [cell] = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id]
    return cell


def _same_cells(a, b):
    return ([(c.cell_type, c.source, c.metadata) for c in a.cells]
            == [(c.cell_type, c.source, c.metadata) for c in b.cells])


def test_an_untouched_submission_is_the_source_without_outputs(source):
    repaired, problems = submission.repair(source, copy.deepcopy(source))
    assert problems == []
    assert _same_cells(repaired, source)
    assert all(c.outputs == [] and c.execution_count is None for c in repaired.cells if c.cell_type == "code")


def test_the_students_answers_are_taken_and_the_hidden_tests_restored(source):
    submitted = _student(source, double_solution="def double(x):\n    return x + x",
                         explain="Because it doubles.")
    repaired, problems = submission.repair(source, submitted)
    assert problems == []
    assert _ids(repaired) == _ids(source)
    assert _cell(repaired, "double_solution").source == "def double(x):\n    return x + x"
    assert _cell(repaired, "explain").source == "Because it doubles."
    assert "### BEGIN HIDDEN TESTS" in _cell(repaired, "double_test").source
    assert _cell(repaired, "double_test").source == _cell(source, "double_test").source
    assert all(c.outputs == [] for c in repaired.cells if c.cell_type == "code")


def test_the_source_notebook_is_not_changed(source):
    before = copy.deepcopy(source)
    submission.repair(source, _student(source, double_solution="pass"))
    assert before == source


def test_a_duplicate_grade_id_grades_the_last_copy_and_is_reported(source):
    submitted = _student(source)
    first = copy.deepcopy(_cell(submitted, "double_solution"))
    first.source = "def double(x):\n    return 0  # first copy"
    submitted.cells.insert(2, first)  # the first copy, then the original (last) copy
    _cell_list = [c for c in submitted.cells if c.metadata["nbgrader"]["grade_id"] == "double_solution"]
    _cell_list[1].source = "def double(x):\n    return 2 * x  # last copy"
    repaired, problems = submission.repair(source, submitted)
    assert _cell(repaired, "double_solution").source.endswith("# last copy")
    assert _ids(repaired).count("double_solution") == 1
    assert any("'double_solution'" in p and "more than once" in p for p in problems)
    # the earlier copy still runs (as the student's own code, before the graded copy)
    position = _ids(repaired).index("double_solution")
    assert repaired.cells[position - 1].source.endswith("# first copy")
    assert "nbgrader" not in repaired.cells[position - 1].metadata


def test_a_duplicated_test_cell_is_graded_once(source):
    submitted = _student(source)
    submitted.cells.append(copy.deepcopy(_cell(submitted, "square_test")))
    repaired, problems = submission.repair(source, submitted)
    assert _ids(repaired).count("square_test") == 1
    assert any("'square_test'" in p and "more than once" in p for p in problems)


def test_a_test_cell_reflagged_as_a_solution_is_restored(source):
    submitted = _student(source)
    cell = _cell(submitted, "double_test")
    cell.metadata["nbgrader"].update(solution=True, grade=False, locked=False)
    cell.source = "pass  # no test here"
    repaired, problems = submission.repair(source, submitted)
    restored = _cell(repaired, "double_test")
    assert restored.source == _cell(source, "double_test").source
    assert restored.metadata == _cell(source, "double_test").metadata
    assert any("'double_test'" in p and "metadata" in p for p in problems)


def test_changed_points_on_a_solution_cell_are_restored(source):
    submitted = _student(source)
    _cell(submitted, "explain").metadata["nbgrader"]["points"] = 100
    repaired, problems = submission.repair(source, submitted)
    assert _cell(repaired, "explain").metadata["nbgrader"]["points"] == 1
    assert any("'explain'" in p for p in problems)


@pytest.mark.parametrize("deleted", ["double_test", "square_solution", "setup"])
def test_a_deleted_cell_is_restored_in_its_place(source, deleted):
    submitted = _student(source, double_solution="def double(x):\n    return x * 2")
    submitted.cells = [c for c in submitted.cells if c.metadata["nbgrader"]["grade_id"] != deleted]
    repaired, problems = submission.repair(source, submitted)
    assert _ids(repaired) == _ids(source)
    assert _cell(repaired, deleted).source == _cell(source, deleted).source
    assert _cell(repaired, "double_solution").source == "def double(x):\n    return x * 2"
    assert any("missing" in p and deleted in p for p in problems)


def test_added_cells_are_kept_in_place(source):
    submitted = _student(source)
    helper = new_code_cell("def helper():\n    return 1")
    submitted.cells.insert(_ids(submitted).index("square_solution"), helper)  # after double_test
    submitted.cells.append(new_code_cell("print('scratch at the end')"))
    repaired, problems = submission.repair(source, submitted)
    assert problems == []
    sources = [c.source for c in repaired.cells]
    at = sources.index("def helper():\n    return 1")
    assert _ids(repaired)[at - 1] == "double_test" and _ids(repaired)[at + 1] == "square_solution"
    assert sources[-1] == "print('scratch at the end')"
    assert len(repaired.cells) == len(source.cells) + 2


def test_an_added_cell_before_the_first_assignment_cell_stays_first(source):
    submitted = _student(source)
    submitted.cells.insert(0, new_code_cell("x = 1"))
    repaired, _ = submission.repair(source, submitted)
    assert repaired.cells[0].source == "x = 1"


def test_an_unknown_grade_id_is_run_as_the_students_code(source):
    submitted = _student(source)
    stranger = _nbgrader(new_code_cell("bonus = 5"), "free_points", grade=True, locked=True, points=50)
    submitted.cells.insert(3, stranger)
    repaired, problems = submission.repair(source, submitted)
    assert "free_points" not in _ids(repaired)
    [kept] = [c for c in repaired.cells if c.source == "bonus = 5"]
    assert "nbgrader" not in kept.metadata  # no points, no grade: plain student code
    assert any("'free_points'" in p and "not in the assignment" in p for p in problems)
    total = sum(c.metadata.get("nbgrader", {}).get("points", 0) for c in repaired.cells)
    assert total == sum(c.metadata.get("nbgrader", {}).get("points", 0) for c in source.cells)


def test_cells_that_are_not_cells_are_skipped(source):
    submitted = nbformat.from_dict(_student(source))
    submitted["cells"] = ["not a cell", None, 42] + list(submitted["cells"])
    repaired, problems = submission.repair(source, submitted)
    assert _ids(repaired) == _ids(source)
    assert sum("not a notebook cell" in p for p in problems) >= 1


@pytest.mark.parametrize("mangle", [
    lambda c: c.metadata.update(nbgrader="not a dict"),
    lambda c: c.metadata["nbgrader"].update(grade_id=["a", "list"]),
    lambda c: c.update(source=None),
    lambda c: c.update(source=["def double(x):\n", "    return 2 * x"]),
], ids=["nbgrader-not-dict", "grade-id-list", "source-none", "source-list"])
def test_mangled_cell_metadata_or_source_never_crashes(source, mangle):
    submitted = _student(source)
    mangle(_cell(submitted, "double_solution"))
    repaired, _ = submission.repair(source, submitted)
    assert [gid for gid in _ids(repaired) if gid is not None] == _ids(source)
    assert all(isinstance(c.source, str) for c in repaired.cells)


def test_a_submission_without_cells_is_the_source(source):
    repaired, problems = submission.repair(source, nbformat.from_dict({"metadata": {}}))
    assert _same_cells(repaired, source)
    assert any("missing" in p for p in problems)


# -- execution_key ------------------------------------------------------------------------------

def test_execution_key_is_stable(source):
    settings = Settings(timeout=3)
    first = submission.execution_key(source, settings)
    assert first == submission.execution_key(copy.deepcopy(source), Settings(timeout=3))
    assert len(first) == 64 and int(first, 16) >= 0


def test_execution_key_ignores_outputs(source):
    with_outputs = copy.deepcopy(source)
    with_outputs.cells[1].outputs = [nbformat.v4.new_output("stream", name="stdout", text="x")]
    assert submission.execution_key(with_outputs, Settings()) == submission.execution_key(source, Settings())


def test_execution_key_changes_with_a_source_a_role_or_the_settings(source):
    key = submission.execution_key(source, Settings())
    changed = copy.deepcopy(source)
    changed.cells[2].source += " "
    assert submission.execution_key(changed, Settings()) != key
    reflagged = copy.deepcopy(source)
    reflagged.cells[3].metadata["nbgrader"]["grade"] = False  # a test cell now a setup cell
    assert submission.execution_key(reflagged, Settings()) != key
    assert submission.execution_key(source, Settings(timeout=61)) != key
    assert submission.execution_key(source, Settings(memory_mb=2048)) != key
