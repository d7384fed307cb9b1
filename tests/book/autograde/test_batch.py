"""``nnbook grade``: parallel and Dask autograding give serial nbgrader's scores, reruns are
idempotent, a changed submission is regraded and an unreadable file is skipped, not fatal.

One small course (``tests/fixtures/course``) is built and released once; each test grades its
own copy of it. Students: ``reference`` (the solution notebook: 4 automatic points),
``blank`` (the released notebook: 0), ``wrong`` (``double`` adds 2: loses the 2 points of
``f1-double_test`` only) and ``garbled`` (a file that is not JSON). The expected scores come from
the notebook's nbgrader metadata; serial ``nbgrader autograde`` must agree with them too.
"""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import nbformat
import pytest

from nnbook.book import course as nncourse
from nnbook.book.autograde import batch
from nnbook.book.cli import main

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "course"
ASSIGNMENT = "fx01-fixture"
NOTEBOOK = f"{ASSIGNMENT}.ipynb"
CELL_TIMEOUT = 20
GRADED = ("reference", "blank", "wrong")
WRONG_DOUBLE = "def double(x):\n    return x + 2"


def _test_cells(nb) -> dict[str, float]:
    """grade_id → points of the auto-graded test cells, from the notebook's metadata."""
    return {c.metadata["nbgrader"]["grade_id"]: float(c.metadata["nbgrader"]["points"])
            for c in nb.cells if c.cell_type == "code"
            and c.metadata.get("nbgrader", {}).get("grade") and not c.metadata["nbgrader"].get("solution")}


def _with_solution(nb, grade_id: str, code: str):
    nb = nbformat.from_dict(json.loads(json.dumps(nb)))
    [cell] = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id]
    cell.source = code
    return nb


@pytest.fixture(scope="module")
def released(tmp_path_factory) -> Path:
    """The fixture course, released, with the four submissions in place (not graded)."""
    source = nbformat.read(FIXTURE / "solutions" / ASSIGNMENT / NOTEBOOK, as_version=4)
    course = nncourse.build_course(tmp_path_factory.mktemp("released") / "course",
                                   solutions_dir=FIXTURE / "solutions", timeout=CELL_TIMEOUT)
    nncourse.run_nbgrader(course, "generate_assignment", ASSIGNMENT)
    blank = course / "release" / ASSIGNMENT / NOTEBOOK
    for student, nb in {"reference": source, "blank": blank,
                        "wrong": _with_solution(source, "f1-double_solution", WRONG_DOUBLE)}.items():
        nncourse.submit(course, student, ASSIGNMENT, {NOTEBOOK: nb})
    garbled = course / "submitted" / "garbled" / ASSIGNMENT
    garbled.mkdir(parents=True)
    (garbled / NOTEBOOK).write_text('{"cells": [', encoding="utf-8")
    return course


def _copy(released: Path, where: Path) -> Path:
    return nncourse.copy_course(released, where / "course", [ASSIGNMENT], CELL_TIMEOUT)


def _scores(course: Path, students=GRADED) -> dict[str, dict[str, float]]:
    """student → {test grade_id: automatic score} in the course's gradebook."""
    return {student: {gid: score for gid, (score, _max, auto)
                      in nncourse.read_grades(course, ASSIGNMENT, student)[ASSIGNMENT].items() if auto}
            for student in students}


@pytest.fixture(scope="module")
def expected() -> dict[str, dict[str, float]]:
    points = _test_cells(nbformat.read(FIXTURE / "solutions" / ASSIGNMENT / NOTEBOOK, as_version=4))
    assert points == {"f1-double_test": 2.0, "f2-mean-square_test": 1.0, "f2-mean-square_test2": 1.0}
    return {"reference": points, "blank": dict.fromkeys(points, 0.0),
            "wrong": {**points, "f1-double_test": 0.0}}


@pytest.fixture(scope="module")
def serial(released, expected, tmp_path_factory) -> dict[str, dict[str, float]]:
    """Scores of plain serial ``nbgrader autograde`` (it fails on ``garbled`` alone)."""
    course = _copy(released, tmp_path_factory.mktemp("serial"))
    nncourse.run_nbgrader(course, "autograde", ASSIGNMENT, check=False)
    scores = _scores(course)
    assert scores == expected, "serial nbgrader autograde itself disagrees with the metadata"
    return scores


@pytest.fixture(scope="module")
def parallel(released, tmp_path_factory):
    """A copy of the course graded by ``grade_assignment`` with 2 worker processes."""
    course = _copy(released, tmp_path_factory.mktemp("parallel"))
    said = []
    report = batch.grade_assignment(course, ASSIGNMENT, workers=2, progress=False, say=said.append)
    return course, report, said


@pytest.mark.slow
def test_two_workers_grade_like_serial_nbgrader_and_skip_the_unreadable_file(parallel, serial):
    course, report, said = parallel
    assert _scores(course) == serial
    assert report.executed == 3 and report.cached == 0, "every readable notebook runs in phase 1"
    assert report.missed == 0, "nbgrader executed notebooks itself: phase 1's work was not used"
    assert sorted(report.regraded) == sorted(GRADED)
    rows = {r.student: r for r in report.results}
    assert [r.student for r in report.results] == sorted(rows)
    for student in GRADED:
        assert rows[student].status == "graded" and rows[student].score == sum(serial[student].values())
    assert rows["garbled"].status == "not graded" and rows["garbled"].score is None
    assert "not a readable notebook" in rows["garbled"].problems[0]
    assert report.exit_status == 1, "the unreadable submission needs a look"
    table = report.table()
    assert "garbled: fx01-fixture.ipynb is not a readable notebook" in table
    assert not (course / "autograded" / "garbled").exists()


@pytest.mark.slow
def test_a_rerun_does_nothing_and_a_changed_submission_is_regraded(parallel, expected):
    course, _first, _said = parallel
    outputs = sorted((course / "autograded").rglob("*.ipynb"))
    stamps = {path: path.stat().st_mtime_ns for path in outputs}
    said = []
    again = batch.grade_assignment(course, ASSIGNMENT, workers=2, progress=False, say=said.append)
    assert again.regraded == [] and again.executed == again.cached == 0 and again.log is None
    assert said and said[0].startswith("nothing new to grade")
    assert {path: path.stat().st_mtime_ns for path in outputs} == stamps, "nbgrader ran again"
    assert [r.status for r in again.results if r.student in GRADED] == ["unchanged"] * 3

    # blank resubmits, solved (written unlike the reference, so not in the execution cache):
    # only blank is executed and graded again, now with full marks
    source = nbformat.read(FIXTURE / "solutions" / ASSIGNMENT / NOTEBOOK, as_version=4)
    solved = _with_solution(source, "f1-double_solution", "def double(x):\n    return x * 2")
    nncourse.submit(course, "blank", ASSIGNMENT, {NOTEBOOK: solved})
    changed = batch.grade_assignment(course, ASSIGNMENT, workers=2, progress=False, say=said.append)
    assert changed.regraded == ["blank"] and changed.executed == 1 and changed.missed == 0
    assert _scores(course) == {**expected, "blank": expected["reference"]}
    unchanged = [p for p in outputs if "blank" not in p.parts]
    assert all(p.stat().st_mtime_ns == stamps[p] for p in unchanged)


@pytest.mark.slow
def test_the_dask_path_grades_the_same_scores(released, serial, tmp_path):
    """Two students (a pass and a fail) on a LocalCluster of two worker processes."""
    distributed = pytest.importorskip("dask.distributed")
    course, students = _copy(released, tmp_path), ["reference", "wrong"]
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                  dashboard_address=None, silence_logs=logging.ERROR) as cluster:
        report = batch.grade_assignment(course, ASSIGNMENT, scheduler=cluster.scheduler_address,
                                        students=students, progress=False, say=lambda line: None)
    assert _scores(course, students) == {student: serial[student] for student in students}
    assert report.executed == 2 and report.missed == 0 and report.regraded == students
    assert not (course / "autograded" / "blank").exists(), "a student not asked for was graded"


def test_usage_errors_exit_2(tmp_path, capsys):
    course = tmp_path / "course"
    assert main(["grade", ASSIGNMENT, "--course", str(course), "--quiet"]) == 2
    assert "not an nbgrader course" in capsys.readouterr().err
    (course / "source" / ASSIGNMENT).mkdir(parents=True)
    (course / "nbgrader_config.py").write_text("c = get_config()\n", encoding="utf-8")
    assert main(["grade", "no-such-assignment", "--course", str(course), "--quiet"]) == 2
    assert "no notebooks in" in capsys.readouterr().err
    shutil.copyfile(FIXTURE / "solutions" / ASSIGNMENT / NOTEBOOK, course / "source" / ASSIGNMENT / NOTEBOOK)
    assert main(["grade", ASSIGNMENT, "--course", str(course), "--student", "nobody", "--quiet"]) == 2
    assert "no submission of fx01-fixture for nobody" in capsys.readouterr().err
    with pytest.raises(SystemExit) as stop:
        main(["grade", ASSIGNMENT, "--workers", "2", "--scheduler", "tcp://127.0.0.1:1"])
    assert stop.value.code == 2
