"""``nnbook tour``: every chapter's demos, headless, in one run.

1. draws each landed chapter's figures into an output folder;
2. prints the reproduction table — every worked example of the sources next to nnbook's value,
   wrapped to fit a terminal of ``width`` columns (``--json FILE`` writes every field of every
   row as a JSON list);
3. grades the reference solutions through real nbgrader and prints the score table — only when
   it has them (``solutions=`` or the checkout's ``solutions/``; the package does not ship them).

Exit status 0 when no row mismatches and every graded reference solution gets full marks.
"""

from __future__ import annotations

import importlib
import json
import numbers
import sys
import time
import unicodedata
from pathlib import Path

from nnbook.book.sources import LANDED, SOURCES

#: The fields of a reproduction row, as written by ``--json``.
COLUMNS = ("source", "ref", "quantity", "source_value", "nnbook_value", "match")
#: The columns printed per source (key, header); the source itself heads each block.
PRINTED = (("match", "ok"), ("ref", "where in the source"), ("quantity", "quantity"),
           ("source_value", "source"), ("nnbook_value", "nnbook"))
GRADE_COLUMNS = (("assignment", "assignment"), ("notebook", "notebook"), ("exercise", "exercise"),
                 ("score", "score"), ("max_score", "max"))
WIDTH = 100
SKIPPED_GRADING = ("reference solutions not graded: no solutions folder (--solutions PATH, "
                   "the repository's solutions/)")
_GAP = "  "
_MAX_WORD = 12
_MIN_COLUMN = 8


def printouts(source: str) -> dict[str, list[str]]:
    """A source's program output to print verbatim ({title: lines}; most sources have none):
    ``printouts()`` of its worked-examples module, when it defines one."""
    module = importlib.import_module(f"nnbook.book.worked_examples.{source.replace('-', '_')}")
    return module.printouts() if hasattr(module, "printouts") else {}


def draw_figures(source: str, out_dir: Path) -> list[Path]:
    """Draw every figure of ``source``'s chapter into ``out_dir``; return the files written."""
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


# --- text that fits a terminal ---------------------------------------------------------------

def display_width(text: str) -> int:
    """Terminal columns of ``text``: East Asian wide characters (e.g. 万) take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _split_to_width(word: str, width: int) -> tuple[str, str]:
    taken = 0
    for i, char in enumerate(word):
        taken += display_width(char)
        if taken > width:
            return word[:max(i, 1)], word[max(i, 1):]
    return word, ""


def wrap(text: str, width: int) -> list[str]:
    """Lines of at most ``width`` display columns, broken at spaces (long words are cut)."""
    if width < 1:
        raise ValueError(f"width must be at least 1, found {width}")
    lines = []
    for paragraph in text.splitlines() or [""]:
        line = ""
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if display_width(candidate) <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
            while display_width(word) > width:
                head, word = _split_to_width(word, width)
                lines.append(head)
            line = word
        lines.append(line)
    return lines


def _pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))


def _cell(column: str, value) -> str:
    if column == "match":
        return {True: "yes", False: "NO", None: "n/a"}.get(value, str(value))
    if value is None:
        return "—"
    if isinstance(value, numbers.Real) and not isinstance(value, numbers.Integral):
        return f"{float(value):.6g}"   # the full value is in --json
    return str(value)


def format_table(rows: list[dict], columns, *, width: int = WIDTH) -> str:
    """A plain-text table of ``rows`` in at most ``width`` display columns.

    ``columns`` is a sequence of ``(key, header)``.  Each column starts as wide as its widest
    cell; while the table is too wide, the column that wraps onto the fewest extra lines when a
    character narrower loses one (ties: the widest; never below 8, its header or its longest
    word up to 12 characters).  Floats show 6
    significant digits.
    """
    text = [[_cell(key, row.get(key)) for key, _ in columns] for row in rows]
    headers = [header for _, header in columns]
    widths = [max(display_width(h), *(display_width(r[i]) for r in text))
              for i, h in enumerate(headers)]
    # never narrower than its header, nor than its longest word (up to _MAX_WORD): a number
    # such as 4.24835e-18 stays on one line
    floors = [max(_MIN_COLUMN, display_width(h),
                  *(min(_MAX_WORD, display_width(word)) for r in text for word in r[i].split()))
              for i, h in enumerate(headers)]

    def lines_at(i: int, w: int) -> int:
        return sum(len(wrap(r[i], w)) for r in text)

    height = [lines_at(i, w) for i, w in enumerate(widths)]
    while sum(widths) + len(_GAP) * (len(widths) - 1) > width:
        shrinkable = [i for i, w in enumerate(widths) if w > floors[i]]
        if not shrinkable:
            raise ValueError(f"{len(columns)} columns do not fit in {width} characters")
        narrower = {i: lines_at(i, widths[i] - 1) for i in shrinkable}
        chosen = min(shrinkable, key=lambda i: (narrower[i] - height[i], -widths[i]))
        widths[chosen] -= 1
        height[chosen] = narrower[chosen]
    lines = [_GAP.join(_pad(h, w) for h, w in zip(headers, widths)),
             _GAP.join("-" * w for w in widths)]
    for cells in text:
        wrapped = [wrap(cell, w) for cell, w in zip(cells, widths)]
        for k in range(max(map(len, wrapped))):
            lines.append(_GAP.join(_pad(part[k] if k < len(part) else "", w)
                                   for part, w in zip(wrapped, widths)))
    return "\n".join(line.rstrip() for line in lines)


def say(out, text: str, *, lead: str = "", indent: str = "", width: int = WIDTH) -> None:
    """Print ``lead + text`` wrapped to ``width`` columns; continuation lines start with
    ``indent``."""
    first, *rest = wrap(text, width - display_width(lead))
    print(lead + first, file=out)
    for line in wrap(" ".join(rest), width - display_width(indent)) if rest else ():
        print(indent + line, file=out)


# --- the tour --------------------------------------------------------------------------------

def _solutions_to_grade(solutions):
    """The solutions folder to grade, or None when nnbook has none (not a checkout, none given)."""
    from nnbook.book.course import default_solutions_dir, require_assignments

    folder = Path(solutions) if solutions is not None else default_solutions_dir()
    if folder is not None:
        require_assignments(folder)   # a folder given but empty is an error, not a skip
    return folder


def _chosen(chapters) -> tuple[str, ...]:
    """The source ids to tour: every landed one by default, else ``chapters`` checked."""
    if chapters is None:
        return LANDED
    chapters = tuple(chapters)
    if not chapters:
        raise ValueError("chapters: expected at least one source id, found none")
    unknown = [c for c in chapters if c not in LANDED]
    if unknown:
        raise ValueError(f"chapters: {unknown} are not landed chapters; expected some of "
                         f"{list(LANDED)}")
    return tuple(c for c in LANDED if c in chapters)


def run_tour(out_dir="nnbook-output", *, json_path=None, grade: bool = True, solutions=None,
             out=None, width: int = WIDTH, chapters=None) -> int:
    """Run the tour; write figures to ``out_dir``; return the exit status (0 all good, 1 not).

    ``solutions``: the folder of the reference solutions to grade (default: the checkout's
    ``solutions/``; without either, grading is skipped and said so).  Raises
    :class:`~nnbook.book.course.SolutionsNotFoundError` for a ``solutions`` folder without
    assignments.  ``chapters``: source ids to tour (default: every landed chapter; a ValueError
    names any that is not landed).  Printed lines fit in ``width`` columns.
    """
    chapters = _chosen(chapters)
    import matplotlib

    matplotlib.use("Agg")
    from nnbook.book.worked_examples import table

    out = out or sys.stdout
    solutions_dir = _solutions_to_grade(solutions) if grade else None
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    ok = True

    print(f"nnbook tour — chapters landed: {', '.join(LANDED)}"
          + ("" if chapters == LANDED else f"; touring {', '.join(chapters)}"), file=out)
    for source in chapters:
        saved = draw_figures(source, out_dir)
        print(file=out)
        say(out, f"[{source}] {len(saved)} figures saved to {out_dir}/", indent="  ", width=width)
        for path in saved:
            print(f"  {path.name}", file=out)

    rows = [row.as_dict() for source in chapters for row in table(source)]
    print("\nReproduced numbers of the sources (floats to 6 digits; --json FILE has every field)",
          file=out)
    for source in chapters:
        print(file=out)
        say(out, f"[{source}] {SOURCES[source].citation}", indent="  ", width=width)
        print(format_table([r for r in rows if r["source"] == source], PRINTED, width=width),
              file=out)
        for title, lines in printouts(source).items():
            print(f"\n{title}:", file=out)
            for line in lines:
                print(f"  {line}", file=out)
    matched = sum(r["match"] is True for r in rows)
    failed = [r for r in rows if r["match"] is False]
    skipped = [r for r in rows if r["match"] is None]
    print(f"\n{matched} of {len(rows)} rows match; {len(failed)} differ; "
          f"{len(skipped)} not comparable here{':' if skipped else ''}", file=out)
    for r in skipped:
        say(out, f"- {r['ref']}: {r.get('note', '')}", indent="  ", width=width)
    ok &= not failed
    if json_path is not None:
        Path(json_path).write_text(json.dumps(rows, ensure_ascii=False, indent=1, default=str),
                                   encoding="utf-8")
        print(f"table written to {json_path}", file=out)

    if grade and solutions_dir is None:
        print(file=out)
        print(SKIPPED_GRADING, file=out)
    elif grade:
        from nnbook.book.course import grade_reference

        print(file=out)
        say(out, f"Grading the reference solutions in {solutions_dir} through nbgrader …",
             indent="  ", width=width)
        out.flush()
        grades = [g._asdict() for g in grade_reference(solutions_dir)]
        print(format_table(grades, GRADE_COLUMNS, width=width), file=out)
        total = sum(g["score"] for g in grades)
        possible = sum(g["max_score"] for g in grades)
        print(f"reference solutions: {total:g} / {possible:g} automatic points", file=out)
        ok &= total == possible

    print(f"\ntour finished in {time.perf_counter() - started:.0f} s: "
          f"{'all good' if ok else 'PROBLEMS above'}", file=out)
    return 0 if ok else 1
