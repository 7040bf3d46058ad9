"""One chapter graded end to end by the real nbgrader (0.9.6, from .venv-grader): what an
instructor does with ``python -m optlib.assign``, and what students can do to the grade.

The course is a temporary directory. ``nbgrader generate_assignment`` must release exactly our
student version; four submissions are then autograded in a kernel of the grader's virtualenv:
``correct`` (the instructor's answers, written answers graded in full as a TA would), ``partial``
(some answers wrong, and an edited check cell), ``redefines_check`` (a fake ``check_exercise``)
and ``uses_package`` (answers taken from what ``optlib.exercises`` hands out). Only the first
two may earn points. The slow steps run once, in module-scoped fixtures.
"""

import ast
import csv
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from optlib import assign

ROOT = Path(__file__).resolve().parents[1]
GRADER = ROOT / ".venv-grader"
NBGRADER = GRADER / "bin" / "nbgrader"
CHAPTER = "gradient_descent"
STUDENTS = ("correct", "partial", "redefines_check", "uses_package")
COURSE_ID = "optlib-test"

pytestmark = pytest.mark.skipif(
    not NBGRADER.exists(), reason="nbgrader is not installed: `make grader` creates .venv-grader")

# Appended to the `correct` submission (students may add cells; nbgrader runs them): it says
# which Python the autograding kernel is, and which optlib it imports.
KERNEL_PROBE = 'import json, sys, optlib\nprint("KERNEL", json.dumps([sys.prefix, optlib.__file__]))'


def text(cell) -> str:
    return assign.source_of(cell)


def meta(cell) -> dict:
    return assign.nbgrader(cell)


def by_grade_id(notebook) -> dict:
    return {meta(cell)["grade_id"]: cell for cell in notebook["cells"] if meta(cell).get("grade_id")}


def errors(cell) -> list:
    return [output for output in cell.get("outputs", []) if output["output_type"] == "error"]


def printed(cell) -> str:
    texts = [output.get("text", "") for output in cell.get("outputs", [])]
    return "".join(text if isinstance(text, str) else "".join(text) for text in texts)


def read(path: Path) -> dict:
    return json.loads(path.read_text())


def write(path: Path, notebook: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(notebook, indent=1))


def environment(course: Path) -> dict:
    """The grader's virtualenv first on PATH, and no Jupyter or nbgrader settings of the user.

    nbgrader's kernel spec "python3" starts ``python``, which jupyter_client replaces by the
    Python that runs nbgrader; a kernel spec or an nbgrader_config.py in the user's Jupyter
    directories could still point elsewhere, so those directories are moved into the course.
    """
    env = {name: value for name, value in os.environ.items()
           if not name.startswith("JUPYTER") and name not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    env["PATH"] = f"{GRADER / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env["JUPYTER_CONFIG_DIR"] = str(course / ".jupyter-config")
    env["JUPYTER_DATA_DIR"] = str(course / ".jupyter-data")
    env["JUPYTER_RUNTIME_DIR"] = str(course / ".jupyter-runtime")
    return env


def run(course: Path, *command, timeout=180) -> subprocess.CompletedProcess:
    """A command of the grader's virtualenv (``nbgrader ...`` or ``python ...``), in the course."""
    program = GRADER / "bin" / command[0]
    return subprocess.run([str(program), *command[1:]], cwd=course, env=environment(course),
                          capture_output=True, text=True, timeout=timeout)


def succeeded(result: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    command = " ".join(result.args)
    assert result.returncode == 0, f"{command} exited {result.returncode}:\n{result.stderr[-3000:]}"
    return result


# ---------------------------------------------------------------------------------------------
# The course: our versions, nbgrader's release, the submissions, the grades


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    course = tmp_path_factory.mktemp("course")
    # nbgrader 0.9 reads no student list from its config (CourseDirectory.db_students is gone):
    # the students are imported into the gradebook below, and autograde grades no one else.
    (course / "nbgrader_config.py").write_text(
        "c = get_config()\n"
        f"c.CourseDirectory.course_id = {COURSE_ID!r}\n"
        "c.Autograde.create_student = False\n")
    (course / "students.csv").write_text("id\n" + "\n".join(STUDENTS) + "\n")
    # the instructor writes the course from the book's environment (`make assignment`)
    succeeded(subprocess.run([sys.executable, "-m", "optlib.assign", CHAPTER, "--course", str(course)],
                             cwd=course, capture_output=True, text=True, timeout=300))
    # ours is kept aside: nbgrader skips an assignment that is already in release/
    shutil.move(course / "release", course / "ours")
    succeeded(run(course, "nbgrader", "db", "student", "import", "students.csv"))
    succeeded(run(course, "nbgrader", "generate_assignment", CHAPTER))
    return course


def notebook_in(course: Path, folder: str, student: str | None = None) -> Path:
    parts = [folder] + ([student] if student else []) + [CHAPTER, f"{CHAPTER}.ipynb"]
    return course.joinpath(*parts)


@pytest.fixture(scope="module")
def source(course):
    return read(notebook_in(course, "source"))


@pytest.fixture(scope="module")
def release(course):
    return read(notebook_in(course, "release"))


def answer_cells(notebook) -> list:
    return [cell for cell in notebook["cells"] if meta(cell).get("solution")]


def check_cells(notebook) -> list:
    """The automatically graded cells (code); graded markdown cells are written answers."""
    return [cell for cell in notebook["cells"] if meta(cell).get("grade") and cell["cell_type"] == "code"]


def written_cells(notebook) -> list:
    return [cell for cell in notebook["cells"] if meta(cell).get("grade") and cell["cell_type"] == "markdown"]


def points(cells) -> float:
    return sum(meta(cell).get("points", 0) for cell in cells)


def label_of(cell) -> str:
    """'gd-ex-4' for the answer cell 'gd-ex-4-answer' or the check cell 'gd-ex-4-check'."""
    return meta(cell)["grade_id"].rsplit("-", 1)[0]


def submission(release, answers: dict) -> dict:
    """The release with the cells named in ``answers`` (grade_id -> new source) replaced."""
    notebook = json.loads(json.dumps(release))
    cells = by_grade_id(notebook)
    unknown = set(answers) - set(cells)
    assert not unknown, f"no cells {sorted(unknown)} in the release"
    for grade_id, new_source in answers.items():
        cells[grade_id]["source"] = new_source
    return notebook


def correct_submission(release, source) -> dict:
    """Every answer cell as in the instructor's version: code solutions, and model written answers."""
    sources = {meta(cell)["grade_id"]: text(cell) for cell in answer_cells(source)}
    notebook = submission(release, sources)
    notebook["cells"].append({"cell_type": "code", "execution_count": None, "id": "kernel-probe",
                              "metadata": {}, "outputs": [], "source": KERNEL_PROBE})
    return notebook


# partial: gd-ex-1 with one wrong number (loss_1 is 3.28), gd-ex-3 returning a wrong result,
# and its locked check cell edited to print success; every other code answer is right.
PARTIAL_WRONG = {
    "gd-ex-1-answer": 'answer_ex1 = {"gradient": [4.0, 4.0], "theta_1": [2.6, 0.6],\n'
                      '              "loss_0": 6.0, "loss_1": 3.5}',
    "gd-ex-3-answer": "def equivalent_lr(lr, c):\n    return lr * c",
    "gd-ex-3-check": 'print("gd-ex-3: all 4 checks passed")',
}


def partial_submission(release, source) -> dict:
    sources = {meta(cell)["grade_id"]: text(cell) for cell in answer_cells(source)
               if cell["cell_type"] == "code"}
    return submission(release, {**sources, **PARTIAL_WRONG})


# redefines_check: the first answer cell defines a check_exercise that always reports success;
# every other answer is left as released (stubs, or None).
FAKE_CHECK = ('def check_exercise(label, answer):\n'
              '    print(f"{label}: all 5 checks passed")')


def without_top_level_stub(source: str) -> str:
    """A released answer without its top-level ``raise NotImplementedError()``, which would stop
    the cell before anything written after it (a function stub keeps its indented one)."""
    return "\n".join(line for line in source.splitlines()
                     if line not in ("# YOUR CODE HERE", "raise NotImplementedError()"))


def redefines_check_submission(release) -> dict:
    first = answer_cells(release)[0]
    cheat = without_top_level_stub(text(first)) + "\n\n" + FAKE_CHECK
    return submission(release, {meta(first)["grade_id"]: cheat})


# uses_package: a student who looks for the answers in the installed package. For a by-hand
# exercise, the expected values that CHECKS[label] carries; for a function, any function defined
# in optlib.exercises.* with the same number of parameters that passes the check (the check
# itself used as the oracle). Whatever the package holds is tried, so it must hold no answer.
# (Functions that the checks import from the library, e.g. optlib.training.minibatches, are
# not tried: the chapters teach them, so they are no secret of the checks.)
PACKAGE_HELPERS = r'''
import ast as _ast, contextlib as _contextlib, importlib as _importlib, inspect as _inspect
import io as _io, pkgutil as _pkgutil, re as _re
import optlib.exercises as _exercises


def _handed_out_dict(label):
    try:
        cases = _exercises.CHECKS[label](None)
        keys = [_ast.literal_eval(_re.fullmatch(r"answer\[(.+)\]", case.what)[1]) for case in cases]
        return {key: case.expected for key, case in zip(keys, cases)}
    except Exception:
        return None


def _package_functions():
    modules = [_exercises] + [_importlib.import_module(info.name) for info in
                              _pkgutil.walk_packages(_exercises.__path__, "optlib.exercises.")]
    found = {}
    for module in modules:
        for value in vars(module).values():
            if _inspect.isfunction(value) and value.__module__.startswith("optlib.exercises"):
                found[value.__module__ + "." + value.__qualname__] = value
    return list(found.values())


def _handed_out_function(label, parameters):
    from optlib.exercises import check_exercise
    def required(function):
        return [p.name for p in _inspect.signature(function).parameters.values()
                if p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    candidates = [f for f in _package_functions() if len(required(f)) == len(parameters)]
    candidates.sort(key=lambda f: required(f) != parameters)  # the same names first
    for candidate in candidates:
        try:
            with _contextlib.redirect_stdout(_io.StringIO()):
                check_exercise(label, candidate)
            return candidate
        except Exception:
            continue
    return None
'''


def package_answer(cell) -> str:
    """The source of a uses_package answer cell, built from the released stub."""
    label, stub = label_of(cell), text(cell)
    tree = ast.parse(stub)
    functions = [node for node in tree.body if isinstance(node, ast.FunctionDef)]
    if functions:
        function = functions[0]
        names = [argument.arg for argument in function.args.args]
        return (f"{stub}\n\n_found = _handed_out_function({label!r}, {names!r})\n"
                f"if _found is not None:\n    {function.name} = _found")
    targets = [node.targets[0].id for node in tree.body
               if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)]
    if not targets:  # neither a function nor a by-hand answer: nothing to look up
        return stub
    return f"{targets[0]} = _handed_out_dict({label!r})"


def uses_package_submission(release) -> dict:
    answers = {}
    for cell in answer_cells(release):
        if cell["cell_type"] == "code":
            answers[meta(cell)["grade_id"]] = package_answer(cell)
    first = next(iter(answers))
    answers[first] = PACKAGE_HELPERS + "\n" + answers[first]
    return submission(release, answers)


def give_written_answers_full_points(course: Path, student: str) -> int:
    """What a TA does in the formgrader, through nbgrader's Gradebook API; how many cells."""
    snippet = f"""
from nbgrader.api import Gradebook
graded = 0
with Gradebook("sqlite:///gradebook.db", course_id={COURSE_ID!r}) as gradebook:
    for notebook in gradebook.find_submission({CHAPTER!r}, {student!r}).notebooks:
        for grade in notebook.grades:
            if grade.auto_score is None:  # a written answer: no automatic score
                grade.manual_score = grade.max_score
                grade.needs_manual_grade = False
                graded += 1
    gradebook.db.commit()
print(graded)
"""
    return int(succeeded(run(course, "python", "-c", snippet)).stdout.split()[-1])


@pytest.fixture(scope="module")
def graded(course, source, release):
    """Submit, autograde each student, grade the written answers of `correct`, export."""
    notebooks = {"correct": correct_submission(release, source),
                 "partial": partial_submission(release, source),
                 "redefines_check": redefines_check_submission(release),
                 "uses_package": uses_package_submission(release)}
    for student, notebook in notebooks.items():
        write(notebook_in(course, "submitted", student), notebook)
    autograde = run(course, "nbgrader", "autograde", CHAPTER, timeout=600)
    manually_graded = give_written_answers_full_points(course, "correct")
    succeeded(run(course, "nbgrader", "export"))
    with open(course / "grades.csv", newline="") as file:
        grades = {row["student_id"]: row for row in csv.DictReader(file) if row["assignment"] == CHAPTER}
    autograded = {student: read(notebook_in(course, "autograded", student)) for student in STUDENTS}
    return {"autograde": autograde, "log": log_by_student(autograde.stderr), "grades": grades,
            "autograded": autograded, "manually_graded": manually_graded}


def log_by_student(log: str) -> dict:
    """autograde's log cut into each student's part: from the first line naming their folder."""
    parts, student = {name: [] for name in STUDENTS}, None
    for line in log.splitlines():
        named = [name for name in STUDENTS if f"/{name}/{CHAPTER}" in line]
        student = named[0] if named else student
        if student:
            parts[student].append(line)
    return parts


def score(graded, student) -> float:
    return float(graded["grades"][student]["score"])


# ---------------------------------------------------------------------------------------------
# The release


def comparable(cell) -> dict:
    """What a student's notebook is made of. nbgrader adds to the nbgrader metadata the checksum
    and cell type it records (autograde compares them with its database, not with the release)."""
    recorded = {key: value for key, value in meta(cell).items() if key not in ("checksum", "cell_type")}
    return {"cell_type": cell["cell_type"], "source": text(cell), "nbgrader": recorded,
            "editable": cell["metadata"].get("editable", True),
            "deletable": cell["metadata"].get("deletable", True)}


def test_nbgrader_releases_our_student_version(course, release):
    ours = read(notebook_in(course, "ours"))
    assert len(ours["cells"]) == len(release["cells"]), "nbgrader's release has another number of cells"
    differences = []
    for index, (mine, theirs) in enumerate(zip(ours["cells"], release["cells"])):
        mine, theirs = comparable(mine), comparable(theirs)
        differing = {key: (mine[key], theirs[key]) for key in mine if mine[key] != theirs[key]}
        if differing:
            said = [f"{key} ours {a!r}, nbgrader's {b!r}" for key, (a, b) in differing.items()]
            differences.append(f"cell {index} {theirs['nbgrader'].get('grade_id', '')}: " + "; ".join(said))
    assert not differences, f"{len(differences)} cells differ:\n" + "\n".join(differences[:8])


def test_the_chapter_has_graded_checks_and_written_answers(source):
    assert len(check_cells(source)) >= 4 and points(check_cells(source)) > 0
    # the derivations are graded by hand: nbgrader grade + solution markdown cells
    assert written_cells(source), "no manually graded written answers (grade + solution markdown cells)"
    for cell in written_cells(source):
        assert meta(cell).get("solution") and meta(cell).get("points", 0) > 0, meta(cell)


# ---------------------------------------------------------------------------------------------
# The grades


def test_the_kernel_is_the_grader_virtualenv_with_this_optlib(graded):
    probe = graded["autograded"]["correct"]["cells"][-1]
    assert text(probe) == KERNEL_PROBE, "nbgrader dropped the cell a student added"
    line = next((line for line in printed(probe).splitlines() if line.startswith("KERNEL ")), None)
    assert line, f"the probe printed nothing: {probe.get('outputs')}"
    prefix, optlib_file = json.loads(line[len("KERNEL "):])
    assert Path(prefix).resolve() == GRADER.resolve(), f"autograde ran the kernel of {prefix}"
    assert Path(optlib_file).resolve() == (ROOT / "optlib" / "__init__.py").resolve(), optlib_file


def test_correct_runs_cleanly_and_earns_every_point(graded, source):
    result = graded["autograde"]
    assert result.returncode == 0, result.stderr[-3000:]
    assert graded["log"]["correct"], "autograde's log never names `correct`"
    # nbgrader logs a changed locked cell, a timeout or a dead kernel as a WARNING or ERROR
    logged = [line for line in graded["log"]["correct"]
              if "| WARNING]" in line or "| ERROR]" in line or "Traceback" in line]
    assert not logged, "autograde warned about `correct`:\n" + "\n".join(logged[:10])
    failed = [f"{text(cell)[:60]!r}: {errors(cell)[0]['ename']}: {errors(cell)[0]['evalue'][:200]}"
              for cell in graded["autograded"]["correct"]["cells"] if errors(cell)]
    assert not failed, "cells of `correct` failed:\n" + "\n".join(failed)
    assert graded["manually_graded"] == len(written_cells(source))
    maximum = points(check_cells(source)) + points(written_cells(source))
    assert float(graded["grades"]["correct"]["max_score"]) == maximum
    assert score(graded, "correct") == maximum


def test_partial_earns_exactly_the_points_of_its_right_answers(graded, source):
    wrong = {grade_id.rsplit("-", 1)[0] for grade_id in PARTIAL_WRONG}
    right = [cell for cell in check_cells(source) if label_of(cell) not in wrong]
    assert 0 < score(graded, "partial") < points(check_cells(source))
    assert score(graded, "partial") == points(right), f"right answers: {[label_of(c) for c in right]}"


def test_locked_check_cells_are_restored(graded, release):
    released = by_grade_id(release)
    for student, notebook in graded["autograded"].items():
        for grade_id, cell in by_grade_id(notebook).items():
            if meta(released[grade_id]).get("locked"):
                assert text(cell) == text(released[grade_id]), f"{student}: {grade_id} was not restored"
    # partial's edit of gd-ex-3-check was noticed, undone, and the real check failed
    assert any("gd-ex-3-check" in line and "changed" in line for line in graded["log"]["partial"])
    edited = by_grade_id(graded["autograded"]["partial"])["gd-ex-3-check"]
    assert errors(edited) and errors(edited)[0]["ename"] == "ExerciseCheckFailed", edited["outputs"]


def cheat_ran(notebook, cells) -> None:
    """The cheat is in place: its answer cells ran to their end (an error would stop them
    before the cheat, and the zero would then prove nothing)."""
    failed = [meta(cell)["grade_id"] for cell in cells if errors(cell)]
    assert not failed, f"the answer cells {failed} failed: the submission tests nothing"


def test_a_redefined_check_earns_nothing(graded):
    notebook = graded["autograded"]["redefines_check"]
    first = answer_cells(notebook)[0]
    assert "def check_exercise" in text(first)
    cheat_ran(notebook, [first])
    assert score(graded, "redefines_check") == 0


def test_answers_taken_from_the_package_earn_nothing(graded):
    notebook = graded["autograded"]["uses_package"]
    cheat_ran(notebook, [cell for cell in answer_cells(notebook) if cell["cell_type"] == "code"])
    passed = [label_of(cell) for cell in check_cells(notebook) if not errors(cell)]
    assert score(graded, "uses_package") == 0, f"the package handed out the answers of {passed}"


def test_feedback_for_correct(course, graded):
    succeeded(run(course, "nbgrader", "generate_feedback", CHAPTER, "--student", "correct"))
    feedback = course / "feedback" / "correct" / CHAPTER / f"{CHAPTER}.html"
    html = feedback.read_text()
    maximum = float(graded["grades"]["correct"]["max_score"])
    total = re.search(r"Score: ([0-9.]+) / ([0-9.]+)", html)  # the notebook's, before each cell's
    assert total and (float(total[1]), float(total[2])) == (maximum, maximum), total
    sizes = {"autograded notebook": notebook_in(course, "autograded", "correct").stat().st_size,
             "feedback html": feedback.stat().st_size}
    print(f"sizes in bytes: {sizes}")
