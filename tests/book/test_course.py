"""The nbgrader pipeline end to end, through the real nbgrader command line and gradebook.

For the fixture course and for every assignment in solutions/: build the course, release it,
submit the students below and autograde them all in one ``nbgrader autograde`` run:

- ``reference``: the solution notebook itself            → every auto-graded cell full marks
- ``blank``: the released student notebook unchanged      → every auto-graded cell 0
- ``wrong<k>``: round k of autograding/wrong_answers/<assignment>.json, i.e. the k-th wrong answer
  of every exercise at once                               → exactly the cells they list 0
- ``right<k>``: round k of autograding/right_answers/<assignment>.json (correct answers written
  differently from the reference)                        → every auto-graded cell full marks
- ``broken``: one exercise's solution replaced by code that raises and, in the fixture course,
  another's by ``while True: pass`` → those exercises 0, the rest full, and the run ends (an
  assignment with a single breakable exercise gets two students, ``raises`` and ``loops``,
  instead). The time limit that stops the loop is the course's, the same for every assignment:
  it is tested once, in the fixture course, not once per assignment at 20 s each.

then generate feedback (for every fixture student; for the reference and the first wrong round
of a real assignment, a passing and a failing notebook, since converting each notebook to HTML
takes seconds) and export the grades to CSV.  The expected scores come from the source
notebooks' nbgrader metadata and the answer files, not from nbgrader.

The answer files (format in autograding/README.md) map a solution cell's grade_id to a list of
answers, each the cell's whole new source (``code``) or edits of the reference source (``edit``:
[old, new] pairs, each ``old`` found exactly once); a single answer may stand without the list.
The fast tests at the top check the files against the notebooks without running anything.
"""

from __future__ import annotations

import csv
import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest

from nnbook.book import course as nncourse

REPO = Path(__file__).resolve().parents[2]
FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "course"
CELL_TIMEOUT = 20  # short per-cell timeout so that the `loops` student costs 20 s, not 60
#: Answers required per auto-graded exercise: (wrong, right), for every assignment; the fixture
#: course, which only exercises the pipeline, needs one wrong answer.
MINIMUM_ANSWERS = (3, 1)
FIRST_FORMAT = {"fx01-fixture": (1, 0)}


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


def breakable_exercises(nb) -> list[str]:
    """The last two auto-graded exercises that have a solution code cell, last first (or the one
    there is); later exercises cannot depend on them."""
    candidates = list(dict.fromkeys(exercise_of(g) for g in auto_cells(nb) if solution_code_cells(nb, exercise_of(g))))
    assert candidates, "no auto-graded exercise with a solution code cell"
    return candidates[::-1][:2]


def replace_solutions(nb, replacements: dict[str, str]):
    """A copy of ``nb`` with the solution code cells of each exercise replaced by its code."""
    nb = nbformat.from_dict(json.loads(json.dumps(nb)))  # deep copy
    for exercise, code in replacements.items():
        for cell in solution_code_cells(nb, exercise):
            cell.source = code
    return nb


RAISES, LOOPS = 'raise RuntimeError("broken on purpose")', "while True:\n    pass"


def broken_students(nb, loops: bool = True) -> dict[str, dict[str, str]]:
    """student → {exercise: code}: one student with a raising and (``loops``) a looping exercise,
    or two students (``raises``, ``loops``) when the notebook has only one exercise to break."""
    exercises = breakable_exercises(nb)
    if not loops:
        return {"broken": {exercises[0]: RAISES}}
    if len(exercises) == 2:
        return {"broken": {exercises[0]: RAISES, exercises[1]: LOOPS}}
    return {"raises": {exercises[0]: RAISES}, "loops": {exercises[0]: LOOPS}}


def _is_fixture(case) -> bool:
    return Path(case[0]) == FIXTURE / "solutions"


def feedback_students(case, students) -> list[str]:
    """Who gets HTML feedback: every fixture student; the reference and wrong1 elsewhere."""
    return list(students) if _is_fixture(case) else [s for s in ("reference", "wrong1") if s in students]


# --- answer files ---------------------------------------------------------------------------------

def answers_dir(wrong_dir: Path, kind: str) -> Path:
    """``wrong_answers/`` itself, or its sibling ``right_answers/``."""
    return wrong_dir if kind == "wrong" else wrong_dir.parent / "right_answers"


def load_answers(folder: Path, assignment: str) -> dict[str, list[dict]]:
    """solution grade_id → its answers ({} when the file does not exist); one answer given without
    a list (the first format of the wrong answers) is a list of one."""
    path = folder / f"{assignment}.json"
    if not path.is_file():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return {gid: entries if isinstance(entries, list) else [entries] for gid, entries in data.items()}


def answer_source(reference: str, entry: dict, where: str) -> str:
    """The solution cell's source with ``entry`` applied (its ``code``, or its ``edit`` pairs)."""
    if "code" in entry:
        return entry["code"]
    source = reference
    for old, new in entry["edit"]:
        found = source.count(old)
        assert found == 1, f"{where}: the edit's old text occurs {found} times in the cell, expected once: {old[:80]!r}"
        source = source.replace(old, new)
    return source


def answer_rounds(notebooks: dict, answers: dict[str, list[dict]]) -> list[list[tuple[str, dict]]]:
    """Round k holds the k-th answer of every exercise: (solution grade_id, answer) pairs. An
    exercise's answers are those of its solution cells, in notebook order."""
    order = [_meta(c).get("grade_id") for nb in notebooks.values() for c in nb.cells]
    per_exercise: dict[str, list] = {}
    for gid in sorted(answers, key=lambda g: order.index(g) if g in order else len(order)):
        per_exercise.setdefault(exercise_of(gid), []).extend((gid, entry) for entry in answers[gid])
    depth = max((len(v) for v in per_exercise.values()), default=0)
    return [[entries[k] for entries in per_exercise.values() if k < len(entries)] for k in range(depth)]


def apply_answers(notebooks: dict, answers) -> dict:
    """Copies of ``notebooks`` with each (grade_id, answer) applied to its solution cell."""
    out = {name: nbformat.from_dict(json.loads(json.dumps(nb))) for name, nb in notebooks.items()}
    for grade_id, entry in answers:
        cells = [c for nb in out.values() for c in nb.cells if _meta(c).get("grade_id") == grade_id]
        assert len(cells) == 1, f"answer key {grade_id!r} matches {len(cells)} cells, expected 1"
        cells[0].source = answer_source(cells[0].source, entry, grade_id)
    return out


def _assignments():
    cases = [(FIXTURE / "solutions", FIXTURE / "wrong_answers", "fx01-fixture")]
    cases += [(REPO / "solutions", REPO / "autograding" / "wrong_answers", name)
              for name in nncourse.find_assignments(REPO / "solutions")]
    return [pytest.param(case, id=case[2]) for case in cases]


@pytest.mark.parametrize("case", _assignments())
def test_answer_files_fit_the_notebooks(case):
    """Fast: every answer names a solution cell, applies to it, changes it, says why; wrong ones
    list test cells of their own exercise; every auto-graded exercise has enough of each kind."""
    solutions_dir, wrong_dir, assignment = case
    notebooks = {p.name: nbformat.read(p, as_version=4) for p in sorted((solutions_dir / assignment).glob("*.ipynb"))}
    cells = {_meta(c)["grade_id"]: c for nb in notebooks.values() for c in nb.cells if _meta(c).get("grade_id")}
    tests = {gid for nb in notebooks.values() for gid in auto_cells(nb)}
    minimum = dict(zip(("wrong", "right"), FIRST_FORMAT.get(assignment, MINIMUM_ANSWERS)))
    for kind in ("wrong", "right"):
        folder = answers_dir(wrong_dir, kind)
        answers = load_answers(folder, assignment)
        if minimum[kind]:
            assert (folder / f"{assignment}.json").is_file(), f"missing {kind} answers: {folder / assignment}.json"
        counts: dict[str, int] = {}
        for gid, entries in answers.items():
            where = f"{kind}_answers/{assignment}.json, {gid}"
            cell = cells.get(gid)
            assert cell is not None and cell.cell_type == "code" and _meta(cell).get("solution") \
                and not _meta(cell).get("grade"), f"{where}: answers replace a solution code cell; no such cell"
            for number, entry in enumerate(entries, start=1):
                at = f"{where} #{number}"
                assert set(entry) in ({"code", "why"}, {"edit", "why"}, {"code", "loses", "why"},
                                      {"edit", "loses", "why"}), f"{at}: unexpected keys {sorted(entry)}"
                assert entry["why"].strip(), f"{at}: say why"
                source = answer_source(cell.source, entry, at)
                assert source.strip() and source != cell.source, f"{at}: the answer does not change the cell"
                if kind == "wrong":
                    assert entry.get("loses"), f"{at}: a wrong answer must list the test cells it fails"
                    for lost in entry["loses"]:
                        assert lost in tests and exercise_of(lost) == exercise_of(gid), (
                            f"{at}: loses {lost!r}, which is not a test cell of {exercise_of(gid)}")
                else:
                    assert "loses" not in entry, f"{at}: a right answer loses nothing"
            counts[exercise_of(gid)] = counts.get(exercise_of(gid), 0) + len(entries)
        for exercise in sorted({exercise_of(t) for t in tests}):
            assert counts.get(exercise, 0) >= minimum[kind], (
                f"{assignment}: auto-graded exercise {exercise} has {counts.get(exercise, 0)} {kind} "
                f"answer(s), expected at least {minimum[kind]}")


def test_answer_rounds_take_the_kth_answer_of_every_exercise():
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("a = 1", metadata={"nbgrader": {"grade_id": "e1-x_solution", "solution": True}}),
        nbformat.v4.new_code_cell("b = 1", metadata={"nbgrader": {"grade_id": "e2-y_solution", "solution": True}})])
    answers = {"e2-y_solution": [{"code": "b = 2"}, {"edit": [["1", "3"]]}], "e1-x_solution": [{"code": "a = 2"}]}
    rounds = answer_rounds({"n.ipynb": nb}, answers)
    assert rounds == [[("e1-x_solution", {"code": "a = 2"}), ("e2-y_solution", {"code": "b = 2"})],
                      [("e2-y_solution", {"edit": [["1", "3"]]})]]
    applied = apply_answers({"n.ipynb": nb}, rounds[1])["n.ipynb"]
    assert [c.source for c in applied.cells] == ["a = 1", "b = 3"] and nb.cells[1].source == "b = 1"
    with pytest.raises(AssertionError, match="occurs 0 times"):
        answer_source("b = 1", {"edit": [["c", "d"]]}, "here")


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

def _grade(case, workdir: Path) -> dict:
    """Build, release, submit every student, autograde them in one nbgrader call, feedback, export."""
    solutions_dir, wrong_dir, assignment = case
    course = nncourse.build_course(workdir / "course", solutions_dir=solutions_dir, timeout=CELL_TIMEOUT)
    nncourse.run_nbgrader(course, "generate_assignment", assignment)

    sources = {p.name: nbformat.read(p, as_version=4) for p in sorted((solutions_dir / assignment).glob("*.ipynb"))}
    released = {name: course / "release" / assignment / name for name in sources}
    assert (wrong_dir / f"{assignment}.json").is_file(), f"missing wrong answers file {wrong_dir / assignment}.json"
    rounds = {kind: answer_rounds(sources, load_answers(answers_dir(wrong_dir, kind), assignment))
              for kind in ("wrong", "right")}

    first = next(name for name, nb in sources.items() if auto_cells(nb))
    broken = broken_students(sources[first], loops=_is_fixture(case))

    students = {"reference": sources, "blank": released}
    for kind, kind_rounds in rounds.items():
        for k, answers in enumerate(kind_rounds, start=1):
            students[f"{kind}{k}"] = apply_answers(sources, answers)
    for student, replacements in broken.items():
        students[student] = {**sources, first: replace_solutions(sources[first], replacements)}
    for student, notebooks in students.items():
        nncourse.submit(course, student, assignment, notebooks)

    log = nncourse.run_nbgrader(course, "autograde", assignment).stdout
    for student in feedback_students(case, students):
        nncourse.run_nbgrader(course, "generate_feedback", assignment, "--student", student)
    nncourse.run_nbgrader(course, "export")
    grades = {s: nncourse.read_grades(course, assignment, s) for s in students}
    return dict(course=course, assignment=assignment, sources=sources, rounds=rounds, broken=broken,
                first=first, grades=grades, log=log, case=case)


def _grading_work(case) -> int:
    """About how long a case takes to grade: its code cells times its students (reference,
    blank, broken ones and one per answer round). Ordering the cases by it, longest first,
    lets the two grading threads end closer together (five courses: 228 s instead of 242 s)."""
    solutions_dir, wrong_dir, assignment = case
    notebooks = {p.name: nbformat.read(p, as_version=4)
                 for p in sorted((solutions_dir / assignment).glob("*.ipynb"))}
    cells = sum(c.cell_type == "code" for nb in notebooks.values() for c in nb.cells)
    rounds = sum(len(answer_rounds(notebooks, load_answers(answers_dir(wrong_dir, kind), assignment)))
                 for kind in ("wrong", "right"))
    return cells * (rounds + 4)


@pytest.fixture(scope="session")
def all_graded(tmp_path_factory) -> dict:
    """Every case graded, two courses at a time: each course has its own folder and gradebook,
    and much of a run is waiting (kernels starting, the ``loops`` student's time limit), so two
    share the machine's cores well. {assignment: its results, or the exception it raised}."""
    cases = sorted((param.values[0] for param in _cases() if param.values[0][0] is not None),
                   key=_grading_work, reverse=True)   # longest first: the pair finishes together

    folders = [tmp_path_factory.mktemp(f"course-{case[2]}") for case in cases]

    def grade(case, folder):
        try:
            return _grade(case, folder)
        except Exception as error:          # re-raised by the case's own tests, not the others'
            return error

    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(zip((case[2] for case in cases), pool.map(grade, cases, folders)))


@pytest.fixture(scope="module", params=_cases())
def graded(request, all_graded):
    """One assignment's graded course (see :func:`_grade`)."""
    result = all_graded[request.param[2]]
    if isinstance(result, Exception):
        raise result
    return result


def _auto_scores(graded, student) -> dict[tuple[str, str], float]:
    """(notebook id, grade_id) → automatic score of ``student``, for every auto-graded cell."""
    return {(nb, gid): score for nb, cells in graded["grades"][student].items()
            for gid, (score, _max, auto) in cells.items() if auto}


def _expected_max(graded) -> dict[tuple[str, str], float]:
    return {(Path(name).stem, gid): pts for name, nb in graded["sources"].items()
            for gid, pts in auto_cells(nb).items()}


def _lost(answers) -> set[str]:
    return {gid for _key, entry in answers for gid in entry["loses"]}


@pytest.mark.slow
def test_every_student_was_autograded(graded):
    for student in graded["grades"]:
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
    assert graded["rounds"]["wrong"], "no wrong answers to grade"
    expected = _expected_max(graded)
    problems = []
    for k, answers in enumerate(graded["rounds"]["wrong"], start=1):
        lost = _lost(answers)
        assert lost <= {gid for _nb, gid in expected}, f"`loses` names unknown cells: {lost - {g for _n, g in expected}}"
        scores = _auto_scores(graded, f"wrong{k}")
        why = {gid: entry["why"] for _key, entry in answers for gid in entry["loses"]}
        for (nb, gid), points in expected.items():
            want = 0 if gid in lost else points
            if scores[(nb, gid)] != want:
                cause = f" (the wrong answer: {why[gid]})" if gid in why else ""
                problems.append(f"round {k}: {gid} scored {scores[(nb, gid)]}, expected {want}{cause}")
    assert not problems, "wrong answers that do not lose exactly their cells:\n  " + "\n  ".join(problems)


@pytest.mark.slow
def test_right_answers_keep_full_marks(graded):
    expected = _expected_max(graded)
    problems = [f"round {k}: {gid} scored {_auto_scores(graded, f'right{k}')[(nb, gid)]} of {points}"
                for k in range(1, len(graded["rounds"]["right"]) + 1)
                for (nb, gid), points in expected.items()
                if _auto_scores(graded, f"right{k}")[(nb, gid)] != points]
    assert not problems, "right answers that lost points:\n  " + "\n  ".join(problems)


@pytest.mark.slow
def test_a_broken_exercise_loses_only_its_points(graded):
    """An exercise that raises, or loops until the cell time limit, scores 0; nothing else does."""
    first = Path(graded["first"]).stem
    codes = {code for replacements in graded["broken"].values() for code in replacements.values()}
    wanted = {RAISES, LOOPS} if _is_fixture(graded["case"]) else {RAISES}
    assert codes == wanted, f"the broken students must run {wanted}"
    for student, replacements in graded["broken"].items():
        scores = _auto_scores(graded, student)
        for (nb, gid), points in _expected_max(graded).items():
            want = 0 if (nb == first and exercise_of(gid) in replacements) else points
            assert scores[(nb, gid)] == want, f"{student}: {gid} scored {scores[(nb, gid)]}, expected {want}"


@pytest.mark.slow
def test_feedback_and_export(graded):
    course, assignment = graded["course"], graded["assignment"]
    students = feedback_students(graded["case"], graded["grades"])
    assert "reference" in students and ("wrong1" in students or not graded["rounds"]["wrong"])
    for student in students:
        for name in graded["sources"]:
            html = course / "feedback" / student / assignment / (Path(name).stem + ".html")
            assert html.is_file() and html.stat().st_size > 0, f"no feedback {html}"
    with open(course / "grades.csv", newline="", encoding="utf-8") as f:
        rows = {r["student_id"]: r for r in csv.DictReader(f) if r["assignment"] == assignment}
    total = sum(_expected_max(graded).values())
    assert float(rows["reference"]["score"]) == pytest.approx(total)
    assert float(rows["blank"]["score"]) == pytest.approx(0.0)
    for k, answers in enumerate(graded["rounds"]["wrong"], start=1):
        lost_points = sum(p for (_nb, gid), p in _expected_max(graded).items() if gid in _lost(answers))
        assert float(rows[f"wrong{k}"]["score"]) == pytest.approx(total - lost_points)
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
