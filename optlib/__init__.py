"""optlib: the optimizers of the book, in small readable numpy."""

from .optimizers import *  # noqa: F401,F403
from .optimizers import __all__ as _optimizer_names

__all__ = list(_optimizer_names)
