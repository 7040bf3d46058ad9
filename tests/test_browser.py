"""The built book in a real browser (headless Chromium driven by Playwright), offline.

For every page of ``_toc.yml``: the math is typeset, nothing is requested from another host and
no request fails, the console shows no error, every image loads, each animation plays, and each
exercise's solution opens. A full-page screenshot of each page goes to ``_build/screenshots/``.
The site is served from ``_build/html`` on 127.0.0.1; requests to any other host are refused.
"""

from __future__ import annotations

import functools
import http.server
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest

from conftest import ROOT, toc_files

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOTS = ROOT / "_build" / "screenshots"

if not CHROMIUM.exists():
    pytest.skip(f"the browser tests need Chromium at {CHROMIUM}: install it with "
                "`apt-get install chromium` (Debian/Ubuntu)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="the browser tests need Playwright: "
                               "`.venv/bin/pip install -r requirements.txt`")


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site(book_build):
    """The built book, served over HTTP on 127.0.0.1 on a free port; yields its base URL."""
    assert book_build.returncode == 0, "the book did not build (see test_book.py)"
    handler = functools.partial(QuietHandler, directory=str(ROOT / "_build" / "html"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Visit:
    """One page opened in the browser, with what it logged and requested while loading."""

    def __init__(self, browser, url):
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.foreign, self.failed, self.errors = [], [], []
        self.context.route("**/*", self._only_local)
        self.page = self.context.new_page()
        self.pending = set()
        self.page.on("request", lambda r: self.pending.add(r))
        self.page.on("requestfinished", lambda r: self.pending.discard(r))
        self.page.on("requestfailed", lambda r: self.pending.discard(r))
        self.page.on("console", lambda msg: msg.type == "error" and self.errors.append(msg.text))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("requestfailed", lambda r: self.failed.append(f"{r.url} ({r.failure})"))
        self.page.on("response", lambda r: r.status >= 400 and self.failed.append(f"{r.url} ({r.status})"))
        self.page.goto(url, wait_until="load")
        self.page.evaluate("document.fonts.ready")
        if self.math_count():
            self.page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise")
            self.page.evaluate("MathJax.startup.promise")
        for image in self.page.locator("img").all():  # lazy images load once scrolled to
            image.scroll_into_view_if_needed()
        self._wait_until_no_request_is_pending()

    def _wait_until_no_request_is_pending(self, quiet_ms=500, timeout_s=90):
        """Like Playwright's "networkidle", but on a timeout it names the requests still open,
        and it allows a loaded CI machine more than Playwright's 30 s."""
        deadline = time.monotonic() + timeout_s
        quiet_since = time.monotonic()
        while time.monotonic() < deadline:
            self.page.wait_for_timeout(100)
            if self.pending:
                quiet_since = time.monotonic()
            elif time.monotonic() - quiet_since >= quiet_ms / 1000:
                return
        open_urls = sorted(r.url for r in self.pending)
        raise AssertionError(f"requests still open after {timeout_s} s: {open_urls}")

    def _only_local(self, route):
        if urlparse(route.request.url).hostname == "127.0.0.1" or route.request.url.startswith("data:"):
            route.continue_()
        else:
            self.foreign.append(route.request.url)
            route.abort()

    def math_count(self) -> int:
        return self.page.locator("span.math, div.math").count()


@pytest.fixture(scope="module")
def visits(browser, site):
    opened = {}

    def visit(page_name):
        if page_name not in opened:
            opened[page_name] = Visit(browser, f"{site}/{page_name}.html")
        return opened[page_name]

    yield visit
    for v in opened.values():
        v.context.close()


PAGES = toc_files()


@pytest.mark.parametrize("page_name", PAGES)
def test_no_request_leaves_the_site_and_none_fails(visits, page_name):
    v = visits(page_name)
    assert not v.foreign, f"requests to other hosts: {v.foreign}"
    assert not v.failed, f"failed requests: {v.failed}"


@pytest.mark.parametrize("page_name", PAGES)
def test_no_console_error(visits, page_name):
    assert not visits(page_name).errors


@pytest.mark.parametrize("page_name", PAGES)
def test_math_is_typeset(visits, page_name):
    v = visits(page_name)
    if not v.math_count():
        pytest.skip(f"{page_name} has no math")
    typeset = v.page.locator("mjx-container").count()
    assert typeset >= v.math_count(), f"{typeset} of {v.math_count()} formulas typeset"
    text = v.page.locator("article").inner_text()
    assert "\\(" not in text and "\\[" not in text and "$$" not in text, "raw TeX left in the page"


@pytest.mark.parametrize("page_name", PAGES)
def test_every_image_loads(visits, page_name):
    broken = visits(page_name).page.evaluate(
        "Array.from(document.images).filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src.slice(0, 80))")
    assert not broken, f"images that did not load: {broken}"


@pytest.mark.parametrize("page_name", PAGES)
def test_each_animation_plays(visits, page_name):
    page = visits(page_name).page
    animations = page.locator("div.animation").all()
    if not animations:
        pytest.skip(f"{page_name} has no animation")
    for animation in animations:
        frame = animation.locator("img").first
        animation.scroll_into_view_if_needed()
        # an icon in every button: the theme's Font Awesome turns <i class="fa ..."> into an SVG
        # in the book; elsewhere (JupyterLab) the characters of plotting._PLAYER_ICONS show
        widths = animation.locator("button").evaluate_all(
            "buttons => buttons.map(b => b.firstElementChild.getBoundingClientRect().width)")
        assert len(widths) == 9 and min(widths) > 5, f"buttons without an icon: {widths}"
        pause = animation.locator("button[title='Pause']")
        pause.click()
        animation.locator("button[title='First frame']").click()
        before = frame.get_attribute("src")
        animation.locator("button[title='Play']").click()
        page.wait_for_function("([img, src]) => img.src !== src", arg=[frame.element_handle(), before],
                               timeout=5000)
        pause.click()


@pytest.mark.parametrize("page_name", PAGES)
def test_each_solution_opens(visits, page_name):
    page = visits(page_name).page
    solutions = page.locator("div.solution.dropdown").all()
    if not solutions:
        pytest.skip(f"{page_name} has no exercise")
    for solution in solutions:
        body = solution.locator(":scope > :not(.admonition-title)").first
        assert not body.is_visible(), "a solution is shown before it is opened"
        solution.locator("button.toggle-button").click()
        body.wait_for(state="visible", timeout=3000)


@pytest.mark.parametrize("page_name", PAGES)
def test_screenshot(visits, page_name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{page_name.replace('/', '_')}.png"
    visits(page_name).page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 10_000


WIDEST_IMAGE = """() => new Promise(resolve => {
    // a 2000-pixel-wide image where the first figure is: how wide does the column show it?
    const figure = document.querySelector("div.cell_output img");
    const canvas = Object.assign(document.createElement("canvas"), {width: 2000, height: 10});
    const probe = Object.assign(new Image(), {src: canvas.toDataURL()});
    probe.onload = () => { const width = probe.clientWidth; probe.remove(); resolve(width); };
    figure.parentElement.appendChild(probe);
})"""


def test_the_figure_column_is_as_wide_as_plotting_assumes(visits):
    """plotting.COLUMN_PX, the widest a figure is shown, decides the size of a figure's text
    (tests/test_chapters.py); it is what the theme gives a figure in a 1280-pixel window."""
    from optlib import plotting

    chapter = next(page for page in PAGES if page.startswith("notebooks/"))
    assert visits(chapter).page.evaluate(WIDEST_IMAGE) == plotting.COLUMN_PX


WIDE_CODE = """() => [...document.querySelectorAll("div.highlight pre")]
    .filter(pre => pre.scrollWidth > pre.clientWidth + 1)
    .map(pre => pre.textContent.split("\\n").reduce((a, b) => (b.length > a.length ? b : a)))"""


@pytest.mark.parametrize("page_name", PAGES)
def test_code_does_not_scroll_sideways(visits, page_name):
    """A line of at most 88 characters fits a code block of the column (book/_static/book.css)
    in a 1280-pixel window; tests/test_chapters.py keeps the chapters' lines that short."""
    scrolling = visits(page_name).page.evaluate(WIDE_CODE)
    assert not [line for line in scrolling if len(line) <= 88], scrolling


MATH_LAYOUT = """() => {
    // display equations wider than the column (beside their number), and dollar signs left
    // in the prose: inline maths that Markdown broke (a line starting with "+ " is a list)
    const wide = [...document.querySelectorAll("div.math")].map(div => {
        const math = div.querySelector("mjx-math"), number = div.querySelector(".eqno");
        const room = div.getBoundingClientRect().width
            - (number ? number.getBoundingClientRect().width : 0);
        return math && math.getBoundingClientRect().width > room + 1
            ? div.textContent.trim().slice(0, 60) : null;
    }).filter(Boolean);
    const prose = document.querySelector("article").cloneNode(true);
    prose.querySelectorAll("pre, code, mjx-container, script, .cell_input").forEach(e => e.remove());
    const dollars = prose.innerText.split("\\n").filter(line => line.includes("$"));
    return {wide, dollars};
}"""


@pytest.mark.parametrize("page_name", PAGES)
def test_equations_fit_and_no_maths_is_left_raw(visits, page_name):
    v = visits(page_name)
    if not v.math_count():
        pytest.skip(f"{page_name} has no math")
    layout = v.page.evaluate(MATH_LAYOUT)
    assert not layout["wide"], f"equations wider than the column: {layout['wide']}"
    assert not layout["dollars"], f"raw maths in the prose: {layout['dollars']}"
