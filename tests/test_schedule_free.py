"""Schedule-Free AdamW: its three sequences, the average that replaces a schedule, the warm-up,
and the evaluation point that minimize and train report (the package comparison is in
test_reference.py)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import optlib


def run(optimizer, x, grads):
    """The states after each step, for gradients given in advance."""
    state, states = optimizer.init(x), []
    for g in grads:
        x, state = optimizer.step(x, g, state)
        states.append((x, state))
    return states


def test_first_step_by_hand():
    lr, eps = 0.1, 1e-8
    g = np.array([2.0, -0.5, 0.0])
    optimizer = optlib.ScheduleFreeAdamW(lr=lr, eps=eps)
    [(y, state)] = run(optimizer, np.ones(3), [g])
    # v_1 / (1 - beta2) = g^2, so u_1 = g / (|g| + eps); c_1 = 1: x_1 = z_1 = y_1
    z = np.ones(3) - lr * g / (np.abs(g) + eps)
    for array in (state.z, state.x, y):
        np.testing.assert_allclose(array, z, rtol=1e-15)
    assert (state.t, state.lr_max, state.weight_sum) == (1, lr, lr**2)


@settings(max_examples=40)
@given(grads=hnp.arrays(np.float64, (12, 3), elements=st.floats(-5, 5, width=64)),
       beta1=st.floats(0.0, 0.95))
def test_x_is_the_running_mean_of_z_and_y_lies_between(grads, beta1):
    optimizer = optlib.ScheduleFreeAdamW(lr=0.05, beta1=beta1, weight_decay=0.1)
    states = run(optimizer, np.zeros(3), grads)
    zs = np.array([state.z for _, state in states])
    for t, (y, state) in enumerate(states, start=1):
        np.testing.assert_allclose(state.x, zs[:t].mean(axis=0), rtol=1e-10, atol=1e-13)
        np.testing.assert_allclose(y, (1 - beta1) * state.z + beta1 * state.x, rtol=1e-12, atol=1e-14)


def test_warmup_ramps_the_rate_and_weights_the_average_by_lr_squared():
    optimizer = optlib.ScheduleFreeAdamW(lr=0.2, warmup_steps=4)
    assert [optimizer.learning_rate(t) for t in range(1, 7)] == pytest.approx([0.05, 0.1, 0.15, 0.2, 0.2, 0.2])
    states = run(optimizer, np.ones(2), [np.array([1.0, -2.0])] * 6)
    weights = np.array([0.05, 0.1, 0.15, 0.2, 0.2, 0.2]) ** 2  # lr_max ** weight_lr_power
    zs = np.array([state.z for _, state in states])
    np.testing.assert_allclose(states[-1][1].x, weights @ zs / weights.sum(), rtol=1e-12)
    assert states[-1][1].weight_sum == pytest.approx(weights.sum(), rel=1e-14)


def test_polynomial_weighting_r():
    optimizer = optlib.ScheduleFreeAdamW(lr=0.1, r=1.0, weight_lr_power=0.0)
    states = run(optimizer, np.zeros(2), [np.array([1.0, 3.0]) * k for k in range(1, 6)])
    zs = np.array([state.z for _, state in states])
    weights = np.arange(1, 6)  # t ** r
    np.testing.assert_allclose(states[-1][1].x, weights @ zs / weights.sum(), rtol=1e-12)


def test_zero_learning_rate_moves_nothing():
    states = run(optlib.ScheduleFreeAdamW(lr=0.0), np.ones(2), [np.ones(2)] * 3)
    y, state = states[-1]
    np.testing.assert_array_equal(y, np.ones(2))
    np.testing.assert_array_equal(state.x, np.ones(2))


def test_a_schedule_is_refused_with_the_reason():
    with pytest.raises(TypeError, match="learning rate.*warmup_steps"):
        optlib.ScheduleFreeAdamW(lr=optlib.schedules.cosine(0.1, 100))


def test_minimize_records_the_average_and_its_values():
    f = optlib.functions.rosenbrock()
    optimizer = optlib.ScheduleFreeAdamW(lr=0.05)
    run_ = optlib.minimize(f, f.start, optimizer, steps=50, noise=0.5, seed=3)
    rng = np.random.default_rng(3)
    y, state = np.array(f.start, dtype=float), optimizer.init(f.start)
    for t in range(1, 51):
        y, state = optimizer.step(y, f.grad(y) + 0.5 * rng.standard_normal(2), state)
        np.testing.assert_array_equal(run_.x[t], state.x)
    assert run_.values[-1] == f(state.x) and not np.allclose(y, state.x)


def test_train_evaluates_at_the_average_and_returns_it():
    data = optlib.data.digits()
    model = optlib.models.LogisticRegression(data.n_features, data.n_classes)
    optimizer = optlib.ScheduleFreeAdamW(lr=0.01)
    history = optlib.train(model, optimizer, data, epochs=2, batch_size=100, seed=1)
    rng, theta = np.random.default_rng(1), model.init(1)
    state = optimizer.init(theta)
    n = len(data.y_train)
    for _ in range(2):
        for batch in optlib.training.minibatches(n, 100, rng):
            _, g = model.loss_and_grad(theta, data.x_train[batch], data.y_train[batch])
            theta, state = optimizer.step(theta, g, state)
    np.testing.assert_array_equal(history.theta, state.x)
    assert history.train_loss[-1] == model.loss(state.x, data.x_train, data.y_train)
    assert history.train_loss[-1] != model.loss(theta, data.x_train, data.y_train)
