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
            if image.is_visible():  # not the logos inside a closed menu (they never scroll)
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


# --- the slider figures of optlib.scrub -------------------------------------------------------

def _ravine_runs(make_optimizer, steps):
    """A fresh optlib run of a chapter's slider figure at a grid point (see the chapters)."""
    import optlib
    from optlib import functions

    def run(point):
        ravine = functions.ravine(condition=10.0)
        return optlib.minimize(ravine, ravine.start, make_optimizer(**point), steps).x

    return run


#: page -> how its slider figure's runs are made, as the chapter's cell makes them
SLIDER_RUNS = {
    "notebooks/gradient_descent": _ravine_runs(lambda lr: __import__("optlib").SGD(lr), 40),
    "notebooks/momentum": _ravine_runs(
        lambda lr, momentum: __import__("optlib").Momentum(lr, momentum), 60),
}

SLIDER_STATE = """figure => {
    const data = JSON.parse(figure.querySelector("script.optlib-scrub-data").textContent);
    const path = figure.querySelector("svg.optlib-scrub-contour path.run");
    return {index: Number(figure.dataset.index), d: path.getAttribute("d"),
            loss: figure.querySelector("svg.optlib-scrub-loss path.run").getAttribute("d"),
            values: [...figure.querySelectorAll("input[type=range]")].map(i => Number(i.value)),
            outputs: [...figure.querySelectorAll("output")].map(o => o.textContent),
            data};
}"""


def _drawn_points(d: str):
    """The points of an SVG path "M x y L x y ... M ...", in order (one array per piece)."""
    import numpy as np

    pieces = [piece.split() for piece in d.replace("L", " ").split("M") if piece.strip()]
    return [np.array(piece, dtype=float).reshape(-1, 2) for piece in pieces]


def _check_drawn_path_is_optlibs(state, fresh_run):
    """The drawn path is the embedded float32 run, and that is optlib's run at the grid point."""
    import numpy as np
    from optlib import scrub

    data, index = state["data"], state["index"]
    n_points = int(np.prod([len(p["values"]) for p in data["params"]]))
    embedded = scrub.decode(data["paths"], (n_points, data["steps"] + 1, 2))[index]
    drawn = np.concatenate(_drawn_points(state["d"]))
    finite = embedded[np.all(np.isfinite(embedded), axis=1)]
    np.testing.assert_array_equal(drawn.astype(np.float32), finite)  # drawn exactly as stored
    shape = [len(p["values"]) for p in data["params"]]
    at = np.unravel_index(index, shape)
    point = {p["name"]: p["values"][i] for p, i in zip(data["params"], at)}
    assert [p["texts"][i] for p, i in zip(data["params"], at)] == state["outputs"]
    fresh = fresh_run(point)
    np.testing.assert_allclose(embedded, fresh, rtol=2e-7, atol=1e-6 * np.nanmax(np.abs(fresh)))


CONTRAST = """figure => {
    // WCAG contrast of the figure's text and of its path against the background behind it
    const rgb = text => text.match(/[\\d.]+/g).map(Number);
    const luminance = color => {
        const [r, g, b] = color.slice(0, 3).map(v => v / 255)
            .map(v => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    let node = figure, background = [255, 255, 255];
    for (; node; node = node.parentElement) {
        const color = rgb(getComputedStyle(node).backgroundColor);
        if (color.length < 4 || color[3] > 0) { background = color; break; }
    }
    const contrast = color => {
        const [a, b] = [luminance(rgb(color)), luminance(background)].sort((x, y) => y - x);
        return (a + 0.05) / (b + 0.05);
    };
    return {text: contrast(getComputedStyle(figure.querySelector("svg text")).fill),
            run: contrast(getComputedStyle(figure.querySelector("path.run")).stroke)};
}"""


def _slider_figures(visits, page_name):
    v = visits(page_name)
    figures = v.page.locator(".optlib-scrub").all()
    if not figures:
        pytest.skip(f"{page_name} has no slider figure")
    return v, figures


@pytest.mark.parametrize("page_name", PAGES)
def test_each_slider_figure_redraws_as_its_sliders_move(visits, page_name):
    """Keys and a mouse drag move every slider; each move draws another path, labelled with
    the new value, and nothing is logged as an error."""
    v, figures = _slider_figures(visits, page_name)
    for figure in figures:
        figure.scroll_into_view_if_needed()
        for slider in figure.locator("input[type=range]").all():
            label = figure.locator(f"label[for='{slider.get_attribute('id')}']")
            assert label.inner_text().strip(), "a slider without a label"
            before = figure.evaluate(SLIDER_STATE)
            slider.focus()
            slider.press("ArrowRight" if slider.input_value() != slider.get_attribute("max")
                         else "ArrowLeft")
            after_key = figure.evaluate(SLIDER_STATE)
            assert after_key["values"] != before["values"], "the arrow key did not move it"
            assert after_key["d"] != before["d"] and after_key["loss"] != before["loss"]
            readout = figure.locator(f"output[for='{slider.get_attribute('id')}']")
            assert slider.get_attribute("aria-valuetext").endswith(" = " + readout.inner_text())
            box = slider.bounding_box()
            v.page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] / 2)
            v.page.mouse.down()
            v.page.mouse.move(box["x"] + box["width"] * 0.05, box["y"] + box["height"] / 2,
                              steps=5)
            v.page.mouse.up()
            dragged = figure.evaluate(SLIDER_STATE)
            assert dragged["values"] != after_key["values"], "the drag did not move it"
            assert dragged["d"] != after_key["d"]
    assert not v.errors, v.errors


@pytest.mark.parametrize("page_name", PAGES)
def test_each_slider_figure_draws_optlibs_run(visits, page_name):
    """At the first, the last and the initial grid points the drawn path is the embedded data,
    and the embedded data is a fresh optlib run at that grid point (float32 precision)."""
    v, figures = _slider_figures(visits, page_name)
    assert page_name in SLIDER_RUNS, f"add {page_name}'s slider figure to SLIDER_RUNS"
    for figure in figures:
        _check_drawn_path_is_optlibs(figure.evaluate(SLIDER_STATE), SLIDER_RUNS[page_name])
        for key in ("End", "Home"):
            for slider in figure.locator("input[type=range]").all():
                slider.press(key)
            _check_drawn_path_is_optlibs(figure.evaluate(SLIDER_STATE), SLIDER_RUNS[page_name])
    assert not v.errors, v.errors


@pytest.mark.parametrize("page_name", PAGES)
def test_slider_figure_screenshots_light_and_dark(visits, page_name):
    """Screenshots of each slider figure before and after a drag, in both themes, into
    _build/screenshots/; in each theme the text and the path stand out from the background."""
    v, figures = _slider_figures(visits, page_name)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    stem = page_name.replace("/", "_")
    colors = {}
    for theme in ("light", "dark"):
        v.page.evaluate(f"document.documentElement.dataset.theme = '{theme}'")
        for i, figure in enumerate(figures):
            slider = figure.locator("input[type=range]").first
            slider.press("Home")
            figure.scroll_into_view_if_needed()
            figure.screenshot(path=str(SCREENSHOTS / f"{stem}_slider{i}_{theme}_before.png"))
            box = slider.bounding_box()
            v.page.mouse.click(box["x"] + box["width"] * 0.6, box["y"] + box["height"] / 2)
            figure.screenshot(path=str(SCREENSHOTS / f"{stem}_slider{i}_{theme}_after.png"))
            colors[theme, i] = figure.evaluate(CONTRAST)
    v.page.evaluate("document.documentElement.dataset.theme = 'light'")
    for (theme, i), contrast in colors.items():
        assert contrast["text"] >= 4.5 and contrast["run"] >= 3, f"{theme}, figure {i}: {contrast}"
    assert not v.errors, v.errors
