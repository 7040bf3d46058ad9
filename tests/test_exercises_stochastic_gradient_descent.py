"""The checks of the SGD chapter's exercises: right answers pass, typical wrong ones fail and
say which input failed."""

import math

import numpy as np
import pytest

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


def softmax_gradient(theta, x, y):
    d, k = x.shape[1], theta.size // (x.shape[1] + 1)
    W, b = theta[:d * k].reshape(d, k), theta[d * k:]
    z = x @ W + b
    p = np.exp(z - z.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    p[np.arange(len(y)), y] -= 1.0
    delta = p / len(y)
    return np.concatenate([(x.T @ delta).ravel(), delta.sum(axis=0)])


def sgd_epoch(theta, x, y, lr, batch_size, rng, shuffle=True, sort=True):
    n = len(y)
    order = rng.permutation(n) if shuffle else np.arange(n)
    for start in range(0, n, batch_size):
        batch = order[start:start + batch_size]
        batch = np.sort(batch) if sort else batch
        theta = theta - lr * softmax_gradient(theta, x[batch], y[batch])
    return theta


def polynomial_decay(lr0, t0, power):
    return lambda t: lr0 / (1 + (t - 1) / t0) ** power


RIGHT = {**BY_HAND, "sgd-ex-2": epoch_counts, "sgd-ex-3": batch_size_for, "sgd-ex-4": sgd_epoch,
         "sgd-ex-5": polynomial_decay}



def test_every_exercise_of_the_chapter_has_a_right_answer_here():
    assert labels("sgd") == sorted(RIGHT)


@pytest.mark.parametrize("label", sorted(RIGHT))
def test_right_answers_pass(label, capsys):
    assert_passes(label, RIGHT[label], capsys)


def test_batches_unsorted_within_give_the_same_epoch():
    """Chapter 1's convention (no sort inside a batch) only changes the rounding: it passes."""
    check_exercise("sgd-ex-4", lambda *args: sgd_epoch(*args, sort=False))


def test_the_variance_with_replacement_is_not_the_one_without():
    message = failure("sgd-ex-1", {**BY_HAND["sgd-ex-1"], "variance_without": 3.25})
    assert "answer['variance_without']" in message and "got:      3.25" in message
    assert "1 of 4 checks failed" in message


def test_a_sample_variance_with_n_minus_1_is_caught():
    message = failure("sgd-ex-1", {**BY_HAND["sgd-ex-1"], "sigma2": 26 / 3})
    assert "answer['sigma2']" in message and "expected: 6.5" in message


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
    assert "expected: 699" in message and "got:      1347" in message


def test_an_epoch_without_reshuffling_is_caught():
    message = failure("sgd-ex-4", lambda *args: sgd_epoch(*args, shuffle=False))
    assert "batch_size=7" in message and "default_rng(0)" in message
    assert "4 of 5 checks failed" in message  # one batch of all 50 examples does not care


def test_a_summed_instead_of_averaged_gradient_is_caught():
    def summed(theta, x, y, lr, batch_size, rng):
        return sgd_epoch(theta, x, y, lr * batch_size, batch_size, rng)

    message = failure("sgd-ex-4", summed)
    assert "batch_size=16" in message and "4 of 5 checks failed" in message  # b = 1: the same


def test_a_schedule_counting_from_zero_is_caught():
    message = failure("sgd-ex-5", lambda lr0, t0, power: (lambda t: lr0 / (1 + t / t0) ** power))
    assert "polynomial_decay(lr0=0.5, t0=100, power=1)" in message and "checks failed" in message


def test_the_messages_show_values_not_code():
    message = failure("sgd-ex-4", lambda *args: sgd_epoch(*args, shuffle=False))
    assert "permutation" not in message and "def " not in message and "return" not in message


def test_answers_written_differently_pass(capsys):
    """A list instead of a tuple, numpy numbers and fractions are all right answers."""
    from fractions import Fraction

    assert_passes("sgd-ex-2", lambda *args: list(epoch_counts(*args)), capsys)
    assert_passes("sgd-ex-2", lambda *args: tuple(np.int64(v) for v in epoch_counts(*args)),
                  capsys)
    assert_passes("sgd-ex-1", {"full_gradient": np.float64(4), "sigma2": Fraction(13, 2),
                               "variance_without": Fraction(13, 6), "variance_with": 3.25},
                  capsys)


def test_a_rounded_by_hand_answer_is_caught():
    message = failure("sgd-ex-1", {**BY_HAND["sgd-ex-1"], "variance_without": 2.167})
    assert "answer['variance_without']" in message and "1 of 4 checks failed" in message
