"""nbgrader configuration of the nnbook course (nbgrader 0.9).

Package data of nnbook (``nnbook/book/course_data/``), never imported: ``nnbook course build
DIR --solutions PATH`` renders it into ``DIR/nbgrader_config.py``, rewriting the three lines
marked ``# nnbook:<name>`` with the course folder, the per-cell timeout and the assignments
found in the solutions folder.  Copied by hand into a course folder it works as it is: the
course root is then the folder that holds the file.

nbgrader executes this file in its own process, so the environment variables set at the end
reach every kernel that ``nbgrader autograde`` starts.
"""

import os
import warnings

COURSE_ROOT = os.path.dirname(os.path.abspath(__file__))  # nnbook:root
CELL_TIMEOUT = 60  # nnbook:timeout
# For reference: the assignments `nnbook course build` copied to source/ and added to gradebook.db.
ASSIGNMENTS = []  # nnbook:assignments

c = get_config()  # noqa: F821 -- provided by traitlets when nbgrader loads this file

c.CourseDirectory.course_id = "nnbook"
c.CourseDirectory.root = COURSE_ROOT
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(COURSE_ROOT, "gradebook.db")

# Running submissions behind nnbook's trust boundary (autograding/README.md, "Threat model"):
# - RepairSubmission rebuilds each submission on the source notebook (copied cells, edited
#   metadata, deleted cells are repaired and reported, never a crash);
# - SandboxExecute replaces nbgrader's Execute: the student's cells run in a sandbox
#   (bubblewrap: no network, no course folder), the test cells here, every value crossing as
#   plain data. Every cell gets CELL_TIMEOUT seconds; a cell that runs longer (an endless loop,
#   a loop that swallows interrupts) is stopped, scored as an error, and the rest of the notebook
#   still runs. SANDBOX: "auto" (bubblewrap when it works, otherwise a loud warning), "bwrap"
#   (refuse to grade without it) or "none".
SANDBOX = "auto"
from nbconvert.preprocessors import ClearMetadataPreprocessor, CSSHTMLHeaderPreprocessor  # noqa: E402
from nbgrader.preprocessors import (  # noqa: E402
    AssignLatePenalties, CheckCellMetadata, ClearHiddenTests, ClearOutput, DeduplicateIds, GetGrades,
    IgnorePattern, LimitOutput, OverwriteCells, OverwriteKernelspec, SaveAutoGrades)

from nnbook.book.autograde.preprocessors import RepairSubmission, SandboxExecute  # noqa: E402

c.Autograde.sanitize_preprocessors = [RepairSubmission, ClearOutput, DeduplicateIds, OverwriteKernelspec,
                                      OverwriteCells, CheckCellMetadata]
c.Autograde.autograde_preprocessors = [SandboxExecute, IgnorePattern, ClearMetadataPreprocessor, LimitOutput,
                                       SaveAutoGrades, AssignLatePenalties, CheckCellMetadata]
c.SandboxExecute.timeout = CELL_TIMEOUT
c.SandboxExecute.sandbox = SANDBOX
c.Execute.timeout = CELL_TIMEOUT  # nbgrader's own Execute (validate, and Execute if put back)
c.Execute.interrupt_on_timeout = True
# Feedback shows which checks failed, not the hidden tests' code.
c.GenerateFeedback.preprocessors = [GetGrades, CSSHTMLHeaderPreprocessor, ClearHiddenTests]

# ipykernel warns on stderr when its connection is not encrypted; the python3 kernelspec
# supports CurveZMQ, so let the kernel manager provision keys when pyzmq can.
try:
    import zmq

    if zmq.has("curve"):
        c.KernelManager.transport_encryption = "auto"
except ImportError:  # pragma: no cover - pyzmq comes with jupyter_client
    pass

# What students see in place of the solutions (nbgrader's defaults, stated explicitly).
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"
c.ClearSolutions.begin_solution_delimeter = "BEGIN SOLUTION"
c.ClearSolutions.end_solution_delimeter = "END SOLUTION"
c.ClearHiddenTests.begin_test_delimeter = "BEGIN HIDDEN TESTS"
c.ClearHiddenTests.end_test_delimeter = "END HIDDEN TESTS"

# nbgrader 0.9 with SQLAlchemy 2 logs harmless "not in session" SAWarnings while autograding.
warnings.filterwarnings("ignore", message=r"Object of type <\w+> not in session")

# Kernels started by nbgrader inherit this process's environment:
# - Numba caches its compiled kernels in a writable folder of the course (a read-only package
#   folder would make Numba warn on stderr, which zeroes a test cell, and recompile every time);
# - matplotlib draws without a display.
os.environ.setdefault("NUMBA_CACHE_DIR", os.path.join(COURSE_ROOT, ".numba_cache"))
os.environ.setdefault("MPLBACKEND", "Agg")
