"""A submitted notebook rebuilt on the instructor's source, whatever the student did to it.

The instructor's source notebook decides which cells exist, in which order, with which nbgrader
metadata and — for every cell that is not the student's to write — with which source. From the
submission only the student's work is taken: the text of each solution cell (by grade id) and the
cells the student added. So a test cell re-flagged as a solution, a copied cell with the same grade
id, a deleted or renamed cell, or metadata edited by hand can neither crash grading nor change
what is graded; each is reported.
"""

import copy
import hashlib
import json

import nbformat

import nnbook


def _meta(cell):
    meta = cell.get("metadata", {}).get("nbgrader")
    return meta if isinstance(meta, dict) else {}


def _grade_id(cell):
    grade_id = _meta(cell).get("grade_id")
    return grade_id if isinstance(grade_id, str) else None


def _text(source):
    if isinstance(source, list):
        return "".join(str(part) for part in source)
    return source if isinstance(source, str) else ""


def repair(source_nb, submitted_nb):
    """``(notebook, problems)``: the source notebook with the student's solution texts and added
    cells; ``problems`` lists what had to be repaired (empty for an untouched submission)."""
    problems = []
    source_ids = {_grade_id(c): c for c in source_nb.cells if _grade_id(c)}
    student_ids = {gid for gid, c in source_ids.items() if _meta(c).get("solution")}
    answers, added_before, pending, seen = {}, {}, [], set()
    for cell in submitted_nb.get("cells", []):
        if not isinstance(cell, dict):
            problems.append("a cell that is not a notebook cell was skipped")
            continue
        grade_id = _grade_id(cell)
        if grade_id in source_ids:
            if grade_id in seen:
                problems.append(f"cell {grade_id!r} appears more than once; the last copy is graded")
                if grade_id in student_ids and grade_id in answers:
                    pending.append(_added_cell(answers[grade_id][1]))  # keep the earlier copy's code
            seen.add(grade_id)
            if grade_id in student_ids:
                answers[grade_id] = (cell.get("cell_type"), _text(cell.get("source")))
            # The source text of the instructor's cells is restored silently (a released test cell
            # lacks its hidden tests: restoring it is routine); changed roles are worth a look.
            if any(_meta(cell).get(k) != _meta(source_ids[grade_id]).get(k)
                   for k in ("solution", "grade", "locked", "points")):
                problems.append(f"the nbgrader metadata of {grade_id!r} was changed; restored")
            added_before.setdefault(grade_id, []).extend(pending)
            pending = []
        elif cell.get("cell_type") == "code":
            if grade_id is not None:
                problems.append(f"cell {grade_id!r} is not in the assignment; run as the student's own code")
            pending.append(_added_cell(_text(cell.get("source"))))
    missing = [gid for gid in source_ids if gid not in seen]
    if missing:
        problems.append("missing cells restored from the assignment: " + ", ".join(missing))
    cells = []
    for cell in source_nb.cells:
        grade_id = _grade_id(cell)
        cells.extend(added_before.get(grade_id, []))
        new = copy.deepcopy(cell)
        if grade_id in answers:
            new.source = answers[grade_id][1]
        if new.cell_type == "code":
            new.outputs, new.execution_count = [], None
        cells.append(new)
    cells.extend(pending)
    repaired = copy.deepcopy(source_nb)
    repaired.cells = cells
    return repaired, problems


def _added_cell(source):
    return nbformat.v4.new_code_cell(source)


def execution_key(nb, settings):
    """What the execution of ``nb`` under ``settings`` depends on, as a hex digest: each cell's
    kind, role and source, the settings and nnbook's version."""
    from .runner import role

    cells = [[c.cell_type, role(c), _text(c.source)] for c in nb.cells]
    data = json.dumps([nnbook.__version__ if hasattr(nnbook, "__version__") else "", sorted(settings.__dict__.items()), cells])
    return hashlib.sha256(data.encode("utf-8")).hexdigest()
