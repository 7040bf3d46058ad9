"""What the exercise tests of every chapter share: the message of a failing check, and the proof
that a chapter's right answers pass and cover all of its exercises."""

import re

import pytest

from optlib.exercises import CHECKS, ExerciseCheckFailed, check_exercise


def failure(label, answer) -> str:
    """The message of the check of ``label`` failing on ``answer`` (the test fails if it passes)."""
    with pytest.raises(ExerciseCheckFailed) as caught:
        check_exercise(label, answer)
    return str(caught.value)


def assert_passes(label, answer, capsys):
    """A right answer passes at least four checks and says so, and nothing else."""
    assert check_exercise(label, answer) is None  # a check cell shows only the sentence
    passed = re.fullmatch(rf"{label}: all (\d+) checks passed\n", capsys.readouterr().out)
    assert passed and int(passed[1]) >= 4


def labels(prefix: str) -> list[str]:
    """The labels of one chapter's exercises, e.g. ``labels("mom")``."""
    return sorted(label for label in CHECKS if label.startswith(f"{prefix}-"))
