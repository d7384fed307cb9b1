"""Checks of a built web book in headless Chromium (Debian's chromium and chromedriver).

``serve`` puts a folder on 127.0.0.1, ``chromium_driver`` starts the browser with no network of
its own (it resolves no name but 127.0.0.1, so whatever a page would load from the internet shows
as a console error instead), ``check_page`` lists what is wrong with one page (console errors, images that did not
load, math left as raw TeX or rendered as an error, internal links or anchors that do not
resolve), ``page_urls`` names the pages of a site and ``screenshot`` keeps one as a PNG.

Each problem is a string that starts with its kind (``console:``, ``image:``, ``math:``,
``link:`` or ``load:``), so a test can ask for one kind at a time.
"""

from __future__ import annotations

import functools
import html.parser
import http.server
import os
import re
import shutil
import subprocess
import tempfile
import threading
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from selenium import webdriver
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.support.ui import WebDriverWait

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
WINDOW = (1280, 2000)
MAX_SCREENSHOT_HEIGHT = 12_000
TIMEOUT = 60            # seconds for a page to load and for MathJax to finish

#: Files of a Sphinx site that are not pages of the book.
NOT_PAGES = {"genindex.html", "search.html", "py-modindex.html"}
NOT_PAGE_DIRS = {"_static", "_sources", "_downloads", "_images"}

#: TeX that must not be left in the visible text once MathJax has run.
RAW_TEX = ("$$", "\\begin{", "\\end{", "\\frac", "\\tag{", "\\(", "\\[")
#: ``$…$`` around something that looks like TeX: a control word, a sub/superscript or a brace.
DOLLAR_TEX = re.compile(r"(?<!\$)\$(?!\$)([^$\n]{1,200}?)(?<!\$)\$(?!\$)")
TEX_LOOKING = re.compile(r"\\[A-Za-z]+|[_^{}]")


# --- the server -----------------------------------------------------------------------------

class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files and writes nothing to stderr."""

    def log_message(self, format, *args):
        pass


def serve(directory):
    """Serve ``directory`` on 127.0.0.1 (a free port) from a daemon thread.

    Returns ``(base_url, stop)``: the URL of the folder, ending in ``/``, and a function that
    shuts the server down.
    """
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()

    def stop():
        server.shutdown()
        server.server_close()
        thread.join()

    return f"http://127.0.0.1:{server.server_address[1]}/", stop


# --- the browser ----------------------------------------------------------------------------

class _Chromium(webdriver.Chrome):
    """A Chrome driver that deletes its throw-away profile when it quits."""

    profile: str

    def quit(self):
        try:
            super().quit()
        finally:
            shutil.rmtree(self.profile, ignore_errors=True)


def chromium_driver():
    """Headless Chromium driven by Selenium, with a fresh profile and no network of its own.

    The driver is the system's chromedriver (Selenium Manager never runs, ``SE_OFFLINE`` is
    set); the browser's console can be read with ``driver.get_log("browser")``.
    """
    os.environ["SE_OFFLINE"] = "true"
    profile = tempfile.mkdtemp(prefix="nnbook-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--disable-quic", "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync",
                     f"--window-size={WINDOW[0]},{WINDOW[1]}", f"--user-data-dir={profile}",
                     # no name but 127.0.0.1 resolves: no update check, no sign-in or search
                     # engine preconnect, no font or script from a CDN reaches the internet
                     "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = Service(CHROMEDRIVER, log_output=subprocess.DEVNULL)
    try:
        driver = _Chromium(service=service, options=options)
    except BaseException:
        shutil.rmtree(profile, ignore_errors=True)
        raise
    driver.profile = profile
    driver.set_script_timeout(TIMEOUT)
    driver.set_page_load_timeout(TIMEOUT)
    return driver


# --- one page -------------------------------------------------------------------------------

_WAIT_FOR_MATHJAX = """
const done = arguments[arguments.length - 1];
if (!(window.MathJax && MathJax.startup && MathJax.startup.promise)) { done("absent"); return; }
MathJax.startup.promise.then(() => done("done"), error => done("failed: " + error));
"""

_LOAD_IMAGES = """
const done = arguments[arguments.length - 1];
const images = Array.from(document.images);
images.forEach(image => { image.loading = "eager"; });   // lazy images below the window too
Promise.all(images.map(image => image.complete ? null : new Promise(settle => {
    image.addEventListener("load", settle); image.addEventListener("error", settle);
}))).then(() => done(images.filter(image => !image.complete || image.naturalWidth === 0)
                           .map(image => image.getAttribute("src"))));
"""

_VISIBLE_TEXT = """
const hide = document.createElement("style");
hide.textContent = "pre, code, kbd, samp { display: none !important; }";
document.head.appendChild(hide);
const text = document.body.innerText;   // what a reader sees, code blocks left out
hide.remove();
return text;
"""

_MATH_ERRORS = """
const errors = [];
if (window.MathJax && MathJax.startup && MathJax.startup.document && MathJax.startup.toMML) {
    for (const item of MathJax.startup.document.math) {   // each formula with its TeX
        const mml = MathJax.startup.toMML(item.root);
        for (const found of mml.matchAll(/<merror data-mjx-error="([^"]*)"/g))
            errors.push(["error", found[1], item.math]);
        for (const found of mml.matchAll(/<mtext mathcolor="red">(\\\\[^<]*)<\\/mtext>/g))
            errors.push(["undefined", found[1], item.math]);   // how noundefined shows \\foo
    }
} else {
    for (const error of document.querySelectorAll("mjx-merror"))
        errors.push(["error", error.getAttribute("data-mjx-error"), error.textContent]);
}
const unrendered = Array.from(document.querySelectorAll(".math"))
    .filter(element => !element.querySelector("mjx-container"))
    .map(element => ["unrendered", "", element.textContent.trim()]);
return errors.concat(unrendered);
"""

_LINKS = """
return Array.from(document.querySelectorAll("a[href]"), a => [a.getAttribute("href"), a.href]);
"""

_IDS = """
return Array.from(document.querySelectorAll("[id], a[name]"), e => e.id || e.getAttribute("name"));
"""


def load(driver, url) -> list[str]:
    """Open ``url`` and wait until the page is complete and MathJax has typeset it.

    Returns the problems of loading (a time-out or a MathJax failure); empty when all is well.
    """
    driver.get_log("browser")                      # forget the previous page's messages
    driver.get(url)
    try:
        WebDriverWait(driver, TIMEOUT).until(
            lambda d: d.execute_script("return document.readyState") == "complete")
    except TimeoutException:
        return [f"load: {url} not complete after {TIMEOUT} s"]
    try:
        state = driver.execute_async_script(_WAIT_FOR_MATHJAX)
    except TimeoutException:
        return [f"math: MathJax did not finish typesetting {url} within {TIMEOUT} s"]
    if state.startswith("failed"):
        return [f"math: MathJax {state} on {url}"]
    return []


def check_page(driver, url, links: dict | None = None) -> list[str]:
    """Load ``url`` and list what is wrong with it (empty: the page is fine).

    ``links`` caches the internal pages fetched to check links (URL → HTTP status and the ids
    on that page); pass the same dict for every page of a site so each is fetched once.
    """
    links = {} if links is None else links
    problems = load(driver, url)
    try:
        problems += [f"image: {src} did not load"
                     for src in driver.execute_async_script(_LOAD_IMAGES)]
    except TimeoutException:
        problems.append(f"image: some images still loading after {TIMEOUT} s")
    problems += _math_problems(driver)
    problems += _link_problems(driver, url, links)
    problems += [f"console: {entry['message']}" for entry in driver.get_log("browser")
                 if entry["level"] == "SEVERE"]     # last: catches late failures too
    return [f"{problem}  [on {url}]" for problem in problems]


def _math_problems(driver) -> list[str]:
    problems = []
    for kind, message, tex in driver.execute_script(_MATH_ERRORS):
        if kind == "unrendered":
            problems.append(f"math: equation not rendered: {tex[:120]}")
        elif kind == "undefined":
            problems.append(f"math: Undefined control sequence {message} in {tex[:120]}")
        else:
            problems.append(f"math: MathJax error '{message}' in {tex[:120]}")
    text = driver.execute_script(_VISIBLE_TEXT)
    for raw in RAW_TEX:
        for at in [m.start() for m in re.finditer(re.escape(raw), text)][:3]:
            problems.append(f"math: raw TeX {raw} in the text: “{_around(text, at)}”")
    for found in DOLLAR_TEX.finditer(text):
        if TEX_LOOKING.search(found.group(1)):
            problems.append(f"math: raw TeX $…$ in the text: “{found.group(0)[:120]}”")
    return list(dict.fromkeys(problems))              # each once, in order


def _around(text: str, at: int, width: int = 50) -> str:
    return text[max(0, at - width):at + width].replace("\n", " ")


def _link_problems(driver, url, links: dict) -> list[str]:
    origin = urllib.parse.urlsplit(url)[:2]
    page = urllib.parse.urldefrag(url).url
    problems, own_ids = [], None
    for href, absolute in dict(driver.execute_script(_LINKS)).items():
        parts = urllib.parse.urlsplit(absolute)
        if parts[:2] != origin:
            continue                                  # another site (never fetched)
        target, fragment = urllib.parse.urldefrag(absolute)
        if target == page:                            # this page: its ids as the browser has them
            own_ids = set(driver.execute_script(_IDS)) if own_ids is None else own_ids
            status, ids = 200, own_ids
        else:
            status, ids = _fetch(target, links)
        if status != 200:
            problems.append(f"link: {href!r} → HTTP {status}")
        elif fragment and urllib.parse.unquote(fragment) not in ids:
            problems.append(f"link: {href!r} → no id {urllib.parse.unquote(fragment)!r} on "
                            f"{target}")
    return problems


class _Ids(html.parser.HTMLParser):
    """The ``id`` (and ``<a name>``) values of an HTML page."""

    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name in ("id", "name") if tag == "a" else ("id",):
            if attributes.get(name):
                self.ids.add(attributes[name])


def _fetch(url: str, cache: dict) -> tuple[int, set[str]]:
    """HTTP status of ``url`` and the ids on it (HTML only), fetched once per cache."""
    if url not in cache:
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                status, body = response.status, response.read()
                is_html = "html" in response.headers.get("Content-Type", "")
        except urllib.error.HTTPError as error:
            status, body, is_html = error.code, b"", False
        ids = _Ids()
        if is_html:
            ids.feed(body.decode("utf-8", errors="replace"))
        cache[url] = (status, ids.ids)
    return cache[url]


# --- the site -------------------------------------------------------------------------------

def page_urls(site_dir, base_url: str = "") -> list[str]:
    """The pages of the site in ``site_dir``: every ``*.html`` but the index, search and module
    index of Sphinx and the files under ``_static``, ``_sources``, ``_downloads``, ``_images``.

    ``index.html`` first, then the others in path order; each is ``base_url`` + its path.
    """
    site_dir = Path(site_dir)
    pages = []
    for path in site_dir.rglob("*.html"):
        relative = path.relative_to(site_dir)
        if relative.as_posix() in NOT_PAGES or relative.parts[0] in NOT_PAGE_DIRS:
            continue
        pages.append(relative.as_posix())
    pages.sort(key=lambda page: (page != "index.html", page))
    return [base_url + page for page in pages]


def screenshot(driver, url, path) -> list[str]:
    """Keep a PNG of the whole page at ``path`` (the window's viewport as tall as the page, at
    most 12,000 px); returns the problems of loading it. The window gets its size back after."""
    problems = load(driver, url)
    height, frame = driver.execute_script(  # frame: the window's height beyond its viewport
        "return [document.documentElement.scrollHeight, outerHeight - innerHeight]")
    driver.set_window_size(WINDOW[0], min(int(height), MAX_SCREENSHOT_HEIGHT) + int(frame))
    try:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        if not driver.save_screenshot(str(path)):
            problems.append(f"load: no screenshot of {url}")
    finally:
        driver.set_window_size(*WINDOW)
    return problems
