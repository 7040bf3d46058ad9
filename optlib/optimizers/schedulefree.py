"""Schedule-Free AdamW: no schedule, an average of the iterates instead."""

from __future__ import annotations

from numbers import Integral
from typing import NamedTuple

import numpy as np

from .base import (
    Optimizer,
    as_float_array,
    check_learning_rate,
    check_non_negative,
    check_positive,
    check_unit_interval,
)


class ScheduleFreeAdamWState(NamedTuple):
    t: int  #: number of steps taken
    z: np.ndarray  #: the base sequence, which takes the (normalised) gradient steps
    x: np.ndarray  #: the weighted average of z: the point to evaluate and to keep
    v: np.ndarray  #: moving average of the squared gradients, as in Adam
    lr_max: float  #: the largest learning rate so far (it weights the average)
    weight_sum: float  #: the sum of the averaging weights w_1 + ... + w_t


class ScheduleFreeAdamW(Optimizer):
    r"""Schedule-Free AdamW: gradients at :math:`y`, steps on :math:`z`, the average
    :math:`x` to evaluate.

    .. math::

        \eta_t &= \eta \min(1, t / T_w), \qquad
        v_t = \beta_2 v_{t-1} + (1 - \beta_2)\, g_t^2 \\
        u_t &= \frac{g_t}{\sqrt{v_t / (1 - \beta_2^t)} + \epsilon}
               + \lambda\, y_{t-1} \\
        w_t &= t^r \,(\max_{s \le t} \eta_s)^{p}, \qquad
        c_t = w_t / \textstyle\sum_{s \le t} w_s \\
        z_t &= z_{t-1} - \eta_t u_t, \qquad
        x_t = (1 - c_t)\, x_{t-1} + c_t z_t, \qquad
        y_t = (1 - \beta_1)\, z_t + \beta_1 x_t

    with :math:`z_0 = x_0 = y_0 = \theta_0` and :math:`g_t = \nabla J(y_{t-1})`.
    ``step`` takes and returns :math:`y`, the point where the next gradient is taken;
    ``state.x`` is the point to evaluate and to keep (:meth:`evaluation_point`). With
    ``r = 0`` and no warm-up :math:`c_t = 1/t`: :math:`x_t` is the plain average of
    :math:`z_1, \dots, z_t` (Polyak–Ruppert averaging), which does the work of a
    decaying schedule.

    Arguments: ``lr`` is :math:`\eta` (a number: the method has no schedule; its
    warm-up is ``warmup_steps`` :math:`T_w`), ``beta1`` :math:`\beta_1` (the
    interpolation between :math:`z` and :math:`x`, the method's momentum), ``beta2``
    :math:`\beta_2`, ``eps`` :math:`\epsilon`, ``weight_decay`` :math:`\lambda`,
    ``r`` and ``weight_lr_power`` :math:`p` the averaging weights.

    Defazio, Yang, Mehta, Mishchenko, Khaled & Cutkosky, "The Road Less Scheduled",
    NeurIPS 2024, https://arxiv.org/abs/2405.15682. Matches
    ``schedulefree.AdamWScheduleFree`` (1.4.1, same defaults; ``betas=(beta1,
    beta2)``), whose parameters hold :math:`y` in train mode and :math:`x` after
    ``optimizer.eval()``.

    .. note:: Conventions.
        The package stores :math:`y` and :math:`z` and recovers :math:`x` in eval mode
        as :math:`y + (1 - 1/\beta_1)(z - y)`, which needs :math:`\beta_1 > 0`; here
        :math:`x` is kept, so :math:`\beta_1 = 0` (gradients taken at :math:`z`
        itself) is allowed. Its weight decay is added to the normalised gradient at
        :math:`y`, after the division by the root, as here. It counts steps ``k`` from
        0: its warm-up factor ``(k + 1) / warmup_steps`` is :math:`t / T_w` here.
    """

    def __init__(self, lr=0.0025, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.0,
                 warmup_steps=0, r=0.0, weight_lr_power=2.0):
        if callable(lr):
            raise TypeError(f"Invalid learning rate: {lr!r} (ScheduleFreeAdamW takes a "
                            "number; its warm-up is warmup_steps, and its averaging "
                            "replaces a decay)")
        self.lr = check_learning_rate(lr)
        self.beta1 = check_unit_interval("beta1", beta1)
        self.beta2 = check_unit_interval("beta2", beta2)
        self.eps = check_positive("eps", eps)
        self.weight_decay = check_non_negative("weight_decay", weight_decay)
        if (isinstance(warmup_steps, bool) or not isinstance(warmup_steps, Integral)
                or warmup_steps < 0):
            raise ValueError(f"Invalid warmup_steps value: {warmup_steps!r} "
                             "(expected an integer >= 0)")
        self.warmup_steps = int(warmup_steps)
        self.r = check_non_negative("r", r)
        self.weight_lr_power = check_non_negative("weight_lr_power", weight_lr_power)

    def init(self, params) -> ScheduleFreeAdamWState:
        theta = as_float_array(params)
        return ScheduleFreeAdamWState(t=0, z=theta.copy(), x=theta.copy(),
                                      v=np.zeros_like(theta), lr_max=-1.0,
                                      weight_sum=0.0)

    def learning_rate(self, t: int) -> float:
        """:math:`\\eta_t`: ``lr``, times ``t / warmup_steps`` during the warm-up."""
        if t < self.warmup_steps:
            return self.lr * t / self.warmup_steps
        return self.lr

    def evaluation_point(self, params, state):
        """:math:`x_t`, the average: where to measure the loss, and what to keep."""
        return state.x

    def update(self, y, g, state, lr):
        t = state.t + 1
        v = self.beta2 * state.v + (1 - self.beta2) * g**2
        u = g / (np.sqrt(v / (1 - self.beta2**t)) + self.eps) + self.weight_decay * y
        lr_max = max(state.lr_max, lr)
        weight = t**self.r * lr_max**self.weight_lr_power
        weight_sum = state.weight_sum + weight
        c = weight / weight_sum if weight_sum > 0 else 0.0
        z = state.z - lr * u
        x = (1 - c) * state.x + c * z
        y = (1 - self.beta1) * z + self.beta1 * x
        return y, ScheduleFreeAdamWState(t, z, x, v, lr_max, weight_sum)
