"""optlib.exercises: right answers pass, wrong ones fail with a useful message; optlib.assign:
nbgrader's solution regions and the generated index page."""

import numpy as np
import pytest

from optlib import assign
from optlib.exercises import CHECKS, ExerciseCheckFailed, check_exercise

from exercise_helpers import assert_passes, failure, labels

BY_HAND = {
    "gd-ex-1": {"gradient": [4.0, 4.0], "theta_1": [2.6, 0.6], "loss_0": 6.0, "loss_1": 3.28},
    "gd-ex-2": {"largest_lr": 0.5, "best_lr": 0.4, "rate": 0.6, "steps": 28},
    "gd-ex-6": {"largest_lr": 0.5, "best_lr": 0.25, "decrease": 0.125, "steps": 1600},
}


def gd_until(f, theta0, lr, delta, max_steps):
    theta = np.array(theta0, dtype=float)
    for t in range(max_steps + 1):
        g = f.grad(theta)
        if np.linalg.norm(g) <= delta or t == max_steps:
            return theta, t
        theta = theta - lr * g


def epoch_batches(n, batch_size, rng):
    order = rng.permutation(n)
    return [order[i:i + batch_size] for i in range(0, n, batch_size)]


RIGHT = {**BY_HAND, "gd-ex-3": lambda lr, c: lr / c, "gd-ex-4": gd_until, "gd-ex-5": epoch_batches}


@pytest.mark.parametrize("label", sorted(RIGHT))
def test_right_answers_pass(label, capsys):
    assert_passes(label, RIGHT[label], capsys)


def test_every_exercise_of_chapter_1_has_a_right_answer_here():
    assert labels("gd") == sorted(RIGHT)


def test_the_checks_are_those_of_the_exercises_in_the_book():
    in_the_book = [exercise["label"] for path in assign.chapters()
                   for exercise in assign.exercises(assign.read(path))]
    assert len(in_the_book) == len(set(in_the_book))  # labels are unique across chapters
    assert set(in_the_book) == set(CHECKS)


def test_a_wrong_function_is_told_the_input_the_result_and_what_it_breaks():
    message = failure("gd-ex-3", lambda lr, c: lr * c)
    assert "equivalent_lr(lr=0.001, c=100)" in message
    assert "got:      0.1, but gradient descent on 100·J with it moves θ by" in message
    assert "3 of 4 checks failed" in message  # c = 1 happens to be right


def test_an_equivalent_lr_off_by_a_little_is_caught():
    # the moves, not the points, are compared: a 1e-5 relative error in lr is seen at lr=1e-3
    message = failure("gd-ex-3", lambda lr, c: lr / c * (1 + 1e-5))
    assert "4 of 4 checks failed" in message


def test_an_off_by_one_stopping_rule_fails_only_where_the_budget_runs_out():
    message = failure("gd-ex-4", lambda f, x, lr, tol, steps: gd_until(f, x, lr, tol, steps + 1))
    assert "1 of 5 checks failed" in message and "max_steps=50" in message


def test_batches_in_a_fixed_order_are_caught():
    message = failure("gd-ex-5", lambda n, b, rng: [np.arange(n)[i:i + b] for i in range(0, n, b)])
    assert "checks failed" in message and "default_rng" in message


def test_batches_sorted_or_not_and_as_lists_all_pass(capsys):
    def sorted_lists(n, b, rng):
        return [sorted(batch.tolist()) for batch in epoch_batches(n, b, rng)]

    assert_passes("gd-ex-5", sorted_lists, capsys)


def test_a_dropped_last_batch_and_a_reused_order_are_caught():
    def drop_last(n, b, rng):
        return epoch_batches(n, b, rng)[: n // b]

    message = failure("gd-ex-5", drop_last)
    assert "2 of 5 checks failed" in message  # b divides n in three of the five cases
    orders = {}

    def same_order_every_epoch(n, b, rng):
        order = orders.setdefault((n, b), rng.permutation(n))
        return [order[i:i + b] for i in range(0, n, b)]

    # B = n is one batch whatever the order: the other four cases fail
    assert "4 of 5 checks failed" in failure("gd-ex-5", same_order_every_epoch)


def test_the_descent_lemma_numbers_catch_the_usual_slips():
    right = BY_HAND["gd-ex-6"]
    message = failure("gd-ex-6", {**right, "steps": 160})  # delta instead of delta^2
    assert "answer['steps']\n    got:      160, which is not right (an integer" in message
    assert "1600" not in message and "expected" not in message  # the answer is not given
    message = failure("gd-ex-6", {**right, "decrease": 0.25})  # 1/L instead of 1/(2L)
    assert "1 of 4 checks failed" in message and "answer['decrease']" in message
    assert "2 of 4 checks failed" in failure("gd-ex-6", {**right, "largest_lr": 0.25,
                                                         "best_lr": 0.125})


def test_a_wrong_number_by_hand_names_the_entry_but_not_the_answer():
    message = failure("gd-ex-2", {**BY_HAND["gd-ex-2"], "steps": 27})
    assert "answer['steps']" in message and "got:      27" in message
    assert "1 of 4 checks failed" in message
    assert "28" not in message and "expected" not in message


def test_a_wrong_entry_of_a_vector_by_hand_is_named():
    message = failure("gd-ex-1", {**BY_HAND["gd-ex-1"], "theta_1": [2.6, 0.2]})
    assert "answer['theta_1']\n    got:      [2.6, 0.2]; entry [1] not right" in message
    assert "0.6" not in message
    assert "a list of 2 numbers" in failure("gd-ex-1", {**BY_HAND["gd-ex-1"], "theta_1": 2.6})


def test_a_missing_entry_or_a_non_dict_is_reported():
    answer = dict(BY_HAND["gd-ex-1"])
    del answer["loss_1"]
    assert "has no entry 'loss_1'" in failure("gd-ex-1", answer)
    assert "must be a dict" in failure("gd-ex-1", [4.0, 4.0])


def test_a_stub_is_not_implemented_yet():
    def stub(*args):
        raise NotImplementedError()

    assert "not implemented yet" in failure("gd-ex-4", stub)


def test_an_error_in_the_students_code_is_reported_with_its_input():
    message = failure("gd-ex-3", lambda lr, c: lr / 0)
    assert "raised ZeroDivisionError" in message and "equivalent_lr(lr=0.001, c=100)" in message


def test_an_unknown_label_lists_the_known_ones():
    with pytest.raises(KeyError, match="gd-ex-1"):
        check_exercise("gd-ex-99", None)


def test_messages_show_values_not_the_reference_code():
    message = failure("gd-ex-5", lambda n, b, rng: [])
    assert "permutation" not in message and "def " not in message and "return" not in message


def test_an_answer_left_at_none_is_not_answered_yet():
    with pytest.raises(ExerciseCheckFailed, match=r"gd-ex-1: not answered yet \(the answer is still None\)"):
        check_exercise("gd-ex-1", None)
