r"""The Keras 3 optimizers as Keras runs them, with Keras's keyword names and defaults.

Verified against keras 3.15.1 (torch backend, float64) on the reference quadratics:
``tests/test_conventions.py`` and ``scripts/make_convention_references.py``.

What every Keras optimizer shares (``keras/src/optimizers/base_optimizer.py``,
``apply``):

* ``weight_decay`` (default ``None``, AdamW ``0.004``) is **decoupled** and applied
  *before* the update, to every optimizer: :math:`\theta \leftarrow \theta\,(1 -
  \eta_t \lambda)`, then the update with the gradient taken at the old
  :math:`\theta_{t-1}`. It is multiplied by the learning rate of the step.
  (``torch.optim.Adam(weight_decay=...)`` is L2 through the gradient.)
* The learning rate of update ``t`` (1-based here) is a schedule evaluated at
  ``iterations = t - 1``: for a Keras schedule ``s`` pass ``from_step_count(s)``.
* Keras's :math:`\hat\epsilon` sits where the code puts it, often not where PyTorch
  does; each class says where.

Options these classes cannot honour (``clipnorm``, ``clipvalue``, ``global_clipnorm``,
``use_ema``, ``loss_scale_factor``, ``gradient_accumulation_steps``, ``name``) are not
accepted.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..optimizers.base import as_float_array
from ._common import (
    Variant,
    check_decay,
    check_epsilon,
    check_flag,
    check_non_negative,
    check_rate,
    check_weight_decay,
    decayed_weights,
)

VERIFIED_AGAINST = "keras 3.15.1 (torch backend, float64)"

__all__ = [
    "SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adadelta", "Adamax", "Nadam", "Lion"
]


class _Keras(Variant):
    library = "keras"

    def _common(self, learning_rate, weight_decay, allow_none=True):
        self.lr = check_rate("learning_rate", learning_rate)
        self.weight_decay = check_weight_decay("weight_decay", weight_decay, allow_none)

    def decay(self, theta, lr):
        return decayed_weights(theta, lr, self.weight_decay)


def _zeros(params):
    return np.zeros_like(as_float_array(params))


class SGDState(NamedTuple):
    t: int  #: number of steps taken
    b: np.ndarray  #: Keras's momentum buffer, holding -eta: b = gamma b - eta g


class SGD(_Keras):
    r"""Keras ``SGD``: the learning rate is *inside* the momentum buffer.

    .. math::

        b_t &= \gamma\, b_{t-1} - \eta_t\, g_t \\
        \theta_t &= \theta_{t-1} + b_t
            \quad\text{or, with } \texttt{nesterov}: \quad
            \theta_t = \theta_{t-1} + \gamma\, b_t - \eta_t\, g_t

    ``learning_rate`` is :math:`\eta`, ``momentum`` :math:`\gamma` (default ``0``: plain
    gradient descent), ``weight_decay`` :math:`\lambda` (see the module). PyTorch keeps
    :math:`\eta` out of the buffer (:math:`b_t = \gamma b_{t-1} + g_t`, :math:`\theta_t
    = \theta_{t-1} - \eta_t b_t`): the same path for a constant :math:`\eta` (then
    :math:`b^{\rm Keras} = -\eta b^{\rm torch}`), a different one under a schedule,
    where Keras's buffer remembers old rates. The Nesterov forms agree in the same way.
    Verified against keras 3.15.1.
    """

    name = "SGD"

    def __init__(self, learning_rate=0.01, momentum=0.0, nesterov=False,
                 weight_decay=None):
        self._common(learning_rate, weight_decay)
        self.momentum = check_decay("momentum", momentum)
        self.nesterov = check_flag("nesterov", nesterov)
        self._remember(locals())

    def init(self, params) -> SGDState:
        return SGDState(t=0, b=_zeros(params))

    def update(self, theta, g, state, lr):
        theta = self.decay(theta, lr)
        b = self.momentum * state.b - lr * g
        step = self.momentum * b - lr * g if self.nesterov else b
        return theta + step, SGDState(state.t + 1, b)


class AdamState(NamedTuple):
    t: int  #: number of steps taken
    m: np.ndarray  #: moving average of the gradients
    v: np.ndarray  #: moving average of the squared gradients
    v_max: np.ndarray  #: elementwise maximum of v so far (used with ``amsgrad=True``)


class Adam(_Keras):
    r"""Keras ``Adam``: the paper's "efficient" ordering, :math:`\hat\epsilon` before
    the bias correction.

    .. math::

        m_t &= \beta_1 m_{t-1} + (1-\beta_1)\, g_t, \qquad
        v_t = \beta_2 v_{t-1} + (1-\beta_2)\, g_t^2 \\
        \alpha_t &= \eta_t\, \sqrt{1-\beta_2^t} \,/\, (1-\beta_1^t) \\
        \theta_t &= \theta_{t-1} - \alpha_t\, m_t / (\sqrt{v_t} + \hat\epsilon)
            \qquad (\texttt{amsgrad}: v_t \to \max_{s \le t} v_s)

    ``learning_rate`` :math:`\eta`, ``beta_1``, ``beta_2`` :math:`\beta_1, \beta_2`,
    ``epsilon`` :math:`\hat\epsilon` (default ``1e-7``), ``weight_decay`` decoupled (see
    the module). It is PyTorch's Adam with a step-dependent :math:`\epsilon_t =
    \hat\epsilon/\sqrt{1-\beta_2^t}` (about 31.6 :math:`\hat\epsilon` at :math:`t=1`
    with :math:`\beta_2 = 0.999`, tending to :math:`\hat\epsilon`). With ``amsgrad`` the
    maximum is over the *uncorrected* :math:`v`, as in PyTorch. Verified against keras
    3.15.1.
    """

    name = "Adam"

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-07,
                 amsgrad=False, weight_decay=None):
        self._common(learning_rate, weight_decay)
        self.beta_1 = check_decay("beta_1", beta_1)
        self.beta_2 = check_decay("beta_2", beta_2)
        self.epsilon = check_epsilon("epsilon", epsilon)
        self.amsgrad = check_flag("amsgrad", amsgrad)
        self._remember(locals())

    def init(self, params) -> AdamState:
        zeros = _zeros(params)
        return AdamState(t=0, m=zeros, v=zeros, v_max=zeros)

    def update(self, theta, g, state, lr):
        t = state.t + 1
        theta = self.decay(theta, lr)
        m = self.beta_1 * state.m + (1 - self.beta_1) * g
        v = self.beta_2 * state.v + (1 - self.beta_2) * g**2
        v_max = np.maximum(state.v_max, v) if self.amsgrad else state.v_max
        alpha = lr * np.sqrt(1 - self.beta_2**t) / (1 - self.beta_1**t)
        denominator = np.sqrt(v_max if self.amsgrad else v) + self.epsilon
        return theta - alpha * m / denominator, AdamState(t, m, v, v_max)


class AdamW(Adam):
    r"""Keras ``AdamW``: :class:`Adam` with ``weight_decay`` required, ``0.004`` by
    default.

    .. math::

        \theta_t = (1 - \eta_t\lambda)\,\theta_{t-1}
            - \alpha_t\, m_t / (\sqrt{v_t} + \hat\epsilon)

    with :math:`\alpha_t, m_t, v_t` as in :class:`Adam`. The decay is
    :math:`\eta_t\lambda`, coupled to the (scheduled) learning rate, as in PyTorch's
    AdamW (default ``0.01``), not the paper's :math:`\eta_t\lambda` without
    :math:`\alpha` (``conventions.paper.AdamW``). ``weight_decay=None`` raises, as in
    Keras. Verified against keras 3.15.1.
    """

    name = "AdamW"

    def __init__(self, learning_rate=0.001, weight_decay=0.004, beta_1=0.9,
                 beta_2=0.999, epsilon=1e-07, amsgrad=False):
        if weight_decay is None:
            raise ValueError("Invalid weight_decay: None (AdamW needs a number)")
        super().__init__(learning_rate=learning_rate, beta_1=beta_1, beta_2=beta_2,
                         epsilon=epsilon, amsgrad=amsgrad, weight_decay=weight_decay)
        self._remember(locals())


class RMSpropState(NamedTuple):
    t: int  #: number of steps taken
    v: np.ndarray  #: moving average of the squared gradients
    m: np.ndarray  #: moving average of the gradients (used with ``centered=True``)
    b: np.ndarray  #: momentum buffer, holding the learning rate: b = gamma b + step


class RMSprop(_Keras):
    r"""Keras ``RMSprop``: :math:`\hat\epsilon` *inside* the root, :math:`\eta` inside
    the momentum buffer.

    .. math::

        v_t &= \rho\, v_{t-1} + (1-\rho)\, g_t^2, \qquad
        m_t = \rho\, m_{t-1} + (1-\rho)\, g_t \ \ (\texttt{centered}) \\
        s_t &= \eta_t\, g_t / \sqrt{v_t + \hat\epsilon}
            \quad\text{or}\quad \eta_t\, g_t / \sqrt{v_t - m_t^2 + \hat\epsilon} \\
        b_t &= \gamma\, b_{t-1} + s_t, \qquad \theta_t = \theta_{t-1} - b_t

    ``learning_rate`` :math:`\eta`, ``rho`` :math:`\rho` (default ``0.9``; PyTorch's
    ``alpha`` is ``0.99``), ``momentum`` :math:`\gamma` (default ``0``), ``epsilon``
    :math:`\hat\epsilon` (``1e-7``), ``centered``, ``weight_decay`` (see the module).
    PyTorch divides by :math:`\sqrt{v_t} + \epsilon` and keeps :math:`\eta` outside its
    buffer (:math:`b_t = \gamma b_{t-1} + g_t/(\sqrt{v_t}+\epsilon)`, :math:`\theta_t =
    \theta_{t-1} - \eta_t b_t`). Verified against keras 3.15.1.
    """

    name = "RMSprop"

    def __init__(self, learning_rate=0.001, rho=0.9, momentum=0.0, epsilon=1e-07,
                 centered=False, weight_decay=None):
        self._common(learning_rate, weight_decay)
        self.rho = check_decay("rho", rho)
        self.momentum = check_decay("momentum", momentum)
        self.epsilon = check_epsilon("epsilon", epsilon)
        self.centered = check_flag("centered", centered)
        self._remember(locals())

    def init(self, params) -> RMSpropState:
        zeros = _zeros(params)
        return RMSpropState(t=0, v=zeros, m=zeros, b=zeros)

    def update(self, theta, g, state, lr):
        theta = self.decay(theta, lr)
        v = self.rho * state.v + (1 - self.rho) * g**2
        m = self.rho * state.m + (1 - self.rho) * g if self.centered else state.m
        mean_square = v - m**2 if self.centered else v
        step = lr * g / np.sqrt(mean_square + self.epsilon)
        b = self.momentum * state.b + step
        return theta - b, RMSpropState(state.t + 1, v, m, b)


class AdagradState(NamedTuple):
    t: int  #: number of steps taken
    n: np.ndarray  #: the accumulator: initial value plus the sum of squared gradients


class Adagrad(_Keras):
    r"""Keras ``Adagrad``: the accumulator starts at ``0.1`` and :math:`\hat\epsilon` is
    inside the root.

    .. math::

        n_t = n_{t-1} + g_t^2, \quad n_0 = n_{\rm init}, \qquad
        \theta_t = \theta_{t-1} - \eta_t\, g_t / \sqrt{n_t + \hat\epsilon}

    ``learning_rate`` :math:`\eta` (default ``0.001``; PyTorch ``0.01``),
    ``initial_accumulator_value`` :math:`n_{\rm init}` (``0.1``; PyTorch ``0``),
    ``epsilon`` :math:`\hat\epsilon` (``1e-7``; PyTorch adds ``1e-10`` to
    :math:`\sqrt{n_t}`), ``weight_decay`` (see the module). The first step is
    :math:`\eta g/\sqrt{0.1 + g^2}`, not PyTorch's :math:`\approx
    \eta\,\mathrm{sign}(g)`. Verified against keras 3.15.1.
    """

    name = "Adagrad"

    def __init__(self, learning_rate=0.001, initial_accumulator_value=0.1,
                 epsilon=1e-07, weight_decay=None):
        self._common(learning_rate, weight_decay)
        self.initial_accumulator_value = check_non_negative(
            "initial_accumulator_value", initial_accumulator_value)
        self.epsilon = check_epsilon("epsilon", epsilon)
        self._remember(locals())

    def init(self, params) -> AdagradState:
        return AdagradState(t=0, n=_zeros(params) + self.initial_accumulator_value)

    def update(self, theta, g, state, lr):
        theta = self.decay(theta, lr)
        n = state.n + g**2
        return theta - lr * g / np.sqrt(n + self.epsilon), AdagradState(state.t + 1, n)


class AdadeltaState(NamedTuple):
    t: int  #: number of steps taken
    v: np.ndarray  #: moving average of the squared gradients, E[g^2]
    u: np.ndarray  #: moving average of the squared updates, E[delta^2]


class Adadelta(_Keras):
    r"""Keras ``Adadelta``: PyTorch's update, with other defaults.

    .. math::

        v_t &= \rho\, v_{t-1} + (1-\rho)\, g_t^2 \\
        \Delta_t &= \frac{\sqrt{u_{t-1} + \hat\epsilon}}{\sqrt{v_t + \hat\epsilon}}
            \, g_t, \qquad u_t = \rho\, u_{t-1} + (1-\rho)\, \Delta_t^2 \\
        \theta_t &= \theta_{t-1} - \eta_t\, \Delta_t

    ``learning_rate`` :math:`\eta` (default ``0.001``, where PyTorch's is ``1.0`` and
    Zeiler's method has none), ``rho`` :math:`\rho` (``0.95``), ``epsilon``
    :math:`\hat\epsilon` (``1e-7``; PyTorch ``1e-6``), ``weight_decay`` (decoupled, see
    the module; PyTorch's is L2). With the same numbers it equals ``optlib.AdaDelta``
    (same as PyTorch). Verified against keras 3.15.1.
    """

    name = "Adadelta"

    def __init__(self, learning_rate=0.001, rho=0.95, epsilon=1e-07, weight_decay=None):
        self._common(learning_rate, weight_decay)
        self.rho = check_decay("rho", rho)
        self.epsilon = check_epsilon("epsilon", epsilon)
        self._remember(locals())

    def init(self, params) -> AdadeltaState:
        zeros = _zeros(params)
        return AdadeltaState(t=0, v=zeros, u=zeros)

    def update(self, theta, g, state, lr):
        theta = self.decay(theta, lr)
        v = self.rho * state.v + (1 - self.rho) * g**2
        delta = np.sqrt(state.u + self.epsilon) / np.sqrt(v + self.epsilon) * g
        u = self.rho * state.u + (1 - self.rho) * delta**2
        return theta - lr * delta, AdadeltaState(state.t + 1, v, u)


class AdamaxState(NamedTuple):
    t: int  #: number of steps taken
    m: np.ndarray  #: moving average of the gradients
    u: np.ndarray  #: exponentially weighted infinity norm, max(beta_2 u, |g|)


class Adamax(_Keras):
    r"""Keras ``Adamax``: :math:`\hat\epsilon` added to the maximum, outside it.

    .. math::

        m_t &= \beta_1 m_{t-1} + (1-\beta_1)\, g_t, \qquad
        u_t = \max(\beta_2\, u_{t-1},\ |g_t|) \\
        \theta_t &= \theta_{t-1}
            - \frac{\eta_t}{1-\beta_1^t}\, \frac{m_t}{u_t + \hat\epsilon}

    ``learning_rate`` :math:`\eta` (default ``0.001``; the paper and PyTorch ``0.002``),
    ``beta_1``, ``beta_2``, ``epsilon`` :math:`\hat\epsilon` (``1e-7``),
    ``weight_decay`` (see the module). PyTorch and optax put :math:`\epsilon` inside:
    :math:`u_t = \max(\beta_2 u_{t-1}, |g_t| + \epsilon)`, so the two differ once
    :math:`\beta_2 u` is the maximum. Verified against keras 3.15.1.
    """

    name = "Adamax"

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-07,
                 weight_decay=None):
        self._common(learning_rate, weight_decay)
        self.beta_1 = check_decay("beta_1", beta_1)
        self.beta_2 = check_decay("beta_2", beta_2)
        self.epsilon = check_epsilon("epsilon", epsilon)
        self._remember(locals())

    def init(self, params) -> AdamaxState:
        zeros = _zeros(params)
        return AdamaxState(t=0, m=zeros, u=zeros)

    def update(self, theta, g, state, lr):
        t = state.t + 1
        theta = self.decay(theta, lr)
        m = self.beta_1 * state.m + (1 - self.beta_1) * g
        u = np.maximum(self.beta_2 * state.u, np.abs(g))
        step = lr * m / ((1 - self.beta_1**t) * (u + self.epsilon))
        return theta - step, AdamaxState(t, m, u)


class NadamState(NamedTuple):
    t: int  #: number of steps taken
    m: np.ndarray  #: moving average of the gradients
    v: np.ndarray  #: moving average of the squared gradients
    mu_product: float  #: mu_1 mu_2 ... mu_t


class Nadam(_Keras):
    r"""Keras ``Nadam``: Dozat's update with the momentum schedule :math:`0.96^{t}`.

    .. math::

        \mu_t &= \beta_1 \left(1 - \tfrac12\, 0.96^{\,t}\right), \qquad
        \Pi_t = \textstyle\prod_{i \le t} \mu_i \\
        m_t &= \beta_1 m_{t-1} + (1-\beta_1)\, g_t, \qquad
        v_t = \beta_2 v_{t-1} + (1-\beta_2)\, g_t^2 \\
        \hat m_t &= \frac{\mu_{t+1}\, m_t}{1 - \Pi_{t+1}}
            + \frac{(1-\mu_t)\, g_t}{1 - \Pi_t}, \qquad
        \hat v_t = \frac{v_t}{1-\beta_2^t} \\
        \theta_t &= \theta_{t-1} - \eta_t\, \hat m_t / (\sqrt{\hat v_t} + \hat\epsilon)

    ``learning_rate`` :math:`\eta` (default ``0.001``; PyTorch ``0.002``), ``beta_1``,
    ``beta_2``, ``epsilon`` :math:`\hat\epsilon` (``1e-7``), ``weight_decay`` (see the
    module). The exponent is :math:`t`, hard-coded (``decay = 0.96`` in
    ``update_step``): PyTorch's :math:`0.96^{t\psi}` with :math:`\psi = 0.004 = 1/250`
    (Dozat's schedule) warms the momentum up over thousands of steps, Keras's within a
    few dozen; with ``momentum_decay=1.0`` ``optlib.NAdam`` is this update.
    :math:`\epsilon` is where PyTorch puts it. Verified against keras 3.15.1.
    """

    name = "Nadam"

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-07,
                 weight_decay=None):
        self._common(learning_rate, weight_decay)
        self.beta_1 = check_decay("beta_1", beta_1)
        self.beta_2 = check_decay("beta_2", beta_2)
        self.epsilon = check_epsilon("epsilon", epsilon)
        self._remember(locals())

    def momentum(self, t: int) -> float:
        """Keras's :math:`\\mu_t = \\beta_1 (1 - 0.5 \\cdot 0.96^t)`."""
        return self.beta_1 * (1.0 - 0.5 * 0.96**t)

    def init(self, params) -> NadamState:
        zeros = _zeros(params)
        return NadamState(t=0, m=zeros, v=zeros, mu_product=1.0)

    def update(self, theta, g, state, lr):
        t = state.t + 1
        theta = self.decay(theta, lr)
        mu, mu_next = self.momentum(t), self.momentum(t + 1)
        mu_product = state.mu_product * mu
        m = self.beta_1 * state.m + (1 - self.beta_1) * g
        v = self.beta_2 * state.v + (1 - self.beta_2) * g**2
        m_hat = (mu_next * m / (1 - mu_product * mu_next)
                 + (1 - mu) * g / (1 - mu_product))
        v_hat = v / (1 - self.beta_2**t)
        theta = theta - lr * m_hat / (np.sqrt(v_hat) + self.epsilon)
        return theta, NadamState(t, m, v, mu_product)


class LionState(NamedTuple):
    t: int  #: number of steps taken
    m: np.ndarray  #: moving average of the gradients (rate beta_2)


class Lion(_Keras):
    r"""Keras ``Lion``: the paper's update, decoupled ``weight_decay`` (default none).

    .. math::

        \theta_t &= (1 - \eta_t\lambda)\,\theta_{t-1}
            - \eta_t\, \mathrm{sign}\big(\beta_1 m_{t-1} + (1-\beta_1)\, g_t\big) \\
        m_t &= \beta_2 m_{t-1} + (1-\beta_2)\, g_t

    ``learning_rate`` :math:`\eta` (default ``0.001``), ``beta_1``, ``beta_2`` (``0.9``,
    ``0.99``), ``weight_decay`` :math:`\lambda` (``None``). Same update as
    ``optlib.Lion`` (pytorch_optimizer's Lion). Verified against keras 3.15.1.
    """

    name = "Lion"

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.99, weight_decay=None):
        self._common(learning_rate, weight_decay)
        self.beta_1 = check_decay("beta_1", beta_1)
        self.beta_2 = check_decay("beta_2", beta_2)
        self._remember(locals())

    def init(self, params) -> LionState:
        return LionState(t=0, m=_zeros(params))

    def update(self, theta, g, state, lr):
        theta = self.decay(theta, lr)
        direction = np.sign(self.beta_1 * state.m + (1 - self.beta_1) * g)
        m = self.beta_2 * state.m + (1 - self.beta_2) * g
        return theta - lr * direction, LionState(state.t + 1, m)
