r"""The optax optimizers as optax runs them, with optax's keyword names and defaults.

Verified against optax 0.2.8 (jax, ``jax_enable_x64``) on the reference quadratics:
``tests/test_conventions.py`` and ``scripts/make_convention_references.py``.

What they share (``optax/_src/alias.py``): each is a chain of transforms ending in
``scale_by_learning_rate``, which multiplies the whole update by :math:`-\eta_t`, so a
``weight_decay`` added to the update (``add_decayed_weights``, :math:`+\lambda\theta`)
is multiplied by the learning rate: :math:`\theta_t = \theta_{t-1} - \eta_t(\dots +
\lambda \theta_{t-1})`, PyTorch's AdamW coupling. ``learning_rate`` has no default
(optax requires it, except ``adadelta``). A schedule is called with ``count``, the
number of steps already taken, ``t - 1`` here: for an optax schedule ``s`` pass
``from_step_count(s)``.

Not accepted: ``mu_dtype``, ``accumulator_dtype``, ``mask``, ``weight_decay_mask``, and
schedules of the weight decay.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from ..optimizers.base import _checked_real, as_float_array
from ._common import (
    Variant,
    check_decay,
    check_epsilon,
    check_flag,
    check_non_negative,
    check_optional_decay,
    check_rate,
    check_weight_decay,
)

VERIFIED_AGAINST = "optax 0.2.8 (jax 0.10.2, float64)"

__all__ = ["sgd", "adam", "adamw", "nadam", "nadamw", "amsgrad", "rmsprop", "adagrad",
           "adadelta", "adamax", "adamaxw", "radam", "lion"]


def _zeros(params):
    return np.zeros_like(as_float_array(params))


class _Optax(Variant):
    library = "optax"


class SgdState(NamedTuple):
    t: int  #: number of steps taken
    b: np.ndarray  #: optax's trace, b = g + gamma b (no learning rate in it)


class sgd(_Optax):
    r"""optax ``sgd``: PyTorch's momentum form, :math:`\eta` outside the trace.

    .. math::

        b_t &= g_t + \gamma\, b_{t-1} \\
        \theta_t &= \theta_{t-1} - \eta_t\, b_t
            \quad\text{or, with } \texttt{nesterov}: \quad
            \theta_t = \theta_{t-1} - \eta_t\,(g_t + \gamma\, b_t)

    ``learning_rate`` :math:`\eta`, ``momentum`` :math:`\gamma` (default ``None``: no
    trace, plain gradient descent), ``nesterov``. Same as PyTorch (``optlib.SGD``,
    ``Momentum``, ``Nesterov``), also under a schedule. Verified against optax 0.2.8.
    """

    name = "sgd"

    def __init__(self, learning_rate, momentum=None, nesterov=False):
        self.lr = check_rate("learning_rate", learning_rate)
        self.momentum = check_optional_decay("momentum", momentum)
        self.nesterov = check_flag("nesterov", nesterov)
        self._remember(locals())

    def init(self, params) -> SgdState:
        return SgdState(t=0, b=_zeros(params))

    def update(self, theta, g, state, lr):
        if self.momentum is None:
            return theta - lr * g, SgdState(state.t + 1, state.b)
        b = g + self.momentum * state.b
        direction = g + self.momentum * b if self.nesterov else b
        return theta - lr * direction, SgdState(state.t + 1, b)


class AdamState(NamedTuple):
    t: int  #: number of steps taken (optax's count)
    m: np.ndarray  #: moving average of the gradients (optax's mu)
    v: np.ndarray  #: moving average of the squared gradients (optax's nu)


class adam(_Optax):
    r"""optax ``adam`` (and ``nadam``, ``adamw``, ``nadamw``): two epsilons.

    .. math::

        m_t &= \beta_1 m_{t-1} + (1-\beta_1)\, g_t, \qquad
        v_t = \beta_2 v_{t-1} + (1-\beta_2)\, g_t^2 \\
        \hat m_t &= \frac{m_t}{1-\beta_1^t}
            \quad\text{or, with } \texttt{nesterov}: \quad
            \hat m_t = \frac{\beta_1 m_t}{1-\beta_1^{t+1}}
            + \frac{(1-\beta_1)\, g_t}{1-\beta_1^t} \\
        \hat v_t &= \frac{v_t}{1-\beta_2^t}, \qquad
        \theta_t = \theta_{t-1} - \eta_t \left(\frac{\hat m_t}
            {\sqrt{\hat v_t + \bar\epsilon} + \epsilon} + \lambda\, \theta_{t-1}\right)

    ``learning_rate`` :math:`\eta`, ``b1``, ``b2`` :math:`\beta_1, \beta_2`, ``eps``
    :math:`\epsilon` (outside the root, ``1e-8``), ``eps_root`` :math:`\bar\epsilon`
    (inside, ``0``), ``nesterov``; :math:`\lambda = 0` for ``adam``/``nadam``,
    ``weight_decay`` for ``adamw``/``nadamw`` (default ``1e-4``; PyTorch ``0.01``, Keras
    ``0.004``). With ``eps_root=0`` ``adam`` is PyTorch's Adam (``optlib.Adam``) and
    ``adamw`` PyTorch's AdamW. optax's Nesterov form has no momentum schedule (PyTorch's
    NAdam has :math:`\mu_t`, Keras's another one). Verified against optax 0.2.8.
    """

    name = "adam"
    _default_nesterov = False

    def __init__(self, learning_rate, b1=0.9, b2=0.999, eps=1e-08, eps_root=0.0, *,
                 nesterov=False):
        self._adam(learning_rate, b1, b2, eps, eps_root, nesterov, weight_decay=0.0)
        self._remember(locals())

    def _adam(self, learning_rate, b1, b2, eps, eps_root, nesterov, weight_decay):
        self.lr = check_rate("learning_rate", learning_rate)
        self.b1 = check_decay("b1", b1)
        self.b2 = check_decay("b2", b2)
        self.eps = check_non_negative("eps", eps)
        self.eps_root = check_non_negative("eps_root", eps_root)
        self.nesterov = check_flag("nesterov", nesterov)
        self.weight_decay = check_weight_decay("weight_decay", weight_decay)

    def init(self, params) -> AdamState:
        zeros = _zeros(params)
        return AdamState(t=0, m=zeros, v=zeros)

    def first_moment(self, m, g, t):
        """:math:`\\hat m_t`: optax's bias-corrected m (looked ahead with Nesterov)."""
        if self.nesterov:
            return (self.b1 * m / (1 - self.b1 ** (t + 1))
                    + (1 - self.b1) * g / (1 - self.b1**t))
        return m / (1 - self.b1**t)

    def update(self, theta, g, state, lr):
        t = state.t + 1
        m = self.b1 * state.m + (1 - self.b1) * g
        v = self.b2 * state.v + (1 - self.b2) * g**2
        m_hat = self.first_moment(m, g, t)
        v_hat = v / (1 - self.b2**t)
        direction = m_hat / (np.sqrt(v_hat + self.eps_root) + self.eps)
        theta = theta - lr * (direction + self.weight_decay * theta)
        return theta, AdamState(t, m, v)


class nadam(adam):
    """optax ``nadam``: :class:`adam` with ``nesterov=True`` by default."""

    name = "nadam"

    def __init__(self, learning_rate, b1=0.9, b2=0.999, eps=1e-08, eps_root=0.0, *,
                 nesterov=True):
        super().__init__(learning_rate, b1, b2, eps, eps_root, nesterov=nesterov)


class adamw(adam):
    r"""optax ``adamw``: :class:`adam` plus :math:`\lambda\theta_{t-1}` inside the
    learning rate, :math:`\theta_t = \theta_{t-1} - \eta_t(\hat m_t/(\sqrt{\hat
    v_t+\bar\epsilon}+ \epsilon) + \lambda\theta_{t-1})`; ``weight_decay`` default
    ``1e-4``. Equals PyTorch's AdamW (``optlib.AdamW``) with ``eps_root=0``, also under
    a learning-rate schedule.
    Verified against optax 0.2.8."""

    name = "adamw"

    def __init__(self, learning_rate, b1=0.9, b2=0.999, eps=1e-08, eps_root=0.0,
                 weight_decay=0.0001, *, nesterov=False):
        self._adam(learning_rate, b1, b2, eps, eps_root, nesterov, weight_decay)
        self._remember(locals())


class nadamw(adamw):
    """optax ``nadamw``: :class:`adamw` with ``nesterov=True`` by default."""

    name = "nadamw"

    def __init__(self, learning_rate, b1=0.9, b2=0.999, eps=1e-08, eps_root=0.0,
                 weight_decay=0.0001, *, nesterov=True):
        super().__init__(learning_rate, b1, b2, eps, eps_root, weight_decay,
                         nesterov=nesterov)


class AmsgradState(NamedTuple):
    t: int  #: number of steps taken
    m: np.ndarray  #: moving average of the gradients
    v: np.ndarray  #: moving average of the squared gradients
    v_max: np.ndarray  #: elementwise maximum of the *bias-corrected* v so far


class amsgrad(_Optax):
    r"""optax ``amsgrad``: the maximum is taken over the bias-corrected :math:`\hat v`.

    .. math::

        \hat m_t &= \frac{m_t}{1-\beta_1^t}, \quad \hat v_t = \frac{v_t}{1-\beta_2^t},
        \quad \hat v^{\max}_t = \max(\hat v^{\max}_{t-1}, \hat v_t) \\
        \theta_t &= \theta_{t-1} - \eta_t\, \frac{\hat m_t}
            {\sqrt{\hat v^{\max}_t + \bar\epsilon} + \epsilon}

    with Adam's :math:`m_t, v_t`; ``bias_correction_mu`` / ``bias_correction_nu`` set to
    ``False`` drop the divisions. PyTorch (and Keras) take the maximum of the
    *uncorrected* :math:`v` and divide it by the current :math:`1-\beta_2^t`; since
    :math:`1-\beta_2^t` grows, optax's maximum keeps the large early :math:`\hat v`
    longer and takes smaller steps. Verified against optax 0.2.8.
    """

    name = "amsgrad"

    def __init__(self, learning_rate, b1=0.9, b2=0.999, eps=1e-08, eps_root=0.0,
                 bias_correction_mu=True, bias_correction_nu=True):
        self.lr = check_rate("learning_rate", learning_rate)
        self.b1 = check_decay("b1", b1)
        self.b2 = check_decay("b2", b2)
        self.eps = check_non_negative("eps", eps)
        self.eps_root = check_non_negative("eps_root", eps_root)
        self.bias_correction_mu = check_flag("bias_correction_mu", bias_correction_mu)
        self.bias_correction_nu = check_flag("bias_correction_nu", bias_correction_nu)
        self._remember(locals())

    def init(self, params) -> AmsgradState:
        zeros = _zeros(params)
        return AmsgradState(t=0, m=zeros, v=zeros, v_max=zeros)

    def update(self, theta, g, state, lr):
        t = state.t + 1
        m = self.b1 * state.m + (1 - self.b1) * g
        v = self.b2 * state.v + (1 - self.b2) * g**2
        m_hat = m / (1 - self.b1**t) if self.bias_correction_mu else m
        v_hat = v / (1 - self.b2**t) if self.bias_correction_nu else v
        v_max = np.maximum(state.v_max, v_hat)
        theta = theta - lr * m_hat / (np.sqrt(v_max + self.eps_root) + self.eps)
        return theta, AmsgradState(t, m, v, v_max)


class RmspropState(NamedTuple):
    t: int  #: number of steps taken
    v: np.ndarray  #: moving average of the squared gradients (starts at initial_scale)
    m: np.ndarray  #: moving average of the gradients (used with ``centered=True``)
    b: np.ndarray  #: momentum trace of the scaled steps, which hold the learning rate


class rmsprop(_Optax):
    r"""optax ``rmsprop``: :math:`\epsilon` inside the root by default, :math:`\eta`
    inside the momentum trace.

    .. math::

        v_t &= \rho\, v_{t-1} + (1-\rho)\, g_t^2, \quad v_0 = v_{\rm init}, \qquad
        m_t = \rho\, m_{t-1} + (1-\rho)\, g_t \ \ (\texttt{centered}) \\
        \hat v_t, \hat m_t &= v_t, m_t
            \quad\text{or, with } \texttt{bias\_correction}: \quad
            v_t/(1-\rho^t),\ m_t/(1-\rho^t) \\
        s_t &= \eta_t\, g_t / \sqrt{\hat v_t - \hat m_t^2 + \epsilon}
            \quad\text{or, } \texttt{eps\_in\_sqrt=False}: \quad
            \eta_t\, g_t / (\sqrt{\hat v_t - \hat m_t^2} + \epsilon) \\
        b_t &= s_t + \gamma\, b_{t-1}, \qquad
        \theta_t = \theta_{t-1} - b_t
            \quad\text{or, with } \texttt{nesterov}: \quad
            \theta_t = \theta_{t-1} - (s_t + \gamma\, b_t)

    (:math:`\hat m_t = 0` unless ``centered``). ``learning_rate`` :math:`\eta`,
    ``decay`` :math:`\rho` (``0.9``), ``eps`` :math:`\epsilon` (``1e-8``),
    ``initial_scale`` :math:`v_{\rm init}` (``0``), ``eps_in_sqrt`` (``True``),
    ``centered``, ``momentum`` :math:`\gamma` (``None``: no trace, :math:`\theta_t =
    \theta_{t-1} - s_t`), ``nesterov`` (only with a momentum), ``bias_correction``.
    Keras's RMSprop is this with ``eps_in_sqrt=True``; PyTorch's is
    ``eps_in_sqrt=False`` with :math:`\eta` outside the trace (the same for a constant
    :math:`\eta`). Verified against optax 0.2.8.
    """

    name = "rmsprop"

    def __init__(self, learning_rate, decay=0.9, eps=1e-08, initial_scale=0.0,
                 eps_in_sqrt=True, centered=False, momentum=None, nesterov=False,
                 bias_correction=False):
        self.lr = check_rate("learning_rate", learning_rate)
        self.decay = check_decay("decay", decay)
        self.eps = check_non_negative("eps", eps)
        self.initial_scale = check_non_negative("initial_scale", initial_scale)
        self.eps_in_sqrt = check_flag("eps_in_sqrt", eps_in_sqrt)
        self.centered = check_flag("centered", centered)
        self.momentum = check_optional_decay("momentum", momentum)
        self.nesterov = check_flag("nesterov", nesterov)
        self.bias_correction = check_flag("bias_correction", bias_correction)
        self._remember(locals())

    def init(self, params) -> RmspropState:
        zeros = _zeros(params)
        return RmspropState(t=0, v=zeros + self.initial_scale, m=zeros, b=zeros)

    def update(self, theta, g, state, lr):
        t = state.t + 1
        rho = self.decay
        v = rho * state.v + (1 - rho) * g**2
        m = rho * state.m + (1 - rho) * g if self.centered else state.m
        correction = 1 - rho**t if self.bias_correction else 1.0
        mean_square = v / correction - (m / correction) ** 2
        if self.eps_in_sqrt:
            step = lr * g / np.sqrt(mean_square + self.eps)
        else:
            step = lr * g / (np.sqrt(mean_square) + self.eps)
        if self.momentum is None:
            return theta - step, RmspropState(t, v, m, state.b)
        b = step + self.momentum * state.b
        direction = step + self.momentum * b if self.nesterov else b
        return theta - direction, RmspropState(t, v, m, b)


class AdagradState(NamedTuple):
    t: int  #: number of steps taken
    n: np.ndarray  #: the accumulator: initial value plus the sum of squared gradients


class adagrad(_Optax):
    r"""optax ``adagrad``: accumulator from ``0.1``, :math:`\epsilon` inside the root.

    .. math::

        n_t = n_{t-1} + g_t^2, \quad n_0 = n_{\rm init}, \qquad
        \theta_t = \theta_{t-1} - \eta_t\, g_t / \sqrt{n_t + \epsilon}
            \quad (\text{no step where } n_t = 0)

    ``learning_rate`` :math:`\eta`, ``initial_accumulator_value`` :math:`n_{\rm init}`
    (``0.1``; PyTorch ``0``), ``eps`` :math:`\epsilon` (``1e-7``; PyTorch adds ``1e-10``
    to :math:`\sqrt{n_t}`). Keras's Adagrad is the same update. Verified against optax
    0.2.8.
    """

    name = "adagrad"

    def __init__(self, learning_rate, initial_accumulator_value=0.1, eps=1e-07):
        self.lr = check_rate("learning_rate", learning_rate)
        self.initial_accumulator_value = check_non_negative(
            "initial_accumulator_value", initial_accumulator_value)
        self.eps = check_non_negative("eps", eps)
        self._remember(locals())

    def init(self, params) -> AdagradState:
        return AdagradState(t=0, n=_zeros(params) + self.initial_accumulator_value)

    def update(self, theta, g, state, lr):
        n = state.n + g**2
        scale = np.where(n > 0, 1 / np.sqrt(np.where(n > 0, n, 1.0) + self.eps), 0.0)
        return theta - lr * scale * g, AdagradState(state.t + 1, n)


class AdadeltaState(NamedTuple):
    t: int  #: number of steps taken
    v: np.ndarray  #: moving average of the squared gradients, E[g^2]
    u: np.ndarray  #: moving average of the squared updates, E[delta^2]


class adadelta(_Optax):
    r"""optax ``adadelta``: PyTorch's update; ``weight_decay`` is L2, in the gradient.

    .. math::

        \tilde g_t &= g_t + \lambda\,\theta_{t-1}, \qquad
        v_t = \rho\, v_{t-1} + (1-\rho)\, \tilde g_t^2 \\
        \Delta_t &= \frac{\sqrt{u_{t-1} + \epsilon}}{\sqrt{v_t + \epsilon}}
            \, \tilde g_t, \qquad u_t = \rho\, u_{t-1} + (1-\rho)\, \Delta_t^2 \\
        \theta_t &= \theta_{t-1} - \eta_t\, \Delta_t

    ``learning_rate`` :math:`\eta`, ``rho`` :math:`\rho` (``0.9``, as PyTorch; Keras
    and Zeiler ``0.95``), ``eps`` :math:`\epsilon` (``1e-6``), ``weight_decay`` :math:`\lambda`
    (``0``). The default ``learning_rate=None`` skips ``scale_by_learning_rate``
    altogether, and with it the sign flip: :math:`\theta_t = \theta_{t-1} + \Delta_t`,
    an *ascent* step (checked against optax 0.2.8; pass ``learning_rate=1.0`` for
    Zeiler's method). Verified against optax 0.2.8.
    """

    name = "adadelta"

    def __init__(self, learning_rate=None, rho=0.9, eps=1e-06, weight_decay=0.0):
        self.lr = check_rate("learning_rate", learning_rate, allow_none=True)
        self.rho = check_decay("rho", rho)
        self.eps = check_epsilon("eps", eps)
        self.weight_decay = check_weight_decay("weight_decay", weight_decay)
        self._remember(locals())

    def learning_rate(self, t: int) -> float:
        """optax's ``learning_rate=None`` multiplies by +1, not by -1 (see above)."""
        return -1.0 if self.lr is None else super().learning_rate(t)

    def init(self, params) -> AdadeltaState:
        zeros = _zeros(params)
        return AdadeltaState(t=0, v=zeros, u=zeros)

    def update(self, theta, g, state, lr):
        g = g + self.weight_decay * theta
        v = self.rho * state.v + (1 - self.rho) * g**2
        delta = np.sqrt(state.u + self.eps) / np.sqrt(v + self.eps) * g
        u = self.rho * state.u + (1 - self.rho) * delta**2
        return theta - lr * delta, AdadeltaState(state.t + 1, v, u)


class AdamaxState(NamedTuple):
    t: int  #: number of steps taken
    m: np.ndarray  #: moving average of the gradients
    u: np.ndarray  #: exponentially weighted infinity norm, max(|g| + eps, b2 u)


class adamax(_Optax):
    r"""optax ``adamax`` (and ``adamaxw``): PyTorch's update, :math:`\epsilon` inside
    the max.

    .. math::

        u_t = \max(|g_t| + \epsilon,\ \beta_2\, u_{t-1}), \qquad
        \theta_t = \theta_{t-1} - \eta_t \left(\frac{m_t}{(1-\beta_1^t)\, u_t}
            + \lambda\,\theta_{t-1}\right)

    with Adam's :math:`m_t`. ``learning_rate`` :math:`\eta`, ``b1``, ``b2``, ``eps``
    (``1e-8``); :math:`\lambda = 0`, or ``weight_decay`` for ``adamaxw`` (``1e-4``).
    ``adamax`` equals ``optlib.AdaMax`` (PyTorch). Verified against optax 0.2.8.
    """

    name = "adamax"

    def __init__(self, learning_rate, b1=0.9, b2=0.999, eps=1e-08):
        self._adamax(learning_rate, b1, b2, eps, 0.0)
        self._remember(locals())

    def _adamax(self, learning_rate, b1, b2, eps, weight_decay):
        self.lr = check_rate("learning_rate", learning_rate)
        self.b1 = check_decay("b1", b1)
        self.b2 = check_decay("b2", b2)
        self.eps = check_epsilon("eps", eps)
        self.weight_decay = check_weight_decay("weight_decay", weight_decay)

    def init(self, params) -> AdamaxState:
        zeros = _zeros(params)
        return AdamaxState(t=0, m=zeros, u=zeros)

    def update(self, theta, g, state, lr):
        t = state.t + 1
        m = self.b1 * state.m + (1 - self.b1) * g
        u = np.maximum(np.abs(g) + self.eps, self.b2 * state.u)
        direction = m / (1 - self.b1**t) / u
        theta = theta - lr * (direction + self.weight_decay * theta)
        return theta, AdamaxState(t, m, u)


class adamaxw(adamax):
    """optax ``adamaxw``: :class:`adamax` with decoupled ``weight_decay`` (default
    ``1e-4``) inside the learning rate."""

    name = "adamaxw"

    def __init__(self, learning_rate, b1=0.9, b2=0.999, eps=1e-08, weight_decay=0.0001):
        self._adamax(learning_rate, b1, b2, eps, weight_decay)
        self._remember(locals())


class radam(adam):
    r"""optax ``radam``: rectified Adam, a threshold of ``5`` (``>=``), both epsilons.

    .. math::

        \rho_\infty &= \frac{2}{1-\beta_2} - 1, \qquad
        \rho_t = \rho_\infty - \frac{2 t\, \beta_2^t}{1-\beta_2^t}, \qquad
        r_t = \sqrt{\frac{(\rho_t-4)(\rho_t-2)\,\rho_\infty}
            {(\rho_\infty-4)(\rho_\infty-2)\,\rho_t}} \\
        \theta_t &= \theta_{t-1} - \eta_t\, r_t\, \frac{\hat m_t}
            {\sqrt{\hat v_t + \bar\epsilon} + \epsilon} \ \text{ if } \rho_t \ge \tau,
        \qquad \theta_t = \theta_{t-1} - \eta_t\, \hat m_t \ \text{ otherwise}

    with :class:`adam`'s :math:`\hat m_t` (Nesterov form with ``nesterov=True``) and
    :math:`\hat v_t`. ``threshold`` :math:`\tau` (``5.0``). PyTorch's RAdam switches at
    :math:`\rho_t > 5` and adds :math:`\epsilon` to :math:`\sqrt{v_t}` *before* the bias
    correction (Keras's :math:`\hat\epsilon` placement); optax adds it after, to
    :math:`\sqrt{\hat v_t}`. Verified against optax 0.2.8.
    """

    name = "radam"

    def __init__(self, learning_rate, b1=0.9, b2=0.999, eps=1e-08, eps_root=0.0,
                 threshold=5.0, *, nesterov=False):
        self._adam(learning_rate, b1, b2, eps, eps_root, nesterov, weight_decay=0.0)
        self.threshold = _checked_real("threshold", threshold)
        if not math.isfinite(self.threshold):
            raise ValueError(f"Invalid threshold value: {threshold} (must be finite)")
        self._remember(locals())

    def update(self, theta, g, state, lr):
        t = state.t + 1
        m = self.b1 * state.m + (1 - self.b1) * g
        v = self.b2 * state.v + (1 - self.b2) * g**2
        m_hat = self.first_moment(m, g, t)
        v_hat = v / (1 - self.b2**t)
        rho_inf = 2 / (1 - self.b2) - 1
        rho_t = rho_inf - 2 * t * self.b2**t / (1 - self.b2**t)
        if rho_t >= self.threshold:
            r = math.sqrt((rho_t - 4) * (rho_t - 2) * rho_inf
                          / ((rho_inf - 4) * (rho_inf - 2) * rho_t))
            direction = r * m_hat / (np.sqrt(v_hat + self.eps_root) + self.eps)
        else:
            direction = m_hat
        return theta - lr * direction, AdamState(t, m, v)


class LionState(NamedTuple):
    t: int  #: number of steps taken
    m: np.ndarray  #: moving average of the gradients (rate b2)


class lion(_Optax):
    r"""optax ``lion``: the paper's update; ``weight_decay`` ``1e-3`` by default.

    .. math::

        \theta_t &= \theta_{t-1} - \eta_t \left(\mathrm{sign}\big(\beta_1 m_{t-1} +
            (1-\beta_1)\, g_t\big) + \lambda\,\theta_{t-1}\right) \\
        m_t &= \beta_2 m_{t-1} + (1-\beta_2)\, g_t

    ``learning_rate`` :math:`\eta`, ``b1``, ``b2`` (``0.9``, ``0.99``), ``weight_decay``
    :math:`\lambda` (``1e-3``, where Keras and pytorch_optimizer have none). The decay
    is :math:`\eta_t\lambda\theta`, as in ``optlib.Lion``, which this equals for the
    same :math:`\lambda`. Verified against optax 0.2.8.
    """

    name = "lion"

    def __init__(self, learning_rate, b1=0.9, b2=0.99, weight_decay=0.001):
        self.lr = check_rate("learning_rate", learning_rate)
        self.b1 = check_decay("b1", b1)
        self.b2 = check_decay("b2", b2)
        self.weight_decay = check_weight_decay("weight_decay", weight_decay)
        self._remember(locals())

    def init(self, params) -> LionState:
        return LionState(t=0, m=_zeros(params))

    def update(self, theta, g, state, lr):
        direction = np.sign(self.b1 * state.m + (1 - self.b1) * g)
        m = self.b2 * state.m + (1 - self.b2) * g
        theta = theta - lr * (direction + self.weight_decay * theta)
        return theta, LionState(state.t + 1, m)
