"""nbgrader preprocessors that put ``nbgrader autograde`` behind the trust boundary.

The course's ``nbgrader_config.py`` (``nnbook course build``) puts :class:`RepairSubmission`
first among ``Autograde.sanitize_preprocessors`` and :class:`SandboxExecute` in place of
nbgrader's ``Execute``; the rest of nbgrader's pipeline (gradebook, ``formgrader``,
``generate_feedback``, ``export``) is unchanged. Neither preprocessor raises for a bad
submission: what went wrong is logged as a warning and kept in the notebook's metadata
(``nnbook_grading.problems``) for ``nnbook grade``'s summary.
"""

from pathlib import Path

import nbformat
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Float, Integer, Unicode

from .cache import ExecutionCache
from .runner import execute, role
from .settings import Settings
from .submission import execution_key, repair


def _course(preprocessor):
    return Path(CourseDirectory(config=preprocessor.config).root)


class RepairSubmission(NbGraderPreprocessor):
    """Rebuild the submission on the instructor's source notebook (see :mod:`~nnbook.book.autograde.submission`)."""

    def preprocess(self, nb, resources):
        info = resources.get("nbgrader", {})
        path = _course(self) / "source" / info.get("assignment", "") / f"{info.get('notebook', '')}.ipynb"
        try:
            source = nbformat.read(str(path), as_version=4)
        except Exception as error:  # noqa: BLE001 - without a source, leave nbgrader's checks to it
            self.log.warning("cannot read the source notebook %s (%s); submission not repaired", path, error)
            return nb, resources
        repaired, problems = repair(source, nb)
        for problem in problems:
            self.log.warning("%s/%s: %s", info.get("student"), info.get("notebook"), problem)
        repaired.metadata["nnbook_grading"] = {"problems": problems}
        return repaired, resources


class SandboxExecute(NbGraderPreprocessor):
    """Execute the notebook across the boundary (:mod:`~nnbook.book.autograde.runner`), or take the execution that
    ``nnbook grade`` already stored for exactly this notebook and these settings."""

    timeout = Float(60.0, help="Wall-clock seconds per cell.").tag(config=True)
    memory_mb = Integer(4096, help="Address-space limit of the sandbox, in MiB.").tag(config=True)
    sandbox = Unicode("auto", help="'bwrap', 'none' or 'auto' (bwrap when it works).").tag(config=True)

    def settings(self):
        course = _course(self)
        cache = course / ".numba_cache"
        return Settings(timeout=self.timeout, memory_mb=self.memory_mb, sandbox=self.sandbox,
                        numba_cache=str(cache.resolve()) if cache.is_dir() else None)

    def preprocess(self, nb, resources):
        settings = self.settings()
        cache = ExecutionCache.of_course(_course(self))
        key = execution_key(nb, settings)
        stored = cache.get(key)
        code_cells = [cell for cell in nb.cells if role(cell) is not None]
        if stored is not None and len(stored.get("outputs", [])) == len(code_cells):
            outputs, problems = stored["outputs"], stored.get("problems", [])
        else:
            info = resources.get("nbgrader", {})
            support = _course(self) / "source" / info.get("assignment", "")
            executed, problems = execute(nb, settings, support=support if support.is_dir() else None)
            outputs = [cell.get("outputs", []) for cell in executed.cells if role(cell) is not None]
            if len(outputs) != len(code_cells):  # cannot happen unless grading failed outright
                outputs = [[] for _ in code_cells]
            cache.put(key, outputs, problems)
        for cell, cell_outputs in zip(code_cells, outputs):
            cell.outputs = [nbformat.from_dict(output) for output in cell_outputs]
        earlier = nb.metadata.get("nnbook_grading", {}).get("problems", [])
        nb.metadata["nnbook_grading"] = {"problems": list(earlier) + list(problems)}
        info = resources.get("nbgrader", {})
        for problem in problems:
            self.log.warning("%s/%s: %s", info.get("student"), info.get("notebook"), problem)
        return nb, resources
