"""The independent side of the reference tests: run torch.optim (or pytorch_optimizer) on a problem.

``run_torch(name, hyper, A, b, x0, steps)`` minimises the quadratic f(x) = 1/2 x^T A x - b^T x
(gradient A x - b) in float64 with the torch optimizer that implements the same method as
``optlib.<name>(**hyper)``, and returns the trajectory, an array of shape ``(steps + 1, d)``
whose first row is ``x0``.

``hyper`` uses optlib's argument names; ``lr`` may be a number or a schedule spec, a dict such as
``{"schedule": "cosine", "lr": 0.1, "total_steps": 60, "min_lr": 0.0}``, which is run with the
matching ``torch.optim.lr_scheduler`` (StepLR, ExponentialLR, CosineAnnealingLR, LinearLR) or,
for ``linear_warmup`` and ``inverse_time``, a ``LambdaLR`` whose factor is written out here
independently of optlib.
``Lookahead``'s ``inner`` is ``{"name": ..., "hyper": {...}}``.

Muon's run uses torch's Newton-Schulz code in float64 (torch computes it in bfloat16; see
``muon_newton_schulz_in_float64``); ScheduleFreeAdamW's is the ``schedulefree`` package's
``AdamWScheduleFree``, whose x (the average) is read in eval mode after every step.

This module imports without torch; torch is imported when a run is asked for.
"""

from __future__ import annotations

import contextlib
import inspect
import math
import textwrap

import numpy as np

#: The contract's defaults, written out here independently of optlib (the torch side uses them
#: when a config leaves a hyperparameter out, so a wrong default in optlib fails the tests).
DEFAULTS = {
    "SGD": {"lr": 0.01},
    "Momentum": {"lr": 0.01, "momentum": 0.9},
    "Nesterov": {"lr": 0.01, "momentum": 0.9},
    "AdaGrad": {"lr": 0.01, "eps": 1e-10},
    "RMSprop": {"lr": 1e-3, "rho": 0.9, "eps": 1e-8},
    "AdaDelta": {"lr": 1.0, "rho": 0.95, "eps": 1e-6},
    "Adam": {"lr": 1e-3, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8},
    "AMSGrad": {"lr": 1e-3, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8},
    "AdamW": {"lr": 1e-3, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "weight_decay": 0.01},
    "AdaMax": {"lr": 2e-3, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8},
    "NAdam": {"lr": 2e-3, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "momentum_decay": 4e-3},
    "RAdam": {"lr": 1e-3, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8},
    "Lion": {"lr": 1e-4, "beta1": 0.9, "beta2": 0.99, "weight_decay": 0.0},
    "Lookahead": {"k": 5, "alpha": 0.5},
    "Ranger": {"lr": 1e-3, "beta1": 0.95, "beta2": 0.999, "eps": 1e-5, "k": 6, "alpha": 0.5},
    "Muon": {
        "lr": 1e-3, "weight_decay": 0.1, "momentum": 0.95, "nesterov": True,
        "ns_coefficients": [3.4445, -4.775, 2.0315], "eps": 1e-7, "ns_steps": 5,
        "adjust_lr_fn": None,
    },
    "ScheduleFreeAdamW": {
        "lr": 0.0025, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "weight_decay": 0.0,
        "warmup_steps": 0, "r": 0.0, "weight_lr_power": 2.0,
    },
}


def resolved(name, hyper):
    """``hyper`` with the defaults filled in (recursively for Lookahead's inner optimizer)."""
    full = {**DEFAULTS[name], **hyper}
    if name == "Lookahead":
        full["inner"] = {
            "name": hyper["inner"]["name"],
            "hyper": resolved(hyper["inner"]["name"], hyper["inner"]["hyper"]),
        }
    return full


def _rate(lr):
    """The torch optimizer's initial lr: the number, or the schedule's base rate."""
    return lr["lr"] if isinstance(lr, dict) else lr


def make_torch_optimizer(name, hyper, params):
    """The torch optimizer for ``optlib.<name>(**hyper)`` over ``params`` (single-tensor path)."""
    import torch

    h = resolved(name, hyper)
    o = torch.optim
    single = dict(foreach=False, differentiable=False)
    if name == "SGD":
        return o.SGD(params, lr=_rate(h["lr"]), **single)
    if name in ("Momentum", "Nesterov"):
        return o.SGD(params, lr=_rate(h["lr"]), momentum=h["momentum"], nesterov=name == "Nesterov", **single)
    if name == "AdaGrad":
        return o.Adagrad(params, lr=_rate(h["lr"]), eps=h["eps"], **single)
    if name == "RMSprop":
        return o.RMSprop(params, lr=_rate(h["lr"]), alpha=h["rho"], eps=h["eps"], **single)
    if name == "AdaDelta":
        return o.Adadelta(params, lr=_rate(h["lr"]), rho=h["rho"], eps=h["eps"], **single)
    betas = (h.get("beta1"), h.get("beta2"))
    if name in ("Adam", "AMSGrad"):
        return o.Adam(
            params, lr=_rate(h["lr"]), betas=betas, eps=h["eps"], amsgrad=name == "AMSGrad", **single
        )
    if name == "AdamW":
        return o.AdamW(
            params, lr=_rate(h["lr"]), betas=betas, eps=h["eps"], weight_decay=h["weight_decay"], **single
        )
    if name == "AdaMax":
        return o.Adamax(params, lr=_rate(h["lr"]), betas=betas, eps=h["eps"], **single)
    if name == "NAdam":
        return o.NAdam(
            params, lr=_rate(h["lr"]), betas=betas, eps=h["eps"], momentum_decay=h["momentum_decay"], **single
        )
    if name == "RAdam":
        return o.RAdam(params, lr=_rate(h["lr"]), betas=betas, eps=h["eps"], **single)
    if name == "Lion":
        import pytorch_optimizer

        return pytorch_optimizer.Lion(
            params, lr=_rate(h["lr"]), betas=betas, weight_decay=h["weight_decay"], foreach=False
        )
    if name == "Lookahead":
        import pytorch_optimizer

        inner = make_torch_optimizer(h["inner"]["name"], h["inner"]["hyper"], params)
        return pytorch_optimizer.Lookahead(inner, k=h["k"], alpha=h["alpha"])
    if name == "Ranger":
        import pytorch_optimizer

        inner = o.RAdam(params, lr=_rate(h["lr"]), betas=betas, eps=h["eps"], **single)
        return pytorch_optimizer.Lookahead(inner, k=h["k"], alpha=h["alpha"])
    if name == "Muon":
        return o.Muon(
            params, lr=_rate(h["lr"]), weight_decay=h["weight_decay"], momentum=h["momentum"],
            nesterov=h["nesterov"], ns_coefficients=tuple(h["ns_coefficients"]), eps=h["eps"],
            ns_steps=h["ns_steps"], adjust_lr_fn=h["adjust_lr_fn"],
        )
    if name == "ScheduleFreeAdamW":
        import schedulefree

        optimizer = schedulefree.AdamWScheduleFree(
            params, lr=_rate(h["lr"]), betas=betas, eps=h["eps"], weight_decay=h["weight_decay"],
            warmup_steps=h["warmup_steps"], r=h["r"], weight_lr_power=h["weight_lr_power"],
            foreach=False,
        )
        optimizer.train()  # the package refuses to step in eval mode
        return optimizer
    raise KeyError(f"no torch counterpart for {name!r}")


def warmup_factor(spec, epoch):
    """``linear_warmup``'s rate at torch epoch ``epoch`` (= step - 1), written out independently."""
    step = epoch + 1
    w = spec["warmup_steps"]
    if step <= w:
        return spec["lr"] * step / w
    after = spec.get("after")
    if after is None:
        return spec["lr"]
    e = min(step - w - 1, after["total_steps"])
    if after["schedule"] == "cosine":
        return (
            after["min_lr"]
            + (after["lr"] - after["min_lr"]) * (1 + math.cos(math.pi * e / after["total_steps"])) / 2
        )
    if after["schedule"] == "linear_decay":
        return after["lr"] + (after["min_lr"] - after["lr"]) * e / after["total_steps"]
    raise KeyError(f"warm-up followed by {after['schedule']!r} is not supported here")


def make_torch_scheduler(spec, optimizer):
    """The torch scheduler for a schedule spec, or None for a constant learning rate."""
    import torch

    sched = torch.optim.lr_scheduler
    if not isinstance(spec, dict):
        return None
    kind = spec["schedule"]
    if kind == "step_decay":
        return sched.StepLR(optimizer, step_size=spec["drop_every"], gamma=spec["factor"])
    if kind == "exponential":
        return sched.ExponentialLR(optimizer, gamma=spec["gamma"])
    if kind == "cosine":
        return sched.CosineAnnealingLR(optimizer, T_max=spec["total_steps"], eta_min=spec["min_lr"])
    if kind == "linear_decay":
        return sched.LinearLR(
            optimizer, start_factor=1.0, end_factor=spec["min_lr"] / spec["lr"],
            total_iters=spec["total_steps"],
        )
    if kind == "inverse_time":
        return sched.LambdaLR(
            optimizer, lambda epoch: (1 + epoch / spec["decay_steps"]) ** -spec["power"]
        )
    if kind == "linear_warmup":
        for group in optimizer.param_groups:  # LambdaLR multiplies the initial lr by the factor
            group["lr"] = 1.0
        return sched.LambdaLR(optimizer, lambda epoch: warmup_factor(spec, epoch))
    raise KeyError(f"unknown schedule {kind!r}")


def _scheduled(name, hyper, optimizer):
    """``(torch optimizer whose lr the schedule drives, lr spec)``: the inner one for wrappers."""
    if name == "Lookahead":
        return _scheduled(hyper["inner"]["name"], hyper["inner"]["hyper"], optimizer.optimizer)
    if name == "Ranger":
        return optimizer.optimizer, hyper.get("lr")
    return optimizer, hyper.get("lr")


@contextlib.contextmanager
def muon_newton_schulz_in_float64():
    """torch.optim.Muon with its own Newton-Schulz code run in float64 instead of bfloat16.

    The function's source is torch's, with its one cast to bfloat16 replaced by a cast to
    float64, compiled in the module's namespace and put in place for the duration.
    """
    import torch.optim._muon as muon_module

    original = muon_module._zeropower_via_newtonschulz
    source = textwrap.dedent(inspect.getsource(original))
    if source.count(".bfloat16()") != 1:
        raise RuntimeError("torch's _zeropower_via_newtonschulz changed: update this patch")
    namespace = dict(vars(muon_module))
    # copy=True: like .bfloat16(), return a new tensor (the code then divides it in place)
    exec(source.replace(".bfloat16()", ".to(torch.float64, copy=True)"), namespace)
    muon_module._zeropower_via_newtonschulz = namespace["_zeropower_via_newtonschulz"]
    try:
        yield
    finally:
        muon_module._zeropower_via_newtonschulz = original


def schedule_free_average(optimizer, x):
    """x, Schedule-Free's average, as the package gives it: switch to eval mode, read, switch back."""
    optimizer.eval()
    average = x.detach().numpy().copy()
    optimizer.train()
    return average


def run_torch(name, hyper, A, b, x0, steps, averages=None, muon_in_float64=True):
    """Trajectory ``(steps + 1, *x0.shape)`` of torch's ``name`` on f(x) = 1/2 x^T A x - b^T x.

    In float64. ``x0`` is a vector, or a matrix for Muon (then ``b`` is a matrix too and the
    loss is 1/2 tr(x^T A x) - tr(b^T x)). For ScheduleFreeAdamW the trajectory is y, where
    the gradients are taken; pass a list as ``averages`` to receive the path of x too.
    ``muon_in_float64=False`` runs Muon as torch ships it, with Newton-Schulz in bfloat16.
    """
    import torch

    previous_dtype = torch.get_default_dtype()
    # float64 default: torch keeps scalar state (NAdam's mu_product, step counts) in it.
    torch.set_default_dtype(torch.float64)
    in_float64 = name == "Muon" and muon_in_float64
    patch = muon_newton_schulz_in_float64() if in_float64 else contextlib.nullcontext()
    try:
        A_t = torch.as_tensor(np.asarray(A, dtype=np.float64))
        b_t = torch.as_tensor(np.asarray(b, dtype=np.float64))
        x = torch.nn.Parameter(torch.as_tensor(np.array(x0, dtype=np.float64)))
        optimizer = make_torch_optimizer(name, hyper, [x])
        scheduled, lr_spec = _scheduled(name, hyper, optimizer)
        scheduler = make_torch_scheduler(lr_spec, scheduled)
        trajectory = [x.detach().numpy().copy()]
        if averages is not None:
            averages.append(x.detach().numpy().copy())
        with patch:
            for _ in range(steps):
                x.grad = A_t @ x.detach() - b_t
                optimizer.step()
                if scheduler is not None:
                    scheduler.step()
                trajectory.append(x.detach().numpy().copy())
                if averages is not None and name == "ScheduleFreeAdamW":
                    averages.append(schedule_free_average(optimizer, x))
                elif averages is not None:
                    averages.append(trajectory[-1])
        return np.array(trajectory)
    finally:
        torch.set_default_dtype(previous_dtype)
