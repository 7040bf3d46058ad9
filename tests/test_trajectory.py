"""minimize and Trajectory: shapes, batches equal separate runs, divergence marked (never raised,
never a warning), convergence, validation, purity and speed."""

from __future__ import annotations

import dataclasses
import math
import warnings

import numpy as np
import pytest

import optlib
from optlib import functions
from optlib.trajectory import Trajectory, minimize


@pytest.fixture(autouse=True)
def warnings_are_errors():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def make(name, lr=0.01):
    if name == "Lookahead":
        return optlib.Lookahead(optlib.Adam(lr=lr), k=3)
    if name == "Muon":  # a test function's point is a vector: Muon sees it as a 1 x d matrix
        return optlib.MuonOnPoints(lr=lr)
    return getattr(optlib, name)(lr=lr)


def hand_loop(f, x0, optimizer, steps):
    x, state = np.asarray(x0, dtype=float), optimizer.init(np.asarray(x0, dtype=float))
    path = [x]
    for _ in range(steps):
        x, state = optimizer.step(x, f.grad(x), state)
        path.append(x)
    return np.array(path)


# --- shapes and the basic record -------------------------------------------------------------------


@pytest.mark.parametrize("batch", [(), (7,), (2, 3)])
def test_shapes(batch):
    f = functions.rosenbrock()
    spread = 0.01 * np.arange(np.prod(batch, dtype=int) * 2).reshape(batch + (2,))
    x0 = f.start + spread
    run = minimize(f, x0, optlib.Adam(lr=0.01), 25)
    assert isinstance(run, Trajectory)
    assert run.x.shape == (26, *batch, 2)
    assert run.values.shape == (26, *batch)
    assert np.shape(run.diverged) == batch and np.asarray(run.diverged).dtype == bool
    assert np.shape(run.diverged_at) == batch
    assert run.steps == 25
    np.testing.assert_array_equal(run.x[0], x0)
    np.testing.assert_array_equal(run.values, f(run.x))
    np.testing.assert_array_equal(run.final_x, run.x[-1])
    np.testing.assert_array_equal(run.final_value, run.values[-1])


def test_single_run_equals_the_hand_written_loop():
    f = functions.rosenbrock()
    run = minimize(f, f.start, optlib.SGD(1e-3), 100)
    np.testing.assert_array_equal(run.x, hand_loop(f, f.start, optlib.SGD(1e-3), 100))
    assert not run.diverged and run.diverged_at == -1
    assert run.label == "SGD" and run.function_name == "Rosenbrock" and run.min_value == 0.0


def test_label():
    f = functions.ravine()
    assert minimize(f, f.start, optlib.Adam(), 1).label == "Adam"
    assert minimize(f, f.start, optlib.Adam(), 1, label="my Adam").label == "my Adam"


@pytest.mark.parametrize("name", optlib.OPTIMIZERS)
def test_a_batch_equals_separate_runs_for_every_optimizer(name):
    f = functions.rosenbrock()
    x0 = np.random.default_rng(0).uniform(f.window[:, 0], f.window[:, 1], size=(5, 2))
    batch = minimize(f, x0, make(name, lr=1e-3), 30)
    for i in range(len(x0)):
        alone = minimize(f, x0[i], make(name, lr=1e-3), 30)
        np.testing.assert_allclose(batch.x[:, i], alone.x, rtol=1e-13, atol=1e-15)
        np.testing.assert_allclose(batch.values[:, i], alone.values, rtol=1e-13, atol=1e-15)


def test_steps_zero_is_the_start():
    f = functions.himmelblau()
    run = minimize(f, f.start, optlib.SGD(0.01), 0)
    assert run.x.shape == (1, 2) and run.values.shape == (1,) and run.steps == 0
    np.testing.assert_array_equal(run.final_x, f.start)
    assert run.final_value == f(f.start)
    assert not run.diverged


def test_one_dimensional_functions():
    f = functions.hilly()
    run = minimize(f, f.start, optlib.SGD(0.05), 300)
    assert run.x.shape == (301, 1)
    assert abs(run.final_x[0] - 2.0) < 1e-9


# --- convergence and divergence on a quadratic ---------------------------------------------------------


def test_gradient_descent_converges_below_two_over_L():
    f = functions.random_quadratic(4, 10.0, rng=0)
    run = minimize(f, f.start, optlib.SGD(1.9 / f.lipschitz), 2000)
    assert not run.diverged
    np.testing.assert_allclose(run.final_x, f.minima[0], atol=1e-8)
    assert run.final_value - f.min_value < 1e-12


def test_divergence_above_two_over_L_is_marked_not_raised():
    f = functions.Quadratic(np.diag([1.0, 4.0]))  # L = 4
    x0 = np.array([0.0, 1.0])
    eta = 2.5 / f.lipschitz  # steep coordinate: y_t = (1 - 2.5)^t = (-1.5)^t
    run = minimize(f, x0, optlib.SGD(eta), 100)
    k = math.ceil(math.log(1e6) / math.log(1.5))  # first t with 1.5^t > 1e6
    assert run.diverged and run.diverged_at == k
    assert np.all(np.isfinite(run.x[:k + 1]))  # the leap itself is kept, it is finite
    assert abs(run.x[k, 1]) > 1e6
    assert np.all(np.isnan(run.x[k + 1:])) and np.all(np.isnan(run.values[k + 1:]))
    assert np.isnan(run.final_value) and np.all(np.isnan(run.final_x))


def test_overflow_to_inf_and_nan_is_marked_without_warnings():
    f = functions.rosenbrock()
    run = minimize(f, f.start, optlib.SGD(10.0), 50, bound=np.inf)
    assert run.diverged
    k = int(run.diverged_at)
    assert np.all(np.isfinite(run.x[:k]))
    assert np.all(np.isnan(run.x[k:]))  # the first non-finite point is not kept


def test_a_batch_with_some_diverging_runs():
    f = functions.ravine(condition=10.0)
    x0 = np.array([[-9.0, 2.0], [-9.0, 0.0], [3.0, -1.0]])  # the middle one never moves across
    run = minimize(f, x0, optlib.SGD(0.25), 200)  # 0.25 > 2/L = 0.2
    np.testing.assert_array_equal(run.diverged, [True, False, True])
    assert run.diverged_at[1] == -1 and run.diverged_at[0] > 0 and run.diverged_at[2] > 0
    alone = minimize(f, x0[1], optlib.SGD(0.25), 200)
    np.testing.assert_array_equal(run.x[:, 1], alone.x)
    for i in (0, 2):
        k = run.diverged_at[i]
        assert np.all(np.isnan(run.x[k + 1:, i])) and np.all(np.isfinite(run.x[:k + 1, i]))
        np.testing.assert_array_equal(run.x[:k + 1, i], minimize(f, x0[i], optlib.SGD(0.25), int(k)).x)


def test_diverging_adam_batch_stays_quiet():
    f = functions.rosenbrock()
    x0 = np.random.default_rng(1).uniform(-2, 2, size=(200, 2))
    run = minimize(f, x0, optlib.SGD(0.01), 100)  # most of these blow up within a few steps
    assert run.diverged.any() and not run.diverged.all()
    assert np.all(np.isfinite(run.values[:, ~run.diverged]))


def test_a_start_beyond_the_bound_is_diverged_at_step_zero():
    f = functions.ravine()
    run = minimize(f, np.array([5.0, 0.0]), optlib.SGD(0.1), 3, bound=1.0)
    assert run.diverged and run.diverged_at == 0
    assert np.all(np.isnan(run.x[1:]))


# --- steps_to_reach --------------------------------------------------------------------------------------


def test_steps_to_reach():
    f = functions.Quadratic(np.array([[2.0]]))
    run = minimize(f, np.array([1.0]), optlib.SGD(0.25), 30)  # x_t = 0.5^t, f = 0.5^(2t)
    assert run.steps_to_reach(0.5**10) == 5
    assert run.steps_to_reach(0.5**10, f_min=0.0) == 5
    assert run.steps_to_reach(1.0) == 0
    assert run.steps_to_reach(1e-300) is None
    batch = minimize(f, np.array([[1.0], [0.0], [4.0]]), optlib.SGD(0.25), 4)
    np.testing.assert_array_equal(batch.steps_to_reach(0.5**6), [3, 0, -1])


def test_steps_to_reach_needs_a_finite_minimum():
    f = functions.saddle()
    run = minimize(f, f.start, optlib.SGD(0.1), 5)
    with pytest.raises(ValueError, match="f_min"):
        run.steps_to_reach(1e-3)
    assert run.steps_to_reach(20.0, f_min=-10.0) == 0


# --- validation and purity -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "steps, error", [(-1, ValueError), (2.0, TypeError), (True, TypeError), ("3", TypeError)]
)
def test_bad_steps(steps, error):
    f = functions.ravine()
    with pytest.raises(error, match=f"steps must be a non-negative integer, got {steps!r}"):
        minimize(f, f.start, optlib.SGD(0.1), steps)


def test_numpy_integer_steps_are_fine():
    f = functions.ravine()
    assert minimize(f, f.start, optlib.SGD(0.1), np.int64(3)).steps == 3


@pytest.mark.parametrize("x0", [[1.0, 2.0, 3.0], 1.0, np.zeros((4, 3))])
def test_bad_start_shape(x0):
    f = functions.ravine()
    with pytest.raises(ValueError, match=r"x0 must have shape \(\.\.\., 2\)"):
        minimize(f, x0, optlib.SGD(0.1), 3)


def test_bad_start_values_and_bound():
    f = functions.ravine()
    with pytest.raises(ValueError, match="x0 must be finite"):
        minimize(f, [np.nan, 0.0], optlib.SGD(0.1), 3)
    with pytest.raises(ValueError, match="bound must be a number > 0, got 0"):
        minimize(f, f.start, optlib.SGD(0.1), 3, bound=0)


def test_x0_is_not_modified_and_lists_work():
    f = functions.rosenbrock()
    x0 = np.array([[-1.2, 1.0], [0.5, 0.5]])
    before = x0.copy()
    run = minimize(f, x0, optlib.Adam(0.1), 20)
    np.testing.assert_array_equal(x0, before)
    np.testing.assert_array_equal(minimize(f, x0.tolist(), optlib.Adam(0.1), 20).x, run.x)


def test_trajectory_is_frozen_and_read_only():
    f = functions.ravine()
    run = minimize(f, f.start, optlib.SGD(0.1), 3)
    with pytest.raises(dataclasses.FrozenInstanceError):
        run.label = "other"
    with pytest.raises(ValueError):
        run.x[0, 0] = 1.0


def test_float32_start_stays_float32():
    f = functions.ravine()
    run = minimize(f, f.start.astype(np.float32), optlib.SGD(0.1), 3)
    assert run.x.dtype == np.float32


# --- noisy gradients ---------------------------------------------------------------------------------


def test_zero_noise_is_the_exact_gradient():
    f = functions.rosenbrock()
    exact = minimize(f, f.start, optlib.Adam(0.01), 50)
    np.testing.assert_array_equal(minimize(f, f.start, optlib.Adam(0.01), 50, noise=0.0, seed=3).x,
                                  exact.x)


def test_noise_is_seeded_and_shared_by_optimizers():
    f = functions.ravine()
    first = minimize(f, f.start, optlib.SGD(0.05), 30, noise=0.5, seed=1)
    again = minimize(f, f.start, optlib.SGD(0.05), 30, noise=0.5, seed=1)
    other = minimize(f, f.start, optlib.SGD(0.05), 30, noise=0.5, seed=2)
    np.testing.assert_array_equal(first.x, again.x)
    assert not np.allclose(first.x, other.x)
    # the noise of step t is sigma * xi_t, the same draw whatever the optimizer
    xi = np.random.default_rng(1).standard_normal((30, 2))
    np.testing.assert_allclose(first.x[1], f.start - 0.05 * (f.grad(f.start) + 0.5 * xi[0]))
    momentum = minimize(f, f.start, optlib.Momentum(0.05, 0.0), 30, noise=0.5, seed=1)
    np.testing.assert_allclose(momentum.x, first.x, rtol=1e-12, atol=1e-12)


def test_noisy_gradient_descent_is_right_on_average_on_a_quadratic():
    # on a quadratic the update is linear in the noise, so E[theta_t] is the exact path
    f = functions.ravine(condition=4.0)
    starts = np.tile(f.start, (20_000, 1))
    noisy = minimize(f, starts, optlib.SGD(0.1), 20, noise=1.0, seed=0)
    exact = minimize(f, f.start, optlib.SGD(0.1), 20)
    assert np.std(noisy.x[-1, :, 0]) > 0.1  # the runs do spread out ...
    np.testing.assert_allclose(noisy.x.mean(axis=1), exact.x, atol=0.02)  # ... around the path


def test_noise_keeps_float32():
    f = functions.ravine()
    run = minimize(f, f.start.astype(np.float32), optlib.SGD(0.1), 3, noise=0.1)
    assert run.x.dtype == np.float32


@pytest.mark.parametrize("noise", [-0.1, math.inf, math.nan, "0.1", True])
def test_bad_noise(noise):
    f = functions.ravine()
    with pytest.raises(ValueError, match=r"noise must be a finite number >= 0, got"):
        minimize(f, f.start, optlib.SGD(0.1), 3, noise=noise)


@pytest.mark.parametrize("seed", [-1, 1.5, None])
def test_bad_seed(seed):
    f = functions.ravine()
    with pytest.raises(ValueError, match="seed must be a non-negative integer, got"):
        minimize(f, f.start, optlib.SGD(0.1), 3, noise=0.1, seed=seed)
