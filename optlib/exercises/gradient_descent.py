"""Checks for the exercises of the chapter on gradient descent (``gd-ex-1`` ... ``gd-ex-6``)."""

from __future__ import annotations

import math
from typing import Any, Callable

import numpy as np

import optlib
from optlib import functions
from optlib.training import minibatches

from ._common import Case, by_hand, show


def _gd_ex_1(answer) -> list[Case]:
    """One step by hand on J = (θ₁ − 1)² + 2θ₂² from (3, 1) with η = 0.1."""
    f = functions.Quadratic(np.diag([2.0, 4.0]), b=[2.0, 0.0], c=1.0)  # the same J, expanded
    theta_0 = np.array([3.0, 1.0])
    sgd = optlib.SGD(0.1)
    theta_1, _ = sgd.step(theta_0, f.grad(theta_0), sgd.init(theta_0))
    expected = {"gradient": f.grad(theta_0), "theta_1": theta_1,
                "loss_0": float(f(theta_0)), "loss_1": float(f(theta_1))}
    return by_hand(answer, expected)


def _gd_ex_2(answer) -> list[Case]:
    """The largest and the best learning rate on J = ½(4θ₁² + θ₂²)."""
    f = functions.Quadratic(np.diag([4.0, 1.0]))
    L, mu = f.lipschitz, f.mu
    rate = (L - mu) / (L + mu)
    expected = {"largest_lr": 2 / L, "best_lr": 2 / (L + mu), "rate": rate,
                "steps": math.ceil(math.log(1e6) / math.log(1 / rate))}
    return by_hand(answer, expected)


def _gd_ex_3(equivalent_lr) -> list[Case]:
    """The learning rate on c·J that gives the iterates of gradient descent on J with lr."""
    cases = []
    for lr, c in [(1e-3, 100.0), (1e-3, 0.5), (0.1, 3.0), (0.02, 1.0)]:
        cases.append(Case(f"equivalent_lr(lr={lr:g}, c={c:g})", lr / c,
                          lambda lr=lr, c=c: equivalent_lr(lr, c)))
    return cases


def _stopped_gradient_descent(f, theta0, lr, delta, max_steps):
    """The point and step at which optlib.SGD first has |∇f| <= delta (or the budget ends)."""
    run = optlib.minimize(f, theta0, optlib.SGD(lr), max_steps)
    small = np.flatnonzero(np.linalg.norm(f.grad(run.x), axis=-1) <= delta)
    t = int(small[0]) if small.size else max_steps
    return (run.x[t], t)


def _gd_ex_4(gd_until) -> list[Case]:
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
        expected = _stopped_gradient_descent(f, theta0, lr, delta, max_steps)
        cases.append(Case(what, expected, lambda args=(f, theta0.copy(), lr, delta, max_steps):
                          tuple(gd_until(*args))))
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


def _gd_ex_6(answer) -> list[Case]:
    """The descent lemma's numbers for L = 4, J(θ₀) − J* = 2 and δ = 0.1 (closed forms)."""
    L, gap, delta = 4.0, 2.0, 0.1
    expected = {"largest_lr": 2 / L,  # eta (1 - L eta / 2) > 0
                "best_lr": 1 / L,  # where the guaranteed decrease is largest
                "decrease": 1 / (2 * L),  # that decrease, per unit of |grad J|^2
                "steps": math.ceil(2 * L * gap / delta**2)}  # 2L gap / T <= delta^2
    return by_hand(answer, expected)


CHECKS: dict[str, Callable[[Any], list[Case]]] = {
    "gd-ex-1": _gd_ex_1,
    "gd-ex-2": _gd_ex_2,
    "gd-ex-3": _gd_ex_3,
    "gd-ex-4": _gd_ex_4,
    "gd-ex-5": _gd_ex_5,
    "gd-ex-6": _gd_ex_6,
}
