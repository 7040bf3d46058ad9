"""The book builds with warnings as errors, every page in the table of contents is rendered,
and the notebooks are committed without outputs (the book and nbval execute them)."""

import json
import re
from pathlib import Path

import pytest

from conftest import ROOT, toc_files

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_committed_without_outputs(notebook):
    cells = json.loads(notebook.read_text())["cells"]
    dirty = [i for i, c in enumerate(cells) if c["cell_type"] == "code" and (c["outputs"] or c["execution_count"])]
    assert not dirty, f"{notebook.name}: cells {dirty} carry outputs; clear them before committing"


def test_every_notebook_is_in_the_table_of_contents():
    listed = set(toc_files())
    missing = [p.name for p in NOTEBOOKS if f"notebooks/{p.stem}" not in listed]
    assert not missing, f"notebooks missing from _toc.yml: {missing}"


def test_book_builds_without_warnings(book_build):
    log = book_build.stdout + book_build.stderr
    # Sphinx's own messages ("file.md:12: WARNING: ..."); not the kernel's "[IPKernelApp] WARNING | ..."
    warnings = [line for line in log.splitlines() if re.search(r"\b(WARNING|ERROR|CRITICAL):", line)]
    assert book_build.returncode == 0, f"jupyter-book build failed:\n{log[-5000:]}"
    assert not warnings, "the build reported:\n" + "\n".join(warnings)


@pytest.mark.parametrize("page", toc_files())
def test_every_toc_page_is_rendered(book_build, page):
    html = ROOT / "_build" / "html" / f"{page}.html"
    assert html.exists(), f"{html} was not built"
    assert "Traceback" not in html.read_text(), f"{page} shows a traceback"


def page_weight(html_path: Path, html: str) -> int:
    """Bytes a reader downloads for a page's own content: the HTML and the images it shows."""
    images = re.findall(r'<img\b[^>]*?\bsrc="(?!data:)([^"]+)"', html)
    return html_path.stat().st_size + sum((html_path.parent / src).stat().st_size for src in set(images))


@pytest.mark.parametrize("page", toc_files())
def test_every_page_is_light_and_self_contained(book_build, page):
    path = ROOT / "_build" / "html" / f"{page}.html"
    html = path.read_text()
    remote = re.findall(r'<(?:script|link|img|iframe)\b[^>]*?\b(?:src|href)="((?:https?:)?//[^"]+)"', html)
    assert not remote, f"{page} loads from other hosts: {remote}"
    assert "THEBE_JS_URL" not in html and "sphinx-thebe.js" not in html, (
        "the unused thebe scripts are back (book/_ext/offline.py)")
    assert "widget-state+json" not in html, "a page embeds widget state: a dead slider"
    mathjax = re.findall(r'<script\b[^>]*?\bsrc="([^"]*mathjax[^"]*)"', html, flags=re.IGNORECASE)
    assert all("_static/mathjax/tex-chtml.js" in src for src in mathjax), f"MathJax from {mathjax}"
    assert page_weight(path, html) < 5_000_000


@pytest.mark.parametrize("page", toc_files())
def test_every_page_links_a_favicon_that_exists(book_build, page):
    # without a <link rel="icon"> a browser asks the server for /favicon.ico: a 404 per page
    path = ROOT / "_build" / "html" / f"{page}.html"
    icons = re.findall(r'<link\b[^>]*\brel="(?:shortcut )?icon"[^>]*\bhref="([^"]+)"',
                       path.read_text())
    assert icons, f"{page} links no favicon"
    for src in icons:
        assert (path.parent / src).is_file(), f"{page} points at {src}, which was not built"
