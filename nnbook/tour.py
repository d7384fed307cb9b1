"""``nnbook tour``: every chapter's demos, headless, in one run.

1. draws each landed chapter's figures into an output folder;
2. prints the reproduction table — every worked example of the sources next to nnbook's value
   (``--json FILE`` writes the same rows as a JSON list);
3. grades the reference solutions through real nbgrader and prints the score table.

Exit status 0 when no row mismatches and every reference solution gets full marks.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from nnbook.sources import LANDED

COLUMNS = ("source", "ref", "quantity", "source_value", "nnbook_value", "match")


def chapter_1_figures(out_dir: Path) -> list[Path]:
    """The chapter-1 figures (Nielsen ch. 1): networks, circuits, curves, valley, digits, training."""
    import matplotlib.pyplot as plt
    import numpy as np

    from nnbook import plots
    from nnbook.data import load_digits
    from nnbook.gradient_descent import gradient_descent, valley_gradient
    from nnbook.network import Network
    from nnbook.perceptron import half_adder_circuit
    from nnbook.training import sgd

    digits = load_digits()
    rng = np.random.default_rng(0)
    net = Network((digits.X_train.shape[1], 30, 10), rng=rng)
    history = sgd(net, digits.X_train, digits.y_train, epochs=30, batch_size=10, eta=3.0,
                  rng=rng, test=(digits.X_test, digits.y_test), progress=False)
    path = gradient_descent(valley_gradient, np.array([0.9, -0.7]), 0.1, 25)
    drawings = {
        "nielsen-1_network_784-15-10.png":
            lambda: plots.draw_network((784, 15, 10), title="784-15-10 digit network (§1.4)"),
        "nielsen-1_half_adder.png": lambda: plots.draw_circuit(half_adder_circuit()),
        "nielsen-1_step_and_sigmoid.png": lambda: plots.plot_step_and_sigmoid(),
        "nielsen-1_valley_descent.png": lambda: plots.plot_valley(path),
        "nielsen-1_digits.png": lambda: plots.plot_digits(digits.X_train[:20], digits.y_train[:20],
                                                          shape=digits.image_shape),
        "nielsen-1_training_history.png": lambda: plots.plot_history(history),
    }
    saved = []
    for name, draw in drawings.items():
        drawn = draw()
        figure = drawn if hasattr(drawn, "savefig") else drawn.figure
        target = out_dir / name
        figure.savefig(target, dpi=100, bbox_inches="tight")
        plt.close(figure)
        saved.append(target)
    return saved


FIGURES = {"nielsen-1": chapter_1_figures}


def _cell(column: str, value) -> str:
    if column == "match":
        return {True: "yes", False: "NO", None: "n/a"}.get(value, str(value))
    return "—" if value is None else str(value)


def format_table(rows: list[dict], columns) -> str:
    """A plain-text table with one line per row, columns padded to their widest cell."""
    text = [[_cell(c, row.get(c)) for c in columns] for row in rows]
    widths = [max(len(c), *(len(r[i]) for r in text)) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths)),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(cell.ljust(w) for cell, w in zip(r, widths)) for r in text]
    return "\n".join(line.rstrip() for line in lines)


def run_tour(out_dir="nnbook-output", *, json_path=None, grade: bool = True,
             out=None) -> int:
    """Run the tour; write figures to ``out_dir``; return the exit status."""
    import matplotlib

    matplotlib.use("Agg")
    from nnbook.worked_examples import table

    out = out or sys.stdout
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    ok = True

    print(f"nnbook tour — chapters landed: {', '.join(LANDED)}", file=out)
    for source in LANDED:
        saved = FIGURES[source](out_dir)
        print(f"\n[{source}] {len(saved)} figures saved to {out_dir}/", file=out)
        for path in saved:
            print(f"  {path.name}", file=out)

    rows = [row.as_dict() for source in LANDED for row in table(source)]
    print("\nReproduced numbers of the sources", file=out)
    print(format_table(rows, COLUMNS), file=out)
    matched = sum(r["match"] is True for r in rows)
    failed = [r for r in rows if r["match"] is False]
    skipped = [r for r in rows if r["match"] is None]
    print(f"\n{matched} of {len(rows)} rows match; {len(failed)} differ; "
          f"{len(skipped)} not comparable here:", file=out)
    for r in skipped:
        print(f"  - {r['ref']}: {r.get('note', '')}", file=out)
    ok &= not failed
    if json_path is not None:
        Path(json_path).write_text(json.dumps(rows, ensure_ascii=False, indent=1, default=str),
                                   encoding="utf-8")
        print(f"table written to {json_path}", file=out)

    if grade:
        from nnbook.course import grade_reference

        print("\nGrading the reference solutions through nbgrader …", file=out, flush=True)
        grades = [g._asdict() for g in grade_reference()]
        print(format_table(grades, ("assignment", "notebook", "exercise", "score", "max_score")),
              file=out)
        total = sum(g["score"] for g in grades)
        possible = sum(g["max_score"] for g in grades)
        print(f"reference solutions: {total:g} / {possible:g} automatic points", file=out)
        ok &= total == possible

    print(f"\ntour finished in {time.perf_counter() - started:.0f} s: "
          f"{'all good' if ok else 'PROBLEMS above'}", file=out)
    return 0 if ok else 1
