"""One submitted notebook executed ahead of ``nbgrader autograde``, for parallel workers."""

import time
from pathlib import Path

import nbformat

from .cache import ExecutionCache
from .runner import execute, role
from .settings import Settings, settings_from_course  # noqa: F401 - part of this module's API
from .submission import execution_key, repair


def pre_execute(course, assignment, student, notebook, settings):
    """Run ``course/submitted/<student>/<assignment>/<notebook>.ipynb`` through the sandbox and
    store the result where :class:`~nnbook.book.autograde.preprocessors.SandboxExecute` looks for it. Never raises
    for a bad submission; returns plain data (see ``nnbook grade``)."""
    started = time.monotonic()
    course = Path(course)
    report = {"student": student, "notebook": notebook, "key": None, "cached": False,
              "seconds": 0.0, "problems": []}
    try:
        source = nbformat.read(str(course / "source" / assignment / f"{notebook}.ipynb"), as_version=4)
        submitted = nbformat.read(str(course / "submitted" / student / assignment / f"{notebook}.ipynb"),
                                  as_version=4)
    except Exception as error:  # noqa: BLE001 - unreadable or not a notebook
        report["problems"].append(f"cannot read the notebook: {type(error).__name__}: {str(error)[:300]}")
        report["seconds"] = time.monotonic() - started
        return report
    nb, problems = repair(source, submitted)
    report["problems"] += problems
    key = execution_key(nb, settings)
    report["key"] = key
    cache = ExecutionCache.of_course(course)
    stored = cache.get(key)
    if stored is not None:
        report["cached"] = True
        report["problems"] += stored.get("problems", [])
    else:
        executed, run_problems = execute(nb, settings, support=course / "source" / assignment)
        cache.put(key, [cell.get("outputs", []) for cell in executed.cells if role(cell) is not None], run_problems)
        report["problems"] += run_problems
    report["seconds"] = time.monotonic() - started
    return report
