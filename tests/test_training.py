"""optlib.training and optlib.data: the epoch / shuffle / mini-batch loop on the digits."""

import dataclasses
import io
import math
import sys
import warnings

import numpy as np
import pytest

import optlib
from optlib.data import Dataset, digits
from optlib.models import MLP, LogisticRegression
from optlib.training import History, minibatches, train


@pytest.fixture(scope="module")
def data():
    return digits()


@pytest.fixture(scope="module")
def small(data):
    """200 training examples: enough to learn something, fast enough for batch_size=1."""
    return dataclasses.replace(data, x_train=data.x_train[:200], y_train=data.y_train[:200])


def logistic(data):
    return LogisticRegression(data.n_features, data.n_classes)


# --- the data ------------------------------------------------------------------------------------

def test_digits_are_scaled_split_by_class_and_read_only(data):
    assert isinstance(data, Dataset) and data.name == "digits"
    assert data.x_train.shape == (1347, 64) and data.x_test.shape == (450, 64)
    assert data.n_features == 64 and data.n_train == 1347 and data.n_classes == 10
    assert data.image_shape == (8, 8)
    assert data.x_train.min() == 0.0 and data.x_train.max() == 1.0 and data.x_train.dtype == np.float64
    assert data.y_train.dtype == np.int64
    counts = np.bincount(data.y_test, minlength=10)
    assert counts.min() >= 44 and counts.max() <= 46  # a quarter of each digit's ~180 images
    assert not data.x_train.flags.writeable
    with pytest.raises(dataclasses.FrozenInstanceError):
        data.n_classes = 3


def test_digits_split_is_seeded():
    a, b, c = digits(seed=0), digits(seed=0), digits(seed=1)
    np.testing.assert_array_equal(a.y_train, b.y_train)
    assert not np.array_equal(a.y_train, c.y_train)
    assert digits(test_fraction=0.5).x_test.shape[0] == pytest.approx(1797 / 2, abs=10)


@pytest.mark.parametrize("kwargs, message", [
    ({"test_fraction": 1.0}, r"test_fraction: 1.0 \(must be in \(0, 1\)\)"),
    ({"test_fraction": 0}, "test_fraction: 0"),
    ({"seed": -1}, "seed: -1"),
])
def test_digits_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        digits(**kwargs)


# --- the batching --------------------------------------------------------------------------------

@pytest.mark.parametrize("n, batch_size, sizes", [(10, 3, [3, 3, 3, 1]), (10, 5, [5, 5]), (7, 7, [7]), (4, 1, [1] * 4)])
def test_every_example_is_in_exactly_one_batch(n, batch_size, sizes):
    batches = minibatches(n, batch_size, np.random.default_rng(0))
    assert [len(b) for b in batches] == sizes
    np.testing.assert_array_equal(np.sort(np.concatenate(batches)), np.arange(n))


def test_batches_are_reshuffled_each_epoch():
    rng = np.random.default_rng(0)
    first, second = minibatches(100, 10, rng), minibatches(100, 10, rng)
    assert not all(np.array_equal(a, b) for a, b in zip(first, second))


def test_each_epoch_processes_every_example_once(small):
    run = train(logistic(small), optlib.SGD(lr=0.1), small, epochs=3, batch_size=64)
    np.testing.assert_array_equal(run.epoch, [0, 1, 2, 3])
    np.testing.assert_array_equal(run.gradient_evaluations, [0, 200, 400, 600])
    assert run.steps == len(run.step_loss) == 3 * math.ceil(200 / 64)


# --- learning ------------------------------------------------------------------------------------

# test accuracy observed after 10 epochs of batches of 32 (seed 0): 0.940, 0.940, 0.958, 0.949
@pytest.mark.parametrize("make_model, optimizer, min_accuracy", [
    (lambda d: LogisticRegression(d.n_features, d.n_classes), optlib.SGD(lr=0.5), 0.91),
    (lambda d: LogisticRegression(d.n_features, d.n_classes), optlib.Adam(lr=0.01), 0.91),
    (lambda d: MLP(d.n_features, 32, d.n_classes, activation="tanh"), optlib.SGD(lr=0.5), 0.92),
    (lambda d: MLP(d.n_features, 32, d.n_classes, activation="relu"), optlib.Adam(lr=0.01), 0.92),
], ids=["logistic-SGD", "logistic-Adam", "mlp-tanh-SGD", "mlp-relu-Adam"])
def test_training_on_digits_lowers_the_loss_and_classifies(data, make_model, optimizer, min_accuracy):
    run = train(make_model(data), optimizer, data, epochs=10, batch_size=32)
    assert not run.diverged and run.diverged_at_step == -1
    assert run.train_loss[0] > 2.0  # about log(10) at the start
    assert run.train_loss[-1] < 0.25 * run.train_loss[0]
    assert run.test_loss[-1] < 0.3 * run.test_loss[0]
    assert run.test_accuracy[-1] > min_accuracy and run.train_accuracy[-1] > min_accuracy
    assert run.label == type(optimizer).__name__ and run.batch_size == 32


def test_stochastic_gradient_descent_batch_of_one(small):
    run = train(logistic(small), optlib.SGD(lr=0.05), small, epochs=2, batch_size=1)
    assert run.steps == 400 and run.step_loss.shape == (400,)
    assert run.train_loss[-1] < 0.5 * run.train_loss[0]


def test_full_batch_is_exactly_gradient_descent(small):
    model, optimizer = logistic(small), optlib.SGD(lr=0.3)
    run = train(model, optimizer, small, epochs=5, batch_size=small.n_train, seed=4)

    theta, state = model.init(4), optimizer.init(model.init(4))
    losses = []
    for _ in range(5):
        loss, g = model.loss_and_grad(theta, small.x_train, small.y_train)
        losses.append(loss)
        theta, state = optimizer.step(theta, g, state)
    np.testing.assert_array_equal(run.theta, theta)
    np.testing.assert_array_equal(run.step_loss, losses)
    np.testing.assert_array_equal(run.train_loss[:-1], losses)


def test_same_seed_same_history_different_seed_different(small):
    model = MLP(small.n_features, 8, small.n_classes)
    runs = [train(model, optlib.Momentum(lr=0.1), small, epochs=2, batch_size=16, seed=s) for s in (7, 7, 8)]
    for field in dataclasses.fields(History):
        a, b = getattr(runs[0], field.name), getattr(runs[1], field.name)
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(runs[0].theta, runs[2].theta)
    assert not np.array_equal(runs[0].step_loss, runs[2].step_loss)


def test_a_given_start_theta_is_used_and_not_modified(small):
    model = logistic(small)
    theta0 = np.zeros(model.n_params)
    run = train(model, optlib.SGD(lr=0.1), small, epochs=1, batch_size=50, theta=theta0)
    assert run.train_loss[0] == pytest.approx(math.log(10))
    assert np.all(theta0 == 0)


def test_eval_every_and_the_last_epoch(small):
    run = train(logistic(small), optlib.SGD(lr=0.1), small, epochs=7, batch_size=100, eval_every=3)
    np.testing.assert_array_equal(run.epoch, [0, 3, 6, 7])
    assert run.test_accuracy.shape == run.train_loss.shape == (4,)


def test_history_is_immutable(small):
    run = train(logistic(small), optlib.SGD(lr=0.1), small, epochs=1, batch_size=100)
    with pytest.raises(dataclasses.FrozenInstanceError):
        run.diverged = True
    with pytest.raises(ValueError, match="read-only"):
        run.train_loss[0] = 0.0
    with pytest.raises(ValueError, match="read-only"):
        run.theta[0] = 0.0


# --- divergence ----------------------------------------------------------------------------------

@pytest.mark.parametrize("lr, bound", [(1e6, 1e6), (1e308, math.inf)], ids=["out-of-bound", "overflow-to-nan"])
def test_divergence_is_marked_not_raised(small, lr, bound):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        run = train(MLP(small.n_features, 8, small.n_classes), optlib.SGD(lr=lr), small,
                    epochs=5, batch_size=20, bound=bound)
    assert run.diverged and run.diverged_at_step == len(run.step_loss) >= 1
    assert len(run.epoch) < 6  # stopped before the end
    assert np.all(np.isfinite(run.train_loss))  # the epochs recorded are the ones completed
    if math.isinf(bound):  # the next mini-batch loss is not finite, and is not stepped on
        assert not np.isfinite(run.step_loss[-1]) and run.steps == len(run.step_loss) - 1
    else:  # the step that left the bound was taken
        assert np.abs(run.theta).max() > bound and run.steps == len(run.step_loss)


def test_progress_bar_stays_quiet_when_not_a_terminal(small, capsys):
    train(logistic(small), optlib.SGD(lr=0.1), small, epochs=2, batch_size=100, progress=True)
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


def test_progress_bar_on_a_terminal_is_removed_at_the_end(small, monkeypatch):
    pytest.importorskip("tqdm")

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    train(logistic(small), optlib.SGD(lr=0.1), small, epochs=2, batch_size=100, progress=True)
    output = terminal.getvalue()
    assert "SGD" in output and "epoch" in output and output.endswith("\r")  # leave=False clears the line


# --- bad inputs ----------------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs, error, message", [
    ({"epochs": -1}, ValueError, "epochs: -1"),
    ({"epochs": 2.5}, ValueError, "epochs: 2.5"),
    ({"batch_size": 0}, ValueError, "batch_size: 0"),
    ({"batch_size": 201}, ValueError, r"batch_size: 201 \(the training set has only 200 examples\)"),
    ({"eval_every": 0}, ValueError, "eval_every: 0"),
    ({"seed": -3}, ValueError, "seed: -3"),
    ({"bound": 0.0}, ValueError, "bound: 0.0"),
    ({"theta": np.zeros(3)}, ValueError, r"theta must have shape \(650,\)"),
    ({"theta": np.full(650, np.nan)}, ValueError, "theta must be finite"),
    ({"optimizer": "adam"}, TypeError, r"optimizer must have the method init\(\)"),
    ({"model": object()}, TypeError, r"model must have the method init\(\)"),
    ({"data": (1, 2)}, TypeError, "missing x_train"),
])
def test_bad_arguments_are_refused(small, kwargs, error, message):
    arguments = {"model": logistic(small), "optimizer": optlib.SGD(lr=0.1), "data": small,
                 "epochs": 1, "batch_size": 10, **kwargs}
    model, optimizer, data = arguments.pop("model"), arguments.pop("optimizer"), arguments.pop("data")
    with pytest.raises(error, match=message):
        train(model, optimizer, data, **arguments)


def test_data_that_does_not_fit_the_model_is_refused(small):
    with pytest.raises(ValueError, match=r"x must have shape \(n, 10\), got \(200, 64\)"):
        train(LogisticRegression(10, 10), optlib.SGD(lr=0.1), small, epochs=1, batch_size=10)
    with pytest.raises(ValueError, match="labels must be in 0..2"):
        train(LogisticRegression(64, 3), optlib.SGD(lr=0.1), small, epochs=1, batch_size=10)


def test_a_model_without_accuracy_records_nan_accuracies(small):
    from optlib.models import Autoencoder

    run = train(Autoencoder((64, 8, 64)), optlib.SGD(lr=0.5), small, epochs=2, batch_size=20)
    assert run.train_accuracy.shape == run.test_accuracy.shape == (3,)
    assert np.all(np.isnan(run.train_accuracy)) and np.all(np.isnan(run.test_accuracy))
    assert np.all(np.isfinite(run.train_loss)) and run.train_loss[-1] < run.train_loss[0]
    classifier = train(logistic(small), optlib.SGD(lr=0.5), small, epochs=2, batch_size=20)
    assert np.all(np.isfinite(classifier.test_accuracy))  # classifiers keep their accuracy
