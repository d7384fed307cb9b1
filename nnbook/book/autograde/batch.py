"""``nnbook grade ASSIGNMENT``: autograde a whole class, in parallel, one writer to the gradebook.

Two phases:

1. **Execute.** Every submitted notebook (``course/submitted/<student>/<assignment>/<nb>.ipynb``
   of a notebook that exists in ``course/source/<assignment>/``) goes through
   :func:`nnbook.book.autograde.pre_execute.pre_execute` on N worker processes (a spawned
   ``ProcessPoolExecutor``) or on a Dask cluster (``dask.distributed.Client(address)``).  That
   runs the student's code in the sandbox and stores the executed notebook in the course's
   execution cache.  Nothing here writes to the gradebook.
2. **Record.** ``nbgrader autograde``, the only writer of ``gradebook.db`` (one process at a
   time), finds every execution in the cache and does nbgrader's bookkeeping (a cache miss is
   executed there, serially, by the same code: the scores equal serial grading by
   construction).  It runs while phase 1 goes on, on batches of the students whose notebooks
   are all executed (:class:`Recorder`), so its work overlaps the sandbox runs.

Reruns are idempotent: a submission is graded again only when a file of it, a file of the
assignment's source, the course's ``nbgrader_config.py`` or the grading settings changed since
it was last graded (``course/.nnbook/grade/<assignment>.json`` keeps what was graded), or with
``force``, which also empties the execution cache (after an update of the grader every
notebook runs again).  nbgrader itself would skip an already autograded submission whose
timestamp did not move (``BaseConverter.init_destination``), so the changed ones are passed
with ``--force`` and every other student is excluded (``--CourseDirectory.student_id_exclude``).

A file that is not a readable notebook is reported and its submission skipped; nothing one
submission does stops the run.  :class:`GradeReport` holds the per-student scores (from the
gradebook) and the problems that need a look.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import multiprocessing
import os
import re
import subprocess
import sys
import threading
import time
import warnings
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Sequence

from nnbook.book.course import COURSE_ID, CourseError, nbgrader_env

#: The function phase 1 runs per notebook, as ``module:name`` (imported inside each worker).
PRE_EXECUTE = "nnbook.book.autograde.pre_execute:pre_execute"
#: One thread per worker for every numeric library: the workers already fill the cores.
ONE_THREAD = {name: "1" for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
                                     "NUMBA_NUM_THREADS", "VECLIB_MAXIMUM_THREADS")}
STATE_DIR = Path(".nnbook") / "grade"
_ERROR_LINE = re.compile(r"There was an error processing assignment '(?P<assignment>.*?)' "
                         r"for student '(?P<student>.*?)'")
_STUDENT_LINE = re.compile(r"Creating/updating student with ID '(?P<student>.*?)'")


class GradeError(CourseError):
    """``nnbook grade`` cannot start: no such course, assignment or student, or no scheduler."""


@dataclass(frozen=True)
class Submission:
    """One student's submission of the assignment, as found on disk."""

    student: str
    notebooks: tuple[str, ...]        # readable notebooks (ids, without .ipynb) to grade
    problems: tuple[str, ...]         # unreadable or missing notebooks
    fingerprint: str                  # changes when anything the grade depends on changes
    unreadable: bool                  # some notebook is not a readable notebook: not graded

    @property
    def gradable(self) -> bool:
        return bool(self.notebooks) and not self.unreadable


@dataclass
class StudentResult:
    """What ``nnbook grade`` did with one student and the score the gradebook holds."""

    student: str
    status: str                       # "graded", "unchanged" or "not graded"
    score: float | None = None
    max_score: float | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def needs_look(self) -> bool:
        return self.status == "not graded" or bool(self.problems)


@dataclass
class GradeReport:
    """The outcome of :func:`grade_assignment`."""

    assignment: str
    results: list[StudentResult]
    executed: int = 0                 # notebooks run in the sandbox by phase 1
    cached: int = 0                   # notebooks phase 1 found already executed
    missed: int = 0                   # notebooks nbgrader had to execute itself (cache misses)
    unprotected: bool = False         # some notebook ran without the sandbox (no bubblewrap)
    regraded: list[str] = field(default_factory=list)   # students passed to nbgrader autograde
    log: Path | None = None           # nbgrader's output of phase 2
    seconds: float = 0.0

    @property
    def exit_status(self) -> int:
        """0 when every submission was graded without problems, 1 when some need a look."""
        return 1 if any(r.needs_look for r in self.results) else 0

    def table(self) -> str:
        """The per-student summary, one row each, then the students that need a look."""
        rows = [("student", "score", "status", "problems")]
        for r in self.results:
            score = "-" if r.score is None else f"{r.score:g} / {r.max_score:g}"
            rows.append((r.student, score, r.status, str(len(r.problems)) if r.problems else ""))
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows]
        lines.insert(1, "  ".join("-" * w for w in widths))
        look = [r for r in self.results if r.needs_look]
        if look:
            lines += ["", f"{len(look)} of {len(self.results)} submissions need a look:"]
            for r in look:
                lines += [f"  {r.student}: {problem}" for problem in r.problems or ["not graded"]]
        return "\n".join(lines)


# --- phase 0: what is there to grade ------------------------------------------------------------

def source_notebooks(course: Path, assignment: str) -> list[str]:
    """Ids of the assignment's notebooks in ``course/source/<assignment>/``; raise if none."""
    folder = course / "source" / assignment
    names = sorted(p.stem for p in folder.glob("*.ipynb")) if folder.is_dir() else []
    if not names:
        raise GradeError(f"no notebooks in {folder}: is {course} an nnbook course (nnbook course "
                         f"build) and {assignment!r} one of its assignments?")
    return names


def _is_readable_notebook(path: Path) -> str | None:
    """None when ``path`` parses as a notebook (JSON object with a cell list), else why not."""
    try:
        data = json.loads(path.read_bytes())
    except (OSError, UnicodeDecodeError, ValueError) as error:
        return f"{path.name} is not a readable notebook ({type(error).__name__}: {error}); skipped"
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list) \
            or not isinstance(data.get("nbformat"), int):
        return f"{path.name} is JSON but not a notebook (no 'cells' list or 'nbformat'); skipped"
    return None


def _hash_files(digest, root: Path) -> None:
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(root)).encode() + b"\0")
        try:
            digest.update(path.read_bytes())
        except OSError as error:
            digest.update(f"unreadable: {error}".encode())
        digest.update(b"\0")


def fingerprint(course: Path, assignment: str, student: str, settings) -> str:
    """sha256 of everything a submission's grade depends on: its files, the assignment's
    source files, the course's ``nbgrader_config.py`` and the grading settings."""
    digest = hashlib.sha256(repr(settings).encode())
    config = course / "nbgrader_config.py"
    digest.update(config.read_bytes() if config.is_file() else b"")
    _hash_files(digest, course / "source" / assignment)
    _hash_files(digest, course / "submitted" / student / assignment)
    return digest.hexdigest()


def submitted_students(course: Path, assignment: str) -> list[str]:
    """Every student with a ``submitted/<student>/<assignment>/`` folder, sorted."""
    root = course / "submitted"
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if (p / assignment).is_dir())


def discover_submissions(course: Path, assignment: str, settings,
                         students: Sequence[str] | None = None) -> list[Submission]:
    """The submissions of ``assignment`` (of ``students`` only, when given), sorted by student."""
    expected = source_notebooks(course, assignment)
    present = submitted_students(course, assignment)
    if students:
        unknown = sorted(set(students) - set(present))
        if unknown:
            raise GradeError(f"no submission of {assignment} for {', '.join(unknown)} in "
                             f"{course / 'submitted'}")
        present = sorted(set(students))
    found = []
    for student in present:
        folder = course / "submitted" / student / assignment
        notebooks, problems, unreadable = [], [], False
        for name in expected:
            path = folder / f"{name}.ipynb"
            if not path.is_file():
                problems.append(f"{name}.ipynb was not submitted (nbgrader scores it 0)")
                continue
            why = _is_readable_notebook(path)
            if why:
                problems.append(why)
                unreadable = True
            else:
                notebooks.append(name)
        if not notebooks and not unreadable:
            problems = [f"no notebook of {assignment} submitted; skipped"]
        found.append(Submission(student, tuple(notebooks), tuple(problems),
                                fingerprint(course, assignment, student, settings), unreadable))
    return found


# --- phase 1: execute in the sandbox, in parallel ---------------------------------------------

def _use_one_thread() -> None:
    """Numeric libraries in this process (and the sandboxes it starts) use one thread each."""
    os.environ.update(ONE_THREAD)
    if "numpy" in sys.modules:       # already loaded (a Dask worker): limit it where it runs
        try:
            from threadpoolctl import threadpool_limits
        except ImportError:          # pragma: no cover - comes with scikit-learn
            return
        threadpool_limits(1)


def _init_worker(course: str) -> None:
    """Process-pool initializer: runs before the worker imports any numeric library."""
    os.environ.update(nbgrader_env(course))
    _use_one_thread()


def execute_notebook(course: str, assignment: str, student: str, notebook: str, settings,
                     runner: str = PRE_EXECUTE) -> dict:
    """Phase 1 for one notebook, in a worker: ``runner(course, assignment, student, notebook,
    settings)``; a failure of the grader itself comes back as a problem, never as an exception."""
    os.environ.update(nbgrader_env(course))
    _use_one_thread()
    start = time.perf_counter()
    try:
        module, name = runner.split(":")
        result = dict(getattr(importlib.import_module(module), name)(
            Path(course), assignment, student, notebook, settings))
    except Exception as error:        # noqa: BLE001 - reported, and nbgrader executes it instead
        result = {"student": student, "notebook": notebook, "key": None, "cached": False,
                  "problems": [f"{notebook}: the sandbox run failed ({type(error).__name__}: "
                               f"{error}); nbgrader executes it instead"]}
    result.setdefault("seconds", time.perf_counter() - start)
    return result


def _failed(task: tuple, why: str) -> dict:
    return {"student": task[2], "notebook": task[3], "key": None, "cached": False,
            "seconds": 0.0, "problems": [f"{task[3]}: {why}; nbgrader executes it instead"]}


def _run_local(tasks: list[tuple], workers: int, done: Callable[[dict], None]) -> None:
    """``tasks`` on ``workers`` spawned processes, ``done(result)`` as each ends; a task whose
    worker died is retried once in a fresh pool, then reported."""
    attempts = {task: 0 for task in tasks}
    pending = list(tasks)
    context = multiprocessing.get_context("spawn")   # no inherited Numba/BLAS threads
    while pending:
        died = []
        with ProcessPoolExecutor(max_workers=min(workers, len(pending)), mp_context=context,
                                 initializer=_init_worker, initargs=(pending[0][0],)) as pool:
            futures = {pool.submit(execute_notebook, *task): task for task in pending}
            for future in as_completed(futures):
                task = futures[future]
                try:
                    done(future.result())
                except BrokenProcessPool:
                    died.append(task)
                except Exception as error:  # noqa: BLE001 - e.g. a result that cannot be unpickled
                    done(_failed(task, f"the worker failed ({error})"))
        pending = []
        for task in died:
            attempts[task] += 1
            if attempts[task] > 1:
                done(_failed(task, "its worker process died twice"))
            else:
                pending.append(task)


def _run_dask(tasks: list[tuple], scheduler: str, done: Callable[[dict], None]) -> None:
    """``tasks`` on the Dask cluster at ``scheduler`` (the course folder must be at the same
    path on every worker), ``done(result)`` as each ends."""
    from dask.distributed import Client, as_completed as dask_completed

    try:
        client = Client(scheduler, timeout="20s")
    except (OSError, TimeoutError) as error:
        raise GradeError(f"cannot reach the Dask scheduler at {scheduler}: {error}") from error
    with client:
        futures = {client.submit(execute_notebook, *task, pure=False): task for task in tasks}
        for future in dask_completed(futures):
            task = futures[future]
            try:
                done(future.result())
            except Exception as error:  # noqa: BLE001 - KilledWorker and the like
                done(_failed(task, f"the Dask task failed ({type(error).__name__}: {error})"))


def execute_all(course: Path, assignment: str, submissions: Iterable[Submission], settings,
                done: Callable[[dict], None], *, workers: int, scheduler: str | None = None,
                runner: str | None = None) -> None:
    """Phase 1 for every notebook of ``submissions``, calling ``done(result)`` as each ends.
    ``runner``: the ``module:function`` to run (default :data:`PRE_EXECUTE`)."""
    runner = runner or PRE_EXECUTE
    tasks = [(str(course), assignment, s.student, notebook, settings, runner)
             for s in submissions for notebook in s.notebooks]
    if scheduler:
        _run_dask(tasks, scheduler, done)
    elif tasks:
        _run_local(tasks, workers, done)


# --- phase 2: nbgrader autograde, the single writer of the gradebook ---------------------------

def autograde(course: Path, assignment: str, students: Sequence[str], *, log: Path,
              graded: Callable[[], None] = lambda: None) -> dict[str, list[str]]:
    """Run ``nbgrader autograde`` for ``students`` only (forced: they are new or changed),
    appending its output to ``log`` and calling ``graded()`` as it starts each student; return
    each one's problems (empty when nbgrader graded every notebook of it)."""
    excluded = sorted(set(submitted_students(course, assignment)) - set(students))
    command = [sys.executable, "-m", "nbgrader", "autograde", assignment, "--force"]
    if excluded:
        command.append("--CourseDirectory.student_id_exclude=" + ",".join(excluded))
    errors: set[str] = set()
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "a", encoding="utf-8") as out:
        out.write(f"$ {' '.join(command[1:])}\n")
        out.flush()
        proc = subprocess.Popen(command, cwd=course, env=nbgrader_env(course), text=True,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        for line in proc.stdout:
            out.write(line)
            if _STUDENT_LINE.search(line):
                graded()
            error = _ERROR_LINE.search(line)
            if error and error["assignment"] == assignment:
                errors.add(error["student"])
        returncode = proc.wait()
    problems = {}
    for student in students:
        folder = course / "autograded" / student / assignment
        if student in errors or not (folder.is_dir() and any(folder.glob("*.ipynb"))):
            problems[student] = [f"nbgrader could not autograde this submission (exit "
                                 f"{returncode}; see {log})"]
        else:
            problems[student] = []
    return problems


class Recorder:
    """Phase 2 while phase 1 goes on: a thread that runs :func:`autograde` on the students whose
    notebooks are all executed, in batches of at least ``batch`` students (fewer at the end),
    one ``nbgrader`` process at a time, so the gradebook keeps a single writer."""

    def __init__(self, course: Path, assignment: str, *, log: Path, batch: int,
                 graded: Callable[[], None]):
        self.course, self.assignment, self.log, self.batch = course, assignment, log, batch
        self.graded = graded
        self.problems: dict[str, list[str]] = {}
        self.runs = 0
        self._ready: list[str] = []
        self._closed = False
        self._error: BaseException | None = None
        self._condition = threading.Condition()
        self._thread = threading.Thread(target=self._work, name="nnbook-grade-recorder",
                                        daemon=True)
        self._thread.start()

    def add(self, student: str) -> None:
        """``student``'s notebooks are all executed: record it with the next batch."""
        with self._condition:
            self._ready.append(student)
            self._condition.notify()

    def finish(self) -> dict[str, list[str]]:
        """Record the students still waiting, wait for nbgrader, return every one's problems."""
        with self._condition:
            self._closed = True
            self._condition.notify()
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self.problems

    def _work(self) -> None:
        try:
            while True:
                with self._condition:
                    self._condition.wait_for(lambda: self._closed or len(self._ready) >= self.batch)
                    students, self._ready = self._ready, []
                    if not students:
                        return             # closed, nothing left
                self.runs += 1
                self.problems.update(autograde(self.course, self.assignment, students,
                                               log=self.log, graded=self.graded))
        except BaseException as error:     # re-raised by finish(), in the caller's thread
            self._error = error


def gradebook_scores(course: Path, assignment: str,
                     students: Iterable[str]) -> dict[str, tuple[float, float]]:
    """student → (score, max score) in the course's gradebook, for those it has a submission of."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")   # nbgrader 0.9's models warn under SQLAlchemy 2
        from nbgrader.api import Gradebook, MissingEntry

        scores = {}
        with Gradebook(f"sqlite:///{course / 'gradebook.db'}", COURSE_ID) as gb:
            for student in students:
                try:
                    submission = gb.find_submission(assignment, student)
                except MissingEntry:
                    continue
                scores[student] = (float(submission.score), float(submission.max_score))
    return scores


# --- the whole command -------------------------------------------------------------------------

def _state_path(course: Path, assignment: str) -> Path:
    return course / STATE_DIR / f"{assignment}.json"


def _load_state(course: Path, assignment: str) -> dict:
    try:
        return json.loads(_state_path(course, assignment).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _save_state(course: Path, assignment: str, state: dict) -> None:
    path = _state_path(course, assignment)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(state, indent=1, sort_keys=True), encoding="utf-8")
    temporary.replace(path)


def _up_to_date(course: Path, assignment: str, submission: Submission, state: dict) -> bool:
    """Graded before with the same fingerprint, and nbgrader's output is still there."""
    previous = state.get(submission.student)
    folder = course / "autograded" / submission.student / assignment
    return (previous is not None and previous.get("fingerprint") == submission.fingerprint
            and all((folder / f"{name}.ipynb").is_file() for name in submission.notebooks))


def _executions_folder(course: Path) -> Path:
    from nnbook.book.autograde.cache import ExecutionCache

    return ExecutionCache.of_course(course).folder


def _stored_executions(course: Path) -> set[str]:
    """Names of the executions in the course's execution cache."""
    folder = _executions_folder(course)
    return {p.name for p in folder.glob("*.json")} if folder.is_dir() else set()


def _forget_executions(course: Path) -> None:
    """Empty the course's execution cache (it only saves time: every notebook runs again)."""
    for path in _executions_folder(course).glob("*.json"):
        path.unlink(missing_ok=True)


def _check_sandbox(settings) -> None:
    """Raise :class:`GradeError` when the settings ask for a sandbox this machine cannot make."""
    from nnbook.book.autograde.sandbox import SandboxUnavailable, isolation

    try:
        isolation(settings)
    except SandboxUnavailable as error:
        raise GradeError(f"the course asks for sandbox {settings.sandbox!r}: {error}") from error


def _course_settings(course: Path):
    from nnbook.book.autograde.settings import settings_from_course

    return settings_from_course(course)


def _grade(course: Path, assignment: str, todo: Sequence[Submission], settings,
           report: GradeReport, *, workers: int, scheduler: str | None, progress: bool,
           runner: str | None, say) -> tuple[dict[str, list[str]], set[str]]:
    """Phases 1 and 2 for ``todo``, overlapped: a student is recorded by nbgrader (in batches)
    as soon as all its notebooks are executed. Returns student → problems, and the students
    nbgrader could not grade. Fills ``report``'s counts, ``regraded`` and ``log``."""
    from tqdm.auto import tqdm

    from nnbook.book.autograde.sandbox import UNPROTECTED

    report.regraded = [s.student for s in todo]
    report.log = course / STATE_DIR / f"{assignment}.log"
    report.log.parent.mkdir(parents=True, exist_ok=True)
    report.log.write_text("", encoding="utf-8")
    waiting = {s.student: len(s.notebooks) for s in todo}
    problems = {s.student: list(s.problems) for s in todo}
    stored, executed_keys = _stored_executions(course), set()
    start = time.perf_counter()
    phase1 = [0.0]
    bars = dict(file=sys.stderr, disable=not progress, dynamic_ncols=True)
    with tqdm(total=sum(waiting.values()), desc="sandbox ", unit="notebook", position=0,
              **bars) as sandbox_bar, \
            tqdm(total=len(todo), desc="nbgrader", unit="student", position=1, **bars) as nbgrader_bar:
        recorder = Recorder(course, assignment, log=report.log, graded=nbgrader_bar.update,
                            batch=max(-(-len(todo) // 4), min(len(todo), 8)))

        def done(result: dict) -> None:
            student = result["student"]
            lines = result.get("problems") or []
            if UNPROTECTED in lines:       # said once for the whole run, not once a student
                report.unprotected = True
            problems[student] += [line for line in lines if line != UNPROTECTED]
            if result.get("cached"):
                report.cached += 1
            else:
                report.executed += 1
                executed_keys.add(result.get("key"))
            sandbox_bar.update()
            phase1[0] = time.perf_counter() - start
            waiting[student] -= 1
            if waiting[student] == 0:
                recorder.add(student)

        try:
            execute_all(course, assignment, todo, settings, done, workers=workers,
                        scheduler=scheduler, runner=runner)
        finally:
            recorded = recorder.finish()
    if report.unprotected:
        say(UNPROTECTED)
    report.missed = sum(Path(name).stem not in executed_keys
                        for name in _stored_executions(course) - stored)
    say(f"sandbox: {report.executed} notebook(s) executed, {report.cached} already in the "
        f"execution cache, in {phase1[0]:.1f} s; nbgrader autograde: {len(todo)} submission(s) "
        f"recorded in {recorder.runs} run(s), all done after {time.perf_counter() - start:.1f} s "
        f"(log: {report.log})")
    if report.missed:
        say(f"nbgrader executed {report.missed} notebook(s) itself, serially: phase 1 had not "
            f"stored them under the key nbgrader looked for (see {report.log})")
    for student, lines in recorded.items():
        problems[student] += lines
    return problems, {student for student, lines in recorded.items() if lines}


def grade_assignment(course: str | os.PathLike, assignment: str, *, workers: int | None = None,
                     scheduler: str | None = None, students: Sequence[str] | None = None,
                     force: bool = False, progress: bool = True, settings=None,
                     runner: str | None = None, say=print) -> GradeReport:
    """Autograde every new or changed submission of ``assignment`` in ``course`` (all with
    ``force``; only ``students`` when given) and report each student's score and problems.

    ``workers`` processes (default: the cores) run the notebooks in the sandbox, or the Dask
    cluster at ``scheduler``; ``nbgrader autograde`` records the grades, one run at a time, in
    batches of students whose notebooks are all executed.  ``settings`` default to the
    course's (``settings_from_course``); ``say`` receives the progress lines.
    """
    start = time.perf_counter()
    course = Path(course).resolve()
    if not (course / "nbgrader_config.py").is_file():
        raise GradeError(f"{course} is not an nbgrader course (no nbgrader_config.py); build one "
                         "with nnbook course build")
    workers = (os.cpu_count() or 1) if workers is None else workers
    if workers < 1:
        raise GradeError(f"workers must be at least 1, found {workers}")
    settings = _course_settings(course) if settings is None else settings
    if not scheduler:
        _check_sandbox(settings)
    submissions = discover_submissions(course, assignment, settings, students)
    state = _load_state(course, assignment)
    todo = [s for s in submissions
            if s.gradable and (force or not _up_to_date(course, assignment, s, state))]
    report = GradeReport(assignment, [])
    failed: dict[str, list[str]] = {}     # student → problems, for those nbgrader did not grade
    if not submissions:
        say(f"no submissions of {assignment} in {course / 'submitted'}")
    elif not todo:
        say(f"nothing new to grade: {sum(s.gradable for s in submissions)} submission(s) of "
            f"{assignment} unchanged since they were graded (--force regrades them)")
    else:
        where = f"the Dask cluster at {scheduler}" if scheduler else f"{workers} worker process(es)"
        say(f"grading {len(todo)} new or changed submission(s) of {assignment} on {where}")
        if force:      # from scratch: the stored executions may come from an older grader
            _forget_executions(course)
        problems, failed_now = _grade(course, assignment, todo, settings, report, workers=workers,
                                      scheduler=scheduler, progress=progress, runner=runner,
                                      say=say)
        for submission in todo:
            student = submission.student
            if student in failed_now:    # not in the gradebook: graded again next time
                state.pop(student, None)
                failed[student] = problems[student]
            else:
                state[student] = {"fingerprint": submission.fingerprint,
                                  "problems": problems[student]}
        _save_state(course, assignment, state)
    scores = gradebook_scores(course, assignment, [s.student for s in submissions])
    for submission in submissions:
        student = submission.student
        if not submission.gradable:
            result = StudentResult(student, "not graded", problems=list(submission.problems))
        elif student in failed:
            result = StudentResult(student, "not graded", problems=failed[student])
        else:
            status = "graded" if student in report.regraded else "unchanged"
            result = StudentResult(student, status, problems=list(state[student]["problems"]))
            if student in scores:
                result.score, result.max_score = scores[student]
        report.results.append(result)
    report.seconds = time.perf_counter() - start
    return report
