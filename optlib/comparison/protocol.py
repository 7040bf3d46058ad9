r"""The benchmark's protocol: the problems, the search spaces, the trials, the splits.

After Schmidt, Schneider & Hennig, "Descending through a Crowded Valley" (ICML 2021),
and Choi et al., "On Empirical Comparisons of Optimizers for Deep Learning"
(arXiv:1910.05446, 2019): every optimizer gets the same number of trials over its own
search space, scored on a validation split carved from the training set; the test set
is used only by the final runs.
"""

from __future__ import annotations

import functools
import inspect
import math
from dataclasses import dataclass
from typing import Callable

import numpy as np

from .. import data, models, optimizers

#: How many tuning trials every optimizer gets, on every problem.
TRIALS = 24
#: The seeds of the final runs (the tuned and the default settings share them).
FINAL_SEEDS = tuple(range(1, 11))
#: The seed of every tuning trial (initialisation and shuffling).
TUNING_SEED = 0
#: The share of each digit's training images held out for validation; the split's seed.
VALIDATION_FRACTION, VALIDATION_SEED = 0.2, 0
#: Lookahead wraps this optimizer (the inner one of the chapter "Beyond Adam").
LOOKAHEAD_INNER = "Adam"
SPLITS = ("tuning", "final")


@dataclass(frozen=True)
class Problem:
    """One benchmark problem: a model on the digits and how long to train it.

    ``metric``: what is reported on the test set, ``"accuracy"`` (a classifier's test
    accuracy) or ``"reconstruction error"`` (the autoencoder's test loss, the squared
    error per image).
    """

    name: str
    title: str
    why: str
    make_model: Callable
    epochs: int
    batch_size: int
    metric: str
    higher_is_better: bool

    def model(self):
        """A new model of this problem."""
        return self.make_model()


PROBLEMS = {
    "softmax": Problem(
        "softmax", "softmax regression",
        "a convex loss, so every optimizer can reach the same minimum and only the "
        "speed differs",
        lambda: models.LogisticRegression(64, 10), epochs=20, batch_size=32,
        metric="accuracy", higher_is_better=True),
    "mlp": Problem(
        "mlp", "MLP 64-32-10 (tanh)",
        "the one-hidden-layer network the earlier chapters train: non-convex but "
        "shallow",
        lambda: models.MLP(64, 32, 10), epochs=20, batch_size=32,
        metric="accuracy", higher_is_better=True),
    "autoencoder": Problem(
        "autoencoder", "autoencoder 64-32-8-32-64",
        "a deeper non-convex problem with a narrow code, Sutskever et al.'s momentum "
        "testbed scaled down from 784-pixel MNIST and eight layers to 8x8 digits and "
        "four",
        lambda: models.Autoencoder((64, 32, 8, 32, 64)), epochs=30, batch_size=32,
        metric="reconstruction error", higher_is_better=False),
}


@dataclass(frozen=True)
class Dimension:
    """One tuned hyperparameter: ``name`` (the optimizer's keyword) in ``[low, high]``.

    ``scale``: ``"log"`` draws the value log-uniformly; ``"log1m"`` draws ``1 - value``
    log-uniformly in ``[1 - high, 1 - low]`` (for decay rates such as :math:`\\beta_1`,
    whose interesting values crowd near 1); ``"linear"`` draws it uniformly.
    """

    name: str
    low: float
    high: float
    scale: str

    def value(self, u: float) -> float:
        """The value at the quantile ``u`` in ``[0, 1)`` of the range."""
        if self.scale == "linear":
            return self.low + u * (self.high - self.low)
        if self.scale == "log":
            return math.exp(math.log(self.low) + u * math.log(self.high / self.low))
        one_minus_low, one_minus_high = 1.0 - self.high, 1.0 - self.low
        return 1.0 - math.exp(math.log(one_minus_high)
                              + u * math.log(one_minus_low / one_minus_high))

    def describe(self) -> str:
        """The range as the chapter's table prints it."""
        if self.scale == "log1m":
            low, high = 1 - self.high, 1 - self.low
            return f"1 - {self.name} log-uniform in [{low:.3g}, {high:.3g}]"
        kind = "log-uniform" if self.scale == "log" else "uniform"
        return f"{self.name} {kind} in [{self.low:.3g}, {self.high:.3g}]"


def _lr(low, high):
    return Dimension("lr", low, high, "log")


BETA1 = Dimension("beta1", 0.5, 0.99, "log1m")
MOMENTUM = Dimension("momentum", 0.5, 0.99, "log1m")
RHO = Dimension("rho", 0.5, 0.999, "log1m")
EPS = Dimension("eps", 1e-10, 1e-1, "log")
ADAM_LR = _lr(1e-4, 3e-1)

#: Per optimizer, what is tuned and over which range. Every hyperparameter not listed
#: keeps its default (beta2 stays at its default everywhere).
SEARCH_SPACES = {
    "SGD": (_lr(1e-3, 10.0),),
    "Momentum": (_lr(1e-4, 1.0), MOMENTUM),
    "Nesterov": (_lr(1e-4, 1.0), MOMENTUM),
    "AdaGrad": (_lr(1e-3, 3.0), EPS),
    "RMSprop": (_lr(1e-5, 1e-1), RHO, EPS),
    "AdaDelta": (_lr(3e-2, 30.0), RHO, Dimension("eps", 1e-8, 1e-2, "log")),
    "Adam": (ADAM_LR, BETA1, EPS),
    "AMSGrad": (ADAM_LR, BETA1, EPS),
    "AdamW": (ADAM_LR, BETA1, Dimension("weight_decay", 1e-4, 1.0, "log")),
    "AdaMax": (ADAM_LR, BETA1, EPS),
    "NAdam": (ADAM_LR, BETA1, EPS),
    "RAdam": (ADAM_LR, BETA1, EPS),
    "Lion": (_lr(1e-5, 3e-2), BETA1),
    "Lookahead": (ADAM_LR, Dimension("alpha", 0.2, 0.9, "linear")),
    "Ranger": (ADAM_LR, BETA1, EPS),
    "Muon": (_lr(1e-3, 1.0), MOMENTUM, Dimension("adamw_lr", 1e-4, 3e-1, "log")),
    "ScheduleFreeAdamW": (ADAM_LR, BETA1, EPS),
}
OPTIMIZER_NAMES = tuple(name for name in optimizers.OPTIMIZERS if name in SEARCH_SPACES)

#: What the names of the table mean when they are not a single optlib class.
NOTES = {
    "Lookahead": f"Lookahead(k=5) around {LOOKAHEAD_INNER}; lr is the inner "
                 f"{LOOKAHEAD_INNER}'s",
    "Muon": "Muon on the weight matrices, AdamW (its defaults but adamw_lr) on the "
            "biases",
}

_PRIMES = (2, 3, 5, 7, 11, 13)


def halton(n_points: int, n_dims: int) -> np.ndarray:
    """Points ``1 .. n_points`` of the Halton sequence in ``[0, 1)^n_dims``.

    A quasi-random sequence: coordinate ``d`` of point ``i`` is ``i`` written in base
    ``prime_d`` with its digits mirrored behind the point. It fills the cube more evenly
    than random draws; there is nothing to seed.
    """
    if not 1 <= n_dims <= len(_PRIMES):
        raise ValueError(f"Invalid n_dims: {n_dims!r} (expected 1 to {len(_PRIMES)})")
    points = np.zeros((n_points, n_dims))
    for d, base in enumerate(_PRIMES[:n_dims]):
        for i in range(n_points):
            index, fraction, value = i + 1, 1.0 / base, 0.0
            while index:
                index, digit = divmod(index, base)
                value += digit * fraction
                fraction /= base
            points[i, d] = value
    return points


def check_optimizer_name(name) -> str:
    if name not in SEARCH_SPACES:
        raise ValueError(f"Invalid optimizer: {name!r} "
                         f"(expected one of {OPTIMIZER_NAMES})")
    return name


def check_problem_name(name) -> str:
    if name not in PROBLEMS:
        raise ValueError(f"Invalid problem: {name!r} "
                         f"(expected one of {tuple(PROBLEMS)})")
    return name


def search_trials(optimizer_name: str, trials: int = TRIALS) -> list:
    """The ``trials`` hyperparameter settings (dicts) tried for ``optimizer_name``."""
    space = SEARCH_SPACES[check_optimizer_name(optimizer_name)]
    points = halton(trials, len(space))
    # four significant digits: a setting that reads as it is stored
    return [{dim.name: float(f"{dim.value(u):.4g}") for dim, u in zip(space, point)}
            for point in points]


def _signature_default(cls, keyword):
    return inspect.signature(cls).parameters[keyword].default


def default_hyper(optimizer_name: str) -> dict:
    """The defaults of the tuned hyperparameters: what "at its defaults" runs with."""
    name = check_optimizer_name(optimizer_name)
    owners = {"Lookahead": {"lr": getattr(optimizers, LOOKAHEAD_INNER),
                            "alpha": optimizers.Lookahead},
              "Muon": {"lr": optimizers.Muon, "momentum": optimizers.Muon,
                       "adamw_lr": optimizers.AdamW}}.get(name, {})
    cls = getattr(optimizers, name)
    keywords = {"adamw_lr": "lr"}
    return {dim.name: float(_signature_default(owners.get(dim.name, cls),
                                               keywords.get(dim.name, dim.name)))
            for dim in SEARCH_SPACES[name]}


def make_optimizer(optimizer_name: str, hyper: dict, model):
    """The optlib optimizer ``optimizer_name`` with the hyperparameters ``hyper`` (a
    dict of the search space's names; missing ones take their defaults), for
    ``model``."""
    name = check_optimizer_name(optimizer_name)
    allowed = {dim.name for dim in SEARCH_SPACES[name]}
    unknown = set(hyper) - allowed
    if unknown:
        raise ValueError(f"Invalid hyperparameters for {name}: {sorted(unknown)} "
                         f"(expected some of {sorted(allowed)})")
    settings = {**default_hyper(name), **hyper}
    if name == "Lookahead":
        inner = getattr(optimizers, LOOKAHEAD_INNER)(lr=settings["lr"])
        return optimizers.Lookahead(inner, alpha=settings["alpha"])
    if name == "Muon":
        muon = optimizers.Muon(lr=settings["lr"], momentum=settings["momentum"])
        return optimizers.muon_with_adamw(model.shapes, muon,
                                          optimizers.AdamW(lr=settings["adamw_lr"]))
    return getattr(optimizers, name)(**settings)


@functools.lru_cache(maxsize=1)
def _digits():
    return data.digits()


def validation_indices():
    """``(fit, validation)``: indices into the training set of the digits (stratified by
    digit, seeded). Tuning trains on ``fit`` and scores on ``validation``."""
    labels = _digits().y_train
    return data.stratified_split(labels, VALIDATION_FRACTION,
                                 np.random.default_rng(VALIDATION_SEED))


@functools.lru_cache(maxsize=2)
def dataset(split: str):
    """The data of a split: ``"tuning"`` trains on the fit part of the training set and
    evaluates on its validation part; ``"final"`` trains on the whole training set and
    evaluates on the test set."""
    if split not in SPLITS:
        raise ValueError(f"Invalid split: {split!r} (expected one of {SPLITS})")
    digits = _digits()
    if split == "final":
        return digits
    fit, validation = validation_indices()
    return data.Dataset(digits.x_train[fit], digits.y_train[fit],
                        digits.x_train[validation], digits.y_train[validation],
                        digits.n_classes, digits.image_shape,
                        "digits (validation split)")


def protocol(trials: int = TRIALS, seeds=FINAL_SEEDS) -> dict:
    """Everything that defines the benchmark, as plain data (for the cache's meta)."""
    return {
        "trials": trials, "final_seeds": list(seeds), "tuning_seed": TUNING_SEED,
        "validation_fraction": VALIDATION_FRACTION, "validation_seed": VALIDATION_SEED,
        "search": "Halton sequence (bases 2, 3, 5), points 1..trials, mapped into each "
                  "space, values rounded to 4 significant digits",
        "selection": "best final validation metric; ties by lower validation loss, "
                     "then by trial order; diverged trials are never chosen",
        "diverged_final_metric": "a diverged final run counts with its metric before "
                                 "training (epoch 0)",
        "lookahead_inner": LOOKAHEAD_INNER,
        "problems": {name: {"title": p.title, "why": p.why, "model": repr(p.model()),
                            "epochs": p.epochs, "batch_size": p.batch_size,
                            "metric": p.metric, "higher_is_better": p.higher_is_better}
                     for name, p in PROBLEMS.items()},
        "search_spaces": {name: [{"name": d.name, "low": d.low, "high": d.high,
                                  "scale": d.scale, "describe": d.describe()}
                                 for d in space]
                          for name, space in SEARCH_SPACES.items()},
        "defaults": {name: default_hyper(name) for name in OPTIMIZER_NAMES},
        "notes": NOTES,
    }
