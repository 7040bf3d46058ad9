"""The checks of the Nesterov chapter: right answers pass, wrong answers fail and say why."""

import numpy as np
import pytest

from exercise_helpers import assert_passes, failure, labels

BY_HAND = {
    "nag-ex-1": {"v_1": [0.2, 0.4], "theta_1": [0.8, 0.6], "v_2": [0.24, 0.36],
                 "theta_2": [0.56, 0.24], "b_1": [2.0, 4.0], "phi_1": [0.7, 0.4],
                 "b_2": [2.4, 3.6], "phi_2": [0.44, 0.06]},
    "nag-ex-3": {"nag_max_lr": 3.8 / (2.8 * 4), "heavy_ball_max_lr": 0.95,
                 "nag_modulus": np.sqrt(0.9 * 0.6), "heavy_ball_modulus": np.sqrt(0.9)},
    # J(1), J(2), and the period-3 cycle of heavy ball with Polyak's tuning: exact fractions
    "nag-ex-7": {"J_1": 12.5, "J_2": 38.0, "cycle": [-88.32 / 49, 31.68 / 49, 103.68 / 49],
                 "nag_final": 0.0},
}


def to_pytorch(theta, v, lr, gamma):
    return theta - gamma * v, v / lr


def nag_rate(lr, gamma, mu, L):
    worst = 0.0
    for lam in (mu, L):
        roots = np.roots([1.0, -(1 + gamma) * (1 - lr * lam), gamma * (1 - lr * lam)])
        worst = max(worst, float(np.abs(roots).max()))
    return worst


def nag_optimal_tuning(mu, L):
    root = np.sqrt(3 * L / mu + 1)
    return 4 / (3 * L + mu), (root - 2) / (root + 2), 1 - 2 / root


RIGHT = {**BY_HAND, "nag-ex-2": to_pytorch, "nag-ex-5": nag_rate,
         "nag-ex-6": nag_optimal_tuning}



@pytest.mark.parametrize("label", sorted(RIGHT))
def test_right_answers_pass(label, capsys):
    assert_passes(label, RIGHT[label], capsys)


def test_every_exercise_of_the_chapter_has_a_right_answer_here():
    assert labels("nag") == sorted(RIGHT)


def test_the_gradient_at_the_current_point_is_heavy_ball_not_nag():
    # classical momentum at step 2: v_2 = 0.5 (0.2, 0.4) + 0.1 ∇J(0.8, 0.6) = (0.26, 0.44)
    wrong = {**BY_HAND["nag-ex-1"], "v_2": [0.26, 0.44], "theta_2": [0.54, 0.16]}
    message = failure("nag-ex-1", wrong)
    assert "answer['v_2']" in message and "answer['theta_2']" in message
    assert "2 of 8 checks failed" in message


def test_forgetting_to_divide_by_the_learning_rate_fails():
    message = failure("nag-ex-2", lambda theta, v, lr, gamma: (theta - gamma * v, v))
    assert "to_pytorch(theta=[5.], v=[-2.], lr=0.5, gamma=0.99)" in message
    assert "3 of 4 checks failed" in message  # lr = 1: b = v


def test_shifting_the_wrong_way_fails():
    message = failure("nag-ex-2", lambda theta, v, lr, gamma: (theta + gamma * v, v / lr))
    assert "3 of 4 checks failed" in message  # gamma = 0: no shift


def test_the_heavy_ball_range_is_not_nags():
    wrong = {**BY_HAND["nag-ex-3"], "nag_max_lr": 0.95}
    message = failure("nag-ex-3", wrong)
    assert "answer['nag_max_lr']" in message and "1 of 4 checks failed" in message


def test_the_heavy_ball_rate_is_not_nags():
    def heavy_ball_rate(lr, gamma, mu, L):
        return max(float(np.abs(np.roots([1.0, -(1 + gamma - lr * lam), gamma])).max())
                   for lam in (mu, L))

    message = failure("nag-ex-5", heavy_ball_rate)
    assert "nag_rate(lr=0.01, gamma=0.9, mu=1, L=100)" in message
    assert "1 of 5" not in message


def test_a_rate_that_looks_only_at_one_curvature_fails():
    message = failure("nag-ex-5", lambda lr, gamma, mu, L: nag_rate(lr, gamma, L, L))
    assert "nag_rate(lr=0.01, gamma=0.818182, mu=1, L=100)" in message


def test_the_classical_tuning_is_not_the_optimal_one():
    def classical(mu, L):
        root = np.sqrt(L / mu)
        return 1 / L, (root - 1) / (root + 1), 1 - 1 / root

    message = failure("nag-ex-6", classical)
    assert "nag_optimal_tuning(mu=1, L=100)" in message and "6 of 6 checks failed" in message


def test_a_wrong_rate_with_the_right_tuning_fails_once_per_input():
    def wrong_rate(mu, L):
        lr, gamma, _ = nag_optimal_tuning(mu, L)
        return lr, gamma, 1 - 1 / np.sqrt(3 * L / mu + 1)

    message = failure("nag-ex-6", wrong_rate)
    assert "4 of 6 checks failed" in message  # the spectral radius of lr, gamma still agrees


def test_mu_and_L_swapped_in_the_learning_rate_fails():
    def swapped(mu, L):
        _, gamma, rate = nag_optimal_tuning(mu, L)
        return 4 / (3 * mu + L), gamma, rate

    message = failure("nag-ex-6", swapped)
    assert "6 of 6 checks failed" in message  # the rate of that step is not rho either


def test_the_heavy_ball_cycle_unsorted_or_at_the_minimum_fails():
    right = BY_HAND["nag-ex-7"]
    unsorted = {**right, "cycle": right["cycle"][::-1]}
    assert "answer['cycle']" in failure("nag-ex-7", unsorted)
    converged = {**right, "cycle": [0.0, 0.0, 0.0]}
    assert "1 of 4 checks failed" in failure("nag-ex-7", converged)
    assert "answer['nag_final']" in failure("nag-ex-7", {**right, "nag_final": 0.6465})


def test_messages_show_values_not_the_reference_code():
    message = failure("nag-ex-5", lambda lr, gamma, mu, L: 0.5)
    assert "def " not in message and "return" not in message and "emath" not in message


def test_differently_written_right_answers_pass(capsys):
    # arrays or tuples instead of lists, a list instead of a tuple, a list of rows for an array
    as_arrays = {key: np.array(value) for key, value in BY_HAND["nag-ex-1"].items()}
    as_tuples = {key: tuple(value) for key, value in BY_HAND["nag-ex-1"].items()}
    assert_passes("nag-ex-1", as_arrays, capsys)
    assert_passes("nag-ex-1", as_tuples, capsys)
    assert_passes("nag-ex-2", lambda theta, v, lr, gamma: [theta - gamma * v, v / lr], capsys)
    assert_passes("nag-ex-6", lambda mu, L: list(nag_optimal_tuning(mu, L)), capsys)
    as_array = {**BY_HAND["nag-ex-7"], "cycle": np.array(BY_HAND["nag-ex-7"]["cycle"])}
    assert_passes("nag-ex-7", as_array, capsys)
    assert_passes("nag-ex-5", lambda *args: np.float64(nag_rate(*args)), capsys)
