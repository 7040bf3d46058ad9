r"""Run an optimizer on a test function and keep the whole path: :func:`minimize` and :class:`Trajectory`.

.. code-block:: python

    f = functions.rosenbrock()
    run = minimize(f, f.start, Adam(lr=0.05), steps=200)
    run.x.shape         # (201, 2): theta_0, ..., theta_200
    run.values[-1]      # f(theta_200)

``x0`` may hold many start points, shape ``(n, d)`` (or any ``(..., d)``): they all run in one
vectorised loop, each independently, because every optimizer works elementwise.

A run that blows up is stopped, not raised: at the first step ``k`` whose point is not finite or
has a coordinate with ``|x| > bound``, the point is marked (``diverged``, ``diverged_at = k``)
and frozen. Its ``x[k]`` is kept if it is finite (so that a plot can show the leap) and
everything after it is ``nan``. numpy floating-point warnings are silenced inside the loop.

``noise = sigma > 0`` adds seeded Gaussian noise of standard deviation ``sigma`` to every
coordinate of every gradient: a model of stochastic gradients, whose mean is the true gradient.
The same ``seed`` gives the same noise, whatever the optimizer, so runs compare like with like.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from numbers import Integral, Real

import numpy as np

from .optimizers.base import as_float_array, evaluation_point


@dataclass(frozen=True)
class Trajectory:
    """The path of one run (or of a batch of runs) of an optimizer on a function.

    ``x``: the iterates, shape ``(steps + 1, *batch, d)``, ``x[0]`` the start: the optimizer's
    evaluation points (its parameters, except Schedule-Free AdamW's average :math:`x_t`, not the
    :math:`y_t` where it takes gradients).
    ``values``: ``f(x)``, shape ``(steps + 1, *batch)``.
    ``diverged``: bool, shape ``batch`` (a numpy scalar for a single run).
    ``diverged_at``: the step at which each run diverged, ``-1`` if it did not.
    ``label``: the name used in legends and for the colour (default: the optimizer's class name).
    ``function_name``: ``f.name``. ``min_value``: ``f.min_value``, the default ``f_min``.
    """

    x: np.ndarray
    values: np.ndarray
    diverged: np.ndarray
    diverged_at: np.ndarray
    label: str
    function_name: str
    min_value: float = float("nan")

    @property
    def steps(self) -> int:
        """The number of steps taken (``len(x) - 1``)."""
        return self.x.shape[0] - 1

    @property
    def final_x(self) -> np.ndarray:
        """The last iterate, ``x[-1]`` (``nan`` for a run that diverged)."""
        return self.x[-1]

    @property
    def final_value(self):
        """The last value, ``values[-1]`` (``nan`` for a run that diverged)."""
        return self.values[-1]

    def steps_to_reach(self, tol: float, f_min: float | None = None):
        """The first step ``t`` with ``values[t] - f_min <= tol``.

        ``f_min`` defaults to the function's ``min_value``. A single run returns an ``int`` or
        ``None`` if it never gets there; a batch returns an int array with ``-1`` for those.
        """
        f_min = self.min_value if f_min is None else float(f_min)
        if not math.isfinite(f_min):
            raise ValueError(f"f_min must be finite, got {f_min} (pass f_min= explicitly)")
        with np.errstate(invalid="ignore"):
            reached = self.values - f_min <= tol
        first = np.where(reached.any(axis=0), np.argmax(reached, axis=0), -1)
        if first.ndim == 0:
            return None if first < 0 else int(first)
        return first


def check_noise(noise) -> float:
    """The standard deviation of the gradient noise, as a float; a clear error if it is not one."""
    if isinstance(noise, bool) or not isinstance(noise, Real) or not 0 <= float(noise) < math.inf:
        raise ValueError(f"noise must be a finite number >= 0, got {noise!r}")
    return float(noise)


def _check_steps(steps) -> int:
    if isinstance(steps, bool) or not isinstance(steps, Integral):
        raise TypeError(f"steps must be a non-negative integer, got {steps!r}")
    if steps < 0:
        raise ValueError(f"steps must be a non-negative integer, got {steps}")
    return int(steps)


def minimize(f, x0, optimizer, steps: int, *, bound: float = 1e6, label: str | None = None,
             noise: float = 0.0, seed: int = 0) -> Trajectory:
    r"""Take ``steps`` steps of ``optimizer`` on ``f`` from ``x0``; return the :class:`Trajectory`.

    Step ``t`` computes :math:`g_t = \nabla f(\theta_{t-1}) + \sigma \xi_t`, with
    :math:`\xi_t` standard normal and :math:`\sigma` = ``noise`` (0 by default: the exact
    gradient), and lets the optimizer update :math:`\theta_{t-1} \to \theta_t`. ``x0`` has
    shape ``(d,)`` or ``(..., d)`` for a batch of independent runs; it is not modified. ``bound``
    is the divergence threshold on :math:`|\theta_i|`. ``label`` defaults to the optimizer's
    class name. ``seed`` seeds the noise. The path records
    ``optimizer.evaluation_point(params, state)`` after each step, which is the parameters for
    every optimizer but one that averages its iterates (:class:`optlib.ScheduleFreeAdamW`);
    divergence is judged on the parameters.
    """
    steps = _check_steps(steps)
    if isinstance(bound, bool) or not isinstance(bound, Real) or not float(bound) > 0:
        raise ValueError(f"bound must be a number > 0, got {bound!r}")
    noise = check_noise(noise)
    if isinstance(seed, bool) or not isinstance(seed, Integral) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    rng = np.random.default_rng(int(seed))
    x = np.array(as_float_array(x0), copy=True)
    if x.ndim == 0 or x.shape[-1] != f.dim:
        raise ValueError(f"x0 must have shape (..., {f.dim}) for {f.name}, got shape {x.shape}")
    if not np.all(np.isfinite(x)):
        raise ValueError(f"x0 must be finite, got {x0!r}")
    if label is None:
        label = type(optimizer).__name__

    bound = min(float(bound), float(np.finfo(x.dtype).max))  # so that inf is out of bounds too
    batch = x.shape[:-1]
    path = np.empty((steps + 1, *x.shape), dtype=x.dtype)
    path[0] = x
    alive = np.all(np.abs(x) <= bound, axis=-1)
    diverged_at = np.where(alive, -1, 0)
    state = optimizer.init(x)
    all_alive = bool(alive.all()) and x.size > 0  # max() of an empty batch would raise
    with np.errstate(all="ignore"):
        for t in range(1, steps + 1):
            g = f.grad(x)
            if noise > 0:
                g = g + noise * rng.standard_normal(x.shape, dtype=x.dtype)
            if not all_alive:  # frozen points: no gradient, and they stay where they were
                g = np.where(alive[..., None], g, 0.0)
            x_new, state = optimizer.step(x, g, state)
            path[t] = evaluation_point(optimizer, x_new, state)
            if all_alive and np.abs(x_new).max() <= bound:  # the common case, one reduction
                x = x_new
                continue
            inside = np.all(np.abs(x_new) <= bound, axis=-1)  # False for nan and inf
            if not inside.all():
                newly = alive & ~inside
                diverged_at = np.where(newly, t, diverged_at)
                alive = alive & inside
                all_alive = False
                x_new = np.where(alive[..., None], x_new, x)
            x = x_new

        diverged = diverged_at >= 0
        if diverged.any():
            t_index = np.arange(steps + 1).reshape((-1,) + (1,) * len(batch))
            after = diverged & (t_index > diverged_at)
            at = diverged & (t_index == diverged_at) & ~np.all(np.isfinite(path), axis=-1)
            path[after | at] = np.nan
        values = np.asarray(f(path))
    path.setflags(write=False)
    values.setflags(write=False)
    return Trajectory(
        x=path,
        values=values,
        diverged=np.asarray(diverged)[()],
        diverged_at=np.asarray(diverged_at)[()],
        label=str(label),
        function_name=f.name,
        min_value=float(getattr(f, "min_value", float("nan"))),
    )
