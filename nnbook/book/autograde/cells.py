"""Running one notebook cell in an IPython shell and keeping what it shows, as nbformat outputs.

Used on both sides of the boundary: the sandbox runs the student's cells, the grader runs the
instructor's. Outputs are what Jupyter would store: streams, rich displays (plain text and PNG/JPEG
images only — HTML, SVG or JavaScript from a student could run in the instructor's browser),
the value of a last expression, and the error. Text is cut at :data:`MAX_TEXT` characters.
"""

import sys

from IPython.core.displayhook import DisplayHook
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output

MAX_TEXT = 100_000
MAX_IMAGES = 20
SAFE_MIME = ("text/plain", "image/png", "image/jpeg")


class _RecordingDisplayHook(DisplayHook):
    """Keeps the last expression's value as an ``execute_result`` instead of printing it."""

    def write_output_prompt(self):
        pass

    def write_format_data(self, format_dict, md_dict=None):
        self.shell._nnbook_results.append({k: v for k, v in format_dict.items() if k in SAFE_MIME})

    def finish_displayhook(self):
        pass


def make_shell():
    """The process's IPython shell, set up to record results and errors."""
    shell = InteractiveShell.instance(displayhook_class=_RecordingDisplayHook)
    shell._nnbook_results = []
    shell._nnbook_errors = []

    def record_error(etype, evalue, stb):
        shell._nnbook_errors.append((etype, evalue, stb))

    shell._showtraceback = record_error
    shell.enable_gui = lambda gui=None: None  # `%matplotlib inline` asks for it; there is no GUI
    shell.colors = "NoColor"
    return shell


def _cut(text):
    return text if len(text) <= MAX_TEXT else text[:MAX_TEXT] + f"\n… (output cut at {MAX_TEXT} characters)"


def run_cell(shell, source, *, describe_error=None):
    """Run ``source``; return ``(outputs, failed)``. ``describe_error(etype, evalue, stb)`` →
    (ename, evalue, traceback lines) decides how an error is shown (default: IPython's)."""
    shell._nnbook_results.clear()
    shell._nnbook_errors.clear()
    with capture_output(display=True) as captured:
        result = shell.run_cell(source, store_history=False, silent=False)
    outputs = []
    if captured.stdout:
        outputs.append({"output_type": "stream", "name": "stdout", "text": _cut(captured.stdout)})
    if captured.stderr:
        outputs.append({"output_type": "stream", "name": "stderr", "text": _cut(captured.stderr)})
    images = 0
    for rich in captured.outputs:
        data = {k: v for k, v in rich.data.items() if k in SAFE_MIME}
        if any(k.startswith("image/") for k in data):
            images += 1
            if images > MAX_IMAGES:
                continue
        if "text/plain" in data:
            data["text/plain"] = _cut(str(data["text/plain"]))
        if data:
            outputs.append({"output_type": "display_data", "data": data, "metadata": {}})
    for data in shell._nnbook_results:
        if data:
            outputs.append({"output_type": "execute_result", "data": data, "metadata": {},
                            "execution_count": None})
    failed = bool(shell._nnbook_errors) or not result.success
    for etype, evalue, stb in shell._nnbook_errors[:1]:
        if describe_error is not None:
            ename, text, lines = describe_error(etype, evalue, stb)
        else:
            ename, text, lines = etype.__name__, str(evalue), list(stb)
        outputs.append({"output_type": "error", "ename": ename, "evalue": _cut(text),
                        "traceback": [_cut(line) for line in lines]})
    if failed and not shell._nnbook_errors:
        error = result.error_in_exec or result.error_before_exec
        outputs.append({"output_type": "error", "ename": type(error).__name__ if error else "Error",
                        "evalue": str(error)[:MAX_TEXT], "traceback": []})
    sys.stdout.flush()
    return outputs, failed
