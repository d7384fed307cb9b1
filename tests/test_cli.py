"""The ``nnbook`` command and the README's promises about it."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from nnbook.book.cli import main

ROOT = Path(__file__).resolve().parents[1]


def test_readme_gives_exactly_two_setup_commands_and_ci_runs_the_test_one():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Set up on a fresh machine", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```bash\n(.*?)\n```", section, flags=re.S)
    assert len(commands) == 2
    main_job, tests = commands
    assert main_job.endswith("nnbook tour") and "pytest" in tests
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    test_command = tests.split("&& ", 2)[2]  # after creating and activating the venv
    assert test_command in ci


@pytest.mark.slow
def test_tour_writes_figures_json_and_grades_the_reference(tmp_path, capfd):
    out = tmp_path / "figures"
    table = tmp_path / "table.json"
    assert main(["tour", "--out", str(out), "--json", str(table)]) == 0
    stdout, stderr = capfd.readouterr()
    assert stderr == ""
    assert "reference solutions: 46 / 46 automatic points" in stdout or \
        re.search(r"reference solutions: (\d+) / \1 automatic points", stdout)
    rows = json.loads(table.read_text(encoding="utf-8"))
    assert rows and all(set(r) >= {"source", "ref", "quantity", "source_value", "nnbook_value",
                                   "match"} for r in rows)
    assert not any(r["match"] is False for r in rows)
    assert len(list(out.glob("*.png"))) >= 6


def test_train_runs_quietly_on_the_offline_digits(capsys):
    assert main(["train", "--epochs", "2", "--quiet"]) == 0
    assert "epoch   2" in capsys.readouterr().out


def test_errors_are_short_and_exit_2(tmp_path, capsys):
    assert main(["check", str(tmp_path / "missing.ipynb")]) == 2
    assert main(["train", "--epochs", "0", "--quiet"]) == 2
    assert "epochs" in capsys.readouterr().err


def test_console_script_is_installed():
    result = subprocess.run([sys.executable, "-m", "nnbook.book.cli", "--help"], capture_output=True,
                            text=True, check=True)
    assert "tour" in result.stdout
