"""Checks for the exercises of the chapter on Nesterov momentum (``nag-ex-1`` ... ``nag-ex-7``;
``nag-ex-4`` was retired)."""

from __future__ import annotations

import math
from typing import Any, Callable

import numpy as np

import optlib

from ._common import Case, HiddenCase, by_hand, show, spectral_radius

# The digests of the by-hand answers; the values they digest are computed, from optlib, in
# tests/test_exercise_answers.py, which also prints this dict anew when an exercise changes.
ANSWERS: dict[str, dict[str, str | list[str]]] = {
    "nag-ex-1": {
        "v_1": [
            "4sf:bf2a0a4c1bc2be841c865960f12d6118",
            "4sf:b07443b745358c7b50dbf16a695e4084",
        ],
        "theta_1": [
            "4sf:a860c9aceadbc3cc2c360500d6037d78",
            "4sf:5621392e720278a6d9bb07e5c69217d1",
        ],
        "v_2": [
            "4sf:a4e66979ab8aaf51ca1fe0536a61e21e",
            "4sf:3e7fe3f99568e5ac82e6add212437f55",
        ],
        "theta_2": [
            "4sf:d0bb5cae14041eb6a7793a57a2600d44",
            "4sf:46b80cc91bbe163db9a5f7fa800ff489",
        ],
        "b_1": [
            "4sf:0514dc1daba7d119b2b149fdcbac69ef",
            "4sf:f135d454f9a1882622a948d1a5779e8f",
        ],
        "phi_1": [
            "4sf:533412345413285b839098e5428cfb85",
            "4sf:3f55774e87fb531f0697f163e973273d",
        ],
        "b_2": [
            "4sf:cf44146f042d2732cde2145821d7068d",
            "4sf:a878d0f33593766b23efdafb7cb5f282",
        ],
        "phi_2": [
            "4sf:58d14a4a5804a3fd43561befa21a574b",
            "4sf:aa286df9ae9a1f1e7e7bf372d09cdb89",
        ],
    },
    "nag-ex-3": {
        "nag_max_lr": "4sf:248ccd94d3c340d03fe2ef1dcb387897",
        "heavy_ball_max_lr": "4sf:fbf70e98aa2a26cbc1cc9e0f63e31e90",
        "nag_modulus": "4sf:f8ebafcf80ae7a426301967b4f050d13",
        "heavy_ball_modulus": "4sf:ec241a7894474984f3a84393dc1ac5fa",
    },
    "nag-ex-7": {
        "J_1": "4sf:11761cd4f9beda3480aa296aff21cc9b",
        "J_2": "4sf:fe0da6e73b5481b268980dcd5f58ac8c",
        "cycle": [
            "4sf:5cd6dbf123a59f9cbf06f1ed94e7c802",
            "4sf:2d9fe1897e93f9c94c18389142f60f58",
            "4sf:a9aedd32b90caebc8473f00563b79bec",
        ],
        "nag_final": "4sf:4979b3c27659587217e2bb8b8f61f5cb",
    },
}


def _nag_ex_1(answer) -> list[HiddenCase]:
    """Two steps by hand on J = θ₁² + 2θ₂² from (1, 1), η = 0.1, γ = 0.5, in both forms."""
    return by_hand("nag-ex-1", answer, ANSWERS["nag-ex-1"])


def _nag_ex_2(to_pytorch) -> list[Case]:
    """Sutskever's (θ, v) -> PyTorch's (φ, b) with a constant learning rate."""
    inputs = [
        (np.array([0.56, 0.24]), np.array([0.24, 0.36]), 0.1, 0.5),
        (np.array([1.0, -2.0, 3.0]), np.array([0.3, 0.0, -0.1]), 0.01, 0.9),
        (np.array([5.0]), np.array([-2.0]), 0.5, 0.99),
        (np.array([0.0, 0.0]), np.array([1.0, 1.0]), 1.0, 0.0),  # no momentum: φ = θ
    ]
    cases = []
    for theta, v, lr, gamma in inputs:
        what = (f"to_pytorch(theta={show(theta)}, v={show(v)}, lr={lr:g}, gamma={gamma:g})"
                "  ->  (phi, b)")
        args = (theta.copy(), v.copy(), lr, gamma)
        cases.append(Case(what, (theta - gamma * v, v / lr),
                          lambda args=args: tuple(to_pytorch(*args))))
    return cases


def _nag_ex_3(answer) -> list[HiddenCase]:
    """Stable learning rates and root moduli on J = ½λθ² with λ = 4, γ = 0.9, η = 0.1."""
    return by_hand("nag-ex-3", answer, ANSWERS["nag-ex-3"])


def _nag_ex_5(nag_rate) -> list[Case]:
    """The rate of NAG on a quadratic with curvatures μ and L: the larger spectral radius, at
    λ = μ and λ = L, of the linear map that ``optlib.Nesterov``'s step is on λθ²/2."""
    inputs = [
        (0.01, 0.9, 1.0, 100.0),
        (1 / 100, (10 - 1) / (10 + 1), 1.0, 100.0),  # the classical tuning: 1 - 1/√κ
        (0.1, 0.9, 1.0, 10.0),  # ηL = 1: the steep direction is gone after two steps
        (0.05, 0.0, 2.0, 10.0),  # γ = 0: gradient descent, max |1 - ηλ|
        (0.2, 0.9, 1.0, 10.0),  # ηL beyond (2 + 2γ)/(1 + 2γ): unstable, rate > 1
    ]
    cases = []
    for lr, gamma, mu, L in inputs:
        expected = max(spectral_radius(optlib.Nesterov(lr, gamma), lam) for lam in (mu, L))
        what = f"nag_rate(lr={lr:.6g}, gamma={gamma:.6g}, mu={mu:g}, L={L:g})"
        cases.append(Case(what, expected,
                          lambda args=(lr, gamma, mu, L): float(nag_rate(*args))))
    return cases


def _nag_ex_6(nag_optimal_tuning) -> list[Case]:
    """Lessard, Recht & Packard's tuning of NAG for curvatures in [μ, L]: (η, γ, ρ), their
    closed forms; and the rate ρ is what ``optlib.Nesterov`` with that η and γ achieves."""
    cases = []
    for mu, L in [(1.0, 100.0), (1.0, 10.0), (0.5, 100.0), (2.0, 2e4)]:
        root = math.sqrt(3 * L / mu + 1)
        expected = (4 / (3 * L + mu), (root - 2) / (root + 2), 1 - 2 / root)
        what = f"nag_optimal_tuning(mu={mu:g}, L={L:g})  ->  (lr, gamma, rate)"
        cases.append(Case(what, expected,
                          lambda args=(mu, L): tuple(float(x) for x in nag_optimal_tuning(*args))))
    for mu, L in [(1.0, 100.0), (0.5, 100.0)]:
        def radius(mu=mu, L=L):  # the rate your (lr, gamma) give, at the two ends of [μ, L]
            lr, gamma, _ = nag_optimal_tuning(mu, L)
            return max(spectral_radius(optlib.Nesterov(float(lr), float(gamma)), lam)
                       for lam in (mu, L))
        cases.append(Case(f"the spectral radius at lambda = mu and L for the lr and gamma of "
                          f"nag_optimal_tuning(mu={mu:g}, L={L:g})",
                          1 - 2 / math.sqrt(3 * L / mu + 1), radius))
    return cases


def _nag_ex_7(answer) -> list[HiddenCase]:
    """Heavy ball with Polyak's tuning cycles on Lessard et al.'s function; NAG converges."""
    return by_hand("nag-ex-7", answer, ANSWERS["nag-ex-7"])


CHECKS: dict[str, Callable[[Any], list[Case]]] = {
    "nag-ex-1": _nag_ex_1,
    "nag-ex-2": _nag_ex_2,
    "nag-ex-3": _nag_ex_3,
    "nag-ex-5": _nag_ex_5,
    "nag-ex-6": _nag_ex_6,
    "nag-ex-7": _nag_ex_7,
}

