"""The web book built once per test session: chapters 1–2 (CI time), from copies of the
checkout's chapters/ and exercises/ folders."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
#: The chapters the tests build (the README's command builds every landed one).
TEST_CHAPTERS = ("nielsen-1", "chen-15")


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    """SiteReport of a build of chapters 1–2 (executed), with ``.inputs``: the copied folders."""
    pytest.importorskip("sphinx", reason="the web book needs Sphinx: pip install -e '.[book]'")
    pytest.importorskip("myst_nb", reason="the web book needs MyST-NB: pip install -e '.[book]'")
    from nnbook.book.site.build import build_site

    root = tmp_path_factory.mktemp("book")
    inputs = root / "inputs"
    for name in ("chapters", "exercises"):
        shutil.copytree(REPO / name, inputs / name)
    report = build_site(root / "out", chapters=TEST_CHAPTERS,
                        chapters_dir=inputs / "chapters", exercises_dir=inputs / "exercises")
    report.inputs = inputs
    return report
