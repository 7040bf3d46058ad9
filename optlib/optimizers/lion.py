"""Lion: the sign of an interpolated momentum."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .base import Optimizer, as_float_array, check_learning_rate, check_non_negative, check_unit_interval


class LionState(NamedTuple):
    t: int  #: number of steps taken
    m: np.ndarray  #: moving average of the gradients (the momentum)


class Lion(Optimizer):
    r"""Lion (EvoLved Sign Momentum): every parameter moves by exactly :math:`\pm\eta` (or 0).

    .. math::

        c_t &= \beta_1 m_{t-1} + (1 - \beta_1)\, g_t \\
        \theta_t &= \theta_{t-1} - \eta_t \left(\mathrm{sign}(c_t) + \lambda\, \theta_{t-1}\right) \\
        m_t &= \beta_2 m_{t-1} + (1 - \beta_2)\, g_t

    Arguments: ``lr`` is :math:`\eta`, ``beta1`` is :math:`\beta_1` (the interpolation that
    sets the direction), ``beta2`` is :math:`\beta_2` (the momentum that is remembered),
    ``weight_decay`` is :math:`\lambda`. Because every step has the same size, the paper advises a
    learning rate 3-10 times smaller than AdamW's and a weight decay 3-10 times larger.

    Chen, Liang, Huang, Real, Wang, Pham, Dong, Luong, Hsieh, Lu & Le, "Symbolic Discovery of
    Optimization Algorithms", NeurIPS 2023, Program 1, https://arxiv.org/abs/2302.06675.
    Matches ``pytorch_optimizer.Lion(lr, betas=(beta1, beta2), weight_decay)`` (its defaults:
    decoupled decay scaled by the learning rate); torch.optim has no Lion.

    .. note:: Conventions.
        :math:`\mathrm{sign}(0) = 0`, as in NumPy and PyTorch: a parameter whose interpolated
        momentum is exactly zero does not move. The paper, pytorch_optimizer and Keras all decay
        by :math:`\eta\lambda\theta` (decoupled and scaled by the learning rate, as
        :class:`AdamW` in PyTorch); pytorch_optimizer's ``fixed_decay=True`` drops the
        :math:`\eta`. Default learning rates differ: ``1e-4`` here and in pytorch_optimizer,
        ``0.001`` in Keras.
    """

    def __init__(self, lr=1e-4, beta1=0.9, beta2=0.99, weight_decay=0.0):
        self.lr = check_learning_rate(lr)
        self.beta1 = check_unit_interval("beta1", beta1)
        self.beta2 = check_unit_interval("beta2", beta2)
        self.weight_decay = check_non_negative("weight_decay", weight_decay)

    def init(self, params) -> LionState:
        return LionState(t=0, m=np.zeros_like(as_float_array(params)))

    def update(self, theta, g, state, lr):
        c = self.beta1 * state.m + (1 - self.beta1) * g
        theta = theta * (1 - lr * self.weight_decay) - lr * np.sign(c)
        m = self.beta2 * state.m + (1 - self.beta2) * g
        return theta, LionState(state.t + 1, m)
