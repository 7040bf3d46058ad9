"""The loop an instructor relies on, for every chapter with exercises: the student version
(``python -m optlib.assign``) holds no solution, runs to the end, and its checks fail on the
untouched stubs; the instructor's version, with the reference solutions in place, passes them."""

import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from optlib import assign
from optlib.exercises import CHECKS

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = [path for path in assign.chapters() if assign.exercises(assign.read(path))]
IDS = [path.stem for path in CHAPTERS]


def text(cell) -> str:
    return assign.source_of(cell)


def grade_cells(notebook):
    return [cell for cell in notebook["cells"] if assign.nbgrader(cell).get("grade")]


def errors(cell):
    return [output for output in cell.get("outputs", []) if output["output_type"] == "error"]


def execute(notebook: dict) -> dict:
    """Run every cell, even after errors, as a student pressing "run all cells" would."""
    notebook = nbformat.from_dict(notebook)
    client = NotebookClient(notebook, timeout=120, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(ROOT / "notebooks")}})
    client.execute()
    return notebook


@pytest.fixture(scope="module", params=CHAPTERS, ids=IDS)
def chapter(request):
    return assign.read(request.param)


@pytest.fixture(scope="module")
def student_run(chapter):
    return execute(assign.student_version(chapter))


@pytest.fixture(scope="module")
def instructor_run(chapter):
    return execute(assign.source_version(chapter))


def test_every_chapter_has_at_least_four_exercises():
    for path in assign.chapters():
        assert len(assign.exercises(assign.read(path))) >= 4, f"{path.name} has fewer than four exercises"


def test_every_exercise_has_a_difficulty_and_a_graded_check(chapter):
    checks = {text(cell).strip(): assign.nbgrader(cell) for cell in grade_cells(chapter)}
    for exercise in assign.exercises(chapter):
        label = exercise["label"]
        assert exercise["difficulty"] in ("easy", "medium", "hard"), label
        assert label in CHECKS, f"optlib.exercises has no check for {label}"
        calls = [meta for source, meta in checks.items() if source.startswith(f'check_exercise("{label}",')]
        assert len(calls) == 1, f"{label}: expected one check cell, found {len(calls)}"
        assert calls[0]["locked"] and calls[0]["points"] > 0 and calls[0]["schema_version"] == 3


def test_student_version_holds_no_solution_text(chapter):
    student = assign.student_version(chapter)
    student_text = "\n".join(text(cell) for cell in student["cells"])
    for marker in ("{solution-start}", "{solution-end}", "BEGIN SOLUTION", "END SOLUTION"):
        assert marker not in student_text
    # every line of a solution region is gone, unless the chapter also shows it outside a region
    solution_lines, elsewhere = set(), set()
    for cell in assign.source_version(chapter)["cells"]:
        regions = assign.solution_regions(text(cell))
        inside = {line.strip() for region in regions for line in region if line.strip()}
        solution_lines |= inside
        elsewhere |= {line.strip() for line in text(cell).splitlines()} - inside
    student_lines = {line.strip() for line in student_text.splitlines()}
    leaked = (solution_lines & student_lines) - elsewhere
    assert not leaked, f"solution lines in the student version: {sorted(leaked)[:5]}"
    # and no worked explanation from the book's dropdowns
    for cell in chapter["cells"]:
        if assign.is_solution_dropdown(cell):
            for paragraph in re.split(r"\n\s*\n", text(cell)):
                if "{solution-" not in paragraph and paragraph.strip():
                    assert paragraph.strip() not in student_text


def test_student_version_keeps_prompts_stubs_and_locked_checks(chapter):
    student = assign.student_version(chapter)
    assert [e["label"] for e in assign.exercises(student)] == [e["label"] for e in assign.exercises(chapter)]
    stubs = [cell for cell in student["cells"] if assign.nbgrader(cell).get("solution")]
    assert stubs and all("raise NotImplementedError()" in text(cell) for cell in stubs)
    for cell in grade_cells(student):
        assert cell["metadata"]["editable"] is False and cell["metadata"]["deletable"] is False
    nbformat.validate(nbformat.from_dict(student))


def test_checks_fail_on_the_untouched_stubs(student_run):
    code_cells = [cell for cell in student_run["cells"] if cell["cell_type"] == "code"
                  and "skip-execution" not in cell["metadata"].get("tags", [])]
    assert all(cell["execution_count"] is not None for cell in code_cells), "the run stopped early"
    for cell in grade_cells(student_run):
        assert errors(cell), f"{text(cell)} passed on a stub"
        # the check says "not implemented yet" (a function) or "not answered yet" (a dict)
        assert errors(cell)[0]["ename"] == "ExerciseCheckFailed", errors(cell)[0]
    # nothing but the stubs and their checks fails
    failing = [text(cell)[:60] for cell in code_cells if errors(cell)
               and not (assign.nbgrader(cell).get("solution") or assign.nbgrader(cell).get("grade"))]
    assert not failing, f"cells outside the exercises failed: {failing}"


def test_checks_pass_with_the_reference_solutions(instructor_run):
    for cell in grade_cells(instructor_run):
        assert not errors(cell), f"{text(cell)}: {errors(cell)[0]['evalue'] if errors(cell) else ''}"
        printed = "".join(output.get("text", "") for output in cell["outputs"])
        assert re.search(r": all \d+ checks passed", printed), printed


def test_the_command_writes_an_nbgrader_course(tmp_path):
    result = subprocess.run([sys.executable, "-m", "optlib.assign", "gradient_descent", "--course", str(tmp_path)],
                            capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert result.returncode == 0, result.stderr
    for version in ("source", "release"):
        written = tmp_path / version / "gradient_descent" / "gradient_descent.ipynb"
        notebook = nbformat.read(written, as_version=4)
        nbformat.validate(notebook)
        grade_ids = [assign.nbgrader(cell)["grade_id"] for cell in notebook.cells if assign.nbgrader(cell)]
        assert len(grade_ids) == len(set(grade_ids)) >= 8
    release = json.loads((tmp_path / "release" / "gradient_descent" / "gradient_descent.ipynb").read_text())
    assert release == assign.student_version(assign.read(ROOT / "notebooks" / "gradient_descent.ipynb"))
