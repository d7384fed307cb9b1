"""Time autograding a class: serial ``nbgrader autograde`` against ``nnbook grade`` with 1 and 2
worker processes, and the sandbox's cost per submission.

    python benchmarks/bench_grade.py [--assignment ch01-nielsen] [--solutions DIR] [--submissions 40]
                                     [--wrong-every 4] [--workers 1 2] [--overhead 5]
                                     [--no-serial] [--markdown] [--keep DIR]

One course is built from the checkout's ``solutions/`` (``nnbook course build``, the hardened
nbgrader configuration) and the assignment released. The class: ``--submissions`` copies of the
reference solution, every ``--wrong-every``-th with one wrong answer from
``autograding/wrong_answers/<assignment>.json`` (taken in turn), each made unique by a comment
``# submission NN`` at the end of its first solution cell (the execution cache is keyed by
content: identical copies would be executed once).

Every mode grades its own fresh copy of that course, from nothing (empty execution cache, empty
gradebook entries):

* serial — ``nbgrader autograde ASSIGNMENT``, one process executing every notebook in turn;
* nnbook grade, N workers — ``nnbook grade ASSIGNMENT --workers N`` (phase 1 on N spawned
  processes; meanwhile ``nbgrader autograde``, one process at a time, records in batches the
  students whose notebooks are done, finding every execution in the cache).

Submissions per minute = submissions / wall seconds; the speed-up is t(serial) / t. "CPU
seconds" is the user + system time of every process the mode ran (getrusage of the finished
children): unlike wall time it does not grow with other load on the machine, and CPU / cores
bounds what the mode can reach on an idle machine. The script checks that every mode gave
every student the same total score (it says so under the table).

The sandbox overhead: ``--overhead`` submissions are run through ``pre_execute`` once with
``Settings(sandbox="bwrap")`` and once with ``sandbox="none"`` (the same limits in a plain
process), interleaved; the overhead per submission is the median difference. It needs bubblewrap
(``apt-get install bubblewrap``); without it the row says so.

A header records date, cores, load average before and after, and versions. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from nnbook.book import course as nncourse

REPO = Path(__file__).resolve().parents[1]


def _meta(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {}) or {}


def _is_solution_code(cell) -> bool:
    return cell.cell_type == "code" and _meta(cell).get("solution") and not _meta(cell).get("grade")


def wrong_answers(solutions: Path, assignment: str) -> list[tuple[str, dict]]:
    """Every (solution grade_id, wrong answer) of the assignment, in file order, from the
    answers beside the solutions folder (the repository's autograding/wrong_answers/, or the
    fixture course's wrong_answers/)."""
    for folder in (solutions.parent / "autograding" / "wrong_answers", solutions.parent / "wrong_answers"):
        path = folder / f"{assignment}.json"
        if path.is_file():
            break
    data = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    return [(gid, entry) for gid, entries in data.items()
            for entry in (entries if isinstance(entries, list) else [entries])]


def _apply(source: str, entry: dict) -> str:
    if "code" in entry:
        return entry["code"]
    for old, new in entry["edit"]:
        source = source.replace(old, new, 1)
    return source


def make_submission(sources: dict, number: int, wrong: tuple[str, dict] | None) -> dict:
    """Copies of the source notebooks: one wrong answer applied (if given) and a marker comment
    in the first solution cell, so that every submission differs from every other."""
    notebooks = {name: nbformat.from_dict(json.loads(json.dumps(nb))) for name, nb in sources.items()}
    cells = [c for nb in notebooks.values() for c in nb.cells if _is_solution_code(c)]
    if wrong is not None:
        grade_id, entry = wrong
        [cell] = [c for c in cells if _meta(c)["grade_id"] == grade_id]
        cell.source = _apply(cell.source, entry)
    cells[0].source = cells[0].source.rstrip("\n") + f"\n# submission {number:02d}"
    return notebooks


def _point_to_itself(course: Path, assignment: str, timeout: int) -> Path:
    """``nbgrader_config.py`` names the course root: a copied course must name its new folder."""
    (course / "nbgrader_config.py").write_text(
        nncourse.render_config(course, [assignment], timeout), encoding="utf-8")
    return course


def copy_course(template: Path, where: Path, assignment: str, timeout: int) -> Path:
    return _point_to_itself(Path(shutil.copytree(template, where, symlinks=True)), assignment,
                            timeout)


def prepare(workdir: Path, solutions: Path, assignment: str, submissions: int, wrong_every: int,
            timeout: int) -> tuple[Path, list[str]]:
    """The released course with the class submitted; the student ids."""
    course = nncourse.build_course(workdir / "template", solutions_dir=solutions, timeout=timeout)
    nncourse.run_nbgrader(course, "generate_assignment", assignment)
    sources = {p.name: nbformat.read(p, as_version=4)
               for p in sorted((solutions / assignment).glob("*.ipynb"))}
    wrongs = wrong_answers(solutions, assignment)
    students = []
    for i in range(submissions):
        wrong = None
        if wrongs and wrong_every and i % wrong_every == wrong_every - 1:
            wrong = wrongs[(i // wrong_every) % len(wrongs)]
        student = f"s{i:02d}"
        nncourse.submit(course, student, assignment, make_submission(sources, i, wrong))
        students.append(student)
    return course, students


def _nnbook_grade(course: Path, assignment: str, workers: int) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "nnbook.book.cli", "grade", assignment,
                           "--course", str(course), "--workers", str(workers), "--quiet"],
                          env=nncourse.nbgrader_env(course), stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True)


def totals(course: Path, assignment: str, students: list[str]) -> dict[str, float | None]:
    """student → total automatic score in the gradebook (None when not graded)."""
    out = {}
    for student in students:
        try:
            grades = nncourse.read_grades(course, assignment, student)
        except Exception:  # noqa: BLE001 - not in the gradebook
            out[student] = None
            continue
        out[student] = sum(score or 0.0 for cells in grades.values()
                           for score, _max, auto in cells.values() if auto)
    return out


def _children_cpu() -> float:
    """CPU seconds (user + system) of every finished child process and their descendants."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def time_mode(template: Path, workdir: Path, assignment: str, students: list[str], timeout: int,
              workers: int | None) -> tuple[float, float, dict]:
    """Wall and CPU seconds of one mode on a fresh copy (workers None: serial nbgrader) and the
    totals."""
    name = "serial" if workers is None else f"workers{workers}"
    course = copy_course(template, workdir / name, assignment, timeout)
    start, cpu = time.perf_counter(), _children_cpu()
    if workers is None:
        nncourse.run_nbgrader(course, "autograde", assignment, check=False)
    else:
        output = _nnbook_grade(course, assignment, workers).stdout
        for line in output.splitlines():   # its phase times and any cache miss of nbgrader
            if line.startswith(("sandbox:", "nbgrader executed")):
                print(f"  {name}: {line}")
    seconds, cpu = time.perf_counter() - start, _children_cpu() - cpu
    scores = totals(course, assignment, students)
    shutil.rmtree(course)
    return seconds, cpu, scores


def sandbox_overhead(template: Path, workdir: Path, assignment: str, students: list[str],
                     timeout: int) -> tuple[list[float], list[float]] | None:
    """Seconds per submission through pre_execute with sandbox="bwrap" and "none" (interleaved),
    or None when bubblewrap does not work here."""
    from nnbook.book.autograde.pre_execute import pre_execute
    from nnbook.book.autograde.sandbox import bwrap_works
    from nnbook.book.autograde.settings import settings_from_course

    if not bwrap_works():
        return None
    course = copy_course(template, workdir / "overhead", assignment, timeout)
    settings = settings_from_course(course)
    notebooks = [p.stem for p in sorted((course / "source" / assignment).glob("*.ipynb"))]
    times: dict[str, list[float]] = {"bwrap": [], "none": []}
    for k, student in enumerate(students):
        for sandbox in (("bwrap", "none") if k % 2 == 0 else ("none", "bwrap")):
            chosen = dataclasses.replace(settings, sandbox=sandbox)
            start = time.perf_counter()
            for notebook in notebooks:
                pre_execute(course, assignment, student, notebook, chosen)
            times[sandbox].append(time.perf_counter() - start)
    shutil.rmtree(course)
    return times["bwrap"], times["none"]


def _versions() -> str:
    import dask
    import nbgrader

    return (f"Python {platform.python_version()}, nbgrader {nbgrader.__version__}, "
            f"dask {dask.__version__}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--assignment", default="ch01-nielsen",
                        help="the chapter's assignment (default: %(default)s)")
    parser.add_argument("--solutions", metavar="DIR", default=str(REPO / "solutions"),
                        help="the solutions folder (default: the checkout's solutions/)")
    parser.add_argument("--submissions", type=int, default=40,
                        help="submissions in the class (default: %(default)s)")
    parser.add_argument("--wrong-every", type=int, default=4,
                        help="every K-th submission has a wrong answer (default: %(default)s)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2],
                        help="worker counts of nnbook grade to time (default: 1 2)")
    parser.add_argument("--overhead", type=int, default=5,
                        help="submissions timed with and without the sandbox (default: "
                        "%(default)s; 0: skip)")
    parser.add_argument("--timeout", type=int, default=60,
                        help="the course's time limit per cell (default: %(default)s)")
    parser.add_argument("--no-serial", action="store_true", help="skip serial nbgrader autograde")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    parser.add_argument("--keep", metavar="DIR", help="work in DIR and keep it (default: a "
                        "temporary folder)")
    args = parser.parse_args(argv)

    workdir = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="nnbook-bench-grade-"))
    workdir.mkdir(parents=True, exist_ok=True)
    load_before = os.getloadavg()
    print(f"date {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC, "
          f"{os.cpu_count()} cores, load average {load_before[0]:.2f} before; {_versions()}")
    try:
        start = time.perf_counter()
        template, students = prepare(workdir, Path(args.solutions), args.assignment, args.submissions,
                                     args.wrong_every, args.timeout)
        print(f"class: {len(students)} submissions of {args.assignment} (course built and "
              f"released in {time.perf_counter() - start:.0f} s)")
        modes = ([] if args.no_serial else [None]) + list(args.workers)
        rows, scores = [], {}
        for workers in modes:
            seconds, cpu, scores[workers] = time_mode(template, workdir, args.assignment,
                                                      students, args.timeout, workers)
            rows.append((workers, seconds, cpu))
        overhead = (sandbox_overhead(template, workdir, args.assignment,
                                     students[:args.overhead], args.timeout)
                    if args.overhead else None)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)

    serial = {workers: seconds for workers, seconds, _cpu in rows}.get(None)
    header = ("mode", "seconds", "submissions / min", "speed-up vs serial", "CPU seconds")
    table = []
    for workers, seconds, cpu in rows:
        mode = "serial nbgrader autograde" if workers is None else f"nnbook grade, {workers} worker" + \
            ("s" if workers > 1 else "")
        speed = f"{serial / seconds:.2f}x" if serial else "-"
        table.append((mode, f"{seconds:.1f}", f"{len(students) * 60 / seconds:.1f}", speed,
                      f"{cpu:.1f}"))
    if args.markdown:
        print("| " + " | ".join(header) + " |\n|---|---:|---:|---:|---:|")
        for row in table:
            print("| " + " | ".join(row) + " |")
    else:
        widths = [max(len(r[i]) for r in [header, *table]) for i in range(len(header))]
        for row in [header, *table]:
            print("  ".join(cell.rjust(w) if i else cell.ljust(w)
                            for i, (cell, w) in enumerate(zip(row, widths))))
    reference = next(iter(scores.values()))
    same = all(s == reference for s in scores.values())
    graded = sum(v is not None for v in reference.values())
    print(f"same total score for every student in every mode: {'yes' if same else 'NO'} "
          f"({graded} of {len(students)} graded; totals {sorted(set(reference.values()), key=str)})")
    if overhead is None:
        print("sandbox overhead: not measured" + ("" if not args.overhead else
                                                 " (bubblewrap does not work here)"))
    else:
        bwrap, plain = overhead
        differences = [b - p for b, p in zip(bwrap, plain)]
        print(f"sandbox overhead per submission (pre_execute, {len(bwrap)} submissions): "
              f"bwrap median {statistics.median(bwrap):.2f} s, none median "
              f"{statistics.median(plain):.2f} s, difference median "
              f"{statistics.median(differences):+.2f} s (min {min(differences):+.2f}, "
              f"max {max(differences):+.2f})")
    print(f"load average {os.getloadavg()[0]:.2f} after")
    return 0


if __name__ == "__main__":
    sys.exit(main())
