"""nnbook.train.grid_search: every combination, scored, best first."""

import pytest

from nnbook.train.grid_search import grid_search


def test_every_combination_is_scored_and_the_best_comes_first():
    calls = []

    def score(a, b):
        calls.append((a, b))
        return -(a - 2) ** 2 - (b - 10) ** 2

    results = grid_search(score, {"a": [1, 2, 3], "b": [10, 20]}, progress=False)
    assert sorted(calls) == [(1, 10), (1, 20), (2, 10), (2, 20), (3, 10), (3, 20)]
    assert results[0].params == {"a": 2, "b": 10} and results[0].score == 0
    lowest = grid_search(lambda a: a, {"a": [3, 1, 2]}, maximize=False, progress=False)
    assert [point.params["a"] for point in lowest] == [1, 2, 3]


def test_bad_grids_are_refused():
    with pytest.raises(ValueError, match="non-empty"):
        grid_search(lambda: 0, {}, progress=False)
    with pytest.raises(ValueError, match="grid\\['a'\\]"):
        grid_search(lambda a: 0, {"a": []}, progress=False)
    with pytest.raises(TypeError, match="function"):
        grid_search(3, {"a": [1]}, progress=False)
