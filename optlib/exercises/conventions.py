"""Checks for the exercises of the conventions chapter, "One name, several algorithms"
(``conv-ex-1`` ... ``conv-ex-4``)."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from optlib import conventions, functions, schedules

from ._common import Case, HiddenCase, by_hand

# The digests of the by-hand answers; the values they digest are computed, from optlib, in
# tests/test_exercise_answers.py, which also prints this dict anew when an exercise changes.
ANSWERS: dict[str, dict[str, str | list[str]]] = {
    "conv-ex-1": {
        "eps_1": "4sf:532c3f8c265857f00391d6a3e3136c12",
        "eps_100": "4sf:61be8765c5962ffd73279c4657b61675",
        "step_torch": "4sf:c5131c7c7581ec19c0d1cde7196d1066",
        "step_keras": "4sf:d51afbbdae01bfcd5b0d0c5a864ad818",
        "t_within_1pct": "int:264824ca10ab472f35b3cdb20bb97aae",
    },
    "conv-ex-2": {
        "torch_step_3": "4sf:f8926180b7cf7ba464611879a9933d87",
        "keras_step_3": "4sf:2a7add95965063ad4eca31f6f294d3fe",
        "torch_step_4": "4sf:b7d633f370d339627bd95b0cb96df0d9",
        "keras_step_4": "4sf:582d973421c637e212db5b1d98369664",
    },
    "conv-ex-3": {
        "step_torch_2": "4sf:466c7ae2e762c72bbf5b12c6a7f637cb",
        "step_keras_2": "4sf:b89c93d5ba02d7e8d9996e65975590ef",
        "ratio_2": "4sf:8acf19653c3ab7ade71e41b07f672e51",
        "g_half": "4sf:cb857b25c643ab2cb608c266972617fd",
    },
}

#: conv-ex-4's inputs besides the ravine: a 3-D start, and the length of the runs
EX4_START_3D = (1.0, -2.0, 0.5)
EX4_STEPS = 40


def _conv_ex_1(answer) -> list[HiddenCase]:
    """Keras's equivalent epsilon_t at t = 1 and 100 (beta2 = 0.99, epsilon-hat = 1e-6), the
    first Adam step in units of eta for g_1 = 2e-6 in PyTorch's and Keras's forms, and the
    first step at which epsilon_t < 1.01 epsilon-hat."""
    return by_hand("conv-ex-1", answer, ANSWERS["conv-ex-1"])


def _conv_ex_2(answer) -> list[HiddenCase]:
    """Momentum gamma = 0.9 on g_t = 1 with eta_t = 0.1, 0.1, 0.01, 0.01: the steps at t = 3
    and 4 in the buffer form (PyTorch) and the velocity form (Keras)."""
    return by_hand("conv-ex-2", answer, ANSWERS["conv-ex-2"])


def _conv_ex_3(answer) -> list[HiddenCase]:
    """AdaGrad's second step in units of eta for g_1 = 0.01, g_2 = 0.02 in PyTorch's form and
    Keras's, their ratio, and the first gradient at which Keras's first step is half of
    PyTorch's."""
    return by_hand("conv-ex-3", answer, ANSWERS["conv-ex-3"])


def _keras_sgd_path(f, theta0, lr, momentum, nesterov, steps) -> np.ndarray:
    """The iterates of optlib.conventions' Keras SGD (checked against Keras 3 in the tests)."""
    optimizer = conventions.VARIANTS["keras", "SGD"](learning_rate=lr, momentum=momentum,
                                                     nesterov=nesterov)
    theta = np.array(theta0, dtype=float)
    state, path = optimizer.init(theta), [theta]
    for _ in range(steps):
        theta, state = optimizer.step(theta, f.grad(theta), state)
        path.append(theta)
    return np.array(path)


def _conv_ex_4(keras_momentum) -> list[Case]:
    """keras_momentum(grad, theta0, lr, momentum, nesterov, steps): the path theta_0 ... theta_T
    of Keras's SGD, against optlib.conventions' Keras SGD, at a constant rate and under
    schedules, with and without Nesterov."""
    ravine = functions.ravine()
    bowl = functions.random_quadratic(3, 20.0, rng=4)
    start_3d = np.array(EX4_START_3D)
    inputs = [
        ("the ravine from (-9, 2), lr=0.05, momentum=0.9, nesterov=False, 40 steps",
         ravine, ravine.start, 0.05, 0.9, False, EX4_STEPS),
        ("the ravine, lr=schedules.step_decay(0.1, drop_every=10, factor=0.1), momentum=0.9, "
         "nesterov=False, 40 steps", ravine, ravine.start,
         schedules.step_decay(0.1, drop_every=10, factor=0.1), 0.9, False, EX4_STEPS),
        ("the ravine, lr=schedules.linear_warmup(0.05, 20), momentum=0.9, nesterov=True, "
         "40 steps", ravine, ravine.start, schedules.linear_warmup(0.05, 20), 0.9, True,
         EX4_STEPS),
        ("a 3-D quadratic from (1, -2, 0.5), lr=0.02, momentum=0.5, nesterov=True, 30 steps",
         bowl, start_3d, 0.02, 0.5, True, 30),
    ]
    cases = []
    for what, f, theta0, lr, momentum, nesterov, steps in inputs:
        expected = _keras_sgd_path(f, theta0, lr, momentum, nesterov, steps)
        cases.append(Case(f"keras_momentum on {what}", expected,
                          lambda f=f, theta0=theta0, lr=lr, momentum=momentum,
                          nesterov=nesterov, steps=steps: np.asarray(keras_momentum(
                              f.grad, np.array(theta0, dtype=float), lr, momentum, nesterov,
                              steps), dtype=float)))
    return cases


CHECKS: dict[str, Callable[[Any], list[Case]]] = {
    "conv-ex-1": _conv_ex_1,
    "conv-ex-2": _conv_ex_2,
    "conv-ex-3": _conv_ex_3,
    "conv-ex-4": _conv_ex_4,
}
