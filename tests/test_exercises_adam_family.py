"""The checks of the Adam-family chapter: right answers pass, wrong answers fail and say why."""

import math

import numpy as np
import pytest

from exercise_helpers import assert_passes, failure, labels

BY_HAND = {
    "fam-ex-1": {"u_1": [2.0, 4.0], "theta_1": [0.9, 0.9], "u_2": [1.8, 3.6],
                 "theta_2": [0.9 - 0.1 / 0.75 * 1.4 / 1.8] * 2},
    "fam-ex-2": {"mu_1_pytorch": 0.9 * (1 - 0.5 * 0.96**0.004), "mu_1_keras": 0.468,
                 "t_pytorch_80": 5612, "t_keras_95": 57},
    # Adam: -0.5, then -0.5 + (0.5/sqrt 2)/sqrt(1.71/0.99), + (0.5/sqrt 3)/sqrt(1.071/0.999)
    "fam-ex-5": {"adam_x_1": -0.5,
                 "adam_x_2": -0.5 + 0.5 / np.sqrt(2) / np.sqrt(1.71 / 0.99),
                 "adam_x_3": -0.5 + 0.5 / np.sqrt(2) / np.sqrt(1.71 / 0.99)
                 + 0.5 / np.sqrt(3) / np.sqrt(1.071 / 0.999),
                 "ams_x_3": -0.5 + 0.5 / np.sqrt(2) / np.sqrt(8.1 / 0.99)
                 + 0.5 / np.sqrt(3) / np.sqrt(8.1 / 0.999)},
}


def u_closed_form(gradients, beta2):
    g = np.abs(np.asarray(gradients, dtype=float))
    out, u = [], np.zeros(g.shape[1:])
    for row in g:
        u = np.maximum(beta2 * u, row)
        out.append(u)
    return np.array(out)


def adam_l2_path(grad, theta0, lr, lam, steps, beta1=0.9, beta2=0.999, eps=1e-8):
    theta = np.array(theta0, dtype=float)
    m, v, path = np.zeros_like(theta), np.zeros_like(theta), [theta]
    for t in range(1, steps + 1):
        g = grad(theta) + lam * theta
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g**2
        theta = theta - lr * (m / (1 - beta1**t)) / (np.sqrt(v / (1 - beta2**t)) + eps)
        path.append(theta)
    return np.array(path)


RIGHT = {**BY_HAND, "fam-ex-3": u_closed_form, "fam-ex-4": adam_l2_path}


@pytest.mark.parametrize("label", sorted(RIGHT))
def test_right_answers_pass(label, capsys):
    assert_passes(label, RIGHT[label], capsys)


def test_every_exercise_of_the_chapter_has_a_right_answer_here():
    assert labels("fam") == sorted(RIGHT)


def test_a_bias_corrected_u_fails_the_adamax_steps():
    # dividing u by (1 - beta2^t) as if it were Adam's v: theta_1 = 1 - 0.2 * 0.5 * 0.25
    wrong = {**BY_HAND["fam-ex-1"], "theta_1": [0.975, 0.975]}
    message = failure("fam-ex-1", wrong)
    assert "answer['theta_1']" in message and "answer['u_1']" not in message


def test_the_keras_schedule_with_psi_fails():
    wrong = {**BY_HAND["fam-ex-2"], "t_keras_95": math.ceil(math.log(0.1) / math.log(0.96)
                                                            / 0.004)}
    message = failure("fam-ex-2", wrong)
    assert "answer['t_keras_95']" in message and "answer['t_pytorch_80']" not in message


def test_an_undecayed_running_max_fails():
    message = failure("fam-ex-3", lambda g, beta2: np.maximum.accumulate(np.abs(g), axis=0))
    assert "u_closed_form(" in message


def test_decoupled_decay_is_not_the_l2_form():
    def decoupled(grad, theta0, lr, lam, steps):
        theta = np.array(theta0, dtype=float)
        m, v, path = np.zeros_like(theta), np.zeros_like(theta), [theta]
        for t in range(1, steps + 1):
            g = grad(theta)
            m, v = 0.9 * m + 0.1 * g, 0.999 * v + 0.001 * g**2
            step = (m / (1 - 0.9**t)) / (np.sqrt(v / (1 - 0.999**t)) + 1e-8)
            theta = theta * (1 - lr * lam) - lr * step
            path.append(theta)
        return np.array(path)

    message = failure("fam-ex-4", decoupled)
    assert "adam_l2_path(" in message and "lam=0.1" in message


def test_forgetting_the_bias_correction_fails():
    message = failure("fam-ex-4", lambda *a: adam_l2_path(*a, beta1=0.9, beta2=0.999,
                                                          eps=1e-8)[:, ::-1])
    assert "adam_l2_path(" in message


def test_adam_without_bias_correction_fails_the_counterexample_steps():
    # no correction of v: step 1 is 0.5 * 3 / sqrt(8.1), not 0.5
    wrong = {**BY_HAND["fam-ex-5"], "adam_x_1": -0.5 * 3 / np.sqrt(8.1)}
    message = failure("fam-ex-5", wrong)
    assert "answer['adam_x_1']" in message and "answer['ams_x_3']" not in message
