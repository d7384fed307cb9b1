"""``nnbook book build``: the site's pages, offline assets, API links, glossary, source notes,
exercises, Sphinx's warnings and the execution cache (the browser's view is test_browser.py)."""

from __future__ import annotations

import inspect
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from nnbook.book.mapping_table import mapping_table, resolve_cell, table_cells
from nnbook.book.site.chapter_text import find_chapters
from nnbook.book.site.source_notes import notes_in

pytestmark = pytest.mark.slow


class _Links(HTMLParser):
    """Every (tag, attribute, value) of a page that loads or links something, plus element ids."""

    def __init__(self):
        super().__init__()
        self.refs, self.ids = [], set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)
            if name in ("src", "href") and value:
                self.refs.append((tag, name, value))


def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_the_site_has_every_page(built_site):
    html = built_site.out
    for page in ("index", "chapters/01-nielsen-perceptrons-to-sgd", "chapters/02-chen-neural-networks",
                 "exercises/index", "exercises/ch01-nielsen", "exercises/ch02-chen", "glossary",
                 "source-notes", "api/index", "api/nnbook.layers", "search"):
        assert (html / f"{page}.html").is_file(), page
    assert not (html / "chapters" / "03-gulli-keras-mnist.html").exists()   # not asked for
    assert "chapters/02-chen-neural-networks" in built_site.pages


def test_sphinx_did_not_warn(built_site):
    """Chapters, generated pages and every docstring are valid for Sphinx: a new warning fails."""
    assert built_site.warnings == [], "\n".join(built_site.warnings)


def test_nothing_is_loaded_from_the_network(built_site):
    """Scripts, styles, images and fonts all come from the site itself (it reads offline)."""
    remote = []
    for page in built_site.out.rglob("*.html"):
        for tag, attribute, value in _parse(page).refs:
            loads = tag in ("script", "img") or (tag == "link" and attribute == "href")
            if loads and re.match(r"(https?:)?//", value):
                remote.append(f"{page.name}: <{tag} {attribute}={value}>")
    for sheet in built_site.out.rglob("*.css"):
        for url in re.findall(r"url\(\s*['\"]?((?:https?:)?//[^)'\"]+)", sheet.read_text("utf-8", "ignore")):
            remote.append(f"{sheet.name}: url({url})")
    assert not remote, "\n".join(remote[:20])


def test_math_is_rendered_by_the_bundled_mathjax(built_site):
    chapter = built_site.out / "chapters" / "01-nielsen-perceptrons-to-sgd.html"
    scripts = [value for tag, _, value in _parse(chapter).refs if tag == "script"]
    mathjax = [value for value in scripts if "mathjax" in value.lower()]
    assert mathjax and all(not value.startswith(("http", "//")) for value in mathjax), scripts
    assert (chapter.parent / mathjax[0]).resolve().is_file()
    assert r"\tag{3}" in chapter.read_text(encoding="utf-8")     # the chapter's own numbering


def _is_nnbook(obj) -> bool:
    """A module, class or function of nnbook (constants have no home to link to)."""
    home = obj.__name__ if inspect.ismodule(obj) else getattr(obj, "__module__", None)
    return isinstance(home, str) and home.startswith("nnbook")


@pytest.mark.parametrize("page", ["01-nielsen-perceptrons-to-sgd", "02-chen-neural-networks"])
def test_mapping_table_names_link_to_the_api_reference(built_site, page):
    """Every nnbook name of the map is a link, and the link's target exists on its API page."""
    html_path = built_site.out / "chapters" / f"{page}.html"
    html = html_path.read_text(encoding="utf-8")
    table = html[html.index("<table"):html.index("</table>")]
    linked = {name: href for href, name in re.findall(
        r'<a class="reference internal" href="([^"]+)"[^>]*><code[^>]*><span class="pre">([^<]+)</span>',
        table)}
    source = (built_site.inputs / "chapters" / f"{page}.md").read_text(encoding="utf-8")
    names = [name for row in mapping_table(source)[2:]
             for name, obj in resolve_cell(table_cells(row)[2]) if _is_nnbook(obj)]
    assert names, "no nnbook names found in the mapping table"
    missing = [name for name in names if name not in linked]
    assert not missing, f"not linked: {missing}"
    for name in names:
        target, _, fragment = linked[name].partition("#")
        assert target.startswith("../api/"), (name, target)
        assert fragment in _parse(html_path.parent / target).ids, (name, linked[name])


def test_glossary_lists_terms_of_both_chapters_with_working_links(built_site):
    page = built_site.out / "glossary.html"
    text = page.read_text(encoding="utf-8")
    assert "感知机" in text and "人工神经网络" in text
    refs = [value for tag, _, value in _parse(page).refs if tag == "a" and "chapters/" in value]
    assert len(refs) > 50
    for ref in set(refs):
        target, _, fragment = ref.partition("#")
        assert (page.parent / target).is_file(), ref
        assert not fragment or fragment in _parse(page.parent / target).ids, ref


def test_source_notes_index_holds_every_note_of_the_chapters_built(built_site):
    page = built_site.out / "source-notes.html"
    text = page.read_text(encoding="utf-8")
    chapters = [c for c in find_chapters(built_site.inputs / "chapters") if c.number in (1, 2)]
    counts = [len(notes_in(chapter)) for chapter in chapters]
    assert all(f"{count} notes." in text for count in counts)
    assert len(re.findall(r"<h3>", text)) == sum(counts) > 30
    links = {value.partition("#")[0] for tag, _, value in _parse(page).refs
             if tag == "a" and "chapters/" in value}
    assert links == {f"chapters/{c.page}.html" for c in chapters}


def test_exercises_are_the_student_version_with_a_download_link(built_site):
    index = built_site.out / "exercises" / "index.html"
    downloads = [value for tag, _, value in _parse(index).refs if "_downloads/" in value]
    assert {Path(value).name for value in downloads} == {"ch01-nielsen.ipynb", "ch02-chen.ipynb"}
    for value in downloads:
        notebook = (index.parent / value).resolve().read_text(encoding="utf-8")
        assert "YOUR CODE HERE" in notebook
        assert "BEGIN SOLUTION" not in notebook and "BEGIN HIDDEN TESTS" not in notebook


def test_a_prose_edit_rebuilds_without_running_the_chapter(built_site, tmp_path):
    """The execution cache is keyed by the code: edit a sentence, and the chapter is not re-run."""
    from nnbook.book.site.build import build_site

    chapters = tmp_path / "chapters"
    chapters.mkdir()
    source = built_site.inputs / "chapters" / "01-nielsen-perceptrons-to-sgd.md"
    text = source.read_text(encoding="utf-8")
    edited = text.replace("Everything in this notebook is", "Everything here is", 1)
    assert edited != text
    (chapters / source.name).write_text(edited, encoding="utf-8")
    out = tmp_path / "out"
    shutil.copytree(built_site.out.parent / "cache" / "jupyter", out / "cache" / "jupyter")
    report = build_site(out, chapters=["nielsen-1"], chapters_dir=chapters,
                        exercises_dir=built_site.inputs / "exercises")
    log = report.log.read_text(encoding="utf-8")
    assert "01-nielsen-perceptrons-to-sgd.md: Using cached notebook" in log, log[-2000:]
    assert "Executing" not in log
    assert "Everything here is" in (report.out / "chapters" / f"{source.stem}.html").read_text("utf-8")


def test_unknown_or_missing_chapters_are_refused_clearly(tmp_path):
    from nnbook.book.site.build import SiteBuildError, build_site

    with pytest.raises(SiteBuildError, match="unknown source ids.*no-such"):
        build_site(tmp_path, chapters=["no-such"])
    with pytest.raises(SiteBuildError, match="no chapter notebook for.*galeone-2"):
        build_site(tmp_path, chapters=["galeone-2"], chapters_dir=tmp_path)
    with pytest.raises(SiteBuildError, match="chapters folder not found"):
        build_site(tmp_path, chapters_dir=tmp_path / "nowhere")


def test_without_the_book_extra_the_error_says_what_to_install(tmp_path, monkeypatch, capsys):
    import importlib.util

    from nnbook.book.cli import main

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "myst_nb" else real(name, *a))
    assert main(["book", "build", str(tmp_path)]) == 1
    error = capsys.readouterr().err
    assert "needs myst_nb" in error and "pip install 'nnbook[book]'" in error
    assert not (tmp_path / "cache").exists()
