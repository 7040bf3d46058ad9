"""Automatic checks for the book's exercises: ``check_exercise("gd-ex-4", gd_until)``.

Each exercise label maps to a function that lists *cases*: a description of the input, the
expected result (from ``optlib`` itself — ``optlib.SGD``, ``optlib.minimize``, the test
functions — or from a closed-form value computed here) and a way to get the student's result.
:func:`check_exercise` runs every case and either prints ``"gd-ex-4: all 5 checks passed"`` or
raises :class:`ExerciseCheckFailed` saying which input failed, what was expected and what came
back. The messages show values, never the code of a reference solution.

Each chapter's checks live in a module of their own (``gradient_descent.py``, ...), with a
``CHECKS`` dict from label to case list; this package merges them. The package knows
optimizers, not notebooks: the notebooks call it, it never reads them.
"""

from __future__ import annotations

from typing import Any, Callable

from . import gradient_descent, momentum, nesterov, stochastic_gradient_descent
from ._common import Case, ExerciseCheckFailed, agrees, show

__all__ = ["CHECKS", "Case", "ExerciseCheckFailed", "check_exercise"]

# One module per chapter, each with its own CHECKS; a label belongs to exactly one chapter.
CHAPTER_MODULES = (gradient_descent, stochastic_gradient_descent, momentum, nesterov)
CHECKS: dict[str, Callable[[Any], list[Case]]] = {}
for _module in CHAPTER_MODULES:
    _repeated = set(_module.CHECKS) & set(CHECKS)
    if _repeated:
        raise ImportError(f"{_module.__name__} repeats the exercise labels {sorted(_repeated)}")
    CHECKS.update(_module.CHECKS)


# ---------------------------------------------------------------------------------------------
# Running the checks


def _failure(case: Case) -> str | None:
    """None if the student's value agrees with the expected one, else what went wrong."""
    try:
        got = case.student()
    except NotImplementedError:
        raise
    except Exception as error:  # the student's code failed: say where, not why it should work
        return f"{case.what}\n    raised {type(error).__name__}: {error}"
    if agrees(case.expected, got):
        return None
    return f"{case.what}\n    expected: {show(case.expected)}\n    got:      {show(got)}"


def check_exercise(label: str, answer) -> None:
    """Check an answer (a function, or a dict of numbers for a by-hand exercise).

    Prints ``"<label>: all N checks passed"``, or raises :class:`ExerciseCheckFailed` listing
    every failed check. Returns nothing, so that a check cell shows only that sentence.
    """
    if label not in CHECKS:
        raise KeyError(f"no exercise {label!r}; known: {', '.join(CHECKS)}")
    if answer is None:
        raise ExerciseCheckFailed(f"{label}: not answered yet (the answer is still None)")
    cases = CHECKS[label](answer)
    try:
        failures = [message for message in map(_failure, cases) if message]
    except NotImplementedError:
        raise ExerciseCheckFailed(
            f"{label}: not implemented yet (replace `raise NotImplementedError()` with your answer)"
        ) from None
    if failures:
        shown = "\n".join(f"  - {message}" for message in failures[:3])
        more = f"\n  ... and {len(failures) - 3} more" if len(failures) > 3 else ""
        raise ExerciseCheckFailed(
            f"{label}: {len(failures)} of {len(cases)} checks failed:\n{shown}{more}")
    print(f"{label}: all {len(cases)} checks passed")
