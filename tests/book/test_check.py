"""``nnbook check``: visible checks only, one line per exercise, exit codes.

Expected scores are the points written in the notebooks' nbgrader metadata (the fixture:
f1 has one 2-point test cell, f2 two 1-point test cells, f3 a 2-point written answer).
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import nbformat
import pytest

from nnbook.book import course as nncourse
from nnbook.book.check import exercise_id, run_check, strip_hidden_tests

REPO = Path(__file__).resolve().parents[2]
FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "course"
FIXTURE_NB = FIXTURE / "solutions" / "fx01-fixture" / "fx01-fixture.ipynb"
FIXTURE_POINTS = 4  # f1: 2, f2: 1 + 1 (f3's 2 written-answer points are not auto-graded)


def check(path, **kwargs) -> tuple[int, list[str]]:
    out = io.StringIO()
    code = run_check(path, out=out, **kwargs)
    return code, out.getvalue().splitlines()


def auto_points(path) -> float:
    nb = nbformat.read(path, as_version=4)
    total = 0.0
    for cell in nb.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell.cell_type == "code" and meta.get("grade") and not meta.get("solution"):
            total += float(meta.get("points", 0))
    return total


def fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


# --- pure helpers -------------------------------------------------------------------------------

def test_strip_hidden_tests_keeps_only_visible_lines():
    source = "a = 1\n### BEGIN HIDDEN TESTS\nb = 2\n### END HIDDEN TESTS\nc = 3\n"
    assert strip_hidden_tests(source) == "a = 1\nc = 3\n"
    assert strip_hidden_tests("x\n### BEGIN HIDDEN TESTS\ny") == "x\n"
    assert strip_hidden_tests("no hidden part") == "no hidden part"


def test_exercise_id_is_the_part_before_the_first_underscore():
    assert exercise_id("x1-scale-invariance_test2") == "x1-scale-invariance"
    assert exercise_id("i4-nand-table_answer") == "i4-nand-table"
    assert exercise_id("setup") == "setup"


# --- bad input ----------------------------------------------------------------------------------

def test_missing_file_exits_2(tmp_path):
    code, lines = check(tmp_path / "nope.ipynb")
    assert code == 2
    assert "no such file" in lines[-1] and "nope.ipynb" in lines[-1]


def test_not_a_notebook_exits_2(tmp_path):
    bogus = tmp_path / "bogus.ipynb"
    bogus.write_text("this is not json", encoding="utf-8")
    code, lines = check(bogus)
    assert code == 2 and "not a Jupyter notebook" in "\n".join(lines)
    code, lines = check(tmp_path)
    assert code == 2 and "directory" in "\n".join(lines)


def test_notebook_without_grade_cells_exits_2(tmp_path):
    plain = tmp_path / "plain.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")]), plain)
    code, lines = check(plain)
    assert code == 2 and "no nbgrader cells" in lines[-1]


# --- the fixture notebook -----------------------------------------------------------------------

@pytest.mark.slow
def test_reference_passes_with_full_visible_score():
    assert auto_points(FIXTURE_NB) == FIXTURE_POINTS
    code, lines = check(FIXTURE_NB)
    assert code == 0, "\n".join(lines)
    assert lines[-1] == f"score: {FIXTURE_POINTS} / {FIXTURE_POINTS}"
    assert any(line.startswith("✓ f1-double") and "2/2" in line for line in lines)
    assert any(line.startswith("○ f3-why-square") and "graded by your instructor" in line for line in lines)


def _wrong(tmp_path, grade_id, code_text) -> Path:
    nb = nbformat.read(FIXTURE_NB, as_version=4)
    [cell] = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id]
    cell.source = code_text
    path = tmp_path / "fx01-fixture.ipynb"
    nbformat.write(nb, path)
    return path


@pytest.mark.slow
def test_wrong_answer_names_the_exercise_with_expected_and_found(tmp_path):
    wrong = json.loads((FIXTURE / "wrong_answers" / "fx01-fixture.json").read_text(encoding="utf-8"))
    path = _wrong(tmp_path, "f1-double_solution", wrong["f1-double_solution"]["code"])  # x + 2
    code, lines = check(path)
    text = "\n".join(lines)
    assert code == 1
    assert any(line.startswith("✗ f1-double") and "0/2" in line for line in lines), text
    assert any(line.startswith("✓ f2-mean-square") and "2/2" in line for line in lines), text
    failure = text.split("✗ f1-double", 1)[1].split("✓", 1)[0]
    assert "double(3.0)" in failure, failure
    assert "expected 6" in failure and "found 5" in failure, failure  # 2 * 3 expected, 3 + 2 found
    assert "Traceback" not in text
    assert lines[-1] == f"score: 2 / {FIXTURE_POINTS}"


@pytest.mark.slow
def test_raising_and_looping_cells_are_reported_and_the_run_goes_on(tmp_path):
    nb = nbformat.read(FIXTURE_NB, as_version=4)
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if gid == "f1-double_solution":
            cell.source = "while True:\n    pass"
        elif gid == "f2-mean-square_solution":
            cell.source = "def mean_square(v):\n    return 1 / 0"
    path = tmp_path / "broken.ipynb"
    nbformat.write(nb, path)
    code, lines = check(path, timeout=3)
    text = "\n".join(lines)
    assert code == 1
    assert "time limit" in text.split("✗ f1-double", 1)[1].split("✗ f2", 1)[0], text
    assert "ZeroDivisionError" in text.split("✗ f2-mean-square", 1)[1], text
    assert lines[-1] == f"score: 0 / {FIXTURE_POINTS}"


@pytest.mark.slow
def test_a_dead_kernel_fails_every_cell_that_did_not_run(tmp_path):
    path = _wrong(tmp_path, "f2-mean-square_solution", "import os\nos._exit(1)")
    code, lines = check(path, timeout=20)
    text = "\n".join(lines)
    assert code == 1
    assert any(line.startswith("✓ f1-double") for line in lines), text  # ran before the crash
    assert "kernel died" in text.split("✗ f2-mean-square", 1)[1], text
    assert lines[-1] == f"score: 2 / {FIXTURE_POINTS}"


# --- the student version, generated by nbgrader ---------------------------------------------------

@pytest.fixture(scope="module")
def fixture_release(tmp_path_factory):
    target = tmp_path_factory.mktemp("exercises")
    nncourse.generate_exercises(FIXTURE / "solutions", target)
    return target / "fx01-fixture" / "fx01-fixture.ipynb"


@pytest.mark.slow
def test_student_release_scores_zero_and_says_not_answered(fixture_release):
    code, lines = check(fixture_release)
    assert code == 1
    assert lines[-1] == f"score: 0 / {FIXTURE_POINTS}"
    assert "not answered yet" in "\n".join(lines)
    assert not any(line.startswith("!") for line in lines), lines  # the setup cell ran fine


# --- the real assignments in solutions/ and exercises/ ------------------------------------------

def _real_notebooks():
    params = []
    for name in nncourse.find_assignments(REPO / "solutions"):
        for nb in sorted((REPO / "solutions" / name).glob("*.ipynb")):
            params.append(pytest.param(nb, id=f"{name}/{nb.name}"))
    return params or [pytest.param(None, marks=pytest.mark.skip(reason="solutions/ has no assignment yet"))]


@pytest.mark.slow
@pytest.mark.parametrize("source_nb", _real_notebooks())
def test_real_solution_passes_and_student_version_scores_zero(source_nb):
    total = auto_points(source_nb)
    code, lines = check(source_nb)
    assert code == 0, "\n".join(lines)
    assert lines[-1] == f"score: {fmt(total)} / {fmt(total)}"
    student = REPO / "exercises" / source_nb.parent.name / source_nb.name
    if not student.is_file():
        pytest.skip(f"{student} not generated yet (nnbook course exercises)")
    code, lines = check(student)
    assert code == 1
    assert lines[-1] == f"score: 0 / {fmt(total)}"
