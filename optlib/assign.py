"""Turn a chapter into an nbgrader assignment, and list the book's exercises.

    python -m optlib.assign gradient_descent            # -> assignments/{source,release}/gradient_descent/
    python -m optlib.assign --index                     # rewrites book/exercises.md

How a chapter marks its exercises (nbgrader's conventions, cell metadata ``nbgrader``):

* a markdown cell with an ``{exercise}`` directive: the prompt, kept. Its title ends with the
  difficulty, ``(easy)``, ``(medium)`` or ``(hard)``, which the index page lists;
* a markdown cell opening ``{solution-start}`` (with the worked explanation) and one holding
  only ``{solution-end}``: the book's dropdown, removed from both versions;
* solution cells (``solution: true``): code whose ``### BEGIN SOLUTION`` / ``### END SOLUTION``
  regions the student version replaces by ``raise NotImplementedError()``;
* check cells (``grade: true, locked: true, points: N``): ``check_exercise("gd-ex-4", gd_until)``,
  kept and made read-only.

The *source* version (solutions in place) is what ``nbgrader generate_assignment`` reads; the
*release* version is what it would produce and what students get. We follow nbgrader 0.9's
ClearSolutions, ClearHiddenTests, ClearOutput and LockCells here instead of importing them:
``pip install nbgrader==0.9.6`` pulls in 46 more packages (jupyterlab 4.6, notebook 7.6,
jupyter_server, alembic, argon2-cffi, ...), a whole server stack for what is a few dozen lines
of notebook editing, and the book's environment should not carry it. Instructors who grade
with nbgrader install it in their course environment and import the source version.
"""

from __future__ import annotations

import argparse
import copy
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
BEGIN_HIDDEN, END_HIDDEN = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
STUB = ["# YOUR CODE HERE", "raise NotImplementedError()"]
EXERCISE = re.compile(r"```\{exercise\}\s*(?P<title>.*?)\s*\n(?:.*\n)*?:label:\s*(?P<label>\S+)")
DIFFICULTY = re.compile(r"\((easy|medium|hard)\)$")


def source_of(cell) -> str:
    source = cell["source"]
    return source if isinstance(source, str) else "".join(source)


def nbgrader(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


SOLUTION_DIRECTIVE = re.compile(r"^(```|:::)\{solution-(start|end)\}", re.M)


def is_solution_dropdown(cell) -> bool:
    """A markdown cell opening (with the worked explanation) or closing a book solution."""
    return cell["cell_type"] == "markdown" and bool(SOLUTION_DIRECTIVE.search(source_of(cell)))


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


def source_version(notebook: dict) -> dict:
    """The instructor's version for nbgrader: the chapter without the book's solution dropdowns."""
    notebook = copy.deepcopy(notebook)
    check_dropdowns(notebook["cells"])
    notebook["cells"] = [cell for cell in notebook["cells"] if not is_solution_dropdown(cell)]
    for cell in notebook["cells"]:
        cell["source"] = source_of(cell)
        if cell["cell_type"] == "code":  # nbgrader's ClearOutput
            cell["outputs"], cell["execution_count"] = [], None
    return notebook


def student_version(notebook: dict) -> dict:
    """What ``nbgrader generate_assignment`` releases: stubs, no hidden tests, locked checks."""
    notebook = source_version(notebook)
    for cell in notebook["cells"]:
        meta, text = nbgrader(cell), source_of(cell)
        stub = STUB if cell["cell_type"] == "code" else ["YOUR ANSWER HERE"]
        if solution_regions(text) and not meta.get("solution"):
            raise ValueError("a solution region in a cell not marked as a solution cell:\n" + text[:200])
        if meta.get("solution"):  # as nbgrader: a solution cell without regions is all solution
            text = replace_regions(text, BEGIN, END, stub) if solution_regions(text) else "\n".join(stub)
        if meta.get("grade"):
            text = replace_regions(text, BEGIN_HIDDEN, END_HIDDEN, [])
        cell["source"] = text
        if meta.get("grade") or meta.get("locked"):
            cell["metadata"].update(deletable=False, editable=False)
    return notebook


# ---------------------------------------------------------------------------------------------
# The exercises of a chapter, for the index page


def exercises(notebook: dict) -> list[dict]:
    """label, title, difficulty and points of each exercise, in order."""
    found, points = [], {}
    for cell in notebook["cells"]:
        meta = nbgrader(cell)
        if meta.get("grade"):
            points[meta["grade_id"]] = meta.get("points", 0)
        if cell["cell_type"] != "markdown":
            continue
        for match in EXERCISE.finditer(source_of(cell)):
            title, difficulty = match["title"], DIFFICULTY.search(match["title"])
            found.append({"label": match["label"], "title": DIFFICULTY.sub("", title).strip(),
                          "difficulty": difficulty[1] if difficulty else None})
    for exercise in found:
        exercise["points"] = points.get(f"{exercise['label']}-check")
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
    """book/exercises.md: every exercise, with its difficulty and whether it is checked."""
    lines = ["# Exercises", "",
             "<!-- Generated by `python -m optlib.assign --index`; do not edit by hand. -->", "",
             "Every chapter ends with exercises, graded from computing by hand to implementing and",
             "comparing. Each has a worked solution behind a toggle and an automatic check,",
             "`check_exercise(label, answer)` from `optlib.exercises`, that you can run in the",
             "notebook. Points are those of the check in the nbgrader version.", ""]
    for path in chapters():
        notebook = read(path)
        lines += [f"## {title_of(notebook)}", "",
                  "| label | exercise | difficulty | points |", "| --- | --- | --- | ---: |"]
        for exercise in exercises(notebook):
            points = exercise["points"] if exercise["points"] is not None else "—"
            link = f"{{ref}}`{exercise['title']} <{exercise['label']}>`"
            lines.append(f"| `{exercise['label']}` | {link} | {exercise['difficulty']} | {points} |")
        lines.append("")
    return "\n".join(lines)


def write_assignment(chapter: str, course: Path) -> tuple[Path, Path]:
    """Write ``course/source/<chapter>/`` and ``course/release/<chapter>/``; return both files."""
    notebook = read(ROOT / "notebooks" / f"{chapter}.ipynb")
    written = []
    for version, make in [("source", source_version), ("release", student_version)]:
        target = course / version / chapter / f"{chapter}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(make(notebook), indent=1, ensure_ascii=False) + "\n")
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
    for chapter in args.chapters or [path.stem for path in chapters()]:
        source, release = write_assignment(chapter, args.course)
        print(f"{chapter}: instructor version {source}\n{' ' * len(chapter)}  student version    {release}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
