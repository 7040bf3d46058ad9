"""Muon: momentum orthogonalised by a Newton–Schulz iteration, for weight matrices."""

from __future__ import annotations

import math
from numbers import Real
from typing import NamedTuple

import numpy as np

from .base import (
    Optimizer,
    as_float_array,
    check_learning_rate,
    check_non_negative,
    check_positive,
    check_positive_integer,
    check_unit_interval,
)

#: Jordan's quintic (a, b, c): the steepest slope at 0 that still keeps p(s) near 1.
NEWTON_SCHULZ_COEFFICIENTS = (3.4445, -4.7750, 2.0315)
LR_ADJUSTMENTS = (None, "original", "match_rms_adamw")


def newton_schulz(G, coefficients=NEWTON_SCHULZ_COEFFICIENTS, steps=5, eps=1e-7):
    r"""Approximately orthogonalise ``G``, shape ``(m, n)`` or a stack ``(..., m, n)``.

    .. math::

        X_0 = G / \max(\lVert G \rVert_F, \epsilon), \qquad
        X_{j+1} = a X_j + (b A_j + c A_j^2) X_j, \quad A_j = X_j X_j^\top

    Each step maps every singular value :math:`s` of :math:`X_j` to
    :math:`p(s) = a s + b s^3 + c s^5` and keeps the singular vectors: so
    :math:`G = U S V^\top` becomes :math:`U\, p^{(k)}(S / \lVert G \rVert_F)\, V^\top`,
    close to :math:`U V^\top`. Computed in ``G``'s dtype. A tall matrix is transposed
    first (so that :math:`A_j` is the smaller Gram matrix) and back at the end, as in
    PyTorch.
    """
    X = as_float_array(G)
    if X.ndim < 2:
        raise ValueError(f"newton_schulz needs a matrix, got shape {X.shape}")
    a, b, c = (float(value) for value in coefficients)
    tall = X.shape[-2] > X.shape[-1]
    if tall:
        X = np.swapaxes(X, -1, -2)
    norm = np.sqrt(np.sum(X * X, axis=(-2, -1), keepdims=True))
    X = X / np.maximum(norm, X.dtype.type(eps))
    for _ in range(steps):
        A = X @ np.swapaxes(X, -1, -2)
        X = a * X + (b * A + c * A @ A) @ X
    return np.swapaxes(X, -1, -2) if tall else X


class MuonState(NamedTuple):
    t: int  #: number of steps taken
    B: np.ndarray  #: the momentum buffer, an average of the gradient matrices


class Muon(Optimizer):
    r"""Muon (MomentUm Orthogonalized by Newton–Schulz), for one weight matrix.

    .. math::

        B_t &= \mu B_{t-1} + (1 - \mu)\, g_t \\
        U_t &= (1 - \mu)\, g_t + \mu B_t
               \quad (\text{Nesterov; else } U_t = B_t) \\
        O_t &= \mathrm{NS}_k(U_t) \approx U V^\top
               \text{ of } U_t = U S V^\top \\
        \theta_t &= (1 - \eta_t \lambda)\, \theta_{t-1}
                    - \eta_t\, \mathrm{adjust}(m, n)\, O_t

    Arguments: ``lr`` is :math:`\eta`, ``weight_decay`` :math:`\lambda` (decoupled,
    scaled by :math:`\eta`), ``momentum`` :math:`\mu`, ``nesterov`` picks
    :math:`U_t`, ``ns_coefficients`` :math:`(a, b, c)` and ``ns_steps`` :math:`k` of
    :func:`newton_schulz`, ``eps`` its guard against a zero matrix. ``adjust_lr_fn``
    scales the step by the matrix's shape :math:`(m, n)`: ``None`` or ``"original"``
    by :math:`\sqrt{\max(1, m/n)}` (Jordan), ``"match_rms_adamw"`` by
    :math:`0.2\sqrt{\max(m, n)}` (Liu et al.: the update's RMS then matches AdamW's,
    so AdamW's learning rate and decay carry over).

    The parameters must be one 2-D array. Biases, gains and other vectors have no
    matrix to orthogonalise: train them with :class:`AdamW` (:func:`muon_with_adamw`
    splits a model's weights that way).

    Jordan, Jin, Boza, You, Cesista, Newhouse & Bernstein, "Muon: An optimizer for
    hidden layers in neural networks", 2024, https://kellerjordan.github.io/posts/muon/;
    Liu et al., "Muon is Scalable for LLM Training", 2025,
    https://arxiv.org/abs/2502.16982. Matches ``torch.optim.Muon`` (PyTorch 2.13, same
    names and defaults) with its Newton–Schulz run in float64.

    .. note:: Conventions.
        PyTorch computes :func:`newton_schulz` in bfloat16; this class in the
        parameters' dtype. PyTorch's docstring writes :math:`B_t = \mu B_{t-1} + g_t`,
        its code keeps the average above; :func:`newton_schulz` divides by the norm
        first, so the two differ only through ``eps``. The ``"original"`` adjustment
        reads the array's shape: PyTorch's ``nn.Linear`` stores a layer as (out, in),
        optlib's models as (in, out), so the same layer gets different factors;
        ``"match_rms_adamw"`` is symmetric. PyTorch accepts any ``momentum >= 0``;
        here it must lie in [0, 1).
    """

    def __init__(self, lr=1e-3, weight_decay=0.1, momentum=0.95, nesterov=True,
                 ns_coefficients=NEWTON_SCHULZ_COEFFICIENTS, eps=1e-7, ns_steps=5,
                 adjust_lr_fn=None):
        self.lr = check_learning_rate(lr)
        self.weight_decay = check_non_negative("weight_decay", weight_decay)
        self.momentum = check_unit_interval("momentum", momentum)
        if not isinstance(nesterov, (bool, np.bool_)):
            raise TypeError(f"Invalid nesterov value: {nesterov!r} "
                            "(expected True or False)")
        self.nesterov = bool(nesterov)
        self.ns_coefficients = _checked_coefficients(ns_coefficients)
        self.eps = check_positive("eps", eps)
        self.ns_steps = check_positive_integer("ns_steps", ns_steps)
        if adjust_lr_fn not in LR_ADJUSTMENTS:
            raise ValueError(f"Invalid adjust_lr_fn value: {adjust_lr_fn!r} "
                             f"(expected one of {LR_ADJUSTMENTS})")
        self.adjust_lr_fn = adjust_lr_fn

    def init(self, params) -> MuonState:
        theta = as_float_array(params)
        if theta.ndim != 2:
            raise ValueError(
                "Muon needs one 2-D weight matrix, got parameters of shape "
                f"{theta.shape}: its update orthogonalises a matrix. Train vectors "
                "such as biases with AdamW (optlib.muon_with_adamw splits a model's "
                "weights that way)")
        return MuonState(t=0, B=np.zeros_like(theta))

    def shape_factor(self, shape) -> float:
        """The factor ``adjust_lr_fn`` gives the step of a matrix of shape (m, n)."""
        m, n = shape
        if self.adjust_lr_fn == "match_rms_adamw":
            return 0.2 * math.sqrt(max(m, n))
        return math.sqrt(max(1.0, m / n))

    def update(self, theta, g, state, lr):
        mu = self.momentum
        B = mu * state.B + (1 - mu) * g
        U = (1 - mu) * g + mu * B if self.nesterov else B
        O = newton_schulz(U, self.ns_coefficients, self.ns_steps, self.eps)
        step = lr * self.shape_factor(theta.shape[-2:]) * O
        return theta * (1 - lr * self.weight_decay) - step, MuonState(state.t + 1, B)


def _checked_coefficients(coefficients) -> tuple:
    values = tuple(coefficients) if isinstance(coefficients, (tuple, list)) else ()
    if len(values) != 3 or not all(isinstance(v, Real) and not isinstance(v, bool)
                                   and math.isfinite(v) for v in values):
        raise ValueError(f"Invalid ns_coefficients value: {coefficients!r} "
                         "(expected three finite numbers a, b, c)")
    return tuple(float(v) for v in values)


class MuonOnPoints(Muon):
    r"""Muon for the book's 2-D test functions: each point is a 1×d matrix.

    A 1×d matrix has one singular value, so its orthogonalised update is (up to
    :func:`newton_schulz`'s error at that value) the unit vector along the momentum:
    Muon on a point is normalised momentum, with steps of length about :math:`\eta`.
    Points may be batched, shape ``(..., d)``; each runs on its own. For the explorer
    and the gallery only: a network's weight matrices take :class:`Muon`.
    """

    def init(self, params) -> MuonState:
        theta = as_float_array(params)
        if theta.ndim < 1:
            raise ValueError("MuonOnPoints needs points of shape (..., d), "
                             f"got shape {theta.shape}")
        return MuonState(t=0, B=np.zeros_like(theta))

    def update(self, theta, g, state, lr):
        as_row = MuonState(state.t, state.B[..., None, :])
        theta, state = super().update(theta[..., None, :], g[..., None, :], as_row, lr)
        return theta[..., 0, :], MuonState(state.t, state.B[..., 0, :])
