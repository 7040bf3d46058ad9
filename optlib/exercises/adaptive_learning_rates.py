"""Checks for the exercises of the chapter on AdaGrad, RMSprop and AdaDelta (``ada-ex-1`` ...)."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

import optlib
from optlib import functions

from ._common import Case, HiddenCase, by_hand, states_along

# The digests of the by-hand answers; the values they digest are computed, from optlib, in
# tests/test_exercise_answers.py, which also prints this dict anew when an exercise changes.
ANSWERS: dict[str, dict[str, str | list[str]]] = {
    "ada-ex-1": {
        "theta_1": [
            "4sf:1388ed70d7da5198c1c5eaa784391386",
            "4sf:53ecd725fe814f86c83575b1c870bd9d",
        ],
        "G_2": [
            "4sf:b2bda794b99a10bd0731bf3ef3263197",
            "4sf:bbc0cb98c45640ffd03219430e086d59",
        ],
        "theta_2": [
            "4sf:a7b68f5eb2d38327c3ebe3db6ed887b1",
            "4sf:2c2c78f6fe0171a1b12628cf1dadaea2",
        ],
        "J_2": "4sf:6d89cc0330feecf41bf05cf09f195c90",
    },
    "ada-ex-2": {
        "weight_sum": "4sf:701b20b215a0ba78d665936fc78aa6bf",
        "first_step": "4sf:cf98774e0b3ba8542aae12150f5ba5ac",
        "window": "4sf:767770646baf376fb10c960df0419cc8",
        "half_life": "4sf:2d6ae0ca57eea4e7b22a9b8cdb14b9d5",
    },
    "ada-ex-4": {
        "delta_1": "4sf:b0b5deeb5e24c893fabacb95e95772bf",
        "u_1": "4sf:2660c6bbe2c58f0b021f6720ca5f75a8",
        "v_2": "4sf:8a56793bf7455e12b78bc6c7fc2561c3",
        "delta_2": "4sf:e0be3d4b22fb53e5fad46c0e579eadd1",
    },
}


_SEED = 5  # the generator of the gradients of ada-ex-3's checks


def _ada_ex_1(answer) -> list[HiddenCase]:
    """Two AdaGrad steps by hand on J = ½(θ₁² + 4θ₂²) from (1, 1), η = 0.5, ε = 0."""
    return by_hand("ada-ex-1", answer, ANSWERS["ada-ex-1"])


def _ada_ex_2(answer) -> list[HiddenCase]:
    """The weights of RMSprop's moving average, its first step and window, for ρ = 0.99."""
    return by_hand("ada-ex-2", answer, ANSWERS["ada-ex-2"])


def _ada_ex_4(answer) -> list[HiddenCase]:
    """AdaDelta's first two updates on J = ½θ² from θ₀ = 1, ρ = 0.9, ε = 1e-6, lr = 1."""
    return by_hand("ada-ex-4", answer, ANSWERS["ada-ex-4"])


def _ada_ex_3(rmsprop_rates) -> list[Case]:
    """RMSprop's effective learning rates for every parameter after every step, against
    lr / (sqrt(v_t) + eps) read off ``optlib.RMSprop``'s state."""
    rng = np.random.default_rng(_SEED)
    inputs = [
        (rng.normal(size=(6, 3)), 0.01, 0.9, 1e-8),
        (rng.normal(size=(20, 2)) * np.array([1e-3, 10.0]), 0.1, 0.99, 1e-8),
        (np.where(rng.random((15, 4)) < 0.2, 1.0, 0.0), 1.0, 0.5, 1e-6),  # sparse: zeros
        (np.ones((5, 1)), 0.5, 0.0, 1e-8),  # rho = 0: the last gradient only
    ]
    cases = []
    for grads, lr, rho, eps in inputs:
        states = states_along(optlib.RMSprop(lr, rho, eps), grads)
        expected = [lr / (np.sqrt(state.v) + eps) for state in states]
        what = (f"rmsprop_rates(grads of shape {grads.shape}, lr={lr:g}, rho={rho:g}, "
                f"eps={eps:g})")
        cases.append(Case(what, np.array(expected),
                          lambda args=(grads.copy(), lr, rho, eps):
                          np.asarray(rmsprop_rates(*args), dtype=float)))
    return cases


def _ada_ex_5(adagrad_steps) -> list[Case]:
    """Steps until AdaGrad's loss stays below tol on the ravine turned by an angle."""
    inputs = [(100.0, 0.0, 3.0, 500, 1e-6), (100.0, np.pi / 4, 3.0, 1000, 1e-6),
              (10.0, np.pi / 8, 1.0, 400, 1e-4), (100.0, np.pi / 4, 0.01, 50, 1e-6)]
    cases = []
    for args in inputs:
        kappa, angle, lr, steps, tol = args
        c, s = np.cos(angle), np.sin(angle)
        R = np.array([[c, -s], [s, c]])
        f = functions.Quadratic(R @ np.diag([1.0, kappa]) @ R.T)
        values = optlib.minimize(f, np.array([-9.0, 2.0]), optlib.AdaGrad(lr), steps).values
        above = ~(values <= tol)
        expected = (steps + 1 if above[-1] else
                    int(len(above) - np.argmax(above[::-1])) if above.any() else 0)
        what = ("adagrad_steps(kappa={:g}, angle={:.4g}, lr={:g}, steps={}, tol={:g})"
                .format(*args))
        cases.append(Case(what, expected,
                          lambda args=args: int(adagrad_steps(*args))))
    return cases


CHECKS: dict[str, Callable[[Any], list[Case]]] = {
    "ada-ex-1": _ada_ex_1,
    "ada-ex-2": _ada_ex_2,
    "ada-ex-3": _ada_ex_3,
    "ada-ex-4": _ada_ex_4,
    "ada-ex-5": _ada_ex_5,
}
