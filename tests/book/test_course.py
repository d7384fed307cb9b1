"""The nbgrader pipeline end to end, through the real nbgrader command line and gradebook.

For the fixture course and for every assignment in solutions/: build the course, release it,
submit five students and autograde them in one run:

- ``reference``: the solution notebook itself            → every auto-graded cell full marks
- ``blank``: the released student notebook unchanged      → every auto-graded cell 0
- ``wrong``: all wrong answers of autograding/wrong_answers/<assignment>.json applied
                                                           → exactly the listed cells 0
- ``raises``: one exercise's solution replaced by code that raises → that exercise 0, rest full
- ``loops``: one exercise's solution replaced by ``while True: pass`` → same, and the run ends

then generate feedback and export the grades to CSV.  The expected scores come from the source
notebooks' nbgrader metadata and the wrong-answer files, not from nbgrader.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import nbformat
import pytest

from nnbook.book import course as nncourse

REPO = Path(__file__).resolve().parents[2]
FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "course"
CELL_TIMEOUT = 20  # short per-cell timeout so that the `loops` student costs 20 s, not 60


def _cases():
    cases = [pytest.param((FIXTURE / "solutions", FIXTURE / "wrong_answers", "fx01-fixture"), id="fixture")]
    real = nncourse.find_assignments(REPO / "solutions")
    for name in real:
        cases.append(pytest.param((REPO / "solutions", REPO / "autograding" / "wrong_answers", name), id=name))
    if not real:
        cases.append(pytest.param((None, None, None), id="solutions",
                                  marks=pytest.mark.skip(reason="solutions/ has no assignment yet")))
    return cases


def _meta(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {}) or {}


def auto_cells(nb) -> dict[str, float]:
    """grade_id → points of the auto-graded test cells (code grade cells that are not solutions)."""
    return {_meta(c)["grade_id"]: float(_meta(c).get("points", 0))
            for c in nb.cells
            if c.cell_type == "code" and _meta(c).get("grade") and not _meta(c).get("solution")}


def exercise_of(grade_id: str) -> str:
    return grade_id.split("_", 1)[0]


def solution_code_cells(nb, exercise: str) -> list:
    return [c for c in nb.cells if c.cell_type == "code" and _meta(c).get("solution")
            and not _meta(c).get("grade") and exercise_of(_meta(c).get("grade_id", "")) == exercise]


def breakable_exercise(nb) -> str:
    """The last auto-graded exercise that has a solution code cell (later ones cannot depend on it)."""
    candidates = [exercise_of(g) for g in auto_cells(nb) if solution_code_cells(nb, exercise_of(g))]
    assert candidates, "no auto-graded exercise with a solution code cell"
    return candidates[-1]


def replace_solutions(nb, exercise: str, code: str):
    nb = nbformat.from_dict(json.loads(json.dumps(nb)))  # deep copy
    for cell in solution_code_cells(nb, exercise):
        cell.source = code
    return nb


def apply_wrong_answers(notebooks: dict, wrong: dict) -> dict:
    """Copies of ``notebooks`` with each wrong answer's cell source replaced; every key must exist."""
    out = {name: nbformat.from_dict(json.loads(json.dumps(nb))) for name, nb in notebooks.items()}
    for grade_id, entry in wrong.items():
        cells = [c for nb in out.values() for c in nb.cells if _meta(c).get("grade_id") == grade_id]
        assert len(cells) == 1, f"wrong answer key {grade_id!r} matches {len(cells)} cells, expected 1"
        cells[0].source = entry["code"]
    return out


# --- fast checks of the course folder ----------------------------------------------------------

def test_build_course_writes_a_loadable_config(tmp_path, monkeypatch):
    from traitlets.config.loader import PyFileConfigLoader

    # the config file sets these with setdefault; pre-set them so loading it changes nothing here
    monkeypatch.setenv("NUMBA_CACHE_DIR", "unchanged")
    monkeypatch.setenv("MPLBACKEND", "Agg")
    course = nncourse.build_course(tmp_path / "c", solutions_dir=FIXTURE / "solutions", timeout=17, register=False)
    assert (course / "source" / "fx01-fixture" / "fx01-fixture.ipynb").read_bytes() == \
        (FIXTURE / "solutions" / "fx01-fixture" / "fx01-fixture.ipynb").read_bytes()
    config = PyFileConfigLoader("nbgrader_config.py", path=str(course)).load_config()
    assert config.CourseDirectory.course_id == "nnbook"
    assert config.CourseDirectory.root == str(course)
    assert config.Execute.timeout == 17 and config.Execute.interrupt_on_timeout is True
    assert "raise NotImplementedError()" in config.ClearSolutions.code_stub["python"]
    readme = (course / "README.md").read_text(encoding="utf-8")
    assert "nbgrader generate_assignment fx01-fixture" in readme and "nbgrader autograde fx01-fixture" in readme
    rubrics = (course / "rubrics.md").read_text(encoding="utf-8")
    assert "f3-why-square (2 points)" in rubrics and "average of non-negative numbers" in rubrics


def test_missing_solutions_and_bad_timeout_are_clear_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match="solutions folder not found"):
        nncourse.build_course(tmp_path / "c", solutions_dir=tmp_path / "nope")
    (tmp_path / "empty").mkdir()
    with pytest.raises(FileNotFoundError, match="no assignments"):
        nncourse.build_course(tmp_path / "c", solutions_dir=tmp_path / "empty")
    with pytest.raises(ValueError, match="timeout must be a positive"):
        nncourse.build_course(tmp_path / "c", solutions_dir=FIXTURE / "solutions", timeout=0)
    assert nncourse.find_assignments(FIXTURE / "solutions") == ["fx01-fixture"]


# --- the real pipeline ----------------------------------------------------------------------------

@pytest.fixture(scope="module", params=_cases())
def graded(request, tmp_path_factory):
    """Build, release, submit five students, autograde them in one nbgrader call, feedback, export."""
    solutions_dir, wrong_dir, assignment = request.param
    workdir = tmp_path_factory.mktemp(f"course-{assignment}")
    course = nncourse.build_course(workdir / "course", solutions_dir=solutions_dir, timeout=CELL_TIMEOUT)
    nncourse.run_nbgrader(course, "generate_assignment", assignment)

    sources = {p.name: nbformat.read(p, as_version=4) for p in sorted((solutions_dir / assignment).glob("*.ipynb"))}
    released = {name: course / "release" / assignment / name for name in sources}
    wrong_file = wrong_dir / f"{assignment}.json"
    assert wrong_file.is_file(), f"missing wrong answers file {wrong_file}"
    wrong = json.loads(wrong_file.read_text(encoding="utf-8"))

    first = next(name for name, nb in sources.items() if auto_cells(nb))
    broken = breakable_exercise(sources[first])

    nncourse.submit(course, "reference", assignment, sources)
    nncourse.submit(course, "blank", assignment, released)
    nncourse.submit(course, "wrong", assignment, apply_wrong_answers(sources, wrong))
    nncourse.submit(course, "raises", assignment, {
        **sources, first: replace_solutions(sources[first], broken, 'raise RuntimeError("broken on purpose")')})
    nncourse.submit(course, "loops", assignment, {
        **sources, first: replace_solutions(sources[first], broken, "while True:\n    pass")})

    log = nncourse.run_nbgrader(course, "autograde", assignment).stdout
    nncourse.run_nbgrader(course, "generate_feedback", assignment)
    nncourse.run_nbgrader(course, "export")
    grades = {s: nncourse.read_grades(course, assignment, s)
              for s in ("reference", "blank", "wrong", "raises", "loops")}
    return dict(course=course, assignment=assignment, sources=sources, wrong=wrong, broken=broken,
                first=first, grades=grades, log=log)


def _auto_scores(graded, student) -> dict[tuple[str, str], float]:
    """(notebook id, grade_id) → automatic score of ``student``, for every auto-graded cell."""
    return {(nb, gid): score for nb, cells in graded["grades"][student].items()
            for gid, (score, _max, auto) in cells.items() if auto}


def _expected_max(graded) -> dict[tuple[str, str], float]:
    return {(Path(name).stem, gid): pts for name, nb in graded["sources"].items()
            for gid, pts in auto_cells(nb).items()}


@pytest.mark.slow
def test_every_student_was_autograded(graded):
    for student in ("reference", "blank", "wrong", "raises", "loops"):
        for name in graded["sources"]:
            assert (graded["course"] / "autograded" / student / graded["assignment"] / name).is_file(), (
                f"{student}/{name} was not autograded; nbgrader log:\n{graded['log'][-3000:]}")
        assert set(_auto_scores(graded, student)) == set(_expected_max(graded))


@pytest.mark.slow
def test_reference_gets_full_automatic_marks(graded):
    scores = _auto_scores(graded, "reference")
    for key, points in _expected_max(graded).items():
        assert scores[key] == points, f"reference solution lost points in {key}"


@pytest.mark.slow
def test_blank_gets_zero(graded):
    for key, score in _auto_scores(graded, "blank").items():
        assert score == 0, f"the unchanged student notebook scored {score} in {key}"
    for nb, cells in graded["grades"]["blank"].items():  # unchanged written answers: 0 automatically
        for gid, (score, _max, auto) in cells.items():
            if not auto:
                assert score == 0, f"unanswered written answer {gid} was not scored 0"


@pytest.mark.slow
def test_wrong_answers_lose_exactly_the_listed_cells(graded):
    lost = {gid for entry in graded["wrong"].values() for gid in entry["loses"]}
    expected = _expected_max(graded)
    assert lost <= {gid for _nb, gid in expected}, f"`loses` names unknown cells: {lost - {g for _n, g in expected}}"
    scores = _auto_scores(graded, "wrong")
    for (nb, gid), points in expected.items():
        want = 0 if gid in lost else points
        assert scores[(nb, gid)] == want, (
            f"with the wrong answers applied, {gid} scored {scores[(nb, gid)]}, expected {want}")


@pytest.mark.slow
@pytest.mark.parametrize("student", ["raises", "loops"])
def test_one_broken_exercise_loses_only_its_points(graded, student):
    scores = _auto_scores(graded, student)
    first = Path(graded["first"]).stem
    for (nb, gid), points in _expected_max(graded).items():
        want = 0 if (nb == first and exercise_of(gid) == graded["broken"]) else points
        assert scores[(nb, gid)] == want, f"{student}: {gid} scored {scores[(nb, gid)]}, expected {want}"


@pytest.mark.slow
def test_feedback_and_export(graded):
    course, assignment = graded["course"], graded["assignment"]
    for student in ("reference", "blank", "wrong"):
        for name in graded["sources"]:
            html = course / "feedback" / student / assignment / (Path(name).stem + ".html")
            assert html.is_file() and html.stat().st_size > 0, f"no feedback {html}"
    with open(course / "grades.csv", newline="", encoding="utf-8") as f:
        rows = {r["student_id"]: r for r in csv.DictReader(f) if r["assignment"] == assignment}
    total = sum(_expected_max(graded).values())
    lost = {gid for entry in graded["wrong"].values() for gid in entry["loses"]}
    lost_points = sum(p for (_nb, gid), p in _expected_max(graded).items() if gid in lost)
    assert float(rows["reference"]["score"]) == pytest.approx(total)
    assert float(rows["blank"]["score"]) == pytest.approx(0.0)
    assert float(rows["wrong"]["score"]) == pytest.approx(total - lost_points)
    manual = sum(float(_meta(c).get("points", 0)) for nb in graded["sources"].values() for c in nb.cells
                 if _meta(c).get("grade") and _meta(c).get("solution"))
    assert float(rows["reference"]["max_score"]) == pytest.approx(total + manual)


@pytest.mark.slow
def test_numba_kernels_cache_inside_the_course(graded):
    source = graded["course"] / "source" / graded["assignment"]
    if not any("njit" in p.read_text(encoding="utf-8") for p in source.glob("*.py")):
        pytest.skip("this assignment ships no Numba helper of its own")
    cached = sorted(p.name for p in (graded["course"] / ".numba_cache").rglob("*.nbi"))
    assert cached, "no Numba cache index in <course>/.numba_cache: NUMBA_CACHE_DIR did not reach the kernels"
