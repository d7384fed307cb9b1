"""exercises/ is generated from solutions/ by nbgrader; the committed copy must not be stale."""

from __future__ import annotations

import filecmp
from pathlib import Path

import pytest

from nnbook.book import course as nncourse

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
FIXTURE_SOLUTIONS = Path(__file__).resolve().parents[1] / "fixtures" / "course" / "solutions"
REGENERATE = "nnbook course exercises   (or: python -c 'from nnbook.book.course import generate_exercises; generate_exercises()')"


def _notebooks(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.glob("*/*.ipynb"))


def test_generation_is_deterministic(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    nncourse.generate_exercises(FIXTURE_SOLUTIONS, first)
    nncourse.generate_exercises(FIXTURE_SOLUTIONS, second)
    names = _notebooks(first)
    assert names == ["fx01-fixture/fx01-fixture.ipynb"]
    assert names == _notebooks(second)
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), f"{name} differs between two runs"
    text = (first / names[0]).read_text(encoding="utf-8")
    assert "BEGIN SOLUTION" not in text and "HIDDEN TESTS" not in text and "raise NotImplementedError()" in text


def test_committed_exercises_match_solutions(tmp_path):
    assignments = nncourse.find_assignments(REPO / "solutions")
    if not assignments:
        pytest.skip("solutions/ has no assignment yet")
    nncourse.generate_exercises(REPO / "solutions", tmp_path)
    committed = REPO / "exercises"
    stale = []
    for name in _notebooks(tmp_path):
        target = committed / name
        if not target.is_file():
            stale.append(f"missing exercises/{name}")
        elif not filecmp.cmp(tmp_path / name, target, shallow=False):
            stale.append(f"exercises/{name} differs from what solutions/ generates")
    extra = sorted(set(n for n in _notebooks(committed) if n.split("/")[0] in assignments) - set(_notebooks(tmp_path)))
    stale += [f"exercises/{n} has no source in solutions/" for n in extra]
    assert not stale, "exercises/ is stale:\n  " + "\n  ".join(stale) + f"\nregenerate with: {REGENERATE}"
