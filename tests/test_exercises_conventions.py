"""The checks of the conventions chapter ("One name, several algorithms"): right answers pass,
wrong answers fail and say why."""

import math

import numpy as np
import pytest

from exercise_helpers import assert_passes, failure, labels

BY_HAND = {
    # Keras's eps_t = eps_hat / sqrt(1 - 0.99^t), eps_hat = 1e-6; first steps for g = 2e-6
    "conv-ex-1": {"eps_1": 1e-6 / math.sqrt(0.01), "eps_100": 1e-6 / math.sqrt(1 - 0.99**100),
                  "step_torch": 2 / 3, "step_keras": 2 / 12, "t_within_1pct": 391},
    # gamma = 0.9, g = 1, eta = 0.1, 0.1, 0.01, 0.01: b_3 = 2.71, b_4 = 3.439
    "conv-ex-2": {"torch_step_3": 0.0271, "keras_step_3": 0.181, "torch_step_4": 0.03439,
                  "keras_step_4": 0.1729},
    # g = 0.01, 0.02: PyTorch g / (sqrt(G) + 1e-10), Keras g / sqrt(0.1 + G + 1e-7)
    "conv-ex-3": {"step_torch_2": 0.02 / (math.sqrt(5e-4) + 1e-10),
                  "step_keras_2": 0.02 / math.sqrt(0.1 + 5e-4 + 1e-7),
                  "ratio_2": (0.02 / (math.sqrt(5e-4) + 1e-10))
                  / (0.02 / math.sqrt(0.1 + 5e-4 + 1e-7)),
                  "g_half": math.sqrt(0.1 / 3)},
}


def keras_momentum(grad, theta0, lr, momentum, nesterov, steps):
    theta = np.array(theta0, dtype=float)
    velocity, path = np.zeros_like(theta), [theta]
    for t in range(1, steps + 1):
        rate = lr(t) if callable(lr) else lr
        g = grad(theta)
        velocity = momentum * velocity - rate * g
        theta = theta + (momentum * velocity - rate * g if nesterov else velocity)
        path.append(theta)
    return np.array(path)


RIGHT = {**BY_HAND, "conv-ex-4": keras_momentum}


@pytest.mark.parametrize("label", sorted(RIGHT))
def test_right_answers_pass(label, capsys):
    assert_passes(label, RIGHT[label], capsys)


def test_every_exercise_of_the_chapter_has_a_right_answer_here():
    assert labels("conv") == sorted(RIGHT)


def test_multiplying_by_the_root_instead_of_dividing_fails():
    wrong = {**BY_HAND["conv-ex-1"], "eps_1": 1e-6 * math.sqrt(0.01),
             "eps_100": 1e-6 * math.sqrt(1 - 0.99**100)}
    message = failure("conv-ex-1", wrong)
    assert "answer['eps_1']" in message and "2 of 5 checks failed" in message


def test_keras_first_step_with_eps_hat_itself_fails():
    # forgetting the map: Keras's first step computed as PyTorch's
    wrong = {**BY_HAND["conv-ex-1"], "step_keras": BY_HAND["conv-ex-1"]["step_torch"]}
    message = failure("conv-ex-1", wrong)
    assert "answer['step_keras']" in message and "1 of 5 checks failed" in message


def test_the_step_one_late_fails():
    message = failure("conv-ex-1", {**BY_HAND["conv-ex-1"], "t_within_1pct": 390})
    assert "answer['t_within_1pct']" in message and "compared exactly" in message


def test_the_velocity_form_with_the_current_rate_fails():
    # eta_t times the buffer for both forms: Keras's steps computed as PyTorch's
    wrong = {**BY_HAND["conv-ex-2"], "keras_step_3": 0.0271, "keras_step_4": 0.03439}
    message = failure("conv-ex-2", wrong)
    assert "answer['keras_step_3']" in message and "2 of 4 checks failed" in message


def test_the_drop_one_step_early_fails():
    # the rate 0.01 already at step 2: b_3 is the same, the velocity is not
    wrong = {**BY_HAND["conv-ex-2"], "keras_step_3": 0.9 * (0.9 * 0.1 + 0.01) + 0.01}
    assert "answer['keras_step_3']" in failure("conv-ex-2", wrong)


def test_adagrad_without_the_initial_accumulator_fails():
    wrong = {**BY_HAND["conv-ex-3"], "step_keras_2": 0.02 / math.sqrt(5e-4 + 1e-7)}
    wrong["ratio_2"] = wrong["step_torch_2"] / wrong["step_keras_2"]
    message = failure("conv-ex-3", wrong)
    assert "answer['step_keras_2']" in message and "answer['ratio_2']" in message


def test_the_second_step_without_the_first_gradient_fails():
    # G_2 = g_2^2 only: the sum forgotten
    wrong = {**BY_HAND["conv-ex-3"], "step_torch_2": 1.0}
    assert "answer['step_torch_2']" in failure("conv-ex-3", wrong)


def test_half_without_the_square_of_g_in_the_accumulator_fails():
    # g / sqrt(0.1) = 1/2 forgets that g itself enters the sum
    message = failure("conv-ex-3", {**BY_HAND["conv-ex-3"], "g_half": math.sqrt(0.1) / 2})
    assert "answer['g_half']" in message and "1 of 4 checks failed" in message


def test_pytorch_buffer_form_fails_only_under_a_schedule():
    def buffer_form(grad, theta0, lr, momentum, nesterov, steps):
        theta = np.array(theta0, dtype=float)
        buffer, path = np.zeros_like(theta), [theta]
        for t in range(1, steps + 1):
            rate = lr(t) if callable(lr) else lr
            g = grad(theta)
            buffer = momentum * buffer + g
            theta = theta - rate * (g + momentum * buffer if nesterov else buffer)
            path.append(theta)
        return np.array(path)

    message = failure("conv-ex-4", buffer_form)
    assert "2 of 4 checks failed" in message and "step_decay" in message
    assert "linear_warmup" in message


def test_nesterov_ignored_fails():
    def no_nesterov(grad, theta0, lr, momentum, nesterov, steps):
        return keras_momentum(grad, theta0, lr, momentum, False, steps)

    message = failure("conv-ex-4", no_nesterov)
    assert "2 of 4 checks failed" in message and "nesterov=True" in message


def test_a_path_without_theta_0_fails():
    def without_start(grad, theta0, lr, momentum, nesterov, steps):
        return keras_momentum(grad, theta0, lr, momentum, nesterov, steps)[1:]

    assert "4 of 4 checks failed" in failure("conv-ex-4", without_start)


def test_a_velocity_with_the_wrong_sign_fails():
    def plus_velocity(grad, theta0, lr, momentum, nesterov, steps):
        theta = np.array(theta0, dtype=float)
        velocity, path = np.zeros_like(theta), [theta]
        for t in range(1, steps + 1):
            rate = lr(t) if callable(lr) else lr
            velocity = momentum * velocity + rate * grad(theta)  # the sign of Keras's store
            theta = theta + velocity  # ... but added, as Keras adds its -v: ascent
            path.append(theta)
        return np.array(path)

    assert "4 of 4 checks failed" in failure("conv-ex-4", plus_velocity)

