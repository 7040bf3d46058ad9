r"""Learning-rate schedules: the learning rate as a function of the step number.

Any optimizer's ``lr`` may be a schedule, a callable ``t -> eta_t``. The step number ``t`` is
**1-based**: ``t = 1`` is the first update, so ``schedule(1)`` is the learning rate of the first
step. The optimizer asks for ``eta_t`` itself (``Optimizer.learning_rate(t)``) and rejects a
negative or non-finite value.

Mapping to ``torch.optim.lr_scheduler``: a torch scheduler counts epochs from 0 and is stepped
*after* each ``optimizer.step()``, so its counter during update ``t`` is ``t - 1``:

====================================  ===========================================================
optlib                                torch
====================================  ===========================================================
``constant(lr)``                      no scheduler (``lr=lr``)
``step_decay(lr, drop_every, f)``     ``StepLR(step_size=drop_every, gamma=f)``
``exponential(lr, gamma)``            ``ExponentialLR(gamma=gamma)``
``cosine(lr, total_steps, min_lr)``   ``CosineAnnealingLR(T_max=total_steps, eta_min=min_lr)``
                                      (for ``t <= total_steps + 1``; torch's then rises again)
``linear_decay(lr, T, min_lr)``       ``LinearLR(start_factor=1, end_factor=min_lr/lr, total_iters=T)``
``inverse_time(lr, s, p)``            ``LambdaLR(lambda e: (1 + e / s) ** -p)``
``linear_warmup(lr, w)``              ``LinearLR(start_factor=1/w, total_iters=w-1)``, or
                                      ``LambdaLR(lambda e: min((e + 1) / w, 1))``
``linear_warmup(lr, w, after)``       ``LambdaLR`` with ``e < w`` the warm-up and ``after(e - w + 1)``
any schedule ``s``                    ``LambdaLR(opt(lr=1.0), lambda e: s(e + 1))``
====================================  ===========================================================

Each schedule is a small frozen dataclass: it validates its arguments once, prints as what it
is, and computes ``eta_t`` with a single formula when called. A learning-rate schedule changes
one global :math:`\eta` with time; it is not an adaptive, per-parameter learning rate (that is
what AdaGrad, RMSprop and Adam do, from the gradients).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from .optimizers.base import (check_fraction, check_learning_rate, check_non_negative, check_positive,
                              check_positive_integer)

__all__ = [
    "Constant",
    "StepDecay",
    "Exponential",
    "Cosine",
    "LinearDecay",
    "InverseTime",
    "LinearWarmup",
    "constant",
    "step_decay",
    "exponential",
    "cosine",
    "linear_decay",
    "inverse_time",
    "linear_warmup",
]


def _check_rate(lr) -> float:
    """A schedule's learning rate: a finite number >= 0 (not itself a schedule)."""
    if callable(lr):
        raise TypeError(f"Invalid learning rate: {lr!r} (a schedule needs a number here)")
    return check_learning_rate(lr)


def _check_decay_from_lr_to_min_lr(schedule) -> None:
    """Validate and store ``lr``, ``total_steps`` and ``min_lr <= lr`` of a decaying schedule."""
    object.__setattr__(schedule, "lr", _check_rate(schedule.lr))
    object.__setattr__(schedule, "total_steps",
                       check_positive_integer("total_steps", schedule.total_steps))
    min_lr = check_non_negative("min_lr", schedule.min_lr)
    if min_lr > schedule.lr:
        raise ValueError(f"Invalid min_lr value: {schedule.min_lr} (must be <= lr = {schedule.lr})")
    object.__setattr__(schedule, "min_lr", min_lr)


@dataclass(frozen=True)
class Constant:
    r"""The same rate at every step: :math:`\eta_t = \eta`."""

    lr: float

    def __post_init__(self):
        object.__setattr__(self, "lr", _check_rate(self.lr))

    def __call__(self, t: int) -> float:
        return self.lr


@dataclass(frozen=True)
class StepDecay:
    r"""Multiply the rate by ``factor`` every ``drop_every`` steps.

    .. math:: \eta_t = \eta \cdot f^{\lfloor (t - 1) / d \rfloor}

    with :math:`d` = ``drop_every`` and :math:`f` = ``factor`` in :math:`(0, 1]`: steps
    :math:`1..d` use :math:`\eta`, steps :math:`d+1..2d` use :math:`f\eta`, and so on.
    Equals ``torch.optim.lr_scheduler.StepLR(step_size=d, gamma=f)``.
    """

    lr: float
    drop_every: int
    factor: float

    def __post_init__(self):
        object.__setattr__(self, "lr", _check_rate(self.lr))
        object.__setattr__(self, "drop_every", check_positive_integer("drop_every", self.drop_every))
        object.__setattr__(self, "factor", check_fraction("factor", self.factor))

    def __call__(self, t: int) -> float:
        return self.lr * self.factor ** ((t - 1) // self.drop_every)


@dataclass(frozen=True)
class Exponential:
    r"""Multiply the rate by ``gamma`` after every step.

    .. math:: \eta_t = \eta\, \gamma^{\,t - 1}, \qquad 0 < \gamma \le 1

    Equals ``torch.optim.lr_scheduler.ExponentialLR(gamma=gamma)``.
    """

    lr: float
    gamma: float

    def __post_init__(self):
        object.__setattr__(self, "lr", _check_rate(self.lr))
        object.__setattr__(self, "gamma", check_fraction("gamma", self.gamma))

    def __call__(self, t: int) -> float:
        return self.lr * self.gamma ** (t - 1)


@dataclass(frozen=True)
class Cosine:
    r"""Half a cosine from ``lr`` down to ``min_lr`` over ``total_steps`` steps, then ``min_lr``.

    .. math::

        \eta_t = \eta_{\min} + \tfrac12 (\eta - \eta_{\min})
                 \left(1 + \cos\frac{\pi \min(t - 1, T)}{T}\right)

    with :math:`T` = ``total_steps``. The first step uses :math:`\eta`; step :math:`T + 1`
    and every later one use :math:`\eta_{\min}`. Equals
    ``torch.optim.lr_scheduler.CosineAnnealingLR(T_max=T, eta_min=min_lr)`` up to step
    :math:`T + 1`; after that torch's cosine rises again (it is periodic), this one stays at
    :math:`\eta_{\min}`. Loshchilov & Hutter, "SGDR: Stochastic Gradient Descent with Warm
    Restarts", ICLR 2017, https://arxiv.org/abs/1608.03983 (one period, no restart).
    """

    lr: float
    total_steps: int
    min_lr: float = 0.0

    def __post_init__(self):
        _check_decay_from_lr_to_min_lr(self)

    def __call__(self, t: int) -> float:
        progress = min(t - 1, self.total_steps) / self.total_steps
        return self.min_lr + 0.5 * (self.lr - self.min_lr) * (1 + math.cos(math.pi * progress))


@dataclass(frozen=True)
class LinearDecay:
    r"""A straight line from ``lr`` down to ``min_lr`` over ``total_steps`` steps, then ``min_lr``.

    .. math::

        \eta_t = \eta + (\eta_{\min} - \eta)\, \frac{\min(t - 1, T)}{T}

    with :math:`T` = ``total_steps``: step 1 uses :math:`\eta`, step :math:`T + 1` and every
    later one :math:`\eta_{\min}`. Equals ``torch.optim.lr_scheduler.LinearLR(start_factor=1,
    end_factor=min_lr / lr, total_iters=T)``. After a warm-up it is the "warm-up + linear decay"
    (trapezoid without a plateau) of large training runs.
    """

    lr: float
    total_steps: int
    min_lr: float = 0.0

    def __post_init__(self):
        _check_decay_from_lr_to_min_lr(self)

    def __call__(self, t: int) -> float:
        return self.lr + (self.min_lr - self.lr) * min(t - 1, self.total_steps) / self.total_steps


@dataclass(frozen=True)
class InverseTime:
    r"""Decay as a power of the step: :math:`1/t` (``power=1``) or :math:`1/\sqrt t` (``power=0.5``).

    .. math:: \eta_t = \frac{\eta}{\left(1 + (t - 1) / s\right)^{p}}

    with :math:`s` = ``decay_steps`` (the rate is halved, for :math:`p = 1`, after :math:`s`
    steps) and :math:`p` = ``power`` in :math:`(0, 1]`. With :math:`p = 1` the rates satisfy
    the Robbins–Monro conditions :math:`\sum_t \eta_t = \infty`,
    :math:`\sum_t \eta_t^2 < \infty`; with :math:`p = 1/2` only the first (the rate of online
    convex optimisation). torch has no such scheduler: ``LambdaLR(lambda e: (1 + e / s) ** -p)``.
    """

    lr: float
    decay_steps: float = 1.0
    power: float = 1.0

    def __post_init__(self):
        object.__setattr__(self, "lr", _check_rate(self.lr))
        object.__setattr__(self, "decay_steps", check_positive("decay_steps", self.decay_steps))
        object.__setattr__(self, "power", check_fraction("power", self.power))

    def __call__(self, t: int) -> float:
        return self.lr / (1 + (t - 1) / self.decay_steps) ** self.power


@dataclass(frozen=True)
class LinearWarmup:
    r"""Grow the rate linearly to ``lr`` over ``warmup_steps`` steps, then follow ``after``.

    .. math::

        \eta_t = \begin{cases}
            \eta\, t / w & t \le w \\
            \mathrm{after}(t - w) & t > w \quad (\eta \text{ if } \mathrm{after} \text{ is None})
        \end{cases}

    with :math:`w` = ``warmup_steps``. The first step uses :math:`\eta / w` (not 0), step
    :math:`w` uses :math:`\eta`. ``after`` is any schedule; it is called with its own step
    number, restarting at 1 on the first step after the warm-up (as ``SequentialLR`` does in
    torch), so ``linear_warmup(lr, w, cosine(lr, T))`` warms up for :math:`w` steps and then
    decays over the next :math:`T`.
    """

    lr: float
    warmup_steps: int
    after: Callable[[int], float] | None = None

    def __post_init__(self):
        object.__setattr__(self, "lr", _check_rate(self.lr))
        object.__setattr__(self, "warmup_steps", check_positive_integer("warmup_steps", self.warmup_steps))
        if self.after is not None and not callable(self.after):
            raise TypeError(f"Invalid after: {self.after!r} (expected a schedule, a callable of t, or None)")

    def __call__(self, t: int) -> float:
        if t <= self.warmup_steps:
            return self.lr * t / self.warmup_steps
        if self.after is None:
            return self.lr
        return self.after(t - self.warmup_steps)


def constant(lr: float) -> Constant:
    r""":math:`\eta_t = \eta`. See :class:`Constant`."""
    return Constant(lr)


def step_decay(lr: float, drop_every: int, factor: float) -> StepDecay:
    r""":math:`\eta_t = \eta f^{\lfloor (t-1)/d \rfloor}`. See :class:`StepDecay`."""
    return StepDecay(lr, drop_every, factor)


def exponential(lr: float, gamma: float) -> Exponential:
    r""":math:`\eta_t = \eta \gamma^{t-1}`. See :class:`Exponential`."""
    return Exponential(lr, gamma)


def cosine(lr: float, total_steps: int, min_lr: float = 0.0) -> Cosine:
    r""":math:`\eta_t = \eta_{\min} + \frac12(\eta - \eta_{\min})(1 + \cos(\pi \min(t-1, T)/T))`.
    See :class:`Cosine`."""
    return Cosine(lr, total_steps, min_lr)


def linear_decay(lr: float, total_steps: int, min_lr: float = 0.0) -> LinearDecay:
    r""":math:`\eta_t = \eta + (\eta_{\min} - \eta) \min(t-1, T)/T`. See :class:`LinearDecay`."""
    return LinearDecay(lr, total_steps, min_lr)


def inverse_time(lr: float, decay_steps: float = 1.0, power: float = 1.0) -> InverseTime:
    r""":math:`\eta_t = \eta / (1 + (t-1)/s)^p`. See :class:`InverseTime`."""
    return InverseTime(lr, decay_steps, power)


def linear_warmup(lr: float, warmup_steps: int, after: Callable[[int], float] | None = None) -> LinearWarmup:
    r""":math:`\eta_t = \eta t / w` for :math:`t \le w`, then ``after(t - w)`` (or :math:`\eta`).
    See :class:`LinearWarmup`."""
    return LinearWarmup(lr, warmup_steps, after)
