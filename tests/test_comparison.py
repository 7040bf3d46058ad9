"""optlib.comparison: the cache is reproduced; the statistics, the split, the checks."""

import time

import numpy as np
import pytest

from optlib import comparison, data
from optlib.comparison import protocol as protocol_module

RECOMPUTED = [("softmax", "Adam", "tuned"), ("softmax", "SGD", "default")]


@pytest.fixture(scope="module")
def results():
    return comparison.load_results()


# --- the cache ----------------------------------------------------------

@pytest.mark.parametrize("problem, optimizer, setting", RECOMPUTED)
def test_a_whole_row_of_the_cache_is_recomputed_exactly(results, problem, optimizer,
                                                        setting):
    # Every run is a pure function of its arguments, with BLAS on one thread, so the
    # numbers agree bit for bit; the tolerance allows only another BLAS's rounding.
    final = results.final(problem, optimizer, setting)
    for index, seed in enumerate(final.seeds):
        run = comparison.run(problem, optimizer, final.hyper, int(seed), "final")
        for field in ("train_loss", "test_loss", "test_metric"):
            np.testing.assert_allclose(getattr(run, field),
                                       getattr(final, field)[index],
                                       rtol=1e-9, atol=0, equal_nan=True)
        assert run.diverged == final.diverged[index]


def test_the_chosen_tuning_trial_is_recomputed_and_is_the_best(results):
    tuning = results.tuning("softmax", "Adam")
    trials = results.meta["protocol"]["trials"]
    assert tuning.hyper == tuple(comparison.search_trials("Adam", trials))
    run = comparison.run("softmax", "Adam", tuning.best_hyper, 0, "tuning")
    assert run.test_metric[-1] == pytest.approx(tuning.validation_metric[tuning.chosen],
                                                rel=1e-9)
    best = np.nanmax(tuning.validation_metric)
    assert tuning.validation_metric[tuning.chosen] == best
    assert results.final("softmax", "Adam", "tuned").hyper == tuning.best_hyper


def test_the_cache_is_small_fast_complete_and_matches_the_protocol(results):
    assert comparison.CACHE.stat().st_size < 1_000_000
    started = time.perf_counter()
    comparison.load_results()
    assert time.perf_counter() - started < 1.0
    assert results.problems == tuple(comparison.PROBLEMS)
    assert results.optimizers == comparison.OPTIMIZER_NAMES
    assert results.meta["protocol"] == protocol_module.protocol(
        results.meta["protocol"]["trials"], results.meta["seeds"])
    assert results.meta["budget"] == "full"
    assert results.meta["protocol"]["trials"] == comparison.TRIALS
    assert tuple(results.meta["seeds"]) == comparison.FINAL_SEEDS
    assert results.meta["seconds"]["sweep_wall"] < 600
    for problem in results.problems:
        epochs = comparison.PROBLEMS[problem].epochs
        for optimizer in results.optimizers:
            assert results.tuning(problem, optimizer).runs == comparison.TRIALS
            for setting in ("tuned", "default"):
                final = results.final(problem, optimizer, setting)
                shape = (len(comparison.FINAL_SEEDS), epochs + 1)
                assert final.test_metric.shape == shape
            assert results.final(problem, optimizer, "default").hyper == \
                comparison.default_hyper(optimizer)


def test_summary_ranks_and_marks_the_ties(results):
    for problem in results.problems:
        rows = comparison.summary(results, problem)
        better = 1.0 if comparison.PROBLEMS[problem].higher_is_better else -1.0
        means = [better * row.mean for row in rows]
        assert means == sorted(means, reverse=True)
        assert rows[0].rank == 1 and rows[0].tied_with_best
        assert rows[0].difference == 0.0
        assert [row.rank for row in rows] == sorted(row.rank for row in rows)
        for row in rows:
            final = results.final(problem, row.optimizer)
            assert row.mean == pytest.approx(final.final_metric.mean())
            assert row.ci[0] <= row.mean <= row.ci[1]
            low, high = row.difference_ci
            assert row.tied_with_best == (low <= 0.0 <= high)


# --- statistics ---------------------------------------------------------

def test_t_interval_by_hand():
    mean, sd, (low, high) = comparison.mean_interval([1.0, 2.0, 3.0])
    assert (mean, sd) == (2.0, 1.0)
    # t_{0.975, 2} = 4.302652729749464 (tables); half-width = t * sd / sqrt(3)
    assert high - mean == pytest.approx(4.302652729749464 / np.sqrt(3), rel=1e-12)
    assert mean - low == pytest.approx(high - mean, rel=1e-15)
    # one degree of freedom: the Cauchy distribution, P(|T| <= 1) = 1/2
    assert comparison.t_central_probability(1.0, 1) == pytest.approx(0.5, rel=1e-15)


@pytest.mark.parametrize("df", [1, 2, 3, 4, 9, 10, 29, 100])
def test_t_distribution_agrees_with_scipy(df):
    stats = pytest.importorskip("scipy.stats")
    for t in (0.1, 1.0, 2.5, 7.0):
        expected = stats.t.cdf(t, df) - stats.t.cdf(-t, df)
        probability = comparison.t_central_probability(t, df)
        assert probability == pytest.approx(expected, abs=1e-12)
    for p in (0.9, 0.975, 0.995):
        quantile = comparison.t_quantile(p, df)
        assert quantile == pytest.approx(stats.t.ppf(p, df), rel=1e-10)


def test_intervals_and_paired_test_agree_with_scipy():
    stats = pytest.importorskip("scipy.stats")
    rng = np.random.default_rng(0)
    a, b = rng.normal(0.95, 0.01, 10), rng.normal(0.94, 0.01, 10)
    mean, sd, interval = comparison.mean_interval(a)
    expected = stats.t.interval(0.95, 9, loc=a.mean(), scale=stats.sem(a))
    np.testing.assert_allclose(interval, expected, rtol=1e-12)
    difference, difference_ci, p = comparison.paired_difference(a, b)
    assert difference == pytest.approx(np.mean(a - b))
    assert p == pytest.approx(stats.ttest_rel(a, b).pvalue, rel=1e-9)
    np.testing.assert_allclose(difference_ci, stats.t.interval(
        0.95, 9, loc=np.mean(a - b), scale=stats.sem(a - b)), rtol=1e-12)
    assert comparison.paired_difference(a, a)[2] == 1.0


# --- the protocol -------------------------------------------------------

def test_the_validation_split_is_carved_from_the_training_set_only():
    digits = data.digits()
    fit, validation = comparison.validation_indices()
    assert len(np.intersect1d(fit, validation)) == 0
    np.testing.assert_array_equal(np.sort(np.concatenate([fit, validation])),
                                  np.arange(digits.n_train))
    tuning = comparison.dataset("tuning")
    np.testing.assert_array_equal(tuning.x_test, digits.x_train[validation])
    np.testing.assert_array_equal(tuning.x_train, digits.x_train[fit])
    test_rows = {row.tobytes() for row in digits.x_test}
    assert not any(row.tobytes() in test_rows
                   for row in np.concatenate([tuning.x_train, tuning.x_test]))
    shares = np.bincount(digits.y_train[validation]) / np.bincount(digits.y_train)
    fraction = comparison.protocol.VALIDATION_FRACTION
    np.testing.assert_allclose(shares, fraction, atol=0.02)
    assert comparison.dataset("final") is comparison.dataset("final")


def test_halton_points_and_search_spaces():
    expected = [[1 / 2, 1 / 3], [1 / 4, 2 / 3], [3 / 4, 1 / 9], [1 / 8, 4 / 9]]
    np.testing.assert_allclose(comparison.halton(4, 2), expected)
    for name, space in comparison.SEARCH_SPACES.items():
        trials = comparison.search_trials(name, comparison.TRIALS)
        assert len(trials) == comparison.TRIALS
        for dim in space:
            values = [trial[dim.name] for trial in trials]
            assert dim.low * 0.999 <= min(values) and max(values) <= dim.high * 1.001
            assert len(set(values)) == comparison.TRIALS
        model = comparison.PROBLEMS["mlp"].model()
        for hyper in (trials[0], {}):
            optimizer = comparison.make_optimizer(name, hyper, model)
            assert callable(optimizer.step)
    beta = comparison.Dimension("beta1", 0.5, 0.99, "log1m")
    assert beta.value(0.0) == pytest.approx(0.5)
    assert beta.value(1.0) == pytest.approx(0.99)


def test_choose_takes_the_best_metric_then_the_lower_loss_and_skips_divergence():
    assert comparison.choose([0.9, 0.95, 0.95], [0.3, 0.2, 0.1], [False] * 3, True) == 2
    assert comparison.choose([0.9, 0.95], [0.3, 0.2], [False, True], True) == 0
    assert comparison.choose([2.0, 1.0, 1.0], [2.0, 1.0, 1.0], [False] * 3, False) == 1


def test_results_do_not_depend_on_the_number_of_workers():
    kwargs = {"problems": ["softmax"], "optimizer_names": ["SGD", "Lookahead"],
              "trials": 2, "seeds": (1, 2), "progress": False}
    one = comparison.sweep(n_jobs=1, **kwargs)
    two = comparison.sweep(n_jobs=2, **kwargs)
    assert one["tuning"].keys() == two["tuning"].keys()
    for key, record in one["tuning"].items():
        for field in ("hyper", "validation_metric", "validation_loss", "diverged",
                      "chosen"):
            assert record[field] == two["tuning"][key][field]
    for key, (hyper, runs) in one["finals"].items():
        assert hyper == two["finals"][key][0]
        for run_one, run_two in zip(runs, two["finals"][key][1]):
            for field in ("train_loss", "test_loss", "test_metric"):
                np.testing.assert_array_equal(getattr(run_one, field),
                                              getattr(run_two, field))


# --- bad input ----------------------------------------------------------

@pytest.mark.parametrize("arguments, error, message", [
    (("cifar", "Adam", {}, 0), ValueError, "Invalid problem: 'cifar'"),
    (("mlp", "Adamm", {}, 0), ValueError, "Invalid optimizer: 'Adamm'"),
    (("mlp", "Adam", {"momentum": 0.9}, 0), ValueError,
     "Invalid hyperparameters for Adam"),
    (("mlp", "Adam", [0.1], 0), TypeError, r"Invalid hyper: \[0.1\]"),
    (("mlp", "Adam", {}, -1), ValueError, "Invalid seed: -1"),
    (("mlp", "Adam", {}, 0, "test"), ValueError, "Invalid split: 'test'"),
    (("mlp", "Adam", {"lr": -1.0}, 0), ValueError, "Invalid learning rate: -1.0"),
])
def test_bad_run_arguments_are_refused(arguments, error, message):
    with pytest.raises(error, match=message):
        comparison.run(*arguments)


def test_bad_statistics_and_reading_arguments_are_refused(results):
    with pytest.raises(ValueError, match="at least 2 values"):
        comparison.mean_interval([1.0])
    with pytest.raises(ValueError, match="nan or inf"):
        comparison.mean_interval([1.0, np.nan])
    with pytest.raises(ValueError, match="Invalid confidence: 95"):
        comparison.mean_interval([1.0, 2.0], confidence=95)
    with pytest.raises(ValueError, match="same length"):
        comparison.paired_difference([1.0, 2.0], [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="Invalid probability: 1.5"):
        comparison.t_quantile(1.5, 3)
    with pytest.raises(ValueError, match="Invalid degrees of freedom: 0"):
        comparison.t_central_probability(1.0, 0)
    with pytest.raises(ValueError, match="Invalid setting: 'best'"):
        results.final("mlp", "Adam", "best")
    with pytest.raises(ValueError, match="Invalid problem: 'cifar'"):
        results.tuning("cifar", "Adam")
    with pytest.raises(ValueError, match="Invalid trials: 0"):
        comparison.sweep(trials=0)
    with pytest.raises(ValueError, match="Invalid n_jobs: 0"):
        comparison.sweep(n_jobs=0)
    with pytest.raises(ValueError, match="Invalid n_dims: 9"):
        comparison.halton(3, 9)


def test_a_missing_cache_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        comparison.load_results(tmp_path / "missing.npz")
