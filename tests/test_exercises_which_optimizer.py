"""The checks of the chapter "Which optimizer should I use?": right answers pass, wrong
answers fail and say why. The right answers here use scipy.stats, not optlib.comparison,
so that they also test the comparison's statistics."""

import math

import numpy as np
import pytest
from scipy import stats

from exercise_helpers import assert_passes, failure, labels
from optlib.exercises.which_optimizer import EX1_ACCURACIES, EX3_FIRST, EX3_SECOND


def t_half_width(values) -> float:
    values = np.asarray(values, dtype=float)
    return (stats.t.ppf(0.975, len(values) - 1) * values.std(ddof=1)
            / math.sqrt(len(values)))


ACCURACIES = np.array(EX1_ACCURACIES)
FIRST, SECOND = np.array(EX3_FIRST), np.array(EX3_SECOND)
BY_HAND = {
    "cmp-ex-1": {"mean": ACCURACIES.mean(), "sd": ACCURACIES.std(ddof=1),
                 "standard_error": ACCURACIES.std(ddof=1) / math.sqrt(10),
                 "half_width": t_half_width(ACCURACIES)},
    "cmp-ex-2": {"expected_false": 0.8, "p_any": 1 - 0.95**16,
                 "bonferroni_level": 0.003125,
                 "p_any_bonferroni": 1 - (1 - 0.003125)**16},
    "cmp-ex-3": {"difference": (FIRST - SECOND).mean(),
                 "se_unpaired": math.sqrt((FIRST.var(ddof=1) + SECOND.var(ddof=1)) / 5),
                 "se_paired": (FIRST - SECOND).std(ddof=1) / math.sqrt(5),
                 "ratio": math.sqrt(FIRST.var(ddof=1) + SECOND.var(ddof=1))
                 / (FIRST - SECOND).std(ddof=1)},
}


def tied_with_best(per_seed, higher_is_better=True):
    names = list(per_seed)
    sign = 1 if higher_is_better else -1
    best = max(names, key=lambda name: (sign * np.mean(per_seed[name]),
                                        -names.index(name)))
    tied = set()
    for name in names:
        d = np.asarray(per_seed[name]) - np.asarray(per_seed[best])
        half = t_half_width(d) if d.std() > 0 else 0.0
        if abs(d.mean()) <= half:
            tied.add(name)
    return tied


def running_best(tuning, higher_is_better):
    sign = 1 if higher_is_better else -1
    best, curve = -math.inf, []
    for metric, diverged in zip(tuning.validation_metric, tuning.diverged):
        if not diverged and math.isfinite(metric):
            best = max(best, sign * metric)
        curve.append(sign * best if math.isfinite(best) else math.nan)
    return np.array(curve)


RIGHT = {**BY_HAND, "cmp-ex-4": tied_with_best, "cmp-ex-5": running_best}


@pytest.mark.parametrize("label", sorted(RIGHT))
def test_right_answers_pass(label, capsys):
    assert_passes(label, RIGHT[label], capsys)


def test_every_exercise_of_the_chapter_has_a_right_answer_here():
    assert labels("cmp") == sorted(RIGHT)


def test_the_normal_quantile_instead_of_t_fails():
    wrong = {**BY_HAND["cmp-ex-1"],
             "half_width": 1.96 * ACCURACIES.std(ddof=1) / math.sqrt(10)}
    message = failure("cmp-ex-1", wrong)
    assert "answer['half_width']" in message and "1 of 4 checks failed" in message


def test_the_population_sd_fails():
    sd = ACCURACIES.std(ddof=0)
    wrong = {**BY_HAND["cmp-ex-1"], "sd": sd, "standard_error": sd / math.sqrt(10)}
    message = failure("cmp-ex-1", wrong)
    assert "answer['sd']" in message and "2 of 4 checks failed" in message


def test_seventeen_comparisons_instead_of_sixteen_fail():
    wrong = {"expected_false": 0.85, "p_any": 1 - 0.95**17,
             "bonferroni_level": 0.05 / 17,
             "p_any_bonferroni": 1 - (1 - 0.05 / 17)**17}
    assert "3 of 4 checks failed" in failure("cmp-ex-2", wrong)  # Bonferroni: ~equal


def test_the_unpaired_error_from_the_pooled_sd_without_root_n_fails():
    wrong = {**BY_HAND["cmp-ex-3"], "se_paired": (FIRST - SECOND).std(ddof=1)}
    message = failure("cmp-ex-3", wrong)
    assert "answer['se_paired']" in message and "1 of 4 checks failed" in message


def overlapping_intervals(per_seed, higher_is_better=True):
    """The tempting mistake: 'tied' when the two means' own intervals overlap."""
    names = list(per_seed)
    sign = 1 if higher_is_better else -1
    best = max(names, key=lambda name: sign * np.mean(per_seed[name]))

    def interval(name):
        values = np.asarray(per_seed[name])
        half = t_half_width(values)
        return values.mean() - half, values.mean() + half

    low_best, high_best = interval(best)
    return {name for name in names
            if interval(name)[0] <= high_best and low_best <= interval(name)[1]}


def test_overlapping_intervals_are_not_a_paired_test():
    message = failure("cmp-ex-4", overlapping_intervals)
    assert "three optimizers whose seeds move together" in message
    assert "should not hold B" in message


def test_forgetting_that_lower_errors_are_better_fails():
    def always_higher(per_seed, higher_is_better):
        return tied_with_best(per_seed)

    message = failure("cmp-ex-4", always_higher)
    assert "lower is better" in message


def test_a_running_best_that_keeps_diverged_trials_fails(monkeypatch):
    from optlib import comparison

    results = comparison.load_results()
    tuning = results.tuning("softmax", "SGD")
    # two diverged trials first, one of them with a finite (meaningless) score
    metric = tuning.validation_metric.copy()
    metric[:2] = [np.nan, 0.999]
    diverged = tuning.diverged.copy()
    diverged[:2] = True
    changed = type(tuning)(tuning.hyper, metric, tuning.validation_loss, diverged,
                           tuning.seconds, tuning.chosen)
    monkeypatch.setattr(type(results), "tuning", lambda self, problem, name: changed)
    monkeypatch.setattr(comparison, "load_results", lambda: results)

    def keeps_diverged(tuning, higher_is_better):
        worst = -np.inf if higher_is_better else np.inf
        scores = np.where(np.isfinite(tuning.validation_metric),
                          tuning.validation_metric, worst)
        best = np.maximum.accumulate if higher_is_better else np.minimum.accumulate
        return best(scores)

    message = failure("cmp-ex-5", keeps_diverged)
    assert "running_best(results.tuning('softmax', 'SGD'), True)" in message
    assert_right = running_best(changed, True)
    assert np.isnan(assert_right[:2]).all()


def test_the_running_best_is_the_chosen_trial_at_the_full_budget():
    from optlib import comparison

    results = comparison.load_results()
    for problem in results.problems:
        higher = comparison.PROBLEMS[problem].higher_is_better
        for name in results.optimizers:
            tuning = results.tuning(problem, name)
            curve = running_best(tuning, higher)
            assert curve[-1] == tuning.validation_metric[tuning.chosen]
