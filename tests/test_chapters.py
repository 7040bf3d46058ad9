"""Every chapter reads like a textbook page and prints the same thing on every run.

Read from the notebooks as committed:

* at most ``MAX_WORDS`` words of markdown plus visible code (a cell tagged ``hide-input``,
  ``remove-input`` or ``remove-cell`` is not visible; a collapsed solution is);
* no line of code longer than 88 characters, in code cells and in the markdown's code blocks;
* the code a reader sees teaches: a visible cell holds at most ``MAX_VISIBLE_ASSERTS``
  assertions (the check of a from-scratch version against optlib, say); the checks that keep the
  prose true go in a collapsed ``hide-input`` cell. Solutions of exercises are exempt.

Executed twice, by the book build (read back from its execution cache) and again here:

* both runs print the same text: streams, text and Markdown results, glued values;
* every figure has at most three panels across, and its tick labels read at least 9 points in
  the book's column (``plotting.COLUMN_PX``, a figure wider than that is shrunk to fit);
* code printed by a cell (``inspect.getsource`` of optlib) fits in 88 characters.
"""

from __future__ import annotations

import ast
import asyncio
import concurrent.futures
import difflib
import gc
import json
import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from conftest import ROOT, toc_files
from optlib import plotting

CHAPTERS = [ROOT / f"{page}.ipynb" for page in toc_files() if page.startswith("notebooks/")]
IDS = [path.stem for path in CHAPTERS]
HIDDEN = {"hide-input", "remove-input", "remove-cell"}
MAX_WORDS = 7000
MAX_LINE = 88
MAX_VISIBLE_ASSERTS = 2
MIN_TICK_PT = 9.0
CSS_PX_PER_PT = 4 / 3

# Run before a chapter's first cell: every figure the chapter shows is measured as it is drawn.
RECORD_FIGURES = '''
import base64 as _base64, struct as _struct
import matplotlib.pyplot as _plt
from matplotlib.figure import Figure as _Figure
_plt.close(_plt.figure())  # loads the inline backend, which registers its PNG printer
_formatter = get_ipython().display_formatter.formatters["image/png"]
_draw_png = _formatter.lookup_by_type(_Figure)
FIGURES_SHOWN = []


def _measure(fig):
    data = _draw_png(fig)
    png = _base64.b64decode(data) if isinstance(data, str) else data
    def tick_labels(ax):
        return [label for label in ax.get_xticklabels() + ax.get_yticklabels()
                if label.get_visible() and label.get_text()]

    # panels: axes with tick labels to read (a grid of images without ticks is one picture)
    panels = [ax for ax in fig.axes if ax.get_visible() and ax.axison
              and ax.get_label() != "<colorbar>" and tick_labels(ax)]
    ticks = [label.get_fontsize() for ax in panels for label in tick_labels(ax)]
    FIGURES_SHOWN.append({
        "title": fig.texts[0].get_text() if fig.texts else
                 next((ax.get_title() for ax in panels if ax.get_title()), ""),
        "width_px": _struct.unpack(">I", png[16:20])[0], "dpi": fig.dpi,
        "tick_pt": min(ticks, default=None),
        "columns": len({round(ax.get_position().x0, 2) for ax in panels}),
    })
    return data


_formatter.for_type(_Figure, _measure)
'''
REPORT_FIGURES = "import json as _json; print(_json.dumps(FIGURES_SHOWN))"


def cells(path: Path):
    return nbformat.read(path, as_version=4).cells


def is_visible(cell) -> bool:
    return not HIDDEN & set(cell.metadata.get("tags", []))


def is_solution(cell) -> bool:
    return bool(cell.metadata.get("nbgrader", {}).get("solution"))


def words(path: Path) -> int:
    return sum(len(cell.source.split()) for cell in cells(path)
               if cell.cell_type == "markdown" or is_visible(cell))


@pytest.mark.parametrize("path", CHAPTERS, ids=IDS)
def test_chapter_is_at_most_max_words(path):
    count = words(path)
    assert count <= MAX_WORDS, (f"{path.name}: {count} words of markdown and visible code, "
                                f"more than {MAX_WORDS}; cut, or move checks into hide-input cells")


def long_lines(source: str, in_markdown: bool) -> list[str]:
    if in_markdown:  # only the code blocks of a markdown cell
        blocks = re.findall(r"^```[^\n{]*\n(.*?)^```", source, flags=re.MULTILINE | re.DOTALL)
        source = "\n".join(blocks)
    return [line for line in source.splitlines() if len(line) > MAX_LINE]


@pytest.mark.parametrize("path", CHAPTERS, ids=IDS)
def test_code_lines_fit_the_column(path):
    wide = [(i, line) for i, cell in enumerate(cells(path))
            for line in long_lines(cell.source, cell.cell_type == "markdown")]
    assert not wide, f"{path.name}: lines over {MAX_LINE} characters (cell, line): {wide}"


def assertions(source: str) -> int:
    """``assert`` statements and calls of ``assert_*`` functions (``np.testing.assert_allclose``)."""
    count = 0
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Assert):
            count += 1
        elif isinstance(node, ast.Call):
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            count += name.startswith("assert")
    return count


@pytest.mark.parametrize("path", CHAPTERS, ids=IDS)
def test_visible_code_teaches_and_checks_are_collapsed(path):
    heavy = [(i, n) for i, cell in enumerate(cells(path))
             if cell.cell_type == "code" and is_visible(cell) and not is_solution(cell)
             and (n := assertions(cell.source)) > MAX_VISIBLE_ASSERTS]
    assert not heavy, (f"{path.name}: visible cells with more than {MAX_VISIBLE_ASSERTS} "
                       f"assertions (cell, count): {heavy}; move them to a hide-input cell")


def test_assertion_counter_counts_both_kinds():
    source = "assert x\nnp.testing.assert_allclose(a, b)\nassert_equal(1, 1)\nprint(1)"
    assert assertions(source) == 3


# --- executed twice ------------------------------------------------------------------------


def execute(path: Path) -> nbformat.NotebookNode:
    notebook = nbformat.read(path, as_version=4)
    notebook.cells.insert(0, nbformat.v4.new_code_cell(RECORD_FIGURES))
    notebook.cells.append(nbformat.v4.new_code_cell(REPORT_FIGURES))
    client = NotebookClient(notebook, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    # in this thread's own event loop, closed at the end (client.execute() leaves it open)
    asyncio.run(client.async_execute())
    notebook.cells = notebook.cells[1:]  # the chapter's cells, then the report
    return notebook


@pytest.fixture(scope="module")
def fresh_runs(request):
    """The chapters that the selected tests need, each executed in a kernel of its own, two at
    a time; a chapter's run is waited for when a test first asks for it."""
    wanted = [path for path in CHAPTERS if any(
        getattr(item, "callspec", None) and item.callspec.params.get("chapter") == path
        for item in request.session.items)]
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        futures = {path: pool.submit(execute, path) for path in wanted}
        yield futures
    gc.collect()  # whatever the kernels' clients left open is reported here, not later


@pytest.fixture
def fresh_run(chapter, fresh_runs):
    return fresh_runs[chapter].result()


@pytest.fixture
def two_runs(chapter, book_build, fresh_runs):
    """The chapter as the book build executed it (from its execution cache, which
    ``book_build`` starts empty), and as executed again here."""
    from jupyter_cache import get_cache

    assert book_build.returncode == 0, "the book did not build (see test_book.py)"
    cache = get_cache(ROOT / "_build" / ".jupyter_cache")
    _, built = cache.merge_match_into_notebook(nbformat.read(chapter, as_version=4))
    return built, fresh_runs[chapter].result()


def printed_text(cell) -> str:
    parts = []
    for output in cell.get("outputs", []):
        if output.output_type == "stream":
            parts.append(output.text)
        elif output.output_type in ("execute_result", "display_data"):
            # glued values are stored as application/papermill.record/text/plain (and .../markdown)
            data = output.get("data", {})
            parts += [str(value) for kind, value in sorted(data.items())
                      if kind.endswith(("text/plain", "text/markdown"))]
    return "".join(parts)


@pytest.mark.parametrize("chapter", CHAPTERS, ids=IDS)
def test_every_printed_number_is_the_same_on_a_second_run(two_runs):
    built, fresh = two_runs
    first = [printed_text(cell) for cell in built.cells]
    second = [printed_text(cell) for cell in fresh.cells[:-1]]
    assert len(first) == len(second)
    for index, (a, b) in enumerate(zip(first, second)):
        diff = "\n".join(difflib.unified_diff(a.splitlines(), b.splitlines(), lineterm=""))
        assert a == b, f"cell {index} printed different text on two runs:\n{diff[:2000]}"


def figures(run) -> list[dict]:
    return json.loads(run.cells[-1].outputs[0].text)


def displayed_tick_pt(figure: dict) -> float:
    scale = min(1.0, plotting.COLUMN_PX / figure["width_px"])
    return figure["tick_pt"] * figure["dpi"] / 72 * scale / CSS_PX_PER_PT


@pytest.mark.parametrize("chapter", CHAPTERS, ids=IDS)
def test_figures_are_readable_at_book_width(fresh_run):
    shown = figures(fresh_run)
    assert shown, "no figure was measured"
    wide = [(f["title"], f["columns"]) for f in shown if f["columns"] > 3]
    small = [(f["title"], round(displayed_tick_pt(f), 1)) for f in shown
             if f["tick_pt"] is not None and displayed_tick_pt(f) < MIN_TICK_PT]
    assert not wide and not small, (
        f"figures with more than three panels across (title, panels): {wide}; "
        f"tick labels under {MIN_TICK_PT} pt in the book's column (title, pt): {small} "
        f"(a figure at most {plotting.MAX_FIGURE_WIDTH} in wide is not shrunk)")


@pytest.mark.parametrize("chapter", CHAPTERS, ids=IDS)
def test_printed_code_fits_the_column(fresh_run):
    wide = []
    for index, cell in enumerate(fresh_run.cells[:-1]):
        for output in cell.get("outputs", []):
            markdown = output.get("data", {}).get("text/markdown", "")
            wide += [(index, line) for line in long_lines(markdown, in_markdown=True)]
            if output.output_type == "stream":
                wide += [(index, line) for line in long_lines(output.text, in_markdown=False)]
    assert not wide, f"printed lines over {MAX_LINE} characters (cell, line): {wide}"
