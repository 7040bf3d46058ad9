"""What every optimizer shares: hyperparameter checks, the learning-rate lookup and the shape check.

An optimizer is a small object holding validated hyperparameters. It has two methods:

* ``init(params) -> State``: the starting state, an immutable ``NamedTuple`` whose fields are the
  symbols of the math (``t``, ``m``, ``v``, ...).
* ``step(params, grad, state) -> (new_params, new_state)``: one update. It is pure: the caller's
  arrays are never modified, new arrays are returned.
* ``evaluation_point(params, state)``: the point at which to measure the loss and to stop,
  ``params`` itself except for an optimizer that keeps an average (Schedule-Free AdamW).

Subclasses write ``update(theta, g, state, lr)``, the formulas of their chapter, and nothing else:
``step`` converts the inputs, checks the shapes and looks up the learning rate of this step.
A wrapper such as ``Lookahead`` overrides ``step`` instead, and lets its inner optimizer's ``step``
do those three things.
"""

from __future__ import annotations

import inspect
import math
from numbers import Integral, Real
from typing import Callable, NamedTuple, Union

import numpy as np

Schedule = Callable[[int], float]
LearningRate = Union[float, Schedule]


def _checked_real(name: str, value) -> float:
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(f"Invalid {name}: {value!r} (expected a real number)")
    return float(value)


def check_learning_rate(lr: LearningRate, name: str = "learning rate") -> LearningRate:
    """A learning rate is a finite number ``>= 0`` or a schedule (a callable of the step ``t``);
    ``name`` is how the message calls it (``learning_rate`` in the Keras and optax variants)."""
    if callable(lr):
        return lr
    value = _checked_real(name, lr)
    if not (math.isfinite(value) and value >= 0.0):
        raise ValueError(f"Invalid {name}: {lr}")
    return value


def check_unit_interval(name: str, value) -> float:
    """Decay rates (``beta1``, ``beta2``, ``rho``, ``momentum``) must lie in ``[0, 1)``."""
    number = _checked_real(name, value)
    if not 0.0 <= number < 1.0:
        raise ValueError(f"Invalid {name} value: {value} (must be in [0, 1))")
    return number


def check_positive(name: str, value) -> float:
    """``eps`` and friends must be finite and strictly positive."""
    number = _checked_real(name, value)
    if not (math.isfinite(number) and number > 0.0):
        raise ValueError(f"Invalid {name} value: {value} (must be a finite number > 0)")
    return number


def check_non_negative(name: str, value) -> float:
    """``weight_decay`` and friends must be finite and ``>= 0``."""
    number = _checked_real(name, value)
    if not (math.isfinite(number) and number >= 0.0):
        raise ValueError(f"Invalid {name} value: {value} (must be a finite number >= 0)")
    return number


def check_positive_integer(name: str, value) -> int:
    """Counts (``k``, ``drop_every``, ``total_steps``, ...) must be integers ``>= 1``."""
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise TypeError(f"Invalid {name} value: {value!r} (expected a positive integer)")
    if value < 1:
        raise ValueError(f"Invalid {name} value: {value} (must be a positive integer)")
    return int(value)


def check_fraction(name: str, value) -> float:
    """Interpolation weights (Lookahead's ``alpha``) must lie in ``(0, 1]``."""
    number = _checked_real(name, value)
    if not 0.0 < number <= 1.0:
        raise ValueError(f"Invalid {name} value: {value} (must be in (0, 1])")
    return number


def as_float_array(x) -> np.ndarray:
    """``x`` as an array of floats; float32 stays float32, integers become float64."""
    array = np.asarray(x)
    if np.issubdtype(array.dtype, np.floating):
        return array
    return array.astype(np.float64)


def params_and_grad(params, grad):
    """``params`` as floats and ``grad`` in their dtype, or a ValueError if the shapes differ."""
    theta = as_float_array(params)
    g = np.asarray(grad, dtype=theta.dtype)
    if g.shape != theta.shape:
        raise ValueError(f"grad has shape {g.shape} but params have shape {theta.shape}")
    return theta, g


def evaluation_point(optimizer, params, state):
    """``optimizer.evaluation_point(params, state)``, or ``params`` for an object without one
    (a reader's own optimizer with just ``init`` and ``step``)."""
    method = getattr(optimizer, "evaluation_point", None)
    return params if method is None else method(params, state)


class Optimizer:
    """Base class. Subclasses define ``__init__`` (validating), ``init`` and ``update``."""

    lr: LearningRate

    def init(self, params) -> NamedTuple:  # pragma: no cover - every subclass overrides it
        raise NotImplementedError

    def update(self, theta: np.ndarray, g: np.ndarray, state: NamedTuple, lr: float):
        """One step of the method's formulas; returns ``(new_theta, new_state)``."""
        raise NotImplementedError  # pragma: no cover

    def learning_rate(self, t: int) -> float:
        """The learning rate ``eta_t`` used by step ``t`` (``t = 1`` is the first step)."""
        if not callable(self.lr):
            return self.lr
        value = self.lr(t)
        try:
            rate = float(value)
        except (TypeError, ValueError):
            raise TypeError(f"Invalid learning rate: schedule returned {value!r} at step {t}") from None
        if not (math.isfinite(rate) and rate >= 0.0):
            raise ValueError(f"Invalid learning rate: {value} (returned by the schedule at step {t})")
        return rate

    def evaluation_point(self, params, state):
        """Where to measure the loss and what to keep: the parameters themselves, except for an
        optimizer that averages its iterates (:class:`ScheduleFreeAdamW` returns its average)."""
        return params

    def step(self, params, grad, state):
        """Return ``(new_params, new_state)`` after one update; never modifies its arguments."""
        theta, g = params_and_grad(params, grad)
        return self.update(theta, g, state, self.learning_rate(state.t + 1))

    def __repr__(self) -> str:
        names = [n for n in inspect.signature(type(self).__init__).parameters if n != "self"]
        args = ", ".join(f"{n}={getattr(self, n)!r}" for n in names)
        return f"{type(self).__name__}({args})"
