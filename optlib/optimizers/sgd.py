"""Plain gradient descent."""

from __future__ import annotations

from typing import NamedTuple

from .base import Optimizer, check_learning_rate


class SGDState(NamedTuple):
    t: int  #: number of steps taken


class SGD(Optimizer):
    r"""Gradient descent: step against the gradient.

    .. math::

        \theta_t = \theta_{t-1} - \eta_t \, g_t, \qquad g_t = \nabla J(\theta_{t-1})

    Arguments: ``lr`` is :math:`\eta` (a number or a schedule ``t -> eta_t``).

    Matches ``torch.optim.SGD(lr=lr)``. Whether it is *batch*, *stochastic* or *mini-batch*
    gradient descent depends only on which gradient the caller passes in.
    """

    def __init__(self, lr=0.01):
        self.lr = check_learning_rate(lr)

    def init(self, params) -> SGDState:
        return SGDState(t=0)

    def update(self, theta, g, state, lr):
        return theta - lr * g, SGDState(t=state.t + 1)
