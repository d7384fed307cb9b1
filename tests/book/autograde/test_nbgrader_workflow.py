"""The instructor's nbgrader workflow still works behind the trust boundary.

One fixture course, two students (the reference and one whose f1 is wrong): autograde, grade a
written answer by hand, autograde again with ``--force`` (the manual score survives), feedback
(shows which check failed, not the hidden tests' code or expected values), export.
"""

import csv
import json
from pathlib import Path

import nbformat
import pytest

from nnbook.book import course as nncourse

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "course"
ASSIGNMENT = "fx01-fixture"
HIDDEN_CODE = "np.arange(3.0)"  # a line of f1's hidden tests


def _meta(cell):
    return cell.get("metadata", {}).get("nbgrader", {}) or {}


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    course = nncourse.build_course(tmp_path_factory.mktemp("workflow") / "course",
                                   solutions_dir=FIXTURE / "solutions", timeout=20)
    nncourse.run_nbgrader(course, "generate_assignment", ASSIGNMENT)
    source = nbformat.read(FIXTURE / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    wrong = json.loads(json.dumps(source))
    for cell in wrong["cells"]:
        if _meta(cell).get("grade_id") == "f1-double_solution":
            cell["source"] = "def double(x):\n    return 2 * x if np.ndim(x) == 0 else 2 * x + 1\n"
    nncourse.submit(course, "reference", ASSIGNMENT, {f"{ASSIGNMENT}.ipynb": source})
    nncourse.submit(course, "sloppy", ASSIGNMENT, {f"{ASSIGNMENT}.ipynb": nbformat.from_dict(wrong)})
    log = nncourse.run_nbgrader(course, "autograde", ASSIGNMENT).stdout
    return course, log


def _grade(course, student, grade_id):
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "nnbook") as gb:
        grade = gb.find_grade(grade_id, ASSIGNMENT, ASSIGNMENT, student)
        return grade.auto_score, grade.manual_score


def test_untouched_notebooks_raise_no_checksum_warnings(course):
    _course, log = course
    assert "checksum" not in log.lower(), log[-2000:]


def test_manual_grades_survive_a_regrade(course):
    from nbgrader.api import Gradebook

    course, _log = course
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "nnbook") as gb:
        grade = gb.find_grade("f3-why-square_answer", ASSIGNMENT, ASSIGNMENT, "reference")
        grade.manual_score = 1.5
        gb.db.commit()
    nncourse.run_nbgrader(course, "autograde", ASSIGNMENT, "--force")
    assert _grade(course, "reference", "f3-why-square_answer")[1] == 1.5
    assert _grade(course, "reference", "f1-double_test")[0] == 2.0
    assert _grade(course, "sloppy", "f1-double_test")[0] == 0.0


def test_feedback_names_the_failed_check_without_hidden_code_or_expected_values(course):
    course, _log = course
    nncourse.run_nbgrader(course, "generate_feedback", ASSIGNMENT)
    html = (course / "feedback" / "sloppy" / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text(encoding="utf-8")
    assert "a hidden test failed" in html
    assert HIDDEN_CODE not in html and "BEGIN HIDDEN TESTS" not in html
    autograded = nbformat.read(course / "autograded" / "sloppy" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    (test,) = [c for c in autograded.cells if _meta(c).get("grade_id") == "f1-double_test"]
    errors = [o for o in test.outputs if o.output_type == "error"]
    assert errors and "double([0, 1, 2])" in errors[0].evalue  # what was checked ...
    assert "[0.0, 2.0, 4.0]" not in json.dumps(test.outputs)  # ... not what was expected


def test_export_writes_every_student(course):
    course, _log = course
    nncourse.run_nbgrader(course, "export")
    with open(course / "grades.csv", newline="", encoding="utf-8") as handle:
        rows = {row["student_id"]: row for row in csv.DictReader(handle)}
    assert set(rows) >= {"reference", "sloppy"}
    assert float(rows["reference"]["score"]) > float(rows["sloppy"]["score"])
