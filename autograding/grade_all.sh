#!/usr/bin/env bash
# Autograde every submitted student of one assignment, write their feedback, export all grades.
#
#   usage: autograding/grade_all.sh COURSE_DIR ASSIGNMENT
#
# COURSE_DIR is a course made by `nnbook course build COURSE_DIR [--solutions PATH]`; students'
# notebooks are in COURSE_DIR/submitted/<student_id>/ASSIGNMENT/*.ipynb (nbgrader collect,
# zip_collect, or by hand).
# Uses the Python of $PYTHON (default: python3 on PATH), which must have nnbook and nbgrader;
# its bin/ folder goes first on PATH because nbgrader calls `alembic`.
set -euo pipefail

usage="usage: $0 COURSE_DIR ASSIGNMENT"
course=${1:?$usage}
assignment=${2:?$usage}
python=${PYTHON:-python3}

if [[ ! -f "$course/nbgrader_config.py" ]]; then
    echo "$course is not an nbgrader course (no nbgrader_config.py); run: nnbook course build $course" >&2
    exit 2
fi
bin_dir=$("$python" -c 'import os, sys; print(os.path.dirname(sys.executable))')
export PATH="$bin_dir:$PATH"
export NUMBA_CACHE_DIR="${NUMBA_CACHE_DIR:-$(cd "$course" && pwd)/.numba_cache}"
export MPLBACKEND=Agg

cd "$course"
"$python" -m nbgrader autograde "$assignment"
"$python" -m nbgrader generate_feedback "$assignment"
"$python" -m nbgrader export --to grades.csv
echo "grades: $(pwd)/grades.csv   feedback: $(pwd)/feedback/<student>/$assignment/"
