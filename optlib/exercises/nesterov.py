"""Checks for the exercises of the chapter on Nesterov momentum (``nag-ex-1`` ... ``nag-ex-7``;
``nag-ex-4`` was retired)."""

from __future__ import annotations

import math
from typing import Any, Callable

import numpy as np

import optlib
from optlib import functions

from ._common import Case, by_hand, show


def _pytorch_path(grad, theta0, lr, gamma, steps):
    """optlib.Nesterov's stored points phi_0..phi_T and buffers b_0..b_T."""
    opt = optlib.Nesterov(lr, gamma)
    phi = np.array(theta0, dtype=float)
    state = opt.init(phi)
    phis, buffers = [phi], [state.b]
    for _ in range(steps):
        phi, state = opt.step(phi, grad(phi), state)
        phis.append(phi)
        buffers.append(state.b)
    return np.array(phis), np.array(buffers)


def _nag_ex_1(answer) -> list[Case]:
    """Two steps by hand on J = θ₁² + 2θ₂² from (1, 1), η = 0.1, γ = 0.5, in both forms."""
    f = functions.Quadratic(np.diag([2.0, 4.0]))  # J = θ₁² + 2θ₂²
    lr, gamma = 0.1, 0.5
    phis, buffers = _pytorch_path(f.grad, [1.0, 1.0], lr, gamma, 2)
    velocities = lr * buffers  # Sutskever's v = η b with a constant η
    thetas = phis + gamma * velocities  # and his point θ = φ + γ v
    expected = {"v_1": velocities[1], "theta_1": thetas[1], "v_2": velocities[2],
                "theta_2": thetas[2], "b_1": buffers[1], "phi_1": phis[1],
                "b_2": buffers[2], "phi_2": phis[2]}
    return by_hand(answer, expected)


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


def _modulus(lr, gamma, curvature, nesterov):
    """Largest |root| of the characteristic polynomial of one eigendirection."""
    h = lr * curvature
    if nesterov:
        a, c = (1 + gamma) * (1 - h), gamma * (1 - h)
    else:
        a, c = 1 + gamma - h, gamma
    disc = np.emath.sqrt(a * a - 4 * c)
    return float(max(abs((a + disc) / 2), abs((a - disc) / 2)))


def _nag_ex_3(answer) -> list[Case]:
    """Stable learning rates and root moduli on J = ½λθ² with λ = 4, γ = 0.9, η = 0.1."""
    lam, gamma, lr = 4.0, 0.9, 0.1
    expected = {"nag_max_lr": (2 + 2 * gamma) / ((1 + 2 * gamma) * lam),
                "heavy_ball_max_lr": (2 + 2 * gamma) / lam,
                "nag_modulus": _modulus(lr, gamma, lam, nesterov=True),
                "heavy_ball_modulus": _modulus(lr, gamma, lam, nesterov=False)}
    return by_hand(answer, expected)


def _nag_ex_5(nag_rate) -> list[Case]:
    """The rate of NAG on a quadratic with curvatures μ and L (the larger of the two moduli)."""
    inputs = [
        (0.01, 0.9, 1.0, 100.0),
        (1 / 100, (10 - 1) / (10 + 1), 1.0, 100.0),  # the classical tuning: 1 - 1/√κ
        (0.1, 0.9, 1.0, 10.0),  # ηL = 1: the steep direction is gone after two steps
        (0.05, 0.0, 2.0, 10.0),  # γ = 0: gradient descent, max |1 - ηλ|
        (0.2, 0.9, 1.0, 10.0),  # ηL beyond (2 + 2γ)/(1 + 2γ): unstable, rate > 1
    ]
    cases = []
    for lr, gamma, mu, L in inputs:
        expected = max(_modulus(lr, gamma, lam, nesterov=True) for lam in (mu, L))
        what = f"nag_rate(lr={lr:.6g}, gamma={gamma:.6g}, mu={mu:g}, L={L:g})"
        cases.append(Case(what, expected,
                          lambda args=(lr, gamma, mu, L): float(nag_rate(*args))))
    return cases


def _nag_ex_6(nag_optimal_tuning) -> list[Case]:
    """Lessard, Recht & Packard's tuning of NAG for curvatures in [μ, L]: (η, γ, ρ)."""
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
            return max(_modulus(lr, gamma, lam, nesterov=True) for lam in (mu, L))
        cases.append(Case(f"the spectral radius at lambda = mu and L for the lr and gamma of "
                          f"nag_optimal_tuning(mu={mu:g}, L={L:g})",
                          1 - 2 / math.sqrt(3 * L / mu + 1), radius))
    return cases


def _lessard_function() -> functions.Objective:
    """The function of the exercise (Lessard, Recht & Packard 2016): μ = 1, L = 25."""
    def value(p):
        x = p[..., 0]
        return np.where(x < 1, 12.5 * x ** 2,
                        np.where(x < 2, 0.5 * x ** 2 + 24 * x - 12, 12.5 * x ** 2 - 24 * x + 36))

    def grad(p):
        x = p[..., :1]
        return np.where(x < 1, 25 * x, np.where(x < 2, x + 24, 25 * x - 24))

    return functions.Objective("Lessard et al.", 1, value, grad, minima=[[0.0]], min_value=0.0)


def _nag_ex_7(answer) -> list[Case]:
    """Heavy ball with Polyak's tuning cycles on Lessard et al.'s function; NAG converges."""
    f, root_k = _lessard_function(), 5.0  # sqrt(L / mu)
    start = np.array([3.3])
    heavy = optlib.minimize(f, start, optlib.Momentum(4 / (root_k + 1) ** 2,
                                                      ((root_k - 1) / (root_k + 1)) ** 2), 300)
    nag = optlib.minimize(f, start, optlib.Nesterov(1 / 25, (root_k - 1) / (root_k + 1)), 300)
    expected = {"J_1": float(f(np.array([1.0]))), "J_2": float(f(np.array([2.0]))),
                "cycle": np.sort(heavy.x[-3:, 0]), "nag_final": float(nag.final_x[0])}
    return by_hand(answer, expected)


CHECKS: dict[str, Callable[[Any], list[Case]]] = {
    "nag-ex-1": _nag_ex_1,
    "nag-ex-2": _nag_ex_2,
    "nag-ex-3": _nag_ex_3,
    "nag-ex-5": _nag_ex_5,
    "nag-ex-6": _nag_ex_6,
    "nag-ex-7": _nag_ex_7,
}

