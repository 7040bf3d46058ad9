"""Checks for the exercises of the chapter on learning-rate schedules (``lrs-ex-1`` ...
``lrs-ex-5``)."""

from __future__ import annotations

import math
from typing import Any, Callable

import numpy as np

import optlib
from optlib import functions, schedules

from ._common import Case, HiddenCase, by_hand

# The digests of the by-hand answers; the values they digest are computed, from optlib, in
# tests/test_exercise_answers.py, which also prints this dict anew when an exercise changes.
ANSWERS: dict[str, dict[str, str | list[str]]] = {
    "lrs-ex-1": {
        "eta_26": "4sf:d27abdfeb2f27d3beceee4a6be99cd8c",
        "warm_eta_5": "4sf:80ff425c451efb4ae08194d6446aae5d",
        "warm_eta_55": "4sf:ac5d10ea986fa115204d49719c41722c",
        "torch_epoch_26": "int:fd2822b477a18237706eeb6fa757085e",
    },
    "lrs-ex-2": {
        "torch_step": "4sf:8571091b8a9e0ad49ff4ed887cbbc5dd",
        "velocity_step": "4sf:a85ef5efe0b2090e652c0228c91620ed",
        "ratio": "4sf:c81450c706732a110be5ff301e48dbf8",
        "steady_step": "4sf:89379f780894b04a812bf96175a4c890",
    },
}


#: lrs-ex-3 compares the factors at the epochs 0 ... LAMBDA_EPOCHS - 1
LAMBDA_EPOCHS = 16


def _lrs_ex_1(answer) -> list[HiddenCase]:
    """The rate of a cosine schedule and of a warm-up + cosine at given steps, and torch's
    epoch counter during optlib's step 26."""
    return by_hand("lrs-ex-1", answer, ANSWERS["lrs-ex-1"])


def _lrs_ex_2(answer) -> list[HiddenCase]:
    """PyTorch's and the velocity form's momentum steps at the end of a linear warm-up of 10
    steps on a constant slope, γ = 0.9, in units of η, their ratio, and the step both reach
    long after the warm-up."""
    return by_hand("lrs-ex-2", answer, ANSWERS["lrs-ex-2"])


def _lrs_ex_3(lambda_factor) -> list[Case]:
    """torch's LambdaLR multiplies the initial lr by lr_lambda(e), e = t - 1 during update t:
    lr * lr_lambda(e) must be the optlib schedule's rate at step e + 1."""
    inputs = [
        ("schedules.linear_warmup(0.1, 5)", schedules.linear_warmup(0.1, 5), 0.1),
        ("schedules.cosine(0.5, 20, 0.01)", schedules.cosine(0.5, 20, 0.01), 1.0),
        ("schedules.step_decay(0.2, 3, 0.5)", schedules.step_decay(0.2, 3, 0.5), 0.2),
        ("schedules.linear_warmup(0.3, 4, after=schedules.linear_decay(0.3, 10))",
         schedules.linear_warmup(0.3, 4, after=schedules.linear_decay(0.3, 10)), 0.6),
    ]
    epochs = list(range(LAMBDA_EPOCHS))
    cases = []
    for name, schedule, lr in inputs:
        what = f"lambda_factor({name}, lr={lr:g})(e) for e in 0 ... {epochs[-1]}"
        expected = [schedule(e + 1) / lr for e in epochs]
        cases.append(Case(what, expected, lambda schedule=schedule, lr=lr: [
            float(lambda_factor(schedule, lr)(e)) for e in epochs]))
    return cases


def _lrs_ex_4(one_cycle) -> list[Case]:
    """torch.optim.lr_scheduler.OneCycleLR (anneal_strategy="cos", three_phase=False), its
    rate during update t = epoch + 1, from the definition in torch's source: two half cosines,
    from max_lr / div_factor up to max_lr at epoch pct_start * T - 1, then down to
    max_lr / div_factor / final_div_factor at epoch T - 1."""
    inputs = [
        (0.1, 100, 0.3, 25.0, 1e4),
        (1.0, 272, 0.25, 10.0, 100.0),
        (0.05, 30, 0.5, 25.0, 1e4),
        (2.0, 11, 0.3, 4.0, 2.0),  # the peak at epoch 2.3: between two steps
    ]
    cases = []
    for max_lr, total, pct, div, final in inputs:
        low, peak_epoch = max_lr / div, pct * total - 1
        expected = []
        for epoch in range(total):
            if epoch <= peak_epoch:  # the phase's rate at its start and at its end
                start, end, done = low, max_lr, epoch / peak_epoch
            else:
                start, end = max_lr, low / final
                done = (epoch - peak_epoch) / (total - 1 - peak_epoch)
            expected.append(end + 0.5 * (start - end) * (1 + math.cos(math.pi * done)))
        what = (f"one_cycle(max_lr={max_lr:g}, total_steps={total}, pct_start={pct:g}, "
                f"div_factor={div:g}, final_div_factor={final:g})(t) for t in 1 ... {total}")
        cases.append(Case(what, expected, lambda args=(max_lr, total, pct, div, final): [
            float(one_cycle(*args)(t)) for t in range(1, args[1] + 1)]))
    return cases


def _schedule_free_sequences(steps=30):
    """Schedule-Free AdamW (r = 0, no warm-up) on a ravine: its base sequence z_1 ... z_T and
    its averages x_1 ... x_T, which are then the plain running means of the z's."""
    f, optimizer = functions.ravine(10.0), optlib.ScheduleFreeAdamW(lr=0.1)
    y, state = f.start, optimizer.init(f.start)
    zs, xs = [], []
    for _ in range(steps):
        y, state = optimizer.step(y, f.grad(y), state)
        zs.append(state.z)
        xs.append(state.x)
    return np.array(zs), np.array(xs)


def _lrs_ex_5(running_average) -> list[Case]:
    """The running means of the iterates along axis 0 (the cumulative sum over t), on paths
    of several shapes, and Schedule-Free AdamW's x as the running mean of its z."""
    rng = np.random.default_rng(7)
    cases = []
    for shape in [(6,), (40, 2), (25, 3, 2)]:
        path = rng.normal(size=shape)
        counts = np.arange(1, shape[0] + 1).reshape((-1,) + (1,) * (len(shape) - 1))
        expected = np.cumsum(path, axis=0) / counts
        cases.append(Case(f"running_average(path) for a path of shape {shape}", expected,
                          lambda path=path: np.asarray(running_average(path.copy()))))
    zs, xs = _schedule_free_sequences()
    cases.append(Case("running_average(z_1 ... z_30 of optlib.ScheduleFreeAdamW(lr=0.1) on "
                      "the ravine) = its x_1 ... x_30", xs,
                      lambda: np.asarray(running_average(zs.copy()))))
    return cases


CHECKS: dict[str, Callable[[Any], list[Case]]] = {
    "lrs-ex-1": _lrs_ex_1,
    "lrs-ex-2": _lrs_ex_2,
    "lrs-ex-3": _lrs_ex_3,
    "lrs-ex-4": _lrs_ex_4,
    "lrs-ex-5": _lrs_ex_5,
}
