"""The optimizers. One class each; see :mod:`optlib.optimizers.base` for the shared contract."""

from .adam import Adam, AdaMax, AdaMaxState, AdamState, AdamW, AMSGrad, AMSGradState
from .adaptive import AdaDelta, AdaDeltaState, AdaGrad, AdaGradState, RMSprop, RMSpropState
from .base import Optimizer
from .groups import ParameterGroups, ParameterGroupsState, muon_with_adamw
from .lion import Lion, LionState
from .lookahead import Lookahead, LookaheadState, Ranger
from .muon import Muon, MuonOnPoints, MuonState, newton_schulz
from .nadam import NAdam, NAdamState
from .radam import RAdam
from .schedulefree import ScheduleFreeAdamW, ScheduleFreeAdamWState
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
    "Muon",
    "ScheduleFreeAdamW",
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
    "Muon",
    "ScheduleFreeAdamW",
    "MuonOnPoints",
    "ParameterGroups",
    "muon_with_adamw",
    "newton_schulz",
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
    "MuonState",
    "ScheduleFreeAdamWState",
    "ParameterGroupsState",
]
