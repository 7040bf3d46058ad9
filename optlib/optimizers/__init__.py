"""The optimizers. One class each; see :mod:`optlib.optimizers.base` for the shared contract."""

from .adam import Adam, AdamState
from .base import Optimizer
from .sgd import SGD, SGDState

__all__ = ["Adam", "AdamState", "Optimizer", "SGD", "SGDState"]
