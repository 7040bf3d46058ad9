"""One install for students and graders: ``pip install -e ".[student]"`` pulls exactly what the
chapters import (and what the optlib modules they use import), at the versions the book is
tested with (requirements.txt)."""

import ast
import importlib.metadata
import re
import sys
import tomllib

import nbformat

from conftest import ROOT

NOT_IMPORTED = {"ipykernel"}  # runs the notebooks; nothing imports it
OPTIONAL = {"tqdm"}  # optlib.train's progress bar, imported inside try/except ImportError
# Run by the instructor's `make assignment` in the book's environment (.venv), never by a student's
# notebook or by the autograder: they may use the book's build tools (nbclient, pybtex).
INSTRUCTOR_ONLY = {"assign.py", "student_markdown.py"}


def student_extra() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pins = [re.fullmatch(r"([A-Za-z0-9_.-]+)>=(\S+)", spec)
            for spec in project["optional-dependencies"]["student"]]
    return {pin[1].lower(): pin[2] for pin in pins}


def pinned() -> dict[str, str]:
    lines = (ROOT / "requirements.txt").read_text().splitlines()
    pins = [re.fullmatch(r"([A-Za-z0-9_.-]+)==(\S+)", line.strip()) for line in lines]
    return {pin[1].lower().replace("_", "-"): pin[2] for pin in pins if pin}


def imported_modules(source: str) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def third_party_distributions() -> set[str]:
    sources = [cell.source for path in sorted((ROOT / "notebooks").glob("*.ipynb"))
               for cell in nbformat.read(path, as_version=4).cells if cell.cell_type == "code"]
    sources += [path.read_text() for path in (ROOT / "optlib").rglob("*.py")
                if path.name not in INSTRUCTOR_ONLY]
    modules = set().union(*map(imported_modules, sources)) - set(sys.stdlib_module_names)
    modules -= {"optlib"}
    providers = importlib.metadata.packages_distributions()
    return {providers[module][0].lower() for module in modules}


def test_every_student_requirement_is_pinned_at_the_tested_version():
    extra, pins = student_extra(), pinned()
    wrong = {name: (version, pins.get(name)) for name, version in extra.items()
             if pins.get(name) != version}
    assert not wrong, f"the student extra differs from requirements.txt (extra, pinned): {wrong}"


def test_the_student_extra_is_exactly_what_the_chapters_import():
    needed = third_party_distributions() - OPTIONAL
    listed = set(student_extra()) - NOT_IMPORTED
    assert listed == needed, (f"missing from the extra: {sorted(needed - listed)}; "
                              f"not imported by any chapter: {sorted(listed - needed)}")
