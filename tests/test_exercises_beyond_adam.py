"""The checks of the Beyond-Adam chapter (ba-ex-1 ... ba-ex-4, RAdam, Lion, Lookahead): right
answers pass, wrong answers fail and say why. (Muon and Schedule-Free AdamW, ba-ex-5 and
ba-ex-6, are tested in test_exercises_beyond_adam_muon.py.)"""

import math

import numpy as np
import pytest

from exercise_helpers import assert_passes, failure, labels

RHO_6 = 199 - 12 * 0.99**6 / (1 - 0.99**6)
BY_HAND = {
    # two momentum steps: theta_1 = theta_0 - 0.05 g_1, then m_hat_2 = m_2 / (1 - 0.9^2)
    "ba-ex-1": {"theta_1": [0.95, 0.5],
                "theta_2": [0.95 - 0.05 * 0.185 / 0.19, 0.5 - 0.05 * 1.4 / 0.19],
                "rho_6": RHO_6,
                "r_6": math.sqrt((RHO_6 - 4) * (RHO_6 - 2) * 199 / (195 * 197 * RHO_6))},
    "ba-ex-2": {"t_paper": 5, "t_torch": 7, "beta2_never": 2 / 3,
                "rho_7": 9 - 14 * 0.8**7 / (1 - 0.8**7)},
    "ba-ex-3": {"theta_1": [0.85, -0.0525], "m_1": [0.01, 0.005],
                "theta_2": [0.7075, 0.050125], "m_2": [0.0184, -0.0003]},
}


def lookahead_sgd(grad, theta0, lr, k, alpha, steps):
    theta = np.array(theta0, dtype=float)
    slow, path = theta.copy(), [theta.copy()]
    for t in range(1, steps + 1):
        theta = theta - lr * grad(theta)
        if t % k == 0:
            slow = alpha * theta + (1 - alpha) * slow
            theta = slow.copy()
        path.append(theta.copy())
    return np.array(path)


RIGHT = {**BY_HAND, "ba-ex-4": lookahead_sgd}


@pytest.mark.parametrize("label", sorted(RIGHT))
def test_right_answers_pass(label, capsys):
    assert_passes(label, RIGHT[label], capsys)


def test_every_exercise_of_the_chapter_has_a_right_answer_here_or_in_the_muon_file():
    import test_exercises_beyond_adam_muon as muon

    assert not set(RIGHT) & set(muon.RIGHT)
    assert set(RIGHT) | set(muon.RIGHT) == set(labels("ba"))


def test_an_adapted_first_step_fails_the_radam_steps():
    # Adam's first step, lr * sign(g_1), instead of RAdam's momentum step lr * g_1
    wrong = {**BY_HAND["ba-ex-1"], "theta_1": [0.95, 0.95]}
    message = failure("ba-ex-1", wrong)
    assert "answer['theta_1']" in message and "answer['rho_6']" not in message


def test_a_missing_bias_correction_of_the_momentum_fails():
    wrong = {**BY_HAND["ba-ex-1"], "theta_2": [0.95 - 0.05 * 0.185, 0.5 - 0.05 * 1.4]}
    message = failure("ba-ex-1", wrong)
    assert "answer['theta_2']" in message and "answer['theta_1']" not in message


def test_the_paper_threshold_in_place_of_pytorchs_fails():
    wrong = {**BY_HAND["ba-ex-2"], "t_torch": 5}
    message = failure("ba-ex-2", wrong)
    assert "answer['t_torch']" in message and "answer['t_paper']" not in message


def test_rho_inf_of_4_as_the_limit_fails():
    # rho_inf <= 4 (the paper's threshold) gives beta2 <= 0.6
    message = failure("ba-ex-2", {**BY_HAND["ba-ex-2"], "beta2_never": 0.6})
    assert "answer['beta2_never']" in message


def test_lion_without_the_weight_decay_fails():
    wrong = {**BY_HAND["ba-ex-3"], "theta_1": [0.9, -0.05]}
    message = failure("ba-ex-3", wrong)
    assert "answer['theta_1']" in message and "answer['m_1']" not in message


def test_lion_remembering_with_beta1_fails():
    # m_t = beta1 m + (1 - beta1) g: the direction's interpolation kept as the memory
    wrong = {**BY_HAND["ba-ex-3"], "m_1": [0.1, 0.05]}
    message = failure("ba-ex-3", wrong)
    assert "answer['m_1']" in message and "answer['theta_1']" not in message


def test_lookahead_without_restarting_the_fast_weights_fails():
    def no_restart(grad, theta0, lr, k, alpha, steps):
        theta = np.array(theta0, dtype=float)
        slow, path = theta.copy(), [theta.copy()]
        for t in range(1, steps + 1):
            theta = theta - lr * grad(theta)
            if t % k == 0:
                slow = alpha * theta + (1 - alpha) * slow
            path.append(theta.copy())
        return np.array(path)

    assert "lookahead_sgd(" in failure("ba-ex-4", no_restart)


def test_lookahead_pulling_the_wrong_way_fails():
    def swapped(grad, theta0, lr, k, alpha, steps):  # (1 - alpha) on the fast weights
        theta = np.array(theta0, dtype=float)
        slow, path = theta.copy(), [theta.copy()]
        for t in range(1, steps + 1):
            theta = theta - lr * grad(theta)
            if t % k == 0:
                slow = (1 - alpha) * theta + alpha * slow
                theta = slow.copy()
            path.append(theta.copy())
        return np.array(path)

    assert "lookahead_sgd(" in failure("ba-ex-4", swapped)
