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

from ._common import Case, by_hand


def _sgd_ex_1(answer) -> list[Case]:
    """The variance of a mini-batch mean, by hand, for the gradients (1, 3, 4, 8) and b = 2."""
    g = np.array([1.0, 3.0, 4.0, 8.0])
    n, b = len(g), 2
    means = [(g[i] + g[j]) / 2 for i in range(n) for j in range(i + 1, n)]  # all C(4, 2) batches
    sigma2 = float(np.mean((g - g.mean()) ** 2))
    expected = {"full_gradient": float(g.mean()), "sigma2": sigma2,
                "variance_without": float(np.mean((np.array(means) - g.mean()) ** 2)),
                "variance_with": sigma2 / b}
    return by_hand(answer, expected)


def _library_counts(n, batch_size, epochs):
    """(updates, examples, size of the last batch) of optlib.train's epochs, from its batching."""
    batches = minibatches(n, batch_size, np.random.default_rng(0))
    return (epochs * len(batches), epochs * sum(len(batch) for batch in batches), len(batches[-1]))


def _sgd_ex_2(epoch_counts) -> list[Case]:
    """Updates, gradient evaluations and the last batch's size for n examples, batch size b."""
    cases = []
    for n, batch_size, epochs in [(1347, 32, 10), (1347, 1, 1), (1347, 1347, 5), (100, 30, 3),
                                  (60, 20, 7), (10, 3, 2)]:
        what = f"epoch_counts(n={n}, batch_size={batch_size}, epochs={epochs})  ->  (updates, examples, last)"
        cases.append(Case(what, _library_counts(n, batch_size, epochs),
                          lambda args=(n, batch_size, epochs): tuple(epoch_counts(*args))))
    return cases


def _smallest_batch(sigma2, n, target):
    """The smallest b in 1..n whose mini-batch noise (eq-sgd-variance) is at most target."""
    for b in range(1, n + 1):
        if sigma2 / b * (n - b) / (n - 1) <= target:
            return b
    return n


def _sgd_ex_3(batch_size_for) -> list[Case]:
    """The smallest batch size whose gradient noise sigma^2/b (n-b)/(n-1) is at most a target."""
    cases = []
    for sigma2, n, target in [(14.5, 1347, 0.5), (14.5, 1347, 0.01), (2.0, 100, 0.3),
                              (1.0, 50, 2.0), (6.5, 4, 1.0), (3.0, 1000, 0.0)]:
        what = f"batch_size_for(sigma2={sigma2:g}, n={n}, target={target:g})"
        cases.append(Case(what, _smallest_batch(sigma2, n, target),
                          lambda args=(sigma2, n, target): batch_size_for(*args)))
    return cases


def _polynomial_decay(lr0, t0, power, t):
    return lr0 / (1 + (t - 1) / t0) ** power


def _sgd_ex_5(polynomial_decay) -> list[Case]:
    """The schedule eta_t = lr0 / (1 + (t - 1) / t0) ** power, and SGD driven by it."""
    cases = []
    for lr0, t0, power in [(0.5, 100, 1.0), (1.0, 10, 0.75), (0.1, 1, 0.6), (2.0, 1000, 1.0)]:
        steps = [1, 2, 11, 101, 10_000]
        expected = [_polynomial_decay(lr0, t0, power, t) for t in steps]
        what = f"polynomial_decay(lr0={lr0:g}, t0={t0}, power={power:g})(t) for t in {steps}"
        cases.append(Case(what, expected, lambda args=(lr0, t0, power), steps=steps:
                          [float(polynomial_decay(*args)(t)) for t in steps]))
    # and it drives an optimizer: noisy gradient descent on a ravine
    f = functions.ravine(10.0)
    reference = optlib.minimize(f, f.start, optlib.SGD(lambda t: _polynomial_decay(0.05, 20, 0.75, t)), 300,
                                noise=1.0, seed=5)
    what = ("optlib.minimize(ravine, start, optlib.SGD(polynomial_decay(0.05, 20, 0.75)), 300, noise=1.0, "
            "seed=5).final_x")
    cases.append(Case(what, reference.final_x, lambda: optlib.minimize(
        f, f.start, optlib.SGD(polynomial_decay(0.05, 20, 0.75)), 300, noise=1.0, seed=5).final_x))
    return cases


def _noisy_quadratic_loss(t, lr, L, sigma2, theta0):
    """E[J(theta_t)] on J = L theta^2 / 2 with g = L theta + xi, Var xi = sigma2: the recursion
    S_t = (1 - lr L)^2 S_{t-1} + lr^2 sigma2 of E[theta_t^2] (part 1), iterated t times."""
    second_moment = float(theta0) ** 2
    for _ in range(t):
        second_moment = (1 - lr * L) ** 2 * second_moment + lr**2 * sigma2
    return L / 2 * second_moment


def _sgd_ex_6(expected_loss) -> list[Case]:
    """The exact expected loss of noisy gradient descent on a 1-D quadratic, at step t."""
    cases = []
    for t, lr, L, sigma2, theta0 in [(0, 0.1, 2.0, 1.0, 3.0), (1, 0.1, 2.0, 1.0, 3.0),
                                     (10, 0.05, 2.0, 1.0, 1.0), (1000, 0.2, 2.0, 1.0, 1.0),
                                     (5, 0.5, 1.0, 4.0, -3.0), (50, 1.5, 1.0, 0.5, 2.0),
                                     (3, 0.3, 4.0, 0.0, 1.0)]:
        what = f"expected_loss(t={t}, lr={lr:g}, L={L:g}, sigma2={sigma2:g}, theta0={theta0:g})"
        cases.append(Case(what, _noisy_quadratic_loss(t, lr, L, sigma2, theta0),
                          lambda args=(t, lr, L, sigma2, theta0): float(expected_loss(*args))))
    return cases


CHECKS: dict[str, Callable[[Any], list[Case]]] = {
    "sgd-ex-1": _sgd_ex_1,
    "sgd-ex-2": _sgd_ex_2,
    "sgd-ex-3": _sgd_ex_3,
    "sgd-ex-5": _sgd_ex_5,
    "sgd-ex-6": _sgd_ex_6,
}
