"""Checks for the exercises of the chapter on the Adam family (AdaMax, NAdam, AMSGrad, AdamW)
(``fam-ex-1`` ... ``fam-ex-5``)."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

import optlib

from ._common import Case, HiddenCase, by_hand, show, states_along

# The digests of the by-hand answers; the values they digest are computed, from optlib, in
# tests/test_exercise_answers.py, which also prints this dict anew when an exercise changes.
ANSWERS: dict[str, dict[str, str | list[str]]] = {
    "fam-ex-1": {
        "u_1": [
            "4sf:caa075f412354557deab8fc28470a32e",
            "4sf:b480abd368afafe63f5ad1e9da7035dc",
        ],
        "theta_1": [
            "4sf:abe3bbe17d378d2243ba97e6579db4bf",
            "4sf:2ac3cd0ec1607f9f952c1d7e9ef1389b",
        ],
        "u_2": [
            "4sf:fcd26687d554412acdca0c012bb83820",
            "4sf:12ba45e0db5e4f2c0f09385a21cf9597",
        ],
        "theta_2": [
            "4sf:c55a8e70b4ea2401d020a62bac16fb3b",
            "4sf:437583bd0aac1c9c080f573d27b8f257",
        ],
    },
    "fam-ex-2": {
        "mu_1_pytorch": "4sf:a9b37a32acc5a4f474490aed0c5c09ca",
        "mu_1_keras": "4sf:264920b6d50b45c39763480bb61a7b13",
        "t_pytorch_80": "int:3cc256b9ea860b1390f73cfc760a75ee",
        "t_keras_95": "int:6b8c35dd40531800e749451ef0e92416",
    },
    "fam-ex-5": {
        "adam_x_1": "4sf:ea9eb815bfee41e07befa53fb8c5724e",
        "adam_x_2": "4sf:2ea83a1abff13d23e0367b49303c737f",
        "adam_x_3": "4sf:c1e161d651ef82004ff91c73dbf6155f",
        "ams_x_3": "4sf:ea943b7c41f69414bfe282b551727f61",
    },
}


def _fam_ex_1(answer) -> list[HiddenCase]:
    """Two AdaMax steps by hand on J = θ₁² + 2θ₂² from (1, 1), η = 0.1, β₁ = 0.5, β₂ = 0.75."""
    return by_hand("fam-ex-1", answer, ANSWERS["fam-ex-1"])


def _fam_ex_2(answer) -> list[HiddenCase]:
    """NAdam's momentum schedule by hand: PyTorch's (ψ = 0.004) and Keras's (0.96ᵗ)."""
    return by_hand("fam-ex-2", answer, ANSWERS["fam-ex-2"])


def _fam_ex_3(u_closed_form) -> list[Case]:
    """The closed form u_t = max_i β₂^(t−i) |g_i| for every t, against optlib.AdaMax's state."""
    rng = np.random.default_rng(7)
    inputs = [
        (np.array([[3.0], [1.0], [2.0], [0.5]]), 0.5),
        (np.array([[1.0, -2.0], [-4.0, 0.0], [0.0, 1.0]]), 0.9),
        (rng.standard_normal((30, 3)) * np.exp(rng.standard_normal((30, 3))), 0.999),
        (np.array([[-5.0], [0.0], [0.0], [0.0], [0.0]]), 0.8),  # one spike, then silence
        (rng.standard_normal((12, 2)), 0.0),  # β₂ = 0: u_t = |g_t|
    ]
    cases = []
    for grads, beta2 in inputs:
        what = f"u_closed_form(gradients={show(grads)}, beta2={beta2:g})"
        opt = optlib.AdaMax(beta2=beta2, eps=1e-300)  # ε negligible
        u = np.array([state.u for state in states_along(opt, grads)])
        cases.append(Case(what, u,
                          lambda args=(grads.copy(), beta2): np.asarray(u_closed_form(*args))))
    return cases


def _fam_ex_4(adam_l2_path) -> list[Case]:
    """Adam with L2 through the gradient (torch.optim.Adam(weight_decay=λ)), from scratch."""
    inputs = [
        (np.diag([1.0, 100.0]), np.array([1.0, 1.0]), 0.01, 0.1, 50),
        (np.diag([2.0, 4.0]), np.array([-3.0, 2.0]), 0.1, 0.0, 20),  # λ = 0: plain Adam
        (np.diag([1.0, 10.0, 0.1]), np.array([1.0, -1.0, 2.0]), 0.05, 1.0, 40),
        (np.array([[3.0, 1.0], [1.0, 2.0]]), np.array([0.5, 0.5]), 0.001, 0.01, 10),
    ]
    cases = []
    for hessian, theta0, lr, lam, steps in inputs:
        f = optlib.functions.Quadratic(hessian)
        # J + λ/2 ‖θ‖² is the quadratic with the Hessian A + λI: its gradient is g + λθ
        penalised = optlib.functions.Quadratic(hessian + lam * np.eye(len(theta0)))
        expected = optlib.minimize(penalised, theta0, optlib.Adam(lr), steps).x
        what = (f"adam_l2_path(grad=<gradient of 0.5 theta^T A theta, A={show(hessian)}>, "
                f"theta0={show(theta0)}, lr={lr:g}, lam={lam:g}, steps={steps})")
        cases.append(Case(what, expected,
                          lambda args=(f.grad, theta0.copy(), lr, lam, steps):
                          np.asarray(adam_l2_path(*args))))
    return cases


def _fam_ex_5(answer) -> list[HiddenCase]:
    """Three steps by hand of Adam and AMSGrad on Reddi et al.'s problem (C = 3, β₂ = 0.1)."""
    return by_hand("fam-ex-5", answer, ANSWERS["fam-ex-5"])


CHECKS: dict[str, Callable[[Any], list[Case]]] = {
    "fam-ex-1": _fam_ex_1,
    "fam-ex-2": _fam_ex_2,
    "fam-ex-3": _fam_ex_3,
    "fam-ex-4": _fam_ex_4,
    "fam-ex-5": _fam_ex_5,
}
