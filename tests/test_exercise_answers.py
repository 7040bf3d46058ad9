"""The right answers of the by-hand exercises, computed here from optlib (the package holds only
their digests), and the proofs that the checks give nothing away and that no copy of a solution
ships with the package.

When a by-hand exercise changes, change its computation in ``ANSWER_COMPUTATIONS`` below, then
print the digests to paste into the chapter's module (``optlib/exercises/<chapter>.py``,
its ``ANSWERS`` dict)::

    .venv/bin/python tests/test_exercise_answers.py            # every chapter
    .venv/bin/python tests/test_exercise_answers.py momentum   # one chapter
"""

from __future__ import annotations

import importlib
import math
import pkgutil
import re
import sys
import types
from numbers import Number

import numpy as np
import pytest

import optlib
from optlib import exercises, functions
from optlib.exercises import CHECKS, ExerciseCheckFailed, _common, check_exercise

# ---------------------------------------------------------------------------------------------
# The right values, from optlib's public primitives and the closed forms of the chapters


def gd_ex_1():
    """One step by hand on J = (θ₁ − 1)² + 2θ₂² from (3, 1) with η = 0.1."""
    f = functions.Quadratic(np.diag([2.0, 4.0]), b=[2.0, 0.0], c=1.0)  # the same J, expanded
    theta_0 = np.array([3.0, 1.0])
    sgd = optlib.SGD(0.1)
    theta_1, _ = sgd.step(theta_0, f.grad(theta_0), sgd.init(theta_0))
    return {"gradient": f.grad(theta_0), "theta_1": theta_1,
            "loss_0": float(f(theta_0)), "loss_1": float(f(theta_1))}


def gd_ex_2():
    """The largest and the best learning rate on J = ½(4θ₁² + θ₂²), the rate, the steps."""
    f = functions.Quadratic(np.diag([4.0, 1.0]))
    L, mu = f.lipschitz, f.mu
    rate = (L - mu) / (L + mu)
    return {"largest_lr": 2 / L, "best_lr": 2 / (L + mu), "rate": rate,
            "steps": math.ceil(math.log(1e6) / math.log(1 / rate))}


def gd_ex_6():
    """The descent lemma's numbers for L = 4, J(θ₀) − J* = 2 and δ = 0.1."""
    L, gap, delta = 4.0, 2.0, 0.1
    return {"largest_lr": 2 / L,  # eta (1 - L eta / 2) > 0
            "best_lr": 1 / L,  # where the guaranteed decrease is largest
            "decrease": 1 / (2 * L),  # that decrease, per unit of |grad J|^2
            "steps": math.ceil(2 * L * gap / delta**2)}  # 2L gap / T <= delta^2


def mom_ex_1():
    """Two momentum steps by hand on J = θ₁² + 3θ₂² from (1, 1), η = 0.1, γ = 0.9."""
    f = functions.Quadratic(np.diag([2.0, 6.0]))  # the same J
    opt = optlib.Momentum(lr=0.1, momentum=0.9)
    theta_0 = np.array([1.0, 1.0])
    theta_1, state_1 = opt.step(theta_0, f.grad(theta_0), opt.init(theta_0))
    theta_2, state_2 = opt.step(theta_1, f.grad(theta_1), state_1)
    return {"b_1": state_1.b, "theta_1": theta_1, "b_2": state_2.b, "theta_2": theta_2}


def momentum_steps(gamma, lr, gradients) -> np.ndarray:
    """The steps theta_{t-1} - theta_t of optlib.Momentum fed the given gradients g_1, g_2, ..."""
    opt = optlib.Momentum(lr=lr, momentum=gamma)
    theta, state, steps = np.zeros(1), opt.init(np.zeros(1)), []
    for g in gradients:
        new, state = opt.step(theta, np.array([g]), state)
        steps.append(float(theta[0] - new[0]))
        theta = new
    return np.array(steps)


def mom_ex_2():
    """Window, terminal step, steps to 90% and alternating step for γ = 0.95, η = 0.01, g = 2."""
    gamma, lr, g, n = 0.95, 0.01, 2.0, 2000
    constant = momentum_steps(gamma, lr, np.full(n, g))
    alternating = momentum_steps(gamma, lr, g * (-1.0) ** np.arange(1, n + 1))
    terminal = constant[-1]  # the limit, to round-off after 2000 steps
    return {"window": 1 / (1 - gamma), "terminal_step": terminal,
            "steps_to_90": int(np.argmax(constant >= 0.9 * terminal)) + 1,
            "alternating_step": abs(alternating[-1])}


def nesterov_path(grad, theta0, lr, gamma, steps):
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


def nag_ex_1():
    """Two steps by hand on J = θ₁² + 2θ₂² from (1, 1), η = 0.1, γ = 0.5, in both forms."""
    f = functions.Quadratic(np.diag([2.0, 4.0]))  # J = θ₁² + 2θ₂²
    lr, gamma = 0.1, 0.5
    phis, buffers = nesterov_path(f.grad, [1.0, 1.0], lr, gamma, 2)
    velocities = lr * buffers  # Sutskever's v = η b with a constant η
    thetas = phis + gamma * velocities  # and his point θ = φ + γ v
    return {"v_1": velocities[1], "theta_1": thetas[1], "v_2": velocities[2],
            "theta_2": thetas[2], "b_1": buffers[1], "phi_1": phis[1],
            "b_2": buffers[2], "phi_2": phis[2]}


def largest_root(*coefficients) -> float:
    return float(np.abs(np.roots(coefficients)).max())


def nag_ex_3():
    """Stable learning rates and root moduli on J = ½λθ² with λ = 4, γ = 0.9, η = 0.1: the
    edges of the stable ranges in closed form, the moduli as the largest roots of the
    characteristic polynomials of the two methods (numpy's roots)."""
    lam, gamma, lr = 4.0, 0.9, 0.1
    h = lr * lam
    return {"nag_max_lr": (2 + 2 * gamma) / ((1 + 2 * gamma) * lam),
            "heavy_ball_max_lr": (2 + 2 * gamma) / lam,
            "nag_modulus": largest_root(1.0, -(1 + gamma) * (1 - h), gamma * (1 - h)),
            "heavy_ball_modulus": largest_root(1.0, -(1 + gamma - h), gamma)}


def lessard_function() -> functions.Objective:
    """The function of nag-ex-7 (Lessard, Recht & Packard 2016): μ = 1, L = 25."""
    def value(p):
        x = p[..., 0]
        return np.where(x < 1, 12.5 * x ** 2,
                        np.where(x < 2, 0.5 * x ** 2 + 24 * x - 12, 12.5 * x ** 2 - 24 * x + 36))

    def grad(p):
        x = p[..., :1]
        return np.where(x < 1, 25 * x, np.where(x < 2, x + 24, 25 * x - 24))

    return functions.Objective("Lessard et al.", 1, value, grad, minima=[[0.0]], min_value=0.0)


def nag_ex_7():
    """Heavy ball with Polyak's tuning cycles on Lessard et al.'s function; NAG converges."""
    f, root_k = lessard_function(), 5.0  # sqrt(L / mu)
    start = np.array([3.3])
    heavy = optlib.minimize(f, start, optlib.Momentum(4 / (root_k + 1) ** 2,
                                                      ((root_k - 1) / (root_k + 1)) ** 2), 300)
    nag = optlib.minimize(f, start, optlib.Nesterov(1 / 25, (root_k - 1) / (root_k + 1)), 300)
    return {"J_1": float(f(np.array([1.0]))), "J_2": float(f(np.array([2.0]))),
            "cycle": np.sort(heavy.x[-3:, 0]), "nag_final": float(nag.final_x[0])}


def sgd_ex_1():
    """The variance of a mini-batch mean, by hand, for the gradients (1, 3, 4, 8) and b = 2."""
    g = np.array([1.0, 3.0, 4.0, 8.0])
    n, b = len(g), 2
    means = [(g[i] + g[j]) / 2 for i in range(n) for j in range(i + 1, n)]  # all C(4, 2) batches
    sigma2 = float(np.mean((g - g.mean()) ** 2))
    return {"full_gradient": float(g.mean()), "sigma2": sigma2,
            "variance_without": float(np.mean((np.array(means) - g.mean()) ** 2)),
            "variance_with": sigma2 / b}


def adam_ex_1():
    """Two Adam steps on J = θ₁² + 2θ₂² from (1, 1), η = 0.1, β₁ = 0.6, β₂ = 0.8 (optlib.Adam)."""
    f = functions.Quadratic(np.diag([2.0, 4.0]))
    opt = optlib.Adam(0.1, 0.6, 0.8, 1e-8)
    theta, state, answer = np.array([1.0, 1.0]), opt.init(np.zeros(2)), {}
    for t in (1, 2):
        theta, state = opt.step(theta, f.grad(theta), state)
        answer.update({f"m_{t}": state.m, f"v_{t}": state.v, f"theta_{t}": theta})
    return answer


def adam_ex_2():
    """β₁ = 0.8, β₂ = 0.99: the uncorrected first step m₁/√v₁ (optlib.Adam's state), the
    windows, and the first t with β₁ᵗ < 0.01 (counted)."""
    opt = optlib.Adam(1.0, 0.8, 0.99)
    _, state = opt.step(np.zeros(1), np.ones(1), opt.init(np.zeros(1)))
    t = 1
    while 0.8**t >= 0.01:
        t += 1
    return {"ratio_1": float(state.m[0] / np.sqrt(state.v[0])), "window_m": 1 / (1 - 0.8),
            "window_v": 1 / (1 - 0.99), "t_1pct": t}


def adam_ex_3():
    """The step of optlib.Adam (ε tiny) on a gradient 1 after 200000 zero gradients, in units
    of η, for three β pairs; and, with the defaults, the step at t = 2 after g = (1, 0)."""
    def spike(beta1, beta2, zeros):
        opt = optlib.Adam(1.0, beta1, beta2, 1e-12)
        state = opt.init(np.zeros(1))._replace(t=zeros)  # zero gradients leave m = v = 0
        new, _ = opt.step(np.zeros(1), np.ones(1), state)
        return float(abs(new[0]))

    opt = optlib.Adam(1.0)
    theta1, state = opt.step(np.zeros(1), np.ones(1), opt.init(np.zeros(1)))
    theta2, _ = opt.step(theta1, np.zeros(1), state)
    return {"factor_a": spike(0.85, 0.99, 200_000), "factor_b": spike(0.5, 0.99, 200_000),
            "factor_c": spike(0.9, 0.9999, 200_000),
            "step_2": float(abs(theta2 - theta1)[0])}


def adam_ex_5():
    """100 steps with the constant gradient (3, −1e-8): optlib.Adam() and optlib.SGD(0.1)."""
    g = np.array([3.0, -1e-8])
    answer = {}
    for key, opt in (("adam", optlib.Adam()), ("sgd", optlib.SGD(0.1))):
        theta, state = np.zeros(2), opt.init(np.zeros(2))
        for _ in range(100):
            theta, state = opt.step(theta, g, state)
        answer.update({f"{key}_1": float(theta[0]), f"{key}_2": float(theta[1])})
    return answer


def fam_ex_1():
    """Two AdaMax steps on J = θ₁² + 2θ₂² from (1, 1), η = 0.1, β₁ = 0.5, β₂ = 0.75."""
    f = functions.Quadratic(np.diag([2.0, 4.0]))
    opt = optlib.AdaMax(0.1, 0.5, 0.75, 1e-12)
    theta, state, answer = np.array([1.0, 1.0]), opt.init(np.zeros(2)), {}
    for t in (1, 2):
        theta, state = opt.step(theta, f.grad(theta), state)
        answer.update({f"u_{t}": state.u, f"theta_{t}": theta})
    return answer


def fam_ex_2():
    """NAdam's μ₁ (β₁ = 0.9) in PyTorch's and Keras's schedules (optlib.NAdam's momentum),
    and the first steps at which they reach 0.8 β₁ (PyTorch) and 0.95 β₁ (Keras)."""
    torch_like, keras_like = optlib.NAdam(), optlib.NAdam(momentum_decay=1.0)

    def first(opt, fraction):
        t = 1
        while opt.momentum(t) < fraction * opt.beta1:
            t += 1
        return t

    return {"mu_1_pytorch": torch_like.momentum(1), "mu_1_keras": keras_like.momentum(1),
            "t_pytorch_80": first(torch_like, 0.8), "t_keras_95": first(keras_like, 0.95)}


def ada_ex_1():
    """Two AdaGrad steps on J = ½(θ₁² + 4θ₂²) from (1, 1), η = 0.5, ε = 0 (1e-300 here)."""
    f = functions.Quadratic(np.diag([1.0, 4.0]))
    opt = optlib.AdaGrad(0.5, eps=1e-300)
    theta, state = np.array([1.0, 1.0]), opt.init(np.array([1.0, 1.0]))
    theta_1, state = opt.step(theta, f.grad(theta), state)
    theta_2, state = opt.step(theta_1, f.grad(theta_1), state)
    return {"theta_1": theta_1, "G_2": state.G, "theta_2": theta_2,
            "J_2": float(f(theta_2))}


def ada_ex_2():
    """RMSprop, ρ = 0.99: the weights' sum after 100 steps (from optlib's v for g = 1), the
    first step in units of η (ε = 0), and the window 1/(1 - ρ)."""
    rho, opt = 0.99, optlib.RMSprop(1.0, 0.99, eps=1e-300)
    theta, state = np.zeros(1), opt.init(np.zeros(1))
    first = None
    for t in range(100):
        new, state = opt.step(theta, np.ones(1), state)
        first = float(theta[0] - new[0]) if first is None else first
        theta = new
    return {"weight_sum": float(state.v[0]), "first_step": first, "window": 1 / (1 - rho),
            "half_life": math.log(2) / -math.log(rho)}


def ada_ex_4():
    """AdaDelta's first two updates on J = ½θ² from θ₀ = 1, ρ = 0.9, ε = 1e-6, lr = 1."""
    opt = optlib.AdaDelta(1.0, 0.9, 1e-6)
    theta, state = np.array([1.0]), opt.init(np.array([1.0]))
    theta_1, state = opt.step(theta, theta, state)
    u_1 = float(state.u[0])
    theta_2, state = opt.step(theta_1, theta_1, state)
    return {"delta_1": float(theta[0] - theta_1[0]), "u_1": u_1, "v_2": float(state.v[0]),
            "delta_2": float(theta_1[0] - theta_2[0])}


def fam_ex_5():
    """Three steps of optlib.Adam and optlib.AMSGrad (β₁ = 0, β₂ = 0.1, α_t = 0.5/√t, ε tiny)
    on Reddi et al.'s problem with C = 3 from x₀ = 0, projected onto [−1, 1]."""
    def three(Opt):
        opt = Opt(lambda t: 0.5 / np.sqrt(t), 0.0, 0.1, 1e-12)
        x, state, path = np.zeros(1), opt.init(np.zeros(1)), []
        for t in (1, 2, 3):
            x, state = opt.step(x, np.array([3.0 if t % 3 == 1 else -1.0]), state)
            x = np.clip(x, -1.0, 1.0)
            path.append(float(x[0]))
        return path

    adam, ams = three(optlib.Adam), three(optlib.AMSGrad)
    return {"adam_x_1": adam[0], "adam_x_2": adam[1], "adam_x_3": adam[2],
            "ams_x_3": ams[2]}


def ba_ex_1():
    """RAdam (β₁ = 0.9, β₂ = 0.99, η = 0.05) on J = ½(θ₁² + 10θ₂²) from (1, 1): θ₁, θ₂ from
    optlib.RAdam; ρ₆ and r₆ from the chapter's closed forms (eq-ba-rho, eq-ba-radam)."""
    f = functions.Quadratic(np.diag([1.0, 10.0]))
    run = optlib.minimize(f, np.ones(2), optlib.RAdam(0.05, 0.9, 0.99), 2)
    rho_inf = 2 / (1 - 0.99) - 1
    rho_6 = rho_inf - 2 * 6 * 0.99**6 / (1 - 0.99**6)
    r_6 = math.sqrt((rho_6 - 4) * (rho_6 - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_6))
    return {"theta_1": run.x[1], "theta_2": run.x[2], "rho_6": rho_6, "r_6": r_6}


def ba_ex_2():
    """β₂ = 0.8: the first step with ρ_t > 4 (the paper) and the first step at which
    optlib.RAdam (PyTorch's ρ_t > 5) stops taking plain momentum steps; 2/3, the largest
    β₂ with ρ_∞ <= 5 (no rectification ever); and ρ₇ (eq-ba-rho)."""
    def rho(t):
        return 2 / (1 - 0.8) - 1 - 2 * t * 0.8**t / (1 - 0.8**t)

    opt, theta = optlib.RAdam(1.0, 0.0, 0.8), np.zeros(1)
    state, t_torch = opt.init(theta), None
    for t in range(1, 100):
        new, state = opt.step(theta, np.ones(1), state)
        if abs(theta[0] - new[0] - 1) > 1e-9:  # not the momentum step of size lr = 1
            t_torch = t
            break
        theta = new
    return {"t_paper": next(t for t in range(1, 100) if rho(t) > 4), "t_torch": t_torch,
            "beta2_never": 2 / 3, "rho_7": rho(7)}


def ba_ex_3():
    """Two optlib.Lion steps (η = 0.1, β₁ = 0.9, β₂ = 0.99, λ = 0.5) on J = ½(θ₁² + 10θ₂²)
    from (1, 0.05)."""
    f = functions.Quadratic(np.diag([1.0, 10.0]))
    opt = optlib.Lion(0.1, 0.9, 0.99, weight_decay=0.5)
    theta, state, answer = np.array([1.0, 0.05]), opt.init(np.zeros(2)), {}
    for t in (1, 2):
        theta, state = opt.step(theta, f.grad(theta), state)
        answer.update({f"theta_{t}": theta, f"m_{t}": state.m})
    return answer


def ba_ex_5():
    """Two Newton–Schulz steps (optlib.newton_schulz, Jordan's coefficients) on G = diag(4, 3):
    the diagonals of X_0 = G/||G||_F, X_1, X_2; and p(1), one step on the 1x1 matrix [1]."""
    G = np.diag([4.0, 3.0])
    return {"X_0": np.diag(G) / np.linalg.norm(G),
            "X_1": np.diag(optlib.newton_schulz(G, steps=1)),
            "X_2": np.diag(optlib.newton_schulz(G, steps=2)),
            "p_1": float(optlib.newton_schulz(np.ones((1, 1)), steps=1)[0, 0])}


def lrs_ex_1():
    """A cosine's rate at step 26, a warm-up + cosine's at steps 5 and 55, torch's epoch."""
    warm = optlib.schedules.linear_warmup(0.1, 10, after=optlib.schedules.cosine(0.1, 90))
    return {"eta_26": optlib.schedules.cosine(0.1, 100)(26), "warm_eta_5": warm(5),
            "warm_eta_55": warm(55),
            "torch_epoch_26": 26 - 1}  # torch's scheduler is stepped after each update


def lrs_ex_2():
    """Momentum's step at the end of a warm-up of 10 steps on a constant slope, γ = 0.9, in
    units of η: optlib.Momentum (PyTorch's form) and the velocity form, written out here."""
    ramp, gamma, w = optlib.schedules.linear_warmup(1.0, 10), 0.9, 10
    opt, theta = optlib.Momentum(ramp, gamma), np.zeros(1)
    state, v = opt.init(theta), 0.0
    for t in range(1, w + 1):
        previous = theta
        theta, state = opt.step(theta, np.ones(1), state)
        v = gamma * v + ramp(t) * 1.0  # the velocity form: eta_t inside
    torch_step = float(previous[0] - theta[0])
    for _ in range(3000):  # long after the warm-up, at the constant rate eta = 1
        previous = theta
        theta, state = opt.step(theta, np.ones(1), state)
    return {"torch_step": torch_step, "velocity_step": v, "ratio": torch_step / v,
            "steady_step": float(previous[0] - theta[0])}


# --- which_optimizer


def cmp_ex_1():
    """Ten test accuracies: mean, sd, standard error, half-width of the 95 % t-interval,
    from optlib.comparison's interval (its t quantile is optlib's own closed form)."""
    from optlib import comparison
    from optlib.exercises.which_optimizer import EX1_ACCURACIES

    accuracies = np.array(EX1_ACCURACIES)
    mean, sd, (low, high) = comparison.mean_interval(accuracies)
    return {"mean": mean, "sd": sd, "standard_error": sd / math.sqrt(len(accuracies)),
            "half_width": (high - low) / 2}


def cmp_ex_2():
    """Sixteen comparisons with the best at the 5 % level, no real difference: the expected
    false alarms, P(at least one) for independent tests, Bonferroni's per-test level."""
    from optlib.exercises.which_optimizer import EX2_LEVEL, EX2_OPTIMIZERS

    comparisons = EX2_OPTIMIZERS - 1
    return {"expected_false": comparisons * EX2_LEVEL,
            "p_any": 1 - (1 - EX2_LEVEL) ** comparisons,
            "bonferroni_level": EX2_LEVEL / comparisons,
            "p_any_bonferroni": 1 - (1 - EX2_LEVEL / comparisons) ** comparisons}


def cmp_ex_3():
    """Two optimizers on the same five seeds: mean difference, its standard error unpaired
    (the two means' errors added in quadrature) and paired (the differences' own), ratio."""
    from optlib import comparison
    from optlib.exercises.which_optimizer import EX3_FIRST, EX3_SECOND

    first, second = np.array(EX3_FIRST), np.array(EX3_SECOND)
    n = len(first)
    difference, _, _ = comparison.paired_difference(first, second)
    unpaired = math.sqrt((first.var(ddof=1) + second.var(ddof=1)) / n)
    paired = comparison.mean_interval(first - second)[1] / math.sqrt(n)
    return {"difference": difference, "se_unpaired": unpaired, "se_paired": paired,
            "ratio": unpaired / paired}


# --- conventions


def _first_step(optimizer, gradient) -> float:
    """The length of an optimizer's first step from 0 on one gradient (a single parameter)."""
    theta, _ = optimizer.step(np.zeros(1), np.array([gradient]), optimizer.init(np.zeros(1)))
    return float(abs(theta[0]))


def conv_ex_1():
    """Keras's eps_t = eps_hat / sqrt(1 - beta2^t) for eps_hat = 1e-6, beta2 = 0.99; the first
    Adam step (units of eta) for g_1 = 2e-6 from optlib.Adam and optlib.conventions' Keras Adam;
    the first step with eps_t < 1.01 eps_hat."""
    from optlib import conventions

    eps_hat, beta2 = 1e-6, 0.99
    eps_t = [eps_hat / math.sqrt(1 - beta2**t) for t in range(1, 2001)]
    keras_adam = conventions.VARIANTS["keras", "Adam"](learning_rate=1.0, beta_2=beta2,
                                                        epsilon=eps_hat)
    return {"eps_1": eps_t[0], "eps_100": eps_t[99],
            "step_torch": _first_step(optlib.Adam(1.0, beta2=beta2, eps=eps_hat), 2e-6),
            "step_keras": _first_step(keras_adam, 2e-6),
            "t_within_1pct": next(t for t, e in enumerate(eps_t, 1) if e < 1.01 * eps_hat)}


def conv_ex_2():
    """Momentum gamma = 0.9 on g = 1 with eta_t = 0.1, 0.1, 0.01, 0.01: the steps 3 and 4 of
    optlib.Momentum (PyTorch's buffer form) and of optlib.conventions' Keras SGD (velocity)."""
    from optlib import conventions

    drop = optlib.schedules.step_decay(0.1, drop_every=2, factor=0.1)
    steps = {}
    for name, opt in (("torch", optlib.Momentum(drop, 0.9)),
                      ("keras", conventions.VARIANTS["keras", "SGD"](learning_rate=drop,
                                                                    momentum=0.9))):
        theta, state, taken = np.zeros(1), opt.init(np.zeros(1)), []
        for _ in range(4):
            new, state = opt.step(theta, np.ones(1), state)
            taken.append(float(theta[0] - new[0]))
            theta = new
        steps[name] = taken
    return {"torch_step_3": steps["torch"][2], "keras_step_3": steps["keras"][2],
            "torch_step_4": steps["torch"][3], "keras_step_4": steps["keras"][3]}


def conv_ex_3():
    """AdaGrad's second step (units of eta) for g_1 = 0.01, g_2 = 0.02: optlib.AdaGrad
    (PyTorch) and optlib.conventions' Keras Adagrad, their ratio; the g_1 with Keras's first
    step half of eta (g / sqrt(0.1 + g^2) = 1/2)."""
    from optlib import conventions

    second = []
    for opt in (optlib.AdaGrad(1.0),
                conventions.VARIANTS["keras", "Adagrad"](learning_rate=1.0)):
        theta_1, state = opt.step(np.zeros(1), np.array([0.01]), opt.init(np.zeros(1)))
        theta_2, _ = opt.step(theta_1, np.array([0.02]), state)
        second.append(float(theta_1[0] - theta_2[0]))
    return {"step_torch_2": second[0], "step_keras_2": second[1],
            "ratio_2": second[0] / second[1], "g_half": math.sqrt(0.1 / 3)}


#: label -> the computation of its right answer (a dict; integers where the answer is a count)
ANSWER_COMPUTATIONS = {
    "gd-ex-1": gd_ex_1, "gd-ex-2": gd_ex_2, "gd-ex-6": gd_ex_6,
    "mom-ex-1": mom_ex_1, "mom-ex-2": mom_ex_2,
    "nag-ex-1": nag_ex_1, "nag-ex-3": nag_ex_3, "nag-ex-7": nag_ex_7,
    "sgd-ex-1": sgd_ex_1,
    "ada-ex-1": ada_ex_1, "ada-ex-2": ada_ex_2, "ada-ex-4": ada_ex_4,
    "adam-ex-1": adam_ex_1, "adam-ex-2": adam_ex_2, "adam-ex-3": adam_ex_3,
    "adam-ex-5": adam_ex_5,
    "fam-ex-1": fam_ex_1, "fam-ex-2": fam_ex_2, "fam-ex-5": fam_ex_5,
    # beyond_adam (ba-ex-*)
    "ba-ex-1": ba_ex_1, "ba-ex-2": ba_ex_2, "ba-ex-3": ba_ex_3,
    "ba-ex-5": ba_ex_5,
    # learning_rate_schedules (lrs-ex-*)
    "lrs-ex-1": lrs_ex_1, "lrs-ex-2": lrs_ex_2,
    "cmp-ex-1": cmp_ex_1, "cmp-ex-2": cmp_ex_2, "cmp-ex-3": cmp_ex_3,  # which_optimizer
    "conv-ex-1": conv_ex_1, "conv-ex-2": conv_ex_2, "conv-ex-3": conv_ex_3,  # conventions
}
BY_HAND = sorted(ANSWER_COMPUTATIONS)
FUNCTION_EXERCISES = sorted(set(CHECKS) - set(ANSWER_COMPUTATIONS))


def chapter_module(label: str) -> types.ModuleType:
    """The module of optlib.exercises whose CHECKS holds ``label``."""
    return next(module for module in exercises.CHAPTER_MODULES if label in module.CHECKS)


def digests(label: str) -> dict:
    """What the chapter's ANSWERS should hold for ``label``, from the computed answer."""
    return {key: _common.digests_of(label, key, value)
            for key, value in ANSWER_COMPUTATIONS[label]().items()}


def print_digests(chapters=None) -> None:
    """Print each chapter's ANSWERS dict, to paste into its module."""
    for module in exercises.CHAPTER_MODULES:
        name = module.__name__.rsplit(".", 1)[-1]
        if chapters and name not in chapters:
            continue
        print(f"# optlib/exercises/{name}.py\nANSWERS: dict[str, dict[str, str | list[str]]] = {{")
        for label in sorted(set(module.CHECKS) & set(ANSWER_COMPUTATIONS)):
            print(f'    "{label}": {{')
            for key, stored in digests(label).items():
                if isinstance(stored, str):
                    print(f'        "{key}": "{stored}",')
                else:
                    print(f'        "{key}": [')
                    for one in stored:
                        print(f'            "{one}",')
                    print("        ],")
            print("    },")
        print("}\n")


def numbers_in(value) -> list[float]:
    """The nonzero numbers of a computed answer's value (0 is everywhere; it proves nothing)."""
    return [float(x) for x in np.ravel(np.asarray(value, dtype=float)) if x != 0]


def right_values(label: str) -> list[float]:
    return [x for value in ANSWER_COMPUTATIONS[label]().values() for x in numbers_in(value)]


# ---------------------------------------------------------------------------------------------
# The digests in the package are those of the computed answers, and those answers pass


@pytest.mark.parametrize("label", BY_HAND)
def test_the_stored_digests_are_those_of_the_computed_answers(label):
    stored = chapter_module(label).ANSWERS[label]
    assert stored == digests(label), (
        f"{label}: the digests in the package are stale; run "
        f"`.venv/bin/python tests/test_exercise_answers.py` and paste its ANSWERS")


def test_every_by_hand_exercise_has_digests_and_no_other():
    stored = {label for module in exercises.CHAPTER_MODULES for label in module.ANSWERS}
    assert stored == set(BY_HAND)


@pytest.mark.parametrize("label", BY_HAND)
def test_the_computed_answers_pass(label, capsys):
    check_exercise(label, ANSWER_COMPUTATIONS[label]())
    assert re.fullmatch(rf"{label}: all \d+ checks passed\n", capsys.readouterr().out)


# ---------------------------------------------------------------------------------------------
# (1) Nothing a student can reach holds a right by-hand value

NUMBER_TOKEN = re.compile(r"(?<![\w.-])[-+]?\d+(?:\.\d*)?(?:[eE][-+]?\d+)?(?![\w.])")


def reachable_numbers(roots, data=()) -> list:
    """Every number reachable from ``roots`` and ``data``: through containers, the attributes
    of objects, the closures and defaults of functions, and the numbers written in strings.
    From ``roots`` (a check and its cases) the constants of the code of optlib.exercises'
    functions too; not from ``data`` (a module's globals), whose functions are the checks of
    the function exercises, full of constants (0.5, 0.1, ...) that prove nothing. Modules and
    classes are not followed: they are the library, not an answer."""
    found, seen = [], set()
    stack = [(obj, True) for obj in roots] + [(obj, False) for obj in data]
    while stack:
        obj, code = stack.pop()
        if (id(obj), code) in seen or isinstance(obj, (types.ModuleType, type)):
            continue
        seen.add((id(obj), code))
        if isinstance(obj, (bool, np.bool_)):
            continue
        if isinstance(obj, (Number, np.number)) or (isinstance(obj, np.ndarray)
                                                     and obj.dtype != object):
            found.append(obj)
            continue
        inside = []
        if isinstance(obj, str):
            found.extend(float(token) for token in NUMBER_TOKEN.findall(obj))
        elif isinstance(obj, dict):
            inside = [*obj.keys(), *obj.values()]
        elif isinstance(obj, (list, tuple, set, frozenset, np.ndarray)):
            inside = list(obj)
        elif isinstance(obj, types.CodeType):
            inside = list(obj.co_consts)
        elif isinstance(obj, types.MethodType):
            inside = [obj.__func__, obj.__self__]
        elif isinstance(obj, types.FunctionType):
            inside = [cell.cell_contents for cell in obj.__closure__ or ()]
            inside += [*(obj.__defaults__ or ()), *(obj.__kwdefaults__ or {}).values()]
            if code and obj.__module__.startswith(exercises.__name__):
                # not the docstring: it states the question, whose numbers may be answers
                inside += [const for const in obj.__code__.co_consts if const is not obj.__doc__]
        elif hasattr(obj, "__dict__"):
            inside = list(vars(obj).values())
        stack.extend((item, code) for item in inside)
    return found


def holding(found, values) -> list[float]:
    """The right values that some found number (or array entry) equals, to 1e-6 relative."""
    numbers = [float(x) for item in found for x in np.ravel(np.asarray(item, dtype=float))]
    return [v for v in values if any(abs(x - v) <= 1e-6 * abs(v) for x in numbers)]


@pytest.mark.parametrize("label", BY_HAND)
def test_no_right_value_is_reachable_from_the_check_or_its_module(label):
    module = chapter_module(label)
    cases = CHECKS[label](None) + CHECKS[label]({})
    # a module's functions hold the constants of the function exercises (0.5, 0.1, ...);
    # of those, only the by-hand check itself is searched, the data of the module in full
    data = [value for name, value in vars(module).items()
            if not name.startswith("__")
            and type(value).__module__ not in ("__future__", "typing")]  # annotations
    found = reachable_numbers([CHECKS[label], *cases], data)
    assert found, "the search found no number at all: it is not looking"
    assert not holding(found, right_values(label)), f"{label}: right values reachable"


def test_the_search_finds_a_value_where_there_is_one():
    """The search of the test above, on cases that hold their answer as today's did."""
    values = right_values("gd-ex-1")
    leaky = [_common.Case("answer['theta_1']", np.array([2.6, 0.6]), lambda: None)]
    assert holding(reachable_numbers(leaky), values) == pytest.approx([2.6, 0.6])
    hidden_in_a_default = [lambda answer, expected=3.28: answer == expected]
    assert holding(reachable_numbers(hidden_in_a_default), values) == pytest.approx([3.28])
    assert holding(reachable_numbers([], data=[{"said": "expected: 6.0"}]), values) == [6.0]
    code_constant = [lambda answer: answer == 0.6]  # a check would be one of optlib.exercises
    code_constant[0].__module__ = "optlib.exercises.gradient_descent"
    assert holding(reachable_numbers(code_constant), values) == [0.6]
    assert not holding(reachable_numbers([], data=code_constant), values)


# ---------------------------------------------------------------------------------------------
# (2) A wrong by-hand answer is told which entries are wrong, not what is right


def wrong_answer(label: str) -> dict:
    """Every entry of the right answer changed, none of the new numbers a right value."""
    right = ANSWER_COMPUTATIONS[label]()
    values = right_values(label)

    def changed(x):
        new = float(x) * 1.37 + 0.713
        assert not holding([new], values)
        return int(round(new)) + 1001 if isinstance(x, int) else new

    return {key: [changed(x) for x in value] if np.ndim(value) else changed(value)
            for key, value in right.items()}


@pytest.mark.parametrize("label", BY_HAND)
def test_the_failure_message_of_a_wrong_answer_holds_no_right_value(label):
    answer = wrong_answer(label)
    with pytest.raises(ExerciseCheckFailed) as caught:
        check_exercise(label, answer)
    message = str(caught.value)
    assert f"{len(answer)} of {len(answer)} checks failed" in message
    # the numbers of the message, but those of the student's answer, the rules and the counts
    rules = [getattr(_common, name, "") for name in ("NUMBER_RULE", "INTEGER_RULE")]
    said = {float(token) for rule in rules
            for token in NUMBER_TOKEN.findall(rule)} | {float(len(answer)), 3.0}
    said |= {x for value in answer.values() for x in numbers_in(value)}
    shown = [float(token) for token in NUMBER_TOKEN.findall(message)]
    others = [x for x in shown if not any(abs(x - s) <= 1e-6 * abs(s) for s in said)]
    assert not holding(others, right_values(label)), message
    assert "compared to 4 significant figures" in message or "compared exactly" in message


# ---------------------------------------------------------------------------------------------
# (3) No callable of optlib.exercises answers a function exercise


def package_callables():
    """Every function and class defined in optlib.exercises or one of its modules."""
    modules = [exercises] + [importlib.import_module(f"{exercises.__name__}.{info.name}")
                             for info in pkgutil.iter_modules(exercises.__path__)]
    found = {}
    for module in modules:
        for name, obj in vars(module).items():
            if callable(obj) and getattr(obj, "__module__", "").startswith(exercises.__name__):
                found[f"{obj.__module__}.{getattr(obj, '__qualname__', name)}"] = obj
    return found


def test_the_attack_tries_the_functions_of_every_module():
    names = package_callables()
    assert len(names) > 20 and "optlib.exercises.check_exercise" in names
    for module in exercises.CHAPTER_MODULES:
        assert any(name.startswith(module.__name__ + ".") for name in names), module.__name__


@pytest.mark.parametrize("label", FUNCTION_EXERCISES)
def test_no_callable_of_the_package_passes_a_function_exercise(label, capsys):
    passing = []
    for name, candidate in package_callables().items():
        try:
            check_exercise(label, candidate)
        except Exception:  # ExerciseCheckFailed, or a check that cannot take it at all
            continue
        passing.append(name)
    capsys.readouterr()
    assert not passing, f"{label} is answered by {passing}: a solution ships with the package"


# ---------------------------------------------------------------------------------------------
# (4) The rule of the digests: 1e-4 relative passes, across rounding boundaries; the 3rd
# significant figure fails; integers are exact


def passes(right, given, integer=False) -> bool:
    stored = _common.digests_of("test", "x", int(right) if integer else float(right))
    return _common.is_right("test", "x", 0, stored, given)


RIGHT_NUMBERS = [13 / 6, 0.6, -0.38, 3.28, 1600.5, 0.0103, 2.115918, -1.802449, 1.0, 9.9996,
                 10.0004, 0.99995, 1.00005, 0.00012345, 0.12345, 0.12355, 9999.5, -0.99996, 7e-8]


@pytest.mark.parametrize("right", RIGHT_NUMBERS)
def test_a_number_within_1e_4_relative_passes_even_across_a_rounding_boundary(right):
    for relative in (0, 1e-5, -1e-5, 5e-5, -5e-5, 9.9e-5, -9.9e-5):
        assert passes(right, right * (1 + relative)), (right, relative)


@pytest.mark.parametrize("right", RIGHT_NUMBERS)
def test_a_number_off_in_the_3rd_significant_figure_fails(right):
    unit = 10.0 ** (math.floor(math.log10(abs(right))) - 2)  # one in the 3rd figure
    for off in (unit, -unit, 1.5 * unit, 3 * unit, 10 * unit):
        assert not passes(right, right + off), (right, off)
    assert not passes(right, -right) and not passes(right, 0.0)


def on_the_grid(right, given) -> bool:
    """passes() without the digests (which only hide the texts): is the stored text of the
    right value among the texts the given number may be?"""
    return _common.number_texts(right)[0] in _common.number_texts(given)


def test_many_random_numbers_follow_the_rule():
    rng = np.random.default_rng(0)
    rights = rng.choice([-1, 1], 5000) * 10.0 ** rng.uniform(-6, 6, 5000)
    # and the numbers just below a power of ten, which round up into the next decade
    rights[:500] = np.sign(rights[:500]) * 10.0 ** np.ceil(np.log10(np.abs(rights[:500])))
    rights[:500] *= 1 - rng.uniform(0, 1e-4, 500)
    for right in rights:
        assert on_the_grid(right, right * (1 + rng.uniform(-1e-4, 1e-4))), right
        unit = 10.0 ** (math.floor(math.log10(abs(right))) - 2)
        off = rng.choice([-1, 1]) * rng.uniform(1, 20) * unit
        assert not on_the_grid(right, right + off), (right, off)


def test_the_boundaries_of_the_grid_by_hand():
    # 13/6 = 2.16667 is stored as 2.167; x passes within 0.0005 + 1e-4·x of it
    assert passes(13 / 6, 2.1665) and passes(13 / 6, 2.1674) and passes(13 / 6, 2.167)
    assert not passes(13 / 6, 2.1662) and not passes(13 / 6, 2.1678)
    assert not passes(13 / 6, 2.17)  # right to 3 figures, off in the 4th: not right
    # across a decade: 9.9996 is stored as 10.00, whose half unit is 0.005
    assert passes(9.9996, 9.9991) and passes(9.9996, 10.0055) and passes(9.9996, 9.9949)
    assert not passes(9.9996, 10.0096) and not passes(9.9996, 9.9896)  # off in the 3rd figure
    assert not passes(9.9996, 10.007) and not passes(9.9996, 9.993)


def test_sizes_below_1e_9_are_zero():
    assert passes(0.0, 0.0) and passes(0.0, 1e-12) and passes(3e-20, 0.0) and passes(0.0, -5e-10)
    assert not passes(0.0, 2e-9) and not passes(0.0, 1e-3) and not passes(2e-9, 0.0)


def test_integers_are_exact_in_any_form():
    from fractions import Fraction

    for given in (28, 28.0, np.int64(28), np.float64(28.0), Fraction(56, 2), np.array(28)):
        assert passes(28, given, integer=True), given
    for given in (27, 29, 28.001, 27.9999, Fraction(57, 2), True, "28", None, math.nan):
        assert not passes(28, given, integer=True), given
    assert passes(1, 1, integer=True) and not passes(1, True, integer=True)


def test_numbers_that_are_not_numbers_fail():
    for given in ("2.6", None, [2.6], math.inf, math.nan, {"x": 2.6}):
        assert not passes(2.6, given), given


def test_the_rule_is_said_in_the_message():
    with pytest.raises(ExerciseCheckFailed) as caught:
        check_exercise("gd-ex-2", {**{k: 0.5 for k in ("largest_lr", "best_lr", "rate")},
                                   "steps": 27})
    message = str(caught.value)
    assert ("compared to 4 significant figures: right if within 1e-4 (relative) of the right "
            "value rounded to 4 figures, give or take half a unit of its last figure; sizes "
            "below 1e-9 count as 0)") in message
    assert "answer['steps']\n    got:      27, which is not right (an integer, compared exactly)" \
        in message


if __name__ == "__main__":
    print_digests(sys.argv[1:])
