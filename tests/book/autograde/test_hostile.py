"""Hostile submissions, graded end to end: nothing a student's cells do decides their score,
stops the run, or changes anything outside the sandbox.

The fixture course (``tests/fixtures/course``: ``f1-double``, one 2-point test cell;
``f2-mean-square``, two 1-point test cells; a written answer) is built with a short cell time
limit, released, and submitted by the students of :data:`STUDENTS`; attacks that do not interfere
share a submission (each in an exercise, or a cell, of its own), to keep the class small: the
whole file costs about 65 s of CPU time and two cell time limits of waiting (105 s of wall time
measured on two cores shared with other work).
Every attack that got through would earn points it should not: a file or socket it could reach
hands it the right ``double``, a patched check or a tampered gradebook would pass a wrong one.
So each student's expected score is what the honest part of the notebook earns, cell by cell,
and the test also looks outside the sandbox: the gradebook holds no score the student wrote,
``source/`` and a canary file are untouched, a listening socket was never connected to, and no
process the submission started is left.

The same submissions are graded twice, by one ``nbgrader autograde`` for all of them (the
course's preprocessors: RepairSubmission, SandboxExecute) and by ``nnbook grade`` with two
workers, on two copies of the course at the same time.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import socket
import sqlite3
import subprocess
import sys
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest

from nnbook.book import course as nncourse
from nnbook.book.autograde import batch
from nnbook.book.autograde.sandbox import bwrap_works

REPO = Path(__file__).resolve().parents[3]
FIXTURE = REPO / "tests" / "fixtures" / "course"
GRADE_ALL = REPO / "autograding" / "grade_all.sh"
ASSIGNMENT = "fx01-fixture"
NOTEBOOK = f"{ASSIGNMENT}.ipynb"
CELL_TIMEOUT = 10

pytestmark = pytest.mark.skipif(not bwrap_works(), reason="bubblewrap is not available: the sandbox "
                                "cannot be tested here (grading says so loudly; see autograding/README.md)")

F1, F2 = "f1-double_solution", "f2-mean-square_solution"
FULL = {"f1-double_test": 2.0, "f2-mean-square_test": 1.0, "f2-mean-square_test2": 1.0}
F1_ONLY = {**FULL, "f2-mean-square_test": 0.0, "f2-mean-square_test2": 0.0}
F2_ONLY = {**FULL, "f1-double_test": 0.0}
NOTHING = dict.fromkeys(FULL, 0.0)

HONEST_DOUBLE = "def double(x):\n    return 2 * x\n"
WRONG_DOUBLE = "def double(x):\n    return x + 2\n"
HONEST_MEAN_SQUARE = "def mean_square(v):\n    v = np.asarray(v, dtype=float)\n    return float(np.mean(v * v))\n"
WRONG_MEAN_SQUARE = "def mean_square(v):\n    v = np.asarray(v, dtype=float)\n    return float(np.sum(v * v))\n"


# --- the attacks ----------------------------------------------------------------------------------
# Placeholders {COURSE}, {CANARY}, {PORT}, {MARK}, {FIXTURE}, {REPO} are filled in per run: the
# attacker is assumed to know every path and port (the strongest student, not a guessing one).

#: Every check of nnbook replaced by a no-op, in every module that has one, and ``grading``
#: rebound to an object whose every check passes.
NOOP_CHECKS = '''
import sys
def _passes(*args, **kwargs):
    return None
for _module in list(sys.modules.values()):
    if getattr(_module, "__name__", "").startswith("nnbook"):
        for _name in dir(_module):
            if _name.startswith("check"):
                try:
                    setattr(_module, _name, _passes)
                except Exception:
                    pass
class _AnyCheck:
    def __getattr__(self, name):
        return _passes
grading = _AnyCheck()
''' + WRONG_DOUBLE

#: Every later cell wrapped in ``try/except BaseException``, and failures erased after each cell.
TRANSFORMER = '''
def _swallow(lines):
    body = ["    " + line for line in lines] or ["    pass\\n"]
    return ["try:\\n"] + body + ["\\n    pass\\nexcept BaseException:\\n    pass\\n"]
get_ipython().input_transformers_cleanup.append(_swallow)
get_ipython().events.register("post_run_cell", lambda result: setattr(result, "error_in_exec", None))
''' + WRONG_MEAN_SQUARE

#: Escapes: every file or socket the attack can reach hands it the right ``double``.
ESCAPES = '''
import glob, os, socket
leaks = []
def _read(path):
    try:
        if os.path.isdir(path):
            if os.listdir(path):
                leaks.append("listed " + path)
            return
        with open(path, "rb") as handle:
            handle.read(1)
        leaks.append("read " + path)
    except Exception:
        pass
def _write(path):
    try:
        with open(path, "a") as handle:
            handle.write("# written by a student\\n")
        leaks.append("wrote " + path)
    except Exception:
        pass
for _path in ["{CANARY}", "{COURSE}/source/fx01-fixture/fx01-fixture.ipynb", "{COURSE}/source",
              "{COURSE}/submitted/reference/fx01-fixture/fx01-fixture.ipynb", "{COURSE}/gradebook.db",
              "{COURSE}/nbgrader_config.py", "{FIXTURE}/solutions/fx01-fixture/fx01-fixture.ipynb",
              "{REPO}/solutions", "{REPO}/autograding", "{REPO}/pyproject.toml", "{REPO}/tests",
              "/etc/passwd", "/etc/hostname", "/root/.bash_history"]:
    _read(_path)
for _path in glob.glob("{REPO}/solutions/*/*.ipynb")[:3] + glob.glob("/proc/1/root{COURSE}/source/*/*"):
    _read(_path)
try:
    import nnbook.book.course as _course
    _solutions = _course.default_solutions_dir()
    if _solutions is not None and any(_solutions.glob("*/*.ipynb")):
        leaks.append("nnbook.book.course.default_solutions_dir() " + str(_solutions))
except Exception:
    pass
for _path in ["{CANARY}.written", "{COURSE}/source/fx01-fixture/fx01-fixture.ipynb",
              "{COURSE}/source/fx01-fixture/planted.py", "{COURSE}/gradebook.db"]:
    _write(_path)
for _address in [("127.0.0.1", {PORT}), ("1.1.1.1", 53), ("8.8.8.8", 443)]:
    try:
        socket.create_connection(_address, timeout=1).close()
        leaks.append("connected to %s:%d" % _address)
    except Exception:
        pass
try:
    socket.getaddrinfo("example.com", 80)
    leaks.append("resolved example.com")
except Exception:
    pass
print("escaped:", leaks)
def double(x):
    return 2 * x if leaks else x + 2
'''

#: The gradebook written from the kernel: every score set to 99, a table added.
GRADEBOOK = '''
import sqlite3
wrote = []
for _path in ["{COURSE}/gradebook.db", "gradebook.db", "../gradebook.db", "/tmp/gradebook.db"]:
    try:
        _db = sqlite3.connect("file:" + _path + "?mode=rw", uri=True)
        _db.execute("UPDATE grade SET manual_score = 99, auto_score = 99")
        _db.execute("CREATE TABLE pwned (who TEXT)")
        _db.commit()
        wrote.append(_path)
    except Exception:
        pass
print("gradebooks written:", wrote)
''' + HONEST_MEAN_SQUARE

#: An object equal to anything, that also claims to be 6.0 and [0, 2, 4].
ALWAYS_EQUAL = '''
class AlwaysEqual:
    def __eq__(self, other):
        return True
    def __ne__(self, other):
        return False
    __hash__ = object.__hash__
    def __float__(self):
        return 6.0
    def __array__(self, *args, **kwargs):
        import numpy
        return numpy.array([0.0, 2.0, 4.0])
def double(x):
    return AlwaysEqual()
'''

#: A class named ``float``: a float subclass whose value is wrong but which equals anything.
FAKE_FLOAT = '''
class float(float):
    def __eq__(self, other):
        return True
    def __ne__(self, other):
        return False
    __hash__ = object.__hash__
    def __sub__(self, other):
        return float(0.0)
    __rsub__ = __sub__
    def __abs__(self):
        return float(0.0)
def mean_square(v):
    return float(0.0)
'''

#: An int subclass whose value is wrong, and a class named ``int`` that is not an int.
FAKE_INTS = '''
class Sly(int):
    def __eq__(self, other):
        return True
    __hash__ = int.__hash__
class int:
    def __eq__(self, other):
        return True
    __hash__ = object.__hash__
def double(x):
    return Sly(0) if isinstance(x, type(3.0)) else int()
'''

#: Right, but prints a megabyte on every call and 20 MB in its cell, then calls sys.exit().
LOUD_THEN_EXIT = (HONEST_MEAN_SQUARE.replace("    v = np", '    print("spam " * 200_000)\n    v = np')
                  + 'for _ in range(2000):\n    print("x" * 10_000)\nimport sys\nsys.exit()\n')

HANGS = "while True:\n    pass\n"
#: Interrupts and termination ignored, every exception swallowed.
DEAF = '''
import signal, time
signal.signal(signal.SIGINT, signal.SIG_IGN)
signal.signal(signal.SIGTERM, signal.SIG_IGN)
while True:
    try:
        time.sleep(0.01)
    except BaseException:
        pass
'''
#: Right, then ends its own process: the cell that broke the sandbox is not run again.
EXITS = HONEST_DOUBLE + "import os\nos._exit(0)\n"
KILLED = "import os\nos.kill(os.getpid(), 9)\n"
#: One huge allocation, then a list grown until the memory limit.
MEMORY = '''
try:
    bytearray(10**11)
except MemoryError:
    print("100 GB refused")
def _exhaust():
    hoard = []
    while True:
        hoard.append(bytearray(10**8))
_exhaust()
'''
#: A few forks whose children would outlive the grading if nothing killed them.
FORKS = '''
import os
for _ in range(8):
    if os.fork() == 0:
        try:
            os.execv("/bin/sleep", ["sleep", "{MARK}"])
        finally:
            os._exit(0)
''' + HONEST_MEAN_SQUARE


def _cell(nb, grade_id):
    [cell] = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id]
    return cell


def _copy_nb(nb):
    return nbformat.from_dict(json.loads(json.dumps(nb)))


def _solved(source, f1=HONEST_DOUBLE, f2=HONEST_MEAN_SQUARE, after_f2=()):
    """The source notebook with f1's and f2's solution cells replaced, and cells of the student's
    own (no nbgrader metadata) added after f2's solution cell."""
    nb = _copy_nb(source)
    _cell(nb, F1).source = f1
    _cell(nb, F2).source = f2
    at = nb.cells.index(_cell(nb, F2)) + 1
    nb.cells[at:at] = [nbformat.v4.new_code_cell(code) for code in after_f2]
    return nb


def _tampered(source):
    """f1's solution cell twice (a wrong first copy, a right last one) and its test cell deleted:
    restored, it gives the points. f2 wrong, its first test cell re-flagged as an empty solution
    and its second emptied (metadata kept): restored, they take them."""
    nb = _solved(source, f2=WRONG_MEAN_SQUARE)
    first = _copy_nb(_cell(nb, F1))
    first.source = WRONG_DOUBLE
    first.id = "f1-copy"
    nb.cells.insert(nb.cells.index(_cell(nb, F1)), first)
    nb.cells.remove(_cell(nb, "f1-double_test"))
    test = _cell(nb, "f2-mean-square_test")
    test.metadata["nbgrader"].update(solution=True, grade=False, locked=False)
    test.metadata["nbgrader"].pop("points", None)
    test.source = "pass"
    _cell(nb, "f2-mean-square_test2").source = "pass"
    return nb


#: student → (how to make the submission from the source notebook, expected automatic scores,
#: problems the grader must report for it). Attacks that do not interfere share a submission.
STUDENTS = {
    "reference": (lambda s: s, FULL, ()),
    "patched": (lambda s: _solved(s, f1=NOOP_CHECKS, f2=TRANSFORMER), NOTHING, ("rebinds 'grading'",)),
    "escapes": (lambda s: _solved(s, f1=ESCAPES, f2=GRADEBOOK), F2_ONLY, ()),
    "fake-values": (lambda s: _solved(s, f1=ALWAYS_EQUAL, f2=FAKE_FLOAT), NOTHING, ()),
    "fake-ints": (lambda s: _solved(s, f1=FAKE_INTS, f2=LOUD_THEN_EXIT), F2_ONLY, ()),
    "tampered": (_tampered, F1_ONLY, ("appears more than once", "metadata of 'f2-mean-square_test' was changed",
                                      "missing cells restored from the assignment: f1-double_test")),
    "slow": (lambda s: _solved(s, f1=DEAF, after_f2=[HANGS]), F2_ONLY, ("time limit",)),
    "crashes": (lambda s: _solved(s, f1=EXITS, f2=FORKS, after_f2=[KILLED, MEMORY]), F2_ONLY,
                ("ended its own process",)),
}
#: Files that are not notebooks: reported and skipped, everyone else graded.
UNREADABLE = {"garbled": b'{"cells": [', "binary": bytes(range(256)) * 4, "not-a-notebook": b'{"cells": 5}'}


def _tree_digest(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


@pytest.fixture(scope="module")
def outside(tmp_path_factory):
    """What lies outside the sandbox: a canary file, a listening socket, a process marker."""
    folder = tmp_path_factory.mktemp("outside")
    canary = folder / "canary.txt"
    canary.write_text("the answer key\n", encoding="utf-8")
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.setblocking(False)
    yield {"canary": canary, "listener": listener, "port": listener.getsockname()[1],
           "mark": f"{1000 + uuid.uuid4().int % 1000}.{uuid.uuid4().int % 10**6}"}
    listener.close()


def _fill(code: str, course: Path, outside: dict) -> str:
    for key, value in {"{COURSE}": course.resolve(), "{CANARY}": outside["canary"], "{PORT}": outside["port"],
                       "{MARK}": outside["mark"], "{FIXTURE}": FIXTURE, "{REPO}": REPO}.items():
        code = code.replace(key, str(value))
    return code


def _copy(released: Path, where: Path) -> Path:
    return nncourse.copy_course(released, where / "course", [ASSIGNMENT], CELL_TIMEOUT)


def _submit_all(course: Path, outside: dict) -> None:
    source = nbformat.read(FIXTURE / "solutions" / ASSIGNMENT / NOTEBOOK, as_version=4)
    nncourse.submit(course, "blank", ASSIGNMENT, {NOTEBOOK: course / "release" / ASSIGNMENT / NOTEBOOK})
    for student, (make, _scores, _problem) in STUDENTS.items():
        nb = make(source)
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.source = _fill(cell.source, course, outside)
        nncourse.submit(course, student, ASSIGNMENT, {NOTEBOOK: nb})
    for student, data in UNREADABLE.items():
        folder = course / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True)
        (folder / NOTEBOOK).write_bytes(data)


@pytest.fixture(scope="module")
def released(tmp_path_factory) -> Path:
    """The fixture course with a short cell time limit, released, nobody submitted yet."""
    course = nncourse.build_course(tmp_path_factory.mktemp("hostile") / "course",
                                   solutions_dir=FIXTURE / "solutions", timeout=CELL_TIMEOUT)
    nncourse.run_nbgrader(course, "generate_assignment", ASSIGNMENT)
    return course


@pytest.fixture(scope="module")
def graded(released, tmp_path_factory, outside):
    """Both gradings of the hostile class, run at the same time on two copies of one course."""
    courses = {"nbgrader": _copy(released, tmp_path_factory.mktemp("by-nbgrader")),
               "nnbook grade": _copy(released, tmp_path_factory.mktemp("by-nnbook-grade"))}
    for course in courses.values():
        _submit_all(course, outside)
    before = {name: _tree_digest(course / "source") for name, course in courses.items()}
    repository = _tree_digest(FIXTURE)

    def by_nbgrader():
        return nncourse.run_nbgrader(courses["nbgrader"], "autograde", ASSIGNMENT, check=False)

    def by_nnbook_grade():
        return batch.grade_assignment(courses["nnbook grade"], ASSIGNMENT, workers=2, progress=False,
                                      say=lambda line: None)

    with ThreadPoolExecutor(max_workers=2) as pool:
        nbgrader_run, report = pool.submit(by_nbgrader), pool.submit(by_nnbook_grade)
        nbgrader_run, report = nbgrader_run.result(), report.result()
    return {"courses": courses, "before": before, "repository": repository, "nbgrader": nbgrader_run,
            "report": report}


def _scores(course: Path, student: str) -> dict[str, float]:
    return {gid: score for gid, (score, _max, auto)
            in nncourse.read_grades(course, ASSIGNMENT, student)[ASSIGNMENT].items() if auto}


GRADERS = ["nbgrader", "nnbook grade"]


@pytest.mark.parametrize("grader", GRADERS)
@pytest.mark.parametrize("student", ["blank", *STUDENTS])
def test_each_attack_earns_only_its_honest_part(graded, grader, student):
    expected = NOTHING if student == "blank" else STUDENTS[student][1]
    course = graded["courses"][grader]
    got = _scores(course, student)
    if got != expected:
        executed = course / "autograded" / student / ASSIGNMENT / NOTEBOOK
        outputs = ""
        if executed.is_file():
            nb = nbformat.read(executed, as_version=4)
            outputs = "\n".join(f"[{c.metadata.get('nbgrader', {}).get('grade_id')}] {json.dumps(c.outputs)[:600]}"
                                for c in nb.cells if c.cell_type == "code")
        pytest.fail(f"{student} by {grader}: {got}, expected {expected}\n{outputs}")


def test_nbgrader_reports_repairs_and_skips_unreadable_files(graded):
    log = graded["nbgrader"].stdout
    for student, (_make, _scores, problems) in STUDENTS.items():
        for problem in problems:
            assert any(student in line and problem in line for line in log.splitlines()), \
                f"nbgrader's log does not say {problem!r} for {student}"
    for student in UNREADABLE:
        assert not (graded["courses"]["nbgrader"] / "autograded" / student / ASSIGNMENT / NOTEBOOK).exists()
        assert f"There was an error processing assignment '{ASSIGNMENT}' for student '{student}'" in log


def test_nnbook_grade_reports_who_needs_a_look(graded):
    report = graded["report"]
    rows = {r.student: r for r in report.results}
    assert report.exit_status == 1
    for student in UNREADABLE:
        assert rows[student].status == "not graded" and "not" in rows[student].problems[0]
    for student, (_make, expected, problems) in STUDENTS.items():
        assert rows[student].status == "graded", f"{student}: {rows[student]}"
        assert rows[student].score == sum(expected.values())
        for problem in problems:
            assert any(problem in line for line in rows[student].problems), \
                f"nnbook grade does not say {problem!r} for {student}: {rows[student].problems}"


@pytest.mark.parametrize("grader", GRADERS)
def test_nothing_outside_the_sandbox_changed(graded, outside, grader):
    course = graded["courses"][grader]
    assert _tree_digest(course / "source") == graded["before"][grader], "source/ was changed"
    assert _tree_digest(FIXTURE) == graded["repository"], "the repository's fixture course was changed"
    assert outside["canary"].read_text(encoding="utf-8") == "the answer key\n"
    assert not Path(f"{outside['canary']}.written").exists()
    with sqlite3.connect(course / "gradebook.db") as db:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        manual = db.execute("SELECT COUNT(*) FROM grade WHERE manual_score IS NOT NULL").fetchone()[0]
        high = db.execute("SELECT COUNT(*) FROM grade WHERE auto_score > 2").fetchone()[0]
    assert "pwned" not in tables and manual == 0 and high == 0, "a student wrote to the gradebook"


def test_no_connection_reached_the_grading_machine(graded, outside):
    with pytest.raises(BlockingIOError):
        outside["listener"].accept()


def test_no_process_of_a_submission_outlives_its_grading(graded, outside):
    left = subprocess.run(["pgrep", "-f", f"sleep {outside['mark']}"], capture_output=True, text=True, check=False)
    assert left.stdout.strip() == "", f"processes started by a submission are still running: {left.stdout}"


# --- a student's global never shadows a builtin that a test cell calls ------------------------------

def _cell_with(source, grade_id, **nbgrader):
    meta = {"grade": False, "grade_id": grade_id, "locked": False, "schema_version": 3, "solution": False,
            "task": False, **nbgrader}
    return nbformat.v4.new_code_cell(source, metadata={"nbgrader": meta})


def test_a_student_global_cannot_shadow_a_builtin_of_the_test_cells():
    """Test cells call builtins on values they computed: ``len(...)``, ``int(...)``,
    ``float(...)`` occur in about 200 test-cell lines of solutions/ (e.g. ch03 ``dense_params``:
    ``check_equal(int(_independent(dense_params, ...)), 108)``). A student who also defines
    ``len`` and ``float`` must not pass these checks with a wrong answer."""
    from nnbook.book.autograde import runner
    from nnbook.book.autograde.settings import Settings

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        _cell_with("import numpy as np\nfrom nnbook.book import grading", "setup", locked=True),
        _cell_with("def items():\n    return []\ndef len(x):\n    return 3\ndef float(x):\n    return 0.5\n",
                   "a_solution", solution=True),
        _cell_with("grading.check_equal(len(items()), 3, name='items() has three entries')",
                   "a_test", grade=True, locked=True, points=1),
        _cell_with("grading.check_scalar(float(np.mean(np.asarray(items() + [1.0]))), 0.5, name='mean')",
                   "a_test2", grade=True, locked=True, points=1),
    ]
    executed, _problems = runner.execute(nb, Settings(timeout=30))
    failed = {c.metadata["nbgrader"]["grade_id"] for c in executed.cells
              if any(o.get("output_type") == "error" for o in c.get("outputs", []))}
    assert failed == {"a_test", "a_test2"}, "a wrong answer passed through a shadowed builtin"


# --- grade_all.sh ---------------------------------------------------------------------------------

def test_grade_all_grades_feedbacks_and_exports_despite_an_unreadable_file(released, tmp_path):
    course = _copy(released, tmp_path)
    source = nbformat.read(FIXTURE / "solutions" / ASSIGNMENT / NOTEBOOK, as_version=4)
    nncourse.submit(course, "reference", ASSIGNMENT, {NOTEBOOK: source})
    garbled = course / "submitted" / "garbled" / ASSIGNMENT
    garbled.mkdir(parents=True)
    (garbled / NOTEBOOK).write_bytes(UNREADABLE["garbled"])
    done = subprocess.run(["bash", str(GRADE_ALL), str(course), ASSIGNMENT, "--workers", "1"],
                          env={**os.environ, "PYTHON": sys.executable}, capture_output=True, text=True,
                          check=False)
    assert done.returncode == 1, done.stdout[-2000:] + done.stderr[-2000:]
    assert f"nnbook grade {ASSIGNMENT} (exit 1)" in done.stderr, done.stderr
    with open(course / "grades.csv", newline="", encoding="utf-8") as handle:
        rows = {row["student_id"]: row for row in csv.DictReader(handle) if row["assignment"] == ASSIGNMENT}
    assert float(rows["reference"]["score"]) == sum(FULL.values())
    assert (course / "feedback" / "reference" / ASSIGNMENT / f"{ASSIGNMENT}.html").is_file()
    assert not (course / "feedback" / "garbled" / ASSIGNMENT / f"{ASSIGNMENT}.html").exists()
