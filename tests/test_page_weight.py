"""The page-weight budget: every built page, with the images, scripts and style sheets it loads
from the site, weighs at most 5 MB (a reader on a slow line still gets a chapter in seconds).
A page's images embedded as data: URIs (the animations' frames) are part of its HTML."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from conftest import ROOT

HTML = ROOT / "_build" / "html"
BUDGET = 5_000_000
#: What a page loads from the site: images, scripts, style sheets (and icons).
LOADED = re.compile(r'<(?:img|script)\b[^>]*?\bsrc="([^"]+)"'
                    r'|<link\b[^>]*?\brel="(?:stylesheet|icon|shortcut icon)"[^>]*?\bhref="([^"]+)"')


def loaded_files(page: Path) -> set[Path]:
    """The site's files that ``page`` loads, without query strings (the theme's ?digest=)."""
    html = page.read_text()
    files = set()
    for match in LOADED.finditer(html):
        url = urlparse(match.group(1) or match.group(2))
        if url.scheme or url.netloc:  # data: URIs are in the HTML; no other host is allowed
            continue
        files.add((page.parent / unquote(url.path)).resolve())
    return files


def page_weight(page: Path) -> int:
    missing = [str(path) for path in loaded_files(page) if not path.is_file()]
    assert not missing, f"{page.name} loads files that were not built: {missing}"
    return page.stat().st_size + sum(path.stat().st_size for path in loaded_files(page))


def test_every_built_page_is_within_the_budget(book_build):
    assert book_build.returncode == 0, "the book did not build (see test_book.py)"
    # the theme's templates copied into _static/ are not pages
    pages = sorted(page for page in HTML.rglob("*.html") if "_static" not in page.parts)
    assert len(pages) > 10
    weights = {str(page.relative_to(HTML)): page_weight(page) for page in pages}
    heavy = {name: weight for name, weight in weights.items() if weight > BUDGET}
    assert not heavy, f"pages over {BUDGET:,} bytes with what they load: {heavy}"


def test_the_weight_counts_what_a_page_loads(tmp_path):
    (tmp_path / "_static").mkdir()
    (tmp_path / "_static" / "a.js").write_bytes(b"x" * 1000)
    (tmp_path / "fig.png").write_bytes(b"x" * 500)
    page = tmp_path / "page.html"
    page.write_text('<script src="_static/a.js?digest=1"></script><img src="fig.png">'
                    '<img src="data:image/png;base64,AAAA"><img src="fig.png">')
    assert page_weight(page) == page.stat().st_size + 1500
    page.write_text('<img src="gone.png">')
    with pytest.raises(AssertionError, match="not built"):
        page_weight(page)
