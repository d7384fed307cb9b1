"""``nnbook check NOTEBOOK``: run an exercise notebook's visible checks and report per exercise.

A student (or an author) gets the same verdict the autograder would give, minus the hidden
tests: the notebook is read, every ``### BEGIN HIDDEN TESTS`` … ``### END HIDDEN TESTS`` region
is removed, the notebook is executed headless in its own folder (errors do not stop the run,
every cell has a timeout), and the nbgrader test cells are scored the way nbgrader scores them
(a cell that raised or wrote to stderr gets 0, otherwise its points).

Grade cells are grouped into exercises by their ``grade_id``: everything before the first ``_``
is the exercise id (``x1-scale-invariance_test2`` → ``x1-scale-invariance``), see
``autograding/README.md``.  Works on the source notebook in ``solutions/`` and on the
generated student notebook in ``exercises/``.
"""

from __future__ import annotations

import logging
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

#: Exit codes of :func:`run_check`.
EXIT_ALL_PASSED, EXIT_SOME_FAILED, EXIT_BAD_INPUT = 0, 1, 2

_HIDDEN_BEGIN = "BEGIN HIDDEN TESTS"
_HIDDEN_END = "END HIDDEN TESTS"
_MESSAGE_LINES = 6          # lines of a failure message shown per exercise
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


class NotebookInputError(ValueError):
    """The path given to ``nnbook check`` is missing or is not a readable notebook."""


@dataclass
class CellVerdict:
    """Outcome of one executed cell: ``error`` is ``(ename, evalue)`` or None; ``stderr`` text."""

    grade_id: str
    points: float
    error: tuple[str, str] | None = None
    stderr: str = ""

    @property
    def passed(self) -> bool:
        return self.error is None and not self.stderr


@dataclass
class ExerciseReport:
    """Visible-check result of one exercise (its auto-graded test cells and manual answers)."""

    exercise_id: str
    tests: list[CellVerdict] = field(default_factory=list)
    solutions: list[CellVerdict] = field(default_factory=list)
    manual_points: float = 0.0

    @property
    def max_points(self) -> float:
        return sum(t.points for t in self.tests)

    @property
    def points(self) -> float:
        return sum(t.points for t in self.tests if t.passed)

    @property
    def passed(self) -> bool:
        return all(t.passed for t in self.tests)

    def failure_message(self) -> str:
        """Why the exercise failed, in a few lines (empty when it passed)."""
        if self.passed:
            return ""
        if any(s.error and s.error[0] == "NotImplementedError" for s in self.solutions):
            return "not answered yet"
        failed = next(t for t in self.tests if not t.passed)
        if failed.error and failed.error[0] == "NotImplementedError":
            return "not answered yet"
        if failed.error and failed.error[0] == "DeadKernelError":
            return failed.error[1]
        broken = next((s for s in self.solutions if s.error), None)
        if broken is not None:
            return f"in your code cell {broken.grade_id}: {_describe_error(*broken.error)}"
        if failed.error is not None:
            return _describe_error(*failed.error)
        return f"{failed.grade_id} wrote to stderr (nbgrader gives such a cell 0):\n{failed.stderr.strip()}"


def _describe_error(ename: str, evalue: str) -> str:
    if ename in ("CheckFailure", "AssertionError") and evalue.strip():
        return evalue.strip()
    if ename in ("CellTimeoutError", "KeyboardInterrupt"):
        return "the cell was stopped after the time limit (an endless loop?)"
    return f"{ename}: {evalue}".strip()


def strip_hidden_tests(source: str) -> str:
    """Remove every ``### BEGIN HIDDEN TESTS`` … ``### END HIDDEN TESTS`` region (delimiters included).

    An unterminated region runs to the end of the cell, as nbgrader would refuse it anyway.
    """
    kept, hidden = [], False
    for line in source.splitlines(keepends=True):
        if _HIDDEN_BEGIN in line:
            hidden = True
        elif _HIDDEN_END in line and hidden:
            hidden = False
        elif not hidden:
            kept.append(line)
    return "".join(kept)


def exercise_id(grade_id: str) -> str:
    """Exercise id of an nbgrader ``grade_id``: the part before the first ``_``."""
    return grade_id.split("_", 1)[0]


def read_notebook(path: str | os.PathLike):
    """Read an .ipynb file as an nbformat v4 notebook; raise :class:`NotebookInputError` if impossible."""
    import nbformat

    path = Path(path)
    if not path.exists():
        raise NotebookInputError(f"no such file: {path}")
    if not path.is_file():
        raise NotebookInputError(f"expected a notebook file (.ipynb), found a directory: {path}")
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as exc:  # JSON errors, missing keys, unreadable encodings, …
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise NotebookInputError(
            f"{path} is not a Jupyter notebook (expected .ipynb JSON in nbformat 4): {first}"
        ) from None
    if not any(cell.get("metadata", {}).get("nbgrader") for cell in nb.cells):
        raise NotebookInputError(
            f"{path} has no nbgrader cells: expected an exercise notebook from solutions/ or exercises/"
        )
    return nb


def _nbgrader_meta(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {}) or {}


def _cell_verdict(cell, grade_id: str, points: float) -> CellVerdict:
    verdict = CellVerdict(grade_id=grade_id, points=points)
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error" and verdict.error is None:
            evalue = _ANSI.sub("", str(output.get("evalue", "")))
            verdict.error = (str(output.get("ename", "Error")), evalue)
        elif output.get("output_type") == "stream" and output.get("name") == "stderr":
            verdict.stderr += _ANSI.sub("", str(output.get("text", "")))
    return verdict


def execute_visible(nb, workdir: str | os.PathLike, *, timeout: int = 120):
    """Execute ``nb`` (in place) with its hidden tests removed; return it.

    Kernel ``python3``, working directory ``workdir``, ``MPLBACKEND=Agg``; errors are recorded in
    the cells' outputs and execution goes on; a cell running longer than ``timeout`` seconds is
    interrupted and the run continues with the next cell.
    """
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import DeadKernelError

    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.source = strip_hidden_tests(cell.source)
            cell.outputs = []
            cell.execution_count = None
    quiet = logging.getLogger("nnbook.book.check.kernel")
    quiet.addHandler(logging.NullHandler())
    quiet.propagate = False
    env = dict(os.environ, MPLBACKEND="Agg")
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        allow_errors=True,
        interrupt_on_timeout=True,
        resources={"metadata": {"path": str(workdir)}},
        log=quiet,
    )
    # transport_encryption: the kernelspec supports CurveZMQ, and without it ipykernel warns on stderr.
    try:
        client.execute(env=env, transport_encryption="auto")
    except DeadKernelError as exc:
        # The kernel died (e.g. a crash in compiled code): the cells that never ran must not
        # count as passed, so give each of them an error output.
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else "the kernel died"
        for cell in nb.cells:
            if cell.cell_type == "code" and cell.source.strip() and cell.execution_count is None:
                cell.outputs = [nbformat.v4.new_output(
                    "error", ename="DeadKernelError",
                    evalue=f"not run: the notebook's kernel died before this cell ({reason})", traceback=[])]
    return nb


def collect_reports(nb) -> list[ExerciseReport]:
    """Group the executed notebook's nbgrader cells into per-exercise reports, in notebook order."""
    reports: dict[str, ExerciseReport] = {}
    for cell in nb.cells:
        meta = _nbgrader_meta(cell)
        grade_id = meta.get("grade_id")
        if not grade_id:
            continue
        grade, solution = bool(meta.get("grade")), bool(meta.get("solution"))
        if not (grade or solution):
            continue
        report = reports.setdefault(exercise_id(grade_id), ExerciseReport(exercise_id(grade_id)))
        points = float(meta.get("points", 0) or 0)
        if grade and solution:
            report.manual_points += points
        elif grade and cell.cell_type == "code":
            report.tests.append(_cell_verdict(cell, grade_id, points))
        elif solution and cell.cell_type == "code":
            report.solutions.append(_cell_verdict(cell, grade_id, 0.0))
    return list(reports.values())


def other_cell_errors(nb) -> list[str]:
    """One line per errored code cell that is neither a test nor a solution cell (e.g. the setup cell)."""
    lines = []
    for index, cell in enumerate(nb.cells, start=1):
        meta = _nbgrader_meta(cell)
        if cell.cell_type != "code" or meta.get("grade") or meta.get("solution"):
            continue
        verdict = _cell_verdict(cell, meta.get("grade_id") or f"#{index}", 0.0)
        if verdict.error is not None:
            first = _describe_error(*verdict.error).splitlines()[0]
            lines.append(f"! cell {verdict.grade_id} raised {first}")
    return lines


def _format_points(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def format_report(reports: list[ExerciseReport], cell_errors: list[str] = ()) -> list[str]:
    """The lines ``nnbook check`` prints; the last one is exactly ``score: X / Y``."""
    lines = list(cell_errors)
    width = max((len(r.exercise_id) for r in reports), default=0)
    for r in reports:
        if r.tests:
            mark = "✓" if r.passed else "✗"
            lines.append(f"{mark} {r.exercise_id:<{width}}  {_format_points(r.points)}/{_format_points(r.max_points)}")
            message = r.failure_message()
            if message:
                shown = message.splitlines()
                if len(shown) > _MESSAGE_LINES:
                    shown = shown[:_MESSAGE_LINES] + ["…"]
                lines.extend("    " + line for line in shown)
        if r.manual_points:
            lines.append(f"○ {r.exercise_id:<{width}}  {_format_points(r.manual_points)} point(s) of written answer: "
                         "graded by your instructor")
    earned = sum(r.points for r in reports)
    total = sum(r.max_points for r in reports)
    lines.append(f"score: {_format_points(earned)} / {_format_points(total)}")
    return lines


def check_notebook(path: str | os.PathLike, *, timeout: int = 120):
    """Execute the notebook at ``path`` (visible checks only).

    Returns ``(reports, cell_errors)``: one :class:`ExerciseReport` per exercise and the lines of
    :func:`other_cell_errors`.  Raises :class:`NotebookInputError` when ``path`` is missing or not
    an exercise notebook.
    """
    path = Path(path)
    nb = read_notebook(path)
    execute_visible(nb, path.resolve().parent, timeout=timeout)
    return collect_reports(nb), other_cell_errors(nb)


def run_check(path: str | os.PathLike, *, timeout: int = 120, out: TextIO | None = None) -> int:
    """``nnbook check``: print one line per exercise and ``score: X / Y``; return the exit code.

    0 when every visible auto-graded check passes, 1 otherwise, 2 when ``path`` is not a
    readable exercise notebook (the reason is printed).  ``timeout`` is per cell, in seconds.
    """
    out = sys.stdout if out is None else out
    try:
        reports, cell_errors = check_notebook(path, timeout=timeout)
    except NotebookInputError as exc:
        print(f"nnbook check: {exc}", file=out)
        return EXIT_BAD_INPUT
    for line in format_report(reports, cell_errors):
        print(line, file=out)
    return EXIT_ALL_PASSED if all(r.passed for r in reports) else EXIT_SOME_FAILED
