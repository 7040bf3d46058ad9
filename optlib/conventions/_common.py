"""What the library variants share: argument checks that name the library's own keyword,
the learning-rate convention, and a ``repr`` in the library's spelling.

Every variant is an :class:`optlib.optimizers.base.Optimizer`: ``init(params)`` and the
pure ``step(params, grad, state)``. Its ``learning_rate`` argument (``learning_rate`` in
Keras and optax, ``lr`` for the papers) is a number or an optlib schedule, a callable of
the 1-based step ``t`` (``t = 1`` is the first update). Keras evaluates its schedules at
``iterations`` and optax at ``count``, both the number of steps already taken, ``t -
1``; :func:`from_step_count` turns such a library schedule ``s`` into ``t -> s(t - 1)``.
"""

from __future__ import annotations

import inspect
from numbers import Real

import numpy as np

from ..optimizers.base import (
    Optimizer,
    check_learning_rate,
    check_non_negative,
    check_positive,
    check_unit_interval,
)

__all__ = [
    "Variant",
    "from_step_count",
    "check_rate",
    "check_decay",
    "check_epsilon",
    "check_non_negative",
    "check_flag",
    "check_optional_decay",
    "check_weight_decay",
    "decayed_weights",
]


def from_step_count(schedule):
    """A library schedule of the steps already taken (Keras ``iterations``, optax
    ``count``, both 0 at the first update) as an optlib schedule of t = 1, 2, ..."""
    if not callable(schedule):
        raise TypeError(f"Invalid schedule: {schedule!r} (expected a callable)")
    return lambda t: float(schedule(t - 1))


def _is_library_object(value) -> bool:
    module = getattr(type(value), "__module__", "") or ""
    function_module = getattr(value, "__module__", "") or ""
    names = (module.split(".")[0], str(function_module).split(".")[0])
    libraries = ("keras", "optax", "jax", "tensorflow", "torch")
    return any(name in libraries for name in names)


def check_rate(name: str, value, allow_none: bool = False):
    """A learning rate: a finite number ``>= 0`` or an optlib schedule ``t -> eta_t``.

    A Keras or optax schedule object is refused: it counts from 0, and passing it as it
    is would shift every rate by one step; wrap it with :func:`from_step_count`.
    """
    if value is None and allow_none:
        return None
    if callable(value) and _is_library_object(value):
        raise TypeError(
            f"Invalid {name}: {value!r} is a library schedule of the 0-based step "
            "count; "
            "pass from_step_count(schedule) (optlib schedules take t = 1, 2, ...)"
        )
    return check_learning_rate(value, name)


def check_decay(name: str, value) -> float:
    """A decay rate (``beta_1``, ``b2``, ``rho``, ``momentum``...) in ``[0, 1)``."""
    return check_unit_interval(name, value)


def check_optional_decay(name: str, value):
    """optax's ``momentum=None`` (no momentum at all) or a decay rate in ``[0, 1)``."""
    return None if value is None else check_decay(name, value)


def check_epsilon(name: str, value) -> float:
    """A finite ``epsilon > 0``."""
    return check_positive(name, value)


def check_flag(name: str, value) -> bool:
    """A boolean option (``nesterov``, ``amsgrad``...): ``True`` or ``False`` only."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"Invalid {name}: {value!r} (expected True or False)")
    return bool(value)


def check_weight_decay(name: str, value, allow_none: bool = False):
    """A weight decay ``>= 0`` (Keras: or ``None``, no decay). A schedule of the decay
    (optax accepts one) is not supported by these variants."""
    if value is None and allow_none:
        return None
    if callable(value) and not isinstance(value, Real):
        raise TypeError(
            f"Invalid {name}: {value!r} (a number; decay schedules are not supported)"
        )
    return check_non_negative(name, value)


def decayed_weights(theta, lr, weight_decay):
    """Keras's decoupled decay, applied before every optimizer's update:
    theta (1 - eta_t lambda)."""
    if weight_decay is None:
        return theta
    return theta * (1 - lr * weight_decay)


class Variant(Optimizer):
    """Base of the library variants. Subclasses set ``library``, ``name`` and the
    keyword names in ``self.arguments`` (for ``repr``); the learning rate lives in
    ``self.lr`` as everywhere in optlib, so :meth:`Optimizer.learning_rate` and
    :meth:`Optimizer.step` work unchanged."""

    library = ""
    name = ""

    def _remember(self, arguments):
        """Keep the constructor's arguments, as given, for ``repr``."""
        names = inspect.signature(type(self).__init__).parameters
        self.arguments = {name: arguments[name] for name in names if name != "self"}

    def __repr__(self) -> str:
        args = ", ".join(f"{key}={value!r}" for key, value in self.arguments.items())
        return f"{self.library}.{self.name}({args})"
