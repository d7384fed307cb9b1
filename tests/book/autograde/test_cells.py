"""nnbook.book.autograde.cells: one cell run in an IPython shell, its outputs kept as nbformat
outputs of safe kinds only.

The shell is IPython's process-wide instance and changes the process (``__main__``, builtins,
warning filters), so the cells run in one fresh Python process; each test reads one case. The
same process also starts a grader (runner.Grader, which uses that shell) on an unconfined
sandbox, to read what it reports."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import nbformat
import pytest

from nnbook.book.autograde import cells

# a 1x1 PNG
PNG = ("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")

CASES = {
    "quiet": "x = 1",
    "streams": "import sys\nprint('to out')\nprint('to err', file=sys.stderr)",
    "result": "6 * 7",
    "result_not_last": "6 * 7\ny = 1",
    "html_display": "from IPython.display import HTML, display\ndisplay(HTML('<script>steal()</script>'))",
    "rich_result": textwrap.dedent("""\
        class Rich:
            def __repr__(self):
                return 'Rich()'
            def _repr_html_(self):
                return '<img src=x onerror=steal()>'
            def _repr_javascript_(self):
                return 'steal()'
            def _repr_svg_(self):
                return '<svg onload=steal()></svg>'
        Rich()"""),
    "images": f"from IPython.display import Image, display\nimport base64\n"
              f"for _ in range(25):\n    display(Image(data=base64.b64decode({PNG!r})))",
    "long_text": f"print('x' * {cells.MAX_TEXT + 5000})",
    "error": "def inner():\n    raise ValueError('bad value')\ninner()",
    "syntax": "def broken(:\n    pass",
    "interrupt": "raise KeyboardInterrupt",
    "exit": "raise SystemExit(3)",
    "described": "raise KeyError('k')",
    "state_kept": "print(x + 1)",
}

SCRIPT = """
import json, sys
from nnbook.book.autograde.cells import make_shell, run_cell
cases = json.loads(sys.stdin.read())
shell = make_shell()
results = {}
for name, source in cases.items():
    describe = (lambda etype, evalue, stb: ("Described", "message only", ["one line"])) \\
        if name == "described" else None
    outputs, failed = run_cell(shell, source, describe_error=describe)
    results[name] = {"outputs": outputs, "failed": failed}

from nnbook.book.autograde.runner import Grader
from nnbook.book.autograde.settings import Settings
grader = Grader(Settings(timeout=10, memory_mb=1024, sandbox="none"))
try:
    grader.start()
    report = {"mode": grader.sandbox.mode, "problems": grader.problems}
finally:
    grader.close()
sys.__stdout__.write("\\nRESULTS " + json.dumps({"cases": results, "unconfined": report}) + "\\n")
"""


@pytest.fixture(scope="module")
def fresh_process(tmp_path_factory):
    home = tmp_path_factory.mktemp("ipython")
    done = subprocess.run([sys.executable, "-c", SCRIPT], input=json.dumps(CASES), capture_output=True, check=False,
                          text=True, timeout=300, env={**_env(), "IPYTHONDIR": str(home)})
    assert done.returncode == 0, done.stderr[-3000:]
    line = [line for line in done.stdout.splitlines() if line.startswith("RESULTS ")][-1]
    return json.loads(line[len("RESULTS "):])


@pytest.fixture(scope="module")
def ran(fresh_process):
    return fresh_process["cases"]


def _env():
    import os

    return {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}


def _kinds(result):
    return [o["output_type"] for o in result["outputs"]]


def test_every_output_is_a_valid_nbformat_output(ran):
    for result in ran.values():
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("", outputs=[
            nbformat.from_dict(o) for o in result["outputs"]])])
        nbformat.validate(nb)


def test_a_quiet_cell_has_no_outputs(ran):
    assert ran["quiet"] == {"outputs": [], "failed": False}


def test_streams_are_kept_apart(ran):
    assert ran["streams"]["outputs"] == [
        {"output_type": "stream", "name": "stdout", "text": "to out\n"},
        {"output_type": "stream", "name": "stderr", "text": "to err\n"}]
    assert ran["streams"]["failed"] is False


def test_the_last_expression_is_an_execute_result(ran):
    [output] = ran["result"]["outputs"]
    assert output["output_type"] == "execute_result" and output["data"] == {"text/plain": "42"}
    assert ran["result_not_last"]["outputs"] == []


def test_html_and_scripts_are_never_kept(ran):
    for name in ("html_display", "rich_result"):
        shown = json.dumps(ran[name]["outputs"])
        assert "steal()" not in shown, name
        for output in ran[name]["outputs"]:
            assert set(output.get("data", {})) <= {"text/plain", "image/png", "image/jpeg"}
    [result] = ran["rich_result"]["outputs"]
    assert result["data"] == {"text/plain": "Rich()"}


def test_images_are_kept_up_to_the_limit(ran):
    images = [o for o in ran["images"]["outputs"] if "image/png" in o.get("data", {})]
    assert len(images) == cells.MAX_IMAGES
    assert images[0]["data"]["image/png"].strip() == PNG


def test_long_text_is_cut(ran):
    [output] = ran["long_text"]["outputs"]
    assert len(output["text"]) < cells.MAX_TEXT + 200
    assert output["text"].startswith("x" * 1000) and "cut" in output["text"][cells.MAX_TEXT:]


def test_an_error_is_an_error_output_and_fails_the_cell(ran):
    result = ran["error"]
    assert result["failed"] is True
    [error] = [o for o in result["outputs"] if o["output_type"] == "error"]
    assert error["ename"] == "ValueError" and error["evalue"] == "bad value"
    assert any("inner" in line for line in error["traceback"])


@pytest.mark.parametrize("name, ename", [("syntax", "SyntaxError"), ("interrupt", "KeyboardInterrupt")])
def test_syntax_errors_and_interrupts_fail_the_cell(ran, name, ename):
    result = ran[name]
    assert result["failed"] is True
    assert [o["ename"] for o in result["outputs"] if o["output_type"] == "error"] == [ename]


def test_system_exit_does_not_end_the_shell(ran):
    assert ran["exit"]["failed"] is True
    assert [o["ename"] for o in ran["exit"]["outputs"] if o["output_type"] == "error"] == ["SystemExit"]
    # the cells after it still ran in the same shell, with the same names
    assert ran["state_kept"]["outputs"] == [{"output_type": "stream", "name": "stdout", "text": "2\n"}]


def test_describe_error_decides_how_an_error_reads(ran):
    [error] = ran["described"]["outputs"]
    assert error == {"output_type": "error", "ename": "Described", "evalue": "message only",
                     "traceback": ["one line"]}


def test_a_grader_on_an_unconfined_sandbox_reports_it(fresh_process):
    """(test_runner.py checks that a confined run does not report it.)"""
    from nnbook.book.autograde.sandbox import UNPROTECTED

    assert fresh_process["unconfined"] == {"mode": "none", "problems": [UNPROTECTED]}
