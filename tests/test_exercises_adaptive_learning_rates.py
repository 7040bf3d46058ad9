"""The checks of the chapter on AdaGrad, RMSprop and AdaDelta: right answers pass, wrong
answers fail and say why."""

import numpy as np
import pytest

from exercise_helpers import assert_passes, failure, labels

BY_HAND = {
    "ada-ex-1": {"theta_1": [0.5, 0.5], "G_2": [1.25, 20.0],
                 "theta_2": [0.5 - 0.25 / np.sqrt(1.25), 0.5 - 1.0 / np.sqrt(20.0)],
                 "J_2": 2.5 * (0.5 - 0.25 / np.sqrt(1.25)) ** 2},
    "ada-ex-2": {"weight_sum": 1 - 0.99 ** 100, "first_step": 10.0, "window": 100.0,
                 "half_life": np.log(2) / -np.log(0.99)},
    "ada-ex-4": {"delta_1": 1e-3 / np.sqrt(0.100001), "u_1": 1e-7 / 0.100001,
                 "v_2": 0.09 + 0.1 * (1 - 1e-3 / np.sqrt(0.100001)) ** 2,
                 "delta_2": 3.2396e-3},
}


def rmsprop_rates(grads, lr, rho, eps):
    v, rates = np.zeros(np.shape(grads)[1:]), []
    for g in np.asarray(grads, dtype=float):
        v = rho * v + (1 - rho) * g ** 2
        rates.append(lr / (np.sqrt(v) + eps))
    return np.array(rates)


def rotated(kappa, angle):
    c, s = np.cos(angle), np.sin(angle)
    R = np.array([[c, -s], [s, c]])
    return R @ np.diag([1.0, kappa]) @ R.T


def adagrad_steps(kappa, angle, lr, steps, tol):
    A, theta, G = rotated(kappa, angle), np.array([-9.0, 2.0]), np.zeros(2)
    values = [0.5 * theta @ A @ theta]
    for _ in range(steps):
        g = A @ theta
        G = G + g ** 2
        theta = theta - lr * g / (np.sqrt(G) + 1e-10)
        values.append(0.5 * theta @ A @ theta)
    above = np.array(values) > tol
    if above[-1]:
        return steps + 1
    return int(len(above) - np.argmax(above[::-1])) if above.any() else 0


RIGHT = {**BY_HAND, "ada-ex-3": rmsprop_rates, "ada-ex-5": adagrad_steps}


@pytest.mark.parametrize("label", sorted(RIGHT))
def test_right_answers_pass(label, capsys):
    assert_passes(label, RIGHT[label], capsys)


def test_every_exercise_of_the_chapter_has_a_right_answer_here():
    assert labels("ada") == sorted(RIGHT)


def test_forgetting_the_square_root_in_the_second_adagrad_step_fails():
    wrong = {**BY_HAND["ada-ex-1"], "theta_2": [0.5 - 0.25 / 1.25, 0.5 - 1.0 / 20.0],
             "J_2": 2.5 * 0.3 ** 2}
    message = failure("ada-ex-1", wrong)
    assert "answer['theta_2']" in message and "answer['theta_1']" not in message


def test_a_half_life_of_one_over_rho_fails():
    wrong = {**BY_HAND["ada-ex-2"], "window": 1 / 0.99}
    assert "answer['window']" in failure("ada-ex-2", wrong)


def test_a_sum_over_t_plus_one_terms_fails():
    wrong = {**BY_HAND["ada-ex-2"], "weight_sum": 1 - 0.99 ** 101}
    assert "answer['weight_sum']" in failure("ada-ex-2", wrong)


def test_eps_inside_the_root_fails():
    def inside(grads, lr, rho, eps):
        v, rates = np.zeros(np.shape(grads)[1:]), []
        for g in np.asarray(grads, dtype=float):
            v = rho * v + (1 - rho) * g ** 2
            rates.append(lr / np.sqrt(v + eps))
        return np.array(rates)

    assert "rmsprop_rates" in failure("ada-ex-3", inside)


def test_adagrads_sum_instead_of_the_average_fails():
    def summed(grads, lr, rho, eps):
        return lr / (np.sqrt(np.cumsum(np.asarray(grads) ** 2, axis=0)) + eps)

    assert "rmsprop_rates" in failure("ada-ex-3", summed)


def test_theta_squared_in_adadeltas_numerator_fails():
    # u_1 = 0.1 * theta_1^2 instead of 0.1 * delta_1^2
    wrong = {**BY_HAND["ada-ex-4"], "u_1": 0.1 * (1 - 1e-3 / np.sqrt(0.100001)) ** 2}
    message = failure("ada-ex-4", wrong)
    assert "answer['u_1']" in message and "answer['delta_1']" not in message


def test_returning_steps_for_a_run_that_never_gets_there_fails():
    def off_by_one(kappa, angle, lr, steps, tol):
        count = adagrad_steps(kappa, angle, lr, steps, tol)
        return steps if count == steps + 1 else count

    assert "steps=50" in failure("ada-ex-5", off_by_one)
