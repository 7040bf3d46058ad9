"""The checks of the learning-rate schedules chapter: right answers pass, wrong answers fail and
say why."""

import math

import numpy as np
import pytest

from exercise_helpers import assert_passes, failure, labels

BY_HAND = {
    "lrs-ex-1": {"eta_26": 0.05 * (1 + math.cos(math.pi / 4)), "warm_eta_5": 0.05,
                 "warm_eta_55": 0.05 * (1 + math.cos(44 * math.pi / 90)), "torch_epoch_26": 25},
    # steps in units of eta at the end of a warm-up of 10 steps, gamma = 0.9
    "lrs-ex-2": {"torch_step": (1 - 0.9**10) / 0.1,
                 "velocity_step": (1 - 0.9 * (1 - 0.9**10) / (10 * 0.1)) / 0.1,
                 "ratio": 1 / (1 - 0.9 * (1 - 0.9**10) / (10 * 0.1)) * (1 - 0.9**10),
                 "steady_step": 10.0},
}


def lambda_factor(schedule, lr):
    return lambda epoch: schedule(epoch + 1) / lr


def one_cycle(max_lr, total_steps, pct_start=0.3, div_factor=25.0, final_div_factor=1e4):
    start, peak_epoch = max_lr / div_factor, pct_start * total_steps - 1

    def schedule(t):
        e = t - 1
        if e <= peak_epoch:
            a, b, p = start, max_lr, e / peak_epoch
        else:
            a, b, p = max_lr, start / final_div_factor, (e - peak_epoch) / (
                total_steps - 1 - peak_epoch)
        return b + (a - b) * (1 + math.cos(math.pi * p)) / 2

    return schedule


def running_average(path):
    path = np.asarray(path, dtype=float)
    counts = np.arange(1, len(path) + 1).reshape((-1,) + (1,) * (path.ndim - 1))
    return np.cumsum(path, axis=0) / counts


RIGHT = {**BY_HAND, "lrs-ex-3": lambda_factor, "lrs-ex-4": one_cycle,
         "lrs-ex-5": running_average}


@pytest.mark.parametrize("label", sorted(RIGHT))
def test_right_answers_pass(label, capsys):
    assert_passes(label, RIGHT[label], capsys)


def test_every_exercise_of_the_chapter_has_a_right_answer_here():
    assert labels("lrs") == sorted(RIGHT)


def test_the_cosine_at_t_instead_of_t_minus_1_fails():
    wrong = {**BY_HAND["lrs-ex-1"], "eta_26": 0.05 * (1 + math.cos(math.pi * 26 / 100))}
    message = failure("lrs-ex-1", wrong)
    assert "answer['eta_26']" in message and "1 of 4 checks failed" in message


def test_the_warm_up_not_restarting_the_cosine_fails():
    # the cosine counted from step 1 of the run, not from the end of the warm-up
    wrong = {**BY_HAND["lrs-ex-1"], "warm_eta_55": 0.05 * (1 + math.cos(math.pi * 54 / 90))}
    message = failure("lrs-ex-1", wrong)
    assert "answer['warm_eta_55']" in message and "1 of 4 checks failed" in message


def test_torch_epoch_equal_to_the_step_fails():
    message = failure("lrs-ex-1", {**BY_HAND["lrs-ex-1"], "torch_epoch_26": 26})
    assert "answer['torch_epoch_26']" in message


def test_the_velocity_form_with_the_full_rate_fails():
    # forgetting the warm-up inside the velocity form gives PyTorch's step for both
    wrong = {**BY_HAND["lrs-ex-2"], "velocity_step": BY_HAND["lrs-ex-2"]["torch_step"],
             "ratio": 1.0}
    message = failure("lrs-ex-2", wrong)
    assert "answer['velocity_step']" in message and "answer['ratio']" in message
    assert "2 of 4 checks failed" in message


def test_the_steady_step_of_gradient_descent_fails():
    message = failure("lrs-ex-2", {**BY_HAND["lrs-ex-2"], "steady_step": 1.0})
    assert "answer['steady_step']" in message and "1 of 4 checks failed" in message


def test_the_ratio_upside_down_fails():
    wrong = {**BY_HAND["lrs-ex-2"], "ratio": 1 / BY_HAND["lrs-ex-2"]["ratio"]}
    assert "answer['ratio']" in failure("lrs-ex-2", wrong)


def test_the_off_by_one_lambda_fails():
    message = failure("lrs-ex-3", lambda schedule, lr: (lambda e: schedule(e) / lr))
    assert "lambda_factor(schedules.linear_warmup(0.1, 5), lr=0.1)" in message
    assert "4 of 4 checks failed" in message


def test_the_lambda_without_dividing_by_lr_fails_where_lr_is_not_1():
    message = failure("lrs-ex-3", lambda schedule, lr: (lambda e: schedule(e + 1)))
    assert "3 of 4 checks failed" in message  # lr = 1.0 for the cosine


def test_one_cycle_at_torch_epoch_t_fails():
    def shifted(*args, **kwargs):
        schedule = one_cycle(*args, **kwargs)
        return lambda t: schedule(t + 1)

    message = failure("lrs-ex-4", shifted)
    assert "one_cycle(max_lr=0.1, total_steps=100" in message and "4 of 4 checks failed" in message


def test_one_cycle_ending_at_the_initial_rate_fails():
    def no_final_division(max_lr, total_steps, pct_start=0.3, div_factor=25.0,
                          final_div_factor=1e4):
        return one_cycle(max_lr, total_steps, pct_start, div_factor, 1.0)

    assert "4 of 4 checks failed" in failure("lrs-ex-4", no_final_division)


def test_one_cycle_matches_torch_when_torch_is_there():
    torch = pytest.importorskip("torch")
    for max_lr, total, pct in [(0.1, 100, 0.3), (2.0, 11, 0.3)]:
        p = torch.nn.Parameter(torch.zeros(1))
        optimizer = torch.optim.SGD([p], lr=0.1)
        scheduler = torch.optim.lr_scheduler.OneCycleLR(
            optimizer, max_lr=max_lr, total_steps=total, pct_start=pct, cycle_momentum=False)
        rates = []
        for t in range(1, total + 1):
            rates.append(optimizer.param_groups[0]["lr"])
            optimizer.step()
            if t < total:
                scheduler.step()
        ours = [one_cycle(max_lr, total, pct)(t) for t in range(1, total + 1)]
        np.testing.assert_allclose(ours, rates, rtol=1e-12)


def test_an_average_that_counts_theta_0_fails():
    def with_start(path):  # divides by t + 1 as if theta_0 = 0 were one of the iterates
        path = np.asarray(path, dtype=float)
        counts = np.arange(2, len(path) + 2).reshape((-1,) + (1,) * (path.ndim - 1))
        return np.cumsum(path, axis=0) / counts

    message = failure("lrs-ex-5", with_start)
    assert "a path of shape (6,)" in message and "4 of 4 checks failed" in message


def test_an_average_over_the_wrong_axis_fails():
    message = failure("lrs-ex-5", lambda path: np.cumsum(path, axis=-1)
                      / np.arange(1, np.shape(path)[-1] + 1))
    assert "a path of shape (40, 2)" in message and "1 of 4" not in message
