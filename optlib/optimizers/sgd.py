"""Gradient descent, with and without momentum."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .base import Optimizer, as_float_array, check_learning_rate, check_unit_interval


class SGDState(NamedTuple):
    t: int  #: number of steps taken


class SGD(Optimizer):
    r"""Gradient descent: step against the gradient.

    .. math::

        \theta_t = \theta_{t-1} - \eta_t \, g_t, \qquad g_t = \nabla J(\theta_{t-1})

    Arguments: ``lr`` is :math:`\eta` (a number or a schedule ``t -> eta_t``).

    Matches ``torch.optim.SGD(lr=lr)``. Whether it is *batch*, *stochastic* or
    *mini-batch* gradient descent depends only on which gradient the caller passes in.
    """

    def __init__(self, lr=0.01):
        self.lr = check_learning_rate(lr)

    def init(self, params) -> SGDState:
        return SGDState(t=0)

    def update(self, theta, g, state, lr):
        return theta - lr * g, SGDState(t=state.t + 1)


class MomentumState(NamedTuple):
    t: int  #: number of steps taken
    b: np.ndarray  #: the momentum buffer: past gradients weighted by gamma^k


class Momentum(Optimizer):
    r"""Gradient descent with (heavy-ball) momentum: each step keeps part of the last.

    .. math::

        b_t &= \gamma\, b_{t-1} + g_t, \qquad b_0 = 0 \\
        \theta_t &= \theta_{t-1} - \eta_t\, b_t

    Arguments: ``lr`` is :math:`\eta` (a number or a schedule ``t -> eta_t``),
    ``momentum`` is :math:`\gamma`. The buffer :math:`b_t` sums the past gradients with
    weights :math:`\gamma^k`, which fade over about :math:`1/(1-\gamma)` steps; on a
    constant slope the steps grow to :math:`1/(1-\gamma)` times those of gradient
    descent (10 times for :math:`\gamma = 0.9`).

    Polyak, "Some methods of speeding up the convergence of iteration methods",
    USSR Computational Mathematics and Mathematical Physics 4(5), 1964; Rumelhart,
    Hinton & Williams, "Learning representations by back-propagating errors",
    Nature 323, 1986.
    Matches ``torch.optim.SGD(lr=lr, momentum=momentum)``.

    .. note:: Conventions.
        The papers (and Keras) put the learning rate inside the velocity,
        :math:`v_t = \gamma v_{t-1} + \eta_t g_t,\ \theta_t = \theta_{t-1} - v_t`
        (Keras stores :math:`-v_t`: ``velocity = momentum * velocity - lr * g;
        w = w + velocity``). PyTorch, and this class, keep it out:
        :math:`v_t = \eta b_t`. With a constant :math:`\eta` the two give the same
        iterates. Under a schedule they differ: a new :math:`\eta_t` here rescales the
        whole buffer at once, while in the velocity form it only weighs the newest
        gradient. PyTorch's buffer starts as a copy of the first gradient, which is
        :math:`\gamma \cdot 0 + g_1` (with ``dampening=0``).
    """

    def __init__(self, lr=0.01, momentum=0.9):
        self.lr = check_learning_rate(lr)
        self.momentum = check_unit_interval("momentum", momentum)

    def init(self, params) -> MomentumState:
        return MomentumState(t=0, b=np.zeros_like(as_float_array(params)))

    def update(self, theta, g, state, lr):
        b = self.momentum * state.b + g
        theta = theta - lr * b
        return theta, MomentumState(state.t + 1, b)


class Nesterov(Momentum):
    r"""Nesterov momentum: the gradient is taken at the look-ahead point.

    In PyTorch's form, which this class follows, the parameters are the look-ahead
    point :math:`\phi` itself, and the gradient is taken there,
    :math:`g_t = \nabla J(\phi_{t-1})`:

    .. math::

        b_t &= \gamma\, b_{t-1} + g_t, \qquad b_0 = 0 \\
        \phi_t &= \phi_{t-1} - \eta_t\, (g_t + \gamma\, b_t)

    Arguments: ``lr`` is :math:`\eta`, ``momentum`` is :math:`\gamma`. Hyperparameters
    and state are :class:`Momentum`'s; only the update differs.

    Nesterov, "A method for solving the convex programming problem with convergence rate
    O(1/k^2)", Soviet Mathematics Doklady 27, 1983; Sutskever, Martens, Dahl & Hinton,
    "On the importance of initialization and momentum in deep learning", ICML 2013.
    Matches ``torch.optim.SGD(lr=lr, momentum=momentum, nesterov=True)``.

    .. note:: Conventions.
        Sutskever et al. take the gradient at the look-ahead point, in velocity form:
        :math:`v_t = \gamma v_{t-1} + \eta \nabla J(\theta_{t-1} - \gamma v_{t-1}),\
        \theta_t = \theta_{t-1} - v_t`. Substituting
        :math:`\phi_t = \theta_t - \gamma v_t`
        (Bengio, Boulanger-Lewandowski & Pascanu, 2013) gives the update above with
        :math:`v_t = \eta b_t`: with a constant learning rate, the same sequence of
        look-ahead points. Keras stores :math:`-v_t` (``velocity = momentum * velocity -
        lr * g; w = w + momentum * velocity - lr * g``); PyTorch keeps :math:`\eta` out
        of the buffer, as here, so the two differ under a schedule (see
        :class:`Momentum`). PyTorch refuses ``nesterov=True`` with ``momentum=0``; here
        it is plain gradient descent.
    """

    def update(self, phi, g, state, lr):
        b = self.momentum * state.b + g
        phi = phi - lr * (g + self.momentum * b)
        return phi, MomentumState(state.t + 1, b)
