"""The optimizers' contract: signatures and defaults, validation, purity, dtypes, shapes, and
first steps computed by hand from the papers' algorithm boxes."""

from __future__ import annotations

import inspect
import math

import numpy as np
import pytest

import optlib
from optlib.optimizers.base import Optimizer

# name -> the constructor's arguments and defaults, as the contract states them
CONTRACT = {
    "SGD": dict(lr=0.01),
    "Momentum": dict(lr=0.01, momentum=0.9),
    "Nesterov": dict(lr=0.01, momentum=0.9),
    "AdaGrad": dict(lr=0.01, eps=1e-10),
    "RMSprop": dict(lr=1e-3, rho=0.9, eps=1e-8),
    "AdaDelta": dict(lr=1.0, rho=0.95, eps=1e-6),
    "Adam": dict(lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8),
    "AMSGrad": dict(lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8),
    "AdamW": dict(lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.01),
    "AdaMax": dict(lr=2e-3, beta1=0.9, beta2=0.999, eps=1e-8),
    "NAdam": dict(lr=2e-3, beta1=0.9, beta2=0.999, eps=1e-8, momentum_decay=4e-3),
    "RAdam": dict(lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8),
    "Lion": dict(lr=1e-4, beta1=0.9, beta2=0.99, weight_decay=0.0),
    "Lookahead": dict(inner=inspect.Parameter.empty, k=5, alpha=0.5),
    "Ranger": dict(lr=1e-3, beta1=0.95, beta2=0.999, eps=1e-5, k=6, alpha=0.5),
    "Muon": dict(lr=1e-3, weight_decay=0.1, momentum=0.95, nesterov=True,
                 ns_coefficients=(3.4445, -4.775, 2.0315), eps=1e-7, ns_steps=5,
                 adjust_lr_fn=None),
    "ScheduleFreeAdamW": dict(lr=0.0025, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.0,
                              warmup_steps=0, r=0.0, weight_lr_power=2.0),
}
NAMES = list(CONTRACT)
#: The optimizers that work entry by entry, on arrays of any shape (Muon needs one matrix:
#: its own contract tests are in test_muon.py).
ELEMENTWISE = [name for name in NAMES if name != "Muon"]

STATE_FIELDS = {
    "SGD": ("t",),
    "Momentum": ("t", "b"),
    "Nesterov": ("t", "b"),
    "AdaGrad": ("t", "G"),
    "RMSprop": ("t", "v"),
    "AdaDelta": ("t", "v", "u"),
    "Adam": ("t", "m", "v"),
    "AMSGrad": ("t", "m", "v", "v_max"),
    "AdamW": ("t", "m", "v"),
    "AdaMax": ("t", "m", "u"),
    "NAdam": ("t", "m", "v", "mu_product"),
    "RAdam": ("t", "m", "v"),
    "Lion": ("t", "m"),
    "Lookahead": ("t", "slow", "inner"),
    "Ranger": ("t", "slow", "inner"),
    "Muon": ("t", "B"),
    "ScheduleFreeAdamW": ("t", "z", "x", "v", "lr_max", "weight_sum"),
}


def make(name, **hyper):
    """An optimizer with its defaults (Lookahead wraps Adam with a visible learning rate)."""
    if name == "Lookahead":
        hyper.setdefault("inner", optlib.Adam(lr=0.05))
        hyper.setdefault("k", 2)
    return getattr(optlib, name)(**hyper)


def run(optimizer, x0, grads):
    x, state = x0, optimizer.init(x0)
    for g in grads:
        x, state = optimizer.step(x, g, state)
    return x, state


# --- the public surface ---------------------------------------------------------------------


def test_all_are_exported_in_book_order():
    assert list(optlib.OPTIMIZERS) == NAMES
    for name in NAMES:
        assert issubclass(getattr(optlib, name), Optimizer)


@pytest.mark.parametrize("name", NAMES)
def test_signature_and_defaults_are_the_contract(name):
    parameters = inspect.signature(getattr(optlib, name)).parameters
    assert {p: parameters[p].default for p in parameters} == CONTRACT[name]


@pytest.mark.parametrize("name", NAMES)
def test_state_fields_are_the_math_symbols(name):
    state = make(name).init(np.zeros((2, 3)) if name == "Muon" else np.zeros(3))
    assert state._fields == STATE_FIELDS[name]
    assert state.t == 0
    with pytest.raises(AttributeError):
        state.t = 1  # a NamedTuple: immutable


@pytest.mark.parametrize("name", NAMES)
def test_repr_rebuilds_the_optimizer(name):
    optimizer = make(name)
    assert repr(eval(repr(optimizer), vars(optlib))) == repr(optimizer)


def test_ranger_is_lookahead_around_radam():
    ranger = optlib.Ranger(lr=0.05, beta1=0.9, beta2=0.99, eps=1e-6, k=3, alpha=0.6)
    assert isinstance(ranger, optlib.Lookahead) and isinstance(ranger.inner, optlib.RAdam)
    assert (ranger.lr, ranger.beta1, ranger.beta2, ranger.eps) == (0.05, 0.9, 0.99, 1e-6)
    same = optlib.Lookahead(optlib.RAdam(lr=0.05, beta1=0.9, beta2=0.99, eps=1e-6), k=3, alpha=0.6)
    grads = [np.array([1.0, -2.0]) * (i + 1) for i in range(10)]
    np.testing.assert_array_equal(run(ranger, np.ones(2), grads)[0], run(same, np.ones(2), grads)[0])


# --- validation -----------------------------------------------------------------------------

BAD_VALUES = {
    "lr": [
        (-1.0, ValueError),
        (math.nan, ValueError),
        (math.inf, ValueError),
        ("0.1", TypeError),
        (True, TypeError),
    ],
    "unit": [
        (-0.1, ValueError),
        (1.0, ValueError),
        (1.5, ValueError),
        (math.nan, ValueError),
        (None, TypeError),
    ],
    "eps": [(0.0, ValueError), (-1e-8, ValueError), (math.inf, ValueError), (math.nan, ValueError)],
    "non_negative": [(-0.1, ValueError), (math.inf, ValueError), (math.nan, ValueError), ("0", TypeError)],
    "k": [(0, ValueError), (-2, ValueError), (2.5, TypeError), (True, TypeError), ("5", TypeError)],
    "alpha": [(0.0, ValueError), (-0.5, ValueError), (1.5, ValueError), (math.nan, ValueError)],
    "flag": [(1, TypeError), ("yes", TypeError), (None, TypeError)],
    "coefficients": [((3.4, -4.8), ValueError), ((3.4, math.nan, 2.0), ValueError),
                     ("abc", ValueError), ((3.4, "b", 2.0), ValueError)],
    "warmup": [(-1, ValueError), (2.5, ValueError), (True, ValueError), ("10", ValueError)],
    "choice": [("rms", ValueError), (1, ValueError), ("Original", ValueError)],
}
KIND = {
    "lr": "lr", "momentum": "unit", "beta1": "unit", "beta2": "unit", "rho": "unit", "eps": "eps",
    "weight_decay": "non_negative", "momentum_decay": "non_negative", "k": "k", "alpha": "alpha",
    "nesterov": "flag", "ns_coefficients": "coefficients", "ns_steps": "k",
    "adjust_lr_fn": "choice", "warmup_steps": "warmup", "r": "non_negative",
    "weight_lr_power": "non_negative",
}  # fmt: skip
VALIDATION_CASES = [
    (name, parameter, value, error)
    for name in NAMES
    for parameter in CONTRACT[name]
    if parameter != "inner"
    for value, error in BAD_VALUES[KIND[parameter]]
]


@pytest.mark.parametrize(
    "name, parameter, value, error",
    VALIDATION_CASES,
    ids=[f"{c[0]}-{c[1]}={c[2]!r}" for c in VALIDATION_CASES],
)
def test_bad_hyperparameter_is_refused_naming_parameter_and_value(name, parameter, value, error):
    with pytest.raises(error) as info:
        make(name, **{parameter: value})
    message = str(info.value)
    assert ("learning rate" if parameter == "lr" else parameter) in message
    assert str(value) in message or repr(value) in message


def test_error_message_format():
    with pytest.raises(ValueError, match=r"^Invalid learning rate: -1\.0$"):
        optlib.SGD(lr=-1.0)
    with pytest.raises(ValueError, match=r"^Invalid beta2 value: 1\.0 \(must be in \[0, 1\)\)$"):
        optlib.Adam(beta2=1.0)


@pytest.mark.parametrize("inner", [None, "Adam", optlib.Adam, lambda t: 0.1])
def test_lookahead_needs_an_optimizer_instance(inner):
    with pytest.raises(TypeError, match="inner") as info:
        optlib.Lookahead(inner)
    assert repr(inner) in str(info.value)


@pytest.mark.parametrize("name", ELEMENTWISE)
@pytest.mark.parametrize("grad_shape", [(3,), (2, 1), ()])
def test_grad_of_another_shape_is_refused(name, grad_shape):
    optimizer = make(name)
    params = np.ones((2, 3)) if grad_shape != (2, 3) else np.ones(3)
    with pytest.raises(ValueError, match="shape"):
        optimizer.step(params, np.ones(grad_shape), optimizer.init(params))


def test_boundary_values_are_accepted():
    optlib.SGD(lr=0.0)
    optlib.Momentum(momentum=0.0)
    optlib.Adam(beta1=0.0, beta2=0.0)
    optlib.AdamW(weight_decay=0.0)
    optlib.NAdam(momentum_decay=0.0)
    optlib.Lookahead(optlib.SGD(), k=1, alpha=1.0)
    optlib.Lookahead(optlib.SGD(), k=np.int64(3))
    optlib.Adam(lr=np.float64(0.1), beta1=np.float32(0.5))


def test_hyperparameters_are_stored_as_python_floats():
    optimizer = optlib.Adam(lr=np.float64(0.1), beta1=np.float64(0.5), eps=np.float32(1e-6))
    assert all(type(getattr(optimizer, n)) is float for n in ("lr", "beta1", "beta2", "eps"))


# --- purity, dtypes and shapes (deterministic; the hypothesis versions are in test_properties) ---


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_step_never_writes_to_its_arguments(name):
    optimizer = make(name)
    x = np.array([[0.5, -1.5, 2.0], [1.0, 0.0, -0.3]])
    state = optimizer.init(x)
    for _ in range(3):  # make every state array non-zero and every branch run
        x, state = optimizer.step(x, x - 0.2, state)
    frozen = [x] + [a for a in _arrays(state)]
    for array in frozen:
        array.setflags(write=False)  # an in-place update would raise
    grad = x - 0.2
    grad.setflags(write=False)
    copies = [a.copy() for a in frozen + [grad]]
    new_x, new_state = optimizer.step(x, grad, state)
    for before, after in zip(copies, frozen + [grad], strict=True):
        np.testing.assert_array_equal(before, after)
    assert new_x is not x and new_state.t == state.t + 1


def _arrays(state):
    for value in state:
        if isinstance(value, np.ndarray):
            yield value
        elif isinstance(value, tuple):
            yield from _arrays(value)


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_lists_and_integers_become_float64(name):
    optimizer = make(name)
    x, state = run(optimizer, [1, 2], [[1, -1]] * 3)
    assert isinstance(x, np.ndarray) and x.dtype == np.float64 and x.shape == (2,)


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_float32_stays_float32_in_params_and_state(name):
    optimizer = make(name)
    x = np.array([0.5, -1.5], dtype=np.float32)
    x, state = run(optimizer, x, [x * np.float32(2)] * 4)
    x, state = run(optimizer, x, [np.array([1.0, 2.0])])  # float64 grad: cast to the params' dtype
    assert x.dtype == np.float32
    assert all(a.dtype == np.float32 for a in _arrays(state))


# --- first steps by hand, from the papers' algorithm boxes ----------------------------------


def test_sgd_single_weight_with_eta_0_3():
    # w = 0.5, dC/dw = -1.2  ->  w - 0.3 * (-1.2) = 0.86; then dC/dw = 0.4 -> 0.86 - 0.12 = 0.74
    optimizer = optlib.SGD(lr=0.3)
    w, state = optimizer.step(0.5, -1.2, optimizer.init(0.5))
    assert w == pytest.approx(0.86, abs=1e-15)
    w, state = optimizer.step(w, 0.4, state)
    assert w == pytest.approx(0.74, abs=1e-15) and state.t == 2


def test_momentum_two_steps():
    optimizer = optlib.Momentum(lr=0.1, momentum=0.9)
    x, state = optimizer.step(1.0, 2.0, optimizer.init(1.0))  # v = 2, x = 1 - 0.2
    assert (x, state.b) == pytest.approx((0.8, 2.0), abs=1e-15)
    x, state = optimizer.step(x, 1.0, state)  # v = 0.9 * 2 + 1 = 2.8, x = 0.8 - 0.28
    assert (x, state.b) == pytest.approx((0.52, 2.8), abs=1e-15)


def test_nesterov_two_steps():
    optimizer = optlib.Nesterov(lr=0.1, momentum=0.9)
    x, state = optimizer.step(1.0, 2.0, optimizer.init(1.0))  # v = 2, x = 1 - 0.1 (2 + 1.8)
    assert x == pytest.approx(0.62, abs=1e-15)
    x, state = optimizer.step(x, 1.0, state)  # v = 2.8, x = 0.62 - 0.1 (1 + 2.52)
    assert x == pytest.approx(0.62 - 0.352, abs=1e-15)


def test_adagrad_first_step_and_shrinking_rate():
    eps = 1e-10
    optimizer = optlib.AdaGrad(lr=0.1, eps=eps)
    g = np.array([3.0, -0.01])
    x, state = optimizer.step(np.zeros(2), g, optimizer.init(np.zeros(2)))
    np.testing.assert_allclose(x, -0.1 * g / (np.abs(g) + eps), rtol=1e-15)
    x, state = optimizer.step(x, g, state)  # G = 2 g^2: the second step is about 1/sqrt(2) of the first
    np.testing.assert_allclose(state.G, 2 * g**2, rtol=1e-15)
    np.testing.assert_allclose(
        x, -0.1 * g / (np.abs(g) + eps) - 0.1 * g / (math.sqrt(2) * np.abs(g) + eps), rtol=1e-15
    )


def test_rmsprop_first_step():
    lr, rho, eps = 0.01, 0.9, 1e-8
    g = np.array([2.0, -0.5])
    x, _ = optlib.RMSprop(lr, rho, eps).step(np.zeros(2), g, optlib.RMSprop().init(np.zeros(2)))
    np.testing.assert_allclose(x, -lr * g / (np.sqrt((1 - rho) * g**2) + eps), rtol=1e-15)
    np.testing.assert_allclose(x, -lr * np.sign(g) / math.sqrt(0.1), rtol=1e-7)  # about 3.16 lr


def test_adadelta_first_two_steps():
    lr, rho, eps = 1.0, 0.95, 1e-6
    optimizer = optlib.AdaDelta(lr, rho, eps)
    g = np.array([2.0, -0.5])
    x, state = optimizer.step(np.zeros(2), g, optimizer.init(np.zeros(2)))
    delta1 = math.sqrt(eps) / np.sqrt((1 - rho) * g**2 + eps) * g
    np.testing.assert_allclose(x, -lr * delta1, rtol=1e-15)
    np.testing.assert_allclose(state.u, (1 - rho) * delta1**2, rtol=1e-15)
    x, state = optimizer.step(x, g, state)
    v2 = rho * (1 - rho) * g**2 + (1 - rho) * g**2
    delta2 = np.sqrt((1 - rho) * delta1**2 + eps) / np.sqrt(v2 + eps) * g
    np.testing.assert_allclose(x, -lr * (delta1 + delta2), rtol=1e-14)


def test_adam_first_step_is_lr_times_sign():
    g = np.array([1e-3, -5.0, 40.0])
    x, state = optlib.Adam(lr=0.01).step(np.zeros(3), g, optlib.Adam().init(np.zeros(3)))
    np.testing.assert_allclose(x, -0.01 * g / (np.abs(g) + 1e-8), rtol=1e-15)
    np.testing.assert_allclose(x, -0.01 * np.sign(g), rtol=1e-5)


def test_adam_bias_correction_with_a_constant_gradient():
    # m_5 = (1 - 0.9^5) g = (1 - 0.59049) g: the correction restores g, so every step is lr * sign(g)
    optimizer = optlib.Adam(lr=0.01, eps=1e-12)
    x, state = run(optimizer, np.zeros(2), [np.array([0.5, -2.0])] * 5)
    np.testing.assert_allclose(state.m, (1 - 0.59049) * np.array([0.5, -2.0]), rtol=1e-13)
    np.testing.assert_allclose(x, [-0.05, 0.05], rtol=1e-10)


def test_amsgrad_keeps_the_largest_second_moment():
    lr, b1, b2, eps = 0.1, 0.9, 0.9, 1e-8
    optimizer = optlib.AMSGrad(lr, b1, b2, eps)
    x, state = optimizer.step(0.0, 2.0, optimizer.init(0.0))
    assert x == pytest.approx(-lr * 2.0 / (2.0 + eps), rel=1e-15)  # = Adam's first step
    x, state = optimizer.step(x, 0.1, state)
    v1, v2 = (1 - b2) * 4.0, b2 * (1 - b2) * 4.0 + (1 - b2) * 0.01  # 0.4 and 0.361
    assert state.v == pytest.approx(v2) and state.v_max == pytest.approx(v1)
    m2 = b1 * (1 - b1) * 2.0 + (1 - b1) * 0.1
    second = lr * (m2 / (1 - b1**2)) / (math.sqrt(v1 / (1 - b2**2)) + eps)
    assert x == pytest.approx(-lr * 2.0 / (2.0 + eps) - second, rel=1e-14)


def test_adamw_decays_by_lr_times_weight_decay():
    optimizer = optlib.AdamW(lr=0.1, weight_decay=0.5, eps=1e-8)
    x, _ = optimizer.step(np.array([2.0, -4.0]), np.array([1.0, 1.0]), optimizer.init(np.zeros(2)))
    np.testing.assert_allclose(x, np.array([2.0, -4.0]) * (1 - 0.05) - 0.1 * 1 / (1 + 1e-8), rtol=1e-15)


def test_adamax_first_step_and_infinity_norm():
    optimizer = optlib.AdaMax(lr=0.002, beta1=0.9, beta2=0.999, eps=1e-8)
    g = np.array([3.0, -0.2])
    x, state = optimizer.step(np.zeros(2), g, optimizer.init(np.zeros(2)))
    np.testing.assert_allclose(x, -0.002 * g / (np.abs(g) + 1e-8), rtol=1e-15)
    x, state = optimizer.step(x, np.array([1.0, -1.0]), state)  # u = max(0.999 u, |g| + eps)
    np.testing.assert_allclose(state.u, [0.999 * (3.0 + 1e-8), 1.0 + 1e-8], rtol=1e-15)


def test_nadam_first_step_by_hand():
    lr, b1, b2, eps, psi = 0.002, 0.9, 0.999, 1e-8, 0.004
    mu1 = b1 * (1 - 0.5 * 0.96**psi)  # 0.45007...
    mu2 = b1 * (1 - 0.5 * 0.96 ** (2 * psi))
    g = 0.7
    # m_1 = (1 - b1) g, v_hat_1 = g^2
    expected = -lr * ((1 - mu1) / (1 - mu1) * g + mu2 / (1 - mu1 * mu2) * (1 - b1) * g) / (abs(g) + eps)
    optimizer = optlib.NAdam(lr, b1, b2, eps, psi)
    x, state = optimizer.step(0.0, g, optimizer.init(0.0))
    assert x == pytest.approx(expected, rel=1e-14)
    assert mu1 == pytest.approx(0.45007, abs=1e-5) and state.mu_product == pytest.approx(mu1, rel=1e-15)


def test_radam_first_steps_are_unadapted_momentum_then_rectified():
    lr, b1, b2, eps = 0.01, 0.9, 0.999, 1e-8
    optimizer = optlib.RAdam(lr, b1, b2, eps)
    g = np.array([10.0, -0.1])
    x, state = optimizer.step(np.zeros(2), g, optimizer.init(np.zeros(2)))
    np.testing.assert_allclose(x, -lr * g, rtol=1e-15)  # lr * g, not lr * sign(g): no adaptation
    for _ in range(4):  # steps 2..5: rho_t <= 5; with a constant gradient m_hat = g
        x, state = optimizer.step(x, g, state)
    np.testing.assert_allclose(x, -5 * lr * g, rtol=1e-13)
    x, state = optimizer.step(x, g, state)  # step 6: rho_6 = 5.994 > 5, rectified Adam step
    rho_inf = 2 / (1 - b2) - 1
    rho_6 = rho_inf - 2 * 6 * b2**6 / (1 - b2**6)
    r_6 = math.sqrt((rho_6 - 4) * (rho_6 - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_6))
    assert r_6 == pytest.approx(0.02582, abs=1e-5)
    v_6 = (1 - b2**6) * g**2
    step_6 = lr * r_6 * g * math.sqrt(1 - b2**6) / (np.sqrt(v_6) + eps)
    np.testing.assert_allclose(x, -5 * lr * g - step_6, rtol=1e-12)


def test_lion_moves_every_parameter_by_lr():
    optimizer = optlib.Lion(lr=1e-3, beta1=0.9, beta2=0.99, weight_decay=0.0)
    g = np.array([1e-6, -30.0, 0.0])
    x, state = optimizer.step(np.ones(3), g, optimizer.init(np.ones(3)))
    np.testing.assert_array_equal(x, [1 - 1e-3, 1 + 1e-3, 1.0])  # sign(0) = 0: no move
    np.testing.assert_allclose(state.m, 0.01 * g, rtol=1e-15)
    # the direction uses beta1, the memory beta2: c_2 = 0.9 * 0.01 g_1 + 0.1 g_2
    x, state = optimizer.step(x, np.array([-1e-7, 1.0, 0.0]), state)
    np.testing.assert_allclose(x, [1 - 1e-3 + 1e-3, 1 + 2e-3, 1.0], rtol=1e-15)


def test_lion_weight_decay():
    optimizer = optlib.Lion(lr=0.01, weight_decay=0.5)
    x, _ = optimizer.step(np.array([2.0]), np.array([-1.0]), optimizer.init(np.zeros(1)))
    np.testing.assert_allclose(x, [2.0 * (1 - 0.005) + 0.01], rtol=1e-15)


def test_lookahead_k_2_alpha_half_by_hand():
    # f = x^2 / 2, g = x; inner SGD lr = 0.1: fast 1 -> 0.9 -> 0.81, then slow = (0.81 + 1) / 2
    optimizer = optlib.Lookahead(optlib.SGD(lr=0.1), k=2, alpha=0.5)
    x, state = 1.0, optimizer.init(1.0)
    seen = []
    for _ in range(4):
        x, state = optimizer.step(x, x, state)
        seen.append(float(x))
    assert seen == pytest.approx([0.9, 0.905, 0.8145, 0.905 + 0.5 * (0.73305 - 0.905)], abs=1e-15)
    assert state.slow == pytest.approx(seen[-1], abs=1e-15) and state.t == 4 and state.inner.t == 4


def test_lookahead_slow_weights_are_a_copy_of_the_start():
    x0 = np.array([1.0, 2.0])
    optimizer = optlib.Lookahead(optlib.SGD(lr=0.1), k=3)
    state = optimizer.init(x0)
    x0[0] = 99.0  # the caller changes its own array afterwards
    assert state.slow[0] == 1.0


def test_lookahead_returns_params_that_do_not_alias_its_state():
    optimizer = optlib.Lookahead(optlib.SGD(lr=0.1), k=1)
    x, state = optimizer.step(np.ones(2), np.ones(2), optimizer.init(np.ones(2)))
    x += 5.0  # the caller updates its own array in place
    np.testing.assert_allclose(state.slow, [0.95, 0.95], rtol=1e-15)
