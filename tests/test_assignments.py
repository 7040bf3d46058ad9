"""The loop an instructor relies on, for every chapter with exercises: the student version
(``python -m optlib.assign``) holds no solution, reads as plain Markdown, names a missing package,
runs to the end, and its checks fail on the untouched stubs even when an answer cell redefines
``check_exercise``; the instructor's version, with the reference solutions in place, passes them.
(tests/test_nbgrader.py runs the same loop through nbgrader itself.)"""

import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from optlib import assign, student_markdown
from optlib.exercises import CHECKS

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = [path for path in assign.chapters() if assign.exercises(assign.read(path))]
IDS = [path.stem for path in CHAPTERS]
MYST_LEFT = re.compile(r"\{[a-z][\w:-]*\}`|^(```|:::)\{|^\$\$.*\$\$\s*\(\S+\)|\$\$\s*\([\w-]+\)", re.M)
FAKE_CHECK = ('def check_exercise(label, answer):  # a student\'s attempt at full marks\n'
              '    print(f"{label}: all 5 checks passed")')


def text(cell) -> str:
    return assign.source_of(cell)


def grade_cells(notebook):
    return [cell for cell in notebook["cells"] if assign.nbgrader(cell).get("grade")]


def check_cells(notebook):
    return [cell for cell in grade_cells(notebook) if cell["cell_type"] == "code"]


def errors(cell):
    return [output for output in cell.get("outputs", []) if output["output_type"] == "error"]


def printed(cell) -> str:
    return "".join(output.get("text", "") for output in cell.get("outputs", []))


@pytest.fixture(scope="module")
def book():
    return student_markdown.book_references(ROOT)


@pytest.fixture(scope="module", params=CHAPTERS, ids=IDS)
def chapter(request):
    return request.param.stem, assign.read(request.param)


@pytest.fixture(scope="module")
def instructor_run(chapter):
    """The whole chapter, with the reference solutions in place (and the numbers it glues)."""
    return assign.run_chapter(chapter[1])


@pytest.fixture(scope="module")
def versions(chapter, instructor_run, book):
    name, notebook = chapter
    source = assign.source_version(notebook, name, student_markdown.glued_values(instructor_run), book)
    return source, assign.release_version(source)


@pytest.fixture(scope="module")
def student_run(versions):
    """The release run as a student who wrote nothing but a fake ``check_exercise``."""
    student = json.loads(json.dumps(versions[1]))
    first_check = student["cells"].index(check_cells(student)[0])
    student["cells"].insert(first_check, nbformat.v4.new_code_cell(FAKE_CHECK))
    return assign.execute(student)


def test_every_chapter_has_at_least_four_exercises():
    for path in assign.chapters():
        assert len(assign.exercises(assign.read(path))) >= 4, f"{path.name} has fewer than four exercises"


def test_every_exercise_has_a_difficulty_and_a_check_that_imports_what_it_calls(chapter):
    checks = [text(cell).strip() for cell in check_cells(chapter[1])]
    for exercise in assign.exercises(chapter[1]):
        label = exercise["label"]
        assert exercise["difficulty"] in ("easy", "medium", "hard"), label
        assert label in CHECKS, f"optlib.exercises has no check for {label}"
        calls = [source for source in checks if f'check_exercise("{label}",' in source]
        assert len(calls) == 1, f"{label}: expected one check cell, found {len(calls)}"
        assert calls[0].startswith("from optlib.exercises import check_exercise\n"), calls[0]
        assert exercise["points"] > 0
    for cell in check_cells(chapter[1]):
        meta = assign.nbgrader(cell)
        assert meta["locked"] and meta["points"] > 0 and meta["schema_version"] == 3


def test_written_parts_become_manually_graded_answers(chapter, versions):
    source, release = versions
    graded = [cell for cell in chapter[1]["cells"] if assign.grading(cell)]
    for cell in graded:
        label, rubric = assign.solution_label(cell), assign.grading(cell)
        assert rubric["points"] > 0 and rubric["rubric"].strip(), label
        claimed = sum(int(k) for k in re.findall(r"\((\d+) points?\)", rubric["rubric"]))
        assert claimed == rubric["points"], f"{label}: the rubric's parts give {claimed} of {rubric['points']} points"
        for version, expected in [(source, "Rubric"), (release, "YOUR ANSWER HERE")]:
            written = [c for c in version["cells"] if assign.nbgrader(c).get("grade_id") == f"{label}-written"]
            assert len(written) == 1 and written[0]["cell_type"] == "markdown", label
            meta = assign.nbgrader(written[0])
            assert meta["grade"] and meta["solution"] and meta["points"] == rubric["points"]
            assert expected in text(written[0])
    assert all(text(c) == "YOUR ANSWER HERE" for c in release["cells"]
               if assign.nbgrader(c).get("grade_id", "").endswith("-written"))


def test_student_version_holds_no_solution_text(chapter, versions):
    source, release = versions
    student_text = "\n".join(text(cell) for cell in release["cells"])
    for marker in ("{solution-start}", "{solution-end}", "BEGIN SOLUTION", "END SOLUTION", "Rubric"):
        assert marker not in student_text
    solution_lines, elsewhere = set(), set()
    for cell in source["cells"]:
        regions = assign.solution_regions(text(cell))
        inside = {line.strip() for region in regions for line in region if line.strip()}
        if assign.nbgrader(cell).get("grade_id", "").endswith("-written"):
            inside = {line.strip() for line in text(cell).splitlines() if len(line.strip()) > 20}
        solution_lines |= inside
        elsewhere |= {line.strip() for line in text(cell).splitlines()} - inside
    leaked = (solution_lines & {line.strip() for line in student_text.splitlines()}) - elsewhere
    assert not leaked, f"solution lines in the student version: {sorted(leaked)[:5]}"
    book_only = [text(cell) for cell in chapter[1]["cells"] if assign.BOOK_ONLY in assign.tags(cell)]
    assert not [code for code in book_only if code in student_text]


def test_student_version_is_plain_markdown_with_numbered_exercises(chapter, versions, book):
    release = versions[1]
    markdown = [text(cell) for cell in release["cells"] if cell["cell_type"] == "markdown"]
    left = [match[0] for source in markdown for match in MYST_LEFT.finditer(source)]
    assert not left, f"MyST markup left in the student version: {left[:5]}"
    headings = re.findall(r"^### Exercise \d+\.\d+: (.+) \((easy|medium|hard), (\d+) points?\)$",
                          "\n".join(markdown), re.M)
    expected = [(e["title"], e["difficulty"], str(e["points"] + e["written"]))
                for e in assign.exercises(chapter[1])]
    assert headings == expected
    everything = "\n".join(markdown)
    assert everything.count(assign.EXERCISES_INTRO) == 1 and not assign.BOOK_ONLY_INTRO.search(everything)
    nbformat.validate(nbformat.from_dict(release))


def test_answers_are_undeletable_and_checks_and_imports_locked(versions):
    release = versions[1]
    answers = [cell for cell in release["cells"] if assign.nbgrader(cell).get("solution")]
    assert answers and all(cell["metadata"]["deletable"] is False for cell in answers)
    assert all("raise NotImplementedError()" in text(cell) for cell in answers if cell["cell_type"] == "code")
    locked = [cell for cell in release["cells"] if assign.nbgrader(cell).get("locked")]
    ids = [assign.nbgrader(cell)["grade_id"] for cell in locked]
    assert ids[:2] == ["install-check", "imports"] and len(ids) == len(set(ids))
    for cell in locked:
        assert cell["metadata"]["editable"] is False and cell["metadata"]["deletable"] is False


def test_checks_fail_on_the_untouched_stubs_even_with_a_fake_check(student_run):
    code_cells = [cell for cell in student_run["cells"] if cell["cell_type"] == "code"
                  and "skip-execution" not in cell["metadata"].get("tags", [])]
    assert all(cell["execution_count"] is not None for cell in code_cells), "the run stopped early"
    assert "Everything this notebook needs is installed." in printed(code_cells[0])
    fake = next(cell for cell in code_cells if text(cell) == FAKE_CHECK)
    assert not errors(fake)
    for cell in check_cells(student_run):
        assert errors(cell), f"{text(cell)} passed on a stub"
        # the check says "not implemented yet" (a function) or "not answered yet" (a dict)
        assert errors(cell)[0]["ename"] == "ExerciseCheckFailed", errors(cell)[0]
        assert "checks passed" not in printed(cell)
    failing = [text(cell)[:60] for cell in code_cells if errors(cell)
               and not (assign.nbgrader(cell).get("solution") or assign.nbgrader(cell).get("grade"))]
    assert not failing, f"cells outside the exercises failed: {failing}"


def test_checks_pass_with_the_reference_solutions(instructor_run):
    for cell in check_cells(instructor_run):
        assert not errors(cell), f"{text(cell)}: {errors(cell)[0]['evalue'] if errors(cell) else ''}"
        assert re.search(r": all \d+ checks passed", printed(cell)), printed(cell)
    failing = [text(cell)[:60] for cell in instructor_run["cells"] if errors(cell)]
    assert not failing, f"cells failed with the solutions in place: {failing}"


def test_the_first_cell_names_what_is_missing_and_how_to_install_it(versions, tmp_path):
    install = next(cell for cell in versions[1]["cells"]
                   if assign.nbgrader(cell).get("grade_id") == "install-check")
    # -S: a Python without site-packages, where nothing but the standard library is installed
    bare = subprocess.run([sys.executable, "-S", "-c", text(install)], capture_output=True, text=True,
                          timeout=60, cwd=tmp_path)  # not the repository, where optlib imports
    assert bare.returncode != 0
    last = bare.stderr.strip().splitlines()
    assert last[0].startswith("Traceback") and "ModuleNotFoundError: not installed: " in bare.stderr
    for package in ("numpy", "matplotlib", "optlib"):
        assert package in bare.stderr
    assert assign.INSTALL_LINE in bare.stderr
    full = subprocess.run([sys.executable, "-c", text(install)], capture_output=True, text=True, timeout=60)
    assert full.returncode == 0 and "Everything this notebook needs is installed." in full.stdout


def test_the_command_writes_an_nbgrader_course(tmp_path):
    result = subprocess.run([sys.executable, "-m", "optlib.assign", "gradient_descent", "--course", str(tmp_path)],
                            capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert result.returncode == 0, result.stderr
    written = {}
    for version in ("source", "release"):
        path = tmp_path / version / "gradient_descent" / "gradient_descent.ipynb"
        notebook = nbformat.read(path, as_version=4)
        nbformat.validate(notebook)
        grade_ids = [assign.nbgrader(cell)["grade_id"] for cell in notebook.cells if assign.nbgrader(cell)]
        assert len(grade_ids) == len(set(grade_ids)) >= 8
        written[version] = json.loads(path.read_text())
    assert written["release"] == assign.release_version(written["source"])


def test_an_unknown_chapter_is_refused_by_name(tmp_path):
    result = subprocess.run([sys.executable, "-m", "optlib.assign", "gradient_decent", "--course", str(tmp_path)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "no chapter 'gradient_decent'" in result.stderr


# optlib.assign: nbgrader's conventions

SOLUTION_CELL = '''def f(x):
    """Doc."""
    ### BEGIN SOLUTION
    return 2 * x
    ### END SOLUTION


### BEGIN SOLUTION
print(f(1))
### END SOLUTION'''


def test_regions_become_stubs_at_their_indentation():
    stubbed = assign.replace_regions(SOLUTION_CELL, assign.BEGIN, assign.END, assign.STUB)
    assert stubbed == ('def f(x):\n    """Doc."""\n    # YOUR CODE HERE\n    raise NotImplementedError()\n\n\n'
                       '# YOUR CODE HERE\nraise NotImplementedError()')
    assert assign.solution_regions(SOLUTION_CELL) == [["    return 2 * x"], ["print(f(1))"]]


@pytest.mark.parametrize("broken", ["### BEGIN SOLUTION\nx = 1", "x = 1\n### END SOLUTION",
                                    "### BEGIN SOLUTION\n### BEGIN SOLUTION\n### END SOLUTION"])
def test_unbalanced_markers_are_refused(broken):
    with pytest.raises(ValueError):
        assign.replace_regions(broken, assign.BEGIN, assign.END, assign.STUB)


def cell(kind, source, **nbgrader):
    metadata = {"nbgrader": {"schema_version": 3, **nbgrader}} if nbgrader else {}
    extra = {"outputs": [], "execution_count": None} if kind == "code" else {}
    return {"cell_type": kind, "metadata": metadata, "source": source, **extra}


def test_hidden_tests_are_removed_and_checks_locked():
    notebook = {"cells": [cell("code", "check(1)\n### BEGIN HIDDEN TESTS\ncheck(2)\n### END HIDDEN TESTS",
                               grade=True, grade_id="c", locked=True, points=1)],
                "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    student = assign.release_version(assign.code_version(notebook))["cells"][0]
    assert student["source"] == "check(1)"
    assert student["metadata"]["editable"] is False and student["metadata"]["deletable"] is False


def test_a_prompt_inside_a_solution_dropdown_is_refused():
    dropdown = "```{solution-start} x\n```\n\n```{exercise} Next (easy)\n:label: y\n```"
    notebook = {"cells": [cell("markdown", dropdown)], "metadata": {}}
    with pytest.raises(ValueError, match="shares a cell"):
        assign.release_version(assign.code_version(notebook))


def test_the_committed_exercise_index_is_up_to_date():
    committed = (assign.ROOT / "book" / "exercises.md").read_text()
    assert committed == assign.index_page(), "run `python -m optlib.assign --index` and commit book/exercises.md"


def test_a_book_only_cell_is_dropped_and_an_animation_leaves_a_note():
    notebook = {"cells": [cell("code", "animate()"), cell("markdown", "```{solution-start} x\n```\n\nWhy."),
                          cell("code", "demo()"), cell("markdown", "```{solution-end}\n```")], "metadata": {}}
    for index in (0, 2):
        notebook["cells"][index]["metadata"]["tags"] = [assign.BOOK_ONLY]
    cells = assign.code_version(notebook)["cells"]
    assert [c["source"] for c in cells] == [assign.ANIMATION_NOTE]


def test_the_index_links_every_exercise_with_its_difficulty():
    page = assign.index_page()
    for path in assign.chapters():
        for exercise in assign.exercises(assign.read(path)):
            assert f"<{exercise['label']}>`" in page and exercise["difficulty"] in page


def test_a_solution_cell_without_regions_is_replaced_whole_and_stray_regions_refused():
    solution = cell("code", "x = 42", solution=True, grade=False, grade_id="a", locked=False)
    notebook = {"cells": [solution], "metadata": {}}
    assert assign.release_version(assign.code_version(notebook))["cells"][0]["source"] == "\n".join(assign.STUB)
    stray = cell("code", "### BEGIN SOLUTION\nx = 42\n### END SOLUTION")
    with pytest.raises(ValueError, match="not marked as a solution cell"):
        assign.release_version(assign.code_version({"cells": [stray], "metadata": {}}))
