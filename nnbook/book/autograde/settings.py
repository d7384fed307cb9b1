"""What the grader allows a submission: time per cell, memory, which sandbox."""

import dataclasses
import re
from pathlib import Path


@dataclasses.dataclass(frozen=True)
class Settings:
    """Limits for one graded notebook (plain fields: picklable, hashable, part of the cache key).

    ``timeout``: wall-clock seconds per cell (a test cell's calls into the student's code
    included); ``memory_mb``: address-space limit of the sandbox; ``cpu_seconds``: CPU time of
    one sandbox; ``sandbox``: ``"bwrap"`` (bubblewrap: no network, only the Python installation
    visible, read-only), ``"none"`` (a separate process with limits but the whole file system
    visible — the grader says so loudly) or ``"auto"`` (bubblewrap when it works here).
    ``numba_cache``: a folder of compiled Numba kernels the sandbox starts from (a private copy).
    """

    timeout: float = 60.0
    memory_mb: int = 4096
    cpu_seconds: int = 1800
    sandbox: str = "auto"
    numba_cache: str | None = None

    def __post_init__(self):
        if not (isinstance(self.timeout, (int, float)) and self.timeout > 0):
            raise ValueError(f"timeout must be a positive number of seconds, got {self.timeout!r}")
        if self.sandbox not in ("auto", "bwrap", "none"):
            raise ValueError(f"sandbox must be 'auto', 'bwrap' or 'none', got {self.sandbox!r}")
        if not (isinstance(self.memory_mb, int) and self.memory_mb >= 256):
            raise ValueError(f"memory_mb must be an integer >= 256, got {self.memory_mb!r}")


def settings_from_course(course):
    """The :class:`Settings` of a course folder made by ``nnbook course build``: its cell
    timeout, sandbox kind, sandbox memory (``c.SandboxExecute.memory_mb``, if set) and its Numba
    cache, read from the rendered ``nbgrader_config.py`` — the same values ``SandboxExecute``
    gets there, so that executions ``nnbook grade`` stored are the ones nbgrader looks for."""
    course = Path(course)
    text = (course / "nbgrader_config.py").read_text(encoding="utf-8")
    match = re.search(r"^CELL_TIMEOUT = ([0-9.]+)", text, re.MULTILINE)
    timeout = float(match.group(1)) if match else 60.0
    sandbox = re.search(r"^SANDBOX = \"(\w+)\"", text, re.MULTILINE)
    memory = re.search(r"^c\.SandboxExecute\.memory_mb = (\d+)", text, re.MULTILINE)
    return Settings(timeout=timeout, sandbox=sandbox.group(1) if sandbox else "auto",
                    memory_mb=int(memory.group(1)) if memory else Settings.memory_mb,
                    numba_cache=str((course / ".numba_cache").resolve()))
