"""Turn a chapter into an nbgrader assignment, and list the book's exercises.

    python -m optlib.assign gradient_descent            # -> assignments/{source,release}/gradient_descent/
    python -m optlib.assign --index                     # rewrites book/exercises.md

How a chapter marks its exercises (nbgrader's conventions, cell metadata ``nbgrader``):

* a markdown cell with an ``{exercise}`` directive: the prompt. Its title ends with the
  difficulty, ``(easy)``, ``(medium)`` or ``(hard)``, which the index page lists;
* a markdown cell opening ``{solution-start}`` (with the worked explanation) and one holding
  only ``{solution-end}``: the book's dropdown. When the exercise has a written part (a proof,
  an explanation), the opening cell carries ``"grading": {"points": N, "rubric": "..."}`` and
  becomes a manually graded answer cell: the worked explanation and the rubric for the
  instructor, "YOUR ANSWER HERE" for the student. Otherwise the dropdown is dropped;
* solution cells (``solution: true``): code whose ``### BEGIN SOLUTION`` / ``### END SOLUTION``
  regions the student version replaces by ``raise NotImplementedError()``;
* check cells (``grade: true, locked: true, points: N``), which import what they call:
  ``from optlib.exercises import check_exercise`` and ``check_exercise("gd-ex-4", gd_until)``;
  ``### BEGIN HIDDEN TESTS`` regions in them are removed from the student version;
* cells tagged ``book-only`` (a solution's demonstration, the animations): dropped.

Both versions are plain Markdown that JupyterLab, Notebook and VS Code render
(:mod:`optlib.student_markdown`: glued numbers, cross-references and citations resolved), open
with a cell that names any missing package and the install line, and lock the chapter's import
cell. The *source* version (solutions in place) is what ``nbgrader generate_assignment`` reads;
the *release* version is what it produces and what students get (``tests/test_nbgrader.py``
checks that the two agree). We follow nbgrader 0.9's ClearSolutions, ClearHiddenTests,
ClearOutput and LockCells here instead of importing them: ``pip install nbgrader==0.9.6`` pulls
in a whole server stack (``make grader`` builds that environment apart), and the book's
environment should not carry it. Release with ``nbgrader generate_assignment`` to get its
checksums of the locked cells, which ``nbgrader autograde`` uses to restore edited ones.
"""

from __future__ import annotations

import argparse
import copy
import importlib.metadata
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
BEGIN_HIDDEN, END_HIDDEN = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
STUB = ["# YOUR CODE HERE", "raise NotImplementedError()"]
WRITTEN_STUB = ["YOUR ANSWER HERE"]
BOOK_ONLY = "book-only"
INSTALL_LINE = 'pip install -e ".[student]"'
EXERCISE = re.compile(r"```\{exercise\}\s*(?P<title>.*?)\s*\n(?:.*\n)*?:label:\s*(?P<label>\S+)")
DIFFICULTY = re.compile(r"\((easy|medium|hard)\)$")
SOLUTION_DIRECTIVE = re.compile(r"^(```|:::)\{solution-(start|end)\}", re.M)
SOLUTION_START = re.compile(r"^(```|:::)\{solution-start\}\s*(?P<label>\S+)[^\n]*\n(?:\s*:\w+:.*\n)*\1\s*$", re.M)


def source_of(cell) -> str:
    source = cell["source"]
    return source if isinstance(source, str) else "".join(source)


def nbgrader(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def tags(cell) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def is_solution_dropdown(cell) -> bool:
    """A markdown cell opening (with the worked explanation) or closing a book solution."""
    return cell["cell_type"] == "markdown" and bool(SOLUTION_DIRECTIVE.search(source_of(cell)))


def grading(cell) -> dict | None:
    """The written part's points and rubric, on a ``{solution-start}`` cell."""
    return cell.get("metadata", {}).get("grading") if is_solution_dropdown(cell) else None


def solution_label(cell) -> str:
    match = SOLUTION_START.search(source_of(cell))
    if not match:
        raise ValueError("a graded {solution-start} cell without a label:\n" + source_of(cell)[:200])
    return match["label"]


def solution_regions(text: str, begin=BEGIN, end=END) -> list[list[str]]:
    """The lines inside each begin/end region of a cell."""
    regions, inside = [], None
    for line in text.splitlines():
        if line.strip() == begin:
            if inside is not None:
                raise ValueError(f"{begin} inside another region")
            inside = []
        elif line.strip() == end:
            if inside is None:
                raise ValueError(f"{end} without {begin}")
            regions.append(inside)
            inside = None
        elif inside is not None:
            inside.append(line)
    if inside is not None:
        raise ValueError(f"{begin} without {end}")
    return regions


def replace_regions(text: str, begin: str, end: str, stub: list[str]) -> str:
    """Each begin/end region replaced by ``stub`` at the indentation of its begin line."""
    solution_regions(text, begin, end)  # refuses unbalanced markers
    out, inside = [], False
    for line in text.splitlines():
        if line.strip() == begin:
            indent = line[: len(line) - len(line.lstrip())]
            out += [indent + stub_line for stub_line in stub]
            inside = True
        elif line.strip() == end:
            inside = False
        elif not inside:
            out.append(line)
    return "\n".join(out)


def check_dropdowns(cells) -> None:
    """The book's solution cells must hold nothing a student needs: no prompt, no check."""
    for cell in cells:
        text = source_of(cell)
        if is_solution_dropdown(cell) and "{exercise}" in text:
            raise ValueError("an {exercise} prompt shares a cell with a solution dropdown:\n" + text[:200])
        if "{solution-end}" in text and text.strip().strip("`:").strip() != "{solution-end}":
            raise ValueError("a {solution-end} cell must hold only the directive:\n" + text[:200])


def grade_metadata(grade_id: str, *, grade: bool, solution: bool, locked: bool, points: int = 0) -> dict:
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": 3,
            "solution": solution, "task": False}
    if grade:
        meta["points"] = points
    return meta


# ---------------------------------------------------------------------------------------------
# The cells both versions share, and the values the chapter glues into its prose


ANIMATION_NOTE = ("*The book's web page shows an animation of these runs here; the notebook leaves it "
                  "out to stay small.*")


def clear_outputs(cell: dict) -> None:
    """nbgrader's ClearOutput, for a code cell."""
    if cell["cell_type"] == "code":
        cell["outputs"], cell["execution_count"] = [], None


def code_version(notebook: dict) -> dict:
    """The chapter as an assignment runs it: no dropdowns, no book-only cells, no outputs.

    A book-only cell outside a solution (an animation) leaves a note in its place, since the
    prose before it announces it.
    """
    notebook = copy.deepcopy(notebook)
    check_dropdowns(notebook["cells"])
    kept, in_solution = [], False
    for cell in notebook["cells"]:
        if is_solution_dropdown(cell):
            in_solution = "{solution-start}" in source_of(cell)
        if BOOK_ONLY in tags(cell):
            if not in_solution:
                kept.append({"cell_type": "markdown", "id": f"{cell.get('id', 'animation')}-note",
                             "metadata": {}, "source": ANIMATION_NOTE})
            continue
        if is_solution_dropdown(cell) and not grading(cell):
            continue
        cell["source"] = source_of(cell)
        clear_outputs(cell)
        kept.append(cell)
    notebook["cells"] = kept
    return notebook


def execute(notebook: dict, timeout: int = 300) -> dict:
    """Run every cell (even after an error, as "run all" does) in the chapters' folder."""
    import nbformat  # the book's environment has both; the student install needs neither
    from nbclient import NotebookClient

    notebook = nbformat.reads(json.dumps(notebook), as_version=4)  # sources as strings
    NotebookClient(notebook, timeout=timeout, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(ROOT / "notebooks")}}).execute()
    return notebook


def run_chapter(notebook: dict) -> dict:
    """The whole chapter run once, outputs cleared first, solutions in place: what
    ``student_markdown.glued_values`` reads the glued numbers from (the animations, which the
    assignment drops, glue some of the numbers that the prose before them states)."""
    notebook = copy.deepcopy(notebook)
    for cell in notebook["cells"]:
        clear_outputs(cell)
    return execute(notebook)


# ---------------------------------------------------------------------------------------------
# The two versions


def required_modules(notebook: dict) -> dict[str, str]:
    """module -> package: what the chapter's code imports outside the standard library, and
    what the student install brings for optlib's own modules (ipywidgets for the explorers)."""
    import tomllib

    providers = importlib.metadata.packages_distributions()
    found = {}
    for cell in notebook["cells"]:
        if cell["cell_type"] != "code":
            continue
        for match in re.finditer(r"^\s*(?:from|import)\s+([A-Za-z_]\w*)", source_of(cell), re.M):
            name = match[1]
            if name not in sys.stdlib_module_names and name != "__future__":
                found[name] = providers.get(name, [name])[0]
    extra = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]["student"]
    for requirement in extra:
        package = re.match(r"[A-Za-z0-9_.-]+", requirement)[0]
        modules = sorted(module for module, packages in providers.items() if package in packages
                         and not module.startswith("_"))
        named = [module for module in modules if module.lower() == package.lower().replace("-", "_")]
        if package != "ipykernel" and modules:  # the kernel running the cell is ipykernel
            found.setdefault((named or modules)[0], package)
    return dict(sorted(found.items(), key=lambda item: item[0].lower()))


def install_cells(notebook: dict) -> list[dict]:
    """A note on installing, and a plain-Python cell that names whatever is missing."""
    packages = required_modules(notebook)
    note = ("**Before you start.** This notebook needs the book's package `optlib` and what its "
            "chapters use (numpy, matplotlib, scipy, scikit-learn, ipywidgets, ...). In the book's "
            f"folder, install them all at the tested versions with\n\n    {INSTALL_LINE}\n\n"
            "then restart the kernel. The next cell checks, and names anything missing.")
    message = ("not installed: {}. In the book's folder run\n\n    " + INSTALL_LINE
               + "\n\nthen restart the kernel and run this notebook again.")
    check = "\n".join([
        "# Is everything this notebook imports installed? (plain Python: runs in any kernel)",
        "import importlib.util",
        "",
        f"needed = {json.dumps(packages, indent=1)}  # module: package",
        "missing = [package for module, package in needed.items()",
        "           if importlib.util.find_spec(module) is None]",
        "if missing:",
        f"    raise ModuleNotFoundError({message!r}.format(', '.join(missing)))",
        'print("Everything this notebook needs is installed.")',
    ])
    return [{"cell_type": "markdown", "id": "install-note", "metadata": {}, "source": note},
            {"cell_type": "code", "id": "install-check", "metadata": {"nbgrader": grade_metadata(
                "install-check", grade=False, solution=False, locked=True)},
             "execution_count": None, "outputs": [], "source": check}]


def exercise_points(notebook: dict) -> dict[str, dict[str, int]]:
    """Each exercise's points: its check's and its written part's."""
    points: dict[str, dict[str, int]] = {}
    for cell in notebook["cells"]:
        meta = nbgrader(cell)
        if meta.get("grade") and meta["grade_id"].endswith("-check"):
            points.setdefault(meta["grade_id"].removesuffix("-check"), {})["check"] = meta.get("points", 0)
        if grading(cell):
            points.setdefault(solution_label(cell), {})["written"] = grading(cell)["points"]
    return points


def written_cell(cell: dict, convert, number: str) -> list[dict]:
    """A graded ``{solution-start}`` cell as nbgrader's manually graded answer cell."""
    from .student_markdown import points_phrase

    label, rubric = solution_label(cell), grading(cell)
    worth = points_phrase(rubric["points"])
    explanation = SOLUTION_START.sub("", source_of(cell)).strip()
    answer = f"{convert(explanation)}\n\n---\n\n**Rubric ({worth}).**\n\n{convert(rubric['rubric'])}"
    heading = {"cell_type": "markdown", "id": f"{label}-written-heading", "metadata": {},
               "source": f"**Your written answer to Exercise {number}**: the parts that ask you to "
                         "derive, prove or explain (double-click the cell below to write in it; "
                         f"{worth}, graded by hand)."}
    metadata = {"nbgrader": grade_metadata(f"{label}-written", grade=True, solution=True, locked=False,
                                           points=rubric["points"])}
    return [heading, {"cell_type": "markdown", "id": f"{label}-written", "metadata": metadata,
                      "source": answer}]


BOOK_ONLY_INTRO = re.compile(r"behind\s+(a|the)\s+toggle")
EXERCISES_INTRO = ("The difficulty and the points are in each exercise's heading. Write each answer in place "
                   "of `raise NotImplementedError()`, or of \"YOUR ANSWER HERE\" for a written part "
                   "(double-click the cell), then run the check cell under it: it compares your answer "
                   "with `optlib` or a closed form and says what failed. Written parts are graded by hand.")


def for_students(markdown: str) -> str:
    """The chapter's introduction to its exercises speaks of the book's solution toggles, which
    the assignment does not have: that paragraph says how to answer instead."""
    paragraphs = markdown.split("\n\n")
    return "\n\n".join(EXERCISES_INTRO if BOOK_ONLY_INTRO.search(paragraph) else paragraph
                       for paragraph in paragraphs)


def source_version(notebook: dict, chapter: str, glued: dict, book=None) -> dict:
    """The instructor's version for nbgrader: solutions, model answers and rubrics in place.

    ``chapter`` is the notebook's name (``"momentum"``), ``glued`` what
    :func:`optlib.student_markdown.glued_values` found in :func:`run_chapter`'s run, ``book`` the
    cross-references of the whole book (read from the chapters if not given).
    """
    from . import student_markdown

    book = book or student_markdown.book_references(ROOT)
    totals = {label: sum(parts.values()) for label, parts in exercise_points(notebook).items()}

    def convert(text):
        return student_markdown.to_markdown(text, chapter, book, glued, totals)

    version = code_version(notebook)
    cells, first_code = [], True
    for cell in version["cells"]:
        if grading(cell):
            cells += written_cell(cell, convert, book.exercises[solution_label(cell)].number)
            continue
        if cell["cell_type"] == "markdown":
            cell["source"] = for_students(convert(source_of(cell)))
        elif first_code:  # the chapter's imports: locked, as nbgrader locks read-only cells
            cells += install_cells(notebook)
            cell["metadata"]["nbgrader"] = grade_metadata("imports", grade=False, solution=False, locked=True)
            first_code = False
        cells.append(cell)
        caption = student_markdown.figure_caption(cell, chapter, book, glued) if cell["cell_type"] == "code" else None
        if caption:
            cells.append({"cell_type": "markdown", "id": f"{cell.get('id', 'figure')}-caption",
                          "metadata": {}, "source": caption})
    version["cells"] = cells
    return version


def release_version(source: dict) -> dict:
    """What ``nbgrader generate_assignment`` makes of the source version."""
    notebook = copy.deepcopy(source)
    for cell in notebook["cells"]:
        meta, text = nbgrader(cell), source_of(cell)
        stub = STUB if cell["cell_type"] == "code" else WRITTEN_STUB
        if solution_regions(text) and not meta.get("solution"):
            raise ValueError("a solution region in a cell not marked as a solution cell:\n" + text[:200])
        if meta.get("solution"):  # as nbgrader: a solution cell without regions is all solution
            text = replace_regions(text, BEGIN, END, stub) if solution_regions(text) else "\n".join(stub)
        if meta.get("grade") and not meta.get("solution"):
            text = replace_regions(text, BEGIN_HIDDEN, END_HIDDEN, [])
        cell["source"] = text
        if meta.get("solution"):  # nbgrader's LockCells: answers cannot be deleted
            cell["metadata"]["deletable"] = False
        elif meta.get("grade") or meta.get("locked"):  # checks and read-only cells: not even edited
            cell["metadata"].update(deletable=False, editable=False)
    return notebook


# ---------------------------------------------------------------------------------------------
# The exercises of a chapter, for the index page


def exercises(notebook: dict) -> list[dict]:
    """label, title, difficulty and points (check and written) of each exercise, in order."""
    found, points = [], exercise_points(notebook)
    for cell in notebook["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        for match in EXERCISE.finditer(source_of(cell)):
            title, difficulty = match["title"], DIFFICULTY.search(match["title"])
            parts = points.get(match["label"], {})
            found.append({"label": match["label"], "title": DIFFICULTY.sub("", title).strip(),
                          "difficulty": difficulty[1] if difficulty else None,
                          "points": parts.get("check"), "written": parts.get("written", 0)})
    return found


def chapters() -> list[Path]:
    """The chapter notebooks in the order of the table of contents."""
    toc = (ROOT / "_toc.yml").read_text()
    files = re.findall(r"file:\s*(notebooks/\S+)", toc)
    return [ROOT / f"{name}.ipynb" for name in files]


def read(path: Path) -> dict:
    return json.loads(path.read_text())


def title_of(notebook: dict) -> str:
    first = source_of(notebook["cells"][0])
    return re.search(r"^#\s+(.*)$", first, re.M)[1]


def index_page() -> str:
    """book/exercises.md: every exercise, with its difficulty and its points."""
    lines = ["# Exercises", "",
             "<!-- Generated by `python -m optlib.assign --index`; do not edit by hand. -->", "",
             "Every chapter ends with exercises, graded from computing by hand to implementing and",
             "comparing. Each has a worked solution behind a toggle and an automatic check,",
             "`check_exercise(label, answer)` from `optlib.exercises`, that you can run in the",
             "notebook. Points are those of the nbgrader version: the automatic check's, plus",
             "those of the written part (a proof or an explanation, graded by hand) where there is one.", ""]
    for path in chapters():
        notebook = read(path)
        lines += [f"## {title_of(notebook)}", "",
                  "| label | exercise | difficulty | points |", "| --- | --- | --- | ---: |"]
        for exercise in exercises(notebook):
            check, written = exercise["points"] or 0, exercise["written"]
            points = f"{check + written} ({check} + {written} written)" if written else f"{check or '—'}"
            link = f"{{ref}}`{exercise['title']} <{exercise['label']}>`"
            lines.append(f"| `{exercise['label']}` | {link} | {exercise['difficulty']} | {points} |")
        lines.append("")
    return "\n".join(lines)


def write_assignment(chapter: str, course: Path) -> tuple[Path, Path]:
    """Write ``course/source/<chapter>/`` and ``course/release/<chapter>/``; return both files."""
    from .student_markdown import glued_values

    notebook = read(ROOT / "notebooks" / f"{chapter}.ipynb")
    source = source_version(notebook, chapter, glued_values(run_chapter(notebook)))
    written = []
    for version, content in [("source", source), ("release", release_version(source))]:
        target = course / version / chapter / f"{chapter}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(content, indent=1, ensure_ascii=False) + "\n")
        written.append(target)
    return written[0], written[1]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m optlib.assign", description=__doc__.split("\n")[0])
    parser.add_argument("chapters", nargs="*", help="chapter names, e.g. gradient_descent (default: all)")
    parser.add_argument("--course", type=Path, default=ROOT / "assignments",
                        help="the nbgrader course directory to write into (default: assignments/)")
    parser.add_argument("--index", action="store_true", help="rewrite book/exercises.md instead")
    args = parser.parse_args(argv)
    if args.index:
        (ROOT / "book" / "exercises.md").write_text(index_page())
        print(f"wrote {ROOT / 'book' / 'exercises.md'}")
        return 0
    known = [path.stem for path in chapters()]
    unknown = [name for name in args.chapters if name not in known]
    if unknown:
        parser.error(f"no chapter {', '.join(map(repr, unknown))}; the chapters are {', '.join(known)}")
    for chapter in args.chapters or known:
        print(f"{chapter}: running the chapter for the numbers its prose shows ...", flush=True)
        source, release = write_assignment(chapter, args.course)
        print(f"{' ' * len(chapter)}  instructor version {source}\n{' ' * len(chapter)}  student version    {release}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
