"""Checks for the exercises of the chapter on Adam (``adam-ex-1`` ... ``adam-ex-5``)."""

from __future__ import annotations

import math
from typing import Any, Callable

import numpy as np

import optlib
from optlib import functions

from ._common import Case, HiddenCase, by_hand, show

# The digests of the by-hand answers; the values they digest are computed, from optlib, in
# tests/test_exercise_answers.py, which also prints this dict anew when an exercise changes.
ANSWERS: dict[str, dict[str, str | list[str]]] = {
    "adam-ex-1": {
        "m_1": [
            "4sf:fcd0790658f0b589ff1650154fa0738f",
            "4sf:c088cae5441a6b7b951caffbc7c4654b",
        ],
        "v_1": [
            "4sf:1f1178622047f3138cb3f0a4ebd0a1d0",
            "4sf:34793edc6353b6dfdd55bd9531e59e53",
        ],
        "theta_1": [
            "4sf:cf7dcadc6fb8c47af16b19ccbee9a5cf",
            "4sf:4c34c1cf311697ef5d90d1194e036632",
        ],
        "m_2": [
            "4sf:20f6b13500c2b97d2eeb8cf2a8be8a5a",
            "4sf:db7c31d2b779faaf97c9dedd847a301a",
        ],
        "v_2": [
            "4sf:cc77ac4d3a4bca1e7daa8e394a338945",
            "4sf:cfd61d44c419bf2985fc2615b85b582e",
        ],
        "theta_2": [
            "4sf:88cb246319a93a40e29cc676a1eb477a",
            "4sf:64eb5200cfe0d08f716d76751ab0176d",
        ],
    },
    "adam-ex-2": {
        "ratio_1": "4sf:e621f3b683dafaf64c620ce69e0b3f9c",
        "window_m": "4sf:dec30fb03483473c20fab7dd2e462de7",
        "window_v": "4sf:44f035a97032eeb5eb523ef3d53caf8c",
        "t_1pct": "int:8aa06a9590013ecb38382ce48f2dae11",
    },
    "adam-ex-3": {
        "factor_a": "4sf:6dab297906e42ea6b839c0d576529994",
        "factor_b": "4sf:7b6c6d850af105b071290d2c2e33f078",
        "factor_c": "4sf:83db4bca4b7b1fb42ad4175647c8014f",
        "step_2": "4sf:74622f61f6730a618d25c6611958aa70",
    },
    "adam-ex-5": {
        "adam_1": "4sf:07a8e52f0df836fd93b3f3add63d6fd5",
        "adam_2": "4sf:6514ce1cc14c0b76a981f1a664b20dab",
        "sgd_1": "4sf:8f593cad1312927f16746189757759c9",
        "sgd_2": "4sf:91057f940b6a312a08644743f267417d",
    },
}


def _adam_ex_1(answer) -> list[HiddenCase]:
    """Two Adam steps by hand on J = θ₁² + 2θ₂² from (1, 1), η = 0.1, β₁ = 0.6, β₂ = 0.8."""
    return by_hand("adam-ex-1", answer, ANSWERS["adam-ex-1"])


def _adam_ex_2(answer) -> list[HiddenCase]:
    """The uncorrected first step, the windows, and when β₁ᵗ < 1 %, for β₁ = 0.8, β₂ = 0.99."""
    return by_hand("adam-ex-2", answer, ANSWERS["adam-ex-2"])


def _adam_ex_3(answer) -> list[HiddenCase]:
    """The step after a long run of zero gradients, (1 − β₁)/√(1 − β₂), for three β pairs."""
    return by_hand("adam-ex-3", answer, ANSWERS["adam-ex-3"])


def _adam_ex_4(adam_no_correction) -> list[Case]:
    """Adam without bias correction: η m_t/(√v_t + ε). With a tiny ε it is ``optlib.Adam``
    with the schedule η_t = η(1 − β₁ᵗ)/√(1 − β₂ᵗ), which cancels the two corrections."""
    inputs = [
        (functions.ravine(condition=10.0), 0.01, 0.9, 0.999, 30),
        (functions.rosenbrock(), 1e-3, 0.9, 0.999, 50),
        (functions.random_quadratic(3, 20.0, rng=1), 0.1, 0.5, 0.9, 20),
        (functions.Quadratic(np.array([[2.0]]), name="parabola"), 0.05, 0.0, 0.99, 25),
    ]
    eps = 1e-12  # so small that where ε sits does not matter at rtol 1e-7
    cases = []
    for f, lr, beta1, beta2, steps in inputs:
        def schedule(t, lr=lr, beta1=beta1, beta2=beta2):
            return lr * (1 - beta1**t) / math.sqrt(1 - beta2**t)

        expected = optlib.minimize(f, f.start, optlib.Adam(schedule, beta1, beta2, eps),
                                   steps).x
        what = (f"adam_no_correction({f.name}.grad, theta0={show(f.start)}, lr={lr:g}, "
                f"beta1={beta1:g}, beta2={beta2:g}, eps={eps:g}, steps={steps})")
        args = (f.grad, np.array(f.start, copy=True), lr, beta1, beta2, eps, steps)
        cases.append(Case(what, expected,
                          lambda args=args: np.asarray(adam_no_correction(*args), float)))
    return cases


def _adam_ex_5(answer) -> list[HiddenCase]:
    """100 steps with the constant gradient (3, −1e-8): Adam's defaults against SGD, η = 0.1."""
    return by_hand("adam-ex-5", answer, ANSWERS["adam-ex-5"])


CHECKS: dict[str, Callable[[Any], list[Case]]] = {
    "adam-ex-1": _adam_ex_1,
    "adam-ex-2": _adam_ex_2,
    "adam-ex-3": _adam_ex_3,
    "adam-ex-4": _adam_ex_4,
    "adam-ex-5": _adam_ex_5,
}
