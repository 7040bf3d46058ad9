"""NAdam: Adam with Nesterov momentum."""

from __future__ import annotations

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


class NAdamState(NamedTuple):
    t: int  #: number of steps taken
    m: np.ndarray  #: moving average of the gradients (first moment)
    v: np.ndarray  #: moving average of the squared gradients (second moment)
    mu_product: float  #: the product mu_1 mu_2 ... mu_t of the momentum schedule


class NAdam(Optimizer):
    r"""NAdam: Adam whose momentum step looks ahead, as Nesterov's does.

    .. math::

        \mu_t &= \beta_1 \left(1 - \tfrac12\, 0.96^{\,t\psi}\right) \\
        m_t &= \beta_1 m_{t-1} + (1 - \beta_1)\, g_t \\
        v_t &= \beta_2 v_{t-1} + (1 - \beta_2)\, g_t^2, \qquad
            \hat v_t = v_t / (1 - \beta_2^t) \\
        \theta_t &= \theta_{t-1} - \eta_t\,
            \frac{\dfrac{1 - \mu_t}{1 - \prod_{i=1}^{t} \mu_i}\, g_t
                  + \dfrac{\mu_{t+1}}{1 - \prod_{i=1}^{t+1} \mu_i}\, m_t}
                 {\sqrt{\hat v_t} + \epsilon}

    Arguments: ``lr`` is :math:`\eta`, ``beta1`` and ``beta2`` are :math:`\beta_1,
    \beta_2`, ``eps`` is :math:`\epsilon`, ``momentum_decay`` is :math:`\psi` (``4e-3``
    is the paper's :math:`1/250`). The state keeps the running product :math:`\prod_{i
    \le t} \mu_i`. The schedule warms the momentum up slowly: :math:`\mu_1 \approx
    \beta_1/2`, and with the default :math:`\psi` it is still about
    :math:`0.57\,\beta_1` after 1000 steps.

    Dozat, "Incorporating Nesterov Momentum into Adam", ICLR 2016 workshop track,
    https://openreview.net/forum?id=OM0jvwB8jIp57ZJjtNEZ. Matches
    ``torch.optim.NAdam(lr, betas=(beta1, beta2), eps, momentum_decay=momentum_decay)``.

    .. note:: Conventions.
        Dozat's Algorithm 2 averages the gradient with the scheduled :math:`\mu_t`,
        :math:`m_t = \mu_t m_{t-1} + (1 - \mu_t) g_t`; PyTorch, Keras and this class
        average with the constant :math:`\beta_1` and use :math:`\mu_t, \mu_{t+1}` only
        in the two coefficients above. PyTorch's schedule is the paper's,
        :math:`0.96^{t/250}`; Keras 3's ``Nadam`` uses :math:`0.96^{t}` (no
        :math:`\psi`), so its momentum reaches :math:`\beta_1` within about a hundred
        steps, and its defaults are ``learning_rate=0.001, epsilon=1e-7`` against
        PyTorch's ``lr=0.002, eps=1e-8``. PyTorch stores :math:`\prod \mu_i` in the
        default float dtype (float32 unless changed), even for float64 parameters; here
        it is a Python float.
    """

    def __init__(self, lr=2e-3, beta1=0.9, beta2=0.999, eps=1e-8, momentum_decay=4e-3):
        self.lr = check_learning_rate(lr)
        self.beta1 = check_unit_interval("beta1", beta1)
        self.beta2 = check_unit_interval("beta2", beta2)
        self.eps = check_positive("eps", eps)
        self.momentum_decay = check_non_negative("momentum_decay", momentum_decay)

    def momentum(self, t: int) -> float:
        """The momentum schedule :math:`\\mu_t = \\beta_1 (1 - 0.5 \\cdot 0.96^{t
        \\psi})`."""
        return self.beta1 * (1.0 - 0.5 * 0.96 ** (t * self.momentum_decay))

    def init(self, params) -> NAdamState:
        zeros = np.zeros_like(as_float_array(params))
        return NAdamState(t=0, m=zeros, v=zeros, mu_product=1.0)

    def update(self, theta, g, state, lr):
        t = state.t + 1
        mu, mu_next = self.momentum(t), self.momentum(t + 1)
        mu_product = state.mu_product * mu
        mu_product_next = mu_product * mu_next
        m = self.beta1 * state.m + (1 - self.beta1) * g
        v = self.beta2 * state.v + (1 - self.beta2) * g**2
        v_hat = v / (1 - self.beta2**t)
        denominator = np.sqrt(v_hat) + self.eps
        theta = (
            theta
            - lr * (1 - mu) / (1 - mu_product) * g / denominator
            - lr * mu_next / (1 - mu_product_next) * m / denominator
        )
        return theta, NAdamState(t, m, v, mu_product)
