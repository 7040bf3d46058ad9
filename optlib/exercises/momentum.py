"""Checks for the exercises of the chapter on momentum (``mom-ex-1`` ... ``mom-ex-4``,
``mom-ex-6``, ``mom-ex-7``; ``mom-ex-5`` was retired, and its label is not reused)."""

from __future__ import annotations

import math
from typing import Any, Callable

import numpy as np

import optlib

from ._common import (Case, HiddenCase, PropertyCase, by_hand, show, spectral_radius,
                      step_matrices)

# The digests of the by-hand answers; the values they digest are computed, from optlib, in
# tests/test_exercise_answers.py, which also prints this dict anew when an exercise changes.
ANSWERS: dict[str, dict[str, str | list[str]]] = {
    "mom-ex-1": {
        "b_1": [
            "4sf:fe5e10573ed7408834854c7e8510f0ba",
            "4sf:10ca83ca48f669d60990cb122086cf36",
        ],
        "theta_1": [
            "4sf:4e7bfc080730bfe4383085eda74dd63c",
            "4sf:13e082d712cb06cfbc634541ac81c05e",
        ],
        "b_2": [
            "4sf:e0dd393745af5d4395fc6236eecf7fb6",
            "4sf:61930a8af2a1d8d9fe7a1e3081cf0edd",
        ],
        "theta_2": [
            "4sf:7542980bba8a4417de9275ed80ad2b11",
            "4sf:1694c4ca81711391c245fe82b2f632d8",
        ],
    },
    "mom-ex-2": {
        "window": "4sf:765d8d54dbfe22a3c86f992334e07073",
        "terminal_step": "4sf:f91a1d05de1fa951c4620c7095ad2bdb",
        "steps_to_90": "int:0a8e6120bb27f745628442215503793d",
        "alternating_step": "4sf:e8743ee594f2dd85d049e630bec72c31",
    },
}


def _mom_ex_1(answer) -> list[HiddenCase]:
    """Two momentum steps by hand on J = θ₁² + 3θ₂² from (1, 1), η = 0.1, γ = 0.9."""
    return by_hand("mom-ex-1", answer, ANSWERS["mom-ex-1"])


def _mom_ex_2(answer) -> list[HiddenCase]:
    """Window, terminal step, steps to 90% and alternating step for γ = 0.95, η = 0.01, g = 2."""
    return by_hand("mom-ex-2", answer, ANSWERS["mom-ex-2"])


def _mom_ex_3(heavy_ball_tuning) -> list[Case]:
    """Polyak's optimal (lr, momentum) and the rate they achieve, for curvatures in [mu, L]:
    the closed forms of the chapter's equation."""
    cases = []
    for mu, L in [(1.0, 100.0), (1.0, 10.0), (0.5, 2.0), (2.0, 2.0), (0.01, 50.0)]:
        root_mu, root_L = math.sqrt(mu), math.sqrt(L)
        expected = (4 / (root_L + root_mu) ** 2, ((root_L - root_mu) / (root_L + root_mu)) ** 2,
                    (root_L - root_mu) / (root_L + root_mu))
        cases.append(Case(f"heavy_ball_tuning(mu={mu:g}, L={L:g})  ->  (lr, momentum, rate)",
                          expected, lambda mu=mu, L=L: tuple(heavy_ball_tuning(mu, L))))
    return cases


def _mom_ex_4(rate) -> list[Case]:
    """rate(eta, gamma, mu, L): the worst spectral radius over the curvatures in [mu, L], of
    the linear map that ``optlib.Momentum``'s step is on each λθ²/2 (201 curvatures)."""
    inputs = [
        (0.1, 0.0, 1.0, 10.0),  # gradient descent
        (4 / (math.sqrt(10) + 1) ** 2, ((math.sqrt(10) - 1) / (math.sqrt(10) + 1)) ** 2, 1.0, 10.0),
        (0.05, 0.9, 1.0, 10.0),  # underdamped everywhere: sqrt(gamma)
        (0.01, 0.3, 1.0, 100.0),  # overdamped at mu
        (0.25, 0.2, 1.0, 10.0),  # outside the region: rate > 1
        (0.5, 0.5, 2.0, 2.0),  # a single curvature
    ]
    cases = []
    for eta, gamma, mu, L in inputs:
        momentum = optlib.Momentum(lr=eta, momentum=gamma)
        expected = max(spectral_radius(momentum, lam) for lam in np.linspace(mu, L, 201))
        cases.append(Case(f"rate(eta={eta:.6g}, gamma={gamma:.6g}, mu={mu:g}, L={L:g})", expected,
                          lambda args=(eta, gamma, mu, L): float(rate(*args))))
    return cases


def _is_the_edge_of_stability(gamma, lam, margin=1e-7):
    """The property of mom-ex-6's answer η*: optlib.Momentum converges on λθ²/2 (spectral
    radius < 1) just below η*, and does not (>= 1) just above. There is one such η > 0: the
    radius is 1 at η = 0, below 1 on the stable interval, above 1 beyond it."""
    def judge(got):
        try:
            edge = float(np.asarray(got, dtype=float))
        except (TypeError, ValueError):
            edge = math.nan
        if not (math.isfinite(edge) and edge > 0):
            return f"got:      {show(got)}, but a learning rate here is a number > 0"
        below, above = edge * (1 - margin), edge * (1 + margin)
        inside = spectral_radius(optlib.Momentum(lr=below, momentum=gamma), lam)
        outside = spectral_radius(optlib.Momentum(lr=above, momentum=gamma), lam)
        if inside < 1 <= outside:
            return None
        return (f"got:      {show(got)}, but the spectral radius of optlib.Momentum with "
                f"momentum={gamma:g} on {lam:g}θ²/2 is {inside:.9g} at lr = {below:.9g} and "
                f"{outside:.9g} at lr = {above:.9g}: the edge of stability, where it crosses 1, "
                "is not there")

    return judge


def _mom_ex_6(largest_stable_lr) -> list[PropertyCase]:
    """largest_stable_lr(gamma, lam): the supremum of the η for which momentum converges."""
    return [PropertyCase(f"largest_stable_lr(gamma={gamma:g}, lam={lam:g})",
                         lambda gamma=gamma, lam=lam: largest_stable_lr(gamma, lam),
                         _is_the_edge_of_stability(gamma, lam))
            for gamma, lam in [(0.0, 1.0), (0.9, 50.0), (0.5, 3.0), (0.99, 0.1), (0.3, 7.0)]]


def _mom_ex_7(stationary_variance) -> list[Case]:
    """stationary_variance(eta, gamma, lam, sigma) of momentum on λθ²/2 with gradient noise σ:
    the fixed point P = A P Aᵀ + σ² B Bᵀ of the covariance of the state (θ, b) under the linear
    map (A, B) that ``optlib.Momentum``'s step is, solved exactly; its θ entry."""
    inputs = [(0.01, 0.9, 1.0, 0.5), (0.2, 0.5, 4.0, 1.0), (0.5, 0.0, 2.0, 1.0),
              (0.05, 0.99, 10.0, 2.0), (0.3, 0.8, 10.0, 0.1)]
    cases = []
    for eta, gamma, lam, sigma in inputs:
        A, B = step_matrices(optlib.Momentum(lr=eta, momentum=gamma), lam)
        noise = sigma**2 * np.outer(B, B)
        covariance = np.linalg.solve(np.eye(4) - np.kron(A, A), noise.ravel()).reshape(2, 2)
        cases.append(Case(f"stationary_variance(eta={eta:g}, gamma={gamma:g}, lam={lam:g}, "
                          f"sigma={sigma:g})", float(covariance[0, 0]),
                          lambda args=(eta, gamma, lam, sigma): float(stationary_variance(*args))))
    return cases


CHECKS: dict[str, Callable[[Any], list[Case]]] = {
    "mom-ex-1": _mom_ex_1,
    "mom-ex-2": _mom_ex_2,
    "mom-ex-3": _mom_ex_3,
    "mom-ex-4": _mom_ex_4,
    "mom-ex-6": _mom_ex_6,
    "mom-ex-7": _mom_ex_7,
}
