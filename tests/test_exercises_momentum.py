"""The checks of the momentum chapter: right answers pass, typical wrong answers fail and say why."""

import math

import numpy as np
import pytest

from exercise_helpers import assert_passes, failure, labels

BY_HAND = {
    "mom-ex-1": {"b_1": [2.0, 6.0], "theta_1": [0.8, 0.4], "b_2": [3.4, 7.8], "theta_2": [0.46, -0.38]},
    "mom-ex-2": {"window": 20.0, "terminal_step": 0.4, "steps_to_90": 45,
                 "alternating_step": 0.01 * 2 / 1.95},
}


def heavy_ball_tuning(mu, L):
    root_mu, root_L = math.sqrt(mu), math.sqrt(L)
    lr = 4 / (root_L + root_mu) ** 2
    rate = (root_L - root_mu) / (root_L + root_mu)
    return lr, rate**2, rate


def rate(eta, gamma, mu, L):
    worst = 0.0
    for lam in (mu, L):
        a = 1 + gamma - eta * lam
        roots = np.roots([1.0, -a, gamma])
        worst = max(worst, float(np.abs(roots).max()))
    return worst


def largest_stable_lr(gamma, lam):
    return 2 * (1 + gamma) / lam


def stationary_variance(eta, gamma, lam, sigma):
    return (1 + gamma) * eta * sigma**2 / ((1 - gamma) * lam * (2 * (1 + gamma) - eta * lam))


RIGHT = {**BY_HAND, "mom-ex-3": heavy_ball_tuning, "mom-ex-4": rate,
         "mom-ex-6": largest_stable_lr, "mom-ex-7": stationary_variance}



@pytest.mark.parametrize("label", sorted(RIGHT))
def test_right_answers_pass(label, capsys):
    assert_passes(label, RIGHT[label], capsys)


def test_every_exercise_of_the_chapter_has_a_right_answer_here():
    assert labels("mom") == sorted(RIGHT)


def test_forgetting_the_old_velocity_is_caught_by_hand():
    wrong = {**BY_HAND["mom-ex-1"], "b_2": [1.6, 2.4], "theta_2": [0.64, 0.16]}  # plain GD step
    message = failure("mom-ex-1", wrong)
    assert "answer['b_2']" in message and "answer['theta_2']" in message
    assert "2 of 4 checks failed" in message


def test_the_alternating_gain_is_not_the_constant_one():
    wrong = {**BY_HAND["mom-ex-2"], "alternating_step": 0.01 * 2 / 0.05}  # 1/(1 - gamma)
    message = failure("mom-ex-2", wrong)
    assert "answer['alternating_step']" in message and "1 of 4 checks failed" in message


def test_steps_to_90_rounded_down_fails():
    message = failure("mom-ex-2", {**BY_HAND["mom-ex-2"], "steps_to_90": 44})
    assert "answer['steps_to_90']" in message and "1 of 4 checks failed" in message


def test_gradient_descent_tuning_is_not_polyaks():
    message = failure("mom-ex-3", lambda mu, L: (2 / (mu + L), 0.0, (L - mu) / (L + mu)))
    assert "heavy_ball_tuning(mu=1, L=100)" in message and "expected:" in message
    assert "4 of 5 checks failed" in message  # mu = L: both tunings give lr = 1/L, rate 0


def test_a_rate_that_looks_only_at_one_curvature_fails():
    message = failure("mom-ex-4", lambda eta, gamma, mu, L: rate(eta, gamma, L, L))
    assert "rate(eta=0.01, gamma=0.3, mu=1, L=100)" in message


def test_gradient_descents_stability_limit_is_not_momentums():
    message = failure("mom-ex-6", lambda gamma, lam: 2 / lam)
    assert "largest_stable_lr(gamma=0.9, lam=50)" in message
    assert "4 of 5 checks failed" in message  # gamma = 0: both limits are 2 / lam


def test_the_edge_of_the_underdamped_band_is_not_the_edge_of_stability():
    message = failure("mom-ex-6", lambda gamma, lam: (1 + math.sqrt(gamma)) ** 2 / lam)
    assert "largest_stable_lr(gamma=0, lam=1)" in message and "5 of 5 checks failed" in message


def test_the_variance_of_sgd_with_the_same_eta_is_not_momentums():
    def sgd_variance(eta, gamma, lam, sigma):
        return eta * sigma**2 / (lam * (2 - eta * lam))

    message = failure("mom-ex-7", sgd_variance)
    assert "stationary_variance(eta=0.01, gamma=0.9" in message
    assert "4 of 5 checks failed" in message  # gamma = 0 is gradient descent


def test_the_first_order_approximation_is_not_the_variance():
    def first_order(eta, gamma, lam, sigma):  # alpha sigma^2 / (2 lam), alpha = eta/(1-gamma)
        return eta / (1 - gamma) * sigma**2 / (2 * lam)

    message = failure("mom-ex-7", first_order)
    assert "5 of 5 checks failed" in message


def test_messages_show_values_not_the_reference_code():
    message = failure("mom-ex-7", lambda eta, gamma, lam, sigma: 0.0)
    assert "def " not in message and "return" not in message and "kron" not in message


def test_right_answers_written_differently_pass(capsys):
    """Tuples and arrays instead of lists, a list for a tuple, a list of arrays for an array."""
    by_hand = {key: tuple(value) for key, value in BY_HAND["mom-ex-1"].items()}
    assert_passes("mom-ex-1", by_hand, capsys)
    arrays = {key: np.array(value) for key, value in BY_HAND["mom-ex-1"].items()}
    assert_passes("mom-ex-1", arrays, capsys)
    assert_passes("mom-ex-2", {**BY_HAND["mom-ex-2"], "window": 20, "steps_to_90": 45.0}, capsys)
    assert_passes("mom-ex-3", lambda mu, L: list(heavy_ball_tuning(mu, L)), capsys)
    assert_passes("mom-ex-3", lambda mu, L: np.array(heavy_ball_tuning(mu, L)), capsys)
    assert_passes("mom-ex-4", lambda *args: np.float64(rate(*args)), capsys)
    assert_passes("mom-ex-6", lambda gamma, lam: np.float64(largest_stable_lr(gamma, lam)), capsys)
    assert_passes("mom-ex-7", lambda *args: np.array(stationary_variance(*args)), capsys)
