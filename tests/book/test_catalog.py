"""The exercise catalog agrees with the books and the solution notebooks, and cites what a reader can find.

Fast: reads files only, executes no notebook (tests/book/test_course.py checks the answer files
against the notebooks and grades them). The explicit questions (练习) of each source are written
out below from the books themselves, independently of the catalog, so that a question dropped from
the catalog or the notebooks is noticed. Every citation must be one a reader can look up in the
book (section, equation, figure, footnote, printed page, section title): no line numbers of our
copy of the source text, no codes of our source inventories, and no quoted sentences of the
sources — in the catalog, the notebooks and the answer files alike.
"""

import csv
import json
import re
from pathlib import Path

import nbformat
import pytest

from nnbook.book.sources import LANDED, SOURCES
from nnbook.book.worked_examples.gulli_1 import SECTIONS as GULLI_SECTIONS

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "exercises" / "catalog.csv"
SOLUTIONS = ROOT / "solutions"
ANSWERS = [ROOT / "autograding" / "wrong_answers", ROOT / "autograding" / "right_answers"]

COLUMNS = ["source", "source_ref", "explicit", "exercise_id", "notebook", "kind", "grading", "points"]
KINDS = {"computation", "derivation", "coding", "conceptual", "plotting"}
GRADINGS = {"numeric", "symbolic", "property", "plot", "multiple-choice", "manual"}
ROLE = re.compile(r"^(solution|test\d*|answer|rubric)$")
EXERCISE_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

#: Explicit questions (练习) of each source: (exercise-id prefix, section, where in the section;
#: a comment says what it asks). Nielsen's chapter-1 exercises are unnumbered boxes, found by the
#: translation's printed page; Gulli & Pal's chapter has no numbered sections or pages in our copy,
#: so its questions are found by section title (§'…', as the chapter cites them) and their place.
EXPLICIT_QUESTIONS = {
    "nielsen-1": [
        ("x1", "§1.2", "(p.9)"),   # sigmoid neurons simulating perceptrons, part I
        ("x2", "§1.2", "(p.9)"),   # part II: c → ∞ and the z = 0 case
        ("x3", "§1.4", "(p.13)"),  # bitwise output layer
        ("x4", "§1.5", "(p.18)"),  # Cauchy–Schwarz optimality of −∇C
        ("x5", "§1.5", "(p.18)"),  # gradient descent in one dimension
    ],
    # 陈强 ch. 15 has no exercise list (no 习题/练习) and no numbered problems: every chen-15
    # exercise is an implicit one (a claim of the chapter checked by the student).
    "chen-15": [],
    # Gulli & Pal ch. 1 leaves three things to the reader, each in one sentence of its section.
    "gulli-1": [
        # one hidden layer instead of two, or more than two
        ("x1", "§'Improving the simple net in Keras with hidden layers'", "after listing keras_MINST_V2"),
        # experiments with L1, L2 and elastic-net regularisation
        ("x2", "§'Adopting regularization for avoiding overfitting'", "before the kernel_regularizer listing"),
        # near 99 %, what new idea is missing?
        ("x3", "§'Towards a deep learning approach'", "opening question"),
    ],
    # 《深度学习与神经网络》ch. 5 ends with one list, 课后思考题 (unnumbered, after 本章小结): seven
    # review questions, the first two on p.155, the rest on p.156.
    "dlnn-5": [
        ("x1", "§课后思考题", "(p.155), question 1"),  # open-source frameworks, pros and cons
        ("x2", "§课后思考题", "(p.155), question 2"),  # deep learning and neural networks
        ("x3", "§课后思考题", "(p.156), question 3"),  # what an activation function is, why needed
        ("x4", "§课后思考题", "(p.156), question 4"),  # CNNs and CNN models
        ("x5", "§课后思考题", "(p.156), question 5"),  # fully connected networks
        ("x6", "§课后思考题", "(p.156), question 6"),  # "递归" (recurrent) networks and their fields
        ("x7", "§课后思考题", "(p.156), question 7"),  # the LSTM and its advantages
    ],
    # Galeone ch. 2 ends with §'Exercises': 25 numbered questions, cited as "exercise N:" (the
    # colon keeps exercise 1 apart from exercise 10) followed by the section each is about.
    "galeone-2": [
        ("q01", "§'Exercises'", "exercise 1:"),    # similarities of biological and artificial neurons
        ("q02", "§'Exercises'", "exercise 2:"),    # does the topology change the behaviour?
        ("q03", "§'Exercises'", "exercise 3:"),    # why a nonlinear activation?
        ("q04", "§'Exercises'", "exercise 4:"),    # linear activations: multilayer = single layer
        ("q05", "§'Exercises'", "exercise 5:"),    # errors (noise) in the input data
        ("q06", "§'Exercises'", "exercise 6:"),    # formula of a generic neuron
        ("q07", "§'Exercises'", "exercise 7:"),    # formula of a fully connected layer
        ("q08", "§'Exercises'", "exercise 8:"),    # why multilayer nets solve non-separable problems
        ("q09", "§'Exercises'", "exercise 9:"),    # plot sigmoid, tanh, ReLU
        ("q10", "§'Exercises'", "exercise 10:"),   # one-hot labels; regression
        ("q11", "§'Exercises'", "exercise 11:"),   # why the loss must be differentiable
        ("q12", "§'Exercises'", "exercise 12:"),   # gradient and anti-gradient
        ("q13", "§'Exercises'", "exercise 13:"),   # parameter update rule, the vanilla rule
        ("q14", "§'Exercises'", "exercise 14:"),   # mini-batch gradient descent, three scenarios
        ("q15", "§'Exercises'", "exercise 15:"),   # random perturbation as an update strategy
        ("q16", "§'Exercises'", "exercise 16:"),   # non-adaptive vs adaptive optimisers
        ("q17", "§'Exercises'", "exercise 17:"),   # velocity and the momentum update
        ("q18", "§'Exercises'", "exercise 18:"),   # LTI systems and convolution
        ("q19", "§'Exercises'", "exercise 19:"),   # what a feature vector is
        ("q20", "§'Exercises'", "exercise 20:"),   # CNN as a feature extractor + dense classifier
        ("q21", "§'Exercises'", "exercise 21:"),   # initialisation criteria, the constant 10
        ("q22", "§'Exercises'", "exercise 22:"),   # direct vs inverted dropout, TensorFlow's choice
        ("q23", "§'Exercises'", "exercise 23:"),   # L2 regularisation together with dropout
        ("q24", "§'Exercises'", "exercise 24:"),   # convolution between volumes, 1 x 1 x D kernels
        ("q25", "§'Exercises'", "exercise 25:"),   # validation plateau, more dropout?
    ],
}

#: Sources whose chapter has no explicit exercises at all.
NO_EXPLICIT_QUESTIONS = ("chen-15",)

#: What a citation must not contain: line numbers of our copy of a source (L642), codes of our
#: source inventories (I30, X3, O1, W14, F48, E29, U21, D6; for Gulli & Pal K19, G7, J16, Y2, R5,
#: CL7, B18), or quoted runs of Chinese text.
LINE_NUMBER = re.compile(r"\bL\d{2,4}\b")
INVENTORY_CODE = re.compile(r"\b(?:[IXO]\d{1,2}|[WFEUD]\d{2}|[KGJYR]\d{1,2}|CL\d{1,2}|B\d{2})\b")
QUOTED = re.compile(r"[「」『』]|[\u3400-\u9fff，。、；：？！]{10,}")
#: A place in a chapter-15 section a reader can find without page numbers.
CHEN_LOCATOR = re.compile(r"\(15\.\d+\)|figs?\. 15\.\d+|Prop\. 15\.\d+|opening|closing|after|between|example")
#: Gulli & Pal are cited by section title: §'Testing different optimizers in Keras'.
GULLI_SECTION = re.compile(r"§'([^']+)'")
#: 《深度学习与神经网络》ch. 5 is cited by section (§5.2.4; its review questions by §课后思考题 and
#: the printed page) and then an equation (5-16), a figure (Fig. 5-15), a page or a named part of
#: the section (its code listing, a paragraph, a sub-part such as the pooling part).
DLNN_SECTION = re.compile(r"§(5\.\d(\.\d)?|课后思考题 \(p\.15[56]\)),? ")
DLNN_LOCATOR = re.compile(r"\(5-\d+\)|Figs?\. 5-\d+|\(p\.\d+\)|code|paragraph|part|procedure|question \d")
#: How the heading cell of an exercise names its book.
BOOK = {"nielsen-1": "Nielsen", "chen-15": "陈强", "gulli-1": "Gulli & Pal", "dlnn-5": "《深度学习与神经网络》",
        "galeone-2": "Galeone"}
#: Galeone ch. 2 is cited by the titles of its sections (the English edition's, as the chapter map
#: of chapters/04-galeone-neural-networks-deep-learning.md gives them), like Gulli & Pal.
GALEONE_SECTIONS = (
    "Neural networks", "Biological neurons", "Artificial neurons", "Fully connected layers", "Activation functions",
    "Loss function", "Parameter initialization", "Optimization", "Gradient descent", "Stochastic gradient descent",
    "Mini-batch gradient descent", "Gradient descent optimization algorithms", "Vanilla", "Momentum", "ADAM",
    "Backpropagation and automatic differentiation", "Convolutional neural networks", "The convolution operator",
    "2D convolution", "2D convolutions among volumes", "1 x 1 x D convolutions", "Regularization", "Dropout",
    "How dropout works", "Inverted dropout", "Dropout and L2 regularization", "Data augmentation", "Early stopping",
    "Batch normalization", "Summary", "Exercises",
)


def unresolvable(text):
    """The line numbers, inventory codes and quoted source sentences found in ``text``."""
    return LINE_NUMBER.findall(text) + INVENTORY_CODE.findall(text) + QUOTED.findall(text)


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


def section_of(row) -> str:
    """The section a catalog row cites: §1.2, §15.4 or §'Perceptron'."""
    if row["source"] in ("gulli-1", "galeone-2"):
        found = GULLI_SECTION.match(row["source_ref"])
        return found.group(0) if found else row["source_ref"]
    return row["source_ref"].split(",")[0].split(" ")[0]


def answer_texts(value):
    """Every string in an answer file (why, code, edits), whatever its layout."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from answer_texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from answer_texts(item)


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
        f"{source} has landed: write its explicit questions into EXPLICIT_QUESTIONS")
    rows = [row for row in catalog if row["source"] == source and row["explicit"] == "yes"]
    for prefix, section, where in EXPLICIT_QUESTIONS[source]:
        matching = [row for row in rows if row["exercise_id"].startswith(prefix + "-")]
        assert matching, f"{source}: the exercise of {section} {where} has no explicit row {prefix}-… in the catalog"
        for row in matching:
            ref = row["source_ref"]
            assert ref.startswith(section) and where in ref, (
                f"{row['exercise_id']}: source_ref {ref!r} should cite {section} and {where!r}")
    listed = {prefix for prefix, _, _ in EXPLICIT_QUESTIONS[source]}
    extra = [row["exercise_id"] for row in rows if row["exercise_id"].split("-", 1)[0] not in listed]
    assert not extra, f"{source}: rows marked explicit that are not explicit questions of the source: {extra}"


@pytest.mark.parametrize("source", NO_EXPLICIT_QUESTIONS)
def test_sources_without_explicit_questions(catalog, source):
    """陈强 ch. 15 has no exercise list: all its catalog rows are implicit exercises."""
    assert EXPLICIT_QUESTIONS[source] == [], f"{source}: the chapter has no explicit question"
    rows = [row for row in catalog if row["source"] == source]
    assert rows, f"{source}: no catalog rows"
    explicit = [row["exercise_id"] for row in rows if row["explicit"] != "no"]
    assert not explicit, f"{source} has no explicit questions, but these rows say explicit: {explicit}"


def test_source_refs_can_be_looked_up(catalog):
    """Section first; Nielsen by printed page, 陈强 (no page numbers in our copy) by equation,
    figure, proposition or a paragraph's place in the section, Gulli & Pal by the title of one of
    their sections; nothing a reader cannot resolve."""
    for row in catalog:
        ref, where = row["source_ref"], f"catalog row {row['exercise_id']!r}"
        assert not unresolvable(ref), f"{where}: source_ref {ref!r} cites {unresolvable(ref)}"
        if row["source"] == "nielsen-1":
            assert re.match(r"§1\.\d\b", ref) and re.search(r"\(p\.\d+(–\d+)?\)", ref), (
                f"{where}: source_ref {ref!r} should give the section and the printed page, e.g. '§1.2 (p.9)'")
        elif row["source"] == "chen-15":
            assert re.match(r"§15\.\d+, ", ref) and CHEN_LOCATOR.search(ref), (
                f"{where}: source_ref {ref!r} should give the section and an equation, figure or paragraph")
        elif row["source"] == "dlnn-5":
            assert DLNN_SECTION.match(ref) and DLNN_LOCATOR.search(ref), (
                f"{where}: source_ref {ref!r} should give the section (§5.2.4, or §课后思考题 (p.155)) and an "
                f"equation, figure, page or named part of the section, e.g. '§5.2.4, (5-16): …'")
        elif row["source"] == "galeone-2":
            titles = [m.group(1) for m in GULLI_SECTION.finditer(ref)]
            assert GULLI_SECTION.match(ref) and all(t in GALEONE_SECTIONS for t in titles), (
                f"{where}: source_ref {ref!r} should start with a section title of the chapter, e.g. "
                f"§'Momentum'; the titles are GALEONE_SECTIONS")
        elif row["source"] == "gulli-1":
            titles = [m.group(1) for m in GULLI_SECTION.finditer(ref)]
            assert GULLI_SECTION.match(ref) and all(t in GULLI_SECTIONS for t in titles), (
                f"{where}: source_ref {ref!r} should start with a section title of the book, e.g. "
                f"§'Perceptron'; the titles are nnbook.book.worked_examples.gulli_1.SECTIONS")


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


def test_every_exercise_opens_with_its_heading_and_source(catalog):
    """The markdown cell before an exercise's first graded cell is headed ``## … (`<id>`)`` and
    says ``*Source: <book> …`` with the section of the catalog row."""
    for path in solution_notebooks():
        nb = nbformat.read(path, as_version=4)
        rel = path.relative_to(SOLUTIONS).as_posix()
        for row in (r for r in catalog if r["notebook"] == rel):
            heading = f"(`{row['exercise_id']}`)"
            cells = [c for c in nb.cells if c.cell_type == "markdown" and c.source.startswith("## ")
                     and c.source.splitlines()[0].endswith(heading)]
            assert len(cells) == 1, f"{rel}: expected one heading ending with {heading}, found {len(cells)}"
            section = section_of(row)
            source_line = re.search(r"^\*Source: (.*)", cells[0].source, re.MULTILINE)
            assert source_line and BOOK.get(row["source"], "") in source_line.group(1), (
                f"{row['exercise_id']}: the heading cell should start its citation with '*Source: "
                f"{BOOK.get(row['source'])} …'")
            assert section in cells[0].source, f"{row['exercise_id']}: the heading cell does not cite {section}"


@pytest.mark.parametrize("path", solution_notebooks(), ids=lambda p: p.stem)
def test_notebooks_cite_only_what_a_reader_can_look_up(path):
    """No cell (statements, checks, rubrics: all shown to students or graders) cites a line number of
    our copy of a source or an inventory code, or quotes the source's sentences."""
    nb = nbformat.read(path, as_version=4)
    for number, cell in enumerate(nb.cells):
        found = unresolvable(cell.source)
        assert not found, f"{path.name}, cell {number} ({cell.get('id')}): cites {found}"
    # The answer files are per assignment (the folder); an assignment may hold several notebooks.
    for answer_file in (folder / f"{path.parent.name}.json" for folder in ANSWERS):
        if not answer_file.is_file():
            continue
        for key, entries in json.loads(answer_file.read_text(encoding="utf-8")).items():
            found = [code for text in answer_texts(entries) for code in unresolvable(text)]
            assert not found, f"{answer_file.parent.name}/{answer_file.name}, {key}: cites {found}"
