"""optlib: the optimizers of the book, in small readable numpy."""

from .optimizers import *  # noqa: F401,F403
from .optimizers import __all__ as _optimizer_names
from . import schedules  # noqa: F401  (optlib.schedules: learning rate as a function of t)
from . import functions  # noqa: F401  (optlib.functions: the test functions)
from .trajectory import Trajectory, minimize
from . import data, models  # noqa: F401  (the digits data and the numpy models)
from .training import History, train

__all__ = list(_optimizer_names)
__all__ += ["Trajectory", "minimize", "History", "train"]
