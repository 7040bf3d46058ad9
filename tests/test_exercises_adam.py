"""The checks of the Adam chapter: right answers pass, wrong answers fail and say why."""

import math

import numpy as np
import pytest

from exercise_helpers import assert_passes, failure, labels

BY_HAND = {
    "adam-ex-1": {"m_1": [0.8, 1.6], "v_1": [0.8, 3.2], "theta_1": [0.9, 0.9],
                  "m_2": [1.2, 2.4], "v_2": [1.288, 5.152],
                  "theta_2": [0.9 - 0.1 * (1.2 / 0.64) / math.sqrt(1.288 / 0.36)] * 2},
    "adam-ex-2": {"ratio_1": 2.0, "window_m": 5.0, "window_v": 100.0, "t_1pct": 21},
    "adam-ex-3": {"factor_a": 1.5, "factor_b": 5.0, "factor_c": 10.0,
                  "step_2": (0.09 / 0.19) / math.sqrt(0.000999 / 0.001999)},
    "adam-ex-5": {"adam_1": -0.1, "adam_2": 0.05, "sgd_1": -30.0, "sgd_2": 1e-7},
}


def adam_no_correction(grad, theta0, lr, beta1, beta2, eps, steps):
    theta = np.array(theta0, dtype=float)
    m, v, path = np.zeros_like(theta), np.zeros_like(theta), [theta]
    for _ in range(steps):
        g = grad(theta)
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g**2
        theta = theta - lr * m / (np.sqrt(v) + eps)
        path.append(theta)
    return np.array(path)


RIGHT = {**BY_HAND, "adam-ex-4": adam_no_correction}


@pytest.mark.parametrize("label", sorted(RIGHT))
def test_right_answers_pass(label, capsys):
    assert_passes(label, RIGHT[label], capsys)


def test_every_exercise_of_the_chapter_has_a_right_answer_here():
    assert labels("adam") == sorted(RIGHT)


def test_the_corrected_moments_are_not_the_state():
    wrong = {**BY_HAND["adam-ex-1"], "m_1": [2.0, 4.0], "v_1": [4.0, 16.0]}  # m̂_1, v̂_1
    message = failure("adam-ex-1", wrong)
    assert "answer['m_1']" in message and "answer['v_1']" in message
    assert "2 of 6 checks failed" in message


def test_a_second_step_without_correction_fails():
    wrong = {**BY_HAND["adam-ex-1"], "theta_2": [0.9 - 0.1 * 1.2 / math.sqrt(1.288)] * 2}
    message = failure("adam-ex-1", wrong)
    assert "answer['theta_2']" in message and "1 of 6 checks failed" in message


def test_the_window_is_not_a_half_life():
    wrong = {**BY_HAND["adam-ex-2"], "window_m": 1 / 0.8, "t_1pct": 20}
    message = failure("adam-ex-2", wrong)
    assert "answer['window_m']" in message and "answer['t_1pct']" in message


def test_the_bound_inverted_fails():
    wrong = {**BY_HAND["adam-ex-3"], "factor_b": math.sqrt(0.01) / 0.5}
    message = failure("adam-ex-3", wrong)
    assert "answer['factor_b']" in message and "1 of 4 checks failed" in message


def test_the_second_step_without_its_corrections_fails():
    wrong = {**BY_HAND["adam-ex-3"], "step_2": 0.09 / math.sqrt(0.000999)}
    assert "answer['step_2']" in failure("adam-ex-3", wrong)


def test_full_adam_is_not_adam_without_correction():
    def corrected(grad, theta0, lr, beta1, beta2, eps, steps):
        theta = np.array(theta0, dtype=float)
        m, v, path = np.zeros_like(theta), np.zeros_like(theta), [theta]
        for t in range(1, steps + 1):
            g = grad(theta)
            m = beta1 * m + (1 - beta1) * g
            v = beta2 * v + (1 - beta2) * g**2
            theta = theta - lr * m / (1 - beta1**t) / (np.sqrt(v / (1 - beta2**t)) + eps)
            path.append(theta)
        return np.array(path)

    message = failure("adam-ex-4", corrected)
    assert "adam_no_correction(" in message and "4 of 4 checks failed" in message


def test_forgetting_theta0_in_the_path_fails():
    def no_start(*args):
        return adam_no_correction(*args)[1:]

    assert "4 of 4 checks failed" in failure("adam-ex-4", no_start)


def test_epsilon_ignored_sign_descent_for_sgd():
    # Adam's second coordinate without the ε in the denominator moves a full η per step
    wrong = {**BY_HAND["adam-ex-5"], "adam_2": 0.1}
    message = failure("adam-ex-5", wrong)
    assert "answer['adam_2']" in message and "1 of 4 checks failed" in message
