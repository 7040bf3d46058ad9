"""What the exercise tests of every chapter share: the message of a failing check, and the proof
that a chapter's right answers pass and cover all of its exercises."""

import pytest

from optlib.exercises import CHECKS, ExerciseCheckFailed, check_exercise


def failure(label, answer) -> str:
    """The message of the check of ``label`` failing on ``answer`` (the test fails if it passes)."""
    with pytest.raises(ExerciseCheckFailed) as caught:
        check_exercise(label, answer)
    return str(caught.value)


def assert_passes(label, answer, capsys):
    """A right answer passes at least four checks and says so."""
    n = check_exercise(label, answer)
    assert n >= 4
    assert capsys.readouterr().out == f"{label}: all {n} checks passed\n"


def labels(prefix: str) -> list[str]:
    """The labels of one chapter's exercises, e.g. ``labels("mom")``."""
    return sorted(label for label in CHECKS if label.startswith(f"{prefix}-"))
