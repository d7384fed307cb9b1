"""The exercise catalog agrees with the source inventories, the solution notebooks and the wrong answers.

Fast: reads files only, executes no notebook. The explicit questions of each source are written
out below from the source inventories (``shared/sources/inventories/*.md`` §7.1), independently
of the catalog, so that a question dropped from the catalog or the notebooks is noticed.
"""

import csv
import json
import re
from pathlib import Path

import nbformat
import pytest

from nnbook.book.sources import LANDED, SOURCES

ROOT = Path(__file__).resolve().parents[1]
CATALOG = ROOT / "exercises" / "catalog.csv"
SOLUTIONS = ROOT / "solutions"
WRONG_ANSWERS = ROOT / "autograding" / "wrong_answers"

COLUMNS = ["source", "source_ref", "explicit", "exercise_id", "notebook", "kind", "grading", "points"]
KINDS = {"computation", "derivation", "coding", "conceptual", "plotting"}
GRADINGS = {"numeric", "symbolic", "property", "plot", "multiple-choice", "manual"}
ROLE = re.compile(r"^(solution|test\d*|answer|rubric)$")
EXERCISE_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

#: Explicit questions (练习 / exercises) of each source: (question, section, printed page).
#: From the inventory of each source, §7.1; the source's own numbering where it has one.
EXPLICIT_QUESTIONS = {
    "nielsen-1": [
        ("X1", "§1.2", "p.9"),   # sigmoid neurons simulating perceptrons, part I
        ("X2", "§1.2", "p.9"),   # part II: c → ∞ and the z = 0 case
        ("X3", "§1.4", "p.13"),  # bitwise output layer
        ("X4", "§1.5", "p.18"),  # Cauchy–Schwarz optimality of −∇C
        ("X5", "§1.5", "p.18"),  # gradient descent in one dimension
    ],
    # Inventory 000 §7.1: "None. The chapter contains no 习题/练习 list and no numbered problems."
    # (例 "感知机无法识别异或函数", L139, is a worked argument.) Every chen-15 exercise is implicit (§7.2).
    "chen-15": [],
}

#: Sources whose inventory (§7.1) says the chapter has no explicit exercises at all.
NO_EXPLICIT_QUESTIONS = ("chen-15",)


def read_catalog():
    with CATALOG.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        assert reader.fieldnames == COLUMNS, f"catalog header: expected {COLUMNS}, found {reader.fieldnames}"
        return list(reader)


def exercise_cells(path):
    """{exercise_id: [(role, cell), ...]} for every nbgrader cell whose grade_id is <id>_<role>."""
    nb = nbformat.read(path, as_version=4)
    cells = {}
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "")
        if "_" in grade_id:
            exercise, role = grade_id.split("_", 1)
            cells.setdefault(exercise, []).append((role, cell))
    return nb, cells


def grade_points(cells):
    return sum(cell.metadata["nbgrader"].get("points", 0) for _, cell in cells
               if cell.metadata["nbgrader"].get("grade"))


def solution_notebooks():
    return sorted(SOLUTIONS.glob("*/*.ipynb"))


@pytest.fixture(scope="module")
def catalog():
    return read_catalog()


def test_catalog_rows_are_well_formed(catalog):
    ids = [row["exercise_id"] for row in catalog]
    assert len(ids) == len(set(ids)), f"duplicate exercise ids: {sorted({i for i in ids if ids.count(i) > 1})}"
    for row in catalog:
        where = f"catalog row {row['exercise_id']!r}"
        assert row["source"] in SOURCES, f"{where}: unknown source {row['source']!r}"
        assert row["explicit"] in {"yes", "no"}, f"{where}: explicit must be yes/no, found {row['explicit']!r}"
        assert EXERCISE_ID.match(row["exercise_id"]), f"{where}: ids are lowercase with hyphens"
        assert row["kind"] in KINDS, f"{where}: kind {row['kind']!r} not in {sorted(KINDS)}"
        modes = row["grading"].split("+")
        assert modes and set(modes) <= GRADINGS, f"{where}: grading {row['grading']!r} uses modes outside {sorted(GRADINGS)}"
        assert row["source_ref"].startswith("§"), f"{where}: source_ref should start with the section"
        assert float(row["points"]) > 0, f"{where}: points must be positive"


@pytest.mark.parametrize("source", sorted(set(LANDED) | set(EXPLICIT_QUESTIONS)))
def test_every_explicit_question_is_in_the_catalog(catalog, source):
    assert source in EXPLICIT_QUESTIONS, (
        f"{source} has landed: write its explicit questions from its inventory into EXPLICIT_QUESTIONS")
    rows = [row for row in catalog if row["source"] == source and row["explicit"] == "yes"]
    for question, section, page in EXPLICIT_QUESTIONS[source]:
        matching = [row for row in rows if re.search(rf"\b{question}\b", row["source_ref"])]
        assert matching, f"{source} {question} ({section}, {page}) has no explicit row in the catalog"
        for row in matching:
            ref = row["source_ref"]
            assert section in ref and f"({page})" in ref, (
                f"{source} {question}: source_ref {ref!r} should cite {section} and ({page})")
    listed = {q for q, _, _ in EXPLICIT_QUESTIONS[source]}
    extra = [row["source_ref"] for row in rows
             if not any(re.search(rf"\b{q}\b", row["source_ref"]) for q in listed)]
    assert not extra, f"{source}: rows marked explicit that are not explicit questions of the source: {extra}"


@pytest.mark.parametrize("source", NO_EXPLICIT_QUESTIONS)
def test_sources_without_explicit_questions(catalog, source):
    """Chen ch. 15 has no exercise list: all its catalog rows are implicit exercises (inventory §7.2)."""
    assert EXPLICIT_QUESTIONS[source] == [], f"{source}: inventory §7.1 lists no explicit question"
    rows = [row for row in catalog if row["source"] == source]
    assert rows, f"{source}: no catalog rows"
    explicit = [row["exercise_id"] for row in rows if row["explicit"] != "no"]
    assert not explicit, f"{source} has no explicit questions, but these rows say explicit: {explicit}"
    for row in rows:
        assert re.search(r"\bimplicit I\d+", row["source_ref"]), (
            f"{row['exercise_id']}: source_ref {row['source_ref']!r} should name the implicit question (I1–I37)")


def test_every_catalog_row_exists_in_its_notebook_with_its_points(catalog):
    for row in catalog:
        path = SOLUTIONS / row["notebook"]
        assert path.exists(), f"{row['exercise_id']}: notebook {path} does not exist"
        nb, cells = exercise_cells(path)
        assert nb.metadata.get("nnbook", {}).get("source") == row["source"], (
            f"{path.name}: metadata nnbook.source should be {row['source']!r}")
        assert row["exercise_id"] in cells, f"{row['exercise_id']} has no cells in {path.name}"
        assert float(row["points"]) == grade_points(cells[row["exercise_id"]]), (
            f"{row['exercise_id']}: catalog says {row['points']} points, the grade cells of "
            f"{path.name} add up to {grade_points(cells[row['exercise_id']])}")


def test_every_notebook_exercise_is_in_the_catalog(catalog):
    listed = {(row["notebook"], row["exercise_id"]) for row in catalog}
    notebooks = solution_notebooks()
    assert notebooks, "no solution notebooks found"
    for path in notebooks:
        rel = path.relative_to(SOLUTIONS).as_posix()
        _, cells = exercise_cells(path)
        for exercise, roles in cells.items():
            assert (rel, exercise) in listed, f"{rel}: exercise {exercise} is not in the catalog"
            for role, cell in roles:
                assert ROLE.match(role), f"{rel}: {exercise}_{role} has an unknown role {role!r}"
                meta = cell.metadata["nbgrader"]
                if role.startswith("test"):
                    assert cell.cell_type == "code" and meta["grade"] and meta["locked"] and not meta["solution"]
                    assert 1 <= meta["points"] <= 3, f"{exercise}_{role}: test cells carry 1–3 points"
                elif role == "answer":
                    assert cell.cell_type == "markdown" and meta["grade"] and meta["solution"]
                    assert 2 <= meta["points"] <= 4, f"{exercise}_{role}: free-text answers carry 2–4 points"
                elif role == "rubric":
                    assert cell.cell_type == "markdown" and meta["locked"] and not meta["grade"]
                else:
                    assert cell.cell_type == "code" and meta["solution"] and not meta["grade"]


def test_every_autograded_exercise_has_a_wrong_answer():
    for path in solution_notebooks():
        _, cells = exercise_cells(path)
        wrong_file = WRONG_ANSWERS / f"{path.stem}.json"
        assert wrong_file.exists(), f"{path.stem}: no wrong answers in {wrong_file}"
        wrong = json.loads(wrong_file.read_text(encoding="utf-8"))
        grade_ids = {f"{e}_{role}": cell for e, roles in cells.items() for role, cell in roles}
        for exercise, roles in cells.items():
            tests = {f"{exercise}_{role}" for role, cell in roles if role.startswith("test")}
            if not tests:
                continue  # manually graded only
            entries = [key for key in wrong if key.split("_", 1)[0] == exercise]
            assert entries, f"{path.stem}: auto-graded exercise {exercise} has no wrong answer"
            for key in entries:
                assert key in grade_ids and grade_ids[key].metadata["nbgrader"]["solution"], (
                    f"{key}: wrong answers replace a solution cell; no such cell")
                entry = wrong[key]
                assert entry["code"].strip() and entry["why"].strip(), f"{key}: code and why must be filled in"
                assert entry["loses"], f"{key}: must list the test cells it fails"
                for lost in entry["loses"]:
                    assert lost in tests, f"{key}: loses {lost!r}, which is not a test cell of {exercise}"
        stray = [key for key in wrong if key not in grade_ids]
        assert not stray, f"{wrong_file.name}: entries for cells that do not exist: {stray}"
