"""The ``nnbook`` command (``nnbook.book.cli``): help texts, ``train``, errors, the console script."""

import argparse
import subprocess
import sys
from importlib.metadata import entry_points

import pytest

from nnbook.book.cli import build_parser, main


def _subparsers(parser):
    """Every (name, parser) below ``parser``, recursively, e.g. ("nnbook course build", …)."""
    found = [(parser.prog, parser)]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                found += _subparsers(child)
    return found


def _help(argv, capsys) -> str:
    with pytest.raises(SystemExit) as stop:
        main([*argv, "--help"])
    assert stop.value.code == 0
    return capsys.readouterr().out


def test_top_level_help_is_plain_text_and_names_every_command(capsys):
    text = _help([], capsys)
    assert "`" not in text and ":func:" not in text
    for command in ("tour", "check", "course", "train", "data"):
        assert command in text


@pytest.mark.parametrize("argv", [[], ["tour"], ["check"], ["course"], ["course", "build"],
                                  ["course", "exercises"], ["train"], ["data"],
                                  ["data", "download-mnist"]])
def test_every_help_page_is_plain_text(argv, capsys):
    text = _help(argv, capsys)
    assert "`" not in text and "None" not in text, text


def test_every_option_has_help_and_every_default_is_shown():
    for prog, parser in _subparsers(build_parser()):
        for action in parser._actions:
            if isinstance(action, (argparse._HelpAction, argparse._SubParsersAction)):
                continue
            assert action.help, f"{prog} {action.dest}: no help text"
            shows_default = action.default in (None, False) or "default:" in action.help
            assert shows_default, f"{prog} {action.dest}: default {action.default!r} not shown"


def test_train_help_shows_the_defaults(capsys):
    text = " ".join(_help(["train"], capsys).split())
    for shown in ("passes over the training set (default: 30)", "(default: 10)", "(default: 3.0)",
                  "neurons per hidden layer (default: 30)", "(default: numba)", "(default: 0)"):
        assert shown in text


def test_train_prints_one_line_per_epoch_from_the_history(capsys):
    assert main(["train", "--epochs", "2", "--hidden", "8", "--quiet"]) == 0
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if line.startswith("epoch")]
    assert [line.split(":")[0] for line in lines] == ["epoch   1", "epoch   2"]
    costs = [float(line.split("training cost ")[1].split(",")[0]) for line in lines]
    assert costs[1] < costs[0]            # SGD on the quadratic cost goes down here
    assert all(0.0 <= float(line.rsplit(" ", 1)[1]) <= 1.0 for line in lines)


def test_train_kernels_take_the_same_steps(capsys):
    outputs = []
    for kernel in ("numba", "reference", "layers"):
        assert main(["train", "--epochs", "1", "--hidden", "5", "--quiet", "--kernel", kernel]) == 0
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1] == outputs[2]


def test_errors_are_short_and_exit_2(tmp_path, capsys):
    assert main(["check", str(tmp_path / "missing.ipynb")]) == 2
    assert main(["train", "--epochs", "0", "--quiet"]) == 2
    assert "epochs" in capsys.readouterr().err
    assert main(["course", "build", str(tmp_path / "c"), "--solutions", str(tmp_path / "nope")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("nnbook course: solutions folder not found") and "--solutions" in err
    assert "Traceback" not in err


def test_bad_option_values_are_refused_by_the_parser(capsys):
    for argv in (["train", "--hidden", "0"], ["check", "x.ipynb", "--timeout", "-1"]):
        with pytest.raises(SystemExit) as stop:
            main(argv)
        assert stop.value.code == 2
        assert "expected a positive integer" in capsys.readouterr().err


def test_the_console_script_runs_main():
    scripts = entry_points(group="console_scripts", name="nnbook")
    assert [ep.value for ep in scripts] == ["nnbook.book.cli:main"]
    assert next(iter(scripts)).load() is main
    result = subprocess.run([sys.executable, "-m", "nnbook.book.cli", "--help"],
                            capture_output=True, text=True, check=True)
    assert "tour" in result.stdout and result.stderr == ""


# --- nnbook experiments --------------------------------------------------------------------------

def test_experiments_help_is_plain_text_and_says_the_data_order(capsys):
    assert "experiments" in _help([], capsys)
    text = " ".join(_help(["experiments"], capsys).split())
    assert "`" not in text and "None" not in text
    assert "--data DIR when given, else MNIST in nnbook's cache" in text
    assert "else the offline 8x8 digits" in text and "Exit 0 when every check held" in text
    for option in ("--quick", "--sweeps", "--out", "--seed", "--quiet", "gulli-1"):
        assert option in text
    assert "(default: nnbook-" in text and "1671 for gulli-1" in text   # argparse breaks at -


def test_experiments_errors_are_short_and_exit_2(tmp_path, capsys):
    assert main(["experiments", "gulli-1", "--data", str(tmp_path / "nowhere")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("nnbook experiments: ") and "nowhere" in err
    assert "Traceback" not in err
    with pytest.raises(SystemExit) as stop:
        main(["experiments", "nielsen-1"])
    assert stop.value.code == 2
    assert "invalid choice: 'nielsen-1'" in capsys.readouterr().err
