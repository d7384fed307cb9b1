"""The web book read in a real browser: headless Chromium loads every page of a site built from
chapters 1-2 (served on 127.0.0.1, no internet) and finds no console error, no broken image, no
unrendered equation and no internal link that does not resolve, and its search works; a
screenshot of chapter 1 is kept in tests/artifacts/site/. A hand-written bad page shows that each check catches its problem."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import struct
import urllib.parse
from pathlib import Path
from types import SimpleNamespace

import pytest

pytestmark = pytest.mark.slow

HERE = Path(__file__).resolve().parent
ARTIFACTS = HERE.parents[1] / "artifacts" / "site"

if not (Path("/usr/bin/chromium").exists() and Path("/usr/bin/chromedriver").exists()):
    pytest.skip("needs Debian's /usr/bin/chromium and /usr/bin/chromedriver "
                "(apt-get install chromium chromium-driver)", allow_module_level=True)
pytest.importorskip("selenium", reason="needs selenium (pip install selenium)")


def _load_browser():
    """tests/book/site/_browser.py (the suite imports with importlib, so by its path)."""
    spec = importlib.util.spec_from_file_location("nnbook_tests_browser", HERE / "_browser.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


browser = _load_browser()


@pytest.fixture(scope="module")
def driver():
    driver = browser.chromium_driver()
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def site(built_site):
    """The book's site (conftest's one build of chapters 1-2 per session), on 127.0.0.1."""
    base_url, stop = browser.serve(built_site.out)
    yield SimpleNamespace(report=built_site, base_url=base_url)
    stop()


@pytest.fixture(scope="module")
def checked(site, driver):
    """Every page of the site → the problems check_page finds on it (links fetched once)."""
    links = {}
    return {url: browser.check_page(driver, url, links)
            for url in browser.page_urls(site.report.out, site.base_url)}


def _no_problems_of_kind(checked, *kinds):
    """Fail with every problem of these kinds on any page, one a line."""
    found = [problem for problems in checked.values() for problem in problems
             if problem.split(":")[0] in kinds]
    if found:
        pytest.fail(f"{len(found)} problem(s):\n" + "\n".join(found), pytrace=False)


def test_the_site_has_the_index_and_both_chapters(site, checked):
    pages = [url[len(site.base_url):] for url in checked]
    assert pages[0] == "index.html"
    chapters = [page for page in pages if page.startswith("chapters/")]
    assert len(chapters) == 2 and "nielsen" in chapters[0] and "chen" in chapters[1], pages


def test_no_console_error_on_any_page(checked):
    _no_problems_of_kind(checked, "console", "load")


def test_every_image_loads(checked):
    _no_problems_of_kind(checked, "image")


def test_every_equation_is_rendered(checked):
    _no_problems_of_kind(checked, "math")


def test_every_internal_link_resolves(checked):
    _no_problems_of_kind(checked, "link")


def test_search_works_offline_in_english_and_chinese(site, driver):
    """Sphinx's search runs in the page from its local index: an English and a Chinese term of
    chapter 1 each find that chapter (waits for the results, at most TIMEOUT seconds)."""
    def titles(d):
        return [item.text for item in d.find_elements("css selector", "ul.search li")]

    for query in ("perceptron", "感知机"):
        driver.get(site.base_url + "search.html?q=" + urllib.parse.quote(query))
        # Sphinx lists the results one at a time (API objects first, pages later): wait for the
        # chapter itself, not for the first result
        try:
            browser.WebDriverWait(driver, browser.TIMEOUT).until(
                lambda d: any("Chapter 1" in title for title in titles(d)))
        except browser.TimeoutException:
            pytest.fail(f"searching {query!r} did not list chapter 1 within {browser.TIMEOUT} s; "
                        f"it listed {titles(driver)[:8]}")


def _png_size(path) -> tuple[int, int]:
    """(width, height) from a PNG's IHDR chunk."""
    header = Path(path).read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", header[16:24])


def test_screenshot_of_chapter_1_is_kept(site, driver):
    chapter_1 = next(url for url in browser.page_urls(site.report.out, site.base_url)
                     if "chapters/" in url and "nielsen" in url)
    path = ARTIFACTS / "chapter-1.png"
    path.unlink(missing_ok=True)
    assert browser.screenshot(driver, chapter_1, path) == []
    width, height = _png_size(path)
    assert path.stat().st_size > 20_000
    assert width == browser.WINDOW[0] and height > browser.WINDOW[1], (width, height)


# --- the checks catch what they look for ----------------------------------------------------

GOOD = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>good</title>
<link rel="icon" href="data:,"></head><body>
<h1 id="top">A good page</h1>
<p>Code may hold dollars: <code>plt.xlabel("$x_1$")</code></p>
<pre>ax.set_title(r"$\\frac{1}{2}$ and $$ y $$")</pre>
<p><img src="dot.svg" alt="a dot"> <img loading="lazy" src="dot.svg?far" style="margin-top:9000px"
alt="a dot far below the window"></p>
<p><a href="#top">up</a> <a href="good.html#top">this page again</a> <a href="./">folder</a>
<a href="https://example.invalid/">another site, never fetched</a></p>
</body></html>"""

BAD = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>bad</title>
<link rel="icon" href="data:,"></head><body>
<p><img src="missing.png" alt="a broken image"></p>
<p>A formula no MathJax reads: $$ x^2 $$ and an inline $\\alpha_1$.</p>
<p><a href="nowhere.html">a missing page</a> <a href="good.html#nowhere">a missing anchor</a></p>
<script>console.error("a deliberate error");</script>
<script src="https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-chtml.js"></script>
</body></html>"""

DOT = ('<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8">'
       '<circle cx="4" cy="4" r="4"/></svg>')


@pytest.fixture
def hand_written(tmp_path):
    """A folder with good.html, bad.html and an image, served on 127.0.0.1."""
    (tmp_path / "good.html").write_text(GOOD, encoding="utf-8")
    (tmp_path / "bad.html").write_text(BAD, encoding="utf-8")
    (tmp_path / "dot.svg").write_text(DOT, encoding="utf-8")
    base_url, stop = browser.serve(tmp_path)
    yield tmp_path, base_url
    stop()


def test_check_page_passes_a_good_page(driver, hand_written):
    _, base_url = hand_written
    assert browser.check_page(driver, base_url + "good.html") == []


def test_page_urls_lists_the_pages_index_first_and_leaves_out_sphinx_own(hand_written):
    folder, base_url = hand_written
    for name in ("index.html", "genindex.html", "search.html", "_static/x.html",
                 "_sources/x.html", "api/index.html"):
        (folder / name).parent.mkdir(exist_ok=True)
        (folder / name).write_text(GOOD, encoding="utf-8")
    assert browser.page_urls(folder, base_url) == [
        base_url + page for page in ("index.html", "api/index.html", "bad.html", "good.html")]


def test_check_page_reports_each_kind_of_problem(driver, hand_written):
    _, base_url = hand_written
    problems = browser.check_page(driver, base_url + "bad.html")
    text = "\n".join(problems)
    assert [p for p in problems if p.startswith("image: missing.png")], text
    assert [p for p in problems if p.startswith("math: raw TeX $$ ")], text
    assert [p for p in problems if p.startswith("math: raw TeX $…$") and "$\\alpha_1$" in p], text
    assert [p for p in problems if p.startswith("link: 'nowhere.html' → HTTP 404")], text
    assert [p for p in problems if p.startswith("link: 'good.html#nowhere' → no id")], text
    assert [p for p in problems if p.startswith("console:") and "a deliberate error" in p], text
    assert [p for p in problems if p.startswith("console:") and "missing.png" in p], text
    assert [p for p in problems if p.startswith("console:") and "cdn.jsdelivr.net" in p
            and "ERR_NAME_NOT_RESOLVED" in p], text             # the internet is out of reach


#: MathJax typesets a second after the page is complete (check_page must wait for it); the
#: split with a \tag is what Sphinx writes for a multi-line display equation that has one.
MATH = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>math</title>
<link rel="icon" href="data:,">
<script>window.MathJax = {options: {processHtmlClass: "math"}, startup: {pageReady: () =>
  new Promise(later => setTimeout(later, 1000)).then(() => MathJax.startup.defaultPageReady())}};
</script>
<script defer src="mathjax/tex-chtml.js"></script></head><body>
<p>Rendered: <span class="math">\\(x^2 + \\frac{1}{2}\\)</span></p>
<p>Undefined: <span class="math">\\(\\sigmoid(z)\\)</span></p>
<div class="math">\\[\\begin{split} a &= b \\\\ c &= d \\tag{1.2}\\end{split}\\]</div>
<p>Never found by MathJax: <span class="math">\\(x^{\\)</span></p>
</body></html>"""


def test_check_page_reports_math_that_mathjax_could_not_render(driver, tmp_path):
    try:
        bundled = importlib.metadata.distribution("sphinx-mathjax-offline").locate_file(
            "sphinx-mathjax-offline/static/mathjax")
    except importlib.metadata.PackageNotFoundError:
        pytest.skip("needs the MathJax of sphinx-mathjax-offline (pip install nnbook[book])")
    (tmp_path / "mathjax").symlink_to(Path(bundled), target_is_directory=True)
    (tmp_path / "math.html").write_text(MATH, encoding="utf-8")
    base_url, stop = browser.serve(tmp_path)
    try:
        problems = browser.check_page(driver, base_url + "math.html")
    finally:
        stop()
    text = "\n".join(problems)
    assert [p for p in problems
            if p.startswith("math: Undefined control sequence \\sigmoid in \\sigmoid(z)")], text
    assert [p for p in problems
            if p.startswith("math: MathJax error '\\tag not allowed in split environment'")], text
    assert [p for p in problems if p.startswith("math: equation not rendered: \\(x^{\\)")], text
    assert [p for p in problems if p.startswith("math: raw TeX \\( ")], text
    assert not [p for p in problems if "x^2" in p], text     # the good formula is fine
    assert len(problems) == 4, text
