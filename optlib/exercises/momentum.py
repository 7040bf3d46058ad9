"""Checks for the exercises of the chapter on momentum (``mom-ex-1`` ... ``mom-ex-5``)."""

from __future__ import annotations

import math
from typing import Any, Callable

import numpy as np

import optlib
from optlib import functions, schedules

from ._common import Case, by_hand, show


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


def _mom_ex_2(answer) -> list[Case]:
    """The window, the half-life and the terminal step for γ = 0.95, η = 0.01, g = 2."""
    gamma, lr, g = 0.95, 0.01, 2.0
    expected = {
        "window": 1 / (1 - gamma),
        "half_life": math.log(2) / math.log(1 / gamma),
        "terminal_step": lr * g / (1 - gamma),
        "steps_to_90": math.ceil(math.log(0.1) / math.log(gamma)),
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


def _velocity_form_path(f, theta0, lr, momentum, steps):
    """The iterates of u_t = γ u_{t-1} + η_t ∇J(θ_{t-1}), θ_t = θ_{t-1} - u_t (η_t may vary)."""
    theta = np.array(theta0, dtype=float)
    u = np.zeros_like(theta)
    path = [theta]
    for t in range(1, steps + 1):
        eta = lr(t) if callable(lr) else lr
        u = momentum * u + eta * f.grad(theta)
        theta = theta - u
        path.append(theta)
    return np.array(path)


def _mom_ex_5(change_form) -> list[Case]:
    """The Δθ form, Δθ_t = γ Δθ_{t-1} - η_t ∇J(θ_{t-1}), θ_t = θ_{t-1} + Δθ_t."""
    ravine, rosenbrock, hilly = functions.ravine(10.0), functions.rosenbrock(), functions.hilly()
    decay = schedules.step_decay(0.05, drop_every=10, factor=0.1)
    inputs = [
        (ravine, ravine.start, 0.02, 0.9, 60),
        (rosenbrock, rosenbrock.start, 1e-3, 0.9, 300),
        (hilly, hilly.start, 0.05, 0.9, 100),
        (ravine, np.array([3.0, -1.0]), 0.05, 0.0, 20),  # no momentum: gradient descent
        (ravine, ravine.start, decay, 0.9, 40),  # a schedule: the velocity form, not PyTorch's
    ]
    cases = []
    for f, theta0, lr, momentum, steps in inputs:
        if callable(lr):
            expected = _velocity_form_path(f, theta0, lr, momentum, steps)
        else:
            expected = optlib.minimize(f, theta0, optlib.Momentum(lr, momentum), steps).x
        shown_lr = repr(lr) if callable(lr) else f"{lr:g}"
        what = (f"change_form({f.name}, theta0={show(np.asarray(theta0))}, lr={shown_lr}, "
                f"momentum={momentum:g}, steps={steps})  ->  the {steps + 1} iterates")
        cases.append(Case(what, np.asarray(expected),
                          lambda args=(f, np.array(theta0), lr, momentum, steps):
                          np.asarray(change_form(*args), dtype=float)))
    return cases


CHECKS: dict[str, Callable[[Any], list[Case]]] = {
    "mom-ex-1": _mom_ex_1,
    "mom-ex-2": _mom_ex_2,
    "mom-ex-3": _mom_ex_3,
    "mom-ex-4": _mom_ex_4,
    "mom-ex-5": _mom_ex_5,
}
