"""Properties that hold for every input (hypothesis; derandomized, see conftest.py)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import optlib

# Every optimizer that works entry by entry (Muon orthogonalises a matrix: tests/test_muon.py).
NAMES = [name for name in optlib.OPTIMIZERS if name != "Muon"]
assert len(NAMES) == 16


def make(name):
    """Every optimizer with hyperparameters that make steps visible in a few iterations."""
    if name == "Lookahead":
        return optlib.Lookahead(optlib.Momentum(lr=0.05), k=3, alpha=0.5)
    if name == "Ranger":
        return optlib.Ranger(lr=0.05, k=3)
    lr = {"AdaDelta": 1.0, "Lion": 0.01, "SGD": 0.05, "Momentum": 0.05, "Nesterov": 0.05}.get(name, 0.1)
    return getattr(optlib, name)(lr=lr)


def gradient(x):
    """An elementwise (separable) gradient: row i of a batch only depends on row i."""
    return 3.0 * x - 1.0 + 0.5 * np.sin(2.0 * x)


def run(optimizer, x, steps, scale=1.0):
    state = optimizer.init(x)
    for _ in range(steps):
        x, state = optimizer.step(x, scale * gradient(x), state)
    return x, state


def arrays(state):
    for value in state:
        if isinstance(value, np.ndarray):
            yield value
        elif isinstance(value, tuple):
            yield from arrays(value)


finite = st.floats(-5, 5, allow_nan=False, allow_infinity=False, width=64)
away_from_zero = st.floats(0.001, 3.0) | st.floats(-3.0, -0.001)
shapes = hnp.array_shapes(min_dims=0, max_dims=2, min_side=1, max_side=4)
log_scale = st.floats(-3, 3).map(lambda e: 10.0**e)


# --- scale invariance --------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["Adam", "AMSGrad", "AdaMax", "NAdam"])
@settings(max_examples=50)
@given(x0=hnp.arrays(np.float64, 3, elements=away_from_zero), c=log_scale)
def test_adaptive_methods_ignore_the_gradient_scale(name, x0, c):
    """With eps -> 0, multiplying every gradient by c > 0 leaves the trajectory unchanged."""
    optimizer = getattr(optlib, name)(lr=0.05, eps=1e-30)
    ours, _ = run(optimizer, x0, 20)
    scaled, _ = run(optimizer, x0, 20, scale=c)
    np.testing.assert_allclose(scaled, ours, rtol=1e-9, atol=1e-12)


@settings(max_examples=100)
@given(
    m=hnp.arrays(np.float64, 3, elements=st.floats(-2, 2)),
    v=hnp.arrays(np.float64, 3, elements=st.floats(0.01, 4)),
    g=hnp.arrays(np.float64, 3, elements=away_from_zero),
    t=st.integers(0, 60),
    c=log_scale,
)
def test_radam_is_scale_invariant_only_once_rectified(m, v, g, t, c):
    """RAdam's rectified steps ignore the gradient scale; its first, un-adapted steps scale with it."""
    optimizer = optlib.RAdam(lr=0.1, eps=1e-30)
    theta = np.ones(3)
    state = optlib.AdamState(t=t, m=m, v=v)
    scaled_state = optlib.AdamState(t=t, m=c * m, v=c**2 * v)
    step = optimizer.step(theta, g, state)[0] - theta
    scaled_step = optimizer.step(theta, c * g, scaled_state)[0] - theta
    rectified = t + 1 >= 6  # rho_t > 5 from step 6 on with beta2 = 0.999
    np.testing.assert_allclose(scaled_step, step if rectified else c * step, rtol=1e-9, atol=1e-300)


# --- Lookahead ---------------------------------------------------------------------------------


@settings(max_examples=60)
@given(name=st.sampled_from(NAMES), x0=hnp.arrays(np.float64, (2, 3), elements=finite), k=st.integers(1, 5))
def test_lookahead_with_alpha_one_is_exactly_its_inner_optimizer(name, x0, k):
    inner = make(name)
    wrapped, _ = run(optlib.Lookahead(inner, k=k, alpha=1.0), x0, 12)
    alone, _ = run(inner, x0, 12)
    np.testing.assert_array_equal(wrapped, alone)


@settings(max_examples=60)
@given(x0=hnp.arrays(np.float64, 3, elements=finite), alpha=st.floats(0.05, 0.95), k=st.integers(2, 6))
def test_lookahead_between_synchronisations_is_its_inner_optimizer(x0, alpha, k):
    inner = optlib.Adam(lr=0.1)
    lookahead = optlib.Lookahead(inner, k=k, alpha=alpha)
    x, state = run(lookahead, x0, k)  # exactly one synchronisation, at step k
    np.testing.assert_array_equal(state.slow, x)
    alone, _ = run(inner, x0, k)
    np.testing.assert_allclose(x, x0 + alpha * (alone - x0), rtol=1e-12, atol=1e-12)


# --- purity, dtype, shape, batches -------------------------------------------------------------


@settings(max_examples=150)
@given(name=st.sampled_from(NAMES), shape=shapes, data=st.data())
def test_step_is_pure(name, shape, data):
    x = data.draw(hnp.arrays(np.float64, shape, elements=finite))
    grad = data.draw(hnp.arrays(np.float64, shape, elements=finite))
    optimizer = make(name)
    x, state = run(optimizer, x, 2)
    before = [a.copy() for a in (x, grad, *arrays(state))]
    optimizer.step(x, grad, state)
    for copy, original in zip(before, (x, grad, *arrays(state)), strict=True):
        np.testing.assert_array_equal(copy, original)


@settings(max_examples=150)
@given(name=st.sampled_from(NAMES), shape=shapes, data=st.data())
def test_float32_in_float32_out(name, shape, data):
    x = data.draw(hnp.arrays(np.float32, shape, elements=st.floats(-5, 5, width=32)))
    x, state = run(make(name), x, 4)
    assert x.dtype == np.float32 and np.shape(x) == shape
    assert all(a.dtype == np.float32 for a in arrays(state))


@settings(max_examples=150)
@given(name=st.sampled_from(NAMES), shape=shapes, data=st.data())
def test_shape_is_preserved(name, shape, data):
    x0 = data.draw(hnp.arrays(np.float64, shape, elements=finite))
    x, state = run(make(name), x0, 3)
    assert np.shape(x) == shape and np.all(np.isfinite(x))
    assert all(a.shape == shape for a in arrays(state))


@settings(max_examples=80)
@given(name=st.sampled_from(NAMES), x0=hnp.arrays(np.float64, (4, 2), elements=finite))
def test_batched_rows_equal_individual_runs(name, x0):
    optimizer = make(name)
    batch, _ = run(optimizer, x0, 8)
    for row in range(x0.shape[0]):
        alone, _ = run(optimizer, x0[row], 8)
        np.testing.assert_allclose(batch[row], alone, rtol=1e-15, atol=0)
