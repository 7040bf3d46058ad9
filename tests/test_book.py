"""The book builds with warnings as errors, every page in the table of contents is rendered,
and the notebooks are committed without outputs (the book and nbval execute them)."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def toc_files():
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]
    for part in toc.get("parts", []):
        files += [chapter["file"] for chapter in part["chapters"]]
    return files


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_committed_without_outputs(notebook):
    cells = json.loads(notebook.read_text())["cells"]
    dirty = [i for i, c in enumerate(cells) if c["cell_type"] == "code" and (c["outputs"] or c["execution_count"])]
    assert not dirty, f"{notebook.name}: cells {dirty} carry outputs; clear them before committing"


def test_every_notebook_is_in_the_table_of_contents():
    listed = set(toc_files())
    missing = [p.name for p in NOTEBOOKS if f"notebooks/{p.stem}" not in listed]
    assert not missing, f"notebooks missing from _toc.yml: {missing}"


@pytest.fixture(scope="session")
def book_build():
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    result = subprocess.run(
        [str(jupyter_book), "build", str(ROOT), "-n", "-W", "--keep-going"],
        capture_output=True,
        text=True,
        timeout=900,
    )
    return result


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
