"""Muon, its Newton-Schulz iteration, MuonOnPoints and ParameterGroups: first steps by hand,
the properties that define an orthogonalisation, and the refusals (the torch comparison is in
test_reference.py)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import optlib
from optlib.optimizers.muon import NEWTON_SCHULZ_COEFFICIENTS

A, B, C = NEWTON_SCHULZ_COEFFICIENTS


def polynomial_steps(s, steps=5):
    """What ``steps`` Newton-Schulz steps do to one singular value s of the normalised matrix."""
    for _ in range(steps):
        s = A * s + B * s**3 + C * s**5
    return s


def random_matrix(seed, shape):
    return np.random.default_rng(seed).standard_normal(shape)


# --- newton_schulz ------------------------------------------------------------------------------


def test_newton_schulz_of_a_diagonal_matrix_is_the_polynomial_on_its_entries():
    G = np.diag([3.0, 4.0])  # Frobenius norm 5: normalised singular values 0.6 and 0.8
    np.testing.assert_allclose(optlib.newton_schulz(G), np.diag(polynomial_steps(np.array([0.6, 0.8]))),
                               rtol=1e-14, atol=1e-15)


@pytest.mark.parametrize("shape", [(5, 3), (3, 5), (4, 4), (1, 6)])
def test_newton_schulz_keeps_the_singular_vectors(shape):
    G = random_matrix(0, shape)
    U, S, Vt = np.linalg.svd(G, full_matrices=False)
    expected = U @ np.diag(polynomial_steps(S / np.linalg.norm(G))) @ Vt
    np.testing.assert_allclose(optlib.newton_schulz(G), expected, rtol=1e-10, atol=1e-12)


def test_five_steps_leave_singular_values_near_but_not_at_one():
    s = polynomial_steps(np.geomspace(2e-3, 1.0, 2001))
    assert 0.68 < s.min() < 0.69 and 1.19 < s.max() < 1.21  # about [0.7, 1.2], not 1
    assert polynomial_steps(1e-3) < 0.5  # a direction much weaker than the rest is not raised
    G = random_matrix(1, (32, 64))
    singular = np.linalg.svd(optlib.newton_schulz(G), compute_uv=False)
    assert 0.68 < singular.min() and singular.max() < 1.2


@settings(max_examples=40)
@given(G=hnp.arrays(np.float64, (3, 4), elements=st.floats(-3, 3, width=64)), seed=st.integers(0, 99))
def test_newton_schulz_commutes_with_transposition_and_rotations(G, seed):
    Q, _ = np.linalg.qr(random_matrix(seed, (3, 3)))
    ns = optlib.newton_schulz(G)
    np.testing.assert_allclose(optlib.newton_schulz(G.T), ns.T, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(optlib.newton_schulz(Q @ G), Q @ ns, rtol=1e-9, atol=1e-9)


def test_newton_schulz_of_a_stack_is_each_matrix_alone():
    stack = random_matrix(2, (4, 3, 5))
    together = optlib.newton_schulz(stack)
    for i in range(4):
        np.testing.assert_allclose(together[i], optlib.newton_schulz(stack[i]), rtol=1e-13, atol=1e-15)


def test_newton_schulz_of_zero_is_zero_and_keeps_the_dtype():
    np.testing.assert_array_equal(optlib.newton_schulz(np.zeros((2, 3))), np.zeros((2, 3)))
    assert optlib.newton_schulz(random_matrix(3, (2, 3)).astype(np.float32)).dtype == np.float32
    with pytest.raises(ValueError, match=r"matrix, got shape \(3,\)"):
        optlib.newton_schulz(np.ones(3))


# --- Muon ---------------------------------------------------------------------------------------


def test_muon_first_step_by_hand():
    lr, decay, mu = 0.02, 0.1, 0.95
    W, g = random_matrix(4, (5, 3)), random_matrix(5, (5, 3))
    optimizer = optlib.Muon(lr=lr, weight_decay=decay, momentum=mu)
    W1, state = optimizer.step(W, g, optimizer.init(W))
    np.testing.assert_allclose(state.B, (1 - mu) * g, rtol=1e-15)
    # U_1 = (1 - mu) g + mu B_1 is a multiple of g, and Newton-Schulz ignores the scale
    factor = math.sqrt(5 / 3)  # "original": sqrt(max(1, rows / columns))
    np.testing.assert_allclose(W1, W * (1 - lr * decay) - lr * factor * optlib.newton_schulz(g),
                               rtol=1e-12, atol=1e-15)


def test_muon_second_step_nesterov_and_plain():
    mu = 0.9
    W, g1, g2 = random_matrix(6, (3, 4)), random_matrix(7, (3, 4)), random_matrix(8, (3, 4))
    B2 = mu * (1 - mu) * g1 + (1 - mu) * g2
    for nesterov, U in ((True, (1 - mu) * g2 + mu * B2), (False, B2)):
        optimizer = optlib.Muon(lr=0.1, weight_decay=0.0, momentum=mu, nesterov=nesterov)
        state = optimizer.init(W)
        W1, state = optimizer.step(W, g1, state)
        W2, state = optimizer.step(W1, g2, state)
        np.testing.assert_allclose(state.B, B2, rtol=1e-14)
        np.testing.assert_allclose(W2, W1 - 0.1 * optlib.newton_schulz(U), rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("adjust, shape, factor", [
    (None, (8, 2), 2.0), ("original", (2, 8), 1.0), ("match_rms_adamw", (8, 2), 0.2 * math.sqrt(8)),
    ("match_rms_adamw", (2, 8), 0.2 * math.sqrt(8)),
])
def test_muon_learning_rate_adjustment_by_shape(adjust, shape, factor):
    assert optlib.Muon(adjust_lr_fn=adjust).shape_factor(shape) == pytest.approx(factor, rel=1e-15)


@settings(max_examples=40)
@given(scale=st.floats(-6, 6).map(lambda e: 10.0**e), seed=st.integers(0, 50))
def test_muon_ignores_the_gradient_scale(scale, seed):
    W, g = random_matrix(seed, (4, 3)), random_matrix(seed + 100, (4, 3))
    optimizer = optlib.Muon(lr=0.05, eps=1e-300)
    ours = optimizer.step(W, g, optimizer.init(W))[0]
    scaled = optimizer.step(W, scale * g, optimizer.init(W))[0]
    np.testing.assert_allclose(scaled, ours, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("shape", [(3,), (), (2, 3, 4)])
def test_muon_refuses_anything_but_one_matrix_and_says_what_to_use(shape):
    with pytest.raises(ValueError, match=r"2-D weight matrix.*AdamW") as info:
        optlib.Muon().init(np.ones(shape))
    assert str(shape) in str(info.value)


def test_muon_is_pure_and_keeps_float32():
    optimizer = optlib.Muon(lr=0.1)
    W = random_matrix(9, (3, 2)).astype(np.float32)
    state = optimizer.init(W)
    W, state = optimizer.step(W, W, state)
    W.setflags(write=False)
    state.B.setflags(write=False)
    copies = W.copy(), state.B.copy()
    W2, state2 = optimizer.step(W, W, state)
    np.testing.assert_array_equal(copies[0], W)
    np.testing.assert_array_equal(copies[1], state.B)
    assert W2.dtype == np.float32 and state2.B.dtype == np.float32 and state2.t == 2
    x, _ = optimizer.step([[1, 2], [3, 4]], [[1, 0], [0, 1]], optimizer.init([[1, 2], [3, 4]]))
    assert x.dtype == np.float64


# --- MuonOnPoints -------------------------------------------------------------------------------


def test_muon_on_points_is_muon_on_each_point_as_a_row():
    points, grads = random_matrix(10, (6, 2)), [random_matrix(11 + i, (6, 2)) for i in range(5)]
    on_points = optlib.MuonOnPoints(lr=0.1, momentum=0.8)
    x, state = points, on_points.init(points)
    for g in grads:
        x, state = on_points.step(x, g, state)
    for row in range(6):
        muon = optlib.Muon(lr=0.1, momentum=0.8)
        w, muon_state = points[row][None, :], muon.init(points[row][None, :])
        for g in grads:
            w, muon_state = muon.step(w, g[row][None, :], muon_state)
        np.testing.assert_allclose(x[row], w[0], rtol=1e-13)


def test_muon_on_points_steps_have_the_polynomials_length():
    optimizer = optlib.MuonOnPoints(lr=0.1, weight_decay=0.0)
    x, _ = optimizer.step(np.zeros(2), np.array([3.0, -4.0]), optimizer.init(np.zeros(2)))
    assert np.linalg.norm(x) == pytest.approx(0.1 * polynomial_steps(1.0), rel=1e-13)


# --- ParameterGroups ----------------------------------------------------------------------------

SHAPES = {"W1": (4, 3), "b1": (3,), "W2": (3, 2), "b2": (2,)}


def test_parameter_groups_is_each_optimizer_on_its_own_array():
    muon, adamw = optlib.Muon(lr=0.05), optlib.AdamW(lr=0.01)
    groups = optlib.muon_with_adamw(SHAPES, muon=muon, adamw=adamw)
    assert [type(o).__name__ for o in groups.optimizers.values()] == ["Muon", "AdamW", "Muon", "AdamW"]
    theta = random_matrix(12, (23,))
    grads = [random_matrix(13 + i, (23,)) for i in range(4)]
    x, state = theta, groups.init(theta)
    for g in grads:
        x, state = groups.step(x, g, state)
    start = 0
    for name, shape in SHAPES.items():
        size = math.prod(shape)
        optimizer = groups.optimizers[name]
        w, own = theta[start:start + size].reshape(shape), optimizer.init(np.zeros(shape))
        for g in grads:
            w, own = optimizer.step(w, g[start:start + size].reshape(shape), own)
        np.testing.assert_allclose(x[start:start + size], w.ravel(), rtol=1e-14)
        start += size
    assert state.t == 4 and len(state.groups) == 4


def test_parameter_groups_evaluates_each_group_at_its_own_point():
    groups = optlib.ParameterGroups({"a": optlib.ScheduleFreeAdamW(lr=0.1), "b": optlib.SGD(lr=0.1)},
                                    shapes={"a": (2,), "b": (2,)})
    x, state = groups.step(np.ones(4), np.array([1.0, -1.0, 2.0, 3.0]), groups.init(np.ones(4)))
    for _ in range(3):
        x, state = groups.step(x, x, state)
    point = groups.evaluation_point(x, state)
    np.testing.assert_array_equal(point[:2], state.groups[0].x)
    np.testing.assert_array_equal(point[2:], x[2:])
    assert not np.allclose(point[:2], x[:2])


def test_parameter_groups_trains_the_digits_mlp():
    data = optlib.data.digits()
    model = optlib.models.MLP(data.n_features, 16, data.n_classes)
    optimizer = optlib.muon_with_adamw(model.shapes, optlib.Muon(lr=0.02), optlib.AdamW(lr=3e-3))
    run = optlib.train(model, optimizer, data, epochs=3, batch_size=64)
    assert run.train_loss[-1] < 0.5 * run.train_loss[0] and not run.diverged


def test_parameter_groups_refuses_bad_groupings():
    with pytest.raises(ValueError, match=r"one optimizer for each of \['a', 'b'\]"):
        optlib.ParameterGroups({"a": optlib.SGD()}, shapes={"a": (2,), "b": (2,)})
    with pytest.raises(TypeError, match="Invalid optimizer for 'a'"):
        optlib.ParameterGroups({"a": "sgd"}, shapes={"a": (2,)})
    with pytest.raises(TypeError, match="Invalid shapes"):
        optlib.ParameterGroups({}, shapes={})
    groups = optlib.ParameterGroups({"a": optlib.SGD()}, shapes={"a": (2, 2)})
    with pytest.raises(ValueError, match=r"shape \(4,\).*got shape \(5,\)"):
        groups.init(np.ones(5))
