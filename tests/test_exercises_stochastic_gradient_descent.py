"""The checks of the SGD chapter's exercises: right answers pass, typical wrong ones fail and
say which input failed."""

import math

import numpy as np
import pytest

import optlib

from optlib.exercises import check_exercise

from exercise_helpers import assert_passes, failure, labels

BY_HAND = {"sgd-ex-1": {"full_gradient": 4.0, "sigma2": 6.5, "variance_without": 13 / 6,
                        "variance_with": 3.25}}


def epoch_counts(n, batch_size, epochs):
    per_epoch = -(-n // batch_size)
    return epochs * per_epoch, epochs * n, n - (per_epoch - 1) * batch_size


def batch_size_for(sigma2, n, target):
    # sigma2 (n - b) <= target b (n - 1)  <=>  b >= sigma2 n / (target (n - 1) + sigma2)
    return min(n, max(1, math.ceil(sigma2 * n / (target * (n - 1) + sigma2))))


def polynomial_decay(lr0, t0, power):
    return lambda t: lr0 / (1 + (t - 1) / t0) ** power


def expected_loss(t, lr, L, sigma2, theta0):
    rho, floor = (1 - lr * L) ** 2, lr * sigma2 / (L * (2 - lr * L))
    return L / 2 * (floor + rho**t * (theta0**2 - floor))


RIGHT = {**BY_HAND, "sgd-ex-2": epoch_counts, "sgd-ex-3": batch_size_for,
         "sgd-ex-5": polynomial_decay, "sgd-ex-6": expected_loss}


def test_every_exercise_of_the_chapter_has_a_right_answer_here():
    assert labels("sgd") == sorted(RIGHT)


@pytest.mark.parametrize("label", sorted(RIGHT))
def test_right_answers_pass(label, capsys):
    assert_passes(label, RIGHT[label], capsys)


def test_the_variance_with_replacement_is_not_the_one_without():
    message = failure("sgd-ex-1", {**BY_HAND["sgd-ex-1"], "variance_without": 3.25})
    assert "answer['variance_without']" in message and "got:      3.25" in message
    assert "1 of 4 checks failed" in message


def test_a_sample_variance_with_n_minus_1_is_caught():
    message = failure("sgd-ex-1", {**BY_HAND["sgd-ex-1"], "sigma2": 26 / 3})
    assert "answer['sigma2']" in message and "1 of 4 checks failed" in message
    assert "6.5" not in message and "expected" not in message


def test_dropping_the_last_partial_batch_is_caught_where_it_matters():
    def drop_last(n, batch_size, epochs):
        return epochs * (n // batch_size), epochs * (n // batch_size) * batch_size, batch_size

    message = failure("sgd-ex-2", drop_last)
    assert "epoch_counts(n=1347, batch_size=32, epochs=10)" in message
    assert "3 of 6 checks failed" in message  # b = 1, b = n and 20 | 60 divide n


def test_forgetting_the_finite_population_correction_is_caught():
    message = failure("sgd-ex-3", lambda sigma2, n, target: min(n, max(1, math.ceil(sigma2 / target)))
                      if target > 0 else n)
    assert "batch_size_for(sigma2=14.5, n=1347, target=0.01)" in message
    assert "got:      1347, but b = 1346 already has noise" in message


def test_a_batch_one_too_large_or_too_small_is_caught():
    message = failure("sgd-ex-3", lambda *args: min(args[1], batch_size_for(*args) + 1))
    assert "already has noise" in message and "5 of 6 checks failed" in message  # b = n
    message = failure("sgd-ex-3", lambda *args: batch_size_for(*args) - 1)
    assert "is above the target" in message and "checks failed" in message
    assert "a whole number" in failure("sgd-ex-3", lambda *args: batch_size_for(*args) + 0.5)


def test_a_schedule_counting_from_zero_is_caught():
    message = failure("sgd-ex-5", lambda lr0, t0, power: (lambda t: lr0 / (1 + t / t0) ** power))
    assert "polynomial_decay(lr0=0.5, t0=100, power=1)" in message and "checks failed" in message


def test_the_messages_show_values_not_code():
    message = failure("sgd-ex-6", lambda t, lr, L, sigma2, theta0: 0.0)
    assert "expected_loss(t=0, lr=0.1, L=2, sigma2=1, theta0=3)" in message
    assert "def " not in message and "return" not in message and "rho" not in message


def test_the_floor_without_its_transient_is_caught():
    def floor_only(t, lr, L, sigma2, theta0):
        return lr * sigma2 / (2 * (2 - lr * L))

    message = failure("sgd-ex-6", floor_only)
    assert "expected_loss(t=0, lr=0.1, L=2, sigma2=1, theta0=3)" in message
    assert "expected: 9.0" in message


def test_the_small_step_floor_instead_of_the_exact_one_is_caught():
    """eta sigma^2 / 4 in place of eta sigma^2 / (2 (2 - eta L)): right only at t = 0 or
    without noise."""
    def approximate_floor(t, lr, L, sigma2, theta0):
        rho, floor = (1 - lr * L) ** 2, lr * sigma2 / (2 * L)
        return L / 2 * (floor + rho**t * (theta0**2 - floor))

    message = failure("sgd-ex-6", approximate_floor)
    assert "5 of 7 checks failed" in message and "expected_loss(t=0," not in message


def test_a_contraction_that_is_not_squared_is_caught():
    def not_squared(t, lr, L, sigma2, theta0):
        rho, floor = 1 - lr * L, lr * sigma2 / (L * (2 - lr * L))
        return L / 2 * (floor + rho**t * (theta0**2 - floor))

    message = failure("sgd-ex-6", not_squared)
    assert "expected_loss(t=1, lr=0.1, L=2, sigma2=1, theta0=3)" in message
    assert "checks failed" in message and "expected_loss(t=0," not in message


def test_the_check_agrees_with_optlib_noisy_gradient_descent():
    """The property the check asks for (the recursion of part 1) is what optlib.minimize
    simulates."""
    from optlib import functions

    def recursion(t, lr, L, sigma2, theta0):  # E[J(theta_t)], the recursion iterated t times
        loss = L * theta0**2 / 2
        for _ in range(t):
            loss = (1 - lr * L) ** 2 * loss + L * lr**2 * sigma2 / 2
        return loss

    bowl = functions.Quadratic(np.array([[2.0]]), name="1-D quadratic")
    chains = optlib.minimize(bowl, np.full((20000, 1), 1.5), optlib.SGD(0.3), 12, noise=0.7,
                             seed=3)
    for t in [0, 1, 5, 12]:
        values = chains.values[t]
        exact = recursion(t, 0.3, 2.0, 0.49, 1.5)
        assert abs(values.mean() - exact) < 4 * values.std() / np.sqrt(values.size) + 1e-12


def test_answers_written_differently_pass(capsys):
    """A list instead of a tuple, numpy numbers and fractions are all right answers."""
    from fractions import Fraction

    assert_passes("sgd-ex-2", lambda *args: list(epoch_counts(*args)), capsys)
    assert_passes("sgd-ex-2", lambda *args: tuple(np.int64(v) for v in epoch_counts(*args)),
                  capsys)
    assert_passes("sgd-ex-1", {"full_gradient": np.float64(4), "sigma2": Fraction(13, 2),
                               "variance_without": Fraction(13, 6), "variance_with": 3.25},
                  capsys)


def test_a_by_hand_answer_rounded_to_three_figures_is_caught_and_to_four_passes(capsys):
    """The rule is 4 significant figures: 13/6 given as 2.17 is wrong, as 2.167 right."""
    message = failure("sgd-ex-1", {**BY_HAND["sgd-ex-1"], "variance_without": 2.17})
    assert "answer['variance_without']" in message and "1 of 4 checks failed" in message
    assert "compared to 4 significant figures" in message
    assert_passes("sgd-ex-1", {**BY_HAND["sgd-ex-1"], "variance_without": 2.167}, capsys)
