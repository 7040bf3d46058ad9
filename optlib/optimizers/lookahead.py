"""Lookahead, which wraps any optimizer, and Ranger, which is Lookahead around RAdam."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .base import Optimizer, as_float_array, check_fraction, check_positive_integer
from .radam import RAdam


class LookaheadState(NamedTuple):
    t: int  #: number of (fast) steps taken
    slow: np.ndarray  #: the slow weights, phi
    inner: NamedTuple  #: the state of the wrapped (fast) optimizer


class Lookahead(Optimizer):
    r"""Lookahead: let an inner optimizer run ``k`` steps, then pull back towards where it started.

    The inner optimizer moves the fast weights :math:`\theta` every step. Every :math:`k`-th step
    the slow weights :math:`\phi` (starting at :math:`\phi_0 = \theta_0`) move a fraction
    :math:`\alpha` of the way to the fast ones, and the fast weights restart from there:

    .. math::

        \theta_t &= \mathrm{inner}(\theta_{t-1}, g_t) \\
        \text{if } t \bmod k = 0:\quad
            \phi &\leftarrow \alpha\, \theta_t + (1 - \alpha)\, \phi, \qquad \theta_t \leftarrow \phi

    Arguments: ``inner`` is any :class:`Optimizer` (its learning rate, schedule and state are its
    own), ``k`` the number of fast steps per slow step, ``alpha`` is :math:`\alpha \in (0, 1]`.
    ``alpha = 1`` makes Lookahead exactly its inner optimizer (for any ``k``);
    ``alpha = 0`` would never move and is refused. The returned parameters are the fast weights
    (equal to the slow ones right after a synchronisation).

    Zhang, Lucas, Hinton & Ba, "Lookahead Optimizer: k steps forward, 1 step back",
    NeurIPS 2019, Algorithm 1, https://arxiv.org/abs/1907.08610.
    Matches ``pytorch_optimizer.Lookahead(inner, k=k, alpha=alpha)`` (``pullback_momentum='none'``).

    .. note:: Conventions.
        Like the paper and pytorch_optimizer, the slow weights start at the initial parameters,
        the synchronisations happen after steps :math:`k, 2k, \dots`, and the inner optimizer's
        state (its momentum, its step count for bias corrections and schedules) carries on
        across them unchanged. pytorch_optimizer can instead reset or interpolate the inner
        momentum (``pullback_momentum``) and accepts :math:`\alpha \in [0, 1)`; here
        :math:`\alpha \in (0, 1]`.
    """

    def __init__(self, inner, k=5, alpha=0.5):
        if not isinstance(inner, Optimizer):
            raise TypeError(f"Invalid inner optimizer: {inner!r} (expected an optlib Optimizer)")
        self.inner = inner
        self.k = check_positive_integer("k", k)
        self.alpha = check_fraction("alpha", alpha)

    @property
    def lr(self):
        """The inner optimizer's learning rate (a number or a schedule)."""
        return self.inner.lr

    def init(self, params) -> LookaheadState:
        slow = as_float_array(params).copy()  # a copy: the caller may later change params in place
        return LookaheadState(t=0, slow=slow, inner=self.inner.init(params))

    def step(self, params, grad, state):
        """One fast step of the inner optimizer, and every ``k``-th step a slow one."""
        fast, inner = self.inner.step(params, grad, state.inner)
        t = state.t + 1
        if t % self.k != 0:
            return fast, LookaheadState(t, state.slow, inner)
        slow = self.alpha * fast + (1 - self.alpha) * state.slow
        return slow.copy(), LookaheadState(t, slow, inner)  # the fast weights restart from slow


class Ranger(Lookahead):
    r"""Ranger: :class:`Lookahead` wrapped around :class:`RAdam`, with Ranger's defaults.

    ``Ranger(lr, beta1, beta2, eps, k, alpha)`` is ``Lookahead(RAdam(lr, beta1, beta2, eps), k,
    alpha)``; see those two classes for the formulas.

    Wright, "Ranger: a synergistic optimizer combining RAdam and LookAhead", 2019,
    https://github.com/lessw2020/Ranger-Deep-Learning-Optimizer (defaults ``lr=1e-3``,
    ``betas=(0.95, 0.999)``, ``eps=1e-5``, ``k=6``, ``alpha=0.5``).
    Matches ``pytorch_optimizer.Lookahead(torch.optim.RAdam(lr, betas, eps), k, alpha)``.

    .. note:: Conventions.
        Wright's code re-implements RAdam inside Lookahead with the same switch
        (:math:`\rho_t > 5`) and :math:`\epsilon` placement as ``torch.optim.RAdam``; since
        April 2020 it also centres the gradient of every parameter with more than one dimension
        (gradient centralisation, ``use_gc=True``), which this class does not do (the book's
        parameters are vectors, where it does not apply). ``pytorch_optimizer.Ranger`` is a
        different implementation: it switches at :math:`\rho_t \ge 5` and by default makes *no*
        update before the switch (``degenerated_to_sgd=False``), where RAdam makes SGD steps.
    """

    def __init__(self, lr=1e-3, beta1=0.95, beta2=0.999, eps=1e-5, k=6, alpha=0.5):
        super().__init__(RAdam(lr=lr, beta1=beta1, beta2=beta2, eps=eps), k=k, alpha=alpha)

    beta1 = property(lambda self: self.inner.beta1, doc="RAdam's beta1.")
    beta2 = property(lambda self: self.inner.beta2, doc="RAdam's beta2.")
    eps = property(lambda self: self.inner.eps, doc="RAdam's eps.")
