"""In a real Jupyter kernel a failed check shows its message alone; other errors keep their
traceback."""

import re

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
import pytest


def _run(source):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)])
    with pytest.raises(CellExecutionError):
        NotebookClient(nb, timeout=60, kernel_name="python3").execute()
    (error,) = [o for o in nb.cells[0].outputs if o.output_type == "error"]
    return error


def test_a_failed_check_shows_only_its_message_in_a_kernel():
    error = _run("from nnbook.book import grading\ngrading.check_equal(3, 4, name='double(2)')")
    assert error.ename == "CheckFailure"
    assert error.evalue == "double(2): expected 4, found 3"
    assert error.traceback == ["CheckFailure: double(2): expected 4, found 3"]


def test_a_students_own_error_keeps_its_traceback():
    error = _run("from nnbook.book import grading\ndef f():\n    return 1 / 0\nf()")
    assert error.ename == "ZeroDivisionError"
    plain = [re.sub(r"\x1b\[[0-9;]*m", "", line) for line in error.traceback]  # without colours
    assert len(plain) > 1 and any("return 1 / 0" in line for line in plain)
