"""Execute one notebook across the boundary: the student's cells in the sandbox, the
instructor's test cells in this (trusted) process.

Roles come from the nbgrader metadata of a notebook :mod:`~nnbook.book.autograde.submission` rebuilt from the
instructor's source, never from the student's file:

- *setup* (locked code, not graded): runs in both, so the student's code and the checks each have
  the notebook's imports and helpers;
- *student* (solution cells and any cell the student added): runs in the sandbox only; every
  global name it (re)binds is copied here as plain data or a :class:`~nnbook.book.autograde.proxy.StudentObject` —
  except names the instructor's cells bound, which keep the instructor's value;
- *test* (graded code cells): runs here only, with a wall-clock limit; a failure in the hidden
  part shows what was checked, not the hidden code or the expected value.

When the student's code runs past the limit or ends its sandbox, the sandbox is restarted and
the cells it had run are run again (except the one that broke it), so the rest of the notebook
is still graded. :func:`execute` runs all this in a fresh process and never raises for a bad
submission.
"""

import builtins
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback

from . import remote_errors
from .channel import ChannelClosed, RemoteFailure
from .proxy import Link, SandboxLost
from .sandbox import UNPROTECTED, Sandbox
from .settings import Settings

HIDDEN_BEGIN = "### BEGIN HIDDEN TESTS"
_BUILTIN_NAMES = frozenset(dir(builtins))
HIDDEN_END = "### END HIDDEN TESTS"


def role(cell):
    """``"setup"``, ``"student"``, ``"test"`` or ``None`` (not run) for a cell."""
    if cell.get("cell_type") != "code":
        return None
    meta = cell.get("metadata", {}).get("nbgrader", {}) or {}
    if meta.get("solution"):
        return "student"
    if meta.get("grade"):
        return "test"
    if meta.get("locked"):
        return "setup"
    return "student"


def hidden_lines(source):
    """1-based line numbers of ``source`` between the hidden-test markers."""
    hidden, inside = set(), False
    for number, line in enumerate(source.splitlines(), start=1):
        if line.strip().startswith(HIDDEN_BEGIN):
            inside = True
        elif line.strip().startswith(HIDDEN_END):
            inside = False
        if inside:
            hidden.add(number)
    return hidden


def _cell_line(error):
    """The line of the cell's top-level statement that raised ``error``."""
    tb, line = error.__traceback__, None
    while tb is not None:
        code = tb.tb_frame.f_code
        if code.co_name == "<module>" and not code.co_filename.endswith(".py"):
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _student_trace(error):
    """The student's side of a failure that happened in the sandbox, without the grader's
    frames (empty for failures of the checks themselves)."""
    text = getattr(error, "remote_traceback", "")
    if not text:
        return []
    kept, skip = [], False
    for line in text.splitlines():
        if line.startswith('  File "') and ("nnbook/book/autograde" in line or "nnbook/book/grading" in line):
            skip = True
            continue
        if line.startswith('  File "'):
            skip = False
        if not skip:
            kept.append(line)
    return kept[1:-1] if len(kept) > 2 else []


class Grader:
    """Runs one notebook's cells in order; see the module docstring."""

    def __init__(self, settings, support=None):
        from .cells import make_shell

        self.settings = settings
        self.shell = make_shell()
        self.sandbox = Sandbox(settings, {}, remote_errors.describe, support=support)
        self.link = Link(self.sandbox)
        self.sandbox._handlers["call"] = self.link.handle_call
        self.sandbox.lost = None
        self.trusted_names = {}  # name → "setup" or "test": the cell kind that bound it
        self.replay = []  # sources the current sandbox has run, in order, to rebuild it
        self.problems = []
        self._hidden = set()

    # -- the sandbox ---------------------------------------------------------------------
    def start(self):
        self.sandbox.start()
        if self.sandbox.mode == "none":
            self.problems.append(UNPROTECTED)

    def _rebuild(self):
        """A fresh sandbox that has run every cell the lost one had run."""
        self.sandbox.restart()
        for source, is_student in list(self.replay):
            self._exec_in_sandbox(source, sync=is_student, replaying=True)

    def _exec_in_sandbox(self, source, sync, replaying=False):
        channel = self.sandbox.channel
        channel.deadline = time.monotonic() + self.settings.timeout
        try:
            answer = channel.request("exec", source=source)
        except RemoteFailure as failure:
            return [_error_output("SandboxError", failure.info.get("message", ""))], True
        finally:
            if self.sandbox.channel is not None:
                self.sandbox.channel.deadline = None
        if not isinstance(answer, dict):
            return [_error_output("SandboxError", "the sandbox answered with something unexpected")], True
        if sync:
            self._sync(answer.get("changed") or {})
        outputs = answer.get("outputs") if isinstance(answer.get("outputs"), list) else []
        return _clean_outputs(outputs), bool(answer.get("failed"))

    def _sync(self, changed):
        namespace = self.shell.user_ns
        for name, data in changed.items():
            if not isinstance(name, str) or not name.isidentifier() or name.startswith("__"):
                continue
            if name in _BUILTIN_NAMES:  # a student's `len` or `float` must not shadow the checks'
                note = f"a student cell defines {name!r}, a Python builtin; the checks use the builtin"
                if note not in self.problems:
                    self.problems.append(note)
                continue
            if name in self.trusted_names:
                # The instructor's value stays. Worth a look only for the setup's names and the
                # checks' helpers: a test's scratch value (`found`, `_w`) is rebound before use.
                if self.trusted_names[name] == "setup" or callable(namespace.get(name)):
                    note = (f"a student cell rebinds {name!r}, a name of the instructor's cells; "
                            "the checks use the instructor's")
                    if note not in self.problems:
                        self.problems.append(note)
                continue
            try:
                namespace[name] = self.link.decode(data)
            except Exception as error:  # noqa: BLE001 - malformed data from the sandbox
                self.problems.append(f"{name!r} could not be read from the sandbox: {error}")

    def run_student(self, source):
        try:
            outputs, failed = self._exec_in_sandbox(source, sync=True)
        except ChannelClosed as error:
            timed_out = "deadline" in str(error)
            message = (f"this cell did not finish within the time limit of {self.settings.timeout:g} s "
                       "and was stopped" if timed_out else f"this cell ended its own process ({error})")
            self.problems.append(message.replace("this cell", "a student cell"))
            self._rebuild()
            return [_error_output("TimeoutError" if timed_out else "SandboxLost", message)]
        self.replay.append((source, True))
        return outputs

    def run_setup(self, source):
        outputs = self._run_trusted(source, test=False)
        try:
            self._exec_in_sandbox(source, sync=False)
            self.replay.append((source, False))
        except ChannelClosed:
            self._rebuild()
        return outputs

    def _run_trusted(self, source, test):
        from .cells import run_cell

        before = {name: id(value) for name, value in self.shell.user_ns.items()}
        self._hidden = hidden_lines(source) if test else set()
        deadline = time.monotonic() + self.settings.timeout
        if self.sandbox.channel is not None:
            self.sandbox.channel.deadline = deadline
        previous = signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, self.settings.timeout + 5)
        try:
            outputs, _ = run_cell(self.shell, source, describe_error=self._describe)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
            if self.sandbox.channel is not None:
                self.sandbox.channel.deadline = None
        for name, value in self.shell.user_ns.items():
            if before.get(name) != id(value) and self.trusted_names.get(name) != "setup":
                self.trusted_names[name] = "test" if test else "setup"
        if self.sandbox.channel is None:  # the student's code was stopped during this cell
            self.problems.append(f"the sandbox was restarted: {self.sandbox.lost}")
            self._rebuild()
        return outputs

    def run_test(self, source):
        return self._run_trusted(source, test=True)

    def _describe(self, etype, evalue, stb):
        """How a failed test cell reads: the message, the student's own trace where the failure
        came from their code, never the grader's frames; hidden checks keep their secrets."""
        ename = etype.__name__
        message = str(evalue)
        line = _cell_line(evalue)
        if line is not None and line in self._hidden:
            what = message.split("\n", 1)[0].split(": ", 1)[0][:160] if issubclass(etype, AssertionError) else ""
            message = (f"a hidden test failed: {what}" if what else
                       f"a hidden test failed with {ename}: {message.splitlines()[0][:300] if message else ''}")
            return ename, message, [f"{ename}: {message}"]
        return ename, message, _student_trace(evalue) + [f"{ename}: {message}"]

    def close(self):
        self.sandbox.kill()


class _Timeout(SandboxLost):
    pass


def _alarm(signum, frame):
    raise _Timeout("the test cell ran past its time limit")


def _error_output(ename, message):
    return {"output_type": "error", "ename": ename, "evalue": message, "traceback": [f"{ename}: {message}"]}


def _clean_outputs(outputs):
    """Outputs from the sandbox, rebuilt as valid nbformat outputs of safe kinds only."""
    clean = []
    for output in outputs[:200]:
        if not isinstance(output, dict):
            continue
        kind = output.get("output_type")
        try:
            if kind == "stream" and output.get("name") in ("stdout", "stderr"):
                clean.append({"output_type": "stream", "name": output["name"], "text": str(output.get("text", ""))})
            elif kind in ("display_data", "execute_result") and isinstance(output.get("data"), dict):
                data = {k: str(v) for k, v in output["data"].items() if k in ("text/plain", "image/png", "image/jpeg")}
                extra = {"execution_count": None} if kind == "execute_result" else {}
                clean.append({"output_type": kind, "data": data, "metadata": {}, **extra})
            elif kind == "error":
                clean.append({"output_type": "error", "ename": str(output.get("ename", "Error"))[:200],
                              "evalue": str(output.get("evalue", ""))[:20000],
                              "traceback": [str(t)[:20000] for t in output.get("traceback", [])][:200]})
        except Exception:  # noqa: BLE001 - a malformed output is dropped, never a crash
            continue
    return clean


def _support_files(folder, target):
    """Copy the assignment's files other than notebooks (modules, data the exercises read)
    from ``folder`` into ``target``."""
    if not folder or not os.path.isdir(folder):
        return
    for entry in os.listdir(folder):
        path = os.path.join(folder, entry)
        if entry.endswith(".ipynb") or entry.startswith("."):
            continue
        if os.path.isdir(path):
            shutil.copytree(path, os.path.join(target, entry), dirs_exist_ok=True,
                            ignore=shutil.ignore_patterns("*.ipynb", ".*"))
        else:
            shutil.copy(path, target)


def run_notebook(nb, settings, support=None):
    """Execute ``nb`` (a repaired submission) in this process; return ``(nb, problems)``.
    ``support``: the assignment's folder, whose other files both sides get in their working
    folder."""
    work = tempfile.mkdtemp(prefix="nnbook-grader-")
    _support_files(support, work)
    os.chdir(work)
    sys.path.insert(0, work)
    grader = Grader(settings, support=work)
    try:
        grader.start()
        for cell in nb["cells"]:
            kind = role(cell)
            if kind is None:
                continue
            source = cell.get("source", "")
            source = "".join(source) if isinstance(source, list) else str(source)
            if kind == "setup":
                cell["outputs"] = grader.run_setup(source)
            elif kind == "student":
                cell["outputs"] = grader.run_student(source)
            else:
                cell["outputs"] = grader.run_test(source)
    finally:
        grader.close()
        os.chdir(tempfile.gettempdir())
        shutil.rmtree(work, ignore_errors=True)
    return nb, grader.problems


def execute(nb, settings, support=None):
    """Execute ``nb`` in a fresh grading process; return ``(executed nb, problems)``. Never
    raises for a bad submission: if grading itself fails, every test cell gets the error.
    ``support``: the assignment's source folder (its other files are copied beside the notebook)."""
    with tempfile.TemporaryDirectory(prefix="nnbook-grade-") as folder:
        source, target = os.path.join(folder, "in.ipynb"), os.path.join(folder, "out.json")
        import nbformat

        nbformat.write(nb, source)
        cells = sum(1 for cell in nb.cells if cell.cell_type == "code")
        limit = (cells + 5) * (settings.timeout + 10) + 120
        argv = [sys.executable, "-m", "nnbook.book.autograde.runner", source, target,
                json.dumps(settings.__dict__), str(support or "")]
        try:
            done = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE, timeout=limit)
            failure = None if done.returncode == 0 else done.stderr.decode(errors="replace")[-3000:]
        except subprocess.TimeoutExpired:
            failure = f"grading did not finish within {limit:g} s"
        if failure is None:
            with open(target, encoding="utf-8") as handle:
                result = json.load(handle)
            return nbformat.from_dict(result["notebook"]), result["problems"]
    import nbformat

    for cell in nb.cells:
        if role(cell) == "test":
            cell.outputs = [nbformat.from_dict(_error_output("GradingError", f"the notebook could not be graded: {failure}"))]
    return nb, [f"grading failed: {failure}"]


def _limit_own_memory(megabytes):
    """Bound this grading process too: what the sandbox sends is bounded per message, but a
    grading process that runs out of memory must fail alone (its notebook is reported), not take
    the machine with it."""
    import resource

    limit = megabytes * 1024 * 1024
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard == resource.RLIM_INFINITY or hard > limit:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    source, target, settings_json, support = argv
    settings = Settings(**json.loads(settings_json))
    _limit_own_memory(2 * settings.memory_mb + 2048)
    with open(source, encoding="utf-8") as handle:  # plain JSON: nbformat costs a second to import
        nb = json.load(handle)
    try:
        nb, problems = run_notebook(nb, settings, support or None)
    except Exception:  # noqa: BLE001 - report, do not lose the notebook
        problems = ["grading stopped: " + traceback.format_exc()[-2000:]]
    with open(target, "w", encoding="utf-8") as handle:
        json.dump({"notebook": nb, "problems": problems}, handle)


if __name__ == "__main__":
    main()
