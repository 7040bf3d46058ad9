"""The checks of the momentum chapter: right answers pass, typical wrong answers fail and say why."""

import math

import numpy as np
import pytest

from exercise_helpers import assert_passes, failure, labels

BY_HAND = {
    "mom-ex-1": {"b_1": [2.0, 6.0], "theta_1": [0.8, 0.4], "b_2": [3.4, 7.8], "theta_2": [0.46, -0.38]},
    "mom-ex-2": {"window": 20.0, "half_life": math.log(2) / math.log(1 / 0.95), "terminal_step": 0.4,
                 "steps_to_90": 45},
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


def change_form(f, theta0, lr, momentum, steps):
    theta = np.array(theta0, dtype=float)
    change = np.zeros_like(theta)
    path = [theta]
    for t in range(1, steps + 1):
        eta = lr(t) if callable(lr) else lr
        change = momentum * change - eta * f.grad(theta)
        theta = theta + change
        path.append(theta)
    return np.array(path)


RIGHT = {**BY_HAND, "mom-ex-3": heavy_ball_tuning, "mom-ex-4": rate, "mom-ex-5": change_form}



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


def test_the_half_life_is_not_one_over_gamma():
    message = failure("mom-ex-2", {**BY_HAND["mom-ex-2"], "half_life": 1 / 0.95})
    assert "answer['half_life']" in message and "1 of 4 checks failed" in message


def test_gradient_descent_tuning_is_not_polyaks():
    message = failure("mom-ex-3", lambda mu, L: (2 / (mu + L), 0.0, (L - mu) / (L + mu)))
    assert "heavy_ball_tuning(mu=1, L=100)" in message and "expected:" in message
    assert "4 of 5 checks failed" in message  # mu = L: both tunings give lr = 1/L, rate 0


def test_a_rate_that_looks_only_at_one_curvature_fails():
    message = failure("mom-ex-4", lambda eta, gamma, mu, L: rate(eta, gamma, L, L))
    assert "rate(eta=0.01, gamma=0.3, mu=1, L=100)" in message


def test_the_pytorch_form_under_a_schedule_is_not_the_change_form():
    def pytorch_form(f, theta0, lr, momentum, steps):
        theta = np.array(theta0, dtype=float)
        buffer = np.zeros_like(theta)
        path = [theta]
        for t in range(1, steps + 1):
            buffer = momentum * buffer + f.grad(theta)
            theta = theta - (lr(t) if callable(lr) else lr) * buffer
            path.append(theta)
        return np.array(path)

    message = failure("mom-ex-5", pytorch_form)
    assert "1 of 5 checks failed" in message and "StepDecay" in message


def test_a_sign_error_in_the_change_form_fails_everywhere():
    message = failure("mom-ex-5", lambda f, x, lr, m, steps: change_form(f, x, lr, -m, steps))
    assert "4 of 5 checks failed" in message  # momentum 0 is right whatever the sign


def test_messages_show_values_not_the_reference_code():
    message = failure("mom-ex-5", lambda f, x, lr, m, steps: np.zeros((steps + 1, f.dim)))
    assert "def " not in message and "return" not in message and "velocity" not in message


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
    assert_passes("mom-ex-5", lambda *args: list(change_form(*args)), capsys)
