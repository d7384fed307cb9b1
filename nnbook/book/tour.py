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

from nnbook.book.sources import LANDED

COLUMNS = ("source", "ref", "quantity", "source_value", "nnbook_value", "match")


def draw_figures(source: str, out_dir: Path) -> list[Path]:
    """Draw every figure of ``source``'s chapter into ``out_dir``; return the files written."""
    import importlib

    import matplotlib.pyplot as plt

    module = importlib.import_module(f"nnbook.book.figures.{source.replace('-', '_')}")
    saved = []
    for name, draw in module.figures().items():
        drawn = draw()
        figure = drawn if hasattr(drawn, "savefig") else drawn.figure
        target = out_dir / name
        figure.savefig(target, dpi=100, bbox_inches="tight")
        plt.close(figure)
        saved.append(target)
    return saved


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
    from nnbook.book.worked_examples import table

    out = out or sys.stdout
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    ok = True

    print(f"nnbook tour — chapters landed: {', '.join(LANDED)}", file=out)
    for source in LANDED:
        saved = draw_figures(source, out_dir)
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
        from nnbook.book.course import grade_reference

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
