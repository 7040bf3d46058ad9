"""Checks for the exercises of the chapter Beyond Adam (RAdam, Lookahead, Ranger, Lion, Muon, Schedule-Free AdamW) (``ba-ex-1`` ...)."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

import optlib

from ._common import Case, HiddenCase, by_hand, show

# The digests of the by-hand answers; the values they digest are computed, from optlib, in
# tests/test_exercise_answers.py, which also prints this dict anew when an exercise changes.
ANSWERS: dict[str, dict[str, str | list[str]]] = {
    "ba-ex-1": {
        "theta_1": [
            "4sf:a36a7b20314de8fc815837932921b4da",
            "4sf:95b1d7034d0c8f7d7d4130a2732e22d0",
        ],
        "theta_2": [
            "4sf:6d01594463a543ffe5759f8e43284dae",
            "4sf:c24aa659b12869dc7f990f3f6380d6cd",
        ],
        "rho_6": "4sf:d58504364b893e7c553552d7def6add3",
        "r_6": "4sf:a4e5ee5052e0ebd90fb9241f4fbbfa0c",
    },
    "ba-ex-2": {
        "t_paper": "int:8725bd5dde3d228b65e023aef434255c",
        "t_torch": "int:62e6dbe77661cf9047dcb01cba0e3e4d",
        "beta2_never": "4sf:38299fe26f20357777660e2967ef8b40",
        "rho_7": "4sf:5e8d396861a1af6ea259893d73b64864",
    },
    "ba-ex-3": {
        "theta_1": [
            "4sf:6a3cca162e3b0148130e3f9d350cd758",
            "4sf:2a7b7323e49ae38a812e21d8d96d2e3c",
        ],
        "m_1": [
            "4sf:66ce4431e96513673a50cf7b926e1d85",
            "4sf:c2c28696f1d0eb6e6fd325372a51c25f",
        ],
        "theta_2": [
            "4sf:00961721b8fd9a70e255ff8d12f0a497",
            "4sf:ac24c19cb3fece75beb76a3ea6130bdb",
        ],
        "m_2": [
            "4sf:819f01e461a61d76e6ebfa7bfbd3ef1d",
            "4sf:bc88a045f11d23ebd83c1ad563f07b9f",
        ],
    },
}


def _ba_ex_1(answer) -> list[HiddenCase]:
    """RAdam's first two steps on J = ½(θ₁² + 10θ₂²) from (1, 1), η = 0.05, β₁ = 0.9,
    β₂ = 0.99, and ρ₆, r₆ for β₂ = 0.99."""
    return by_hand("ba-ex-1", answer, ANSWERS["ba-ex-1"])


def _ba_ex_2(answer) -> list[HiddenCase]:
    """The first rectified steps for β₂ = 0.8 (thresholds 4 and 5), and the β₂ below which
    PyTorch's RAdam never rectifies."""
    return by_hand("ba-ex-2", answer, ANSWERS["ba-ex-2"])


def _ba_ex_3(answer) -> list[HiddenCase]:
    """Two Lion steps on J = ½(θ₁² + 10θ₂²) from (1, 0.05), η = 0.1, λ = 0.5."""
    return by_hand("ba-ex-3", answer, ANSWERS["ba-ex-3"])


def _ba_ex_4(lookahead_sgd) -> list[Case]:
    """Lookahead around gradient descent, from scratch, against optlib.Lookahead(optlib.SGD)."""
    inputs = [
        (np.diag([1.0, 10.0]), np.array([1.0, 1.0]), 0.05, 5, 0.5, 23),
        (np.diag([2.0, 0.5, 4.0]), np.array([-1.0, 2.0, 0.5]), 0.1, 3, 0.8, 20),
        (np.array([[3.0, 1.0], [1.0, 2.0]]), np.array([0.5, -0.5]), 0.2, 1, 0.3, 10),  # k = 1
        (np.diag([1.0, 4.0]), np.array([2.0, -1.0]), 0.1, 4, 1.0, 12),  # alpha = 1: SGD
        (np.diag([1.0, 100.0]), np.array([1.0, 1.0]), 0.015, 6, 0.5, 7),  # no sync at the end
    ]
    cases = []
    for hessian, theta0, lr, k, alpha, steps in inputs:
        f = optlib.functions.Quadratic(hessian)
        opt = optlib.Lookahead(optlib.SGD(lr), k=k, alpha=alpha)
        expected = optlib.minimize(f, theta0, opt, steps).x
        what = (f"lookahead_sgd(grad=<gradient of 0.5 theta^T A theta, A={show(hessian)}>, "
                f"theta0={show(theta0)}, lr={lr:g}, k={k}, alpha={alpha:g}, steps={steps})")
        cases.append(Case(what, expected,
                          lambda args=(f.grad, theta0.copy(), lr, k, alpha, steps):
                          np.asarray(lookahead_sgd(*args))))
    return cases


CHECKS: dict[str, Callable[[Any], list[Case]]] = {
    "ba-ex-1": _ba_ex_1,
    "ba-ex-2": _ba_ex_2,
    "ba-ex-3": _ba_ex_3,
    "ba-ex-4": _ba_ex_4,
}


# Muon and Schedule-Free AdamW (ba-ex-5, ba-ex-6)

ANSWERS.update({
    "ba-ex-5": {
        "X_0": [
            "4sf:33403c525570cd59f368dcc23b84083d",
            "4sf:def1774cfff06dfb108a2a52fe6f33f9",
        ],
        "X_1": [
            "4sf:20fa6667fa5b3c03e163b6a8e9659ca3",
            "4sf:05e982b94b301dc0c11af379c2ec030e",
        ],
        "X_2": [
            "4sf:10c0978414062806e269844024e229d3",
            "4sf:c86ae9baeb843407714abb4c4b8c70d5",
        ],
        "p_1": "4sf:915604604d6d355a30c183c472b65b19",
    },
})


def _ba_ex_5(answer) -> list[HiddenCase]:
    """Two Newton–Schulz steps by hand on G = diag(4, 3) with Jordan's (a, b, c), and p(1)."""
    return by_hand("ba-ex-5", answer, ANSWERS["ba-ex-5"])


class _ScheduleFreeAtY(optlib.ScheduleFreeAdamW):
    """Schedule-Free AdamW reported where its gradients are taken (y), not at its average."""

    def evaluation_point(self, params, state):
        return params


def _ba_ex_6(sf_losses) -> list[Case]:
    """The test losses at x and at y of a Schedule-Free AdamW run, before training and after
    each epoch: against optlib.train, which reports x, and optlib.train of an optimizer that
    reports y."""
    digits = optlib.data.digits()
    models = optlib.models
    inputs = [
        (models.MLP(64, 8, 10), dict(lr=0.05), 2, 64, 0),
        (models.LogisticRegression(64, 10), dict(lr=0.1, beta1=0.5, warmup_steps=10), 2, 128, 1),
        (models.MLP(64, 16, 10, "relu"), dict(lr=0.02, weight_decay=0.01), 1, 32, 3),
    ]
    cases = []
    for model, hyper, epochs, batch_size, seed in inputs:
        args = ", ".join(f"{k}={v!r}" for k, v in hyper.items())
        call = (f"sf_losses({model!r}, ScheduleFreeAdamW({args}), digits, epochs={epochs}, "
                f"batch_size={batch_size}, seed={seed})")
        run = dict(epochs=epochs, batch_size=batch_size, seed=seed)
        at_x = optlib.train(model, optlib.ScheduleFreeAdamW(**hyper), digits, **run).test_loss
        at_y = optlib.train(model, _ScheduleFreeAtY(**hyper), digits, **run).test_loss
        for index, (name, expected) in enumerate((("x", at_x), ("y", at_y))):
            cases.append(Case(
                f"{call}[{index}], the test losses at {name}", np.array(expected),
                lambda model=model, hyper=hyper, run=run, index=index: np.asarray(
                    sf_losses(model, optlib.ScheduleFreeAdamW(**hyper), digits,
                              run["epochs"], run["batch_size"], run["seed"])[index],
                    dtype=float)))
    return cases


CHECKS.update({"ba-ex-5": _ba_ex_5, "ba-ex-6": _ba_ex_6})
