"""The checks of the Muon and Schedule-Free AdamW exercises of chapter 8 (ba-ex-5, ba-ex-6):
right answers pass, wrong answers fail and say which entry or output is wrong."""

import numpy as np
import pytest

import optlib
from exercise_helpers import assert_passes, failure

A, B, C = 3.4445, -4.7750, 2.0315


def p(s):
    return A * s + B * s**3 + C * s**5


X_0 = np.array([0.8, 0.6])
BY_HAND = {"ba-ex-5": {"X_0": X_0, "X_1": p(X_0), "X_2": p(p(X_0)), "p_1": A + B + C}}


def sf_losses(model, opt, dataset, epochs, batch_size, seed, y_is_z=False):
    """The right answer of ba-ex-6 (and, with y_is_z, a typical wrong one)."""
    theta, rng = model.init(seed), np.random.default_rng(seed)
    state = opt.init(theta)

    def losses():
        y = state.z if y_is_z else theta
        return [model.loss(point, dataset.x_test, dataset.y_test) for point in (state.x, y)]

    rows = [losses()]
    for _ in range(epochs):
        for batch in optlib.training.minibatches(len(dataset.y_train), batch_size, rng):
            _, g = model.loss_and_grad(theta, dataset.x_train[batch], dataset.y_train[batch])
            theta, state = opt.step(theta, g, state)
        rows.append(losses())
    at_x, at_y = np.array(rows).T
    return at_x, at_y


RIGHT = {**BY_HAND, "ba-ex-6": sf_losses}


@pytest.mark.parametrize("label", sorted(RIGHT))
def test_right_answers_pass(label, capsys):
    assert_passes(label, RIGHT[label], capsys)


def test_one_step_too_many_is_caught_and_named():
    wrong = {**BY_HAND["ba-ex-5"], "X_2": p(p(p(X_0)))}
    message = failure("ba-ex-5", wrong)
    assert "answer['X_2']" in message and "1 of 4 checks failed" in message


def test_forgetting_to_normalise_is_caught_and_named():
    G = np.array([4.0, 3.0])  # the diagonal of G, not divided by ||G||_F = 5
    wrong = {"X_0": G, "X_1": p(G), "X_2": p(p(G)), "p_1": A + B + C}
    message = failure("ba-ex-5", wrong)
    assert all(f"answer['{key}']" in message for key in ("X_0", "X_1", "X_2"))
    assert "answer['p_1']" not in message


def test_assuming_that_one_is_a_fixed_point_fails():
    message = failure("ba-ex-5", {**BY_HAND["ba-ex-5"], "p_1": 1.0})
    assert "answer['p_1']" in message and "0.701" not in message


def test_evaluating_at_y_for_both_fails_on_the_x_output():
    def both_at_y(*args):
        _, at_y = sf_losses(*args)
        return at_y, at_y

    message = failure("ba-ex-6", both_at_y)
    assert "[0], the test losses at x" in message
    assert "[1], the test losses at y" not in message


def test_taking_z_for_y_fails_on_the_y_output():
    message = failure("ba-ex-6", lambda *args: sf_losses(*args, y_is_z=True))
    assert "[1], the test losses at y" in message
    assert "[0], the test losses at x" not in message


def test_skipping_the_loss_before_training_fails():
    def no_start(*args):
        at_x, at_y = sf_losses(*args)
        return at_x[1:], at_y[1:]

    message = failure("ba-ex-6", no_start)
    assert "6 of 6 checks failed" in message


def test_other_batches_fail():
    def reseeded(model, opt, dataset, epochs, batch_size, seed):
        return sf_losses(model, opt, dataset, epochs, batch_size, seed + 1)

    assert "checks failed" in failure("ba-ex-6", reseeded)
