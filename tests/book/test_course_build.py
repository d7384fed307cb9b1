"""Where the course builder finds its inputs (``nnbook.book.course``): the solutions folder it is
given or the checkout's, never one inside the package; the nbgrader template from package data.

(Building, releasing and autograding a course end to end is in ``test_course.py``.)
"""

import pytest

from nnbook.book import course
from nnbook.book.cli import main


@pytest.fixture
def installed(monkeypatch):
    """nnbook as a wheel installs it: no checkout around the package."""
    monkeypatch.setattr(course, "checkout_root", lambda: None)


def test_from_this_checkout_the_defaults_are_its_solutions_and_exercises(repo):
    assert course.checkout_root() == repo
    assert course.default_solutions_dir() == repo / "solutions"
    assert course.default_exercises_dir() == repo / "exercises"
    assert course.resolve_solutions_dir() == repo / "solutions"
    assert course.find_assignments() == course.find_assignments(repo / "solutions") != []


def test_a_given_solutions_folder_wins(tmp_path):
    assert course.resolve_solutions_dir(tmp_path) == tmp_path
    assert course.resolve_solutions_dir(str(tmp_path)) == tmp_path


def test_installed_without_solutions_every_entry_point_says_where_to_get_them(installed, tmp_path):
    assert course.default_solutions_dir() is None and course.default_exercises_dir() is None
    assert course.find_assignments() == []
    for call in (course.resolve_solutions_dir,
                 lambda: course.build_course(tmp_path / "c"),
                 lambda: course.generate_exercises(exercises_dir=tmp_path / "e"),
                 lambda: course.grade_reference(workdir=tmp_path / "g")):
        with pytest.raises(course.SolutionsNotFoundError) as error:
            call()
        assert "solutions/ folder of the nnbook repository" in str(error.value)
        assert "--solutions PATH" in str(error.value)
    assert not (tmp_path / "c").exists()


def test_installed_course_exercises_needs_a_target_folder(installed, repo, tmp_path, capsys):
    fixture = repo / "tests" / "fixtures" / "course" / "solutions"
    assert main(["course", "exercises", "--solutions", str(fixture)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("nnbook course: no exercises folder given") and "--exercises" in err


def test_the_nbgrader_template_is_package_data_with_the_three_marked_lines():
    template = course.config_template()
    assert template.startswith('"""nbgrader configuration of the nnbook course')
    for mark in ("root", "timeout", "assignments"):
        assert f"# nnbook:{mark}" in template


def test_rendered_config_fills_the_marked_lines(tmp_path):
    text = course.render_config(tmp_path, ["a1", "a2"], 17)
    assert f"COURSE_ROOT = {str(tmp_path.resolve())!r}  # nnbook:root" in text
    assert "CELL_TIMEOUT = 17  # nnbook:timeout" in text
    assert "ASSIGNMENTS = ['a1', 'a2']  # nnbook:assignments" in text
    compile(text, "nbgrader_config.py", "exec")
