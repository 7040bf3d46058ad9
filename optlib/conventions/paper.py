r"""The algorithm boxes of the papers, where they differ from what PyTorch ships.

Keyword names are optlib's (``lr``, ``beta1``, ``beta2``, ``eps``, ``weight_decay``);
``lr`` is the paper's step size :math:`\alpha` (a number or a schedule ``t ->
alpha_t``), except in :class:`AdamW`, where :math:`\alpha` is a constant and the
schedule is the separate multiplier :math:`\eta_t`. Verified by first steps computed by
hand from each box in ``tests/test_conventions.py``.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..optimizers.base import _checked_real, as_float_array
from ._common import Variant, check_decay, check_epsilon, check_rate, check_weight_decay

__all__ = ["AMSGrad", "AdaMax", "AdamW", "NAdam"]


def _zeros(params):
    return np.zeros_like(as_float_array(params))


def _ratio_or_zero(numerator, denominator):
    """numerator / denominator, and 0 where the denominator is 0 (there the numerator is
    0 too: a coordinate whose gradients have all been 0 does not move)."""
    safe = np.where(denominator > 0, denominator, 1.0)
    return np.where(denominator > 0, numerator / safe, 0.0)


class _Paper(Variant):
    library = "paper"


class AMSGradState(NamedTuple):
    t: int  #: number of steps taken
    m: np.ndarray  #: moving average of the gradients
    v: np.ndarray  #: moving average of the squared gradients
    v_max: np.ndarray  #: the paper's \hat v_t, elementwise maximum of v so far


class AMSGrad(_Paper):
    r"""AMSGrad as in Reddi, Kale & Kumar (ICLR 2018), Algorithm 2: no bias correction,
    no :math:`\epsilon`.

    .. math::

        m_t &= \beta_1 m_{t-1} + (1-\beta_1)\, g_t, \qquad
        v_t = \beta_2 v_{t-1} + (1-\beta_2)\, g_t^2 \\
        \hat v_t &= \max(\hat v_{t-1}, v_t), \qquad
        \theta_t = \theta_{t-1} - \alpha_t\, m_t / \sqrt{\hat v_t}

    ``lr`` :math:`\alpha_t` (the analysis uses :math:`\alpha/\sqrt t`; pass a schedule
    for it), ``beta1`` (constant here; the analysis lets :math:`\beta_{1t}` decay),
    ``beta2``. The projection onto the feasible set is the identity (unconstrained
    problems). PyTorch's ``amsgrad=True`` keeps Adam's bias corrections and
    :math:`\epsilon`: its first step is :math:`\eta\,\mathrm{sign}(g)`, the paper's
    :math:`\alpha\sqrt{1-\beta_2}/(1-\beta_1)\, \mathrm{sign}(g)/\ldots` is much smaller
    (see the tests).
    """

    name = "AMSGrad"

    def __init__(self, lr=1e-3, beta1=0.9, beta2=0.999):
        self.lr = check_rate("lr", lr)
        self.beta1 = check_decay("beta1", beta1)
        self.beta2 = check_decay("beta2", beta2)
        self._remember(locals())

    def init(self, params) -> AMSGradState:
        zeros = _zeros(params)
        return AMSGradState(t=0, m=zeros, v=zeros, v_max=zeros)

    def update(self, theta, g, state, lr):
        m = self.beta1 * state.m + (1 - self.beta1) * g
        v = self.beta2 * state.v + (1 - self.beta2) * g**2
        v_max = np.maximum(state.v_max, v)
        theta = theta - lr * _ratio_or_zero(m, np.sqrt(v_max))
        return theta, AMSGradState(state.t + 1, m, v, v_max)


class AdaMaxState(NamedTuple):
    t: int  #: number of steps taken
    m: np.ndarray  #: moving average of the gradients
    u: np.ndarray  #: exponentially weighted infinity norm, max(beta2 u, |g|)


class AdaMax(_Paper):
    r"""AdaMax as in Kingma & Ba (ICLR 2015), Algorithm 2: no :math:`\epsilon` at all.

    .. math::

        m_t = \beta_1 m_{t-1} + (1-\beta_1)\, g_t, \qquad
        u_t = \max(\beta_2\, u_{t-1}, |g_t|), \qquad
        \theta_t = \theta_{t-1} - \frac{\alpha}{1-\beta_1^t}\, \frac{m_t}{u_t}

    ``lr`` :math:`\alpha` (``0.002``), ``beta1``, ``beta2`` (``0.9``, ``0.999``), the
    paper's defaults. A coordinate whose gradients have all been zero has :math:`u_t =
    m_t = 0` and does not move (the box leaves 0/0 undefined). PyTorch puts
    :math:`\epsilon` inside the max (:math:`|g_t| + \epsilon`), Keras adds it to
    :math:`u_t`.
    """

    name = "AdaMax"

    def __init__(self, lr=2e-3, beta1=0.9, beta2=0.999):
        self.lr = check_rate("lr", lr)
        self.beta1 = check_decay("beta1", beta1)
        self.beta2 = check_decay("beta2", beta2)
        self._remember(locals())

    def init(self, params) -> AdaMaxState:
        zeros = _zeros(params)
        return AdaMaxState(t=0, m=zeros, u=zeros)

    def update(self, theta, g, state, lr):
        t = state.t + 1
        m = self.beta1 * state.m + (1 - self.beta1) * g
        u = np.maximum(self.beta2 * state.u, np.abs(g))
        theta = theta - lr / (1 - self.beta1**t) * _ratio_or_zero(m, u)
        return theta, AdaMaxState(t, m, u)


class AdamState(NamedTuple):
    t: int  #: number of steps taken
    m: np.ndarray  #: moving average of the gradients
    v: np.ndarray  #: moving average of the squared gradients


class AdamW(_Paper):
    r"""AdamW as in Loshchilov & Hutter (ICLR 2019), Algorithm 2: the schedule
    multiplier :math:`\eta_t` scales both the Adam step and the decay; :math:`\lambda`
    is not multiplied by :math:`\alpha`.

    .. math::

        \hat m_t &= m_t / (1-\beta_1^t), \qquad \hat v_t = v_t / (1-\beta_2^t) \\
        \theta_t &= \theta_{t-1} - \eta_t \left(\alpha\, \frac{\hat m_t}{\sqrt{\hat v_t}
            + \epsilon} + \lambda\, \theta_{t-1}\right)

    with Adam's :math:`m_t, v_t`. ``lr`` :math:`\alpha` (a constant, ``0.001``),
    ``beta1``, ``beta2``, ``eps``, ``weight_decay`` :math:`\lambda` (the paper gives no
    default; ``0.01`` here), ``schedule_multiplier`` :math:`\eta_t` (a number or a
    schedule of ``t``; ``1``). PyTorch, Keras and optax decay by :math:`\eta^{\rm
    lib}_t\lambda^{\rm lib}`: they agree with this when :math:`\eta^{\rm lib}_t =
    \alpha\eta_t` and :math:`\lambda^{\rm lib} = \lambda/\alpha`.
    """

    name = "AdamW"

    def __init__(self, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.01,
                 schedule_multiplier=1.0):
        self.alpha = _checked_real("lr", lr)
        check_rate("lr", self.alpha)
        self.beta1 = check_decay("beta1", beta1)
        self.beta2 = check_decay("beta2", beta2)
        self.eps = check_epsilon("eps", eps)
        self.weight_decay = check_weight_decay("weight_decay", weight_decay)
        # optlib's step looks up self.lr(t): here that is the multiplier eta_t.
        self.lr = check_rate("schedule_multiplier", schedule_multiplier)
        self._remember(locals())

    def init(self, params) -> AdamState:
        zeros = _zeros(params)
        return AdamState(t=0, m=zeros, v=zeros)

    def update(self, theta, g, state, multiplier):
        t = state.t + 1
        m = self.beta1 * state.m + (1 - self.beta1) * g
        v = self.beta2 * state.v + (1 - self.beta2) * g**2
        m_hat = m / (1 - self.beta1**t)
        v_hat = v / (1 - self.beta2**t)
        adam_step = self.alpha * m_hat / (np.sqrt(v_hat) + self.eps)
        theta = theta - multiplier * (adam_step + self.weight_decay * theta)
        return theta, AdamState(t, m, v)


class NAdamState(NamedTuple):
    t: int  #: number of steps taken
    m: np.ndarray  #: moving average of the gradients
    n: np.ndarray  #: moving average of the squared gradients (Dozat's n)
    mu_product: float  #: mu_1 mu_2 ... mu_t


class NAdam(_Paper):
    r"""NAdam in Dozat's (2016) notation, with the warming momentum schedule.

    .. math::

        \mu_t &= \beta_1\left(1 - \tfrac12\, 0.96^{\,t\psi}\right), \qquad
        \hat g_t = \frac{g_t}{1 - \prod_{i\le t}\mu_i} \\
        m_t &= \beta_1 m_{t-1} + (1-\beta_1)\, g_t, \qquad
        \hat m_t = \frac{m_t}{1 - \prod_{i\le t+1}\mu_i} \\
        n_t &= \beta_2 n_{t-1} + (1-\beta_2)\, g_t^2, \qquad
        \hat n_t = \frac{n_t}{1-\beta_2^t} \\
        \bar m_t &= (1-\mu_t)\, \hat g_t + \mu_{t+1}\, \hat m_t, \qquad
        \theta_t = \theta_{t-1} - \alpha_t\, \bar m_t / (\sqrt{\hat n_t} + \epsilon)

    ``lr`` :math:`\alpha` (``0.002``), ``beta1`` (the momentum :math:`\mu` of the
    paper), ``beta2`` (:math:`\nu`), ``eps``, ``schedule_decay`` :math:`\psi`
    (``0.004``: the exponent :math:`t/250`). This is the form PyTorch's NAdam
    (``optlib.NAdam``) implements, with its ``momentum_decay`` as :math:`\psi`; the
    tests check that they agree. Keras's Nadam uses :math:`0.96^{t}` (:math:`\psi = 1`)
    and optax's nadam no schedule at all (:math:`\mu_t = \beta_1`, the limit
    :math:`\psi \to \infty`). Caveat: the constant :math:`\beta_1` in :math:`m_t`
    follows PyTorch's documentation of the box, not a reading of the paper itself.
    """

    name = "NAdam"

    def __init__(self, lr=2e-3, beta1=0.9, beta2=0.999, eps=1e-8, schedule_decay=0.004):
        self.lr = check_rate("lr", lr)
        self.beta1 = check_decay("beta1", beta1)
        self.beta2 = check_decay("beta2", beta2)
        self.eps = check_epsilon("eps", eps)
        self.schedule_decay = check_weight_decay("schedule_decay", schedule_decay)
        self._remember(locals())

    def momentum(self, t: int) -> float:
        """:math:`\\mu_t = \\beta_1 (1 - 0.5 \\cdot 0.96^{t\\psi})`."""
        return self.beta1 * (1.0 - 0.5 * 0.96 ** (t * self.schedule_decay))

    def init(self, params) -> NAdamState:
        zeros = _zeros(params)
        return NAdamState(t=0, m=zeros, n=zeros, mu_product=1.0)

    def update(self, theta, g, state, lr):
        t = state.t + 1
        mu, mu_next = self.momentum(t), self.momentum(t + 1)
        mu_product = state.mu_product * mu
        g_hat = g / (1 - mu_product)
        m = self.beta1 * state.m + (1 - self.beta1) * g
        m_hat = m / (1 - mu_product * mu_next)
        n = self.beta2 * state.n + (1 - self.beta2) * g**2
        n_hat = n / (1 - self.beta2**t)
        m_bar = (1 - mu) * g_hat + mu_next * m_hat
        theta = theta - lr * m_bar / (np.sqrt(n_hat) + self.eps)
        return theta, NAdamState(t, m, n, mu_product)
