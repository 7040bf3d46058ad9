"""The independent side of the conventions tests: run the real Keras 3 and optax optimizers.

``run_library(library, name, hyper, A, b, x0, steps)`` minimises f(x) = 1/2 x^T A x - b^T x
(gradient A x - b, computed here in numpy) in float64 with ``keras.optimizers.<name>`` (torch
backend) or ``optax.<name>``, and returns the trajectory, shape ``(steps + 1, d)``, first row x0.

``hyper`` uses the library's own keyword names. A learning rate may be a schedule spec,
``{"schedule": "cosine", "lr": 0.05, "total_steps": 60, "min_lr": 0.001}`` or
``{"schedule": "exponential", "lr": 0.01, "gamma": 0.97}``, run as the library's own schedule
(``keras.optimizers.schedules.CosineDecay`` / ``ExponentialDecay``,
``optax.cosine_decay_schedule`` / ``optax.exponential_decay``), built here from the library's
arguments, independently of optlib.

This module imports without keras or optax; they are imported when a run is asked for.
"""

from __future__ import annotations

import os

import numpy as np


def keras_module():
    """keras 3 on the torch backend with float64 as the default float type."""
    os.environ.setdefault("KERAS_BACKEND", "torch")
    import keras

    if keras.backend.backend() != "torch":
        raise RuntimeError(f"keras runs on {keras.backend.backend()!r}, expected 'torch'")
    keras.config.set_floatx("float64")
    return keras


def optax_module():
    """optax with jax in 64-bit mode."""
    import jax

    jax.config.update("jax_enable_x64", True)
    import optax

    return optax


def keras_schedule(keras, spec):
    """The Keras schedule object for a spec (a number is returned unchanged)."""
    if not isinstance(spec, dict):
        return spec
    schedules = keras.optimizers.schedules
    if spec["schedule"] == "cosine":
        return schedules.CosineDecay(
            initial_learning_rate=spec["lr"], decay_steps=spec["total_steps"],
            alpha=spec["min_lr"] / spec["lr"],
        )
    if spec["schedule"] == "exponential":
        return schedules.ExponentialDecay(
            initial_learning_rate=spec["lr"], decay_steps=1, decay_rate=spec["gamma"]
        )
    raise KeyError(f"unknown schedule {spec['schedule']!r}")


def optax_schedule(optax, spec):
    """The optax schedule (a function of ``count``) for a spec, or the number."""
    if not isinstance(spec, dict):
        return spec
    if spec["schedule"] == "cosine":
        return optax.cosine_decay_schedule(
            init_value=spec["lr"], decay_steps=spec["total_steps"],
            alpha=spec["min_lr"] / spec["lr"],
        )
    if spec["schedule"] == "exponential":
        return optax.exponential_decay(
            init_value=spec["lr"], transition_steps=1, decay_rate=spec["gamma"]
        )
    raise KeyError(f"unknown schedule {spec['schedule']!r}")


def torch_to_numpy(tensor):
    """A copy of a torch tensor (Keras's torch backend keeps variables as tensors)."""
    return tensor.detach().cpu().numpy().astype(np.float64, copy=True)


def run_keras(name, hyper, A, b, x0, steps):
    keras = keras_module()
    arguments = dict(hyper)
    if "learning_rate" in arguments:
        arguments["learning_rate"] = keras_schedule(keras, arguments["learning_rate"])
    optimizer = getattr(keras.optimizers, name)(**arguments)
    x = keras.Variable(np.array(x0, dtype=np.float64), dtype="float64", name="x")
    optimizer.build([x])
    trajectory = [np.array(x0, dtype=np.float64)]
    for _ in range(steps):
        gradient = keras.ops.convert_to_tensor(A @ trajectory[-1] - b, dtype="float64")
        optimizer.apply([gradient], [x])
        trajectory.append(torch_to_numpy(x.value))
    return np.array(trajectory)


def run_optax(name, hyper, A, b, x0, steps):
    optax = optax_module()
    import jax.numpy as jnp

    arguments = dict(hyper)
    if "learning_rate" in arguments:
        arguments["learning_rate"] = optax_schedule(optax, arguments["learning_rate"])
    optimizer = getattr(optax, name)(**arguments)
    x = jnp.asarray(np.array(x0, dtype=np.float64))
    if x.dtype != jnp.float64:
        raise RuntimeError("jax is not in 64-bit mode")
    state = optimizer.init(x)
    trajectory = [np.array(x0, dtype=np.float64)]
    for _ in range(steps):
        gradient = jnp.asarray(A @ np.asarray(x) - b)
        updates, state = optimizer.update(gradient, state, x)
        x = optax.apply_updates(x, updates)
        trajectory.append(np.array(x, dtype=np.float64))
    return np.array(trajectory)


def run_library(library, name, hyper, A, b, x0, steps):
    """Trajectory of the real ``library.name(**hyper)`` on the quadratic (float64)."""
    if library == "keras":
        return run_keras(name, hyper, A, b, x0, steps)
    if library == "optax":
        return run_optax(name, hyper, A, b, x0, steps)
    raise KeyError(f"no live library for {library!r}")


def versions():
    """The versions of everything a run depends on."""
    import platform
    from importlib import metadata

    return {
        name: metadata.version(name) for name in ("keras", "optax", "jax", "jaxlib", "torch")
    } | {"numpy": np.__version__, "python": platform.python_version()}


#: The torch.optim classes whose defaults the conventions chapter tabulates (PyTorch's column).
TORCH_OPTIMIZERS = ("SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adadelta", "Adamax", "NAdam",
                    "RAdam")
#: Arguments that select an implementation, not an algorithm: left out of the recorded defaults.
PLUMBING = {"params", "foreach", "fused", "capturable", "differentiable", "maximize", "name",
            "mu_dtype", "accumulator_dtype", "mask", "weight_decay_mask", "loss_scale_factor",
            "gradient_accumulation_steps", "use_ema", "ema_momentum", "ema_overwrite_frequency",
            "clipnorm", "clipvalue", "global_clipnorm", "kwargs", "decoupled_weight_decay"}


def signature_defaults(function):
    """``{argument: default}`` of a callable, JSON-ready (tuples as lists; no-default as None)."""
    import inspect

    defaults = {}
    for name, parameter in inspect.signature(function).parameters.items():
        if name in PLUMBING or parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
            continue
        value = None if parameter.default is parameter.empty else parameter.default
        if isinstance(value, tuple):
            value = list(value)
        if not (value is None or isinstance(value, (bool, int, float, str, list))):
            value = repr(value)
        defaults[name] = value
    return defaults


def library_defaults(keras_names, optax_names):
    """The defaults of the real optimizers, read from their signatures: torch.optim's
    ``TORCH_OPTIMIZERS``, ``keras.optimizers.<keras_names>``, ``optax.<optax_names>``."""
    import torch

    keras, optax = keras_module(), optax_module()
    return {
        "torch": {name: signature_defaults(getattr(torch.optim, name)) for name in TORCH_OPTIMIZERS},
        "keras": {name: signature_defaults(getattr(keras.optimizers, name)) for name in keras_names},
        "optax": {name: signature_defaults(getattr(optax, name)) for name in optax_names},
    }
