"""Checks for the exercises of the chapter on momentum (``mom-ex-1`` ... ``mom-ex-4``,
``mom-ex-6``, ``mom-ex-7``; ``mom-ex-5`` was retired, and its label is not reused)."""

from __future__ import annotations

import math
from typing import Any, Callable

import numpy as np

import optlib
from optlib import functions

from ._common import Case, by_hand


def _mom_ex_1(answer) -> list[Case]:
    """Two momentum steps by hand on J = θ₁² + 3θ₂² from (1, 1), η = 0.1, γ = 0.9."""
    f = functions.Quadratic(np.diag([2.0, 6.0]))  # the same J
    opt = optlib.Momentum(lr=0.1, momentum=0.9)
    theta_0 = np.array([1.0, 1.0])
    theta_1, state_1 = opt.step(theta_0, f.grad(theta_0), opt.init(theta_0))
    theta_2, state_2 = opt.step(theta_1, f.grad(theta_1), state_1)
    expected = {"b_1": state_1.b, "theta_1": theta_1,
                "b_2": state_2.b, "theta_2": theta_2}
    return by_hand(answer, expected)


def _momentum_steps(gamma, lr, gradients) -> np.ndarray:
    """The steps theta_{t-1} - theta_t of optlib.Momentum fed the given gradients g_1, g_2, ..."""
    opt = optlib.Momentum(lr=lr, momentum=gamma)
    theta, state, steps = np.zeros(1), opt.init(np.zeros(1)), []
    for g in gradients:
        new, state = opt.step(theta, np.array([g]), state)
        steps.append(float(theta[0] - new[0]))
        theta = new
    return np.array(steps)


def _mom_ex_2(answer) -> list[Case]:
    """Window, terminal step, steps to 90% and alternating step for γ = 0.95, η = 0.01, g = 2."""
    gamma, lr, g, n = 0.95, 0.01, 2.0, 2000
    constant = _momentum_steps(gamma, lr, np.full(n, g))
    alternating = _momentum_steps(gamma, lr, g * (-1.0) ** np.arange(1, n + 1))
    terminal = constant[-1]  # the limit, to round-off after 2000 steps
    expected = {
        "window": 1 / (1 - gamma),
        "terminal_step": terminal,
        "steps_to_90": int(np.argmax(constant >= 0.9 * terminal)) + 1,
        "alternating_step": abs(alternating[-1]),
    }
    return by_hand(answer, expected)


def _mom_ex_3(heavy_ball_tuning) -> list[Case]:
    """Polyak's optimal (lr, momentum) and the rate they achieve, for curvatures in [mu, L]."""
    cases = []
    for mu, L in [(1.0, 100.0), (1.0, 10.0), (0.5, 2.0), (2.0, 2.0), (0.01, 50.0)]:
        root_mu, root_L = math.sqrt(mu), math.sqrt(L)
        expected = (4 / (root_L + root_mu) ** 2, ((root_L - root_mu) / (root_L + root_mu)) ** 2,
                    (root_L - root_mu) / (root_L + root_mu))
        cases.append(Case(f"heavy_ball_tuning(mu={mu:g}, L={L:g})  ->  (lr, momentum, rate)",
                          expected, lambda mu=mu, L=L: tuple(heavy_ball_tuning(mu, L))))
    return cases


def _spectral_radius(eta, gamma, lam) -> float:
    """The largest |root| of z² - (1 + γ - ηλ) z + γ, the eigenvalues of momentum's 2x2 matrix."""
    a = 1 + gamma - eta * lam
    root = np.sqrt(complex(a * a - 4 * gamma))
    return float(max(abs((a + root) / 2), abs((a - root) / 2)))


def _mom_ex_4(rate) -> list[Case]:
    """rate(eta, gamma, mu, L): the worst spectral radius over the curvatures in [mu, L]."""
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
        lams = np.linspace(mu, L, 201)
        expected = max(_spectral_radius(eta, gamma, lam) for lam in lams)
        cases.append(Case(f"rate(eta={eta:.6g}, gamma={gamma:.6g}, mu={mu:g}, L={L:g})", expected,
                          lambda args=(eta, gamma, mu, L): float(rate(*args))))
    return cases


def _largest_stable_lr_by_bisection(gamma, lam) -> float:
    """The η at which the spectral radius of momentum's 2x2 matrix reaches 1, by bisection on
    numpy's eigenvalues: it is √γ < 1 at η = (1 + √γ)²/λ and grows with η beyond."""
    low, high = (1 + math.sqrt(gamma)) ** 2 / lam, 10 * (1 + gamma) / lam + 1.0
    for _ in range(200):
        middle = (low + high) / 2
        if _spectral_radius(middle, gamma, lam) < 1:
            low = middle
        else:
            high = middle
    return low


def _mom_ex_6(largest_stable_lr) -> list[Case]:
    """largest_stable_lr(gamma, lam): the supremum of the η for which momentum converges."""
    cases = []
    for gamma, lam in [(0.0, 1.0), (0.9, 50.0), (0.5, 3.0), (0.99, 0.1), (0.3, 7.0)]:
        cases.append(Case(f"largest_stable_lr(gamma={gamma:g}, lam={lam:g})",
                          _largest_stable_lr_by_bisection(gamma, lam),
                          lambda gamma=gamma, lam=lam: float(largest_stable_lr(gamma, lam))))
    return cases


def _stationary_variance_lyapunov(eta, gamma, lam, sigma) -> float:
    """The stationary variance of θ_t for the state (θ_t, θ_{t-1}) ← M (θ_{t-1}, θ_{t-2}) + noise:
    the solution P = M P Mᵀ + Q of the discrete Lyapunov equation, Q = diag(η²σ², 0)."""
    M = np.array([[1 + gamma - eta * lam, -gamma], [1.0, 0.0]])
    Q = np.diag([(eta * sigma) ** 2, 0.0])
    P = np.linalg.solve(np.eye(4) - np.kron(M, M), Q.ravel()).reshape(2, 2)
    return float(P[0, 0])


def _mom_ex_7(stationary_variance) -> list[Case]:
    """stationary_variance(eta, gamma, lam, sigma) of momentum on λθ²/2 with gradient noise σ."""
    inputs = [(0.01, 0.9, 1.0, 0.5), (0.2, 0.5, 4.0, 1.0), (0.5, 0.0, 2.0, 1.0),
              (0.05, 0.99, 10.0, 2.0), (0.3, 0.8, 10.0, 0.1)]
    return [Case(f"stationary_variance(eta={eta:g}, gamma={gamma:g}, lam={lam:g}, "
                 f"sigma={sigma:g})", _stationary_variance_lyapunov(eta, gamma, lam, sigma),
                 lambda args=(eta, gamma, lam, sigma): float(stationary_variance(*args)))
            for eta, gamma, lam, sigma in inputs]


CHECKS: dict[str, Callable[[Any], list[Case]]] = {
    "mom-ex-1": _mom_ex_1,
    "mom-ex-2": _mom_ex_2,
    "mom-ex-3": _mom_ex_3,
    "mom-ex-4": _mom_ex_4,
    "mom-ex-6": _mom_ex_6,
    "mom-ex-7": _mom_ex_7,
}
