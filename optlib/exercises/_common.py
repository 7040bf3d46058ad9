"""What every chapter's checks share: :class:`Case`, comparing and showing values."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as np


class ExerciseCheckFailed(AssertionError):
    """A check of an exercise failed; the message says which input and why."""


@dataclass
class Case:
    """One check: what is tested, the expected value, and how to get the student's value."""

    what: str
    expected: Any
    student: Callable[[], Any]


# ---------------------------------------------------------------------------------------------
# Comparing and showing values


def agrees(expected, got, rtol=1e-7, atol=1e-10) -> bool:
    """Equal structure, numbers equal to within ``rtol``/``atol``."""
    if isinstance(expected, (list, tuple)):
        return (isinstance(got, (list, tuple)) and len(got) == len(expected)
                and all(agrees(e, g, rtol, atol) for e, g in zip(expected, got)))
    try:
        got = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        return False
    expected = np.asarray(expected, dtype=float)
    return got.shape == expected.shape and bool(np.allclose(got, expected, rtol=rtol, atol=atol))


def show(value, limit=160) -> str:
    if isinstance(value, np.ndarray):
        text = np.array2string(value, precision=8, separator=", ", threshold=12)
    elif isinstance(value, (list, tuple)) and any(isinstance(v, np.ndarray) for v in value):
        opening, closing = "()" if isinstance(value, tuple) else "[]"
        text = opening + ", ".join(show(v, limit) for v in value) + closing
    else:
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def entry(answer, key):
    """``answer[key]`` for a by-hand answer given as a dict."""
    if not isinstance(answer, dict):
        raise TypeError(f"the answer must be a dict with the keys of the exercise, got {type(answer).__name__}")
    if key not in answer:
        raise KeyError(f"the answer has no entry {key!r}")
    return answer[key]


def by_hand(answer, expected: dict) -> list[Case]:
    """One case per entry of a by-hand answer (a dict): ``answer[key]`` against ``expected[key]``."""
    return [Case(f"answer[{key!r}]", value, lambda key=key: entry(answer, key))
            for key, value in expected.items()]
