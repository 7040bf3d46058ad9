"""Adam and the variants that change one of its parts: AMSGrad, AdamW, AdaMax."""

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


class AdamState(NamedTuple):
    t: int  #: number of steps taken
    m: np.ndarray  #: moving average of the gradients (first moment)
    v: np.ndarray  #: moving average of the squared gradients (second moment)


class Adam(Optimizer):
    r"""Adam: momentum, scaled per parameter by the root of the mean squared gradient.

    .. math::

        m_t &= \beta_1 m_{t-1} + (1 - \beta_1)\, g_t \\
        v_t &= \beta_2 v_{t-1} + (1 - \beta_2)\, g_t^2 \\
        \hat m_t &= m_t / (1 - \beta_1^t), \qquad \hat v_t = v_t / (1 - \beta_2^t) \\
        \theta_t &= \theta_{t-1} - \eta_t\, \hat m_t / (\sqrt{\hat v_t} + \epsilon)

    Arguments: ``lr`` is :math:`\eta`, ``beta1`` and ``beta2`` are :math:`\beta_1,
    \beta_2`, ``eps`` is :math:`\epsilon`. Defaults are the paper's.

    Kingma & Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015, Algorithm 1,
    https://arxiv.org/abs/1412.6980. Matches ``torch.optim.Adam(lr, betas=(beta1,
    beta2), eps)``.

    .. note:: Conventions.
        PyTorch adds :math:`\epsilon` to :math:`\sqrt{\hat v_t}`, after the bias
        correction, as Algorithm 1 does and as here. Keras uses the paper's "more
        efficient" reordering (just before its Section 2.1), :math:`\theta_t =
        \theta_{t-1} - \eta \frac{\sqrt{1-\beta_2^t}}{1-\beta_1^t} \frac{m_t}{\sqrt{v_t}
        + \hat\epsilon}`, which adds :math:`\hat\epsilon` *before* the correction; that
        equals :math:`\epsilon = \hat\epsilon / \sqrt{1-\beta_2^t}`, a larger
        :math:`\epsilon` in the first steps (about 30 times at :math:`t = 1` with
        :math:`\beta_2 = 0.999`). Keras's default is :math:`\hat\epsilon = 10^{-7}`.
        ``torch.optim.Adam(weight_decay=lambda)`` adds :math:`\lambda\theta` to the
        gradient (L2 regularisation, rescaled by :math:`\sqrt{\hat v}` like the rest):
        that is not :class:`AdamW`.
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
        # m_hat = m / (1 - beta1^t), folded into the step size: one pass less over m.
        step_size = lr / (1 - self.beta1**t)
        v_hat = v / (1 - self.beta2**t)
        theta = theta - step_size * m / (np.sqrt(v_hat) + self.eps)
        return theta, AdamState(t, m, v)


class AMSGradState(NamedTuple):
    t: int  #: number of steps taken
    m: np.ndarray  #: moving average of the gradients (first moment)
    v: np.ndarray  #: moving average of the squared gradients (second moment)
    v_max: np.ndarray  #: the largest second moment seen so far, elementwise


class AMSGrad(Adam):
    r"""AMSGrad: Adam whose denominator never shrinks.

    .. math::

        m_t &= \beta_1 m_{t-1} + (1 - \beta_1)\, g_t \\
        v_t &= \beta_2 v_{t-1} + (1 - \beta_2)\, g_t^2 \\
        v^{\max}_t &= \max(v^{\max}_{t-1}, v_t) \\
        \theta_t &= \theta_{t-1} - \eta_t\, \frac{m_t / (1 - \beta_1^t)}
                    {\sqrt{v^{\max}_t / (1 - \beta_2^t)} + \epsilon}

    Arguments: ``lr`` is :math:`\eta`, ``beta1`` and ``beta2`` are :math:`\beta_1,
    \beta_2`, ``eps`` is :math:`\epsilon`; hyperparameters and defaults are
    :class:`Adam`'s, the state adds the running maximum ``v_max``.

    Reddi, Kale & Kumar, "On the Convergence of Adam and Beyond", ICLR 2018,
    https://openreview.net/forum?id=ryQu7f-RZ (arXiv:1904.09237).
    Matches ``torch.optim.Adam(lr, betas=(beta1, beta2), eps, amsgrad=True)``.

    .. note:: Conventions.
        The paper's Algorithm 2 has no bias correction and no :math:`\epsilon`:
        :math:`\hat v_t = \max(\hat v_{t-1}, v_t)`, :math:`\theta_t = \theta_{t-1} -
        \alpha_t m_t / \sqrt{\hat v_t}`, with :math:`\alpha_t = \alpha/\sqrt t` and a
        decaying :math:`\beta_{1t}` in its analysis. PyTorch (and this class) keep
        Adam's bias corrections: the maximum is taken over the *uncorrected*
        :math:`v_t`, and the maximum is then divided by the *current* :math:`1 -
        \beta_2^t`. Keras does the same with its Adam :math:`\hat\epsilon` placement
        (see :class:`Adam`).
    """

    def init(self, params) -> AMSGradState:
        zeros = np.zeros_like(as_float_array(params))
        return AMSGradState(t=0, m=zeros, v=zeros, v_max=zeros)

    def update(self, theta, g, state, lr):
        t = state.t + 1
        m = self.beta1 * state.m + (1 - self.beta1) * g
        v = self.beta2 * state.v + (1 - self.beta2) * g**2
        v_max = np.maximum(state.v_max, v)
        m_hat = m / (1 - self.beta1**t)
        v_hat = v_max / (1 - self.beta2**t)
        theta = theta - lr * m_hat / (np.sqrt(v_hat) + self.eps)
        return theta, AMSGradState(t, m, v, v_max)


class AdamW(Adam):
    r"""AdamW: Adam with weight decay on the parameters, not through the gradient.

    .. math::

        m_t &= \beta_1 m_{t-1} + (1 - \beta_1)\, g_t \\
        v_t &= \beta_2 v_{t-1} + (1 - \beta_2)\, g_t^2 \\
        \hat m_t &= m_t / (1 - \beta_1^t), \qquad \hat v_t = v_t / (1 - \beta_2^t) \\
        \theta_t &= \theta_{t-1} - \eta_t \lambda\, \theta_{t-1}
                    - \eta_t\, \hat m_t / (\sqrt{\hat v_t} + \epsilon)

    Arguments: ``lr`` is :math:`\eta`, ``beta1``, ``beta2``, ``eps`` as :class:`Adam`,
    ``weight_decay`` is :math:`\lambda` (PyTorch's default ``0.01``). The decay shrinks
    every parameter by the same factor :math:`1 - \eta_t\lambda`, whatever its gradient
    history.

    Loshchilov & Hutter, "Decoupled Weight Decay Regularization", ICLR 2019, Algorithm
    2, https://arxiv.org/abs/1711.05101. Matches ``torch.optim.AdamW(lr, betas=(beta1,
    beta2), eps, weight_decay)``.

    .. note:: Conventions.
        The paper separates the base rate :math:`\alpha` from a schedule multiplier
        :math:`\eta_t` and decays by :math:`\eta_t \lambda\, \theta` (not
        :math:`\alpha\eta_t\lambda\,\theta`), so its :math:`\lambda` is independent of
        :math:`\alpha`. PyTorch, Keras and this class decay by ``lr * weight_decay *
        theta``: changing the learning rate also changes the effective decay, and a
        :math:`\lambda` from the paper must be divided by :math:`\alpha` to be used
        here. Defaults also differ: PyTorch ``weight_decay=0.01``, Keras ``0.004`` (and
        Keras's Adam :math:`\hat\epsilon = 10^{-7}`, see :class:`Adam`).
        ``torch.optim.Adam(weight_decay=...)`` is L2 regularisation, not this.
    """

    def __init__(self, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.01):
        super().__init__(lr=lr, beta1=beta1, beta2=beta2, eps=eps)
        self.weight_decay = check_non_negative("weight_decay", weight_decay)

    def update(self, theta, g, state, lr):
        t = state.t + 1
        m = self.beta1 * state.m + (1 - self.beta1) * g
        v = self.beta2 * state.v + (1 - self.beta2) * g**2
        m_hat = m / (1 - self.beta1**t)
        v_hat = v / (1 - self.beta2**t)
        decayed = theta * (1 - lr * self.weight_decay)
        theta = decayed - lr * m_hat / (np.sqrt(v_hat) + self.eps)
        return theta, AdamState(t, m, v)


class AdaMaxState(NamedTuple):
    t: int  #: number of steps taken
    m: np.ndarray  #: moving average of the gradients (first moment)
    u: np.ndarray  #: exponentially weighted infinity norm of the gradients


class AdaMax(Optimizer):
    r"""AdaMax: Adam with the root mean square replaced by a decaying maximum of
    :math:`|g|`.

    .. math::

        m_t &= \beta_1 m_{t-1} + (1 - \beta_1)\, g_t \\
        u_t &= \max(\beta_2\, u_{t-1},\ |g_t| + \epsilon), \qquad u_0 = 0 \\
        \theta_t &= \theta_{t-1} - \frac{\eta_t}{1 - \beta_1^t}\, \frac{m_t}{u_t}

    Arguments: ``lr`` is :math:`\eta` (the paper's default ``0.002``), ``beta1``,
    ``beta2`` are :math:`\beta_1, \beta_2`, ``eps`` is :math:`\epsilon`. :math:`u_t`
    needs no bias correction.

    Kingma & Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015, Section 7.1
    and Algorithm 2, https://arxiv.org/abs/1412.6980. Matches ``torch.optim.Adamax(lr,
    betas=(beta1, beta2), eps)``.

    .. note:: Conventions.
        The paper has no :math:`\epsilon`: :math:`u_t = \max(\beta_2 u_{t-1}, |g_t|)`,
        which is zero, and the step 0/0, for a parameter whose gradients have all been
        zero. PyTorch (and this class) put :math:`\epsilon` *inside* the maximum,
        :math:`|g_t| + \epsilon`; Keras adds it to the denominator instead, :math:`m_t /
        (u_t + \epsilon)`, with :math:`\epsilon = 10^{-7}` and ``learning_rate=0.001``.
    """

    def __init__(self, lr=2e-3, beta1=0.9, beta2=0.999, eps=1e-8):
        self.lr = check_learning_rate(lr)
        self.beta1 = check_unit_interval("beta1", beta1)
        self.beta2 = check_unit_interval("beta2", beta2)
        self.eps = check_positive("eps", eps)

    def init(self, params) -> AdaMaxState:
        zeros = np.zeros_like(as_float_array(params))
        return AdaMaxState(t=0, m=zeros, u=zeros)

    def update(self, theta, g, state, lr):
        t = state.t + 1
        m = self.beta1 * state.m + (1 - self.beta1) * g
        u = np.maximum(self.beta2 * state.u, np.abs(g) + self.eps)
        theta = theta - lr / (1 - self.beta1**t) * m / u
        return theta, AdaMaxState(t, m, u)
