"""The wheel: it holds no answers, and installed in a fresh venv outside the checkout it works.

Students install nnbook too, so the wheel must not contain the instructor solutions or the
hidden tests.  The wheel is built from a copy of the working tree (so a stale ``build/`` folder
cannot leak into it), opened with zipfile and searched; then it is installed with its
dependencies into a new virtual environment in a temporary folder, and the commands a student
and an instructor run are run there, with the working directory outside the checkout.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]
NOT_SHIPPED = {"solutions", "exercises", "autograding", "tests", "chapters", "benchmarks"}
COPY_IGNORE = shutil.ignore_patterns(".git", ".venv", "build", "dist", "*.egg-info", "__pycache__",
                                     "nnbook-output", ".pytest_cache", ".ruff_cache",
                                     ".ipynb_checkpoints")
DELIMITER = re.compile(r"^\s*#+\s*(BEGIN|END) (SOLUTION|HIDDEN TESTS)\s*$", flags=re.M)
GUARD = 1800          # seconds: a hung subprocess fails the test instead of the whole CI run


def _run(argv, *, cwd, env=None, check=True) -> subprocess.CompletedProcess:
    proc = subprocess.run([str(a) for a in argv], cwd=cwd, env=env, text=True,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=GUARD)
    if check and proc.returncode != 0:
        raise AssertionError(f"{' '.join(map(str, argv))} exited {proc.returncode}:\n"
                             f"{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return proc


def _can_build_without_isolation() -> bool:
    """setuptools ≥ 64 and wheel in this interpreter: build offline, without fetching them."""
    try:
        import setuptools
        import wheel  # noqa: F401
    except ImportError:
        return False
    return int(setuptools.__version__.split(".")[0]) >= 64


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """A wheel built by pip from a copy of the working tree."""
    tmp = tmp_path_factory.mktemp("wheel")
    source = tmp / "source"
    shutil.copytree(REPO, source, ignore=COPY_IGNORE)
    isolation = () if not _can_build_without_isolation() else ("--no-build-isolation",)
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--disable-pip-version-check",
          *isolation, "-w", tmp / "dist", source], cwd=tmp)
    (built,) = (tmp / "dist").glob("nnbook-*.whl")
    return built


def _solution_notebooks() -> list[Path]:
    return sorted((REPO / "solutions").glob("*/*.ipynb"))


def _hidden_test_blocks() -> list[str]:
    """The code inside every hidden-test region of the solutions (blocks of 2+ lines)."""
    import nbformat

    blocks = []
    for path in _solution_notebooks():
        for cell in nbformat.read(path, as_version=4).cells:
            for block in re.findall(r"BEGIN HIDDEN TESTS[^\n]*\n(.*?)\n[^\n]*END HIDDEN TESTS",
                                    cell.source, flags=re.S):
                lines = [line.strip() for line in block.splitlines() if line.strip()]
                if len(lines) >= 2:
                    blocks.append("\n".join(lines))
    return blocks


def test_the_wheel_holds_the_package_and_its_data_but_no_answers(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        texts = {n: archive.read(n).decode("utf-8", errors="replace") for n in names}
    assert "nnbook/book/course_data/nbgrader_config.py" in names
    assert "nnbook/book/cli.py" in names and "nnbook/book/check.py" in names
    entry_points = next(t for n, t in texts.items() if n.endswith(".dist-info/entry_points.txt"))
    assert re.search(r"^nnbook = nnbook\.book\.cli:main$", entry_points, flags=re.M)
    for name in names:
        assert not NOT_SHIPPED & set(Path(name).parts), f"{name} must not be in the wheel"
        assert not name.endswith(".ipynb"), f"{name}: notebooks are not package data"
    for name, text in texts.items():
        assert not DELIMITER.search(text), f"{name} holds an nbgrader solution/hidden-test delimiter"
        assert not re.search(r'"nbgrader"\s*:\s*\{', text), f"{name} holds nbgrader cell metadata"
    flat = {name: "\n".join(line.strip() for line in text.splitlines() if line.strip())
            for name, text in texts.items()}
    blocks = _hidden_test_blocks()
    assert blocks or not _solution_notebooks()
    for block in blocks:
        leaked = [name for name, text in flat.items() if block in text]
        assert not leaked, f"a hidden test of solutions/ is in {leaked}:\n{block[:300]}"


@pytest.fixture(scope="module")
def venv(wheel, tmp_path_factory) -> dict:
    """A fresh venv (no system site-packages) with the wheel and its dependencies installed."""
    home = tmp_path_factory.mktemp("outside")
    assert REPO not in home.resolve().parents
    _run([sys.executable, "-m", "venv", home / "venv"], cwd=home)
    bin_dir = home / "venv" / "bin"
    env = {k: v for k, v in os.environ.items()
           if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP")}
    env.update(PATH=os.pathsep.join([str(bin_dir), env.get("PATH", "")]),
               PIP_DISABLE_PIP_VERSION_CHECK="1", MPLBACKEND="Agg")
    _run([bin_dir / "python", "-m", "pip", "install", "--quiet", wheel], cwd=home, env=env)
    return {"home": home, "bin": bin_dir, "env": env}


def _nnbook(venv, *args, check=False) -> subprocess.CompletedProcess:
    return _run([venv["bin"] / "nnbook", *args], cwd=venv["home"], env=venv["env"], check=check)


def test_the_installed_package_is_the_wheel_not_the_checkout(venv):
    where = _run([venv["bin"] / "python", "-c", "import nnbook, nnbook.book.course as c; "
                  "print(nnbook.__file__); print(c.checkout_root())"],
                 cwd=venv["home"], env=venv["env"]).stdout.splitlines()
    assert Path(where[0]).is_relative_to(venv["home"] / "venv")
    assert where[1] == "None"


def test_nnbook_check_scores_a_blank_student_notebook(venv):
    notebook = venv["home"] / "student" / "ch01-nielsen.ipynb"
    notebook.parent.mkdir()
    shutil.copyfile(REPO / "exercises" / "ch01-nielsen" / "ch01-nielsen.ipynb", notebook)
    proc = _nnbook(venv, "check", notebook)
    assert proc.returncode == 1, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert re.fullmatch(r"score: 0 / \d+", proc.stdout.strip().splitlines()[-1])
    assert proc.stderr == ""


def test_course_build_needs_the_solutions_and_takes_them_from_the_checkout(venv):
    refused = _nnbook(venv, "course", "build", venv["home"] / "nowhere")
    assert refused.returncode == 2
    assert "solutions/ folder of the nnbook repository" in refused.stderr
    assert "--solutions PATH" in refused.stderr
    course = venv["home"] / "course"
    _nnbook(venv, "course", "build", course, "--solutions", REPO / "solutions", check=True)
    assert (course / "nbgrader_config.py").is_file() and (course / "gradebook.db").is_file()
    for path in _solution_notebooks():
        assert (course / "source" / path.parent.name / path.name).is_file()


def test_tour_without_solutions_skips_grading_and_passes(venv):
    """Chapter 1 only: the installed package is what is tested here; the checkout's tour test
    runs every chapter (each one here cost CI about 10 s)."""
    proc = _nnbook(venv, "tour", "--out", venv["home"] / "figures-plain", "--chapters", "nielsen-1")
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "reference solutions not graded" in proc.stdout
    assert "Grading" not in proc.stdout and proc.stderr == ""
    assert list((venv["home"] / "figures-plain").glob("*.png"))


def test_tour_with_the_solutions_grades_them_to_full_marks(venv):
    """From the wheel, ``--solutions`` is graded through nbgrader. One assignment shows it
    (tests/book/test_course.py grades every assignment's reference through nbgrader; each extra
    one here would cost CI about half a minute)."""
    solutions = venv["home"] / "solutions-ch01"
    shutil.copytree(REPO / "solutions" / "ch01-nielsen", solutions / "ch01-nielsen")
    proc = _nnbook(venv, "tour", "--out", venv["home"] / "figures", "--solutions", solutions,
                   "--chapters", "nielsen-1")
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert re.search(r"reference solutions: (\d+) / \1 automatic points", proc.stdout)
    assert "ch01-nielsen" in proc.stdout
    assert proc.stderr == ""
