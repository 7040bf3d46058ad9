"""Learning-rate schedules: formulas by hand, validation, use by the optimizers, and torch's schedulers."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

import optlib
from optlib import schedules
from optlib.schedules import (constant, cosine, exponential, inverse_time, linear_decay, linear_warmup,
                              step_decay)


def rates(schedule, steps):
    return [schedule(t) for t in range(1, steps + 1)]


# --- formulas, computed by hand -------------------------------------------------------------


def test_constant():
    assert rates(constant(0.3), 4) == [0.3, 0.3, 0.3, 0.3]


def test_step_decay_drops_after_every_block_of_steps():
    assert rates(step_decay(0.1, drop_every=3, factor=0.5), 7) == pytest.approx(
        [0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025], rel=1e-15
    )


def test_exponential_starts_at_lr():
    assert rates(exponential(0.1, gamma=0.9), 3) == pytest.approx([0.1, 0.09, 0.081], rel=1e-15)


def test_cosine_goes_from_lr_to_min_lr_and_stays():
    schedule = cosine(1.0, total_steps=4)
    assert rates(schedule, 7) == pytest.approx(
        [1.0, (1 + math.sqrt(0.5)) / 2, 0.5, (1 - math.sqrt(0.5)) / 2, 0.0, 0.0, 0.0], abs=1e-15
    )
    with_floor = cosine(1.0, total_steps=2, min_lr=0.2)
    assert rates(with_floor, 4) == pytest.approx([1.0, 0.6, 0.2, 0.2], rel=1e-15)


def test_linear_warmup_then_constant():
    assert rates(linear_warmup(0.1, warmup_steps=4), 6) == pytest.approx(
        [0.025, 0.05, 0.075, 0.1, 0.1, 0.1], rel=1e-15
    )


def test_linear_warmup_then_after_restarts_its_count_at_one():
    schedule = linear_warmup(0.1, warmup_steps=2, after=exponential(0.1, 0.5))
    assert rates(schedule, 5) == pytest.approx([0.05, 0.1, 0.1, 0.05, 0.025], rel=1e-15)


def test_linear_decay_goes_from_lr_to_min_lr_and_stays():
    assert rates(linear_decay(1.0, total_steps=4), 7) == pytest.approx(
        [1.0, 0.75, 0.5, 0.25, 0.0, 0.0, 0.0], abs=1e-15
    )
    assert rates(linear_decay(1.0, total_steps=2, min_lr=0.2), 4) == pytest.approx(
        [1.0, 0.6, 0.2, 0.2], rel=1e-15
    )


def test_inverse_time_is_one_over_t_or_its_root():
    assert rates(inverse_time(1.0), 4) == pytest.approx([1.0, 1 / 2, 1 / 3, 1 / 4], rel=1e-15)
    assert rates(inverse_time(1.0, power=0.5), 4) == pytest.approx(
        [1.0, 2**-0.5, 3**-0.5, 0.5], rel=1e-15
    )
    assert inverse_time(0.3, decay_steps=10)(11) == pytest.approx(0.15, rel=1e-15)  # halved after s steps


def test_warmup_then_linear_decay_is_a_triangle():
    schedule = linear_warmup(0.1, warmup_steps=2, after=linear_decay(0.1, total_steps=4))
    assert rates(schedule, 8) == pytest.approx([0.05, 0.1, 0.1, 0.075, 0.05, 0.025, 0.0, 0.0], abs=1e-15)


def test_schedules_return_python_floats_and_are_frozen():
    for schedule in (
        constant(1),
        step_decay(1, 2, 0.5),
        exponential(1, 0.5),
        cosine(1, 3),
        linear_decay(1, 3),
        inverse_time(1, 2, 0.5),
        linear_warmup(1, 2),
    ):
        assert type(schedule(2)) is float
        with pytest.raises(dataclasses.FrozenInstanceError):
            schedule.lr = 2.0
    assert repr(cosine(0.1, 10)) == "Cosine(lr=0.1, total_steps=10, min_lr=0.0)"


# --- validation -----------------------------------------------------------------------------

BAD = [
    (constant, dict(lr=-1.0), ValueError, "learning rate", "-1.0"),
    (constant, dict(lr=math.nan), ValueError, "learning rate", "nan"),
    (constant, dict(lr=math.inf), ValueError, "learning rate", "inf"),
    (constant, dict(lr="0.1"), TypeError, "learning rate", "'0.1'"),
    (constant, dict(lr=constant(0.1)), TypeError, "learning rate", "Constant(lr=0.1)"),
    (step_decay, dict(lr=-0.1, drop_every=3, factor=0.5), ValueError, "learning rate", "-0.1"),
    (step_decay, dict(lr=0.1, drop_every=0, factor=0.5), ValueError, "drop_every", "0"),
    (step_decay, dict(lr=0.1, drop_every=2.5, factor=0.5), TypeError, "drop_every", "2.5"),
    (step_decay, dict(lr=0.1, drop_every=True, factor=0.5), TypeError, "drop_every", "True"),
    (step_decay, dict(lr=0.1, drop_every=3, factor=0.0), ValueError, "factor", "0.0"),
    (step_decay, dict(lr=0.1, drop_every=3, factor=1.5), ValueError, "factor", "1.5"),
    (exponential, dict(lr=0.1, gamma=0.0), ValueError, "gamma", "0.0"),
    (exponential, dict(lr=0.1, gamma=1.01), ValueError, "gamma", "1.01"),
    (exponential, dict(lr=0.1, gamma=math.nan), ValueError, "gamma", "nan"),
    (cosine, dict(lr=0.1, total_steps=0), ValueError, "total_steps", "0"),
    (cosine, dict(lr=0.1, total_steps=10.0), TypeError, "total_steps", "10.0"),
    (cosine, dict(lr=0.1, total_steps=10, min_lr=-0.01), ValueError, "min_lr", "-0.01"),
    (cosine, dict(lr=0.1, total_steps=10, min_lr=0.2), ValueError, "min_lr", "0.2"),
    (linear_decay, dict(lr=0.1, total_steps=0), ValueError, "total_steps", "0"),
    (linear_decay, dict(lr=0.1, total_steps=10, min_lr=0.2), ValueError, "min_lr", "0.2"),
    (linear_decay, dict(lr=-0.1, total_steps=10), ValueError, "learning rate", "-0.1"),
    (inverse_time, dict(lr=0.1, decay_steps=0), ValueError, "decay_steps", "0"),
    (inverse_time, dict(lr=0.1, decay_steps=-5.0), ValueError, "decay_steps", "-5.0"),
    (inverse_time, dict(lr=0.1, power=0.0), ValueError, "power", "0.0"),
    (inverse_time, dict(lr=0.1, power=2.0), ValueError, "power", "2.0"),
    (inverse_time, dict(lr=0.1, power="1"), TypeError, "power", "'1'"),
    (linear_warmup, dict(lr=0.1, warmup_steps=0), ValueError, "warmup_steps", "0"),
    (linear_warmup, dict(lr=0.1, warmup_steps=-3), ValueError, "warmup_steps", "-3"),
    (linear_warmup, dict(lr=0.1, warmup_steps=5, after=0.1), TypeError, "after", "0.1"),
]


@pytest.mark.parametrize(
    "factory, kwargs, error, name, value", BAD, ids=[f"{b[0].__name__}-{b[3]}-{b[4]}" for b in BAD]
)
def test_bad_arguments_are_refused_with_name_and_value(factory, kwargs, error, name, value):
    with pytest.raises(error) as info:
        factory(**kwargs)
    assert name in str(info.value) and value in str(info.value)


# --- use by the optimizers: t = 1 is the first update ---------------------------------------


def test_optimizer_asks_the_schedule_for_step_t_starting_at_one():
    asked = []

    def schedule(t):
        asked.append(t)
        return 0.1 * t

    optimizer = optlib.SGD(lr=schedule)
    x, state = np.array([1.0]), optimizer.init(np.array([1.0]))
    x, state = optimizer.step(x, np.array([1.0]), state)  # eta_1 = 0.1
    x, state = optimizer.step(x, np.array([1.0]), state)  # eta_2 = 0.2
    assert asked == [1, 2]
    np.testing.assert_allclose(x, [1.0 - 0.1 - 0.2], rtol=1e-15)


def test_constant_schedule_equals_a_plain_number():
    g = np.array([0.3, -1.0])
    plain, scheduled = optlib.Adam(lr=0.1), optlib.Adam(lr=constant(0.1))
    x1 = x2 = np.array([1.0, 2.0])
    s1, s2 = plain.init(x1), scheduled.init(x2)
    for _ in range(5):
        x1, s1 = plain.step(x1, g * x1, s1)
        x2, s2 = scheduled.step(x2, g * x2, s2)
    np.testing.assert_array_equal(x1, x2)


@pytest.mark.parametrize(
    "value, error", [(-0.1, ValueError), (math.nan, ValueError), (math.inf, ValueError), ("fast", TypeError)]
)
def test_schedule_returning_a_bad_rate_is_refused_at_that_step(value, error):
    optimizer = optlib.Momentum(lr=lambda t: 0.1 if t < 3 else value)
    x, state = np.zeros(2), optimizer.init(np.zeros(2))
    for _ in range(2):
        x, state = optimizer.step(x, np.ones(2), state)
    with pytest.raises(error, match="learning rate") as info:
        optimizer.step(x, np.ones(2), state)
    assert "step 3" in str(info.value)


def test_schedule_is_read_by_the_inner_optimizer_of_lookahead():
    inner = optlib.SGD(lr=step_decay(0.1, drop_every=1, factor=0.5))
    optimizer = optlib.Lookahead(inner, k=10)
    x, state = np.array([0.0]), optimizer.init(np.array([0.0]))
    for _ in range(3):
        x, state = optimizer.step(x, np.array([-1.0]), state)
    np.testing.assert_allclose(x, [0.1 + 0.05 + 0.025], rtol=1e-15)


# --- against torch.optim.lr_scheduler (t = torch's epoch + 1) -------------------------------


def torch_rates(make_scheduler, steps, lr):
    torch = pytest.importorskip("torch")
    param = torch.nn.Parameter(torch.zeros(1))
    optimizer = torch.optim.SGD([param], lr=lr)
    scheduler = make_scheduler(optimizer)
    seen = []
    for _ in range(steps):
        seen.append(optimizer.param_groups[0]["lr"])
        param.grad = torch.zeros(1)
        optimizer.step()
        scheduler.step()
    return seen


TORCH_CASES = [
    ("StepLR", step_decay(0.1, 7, 0.3), lambda s: s.StepLR, dict(step_size=7, gamma=0.3)),
    ("ExponentialLR", exponential(0.1, 0.95), lambda s: s.ExponentialLR, dict(gamma=0.95)),
    (
        "CosineAnnealingLR",
        cosine(0.1, 40, 0.001),
        lambda s: s.CosineAnnealingLR,
        dict(T_max=40, eta_min=0.001),
    ),
    (
        "LinearLR-decay",
        linear_decay(0.1, 30, 0.004),
        lambda s: s.LinearLR,
        dict(start_factor=1.0, end_factor=0.04, total_iters=30),
    ),
    (
        "LinearLR",
        linear_warmup(0.1, 8),
        lambda s: s.LinearLR,
        dict(start_factor=1 / 8, end_factor=1.0, total_iters=7),
    ),
]


@pytest.mark.parametrize(
    "label, schedule, scheduler_class, kwargs", TORCH_CASES, ids=[c[0] for c in TORCH_CASES]
)
def test_matches_torch_scheduler(label, schedule, scheduler_class, kwargs):
    torch = pytest.importorskip("torch")
    theirs = torch_rates(lambda opt: scheduler_class(torch.optim.lr_scheduler)(opt, **kwargs), 41, lr=0.1)
    np.testing.assert_allclose(rates(schedule, 41), theirs, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize(
    "schedule",
    [linear_warmup(0.2, 5, cosine(0.2, 30, 0.01)), step_decay(0.3, 4, 0.7), cosine(0.05, 12),
     inverse_time(0.2, 3.0, 0.5), linear_warmup(0.2, 5, linear_decay(0.2, 20))],
    ids=repr,
)
def test_any_schedule_through_torch_lambda_lr(schedule):
    torch = pytest.importorskip("torch")
    theirs = torch_rates(
        lambda opt: torch.optim.lr_scheduler.LambdaLR(opt, lambda epoch: schedule(epoch + 1)), 40, lr=1.0
    )
    np.testing.assert_allclose(rates(schedule, 40), theirs, rtol=1e-15)


def test_warmup_then_cosine_matches_torch_sequential_lr():
    torch = pytest.importorskip("torch")
    s = torch.optim.lr_scheduler
    schedule = linear_warmup(0.1, 5, cosine(0.1, 20, 0.0))
    theirs = torch_rates(
        lambda opt: s.SequentialLR(
            opt,
            [s.LinearLR(opt, start_factor=1 / 5, total_iters=4), s.CosineAnnealingLR(opt, T_max=20)],
            milestones=[5],
        ),
        30,
        lr=0.1,
    )
    np.testing.assert_allclose(rates(schedule, 26), theirs[:26], rtol=1e-12, atol=1e-15)


def test_module_exports():
    assert optlib.schedules is schedules
    for name in ("constant", "step_decay", "exponential", "cosine", "linear_decay", "inverse_time",
                 "linear_warmup"):
        assert callable(getattr(schedules, name))
