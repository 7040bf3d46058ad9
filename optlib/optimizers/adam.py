"""Adam and its family."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .base import Optimizer, as_float_array, check_learning_rate, check_positive, check_unit_interval


class AdamState(NamedTuple):
    t: int  #: number of steps taken
    m: np.ndarray  #: moving average of the gradients (first moment)
    v: np.ndarray  #: moving average of the squared gradients (second moment)


class Adam(Optimizer):
    r"""Adam: momentum on the gradient, scaled per parameter by the root of its mean square.

    .. math::

        m_t &= \beta_1 m_{t-1} + (1 - \beta_1)\, g_t \\
        v_t &= \beta_2 v_{t-1} + (1 - \beta_2)\, g_t^2 \\
        \hat m_t &= m_t / (1 - \beta_1^t), \qquad \hat v_t = v_t / (1 - \beta_2^t) \\
        \theta_t &= \theta_{t-1} - \eta_t\, \hat m_t / (\sqrt{\hat v_t} + \epsilon)

    Arguments: ``lr`` is :math:`\eta`, ``beta1`` and ``beta2`` are :math:`\beta_1, \beta_2`,
    ``eps`` is :math:`\epsilon`. Defaults are the paper's.

    Kingma & Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015, Algorithm 1.
    Matches ``torch.optim.Adam(lr, betas=(beta1, beta2), eps)``.
    """

    def __init__(self, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
        self.lr = check_learning_rate(lr)
        self.beta1 = check_unit_interval("beta1", beta1)
        self.beta2 = check_unit_interval("beta2", beta2)
        self.eps = check_positive("eps", eps)

    def init(self, params) -> AdamState:
        zeros = np.zeros_like(as_float_array(params))
        return AdamState(t=0, m=zeros, v=zeros)

    def update(self, theta, g, state, lr):
        t = state.t + 1
        m = self.beta1 * state.m + (1 - self.beta1) * g
        v = self.beta2 * state.v + (1 - self.beta2) * g**2
        m_hat = m / (1 - self.beta1**t)
        v_hat = v / (1 - self.beta2**t)
        theta = theta - lr * m_hat / (np.sqrt(v_hat) + self.eps)
        return theta, AdamState(t, m, v)
