"""The nbgrader course: build it from ``solutions/``, generate ``exercises/``, grade the reference.

``solutions/<assignment>/*.ipynb`` are nbgrader *source* notebooks (solutions and hidden tests
inside).  :func:`build_course` turns them into an nbgrader course folder on which the plain
nbgrader commands work (``nbgrader generate_assignment``, ``autograde``, ``generate_feedback``,
``export``, formgrader); :func:`generate_exercises` writes the student notebooks that are
committed in ``exercises/``; :func:`grade_reference` autogrades the solutions themselves through
real nbgrader (every auto-graded exercise must get full marks).

The solutions are not package data (students install nnbook too): every function takes the
solutions folder, defaulting to the checkout's ``solutions/`` when nnbook runs from a checkout
of its repository (:func:`checkout_root`).  The nbgrader configuration template is package data
(``nnbook/book/course_data/nbgrader_config.py``); nothing else is read from outside the package.

nbgrader is always run as a subprocess (``python -m nbgrader`` of this interpreter) with this
interpreter's ``bin`` folder first on ``PATH`` (nbgrader calls ``alembic``), the course folder as
working directory, ``NUMBA_CACHE_DIR=<course>/.numba_cache`` and ``MPLBACKEND=Agg``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import warnings
from importlib import resources
from pathlib import Path
from typing import NamedTuple, Sequence

COURSE_ID = "nnbook"
DEFAULT_CELL_TIMEOUT = 60
#: Where an instructor gets what the package does not ship (said by every "not found" error).
SOLUTIONS_HINT = ("the instructor solutions are not part of the installed nnbook package: get the "
                  "solutions/ folder of the nnbook repository and pass it as --solutions PATH")
_SKIP = shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__", "*.pyc")


class CourseError(RuntimeError):
    """A course cannot be built or an nbgrader step failed (the message says which and why)."""


class SolutionsNotFoundError(CourseError, FileNotFoundError):
    """The solutions folder is missing or holds no assignment."""


class GradeRow(NamedTuple):
    """Automatic score of one exercise of one notebook (manually graded cells are not counted)."""

    assignment: str
    notebook: str
    exercise: str
    score: float
    max_score: float


def checkout_root() -> Path | None:
    """The repository checkout this nnbook runs from, or None (e.g. installed from a wheel).

    A checkout is the folder above the ``nnbook`` package when it holds ``pyproject.toml`` and a
    ``solutions/`` folder with at least one assignment (``pip install -e .`` keeps the package
    there; a wheel installs it into ``site-packages``, which has neither).
    """
    root = Path(__file__).resolve().parents[2]
    if (root / "pyproject.toml").is_file() and find_assignments(root / "solutions"):
        return root
    return None


def default_solutions_dir() -> Path | None:
    """The checkout's ``solutions/`` folder, or None when nnbook does not run from a checkout."""
    root = checkout_root()
    return None if root is None else root / "solutions"


def default_exercises_dir() -> Path | None:
    """The checkout's ``exercises/`` folder, or None when nnbook does not run from a checkout."""
    root = checkout_root()
    return None if root is None else root / "exercises"


def resolve_solutions_dir(solutions_dir: str | os.PathLike | None = None) -> Path:
    """``solutions_dir`` as a Path, or the checkout's ``solutions/``; raise when there is neither."""
    if solutions_dir is not None:
        return Path(solutions_dir)
    default = default_solutions_dir()
    if default is None:
        raise SolutionsNotFoundError(f"no solutions folder given and nnbook does not run from a "
                                     f"checkout of its repository; {SOLUTIONS_HINT}")
    return default


def find_assignments(solutions_dir: str | os.PathLike | None = None) -> list[str]:
    """Names of the assignments in ``solutions_dir``: sub-folders holding at least one .ipynb, sorted.

    ``None`` means the checkout's ``solutions/`` (no assignments outside a checkout).
    """
    root = Path(solutions_dir) if solutions_dir is not None else default_solutions_dir()
    if root is None or not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")
                  and any(p.glob("*.ipynb")))


def require_assignments(solutions_dir: Path) -> list[str]:
    """:func:`find_assignments` of ``solutions_dir``; raise :class:`SolutionsNotFoundError` if none."""
    if not solutions_dir.is_dir():
        raise SolutionsNotFoundError(
            f"solutions folder not found: {solutions_dir} (expected the nbgrader source notebooks in "
            f"<folder>/<assignment>/*.ipynb; {SOLUTIONS_HINT})"
        )
    names = find_assignments(solutions_dir)
    if not names:
        raise SolutionsNotFoundError(f"no assignments in {solutions_dir}: expected sub-folders with "
                                     f".ipynb notebooks ({SOLUTIONS_HINT})")
    return names


def nbgrader_env(course_dir: str | os.PathLike) -> dict[str, str]:
    """Environment for nbgrader subprocesses of the course at ``course_dir``.

    This interpreter's ``bin`` first on ``PATH`` (nbgrader spawns ``alembic``), Numba's cache in
    ``<course>/.numba_cache`` (writable, so Numba writes nothing to stderr and compiles once),
    ``MPLBACKEND=Agg``.
    """
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env["NUMBA_CACHE_DIR"] = str(Path(course_dir).resolve() / ".numba_cache")
    env["MPLBACKEND"] = "Agg"
    return env


def run_nbgrader(course_dir: str | os.PathLike, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    """Run ``nbgrader *args`` in ``course_dir``; raise :class:`CourseError` with its output if it fails.

    nbgrader reports some failures (e.g. a notebook that could not be autograded) only in its
    log while still exiting 0, so the combined output is returned for the caller to inspect.
    """
    proc = subprocess.run(
        [sys.executable, "-m", "nbgrader", *args],
        cwd=course_dir, env=nbgrader_env(course_dir),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    if check and proc.returncode != 0:
        tail = "\n".join(proc.stdout.strip().splitlines()[-30:])
        raise CourseError(f"`nbgrader {' '.join(args)}` failed in {course_dir} (exit {proc.returncode}):\n{tail}")
    return proc


def copy_course(course_dir: str | os.PathLike, target: str | os.PathLike, assignments: Sequence[str],
                timeout: int = DEFAULT_CELL_TIMEOUT) -> Path:
    """A copy of the course at ``target``, its ``nbgrader_config.py`` rendered again so that it
    names the copy as its root (the file holds the course folder's absolute path)."""
    course = Path(shutil.copytree(course_dir, target, symlinks=True))
    (course / "nbgrader_config.py").write_text(render_config(course, assignments, timeout), encoding="utf-8")
    return course


def config_template() -> str:
    """Text of the package's ``nnbook/book/course_data/nbgrader_config.py`` (package data)."""
    template = resources.files("nnbook").joinpath("book", "course_data", "nbgrader_config.py")
    if not template.is_file():
        raise CourseError(f"nbgrader config template missing from the installed package: {template}")
    return template.read_text(encoding="utf-8")


def render_config(course_dir: Path, assignments: Sequence[str], timeout: int) -> str:
    """Text of ``nbgrader_config.py`` for ``course_dir``, from :func:`config_template`."""
    values = {
        "root": f"COURSE_ROOT = {str(Path(course_dir).resolve())!r}",
        "timeout": f"CELL_TIMEOUT = {int(timeout)!r}",
        "assignments": f"ASSIGNMENTS = {list(assignments)!r}",
    }
    lines = []
    for line in config_template().splitlines():
        m = re.search(r"#\s*nnbook:(\w+)\s*$", line)
        if m and m.group(1) in values:
            line = f"{values[m.group(1)]}  # nnbook:{m.group(1)}"
        lines.append(line)
    return "\n".join(lines) + "\n"


def collect_rubrics(solutions_dir: Path, assignments: Sequence[str]) -> str:
    """Markdown listing every manually graded answer cell with its points and rubric text."""
    import nbformat

    out = ["# Rubrics of the manually graded answers", "",
           "Generated by `nnbook course build` from the `_rubric` cells of the source notebooks.", ""]
    for assignment in assignments:
        for path in sorted((solutions_dir / assignment).glob("*.ipynb")):
            nb = nbformat.read(path, as_version=4)
            answers, rubrics = {}, {}
            for cell in nb.cells:
                meta = cell.get("metadata", {}).get("nbgrader", {})
                gid = meta.get("grade_id", "")
                if meta.get("grade") and meta.get("solution"):
                    answers[gid.split("_", 1)[0]] = meta.get("points", 0)
                elif gid.endswith("_rubric"):
                    rubrics[gid.split("_", 1)[0]] = cell.source.strip()
            if not answers:
                continue
            out += [f"## {assignment} / {path.name}", ""]
            for ex, points in answers.items():
                out += [f"### {ex} ({points} points)", "", rubrics.get(ex, "(no rubric cell)"), ""]
    return "\n".join(out)


_README = """# nnbook nbgrader course

Built by `nnbook course build` from the source notebooks in `solutions/`.
Course id `nnbook`; assignments: {assignments}.  Per-cell timeout: {timeout} s.

Run the commands in this folder with the nnbook virtualenv's `bin/` first on `PATH`
(nbgrader calls `alembic`).  `nbgrader_config.py` sets `NUMBA_CACHE_DIR` to `.numba_cache/`
here and `MPLBACKEND=Agg` for the kernels nbgrader starts.

    nbgrader generate_assignment {first}     # release/{first}/: student version
    # students' work goes to submitted/<student_id>/{first}/*.ipynb
    # (nbgrader collect / zip_collect, or copy by hand)
    nbgrader autograde {first}               # all students at once
    nbgrader formgrader                      # or: jupyter lab, Formgrader tab: grade the _answer cells
    nbgrader generate_feedback {first}       # feedback/<student_id>/{first}/*.html
    nbgrader export                          # grades.csv

The rubric of each written answer is shown under it in formgrader; all of them are collected in
`rubrics.md`.  See `autograding/README.md` in the nnbook repository for the whole workflow.
"""


def build_course(directory: str | os.PathLike, *, solutions_dir: str | os.PathLike | None = None,
                 exercises_dir: str | os.PathLike | None = None,
                 timeout: int = DEFAULT_CELL_TIMEOUT, register: bool = True) -> Path:
    """Create (or refresh) an nbgrader course in ``directory`` and return its path.

    Copies ``solutions_dir/<assignment>/`` (default: the checkout's ``solutions/``) to
    ``directory/source/<assignment>/``, writes ``nbgrader_config.py`` (course id ``nnbook``,
    root = ``directory``, ``timeout`` seconds per cell, stuck cells interrupted), ``README.md``
    and ``rubrics.md``, and registers every assignment in the gradebook (``register=False``
    skips that; ``generate_assignment`` registers on first use anyway).  With ``exercises_dir``
    it also writes the student notebooks there (see :func:`generate_exercises`).
    Raises :class:`CourseError` if the solutions are missing or nbgrader fails.
    """
    solutions = resolve_solutions_dir(solutions_dir)
    assignments = require_assignments(solutions)
    if not isinstance(timeout, int) or isinstance(timeout, bool) or timeout <= 0:
        raise ValueError(f"timeout must be a positive number of seconds (int), found {timeout!r}")
    course = Path(directory).resolve()
    if course.exists() and not course.is_dir():
        raise CourseError(f"course directory {course} exists and is not a folder")
    course.mkdir(parents=True, exist_ok=True)
    for name in assignments:
        target = course / "source" / name
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(solutions / name, target, ignore=_SKIP)
    (course / ".numba_cache").mkdir(exist_ok=True)
    (course / "nbgrader_config.py").write_text(render_config(course, assignments, timeout), encoding="utf-8")
    (course / "README.md").write_text(
        _README.format(assignments=", ".join(assignments), first=assignments[0], timeout=timeout),
        encoding="utf-8")
    (course / "rubrics.md").write_text(collect_rubrics(solutions, assignments), encoding="utf-8")
    if register:   # one nbgrader process for all of them (each start costs seconds)
        listing = course / "assignments.csv"
        listing.write_text("name\n" + "".join(f"{name}\n" for name in assignments),
                           encoding="utf-8")
        run_nbgrader(course, "db", "assignment", "import", listing.name)
        listing.unlink()
    if exercises_dir is not None:
        _release_into(course, assignments, Path(exercises_dir))
    return course


def _release_into(course: Path, assignments: Sequence[str], exercises_dir: Path, *,
                  use_db: bool = True) -> list[Path]:
    written = []
    for name in assignments:
        run_nbgrader(course, "generate_assignment", name, "--force", *(() if use_db else ("--no-db",)))
        released = course / "release" / name
        target = exercises_dir / name
        target.mkdir(parents=True, exist_ok=True)
        fresh = {p.name for p in released.iterdir()}
        for stale in target.glob("*.ipynb"):
            if stale.name not in fresh:
                stale.unlink()
        for path in sorted(released.iterdir()):
            if path.is_dir():
                if (target / path.name).exists():
                    shutil.rmtree(target / path.name)
                shutil.copytree(path, target / path.name, ignore=_SKIP)
            else:
                shutil.copyfile(path, target / path.name)
                written.append(target / path.name)
    return written


def generate_exercises(solutions_dir: str | os.PathLike | None = None,
                       exercises_dir: str | os.PathLike | None = None) -> list[Path]:
    """Write the student notebooks ``exercises_dir/<assignment>/`` from ``solutions_dir`` via nbgrader.

    Runs ``nbgrader generate_assignment --no-db`` in a temporary course and copies the released
    files (same input → byte-identical output; the gradebook does not change the release).
    Defaults: the checkout's ``solutions/`` and ``exercises/`` (outside a checkout both must be
    given).  Returns the files written.
    """
    solutions = resolve_solutions_dir(solutions_dir)
    target = Path(exercises_dir) if exercises_dir is not None else default_exercises_dir()
    if target is None:
        raise CourseError("no exercises folder given and nnbook does not run from a checkout of its "
                          "repository: pass the folder to write the student notebooks to "
                          "(--exercises PATH)")
    assignments = require_assignments(solutions)
    with tempfile.TemporaryDirectory(prefix="nnbook-course-") as tmp:
        course = build_course(Path(tmp) / "course", solutions_dir=solutions, register=False)
        return _release_into(course, assignments, target, use_db=False)


def submit(course_dir: str | os.PathLike, student: str, assignment: str,
           notebooks: dict[str, object]) -> Path:
    """Place a student's notebooks in ``submitted/<student>/<assignment>/`` (nbformat nodes or paths)."""
    import nbformat

    folder = Path(course_dir) / "submitted" / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    for name, nb in notebooks.items():
        if isinstance(nb, (str, os.PathLike)):
            shutil.copyfile(nb, folder / name)
        else:
            nbformat.write(nb, folder / name)
    return folder


def read_grades(course_dir: str | os.PathLike, assignment: str, student: str) -> dict[str, dict[str, tuple]]:
    """``{notebook: {grade_id: (score, max_score, auto)}}`` of one submission, from the gradebook.

    ``auto`` is True for auto-graded (code) cells.  A written answer left unchanged scores 0
    automatically; an answered one has ``score`` None until an instructor grades it.
    """
    with warnings.catch_warnings():
        # nbgrader 0.9's models trigger SQLAlchemy 2 deprecation warnings on import
        warnings.simplefilter("ignore", DeprecationWarning)
        from nbgrader.api import Gradebook

    course = Path(course_dir).resolve()
    result: dict[str, dict[str, tuple]] = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", COURSE_ID) as gb:
        submission = gb.find_submission(assignment, student)
        for nb in submission.notebooks:
            cells = {}
            for grade in nb.grades:
                auto = grade.cell.cell_type == "code"
                score = grade.manual_score if grade.manual_score is not None else grade.auto_score
                cells[grade.name] = (None if score is None else float(score), float(grade.max_score), auto)
            result[nb.name] = cells
    return result


def _grade_id_order(path) -> dict[str, int]:
    """grade_id → position in the notebook at ``path`` (empty if None)."""
    if path is None:
        return {}
    import nbformat

    nb = nbformat.read(path, as_version=4)
    ids = [c.get("metadata", {}).get("nbgrader", {}).get("grade_id") for c in nb.cells]
    return {gid: i for i, gid in enumerate(ids) if gid}


def grade_reference(solutions_dir: str | os.PathLike | None = None,
                    workdir: str | os.PathLike | None = None, *,
                    timeout: int = DEFAULT_CELL_TIMEOUT) -> list[GradeRow]:
    """Autograde the source notebooks themselves as student ``reference`` through real nbgrader.

    Builds the course in ``workdir`` (a temporary folder if None), releases every assignment,
    submits each solution notebook unchanged and autogrades.  Returns one :class:`GradeRow` per
    auto-graded exercise (manual ``_answer`` cells are not counted); the reference should score
    ``score == max_score`` everywhere.
    """
    solutions = resolve_solutions_dir(solutions_dir)
    assignments = require_assignments(solutions)
    if workdir is None:
        with tempfile.TemporaryDirectory(prefix="nnbook-grade-") as tmp:
            return grade_reference(solutions, Path(tmp), timeout=timeout)
    course = build_course(Path(workdir) / "course", solutions_dir=solutions, timeout=timeout)
    rows = []
    for name in assignments:
        run_nbgrader(course, "generate_assignment", name, "--force")
        notebooks = {p.name: p for p in sorted((solutions / name).glob("*.ipynb"))}
        submit(course, "reference", name, notebooks)
        run_nbgrader(course, "autograde", name, "--student", "reference", "--force")
        grades = read_grades(course, name, "reference")
        for notebook, cells in grades.items():
            order = _grade_id_order(notebooks.get(notebook + ".ipynb"))
            per_exercise: dict[str, list[float]] = {}
            for grade_id, (score, max_score, auto) in sorted(cells.items(), key=lambda kv: order.get(kv[0], len(order))):
                if not auto:
                    continue
                acc = per_exercise.setdefault(grade_id.split("_", 1)[0], [0.0, 0.0])
                acc[0] += float(score or 0.0)
                acc[1] += max_score
            rows += [GradeRow(name, notebook, ex, s, m) for ex, (s, m) in per_exercise.items()]
    return rows
