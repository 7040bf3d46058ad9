"""Checks for the exercises of the chapter on gradient descent (``gd-ex-1`` ... ``gd-ex-6``)."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

import optlib
from optlib import functions
from optlib.training import minibatches

from ._common import Case, HiddenCase, PropertyCase, agrees, by_hand, show


# The digests of the by-hand answers; the values they digest are computed, from optlib, in
# tests/test_exercise_answers.py, which also prints this dict anew when an exercise changes.
ANSWERS: dict[str, dict[str, str | list[str]]] = {
    "gd-ex-1": {
        "gradient": [
            "4sf:ed1d3da4765b142973964cece1f9ce7b",
            "4sf:0fae94490d4829c4c0da10bdb1b2d9ce",
        ],
        "theta_1": [
            "4sf:93ea099a602578dad7f13f7fe51fad49",
            "4sf:b6072cff2da68c2e93cba215a3724ea8",
        ],
        "loss_0": "4sf:fac9a2c8a9c9a71da3fe81887bb56a0e",
        "loss_1": "4sf:9b31eeff0a0cfb9356e00e581e1280c1",
    },
    "gd-ex-2": {
        "largest_lr": "4sf:8a9511eaab6d1f4da3b7bb6af57dda0d",
        "best_lr": "4sf:76cea7d1b957ec2e407b21a6c0d5b0bf",
        "rate": "4sf:916c9d796f1fd5903864431ab4566f94",
        "steps": "int:49421aa665fdec9bacb75c8573217f63",
    },
    "gd-ex-6": {
        "largest_lr": "4sf:57547a4f655b7e2f58cfaabadbff2e12",
        "best_lr": "4sf:5979c55fce5204c18fa262a24a431e2c",
        "decrease": "4sf:7f7c0275e0233fd0d135bb5556b5e83d",
        "steps": "int:a684475c6c4439f56574364c9d5f688c",
    },
}


def _gd_ex_1(answer) -> list[HiddenCase]:
    """One step by hand on J = (θ₁ − 1)² + 2θ₂² from (3, 1) with η = 0.1."""
    return by_hand("gd-ex-1", answer, ANSWERS["gd-ex-1"])


def _gd_ex_2(answer) -> list[HiddenCase]:
    """The largest and the best learning rate on J = ½(4θ₁² + θ₂²), the rate, the steps."""
    return by_hand("gd-ex-2", answer, ANSWERS["gd-ex-2"])


def _gd_ex_3(equivalent_lr) -> list[PropertyCase]:
    """The learning rate on c·J that gives the iterates of gradient descent on J with lr: the
    property itself, gradient descent run by ``optlib.minimize`` on both."""
    J = functions.Quadratic(np.diag([1.0, 4.0]), b=[1.0, -2.0], name="J")
    theta0, steps = np.array([2.0, 1.0]), 10
    cases = []
    for lr, c in [(1e-3, 100.0), (1e-3, 0.5), (0.1, 3.0), (0.02, 1.0)]:
        scaled = functions.Quadratic(c * J.hessian, b=c * J.b, name=f"{c:g}·J")

        def retraces(got, lr=lr, c=c, scaled=scaled):
            if _as_rate(got) is None:
                return f"got:      {show(got)}, but a learning rate is a number >= 0"
            # the moves θ_t − θ₀, not the points: a small lr moves θ little, and a relative
            # tolerance on the points would let a slightly wrong lr through
            on_J = optlib.minimize(J, theta0, optlib.SGD(lr), steps).x - theta0
            on_cJ = optlib.minimize(scaled, theta0, optlib.SGD(_as_rate(got)), steps).x - theta0
            for t in range(1, steps + 1):
                if not agrees(on_J[t], on_cJ[t]):
                    return (f"got:      {show(got)}, but gradient descent on {c:g}·J with it "
                            f"moves θ by {show(on_cJ[t])} in {t} step(s), and on J with "
                            f"lr={lr:g} by {show(on_J[t])} (J = ½(θ₁² + 4θ₂²) − θ₁ + 2θ₂)")
            return None

        cases.append(PropertyCase(f"equivalent_lr(lr={lr:g}, c={c:g})",
                                  lambda lr=lr, c=c: equivalent_lr(lr, c), retraces))
    return cases


def _as_rate(value) -> float | None:
    """A learning rate: a finite number >= 0 (a numpy number or 0-d array too), else None."""
    try:
        rate = float(np.asarray(value, dtype=float))
    except (TypeError, ValueError):
        return None
    return rate if np.isfinite(rate) and rate >= 0 else None


def _stops_where_gradient_descent_should(f, theta0, lr, delta, max_steps):
    """The property of gd-ex-4's (theta, t): t is the first step of gradient descent with
    |∇f(θ_t)| <= delta, or max_steps if there is none before; theta is optlib.minimize's θ_t."""
    def judge(got):
        if not isinstance(got, tuple) or len(got) != 2:
            return f"got:      {show(got)}, but the answer is a pair (theta, steps)"
        theta, t = got
        if isinstance(t, (bool, np.bool_)) or not float(np.asarray(t)).is_integer():
            return f"got:      steps = {show(t)}, but steps is a whole number"
        t = int(t)
        if not 0 <= t <= max_steps:
            return f"got:      steps = {t}, outside 0 ... max_steps = {max_steps}"
        run = optlib.minimize(f, theta0, optlib.SGD(lr), t)  # the first t steps, no more
        norms = np.linalg.norm(f.grad(run.x), axis=-1)
        early = np.flatnonzero(norms[:t] <= delta)
        if early.size:
            return (f"got:      steps = {t}, but |∇J(θ_t)| = {norms[early[0]]:.6g} <= delta "
                    f"already at t = {early[0]}: it should stop there")
        if t < max_steps and norms[t] > delta:
            return (f"got:      steps = {t}, but |∇J(θ_t)| = {norms[t]:.6g} > delta there and "
                    f"the budget max_steps = {max_steps} is not spent: it should go on")
        if not agrees(run.x[t], theta):
            return (f"got:      theta = {show(theta)}, but gradient descent is at "
                    f"{show(run.x[t])} after {t} steps")
        return None

    return judge


def _gd_ex_4(gd_until) -> list[PropertyCase]:
    """Gradient descent with the stopping rule |∇J(θ_t)| <= δ or t = max_steps."""
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
    for f, theta0, lr, delta, max_steps in inputs:
        what = (f"gd_until({f.name}, theta0={show(np.asarray(theta0))}, lr={lr:.6g}, "
                f"delta={delta:g}, max_steps={max_steps})  ->  (theta, steps)")
        judge = _stops_where_gradient_descent_should(f, theta0, lr, delta, max_steps)
        cases.append(PropertyCase(what, lambda args=(f, theta0.copy(), lr, delta, max_steps):
                                  tuple(gd_until(*args)), judge))
    return cases


def _gd_ex_5(epoch_batches) -> list[Case]:
    """The batches of two consecutive epochs, against ``optlib.training.minibatches`` drawn
    from the same seeded generator; the order of the indices within a batch does not matter."""
    cases = []
    for n, batch_size, seed in [(10, 3, 0), (200, 20, 1), (7, 7, 2), (5, 1, 3), (9, 4, 4)]:
        reference_rng = np.random.default_rng(seed)
        expected = [minibatches(n, batch_size, reference_rng) for _ in range(2)]

        def two_epochs(n=n, batch_size=batch_size, seed=seed):
            rng = np.random.default_rng(seed)
            return [[np.sort(np.asarray(batch)) for batch in epoch_batches(n, batch_size, rng)]
                    for _ in range(2)]

        what = (f"two calls epoch_batches({n}, {batch_size}, rng) with "
                f"rng = np.random.default_rng({seed}), each batch as a sorted array")
        cases.append(Case(what, expected, two_epochs))
    return cases


def _gd_ex_6(answer) -> list[HiddenCase]:
    """The descent lemma's numbers for L = 4, J(θ₀) − J* = 2 and δ = 0.1."""
    return by_hand("gd-ex-6", answer, ANSWERS["gd-ex-6"])


CHECKS: dict[str, Callable[[Any], list[Case]]] = {
    "gd-ex-1": _gd_ex_1,
    "gd-ex-2": _gd_ex_2,
    "gd-ex-3": _gd_ex_3,
    "gd-ex-4": _gd_ex_4,
    "gd-ex-5": _gd_ex_5,
    "gd-ex-6": _gd_ex_6,
}
