#!/usr/bin/env bash
# Autograde every submitted student of one assignment, write their feedback, export all grades.
#
#   usage: autograding/grade_all.sh COURSE_DIR ASSIGNMENT [nnbook grade options, e.g. --workers 4]
#
# COURSE_DIR is a course made by `nnbook course build COURSE_DIR [--solutions PATH]`; students'
# notebooks are in COURSE_DIR/submitted/<student_id>/ASSIGNMENT/*.ipynb (nbgrader collect,
# zip_collect, or by hand).
#
# The three steps always all run: one bad submission (an unreadable file, a notebook nbgrader
# cannot grade) never stops the others' feedback or grades.csv.  The exit status is 0 when every
# step succeeded, 1 when some step reported a problem (listed at the end: read the messages
# above it, or `nnbook grade`'s table of students that need a look), 2 on a usage error.
#
# Autograding runs `nnbook grade` (parallel, only new or changed submissions); with GRADER=nbgrader
# it runs plain `nbgrader autograde` instead (serial, the same preprocessors and scores).
# Uses the Python of $PYTHON (default: python3 on PATH), which must have nnbook and nbgrader;
# its bin/ folder goes first on PATH because nbgrader calls `alembic`.
set -uo pipefail

usage="usage: $0 COURSE_DIR ASSIGNMENT [nnbook grade options]"
if [[ $# -lt 2 ]]; then
    echo "$usage" >&2
    exit 2
fi
course=$1
assignment=$2
shift 2
python=${PYTHON:-python3}
grader=${GRADER:-nnbook}

if [[ ! -f "$course/nbgrader_config.py" ]]; then
    echo "$course is not an nbgrader course (no nbgrader_config.py); run: nnbook course build $course" >&2
    exit 2
fi
if [[ "$grader" != nnbook && "$grader" != nbgrader ]]; then
    echo "GRADER must be 'nnbook' or 'nbgrader', not '$grader'" >&2
    exit 2
fi
if ! bin_dir=$("$python" -c 'import os, sys; print(os.path.dirname(sys.executable))'); then
    echo "cannot run $python (set PYTHON to the Python that has nnbook and nbgrader)" >&2
    exit 2
fi
export PATH="$bin_dir:$PATH"
course=$(cd "$course" && pwd)
export NUMBA_CACHE_DIR="${NUMBA_CACHE_DIR:-$course/.numba_cache}"
export MPLBACKEND=Agg
cd "$course" || exit 2

failed=()
step() {  # step NAME COMMAND...: run it, remember its name when it fails, carry on
    local name=$1
    shift
    echo "== $name"
    "$@"
    local status=$?
    if [[ $status -ne 0 ]]; then
        failed+=("$name (exit $status)")
    fi
}

if [[ "$grader" == nnbook ]]; then
    step "nnbook grade $assignment" "$python" -c \
        'import sys; from nnbook.book.cli import main; sys.exit(main(sys.argv[1:]))' \
        grade "$assignment" --course "$course" "$@"
else
    step "nbgrader autograde $assignment" "$python" -m nbgrader autograde "$assignment"
fi
step "nbgrader generate_feedback $assignment" "$python" -m nbgrader generate_feedback "$assignment"
step "nbgrader export" "$python" -m nbgrader export --to grades.csv

echo "grades: $course/grades.csv   feedback: $course/feedback/<student>/$assignment/"
if [[ ${#failed[@]} -gt 0 ]]; then
    echo "some steps reported problems (the other students were still graded):" >&2
    for name in "${failed[@]}"; do
        echo "  - $name" >&2
    done
    exit 1
fi
