"""Checks for the exercises of the chapter on Nesterov momentum (``nag-ex-1`` ... ``nag-ex-5``)."""

from __future__ import annotations

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


def _nag_ex_4(nag_sutskever) -> list[Case]:
    """Sutskever's form, compared with optlib.Nesterov's points shifted by +γv."""
    ravine = functions.ravine(10.0)
    rosenbrock = functions.rosenbrock()
    himmelblau = functions.himmelblau()
    line = functions.Quadratic(np.array([[3.0]]), name="1-D quadratic")
    inputs = [
        (ravine, ravine.start, 0.05, 0.9, 60),
        (rosenbrock, rosenbrock.start, 1e-3, 0.9, 200),
        (himmelblau, himmelblau.start, 0.01, 0.5, 40),
        (line, np.array([1.0]), 0.3, 0.95, 30),
        (ravine, ravine.start, 0.1, 0.0, 20),  # γ = 0: gradient descent
    ]
    cases = []
    for f, theta0, lr, gamma, steps in inputs:
        phis, buffers = _pytorch_path(f.grad, theta0, lr, gamma, steps)
        expected = phis + gamma * lr * buffers
        what = (f"nag_sutskever_points({f.name}.grad, theta0={show(np.asarray(theta0))}, "
                f"lr={lr:g}, gamma={gamma:g}, steps={steps})  ->  theta_0 ... theta_{steps}")
        cases.append(Case(what, expected, lambda args=(f.grad, np.array(theta0), lr, gamma, steps):
                          np.asarray(nag_sutskever(*args))))
    return cases


def _nag_ex_5(nag_rate) -> list[Case]:
    """The rate of NAG on a quadratic with curvatures μ and L."""
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


CHECKS: dict[str, Callable[[Any], list[Case]]] = {
    "nag-ex-1": _nag_ex_1,
    "nag-ex-2": _nag_ex_2,
    "nag-ex-3": _nag_ex_3,
    "nag-ex-4": _nag_ex_4,
    "nag-ex-5": _nag_ex_5,
}

