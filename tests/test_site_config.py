"""The site's publishing settings: one repository URL turns on the repository, issue, Binder
and Colab buttons (book/_ext/repository.py), the Pages workflow supplies it, every chapter links
its notebook for download, the logo is ours and set, and every image has alt text that
describes it (book/_ext/alt_text.py)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, toc_files

sys.path.insert(0, str(ROOT / "book" / "_ext"))
import alt_text  # noqa: E402
import repository  # noqa: E402

HTML = ROOT / "_build" / "html"
CHAPTERS = [page for page in toc_files() if page.startswith("notebooks/")]
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text())


# --- the one repository setting ---------------------------------------------------------------

def test_the_config_has_one_repository_setting_and_the_launch_hosts():
    url = CONFIG["repository"]["url"]  # "" until the project has a public URL
    assert url == "" or repository.repository_url(url, {}) == url
    assert "use_repository_button" not in CONFIG["html"]  # derived from the URL, not a second switch
    assert CONFIG["html"]["use_download_button"] is True
    assert CONFIG["launch_buttons"]["binderhub_url"] == "https://mybinder.org"
    assert CONFIG["launch_buttons"]["colab_url"] == "https://colab.research.google.com"
    assert {"repository", "alt_text"} <= set(CONFIG["sphinx"]["local_extensions"])


def test_the_environment_overrides_the_configured_url():
    fork = "https://github.com/someone/optimizers-book"
    assert repository.repository_url("", {}) == ""
    assert repository.repository_url(fork + "/", {}) == fork
    assert repository.repository_url("https://github.com/a/b", {repository.ENVIRONMENT: fork}) == fork
    assert repository.repository_url("", {repository.ENVIRONMENT: fork + ".git"}) == fork


@pytest.mark.parametrize("bad", ["github.com/a/b", "https://gitlab.com/a/b", "https://github.com/a",
                                 "https://github.com/a/b/tree/main"])
def test_a_url_binder_and_colab_cannot_open_is_refused(bad):
    with pytest.raises(ValueError, match=re.escape(repr(bad))):
        repository.repository_url(bad, {})
    with pytest.raises(TypeError, match="must be a string"):
        repository.repository_url(42, {})


def test_with_a_url_every_button_is_on_and_without_one_none():
    hosts = dict(CONFIG["launch_buttons"])
    on = repository.with_buttons({"launch_buttons": hosts}, "https://github.com/a/b")
    assert on["repository_url"] == "https://github.com/a/b"
    assert on["use_repository_button"] and on["use_issues_button"]
    assert on["launch_buttons"]["binderhub_url"] and on["launch_buttons"]["colab_url"]
    off = repository.with_buttons({"launch_buttons": hosts, "repository_url": ""}, "")
    assert "repository_url" not in off and not off["use_repository_button"]
    assert not off["use_issues_button"]
    assert not off["launch_buttons"]["binderhub_url"] and not off["launch_buttons"]["colab_url"]
    assert hosts == CONFIG["launch_buttons"]  # the theme's options are not changed in place


def test_the_pages_workflow_supplies_the_repository_being_built():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "book.yml").read_text())
    build = workflow["jobs"]["build"]
    assert build["env"][repository.ENVIRONMENT] == "${{ github.server_url }}/${{ github.repository }}"


def test_the_readme_says_how_to_publish_a_fork():
    readme = (ROOT / "README.md").read_text()
    assert "## Publishing" in readme and "BOOK_REPOSITORY_URL" in readme
    assert "repository:" in readme and "GitHub Actions" in readme


# --- the logo ------------------------------------------------------------------------------

def test_the_logo_is_a_small_svg_of_our_own_with_a_title():
    logo = ROOT / CONFIG["logo"]
    svg = logo.read_text()
    assert logo.suffix == ".svg" and logo.stat().st_size < 4_000
    assert "<title" in svg and "href" not in svg  # describes itself, loads nothing


def test_every_page_shows_the_logo(book_build):
    for page in toc_files():
        html = (HTML / f"{page}.html").read_text()
        logos = re.findall(r'<img\b[^>]*\bsrc="([^"]*logo\.svg)"', html)
        assert logos, f"{page} shows no logo"
        assert all((HTML / page).parent.joinpath(src).resolve().is_file() for src in logos)


# --- the chapters' notebooks ----------------------------------------------------------------

@pytest.mark.parametrize("page", CHAPTERS)
def test_every_chapter_links_its_notebook_for_download(book_build, page):
    html = (HTML / f"{page}.html").read_text()
    name = Path(page).name
    links = re.findall(rf'href="([^"]*_sources/{re.escape(page)}\.ipynb)"', html)
    assert links, f"{page} offers no .ipynb download"
    notebook = ((HTML / page).parent / links[0]).resolve()
    assert notebook.is_file() and notebook.name == f"{name}.ipynb"
    assert '"cells"' in notebook.read_text()[:2000] or '"cells"' in notebook.read_text()


# --- alt text ---------------------------------------------------------------------------------

def test_first_sentence():
    assert alt_text.first_sentence("Adam on Rosenbrock, η = 0.05. White: diverged.") == \
        "Adam on Rosenbrock, η = 0.05."
    assert alt_text.first_sentence("Steps, e.g. the first\n ones:") == "Steps, e.g. the first ones"
    assert alt_text.first_sentence("The runs of Fig. 3.4 again. Right: loss.") == \
        "The runs of Fig. 3.4 again."
    with pytest.raises(TypeError, match="needs a str"):
        alt_text.first_sentence(None)


def test_the_alt_text_reads_the_maths_as_symbols():
    assert alt_text.spoken(r"\theta_0 = 3, \eta\lambda = 0.04, \hat{m}_t, \frac12 \lambda e^2") == \
        "θ_0 = 3, ηλ = 0.04, m_t, ½ λ e^2"


@pytest.mark.parametrize("page", toc_files())
def test_every_image_has_alt_text_that_is_not_its_file_name(book_build, page):
    html = (HTML / f"{page}.html").read_text()
    for tag in re.findall(r"<img\b[^>]*>", html):
        alt = re.search(r'\balt="([^"]*)"', tag)
        src = re.search(r'\bsrc="([^"]*)"', tag)
        assert alt and alt.group(1).strip(), f"{page}: an image without alt text: {tag[:120]}"
        if src:
            name = src.group(1).rsplit("/", 1)[-1]
            assert name not in alt.group(1), f"{page}: alt text is the file name: {tag[:120]}"
