"""Grid search: try every combination of hyperparameter values (Gulli & Pal ch. 1, "hyperparameter
tuning": the search space is the Cartesian product of one bucket of values per parameter)."""

from __future__ import annotations

import itertools
import sys
from dataclasses import dataclass

from tqdm import tqdm


@dataclass(frozen=True)
class GridPoint:
    """One combination and the score ``evaluate`` gave it."""

    params: dict
    score: float


def grid_search(evaluate, grid: dict, *, maximize: bool = True,
                progress: bool = True) -> list[GridPoint]:
    """Score ``evaluate(**params)`` for every combination of ``grid``; return them best first.

    ``grid`` maps a parameter name to the list of values to try, e.g.
    ``{"learning_rate": [0.1, 0.01], "batch_size": [32, 128]}`` (4 combinations). ``evaluate``
    returns a number (e.g. validation accuracy); ``maximize=False`` ranks low scores first
    (e.g. a loss). The progress bar goes to stdout.
    """
    if not callable(evaluate):
        raise TypeError(f"evaluate: expected a function of the parameters, found "
                        f"{type(evaluate).__name__}")
    if not isinstance(grid, dict) or not grid:
        raise ValueError(f"grid: expected a non-empty dict name → list of values, found {grid!r}")
    for name, values in grid.items():
        if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__") or not list(values):
            raise ValueError(f"grid[{name!r}]: expected a non-empty list of values, found {values!r}")
    names = list(grid)
    combinations = list(itertools.product(*(list(grid[name]) for name in names)))
    results = []
    for values in tqdm(combinations, desc="grid", unit="point", file=sys.stdout,
                       disable=not progress):
        params = dict(zip(names, values))
        score = float(evaluate(**params))
        results.append(GridPoint(params, score))
    return sorted(results, key=lambda point: -point.score if maximize else point.score)
