"""Automatic checks for the book's exercises: ``check_exercise("gd-ex-4", gd_until)``.

Each exercise label maps to a function that lists *cases*. A case of a function exercise runs
the student's function on one input and either compares the result with a value from
``optlib``'s public primitives (``optlib.SGD``, ``optlib.minimize``, the test functions) or a
closed form, or checks the property that defines a right result (gd-ex-4: the returned step is
the first whose gradient is small enough, and the point is ``optlib.minimize``'s iterate there).
A case of a by-hand exercise (a dict of numbers) compares each entry with a salted digest of the
right number: the package does not hold those numbers, and the message says right or wrong
without showing them (the rule is in :func:`optlib.exercises._common.by_hand`).
:func:`check_exercise` runs every case and either prints ``"gd-ex-4: all 5 checks passed"`` or
raises :class:`ExerciseCheckFailed` saying which input failed and why. The messages show
values, never the code of a reference solution, and no reference solution ships here.

Each chapter's checks live in a module of their own (``gradient_descent.py``, ...), with a
``CHECKS`` dict from label to case list; this package merges them. The package knows
optimizers, not notebooks: the notebooks call it, it never reads them.
"""

from __future__ import annotations

from typing import Any, Callable

from . import (adam, adam_family, adaptive_learning_rates, beyond_adam, conventions,
               gradient_descent, learning_rate_schedules, momentum, nesterov,
               stochastic_gradient_descent, which_optimizer)
from ._common import Case, ExerciseCheckFailed, show

__all__ = ["CHECKS", "Case", "ExerciseCheckFailed", "check_exercise"]

# One module per chapter, each with its own CHECKS; a label belongs to exactly one chapter.
CHAPTER_MODULES = (gradient_descent, stochastic_gradient_descent, momentum, nesterov,
                   adaptive_learning_rates, adam, adam_family, beyond_adam,
                   learning_rate_schedules, which_optimizer, conventions)
CHECKS: dict[str, Callable[[Any], list[Case]]] = {}
for _module in CHAPTER_MODULES:
    _repeated = set(_module.CHECKS) & set(CHECKS)
    if _repeated:
        raise ImportError(f"{_module.__name__} repeats the exercise labels {sorted(_repeated)}")
    CHECKS.update(_module.CHECKS)


# ---------------------------------------------------------------------------------------------
# Running the checks


def _failure(case) -> str | None:
    """None if the student's value passes the case, else what went wrong."""
    try:
        got = case.student()
    except NotImplementedError:
        raise
    except Exception as error:  # the student's code failed: say where, not why it should work
        return f"{case.what}\n    raised {type(error).__name__}: {error}"
    try:
        verdict = case.verdict(got)
    except Exception as error:  # a result of the wrong shape or type, that a property can't take
        verdict = (f"got:      {show(got)}, which cannot be checked "
                   f"({type(error).__name__}: {error})")
    return None if verdict is None else f"{case.what}\n    {verdict}"


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
