"""Per-parameter step sizes from past squared gradients: AdaGrad, RMSprop, AdaDelta."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .base import Optimizer, as_float_array, check_learning_rate, check_positive, check_unit_interval


class AdaGradState(NamedTuple):
    t: int  #: number of steps taken
    G: np.ndarray  #: running sum of the squared gradients


class AdaGrad(Optimizer):
    r"""AdaGrad: each parameter's step over the root of its summed squared gradients.

    .. math::

        G_t &= G_{t-1} + g_t^2, \qquad G_0 = 0 \\
        \theta_t &= \theta_{t-1} - \eta_t\, \frac{g_t}{\sqrt{G_t} + \epsilon}

    Arguments: ``lr`` is :math:`\eta`, ``eps`` is :math:`\epsilon`. :math:`G_t` only
    grows, so every parameter's effective learning rate :math:`\eta / \sqrt{G_t}` only
    shrinks.

    Duchi, Hazan & Singer, "Adaptive Subgradient Methods for Online Learning and
    Stochastic Optimization", Journal of Machine Learning Research 12, 2011 (the
    diagonal version). Matches ``torch.optim.Adagrad(lr=lr, eps=eps)`` (``lr_decay=0``,
    ``initial_accumulator_value=0``).

    .. note:: Conventions.
        The paper and PyTorch add :math:`\epsilon` (the paper's :math:`\delta`)
        *outside* the square root, as here; the paper writes no default for it, PyTorch
        uses ``1e-10``. Keras puts it *inside*, :math:`g / \sqrt{G_t + \epsilon}` with
        :math:`\epsilon = 10^{-7}`, and starts the sum at
        ``initial_accumulator_value=0.1``, with ``learning_rate=0.001``: its first steps
        are much shorter than :math:`\eta\,\mathrm{sign}(g)`.
    """

    def __init__(self, lr=0.01, eps=1e-10):
        self.lr = check_learning_rate(lr)
        self.eps = check_positive("eps", eps)

    def init(self, params) -> AdaGradState:
        return AdaGradState(t=0, G=np.zeros_like(as_float_array(params)))

    def update(self, theta, g, state, lr):
        G = state.G + g**2
        theta = theta - lr * g / (np.sqrt(G) + self.eps)
        return theta, AdaGradState(state.t + 1, G)


class RMSpropState(NamedTuple):
    t: int  #: number of steps taken
    v: np.ndarray  #: moving average of the squared gradients, E[g^2]


class RMSprop(Optimizer):
    r"""RMSprop: divide the gradient by the root of a *moving average* of its square.

    .. math::

        v_t &= \rho\, v_{t-1} + (1 - \rho)\, g_t^2, \qquad v_0 = 0 \\
        \theta_t &= \theta_{t-1} - \eta_t\, \frac{g_t}{\sqrt{v_t} + \epsilon}

    Arguments: ``lr`` is :math:`\eta`, ``rho`` is :math:`\rho` (PyTorch calls it
    ``alpha``), ``eps`` is :math:`\epsilon`. Defaults are the lecture's :math:`\rho =
    0.9` and Keras's :math:`\eta = 10^{-3}`; :math:`\epsilon = 10^{-8}`.

    Hinton, Srivastava & Swersky, "Neural Networks for Machine Learning", Coursera
    lecture 6e ("rmsprop: divide the gradient by a running average of its recent
    magnitude"), 2012,
    https://www.cs.toronto.edu/~tijmen/csc321/slides/lecture_slides_lec6.pdf. Matches
    ``torch.optim.RMSprop(lr=lr, alpha=rho, eps=eps)``.

    .. note:: Conventions.
        The lecture has no :math:`\epsilon`. PyTorch adds it *outside* the square root,
        as here; Keras (and TensorFlow's ``RMSPropOptimizer``) add it *inside*, :math:`g
        / \sqrt{v_t + \epsilon}`, with :math:`\epsilon = 10^{-7}`. With :math:`v_0 = 0`
        and no bias correction the first step is :math:`\eta\, g / (\sqrt{1-\rho}\,|g| +
        \epsilon)`, about :math:`3.2\,\eta` for :math:`\rho = 0.9`. The defaults differ
        too: PyTorch ``lr=0.01, alpha=0.99``; Keras ``learning_rate=0.001, rho=0.9``.
    """

    def __init__(self, lr=1e-3, rho=0.9, eps=1e-8):
        self.lr = check_learning_rate(lr)
        self.rho = check_unit_interval("rho", rho)
        self.eps = check_positive("eps", eps)

    def init(self, params) -> RMSpropState:
        return RMSpropState(t=0, v=np.zeros_like(as_float_array(params)))

    def update(self, theta, g, state, lr):
        v = self.rho * state.v + (1 - self.rho) * g**2
        theta = theta - lr * g / (np.sqrt(v) + self.eps)
        return theta, RMSpropState(state.t + 1, v)


class AdaDeltaState(NamedTuple):
    t: int  #: number of steps taken
    v: np.ndarray  #: moving average of the squared gradients, E[g^2]
    u: np.ndarray  #: moving average of the squared updates, E[delta^2]


class AdaDelta(Optimizer):
    r"""AdaDelta: the step's units come from a moving average of the past steps.

    .. math::

        v_t &= \rho\, v_{t-1} + (1 - \rho)\, g_t^2 \\
        \Delta_t &= \frac{\sqrt{u_{t-1} + \epsilon}}{\sqrt{v_t + \epsilon}}\, g_t \\
        u_t &= \rho\, u_{t-1} + (1 - \rho)\, \Delta_t^2 \\
        \theta_t &= \theta_{t-1} - \eta_t\, \Delta_t

    with :math:`v_0 = u_0 = 0`. Arguments: ``lr`` is :math:`\eta` (the paper has none,
    i.e. :math:`\eta = 1`), ``rho`` is :math:`\rho`, ``eps`` is :math:`\epsilon`. In the
    paper's notation :math:`v_t = E[g^2]_t`, :math:`u_t = E[\Delta x^2]_t` and
    :math:`\mathrm{RMS}[y]_t = \sqrt{E[y^2]_t + \epsilon}`. Defaults are the paper's
    (:math:`\rho = 0.95`, :math:`\epsilon = 10^{-6}`).

    Zeiler, "ADADELTA: An Adaptive Learning Rate Method", arXiv:1212.5701, 2012,
    Algorithm 1, https://arxiv.org/abs/1212.5701. Matches ``torch.optim.Adadelta(lr=lr,
    rho=rho, eps=eps)``.

    .. note:: Conventions.
        PyTorch and Keras both put :math:`\epsilon` inside the square roots, as the
        paper does. Their defaults differ from the paper's: PyTorch ``lr=1.0, rho=0.9,
        eps=1e-6``; Keras ``learning_rate=0.001, rho=0.95, epsilon=1e-7`` (so Keras's
        AdaDelta is a thousand times slower than the paper's unless
        ``learning_rate=1.0`` is passed). Because :math:`u_0 = 0` the first step is
        :math:`\eta \sqrt{\epsilon}\, g / \sqrt{(1-\rho) g^2 + \epsilon}`:
        :math:`\epsilon` sets the size of the first steps, it is not only a safeguard.
    """

    def __init__(self, lr=1.0, rho=0.95, eps=1e-6):
        self.lr = check_learning_rate(lr)
        self.rho = check_unit_interval("rho", rho)
        self.eps = check_positive("eps", eps)

    def init(self, params) -> AdaDeltaState:
        zeros = np.zeros_like(as_float_array(params))
        return AdaDeltaState(t=0, v=zeros, u=zeros)

    def update(self, theta, g, state, lr):
        v = self.rho * state.v + (1 - self.rho) * g**2
        delta = np.sqrt(state.u + self.eps) / np.sqrt(v + self.eps) * g
        u = self.rho * state.u + (1 - self.rho) * delta**2
        theta = theta - lr * delta
        return theta, AdaDeltaState(state.t + 1, v, u)
