"""Automatic checks for the book's exercises: ``check_exercise("gd-ex-4", gd_until)``.

Each exercise label maps to a function that lists *cases*: a description of the input, the
expected result (from ``optlib`` itself — ``optlib.SGD``, ``optlib.minimize``, the test
functions — or from a closed-form value computed here) and a way to get the student's result.
:func:`check_exercise` runs every case and either prints ``"gd-ex-4: all 5 checks passed"`` or
raises :class:`ExerciseCheckFailed` saying which input failed, what was expected and what came
back. The messages show values, never the code of a reference solution.

This module knows optimizers, not notebooks: the notebooks call it, it never reads them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

import optlib
from optlib import functions


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


def _agrees(expected, got, rtol=1e-7, atol=1e-10) -> bool:
    """Equal structure, numbers equal to within ``rtol``/``atol``."""
    if isinstance(expected, (list, tuple)):
        return (isinstance(got, (list, tuple)) and len(got) == len(expected)
                and all(_agrees(e, g, rtol, atol) for e, g in zip(expected, got)))
    try:
        got = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        return False
    expected = np.asarray(expected, dtype=float)
    return got.shape == expected.shape and bool(np.allclose(got, expected, rtol=rtol, atol=atol))


def _show(value, limit=160) -> str:
    if isinstance(value, np.ndarray):
        text = np.array2string(value, precision=8, separator=", ", threshold=12)
    elif isinstance(value, (list, tuple)) and any(isinstance(v, np.ndarray) for v in value):
        opening, closing = "()" if isinstance(value, tuple) else "[]"
        text = opening + ", ".join(_show(v, limit) for v in value) + closing
    else:
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _entry(answer, key):
    """``answer[key]`` for a by-hand answer given as a dict."""
    if not isinstance(answer, dict):
        raise TypeError(f"the answer must be a dict with the keys of the exercise, got {type(answer).__name__}")
    if key not in answer:
        raise KeyError(f"the answer has no entry {key!r}")
    return answer[key]


# ---------------------------------------------------------------------------------------------
# Chapter 1: gradient descent


def _gd_ex_1(answer) -> list[Case]:
    """One step by hand on J = (θ₁ − 1)² + 2θ₂² from (3, 1) with η = 0.1."""
    f = functions.Quadratic(np.diag([2.0, 4.0]), b=[2.0, 0.0], c=1.0)  # the same J, expanded
    theta_0 = np.array([3.0, 1.0])
    sgd = optlib.SGD(0.1)
    theta_1, _ = sgd.step(theta_0, f.grad(theta_0), sgd.init(theta_0))
    expected = {"gradient": f.grad(theta_0), "theta_1": theta_1,
                "loss_0": float(f(theta_0)), "loss_1": float(f(theta_1))}
    return [Case(f"answer[{key!r}]", value, lambda key=key: _entry(answer, key))
            for key, value in expected.items()]


def _gd_ex_2(answer) -> list[Case]:
    """The largest and the best learning rate on J = ½(4θ₁² + θ₂²)."""
    f = functions.Quadratic(np.diag([4.0, 1.0]))
    L, mu = f.lipschitz, f.mu
    rate = (L - mu) / (L + mu)
    expected = {"largest_lr": 2 / L, "best_lr": 2 / (L + mu), "rate": rate,
                "steps": math.ceil(math.log(1e6) / math.log(1 / rate))}
    return [Case(f"answer[{key!r}]", value, lambda key=key: _entry(answer, key))
            for key, value in expected.items()]


def _gd_ex_3(equivalent_lr) -> list[Case]:
    """The learning rate on c·J that gives the iterates of gradient descent on J with lr."""
    cases = []
    for lr, c in [(1e-3, 100.0), (1e-3, 0.5), (0.1, 3.0), (0.02, 1.0)]:
        cases.append(Case(f"equivalent_lr(lr={lr:g}, c={c:g})", lr / c,
                          lambda lr=lr, c=c: equivalent_lr(lr, c)))
    return cases


def _stopped_gradient_descent(f, theta0, lr, tol, max_steps):
    """The point and step at which optlib.SGD first has |∇f| <= tol (or the budget ends)."""
    run = optlib.minimize(f, theta0, optlib.SGD(lr), max_steps)
    small = np.flatnonzero(np.linalg.norm(f.grad(run.x), axis=-1) <= tol)
    t = int(small[0]) if small.size else max_steps
    return (run.x[t], t)


def _gd_ex_4(gd_until) -> list[Case]:
    """Gradient descent with the stopping rule |∇J(θ_t)| <= tol or t = max_steps."""
    ravine10, ravine100 = functions.ravine(10.0), functions.ravine(100.0)
    bowl = functions.Quadratic(np.diag([1.0, 2.0]), b=[1.0, -2.0])
    rosenbrock = functions.rosenbrock()
    inputs = [
        (ravine10, ravine10.start, 2 / 11, 1e-6, 10_000),
        (ravine10, ravine10.start, 0.1, 1e-3, 1_000),
        (ravine100, ravine100.start, 0.01, 1e-8, 50),  # the budget runs out first
        (bowl, bowl.minima[0], 0.1, 1e-9, 100),  # already at the minimum: no step
        (rosenbrock, rosenbrock.start, 1e-3, 0.1, 5_000),
    ]
    cases = []
    for f, theta0, lr, tol, max_steps in inputs:
        what = (f"gd_until({f.name}, theta0={_show(np.asarray(theta0))}, lr={lr:.6g}, "
                f"tol={tol:g}, max_steps={max_steps})  ->  (theta, steps)")
        expected = _stopped_gradient_descent(f, theta0, lr, tol, max_steps)
        cases.append(Case(what, expected, lambda args=(f, theta0.copy(), lr, tol, max_steps):
                          tuple(gd_until(*args))))
    return cases


def _one_epoch(n, batch_size, rng):
    order = rng.permutation(n)
    return [order[first:first + batch_size] for first in range(0, n, batch_size)]


def _gd_ex_5(epoch_batches) -> list[Case]:
    """The batches of two consecutive epochs, from the same seeded generator."""
    cases = []
    for n, batch_size, seed in [(10, 3, 0), (200, 20, 1), (7, 7, 2), (5, 1, 3), (9, 4, 4)]:
        reference_rng = np.random.default_rng(seed)
        expected = [_one_epoch(n, batch_size, reference_rng) for _ in range(2)]

        def two_epochs(n=n, batch_size=batch_size, seed=seed):
            rng = np.random.default_rng(seed)
            return [list(epoch_batches(n, batch_size, rng)) for _ in range(2)]

        what = (f"two calls epoch_batches({n}, {batch_size}, rng) with "
                f"rng = np.random.default_rng({seed})")
        cases.append(Case(what, expected, two_epochs))
    return cases


CHECKS: dict[str, Callable[[Any], list[Case]]] = {
    "gd-ex-1": _gd_ex_1,
    "gd-ex-2": _gd_ex_2,
    "gd-ex-3": _gd_ex_3,
    "gd-ex-4": _gd_ex_4,
    "gd-ex-5": _gd_ex_5,
}


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
    if _agrees(case.expected, got):
        return None
    return f"{case.what}\n    expected: {_show(case.expected)}\n    got:      {_show(got)}"


def check_exercise(label: str, answer) -> int:
    """Check an answer (a function, or a dict of numbers for a by-hand exercise).

    Prints ``"<label>: all N checks passed"`` and returns N, or raises
    :class:`ExerciseCheckFailed` listing every failed check.
    """
    if label not in CHECKS:
        raise KeyError(f"no exercise {label!r}; known: {', '.join(CHECKS)}")
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
    return len(cases)
