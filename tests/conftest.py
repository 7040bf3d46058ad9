"""Shared test set-up: deterministic hypothesis runs, a non-interactive matplotlib backend, and
the book, built once per session for the tests that read it (test_book.py, test_browser.py)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import matplotlib
import pytest
from hypothesis import settings

matplotlib.use("Agg")

settings.register_profile("deterministic", derandomize=True, deadline=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "deterministic"))

ROOT = Path(__file__).resolve().parents[1]


def toc_files():
    """The pages of the book: the root, then every chapter of ``_toc.yml``, in order."""
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]
    for part in toc.get("parts", []):
        files += [chapter["file"] for chapter in part["chapters"]]
    return files


@pytest.fixture(scope="session")
def book_build():
    """``jupyter-book build`` of the whole book into ``_build/html`` (warnings as errors).

    Every page is read again (``--all``) and the execution cache is emptied first: it is keyed
    on the notebooks' code alone, so after a change to optlib it would serve stale outputs, and
    test_chapters.py compares this execution of every chapter with one of its own."""
    shutil.rmtree(ROOT / "_build" / ".jupyter_cache", ignore_errors=True)
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    return subprocess.run(
        [str(jupyter_book), "build", str(ROOT), "--all", "-n", "-W", "--keep-going"],
        capture_output=True,
        text=True,
        timeout=900,
    )
