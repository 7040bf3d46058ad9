"""Checks for the exercises of the chapter on stochastic gradient descent.

``sgd-ex-1`` ... ``sgd-ex-3``, ``sgd-ex-5`` and ``sgd-ex-6`` (``sgd-ex-4``, one epoch of SGD from
scratch, was dropped: it repeated the loop the chapter shows).
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

import optlib
from optlib import functions
from optlib.training import minibatches

from ._common import Case, HiddenCase, PropertyCase, agrees, by_hand, show

# The digests of the by-hand answers; the values they digest are computed in
# tests/test_exercise_answers.py, which also prints this dict anew when an exercise changes.
ANSWERS: dict[str, dict[str, str | list[str]]] = {
    "sgd-ex-1": {
        "full_gradient": "4sf:7dc40bf807b29ee89c118ed02c97f16a",
        "sigma2": "4sf:722db6cf80e7456e459d1ed7989d96e2",
        "variance_without": "4sf:baae880ea294817be11e69df6893e394",
        "variance_with": "4sf:88be2973f2711e41741ad12a4f69ff7f",
    },
}


def _sgd_ex_1(answer) -> list[HiddenCase]:
    """The variance of a mini-batch mean, by hand, for the gradients (1, 3, 4, 8) and b = 2."""
    return by_hand("sgd-ex-1", answer, ANSWERS["sgd-ex-1"])


def _sgd_ex_2(epoch_counts) -> list[Case]:
    """Updates, gradient evaluations and the last batch's size for n examples, batch size b:
    counted on the batches of ``optlib.training.minibatches``, the batching of optlib.train."""
    cases = []
    for n, batch_size, epochs in [(1347, 32, 10), (1347, 1, 1), (1347, 1347, 5), (100, 30, 3),
                                  (60, 20, 7), (10, 3, 2)]:
        batches = minibatches(n, batch_size, np.random.default_rng(0))
        counted = (epochs * len(batches), epochs * sum(len(batch) for batch in batches),
                   len(batches[-1]))
        what = f"epoch_counts(n={n}, batch_size={batch_size}, epochs={epochs})  ->  (updates, examples, last)"
        cases.append(Case(what, counted,
                          lambda args=(n, batch_size, epochs): tuple(epoch_counts(*args))))
    return cases


def _is_the_smallest_batch(sigma2, n, target):
    """The property of sgd-ex-3's b: an integer in 1..n whose noise sigma2/b (n-b)/(n-1)
    (eq-sgd-variance) is at most target, and b = 1 or the noise of b - 1 is above it."""
    def noise(b):
        return sigma2 / b * (n - b) / (n - 1)

    def judge(got):
        if (isinstance(got, (bool, np.bool_)) or not isinstance(got, (int, np.integer, float))
                or not float(got).is_integer()):
            return f"got:      {show(got)}, but a batch size is a whole number"
        b = int(got)
        if not 1 <= b <= n:
            return f"got:      {b}, but a batch size is between 1 and n = {n}"
        if noise(b) > target:
            return f"got:      {b}, whose noise {noise(b):.6g} is above the target {target:g}"
        if b > 1 and noise(b - 1) <= target:
            return (f"got:      {b}, but b = {b - 1} already has noise {noise(b - 1):.6g} "
                    f"<= target {target:g}")
        return None

    return judge


def _sgd_ex_3(batch_size_for) -> list[PropertyCase]:
    """The smallest batch size whose gradient noise sigma^2/b (n-b)/(n-1) is at most a target."""
    cases = []
    for sigma2, n, target in [(14.5, 1347, 0.5), (14.5, 1347, 0.01), (2.0, 100, 0.3),
                              (1.0, 50, 2.0), (6.5, 4, 1.0), (3.0, 1000, 0.0)]:
        what = f"batch_size_for(sigma2={sigma2:g}, n={n}, target={target:g})"
        cases.append(PropertyCase(what, lambda args=(sigma2, n, target): batch_size_for(*args),
                                  _is_the_smallest_batch(sigma2, n, target)))
    return cases


def _sgd_ex_5(polynomial_decay) -> list[Case]:
    """The schedule eta_t = lr0 / (1 + (t - 1) / t0) ** power (its closed form, written out
    here), and optlib.SGD driven by it."""
    cases = []
    for lr0, t0, power in [(0.5, 100, 1.0), (1.0, 10, 0.75), (0.1, 1, 0.6), (2.0, 1000, 1.0)]:
        steps = [1, 2, 11, 101, 10_000]
        expected = [lr0 / (1 + (t - 1) / t0) ** power for t in steps]
        what = f"polynomial_decay(lr0={lr0:g}, t0={t0}, power={power:g})(t) for t in {steps}"
        cases.append(Case(what, expected, lambda args=(lr0, t0, power), steps=steps:
                          [float(polynomial_decay(*args)(t)) for t in steps]))
    # and it drives an optimizer: noisy gradient descent on a ravine
    f = functions.ravine(10.0)

    def schedule(t):  # the closed form again, driving optlib.SGD
        return 0.05 / (1 + (t - 1) / 20) ** 0.75

    reference = optlib.minimize(f, f.start, optlib.SGD(schedule), 300, noise=1.0, seed=5)
    what = ("optlib.minimize(ravine, start, optlib.SGD(polynomial_decay(0.05, 20, 0.75)), 300, noise=1.0, "
            "seed=5).final_x")
    cases.append(Case(what, reference.final_x, lambda: optlib.minimize(
        f, f.start, optlib.SGD(polynomial_decay(0.05, 20, 0.75)), 300, noise=1.0, seed=5).final_x))
    return cases


def _follows_the_recursion(expected_loss, t, lr, L, sigma2, theta0):
    """The property of sgd-ex-6's answer (part 1 of the exercise): E[J(θ_0)] = L θ0²/2 and
    E[J(θ_s)] = (1 − lr L)² E[J(θ_{s−1})] + L lr² sigma2 / 2 for s = 1 ... t, the recursion of
    E[θ_s²] times L/2. Both together fix E[J(θ_t)]; each step is checked on the student's own
    value one step earlier, so that round-off does not pile up."""
    def values():
        return [float(expected_loss(s, lr, L, sigma2, theta0)) for s in range(t + 1)]

    def judge(got):
        start = L * theta0**2 / 2
        if not agrees(start, got[0]):
            where = "" if t == 0 else "at t=0 (where every t starts): "
            return f"{where}expected: {show(start)} (L theta0^2 / 2)\n    got:      {show(got[0])}"
        for s in range(1, t + 1):
            step = (1 - lr * L) ** 2 * got[s - 1] + L * lr**2 * sigma2 / 2
            if not agrees(step, got[s]):
                return (f"at t={s}, the recursion of part 1 applied to your value at t={s - 1} "
                        f"gives {show(step)}\n    got:      {show(got[s])}")
        return None

    return values, judge


def _sgd_ex_6(expected_loss) -> list[PropertyCase]:
    """The exact expected loss of noisy gradient descent on a 1-D quadratic, at step t."""
    cases = []
    for t, lr, L, sigma2, theta0 in [(0, 0.1, 2.0, 1.0, 3.0), (1, 0.1, 2.0, 1.0, 3.0),
                                     (10, 0.05, 2.0, 1.0, 1.0), (1000, 0.2, 2.0, 1.0, 1.0),
                                     (5, 0.5, 1.0, 4.0, -3.0), (50, 1.5, 1.0, 0.5, 2.0),
                                     (3, 0.3, 4.0, 0.0, 1.0)]:
        what = f"expected_loss(t={t}, lr={lr:g}, L={L:g}, sigma2={sigma2:g}, theta0={theta0:g})"
        cases.append(PropertyCase(what, *_follows_the_recursion(expected_loss, t, lr, L, sigma2,
                                                                theta0)))
    return cases


CHECKS: dict[str, Callable[[Any], list[Case]]] = {
    "sgd-ex-1": _sgd_ex_1,
    "sgd-ex-2": _sgd_ex_2,
    "sgd-ex-3": _sgd_ex_3,
    "sgd-ex-5": _sgd_ex_5,
    "sgd-ex-6": _sgd_ex_6,
}
