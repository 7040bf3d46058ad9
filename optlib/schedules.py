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

from .optimizers.base import check_fraction, check_learning_rate, check_non_negative, check_positive_integer

__all__ = [
    "Constant",
    "StepDecay",
    "Exponential",
    "Cosine",
    "LinearWarmup",
    "constant",
    "step_decay",
    "exponential",
    "cosine",
    "linear_warmup",
]


def _check_rate(lr) -> float:
    """A schedule's learning rate: a finite number >= 0 (not itself a schedule)."""
    if callable(lr):
        raise TypeError(f"Invalid learning rate: {lr!r} (a schedule needs a number here)")
    return check_learning_rate(lr)


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
        object.__setattr__(self, "lr", _check_rate(self.lr))
        object.__setattr__(self, "total_steps", check_positive_integer("total_steps", self.total_steps))
        min_lr = check_non_negative("min_lr", self.min_lr)
        if min_lr > self.lr:
            raise ValueError(f"Invalid min_lr value: {self.min_lr} (must be <= lr = {self.lr})")
        object.__setattr__(self, "min_lr", min_lr)

    def __call__(self, t: int) -> float:
        progress = min(t - 1, self.total_steps) / self.total_steps
        return self.min_lr + 0.5 * (self.lr - self.min_lr) * (1 + math.cos(math.pi * progress))


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


def linear_warmup(lr: float, warmup_steps: int, after: Callable[[int], float] | None = None) -> LinearWarmup:
    r""":math:`\eta_t = \eta t / w` for :math:`t \le w`, then ``after(t - w)`` (or :math:`\eta`).
    See :class:`LinearWarmup`."""
    return LinearWarmup(lr, warmup_steps, after)
