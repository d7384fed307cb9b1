"""The README's promises: two set-up commands, CI runs exactly the test one, names that exist."""

import re
import shlex
from importlib import import_module
from pathlib import Path

import pytest

from nnbook.book.cli import build_parser

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")
CI = (REPO / ".ci" / "run").read_text(encoding="utf-8")
#: Lines of .ci/run that only prepare the machine (everything else must be the README's command):
#: the shell, Debian's Chromium for the web book's browser test and bubblewrap for the
#: autograder's sandbox.
CI_PREAMBLE = ('set -euo pipefail', 'cd "$(dirname "$0")/.."', 'bash .ci/install-browser',
               'bash .ci/install-sandbox')


def _section(title: str) -> str:
    return README.split(f"## {title}", 1)[1].split("\n## ", 1)[0]


def _setup_commands() -> list[str]:
    blocks = re.findall(r"```bash\n(.*?)\n```", _section("Set up on a fresh machine"), flags=re.S)
    return [block.strip() for block in blocks]


def _steps(command: str) -> list[list[str]]:
    """A shell line as its ``&&``-separated steps, each split into words."""
    return [shlex.split(step) for step in command.split("&&")]


def _ci_commands() -> list[str]:
    lines = [line.strip() for line in CI.splitlines()[1:]]        # past the #! line
    return [line for line in lines if line and not line.startswith("#") and line not in CI_PREAMBLE]


def test_the_readme_gives_exactly_two_one_line_setup_commands():
    commands = _setup_commands()
    assert len(commands) == 2
    assert all("\n" not in command for command in commands)
    main_job, tests = (_steps(c) for c in commands)
    assert main_job[-1] == ["nnbook", "tour"]
    assert tests[-1] == ["python", "-m", "pytest"]
    for steps in (main_job, tests):          # both start from nothing: a venv, then an install
        assert steps[0] == ["python3", "-m", "venv", ".venv"]
        assert steps[1] == [".", ".venv/bin/activate"]
        assert steps[2][:3] == ["pip", "install", "-e"]


def test_ci_runs_exactly_the_readme_test_command():
    assert CI.startswith("#!/usr/bin/env bash\n")
    assert all(line in CI.splitlines() for line in CI_PREAMBLE)
    commands = _ci_commands()
    assert len(commands) == 1, commands
    assert _steps(commands[0]) == _steps(_setup_commands()[1])


def _dotted_names() -> set[str]:
    return set(re.findall(r"`(nnbook(?:\.\w+)+)`", README))


def test_the_readme_names_modules_and_objects_that_exist():
    names = _dotted_names()
    assert "nnbook.kernels.minibatch_sgd" in names
    for name in sorted(names):
        parts = name.split(".")
        for split in range(len(parts), 0, -1):
            try:
                obj = import_module(".".join(parts[:split]))
            except ImportError:
                continue
            for attribute in parts[split:]:
                obj = getattr(obj, attribute)     # AttributeError names what does not exist
            break
        else:
            pytest.fail(f"README names {name}, which does not import")


def test_the_readme_names_repository_files_that_exist():
    paths = set(re.findall(r"`((?:tests|benchmarks|autograding|chapters|exercises|nnbook)/[\w./-]+)`",
                           README))
    assert paths
    for path in sorted(paths):
        assert (REPO / path.rstrip("/")).exists(), f"README names {path}, which does not exist"


def test_the_readme_commands_exist():
    parser = build_parser()
    commands = next(a for a in parser._actions if a.dest == "command").choices
    used = re.findall(r"(?:^|`)nnbook ([a-z][a-z-]*)((?: [a-z][a-z-]*)?)", README, flags=re.M)
    assert {"tour", "check", "course", "train", "data"} <= {command for command, _ in used}
    for command, sub in used:
        assert command in commands, f"README uses `nnbook {command}`, which does not exist"
        if sub.strip() and command in ("course", "data"):
            subcommands = next(a for a in commands[command]._actions
                               if a.dest.endswith("_command")).choices
            assert sub.strip() in subcommands, f"README uses `nnbook {command}{sub}`"
