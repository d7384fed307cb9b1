"""``nnbook tour`` (``nnbook.book.tour``): a table that fits 100 columns, grading only with solutions."""

import json
import re

import pytest

from nnbook.book import course, tour
from nnbook.book.cli import main
from nnbook.book.sources import LANDED
from nnbook.book.tour import display_width, format_table, run_tour, wrap
from nnbook.book.worked_examples import Reproduction

FIELDS = {"source", "ref", "quantity", "source_value", "nnbook_value", "match"}


def _lines_fit(text: str, width: int = 100) -> list[str]:
    """The lines of ``text`` wider than ``width`` terminal columns (empty when all fit)."""
    return [line for line in text.splitlines() if display_width(line) > width]


# --- wrapping and the table ----------------------------------------------------------------------

def test_display_width_counts_wide_characters_twice():
    assert display_width("abc") == 3
    assert display_width("6千万") == 5
    assert display_width("") == 0


def test_wrap_breaks_at_spaces_and_cuts_words_longer_than_the_width():
    assert wrap("half adder for 00, 01, 10", 10) == ["half adder", "for 00,", "01, 10"]
    assert wrap("abcdefghij", 4) == ["abcd", "efgh", "ij"]
    assert wrap("", 5) == [""]
    assert all(display_width(line) <= 5 for line in wrap("万万万 six 千千千千", 5))
    with pytest.raises(ValueError, match="width"):
        wrap("x", 0)


def test_a_wide_table_wraps_its_cells_to_fit_and_keeps_every_word():
    rows = [{"ref": "§1.1 p.3, w = (6, 2, 2), threshold 5 " * 2, "quantity": "decisions " * 15,
             "source_value": "0" * 40, "nnbook_value": 0.17293034989613867, "match": True},
            {"ref": "§15.10", "quantity": "AlexNet neurons (65万 ≈ 650,000)", "source_value": 650000,
             "nnbook_value": 659272, "match": False}]
    text = format_table(rows, tour.PRINTED, width=100)
    assert not _lines_fit(text)
    assert text.split()[:5] == ["ok", "where", "in", "the", "source"]
    assert text.count("decisions") == 15 and text.count("threshold") == 2
    assert re.search(r"0\.17293\s", text + "\n") and "0.172930" not in text   # 6 significant digits
    assert "NO" in text.split() and "65万" in text
    assert re.search(r"^yes ", text, flags=re.M) and re.search(r"^NO ", text, flags=re.M)


def test_a_narrow_table_is_left_alone():
    text = format_table([{"score": 2.0, "max_score": 2.0}], (("score", "score"), ("max_score", "max")))
    assert text.splitlines() == ["score  max", "-----  ---", "2      2"]


def test_a_table_that_cannot_fit_is_an_error():
    columns = [(f"c{i}", f"column {i}") for i in range(20)]
    with pytest.raises(ValueError, match="do not fit in 100"):
        format_table([{}], columns, width=100)


# --- the tour's logic, on two made-up rows --------------------------------------------------------

@pytest.fixture
def quick_tour(monkeypatch):
    """The tour with no figures and two rows per landed source (one of them not comparable)."""
    import nnbook.book.worked_examples as worked

    monkeypatch.setattr(tour, "draw_figures", lambda source, out_dir: [])

    def rows(source):
        return [Reproduction(source, "§1 eq. (1) " * 6, "a quantity " * 12, 1.5, 1.5000001, True),
                Reproduction(source, "§2", "needs MNIST", 3, None, None, note="no files " * 20)]

    monkeypatch.setattr(worked, "table", rows)
    return worked


def test_without_solutions_outside_a_checkout_grading_is_skipped_in_one_line(
        quick_tour, monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(course, "default_solutions_dir", lambda: None)
    assert main(["tour", "--out", str(tmp_path / "figures"), "--json", str(tmp_path / "t.json")]) == 0
    out = capsys.readouterr().out
    assert tour.SKIPPED_GRADING in out.splitlines()
    assert "Grading" not in out and not _lines_fit(out)
    assert out.rstrip().endswith("all good")
    rows = json.loads((tmp_path / "t.json").read_text(encoding="utf-8"))
    assert len(rows) == 2 * len(LANDED)
    assert all(set(r) >= FIELDS for r in rows) and rows[0]["nnbook_value"] == 1.5000001
    assert rows[1]["note"] == "no files " * 20


def test_a_solutions_folder_without_assignments_is_refused_before_the_tour_runs(
        quick_tour, monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(tour, "draw_figures", lambda source, out_dir: pytest.fail("drew figures"))
    (tmp_path / "empty").mkdir()
    assert main(["tour", "--out", str(tmp_path / "f"), "--solutions", str(tmp_path / "empty")]) == 2
    assert "no assignments in" in capsys.readouterr().err


def test_a_mismatching_row_fails_the_tour(quick_tour, monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(quick_tour, "table", lambda source: [
        Reproduction(source, "§1", "q", 1, 2, False)])
    assert run_tour(tmp_path, grade=False) == 1
    out = capsys.readouterr().out
    assert "PROBLEMS above" in out and "differ" in out and "not graded" not in out


# --- the real tour ------------------------------------------------------------------------------

@pytest.mark.slow
def test_tour_draws_every_figure_fits_100_columns_and_grades_the_solutions_it_is_given(
        repo, tmp_path, capfd):
    out, table = tmp_path / "figures", tmp_path / "table.json"
    fixture = repo / "tests" / "fixtures" / "course" / "solutions"
    code = main(["tour", "--out", str(out), "--json", str(table), "--solutions", str(fixture)])
    stdout, stderr = capfd.readouterr()
    assert code == 0, stdout[-3000:]
    assert stderr == ""
    assert not _lines_fit(stdout), _lines_fit(stdout)
    assert re.search(r"reference solutions: (\d+) / \1 automatic points", stdout)
    assert "fx01-fixture" in stdout
    rows = json.loads(table.read_text(encoding="utf-8"))
    assert rows and all(set(r) >= FIELDS for r in rows)
    assert {r["source"] for r in rows} == set(LANDED)
    assert not any(r["match"] is False for r in rows)
    figures = sorted(p.name for p in out.glob("*.png"))
    assert figures and all(any(name.startswith(s) for s in LANDED) for name in figures)
    for source in LANDED:
        assert f"[{source}] " in stdout
    # the RNN example's six arrays, each on one line as 《深度学习与神经网络》§5.4.3 prints them
    # (typed in from the book, not produced by nnbook)
    book = ["before activation: [0.6 0.5]", "state: [0.53704957 0.46211716]",
            "output: [1.56128388]", "before activation: [1.2923401  1.39225678]",
            "state: [0.85973818 0.88366641]", "output: [2.72707101]"]
    printed = stdout.splitlines()
    start = printed.index("§5.4.3, the RNN listing's printout, recomputed by nnbook:")
    assert [line.strip() for line in printed[start + 1:start + 7]] == book


def test_chapters_picks_landed_sources_and_refuses_others(quick_tour, tmp_path, capsys):
    code = tour.run_tour(tmp_path, grade=False, chapters=[LANDED[-1]])
    stdout = capsys.readouterr().out
    assert code == 0
    assert f"touring {LANDED[-1]}" in stdout
    assert f"[{LANDED[-1]}] " in stdout and f"[{LANDED[0]}] " not in stdout
    with pytest.raises(ValueError, match="not landed"):
        tour.run_tour(tmp_path, grade=False, chapters=["no-such-source"])
    with pytest.raises(ValueError, match="at least one"):
        tour.run_tour(tmp_path, grade=False, chapters=[])
