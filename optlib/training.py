r"""The training loop of the book: epochs, shuffling, mini-batches. :func:`train` and :class:`History`.

.. code-block:: python

    data = optlib.data.digits()
    model = optlib.models.LogisticRegression(data.n_features, data.n_classes)
    run = optlib.train(model, optlib.SGD(lr=0.5), data, epochs=20, batch_size=32)
    run.test_accuracy[-1]                            # after the last epoch
    plt.plot(run.gradient_evaluations, run.train_loss)  # loss against examples processed

It is the pseudo-code of mini-batch gradient descent (Ruder, "An overview of gradient descent
optimization algorithms", arXiv:1609.04747, 2016)::

    for epoch in range(epochs):
        shuffle the training examples
        for batch in batches of batch_size examples:
            g = gradient of the loss on batch
            theta = optimizer step with g

``batch_size = n`` is (full-)batch gradient descent, one step per epoch; ``batch_size = 1`` is
stochastic gradient descent, ``n`` steps per epoch; anything between is mini-batch gradient
descent. Only the gradient the optimizer receives changes, so any optlib optimizer fits.

A run that blows up is stopped, not raised: at the first step whose mini-batch loss or gradient
is not finite, or whose new parameters leave ``|theta_i| <= bound``, the run ends, ``diverged``
is set and the per-epoch arrays hold the evaluations made before (all finite). numpy
floating-point warnings are silenced inside the loop.
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass
from numbers import Integral, Real

import numpy as np

from .optimizers.base import evaluation_point


@dataclass(frozen=True)
class History:
    """What a training run recorded (read-only arrays).

    One entry per evaluation, the first before any step (epoch 0), then every ``eval_every``
    epochs and after the last one:

    ``epoch``: the number of epochs completed. ``gradient_evaluations``: the number of examples
    whose gradient had been computed by then (``epoch * n_train`` when nothing diverged), the
    fair x-axis to compare batch sizes. ``train_loss``, ``train_accuracy``, ``test_loss``,
    ``test_accuracy``: on the whole training and test sets (the accuracies are NaN for a model
    without an ``accuracy`` method, such as :class:`optlib.models.Autoencoder`).

    ``step_loss``: the loss of each mini-batch, at the parameters before its step (noisy: the
    loss SGD "sees"). ``theta``: the final parameters. The evaluations and ``theta`` are at the
    optimizer's ``evaluation_point`` (the parameters, except Schedule-Free AdamW's average x;
    ``step_loss`` is where the gradients are taken, its y). ``diverged``: whether the run was stopped;
    ``diverged_at_step``: the step (1-based, counted over all epochs) at which it was, or ``-1``.
    ``label``: the optimizer's class name, for legends. ``batch_size``: as given to :func:`train`.
    """

    epoch: np.ndarray
    gradient_evaluations: np.ndarray
    train_loss: np.ndarray
    train_accuracy: np.ndarray
    test_loss: np.ndarray
    test_accuracy: np.ndarray
    step_loss: np.ndarray
    theta: np.ndarray
    steps: int
    diverged: bool
    diverged_at_step: int
    label: str
    batch_size: int


def minibatches(n: int, batch_size: int, rng: np.random.Generator) -> list:
    """One epoch's mini-batches: a shuffled partition of ``range(n)`` into index arrays.

    Every example is in exactly one batch; all batches have ``batch_size`` examples
    except the last, which holds the remaining ``n % batch_size`` if that is not zero.
    Within a batch the indices are sorted (the order of the examples in a batch does not
    change its mean gradient), so that a single batch of all ``n`` examples is the
    training set exactly as stored.
    """
    order = rng.permutation(n)
    return [np.sort(order[start:start + batch_size])
            for start in range(0, n, batch_size)]


def _check_integer(name: str, value, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, Integral) or value < minimum:
        raise ValueError(f"Invalid {name}: {value!r} (expected an integer >= {minimum})")
    return int(value)


def _check_parts(model, optimizer, data) -> None:
    for name in ("init", "loss_and_grad", "loss", "check_data", "check_theta"):
        if not callable(getattr(model, name, None)):
            raise TypeError(f"model must have the method {name}() (like optlib.models.MLP), got {model!r}")
    for name in ("init", "step"):
        if not callable(getattr(optimizer, name, None)):
            raise TypeError(f"optimizer must have the method {name}() (like optlib.SGD), got {optimizer!r}")
    for name in ("x_train", "y_train", "x_test", "y_test"):
        if not hasattr(data, name):
            raise TypeError(f"data must have x_train, y_train, x_test, y_test (like optlib.data.digits()), "
                            f"missing {name}")


def _progress_bar(progress: bool, epochs: int, label: str):
    """A tqdm bar over the epochs, or ``None``: only if asked, on a terminal, and tqdm is installed."""
    if not progress or not (hasattr(sys.stderr, "isatty") and sys.stderr.isatty()):
        return None
    try:
        from tqdm.auto import tqdm
    except ImportError:  # pragma: no cover - the bar is a convenience; no tqdm, no bar
        return None
    return tqdm(total=epochs, desc=label, unit="epoch", leave=False)


def train(model, optimizer, data, *, epochs: int, batch_size: int, seed: int = 0, theta=None,
          eval_every: int = 1, bound: float = 1e6, progress: bool = False) -> History:
    """Train ``model`` on ``data`` with ``optimizer``: ``epochs`` passes of mini-batches; a :class:`History`.

    ``seed`` draws the starting parameters (``model.init(seed)``, unless ``theta`` is given) and
    the shuffling of every epoch, so the same arguments give the same History. ``batch_size`` is
    between 1 and the number of training examples. ``eval_every``: evaluate on the full training
    and test sets every this many epochs (and after the last). ``bound``: the divergence
    threshold on :math:`|\\theta_i|`. ``progress``: show a tqdm bar (only on a terminal; it is
    removed when the run ends).
    """
    _check_parts(model, optimizer, data)
    epochs = _check_integer("epochs", epochs, 0)
    seed = _check_integer("seed", seed, 0)
    eval_every = _check_integer("eval_every", eval_every, 1)
    x_train, y_train = model.check_data(data.x_train, data.y_train)
    x_test, y_test = model.check_data(data.x_test, data.y_test)
    n = len(y_train)
    batch_size = _check_integer("batch_size", batch_size, 1)
    if batch_size > n:
        raise ValueError(f"Invalid batch_size: {batch_size} (the training set has only {n} examples)")
    if isinstance(bound, bool) or not isinstance(bound, Real) or not float(bound) > 0:
        raise ValueError(f"Invalid bound: {bound!r} (expected a number > 0)")
    theta = model.init(seed) if theta is None else np.array(model.check_theta(theta), copy=True)
    if not np.all(np.isfinite(theta)):
        raise ValueError("theta must be finite, got nan or inf entries")
    label = type(optimizer).__name__
    accuracy = getattr(model, "accuracy", None)
    if not callable(accuracy):  # a model that does not classify (an autoencoder)
        def accuracy(theta, x, y):
            return math.nan

    rng = np.random.default_rng(seed)
    state = optimizer.init(theta)
    rows, step_loss = [], []
    evaluations, steps, diverged_at = 0, 0, -1
    bar = _progress_bar(progress, epochs, label)

    def evaluate(epoch: int) -> bool:
        point = evaluation_point(optimizer, theta, state)
        row = (epoch, evaluations,
               model.loss(point, x_train, y_train), accuracy(point, x_train, y_train),
               model.loss(point, x_test, y_test), accuracy(point, x_test, y_test))
        if not math.isfinite(row[2]):
            return False
        rows.append(row)
        return True

    with np.errstate(all="ignore"):
        evaluate(0)
        for epoch in range(1, epochs + 1):
            for batch in minibatches(n, batch_size, rng):
                loss, g = model.loss_and_grad(theta, x_train[batch], y_train[batch])
                step_loss.append(loss)
                if not (math.isfinite(loss) and np.all(np.isfinite(g))):
                    diverged_at = len(step_loss)
                    break
                theta, state = optimizer.step(theta, g, state)
                steps, evaluations = steps + 1, evaluations + len(batch)
                if not np.abs(theta).max() <= bound:  # False for nan too
                    diverged_at = len(step_loss)
                    break
            if diverged_at >= 0:
                break
            if (epoch % eval_every == 0 or epoch == epochs) and not evaluate(epoch):
                diverged_at = len(step_loss)
                break
            if bar is not None:
                bar.set_postfix(loss=f"{rows[-1][2]:.4g}", refresh=False)
                bar.update(1)
    if bar is not None:
        bar.close()
    return _history(rows, step_loss, evaluation_point(optimizer, theta, state), steps, diverged_at,
                    label, batch_size)


def _history(rows, step_loss, theta, steps, diverged_at, label, batch_size) -> History:
    columns = [np.array(column) for column in zip(*rows)]
    columns[0] = columns[0].astype(np.int64)
    columns[1] = columns[1].astype(np.int64)
    arrays = [*columns, np.array(step_loss, dtype=np.float64), np.array(theta, copy=True)]
    for array in arrays:
        array.setflags(write=False)
    return History(*arrays, steps=int(steps), diverged=diverged_at >= 0,
                   diverged_at_step=int(diverged_at), label=label, batch_size=int(batch_size))
