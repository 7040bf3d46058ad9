"""Checks for the exercises of the chapter "Which optimizer should I use?"
(``cmp-ex-1`` ... ``cmp-ex-5``).

The by-hand exercises (``cmp-ex-1`` to ``cmp-ex-3``) are checked against digests. The
two code exercises are checked against :mod:`optlib.comparison`: ``tied_with_best``
against the ties of :func:`optlib.comparison.summary` on the committed cache and against
:func:`optlib.comparison.paired_difference` on made-up samples, ``running_best`` against
:func:`optlib.comparison.choose` applied to the first k trials of every tuning in the
cache. The cache is read only when a check runs, never at import.
"""

from __future__ import annotations

import math
from typing import Any, Callable

import numpy as np

from ._common import HiddenCase, PropertyCase, by_hand, show

# The digests of the by-hand answers; the values they digest are computed, from optlib,
# in tests/test_exercise_answers.py, which also prints this dict anew when an exercise
# changes.
ANSWERS: dict[str, dict[str, str | list[str]]] = {
    "cmp-ex-1": {
        "mean": "4sf:a9cb94f15dd1e92d951f33f736edf5b9",
        "sd": "4sf:a155fc89d444964e8b5b50f4b23cf6ce",
        "standard_error": "4sf:de7f31a8fd3b23e6d3565bf65feed8fe",
        "half_width": "4sf:6b9869369c9ebf978e01f30d7eab0781",
    },
    "cmp-ex-2": {
        "expected_false": "4sf:997bf7705d1aee383f192ab126290df7",
        "p_any": "4sf:d5d8a385c605e762a83fa52b4dbcdbd3",
        "bonferroni_level": "4sf:d43e933687cb32ca11f1e70f481a0a11",
        "p_any_bonferroni": "4sf:91df74bffa662f4dee106b21d56f229d",
    },
    "cmp-ex-3": {
        "difference": "4sf:2865bca0f81a60a09c66847148c132b5",
        "se_unpaired": "4sf:267ce4959dd103a5c6af19b426e5a760",
        "se_paired": "4sf:465b48d40da7146a6e72e48ed2c6264b",
        "ratio": "4sf:3197fa264a4dd1430bcb8178b274daf1",
    },
}

#: cmp-ex-1: the test accuracies (%) of one setting over ten seeds
EX1_ACCURACIES = (96.4, 97.1, 95.8, 96.9, 96.2, 97.3, 96.0, 96.7, 96.4, 97.0)
#: cmp-ex-2: the optimizers of one table, and the level of each comparison with the best
EX2_OPTIMIZERS, EX2_LEVEL = 17, 0.05
#: cmp-ex-3: two optimizers' test accuracies (%) with the same five seeds
EX3_FIRST = (96.2, 97.1, 95.6, 96.8, 96.0)
EX3_SECOND = (95.9, 96.7, 95.5, 96.2, 95.8)


def _cmp_ex_1(answer) -> list[HiddenCase]:
    """The mean, the standard deviation (n - 1), the standard error and the half-width
    of the 95 % t-interval of ten test accuracies."""
    return by_hand("cmp-ex-1", answer, ANSWERS["cmp-ex-1"])


def _cmp_ex_2(answer) -> list[HiddenCase]:
    """Sixteen comparisons with the best at the 5 % level, if no optimizer differed: the
    expected number of false "different", the chance of at least one (independent
    tests), Bonferroni's level for each comparison and the chance of at least one at
    that level."""
    return by_hand("cmp-ex-2", answer, ANSWERS["cmp-ex-2"])


def _cmp_ex_3(answer) -> list[HiddenCase]:
    """Two optimizers on the same five seeds: the mean difference, its standard error
    unpaired and paired, and their ratio."""
    return by_hand("cmp-ex-3", answer, ANSWERS["cmp-ex-3"])


# --------------------------------------------------------------------------------------
# cmp-ex-4: which optimizers are within noise of the best


def _same_names(expected: set) -> Callable[[Any], "str | None"]:
    def judge(got) -> str | None:
        if isinstance(got, str) or not hasattr(got, "__iter__"):
            return f"got:      {show(got)}, but the answer is a set (or list) of names"
        got = set(got)
        if got == expected:
            return None
        missing, extra = sorted(expected - got), sorted(got - expected)
        said = []
        if missing:
            said.append(f"missing {', '.join(missing)}")
        if extra:
            said.append(f"should not hold {', '.join(extra)}")
        return f"got:      {sorted(got)}: {'; '.join(said)}"
    return judge


def _made_up_samples() -> list[tuple[str, dict, bool]]:
    """Samples where reading overlapping intervals, or forgetting the direction, goes
    wrong."""
    rng = np.random.default_rng(13)
    seed_effect = rng.normal(0.0, 0.02, size=10)  # shared by every optimizer, per seed
    shifted = {"A": 0.95 + seed_effect + rng.normal(0, 0.002, 10),
               "B": 0.94 + seed_effect + rng.normal(0, 0.002, 10),
               "C": 0.90 + rng.normal(0, 0.03, 10)}
    errors = {"first": 1.2 + rng.normal(0, 0.05, 8),
              "second": 1.25 + rng.normal(0, 0.05, 8),
              "third": 2.0 + rng.normal(0, 0.05, 8)}
    return [("three optimizers whose seeds move together, higher is better", shifted,
             True),
            ("three reconstruction errors, lower is better", errors, False)]


def _cmp_ex_4(tied_with_best) -> list[PropertyCase]:
    """tied_with_best(per_seed, higher_is_better): the names within noise of the best,
    by the paired t-interval over shared seeds, as comparison.summary marks them."""
    from optlib import comparison

    results = comparison.load_results()
    cases = []
    for problem in results.problems:
        higher = comparison.PROBLEMS[problem].higher_is_better
        for setting in ("tuned", "default"):
            per_seed = {name: results.final(problem, name, setting).final_metric.copy()
                        for name in results.optimizers}
            rows = comparison.summary(results, problem, setting)
            expected = {row.optimizer for row in rows if row.tied_with_best}
            cases.append(PropertyCase(
                f"tied_with_best(the {setting} final metrics on {problem!r}, "
                f"higher_is_better={higher})",
                lambda per_seed=per_seed, higher=higher: tied_with_best(per_seed,
                                                                        higher),
                _same_names(expected)))
    for what, samples, higher in _made_up_samples():
        # the best mean (no two are equal here), and optlib's paired interval against it
        sign = 1.0 if higher else -1.0
        best = max(samples, key=lambda name: sign * samples[name].mean())
        intervals = {name: comparison.paired_difference(values, samples[best])[1]
                     for name, values in samples.items()}
        expected = {name for name, (low, high) in intervals.items()
                    if name == best or low <= 0.0 <= high}
        cases.append(PropertyCase(
            f"tied_with_best({what}, higher_is_better={higher})",
            lambda samples=samples, higher=higher: tied_with_best(
                {name: values.copy() for name, values in samples.items()}, higher),
            _same_names(expected)))
    return cases


# --------------------------------------------------------------------------------------
# cmp-ex-5: the best validation score found within the first k trials


def _same_curve(expected: np.ndarray) -> Callable[[Any], "str | None"]:
    def judge(got) -> str | None:
        got = np.asarray(got, dtype=float)
        if got.shape == expected.shape and np.allclose(got, expected, rtol=1e-12,
                                                       equal_nan=True):
            return None
        return f"expected: {show(expected)}\n    got:      {show(got)}"
    return judge


def _cmp_ex_5(running_best) -> list[PropertyCase]:
    """running_best(tuning, higher_is_better): for k = 1 ... trials, the validation
    metric of the best of the first k trials that did not diverge."""
    from optlib import comparison

    results = comparison.load_results()
    cases = []
    for problem in results.problems:
        higher = comparison.PROBLEMS[problem].higher_is_better
        for name in results.optimizers:
            tuning = results.tuning(problem, name)
            metric, loss = tuning.validation_metric, tuning.validation_loss
            failed = tuning.diverged | ~np.isfinite(metric)
            # what comparison.choose picks among the first k trials (NaN while all
            # failed)
            chosen = [comparison.choose(metric[:k], loss[:k], tuning.diverged[:k],
                                        higher) for k in range(1, len(metric) + 1)]
            expected = np.array([math.nan if failed[:k + 1].all() else metric[i]
                                 for k, i in enumerate(chosen)])
            cases.append(PropertyCase(
                f"running_best(results.tuning({problem!r}, {name!r}), {higher})",
                lambda tuning=tuning, higher=higher: running_best(tuning, higher),
                _same_curve(expected)))
    return cases


CHECKS: dict[str, Callable[[Any], list]] = {
    "cmp-ex-1": _cmp_ex_1,
    "cmp-ex-2": _cmp_ex_2,
    "cmp-ex-3": _cmp_ex_3,
    "cmp-ex-4": _cmp_ex_4,
    "cmp-ex-5": _cmp_ex_5,
}
