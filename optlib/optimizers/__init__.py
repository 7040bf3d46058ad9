"""The optimizers. One class each; see :mod:`optlib.optimizers.base` for the shared contract."""

from .adam import Adam, AdaMax, AdaMaxState, AdamState, AdamW, AMSGrad, AMSGradState
from .adaptive import AdaDelta, AdaDeltaState, AdaGrad, AdaGradState, RMSprop, RMSpropState
from .base import Optimizer
from .lion import Lion, LionState
from .lookahead import Lookahead, LookaheadState, Ranger
from .nadam import NAdam, NAdamState
from .radam import RAdam
from .sgd import SGD, Momentum, MomentumState, Nesterov, SGDState

#: The optimizers in the order the book introduces them.
OPTIMIZERS = (
    "SGD",
    "Momentum",
    "Nesterov",
    "AdaGrad",
    "RMSprop",
    "AdaDelta",
    "Adam",
    "AMSGrad",
    "AdamW",
    "AdaMax",
    "NAdam",
    "RAdam",
    "Lion",
    "Lookahead",
    "Ranger",
)

__all__ = [
    "SGD",
    "Momentum",
    "Nesterov",
    "AdaGrad",
    "RMSprop",
    "AdaDelta",
    "Adam",
    "AMSGrad",
    "AdamW",
    "AdaMax",
    "NAdam",
    "RAdam",
    "Lion",
    "Lookahead",
    "Ranger",
    "OPTIMIZERS",
    "Optimizer",
    "SGDState",
    "MomentumState",
    "AdaGradState",
    "RMSpropState",
    "AdaDeltaState",
    "AdamState",
    "AMSGradState",
    "AdaMaxState",
    "NAdamState",
    "LionState",
    "LookaheadState",
]
