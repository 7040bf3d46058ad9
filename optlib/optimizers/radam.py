"""RAdam: Adam with its adaptive rate switched on only once its variance is tractable."""

from __future__ import annotations

import math

import numpy as np

from .adam import Adam, AdamState


class RAdam(Adam):
    r"""RAdam: momentum SGD for the first steps, then Adam scaled by a variance rectification.

    .. math::

        m_t &= \beta_1 m_{t-1} + (1 - \beta_1)\, g_t, \qquad \hat m_t = m_t / (1 - \beta_1^t) \\
        v_t &= \beta_2 v_{t-1} + (1 - \beta_2)\, g_t^2 \\
        \rho_\infty &= \frac{2}{1 - \beta_2} - 1, \qquad
            \rho_t = \rho_\infty - \frac{2 t\, \beta_2^t}{1 - \beta_2^t} \\
        \text{if } \rho_t > 5:\quad
            r_t &= \sqrt{\frac{(\rho_t - 4)(\rho_t - 2)\,\rho_\infty}
                              {(\rho_\infty - 4)(\rho_\infty - 2)\,\rho_t}}, \qquad
            \theta_t = \theta_{t-1} - \eta_t\, r_t\, \hat m_t\,
                       \frac{\sqrt{1 - \beta_2^t}}{\sqrt{v_t} + \epsilon} \\
        \text{else}:\quad
            \theta_t &= \theta_{t-1} - \eta_t\, \hat m_t

    Arguments: ``lr`` is :math:`\eta`, ``beta1`` and ``beta2`` are :math:`\beta_1, \beta_2`,
    ``eps`` is :math:`\epsilon` (hyperparameters and state are :class:`Adam`'s). :math:`\rho_t` is the length of the simple moving average that
    the exponential one approximates; while it is short the variance of the adaptive rate is
    not defined, and the update is un-adapted momentum SGD (the first 5 steps with
    :math:`\beta_2 = 0.999`). :math:`r_t` then rises from about 0.026 (step 6) towards 1.

    Liu, Jiang, He, Chen, Liu, Gao & Han, "On the Variance of the Adaptive Learning Rate and
    Beyond", ICLR 2020, Algorithm 2, https://arxiv.org/abs/1908.03265.
    Matches ``torch.optim.RAdam(lr, betas=(beta1, beta2), eps)``.

    .. note:: Conventions.
        The paper switches to the rectified update when :math:`\rho_t > 4` and has no
        :math:`\epsilon`, with :math:`l_t = \sqrt{(1 - \beta_2^t) / v_t}`. PyTorch (and this
        class) switch at :math:`\rho_t > 5`; the authors' code uses :math:`\rho_t \ge 5` and can
        skip the update entirely before it (``degenerated_to_sgd=False``). With
        :math:`\beta_2 = 0.999`, :math:`\rho_5 \approx 4.99`, so the threshold 4 would rectify
        from step 5 and the threshold 5 from step 6. PyTorch adds :math:`\epsilon` to the
        *uncorrected* :math:`\sqrt{v_t}` (unlike its own Adam, which adds it to
        :math:`\sqrt{\hat v_t}`).
    """

    def update(self, theta, g, state, lr):
        t = state.t + 1
        m = self.beta1 * state.m + (1 - self.beta1) * g
        v = self.beta2 * state.v + (1 - self.beta2) * g**2
        m_hat = m / (1 - self.beta1**t)
        bias_correction2 = 1 - self.beta2**t
        rho_inf = 2 / (1 - self.beta2) - 1
        rho_t = rho_inf - 2 * t * self.beta2**t / bias_correction2
        if rho_t > 5.0:
            rectification = math.sqrt(
                (rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t)
            )
            adaptive = math.sqrt(bias_correction2) / (np.sqrt(v) + self.eps)
            theta = theta - m_hat * lr * adaptive * rectification
        else:
            theta = theta - m_hat * lr
        return theta, AdamState(t, m, v)
