"""Executed notebooks kept by key, so that ``nbgrader autograde`` finds the work parallel
workers did (``nnbook grade``) instead of doing it again. One JSON file per key, written
atomically; only the grader writes here (the course folder is outside every sandbox)."""

import json
import os
import tempfile
from pathlib import Path


class ExecutionCache:
    def __init__(self, folder):
        self.folder = Path(folder)

    @classmethod
    def of_course(cls, course):
        return cls(Path(course) / ".nnbook" / "executions")

    def _path(self, key):
        return self.folder / f"{key}.json"

    def get(self, key):
        """``{"outputs": [...per code cell...], "problems": [...]}`` or ``None``."""
        try:
            with open(self._path(key), encoding="utf-8") as handle:
                return json.load(handle)
        except (OSError, ValueError):
            return None

    def put(self, key, outputs, problems):
        self.folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump({"outputs": outputs, "problems": problems}, out)
        os.replace(temporary, self._path(key))
