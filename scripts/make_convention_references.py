"""Write the Keras 3 and optax trajectories that tests/test_conventions.py compares
optlib.conventions against.

    .venv/bin/python scripts/make_convention_references.py

For every config below it runs the real library optimizer (keras on the torch backend with
floatx float64; optax with jax_enable_x64; see tests/convention_runs.py) for STEPS steps on the
seeded quadratics of scripts/make_references.py, and writes

* tests/references/conventions.npz: the problems (A, b, x0) and one trajectory per config;
* tests/references/conventions.json: the configs and the versions used.

The configs include large epsilons (so that where epsilon sits shows), non-default
hyperparameters, every boolean option and learning-rate schedules (Keras schedule objects and
optax schedule functions, both counting steps from 0).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "scripts"))

import convention_runs  # noqa: E402
from make_references import DIM, STEPS, make_problem  # noqa: E402

OUT = ROOT / "tests" / "references"
PROBLEMS = (0, 1, 2, 3, 4)


def cosine(lr, total_steps=60, min_lr=0.001):
    return {"schedule": "cosine", "lr": lr, "total_steps": total_steps, "min_lr": min_lr}


def exponential(lr, gamma=0.95):
    return {"schedule": "exponential", "lr": lr, "gamma": gamma}


# (library, name, label, problem seed, hyper in the library's own keyword names)
KERAS = [
    ("SGD", "default", 0, {}),
    ("SGD", "momentum", 1, {"momentum": 0.9}),
    ("SGD", "nesterov", 2, {"momentum": 0.9, "nesterov": True}),
    ("SGD", "weight_decay", 3, {"learning_rate": 0.02, "momentum": 0.5, "weight_decay": 0.1}),
    ("SGD", "momentum-exponential", 4, {"learning_rate": exponential(0.01), "momentum": 0.9}),
    ("SGD", "nesterov-cosine", 4, {"learning_rate": cosine(0.01), "momentum": 0.9,
                                   "nesterov": True}),
    ("Adam", "default", 0, {}),
    ("Adam", "large-epsilon", 3, {"learning_rate": 0.1, "beta_1": 0.8, "beta_2": 0.99,
                                  "epsilon": 0.1}),
    ("Adam", "amsgrad", 1, {"learning_rate": 0.1, "epsilon": 0.01, "amsgrad": True}),
    ("Adam", "weight_decay", 2, {"learning_rate": 0.05, "weight_decay": 0.1}),
    ("AdamW", "default", 0, {}),
    ("AdamW", "large-epsilon", 3, {"learning_rate": 0.05, "weight_decay": 0.5,
                                   "beta_1": 0.85, "epsilon": 0.01}),
    ("AdamW", "cosine", 4, {"learning_rate": cosine(0.05), "weight_decay": 0.5}),
    ("AdamW", "exponential-amsgrad", 4, {"learning_rate": exponential(0.05), "weight_decay": 0.2,
                                         "amsgrad": True}),
    ("RMSprop", "default", 0, {}),
    ("RMSprop", "large-epsilon", 3, {"learning_rate": 0.05, "rho": 0.5, "epsilon": 0.1}),
    ("RMSprop", "momentum", 1, {"learning_rate": 0.01, "momentum": 0.9}),
    ("RMSprop", "centered", 2, {"learning_rate": 0.01, "epsilon": 0.01, "centered": True}),
    ("RMSprop", "centered-momentum-decay", 4, {"learning_rate": 0.01, "momentum": 0.5,
                                               "centered": True, "weight_decay": 0.1}),
    ("Adagrad", "default", 0, {}),
    ("Adagrad", "large-epsilon", 3, {"learning_rate": 0.5, "initial_accumulator_value": 0.5,
                                     "epsilon": 0.1}),
    ("Adagrad", "zero-accumulator", 1, {"learning_rate": 0.5, "initial_accumulator_value": 0.0,
                                        "epsilon": 0.01}),
    ("Adagrad", "weight_decay", 2, {"learning_rate": 0.5, "weight_decay": 0.1}),
    ("Adadelta", "default", 0, {}),
    ("Adadelta", "custom", 3, {"learning_rate": 1.0, "rho": 0.8, "epsilon": 1e-3}),
    ("Adadelta", "weight_decay", 1, {"learning_rate": 1.0, "weight_decay": 0.1}),
    ("Adamax", "default", 0, {}),
    ("Adamax", "large-epsilon", 3, {"learning_rate": 0.05, "beta_1": 0.8, "beta_2": 0.99,
                                    "epsilon": 0.1}),
    ("Adamax", "weight_decay", 1, {"learning_rate": 0.05, "weight_decay": 0.1}),
    ("Nadam", "default", 0, {}),
    ("Nadam", "large-epsilon", 3, {"learning_rate": 0.05, "beta_1": 0.95, "beta_2": 0.99,
                                   "epsilon": 0.01}),
    ("Nadam", "weight_decay", 1, {"learning_rate": 0.05, "weight_decay": 0.1}),
    ("Lion", "default", 0, {}),
    ("Lion", "custom", 3, {"learning_rate": 0.01, "beta_1": 0.8, "beta_2": 0.95,
                           "weight_decay": 0.1}),
]

OPTAX = [
    ("sgd", "plain", 0, {"learning_rate": 0.01}),
    ("sgd", "momentum", 1, {"learning_rate": 0.01, "momentum": 0.9}),
    ("sgd", "nesterov", 2, {"learning_rate": 0.01, "momentum": 0.9, "nesterov": True}),
    # optax.exponential_decay computes in float32 even with jax_enable_x64 (a relative error
    # of about 3e-8 in each rate): the optax schedules here are cosine, which stays in float64.
    ("sgd", "momentum-cosine", 4, {"learning_rate": cosine(0.01), "momentum": 0.9}),
    ("sgd", "momentum-zero", 3, {"learning_rate": 0.015, "momentum": 0.0}),
    ("adam", "default", 0, {"learning_rate": 0.001}),
    ("adam", "large-eps", 3, {"learning_rate": 0.1, "b1": 0.8, "b2": 0.99, "eps": 0.1}),
    ("adam", "eps_root", 1, {"learning_rate": 0.1, "eps": 1e-3, "eps_root": 0.01}),
    ("adam", "nesterov", 2, {"learning_rate": 0.05, "eps": 0.01, "nesterov": True}),
    ("adamw", "default", 0, {"learning_rate": 0.001}),
    ("adamw", "large-eps", 3, {"learning_rate": 0.05, "b1": 0.85, "eps": 0.01,
                               "weight_decay": 0.5}),
    ("adamw", "cosine", 4, {"learning_rate": cosine(0.05), "weight_decay": 0.5}),
    ("adamw", "cosine-nesterov", 4, {"learning_rate": cosine(0.05, 40, 0.005),
                                          "weight_decay": 0.2, "nesterov": True}),
    ("nadam", "default", 0, {"learning_rate": 0.002}),
    ("nadam", "large-eps", 3, {"learning_rate": 0.05, "b1": 0.95, "b2": 0.99, "eps": 0.01}),
    ("nadamw", "custom", 1, {"learning_rate": 0.05, "weight_decay": 0.1, "eps_root": 1e-4}),
    ("amsgrad", "default", 0, {"learning_rate": 0.001}),
    ("amsgrad", "large-eps", 3, {"learning_rate": 0.1, "b1": 0.5, "b2": 0.9, "eps": 0.01}),
    ("amsgrad", "no-bias-correction-mu", 1, {"learning_rate": 0.1, "eps": 1e-3,
                                              "bias_correction_mu": False}),
    ("amsgrad", "no-bias-correction-nu", 2, {"learning_rate": 0.1, "eps_root": 1e-3,
                                              "bias_correction_nu": False}),
    ("rmsprop", "default", 0, {"learning_rate": 0.01}),
    ("rmsprop", "large-eps", 3, {"learning_rate": 0.05, "decay": 0.5, "eps": 0.1}),
    ("rmsprop", "eps-outside-sqrt", 3, {"learning_rate": 0.05, "decay": 0.5, "eps": 0.1,
                                        "eps_in_sqrt": False}),
    ("rmsprop", "centered", 2, {"learning_rate": 0.01, "eps": 0.01, "centered": True}),
    ("rmsprop", "momentum", 1, {"learning_rate": 0.01, "momentum": 0.9}),
    ("rmsprop", "nesterov", 1, {"learning_rate": 0.01, "momentum": 0.9, "nesterov": True}),
    ("rmsprop", "bias-correction", 4, {"learning_rate": 0.01, "decay": 0.99,
                                       "bias_correction": True, "initial_scale": 1.0}),
    ("rmsprop", "centered-bias-correction", 2, {"learning_rate": 0.01, "centered": True,
                                                "bias_correction": True, "eps": 0.01}),
    ("rmsprop", "eps-outside-sqrt-momentum", 1, {"learning_rate": 0.01, "eps": 0.01,
                                                 "eps_in_sqrt": False, "momentum": 0.9}),
    ("rmsprop", "momentum-cosine", 4, {"learning_rate": cosine(0.01), "momentum": 0.5}),
    ("adagrad", "default", 0, {"learning_rate": 0.5}),
    ("adagrad", "large-eps", 3, {"learning_rate": 0.5, "initial_accumulator_value": 0.5,
                                 "eps": 0.1}),
    ("adagrad", "zero-accumulator", 1, {"learning_rate": 0.5, "initial_accumulator_value": 0.0,
                                        "eps": 0.01}),
    ("adadelta", "no-learning-rate", 0, {}),
    ("adadelta", "custom", 3, {"learning_rate": 1.0, "rho": 0.95, "eps": 1e-3}),
    ("adadelta", "weight_decay", 1, {"learning_rate": 1.0, "weight_decay": 0.1}),
    ("adamax", "default", 0, {"learning_rate": 0.002}),
    ("adamax", "large-eps", 3, {"learning_rate": 0.05, "b1": 0.8, "b2": 0.99, "eps": 0.1}),
    ("adamaxw", "custom", 1, {"learning_rate": 0.05, "weight_decay": 0.5}),
    ("radam", "default", 0, {"learning_rate": 0.05}),
    ("radam", "near-threshold", 3, {"learning_rate": 0.02, "b2": 0.7}),
    ("radam", "large-eps-threshold", 2, {"learning_rate": 0.05, "b2": 0.99, "eps": 0.1,
                                         "threshold": 4.0}),
    ("radam", "nesterov", 1, {"learning_rate": 0.05, "nesterov": True, "eps_root": 1e-4}),
    ("lion", "default", 0, {"learning_rate": 0.001}),
    ("lion", "custom", 3, {"learning_rate": 0.01, "b1": 0.8, "b2": 0.95, "weight_decay": 0.1}),
    ("lion", "no-decay", 1, {"learning_rate": 0.01, "weight_decay": 0.0}),
]


def configs():
    table = [("keras", *row) for row in KERAS] + [("optax", *row) for row in OPTAX]
    return [
        {"id": f"{library}-{name}-{label}-seed{seed}", "library": library, "name": name,
         "hyper": hyper, "problem": seed}
        for library, name, label, seed, hyper in table
    ]


def main():
    start = time.perf_counter()
    OUT.mkdir(parents=True, exist_ok=True)
    problems = {seed: make_problem(seed) for seed in PROBLEMS}
    arrays = {}
    for seed, (A, b, x0) in problems.items():
        arrays[f"problem{seed}_A"], arrays[f"problem{seed}_b"], arrays[f"problem{seed}_x0"] = A, b, x0
    table = configs()
    for config in table:
        A, b, x0 = problems[config["problem"]]
        trajectory = convention_runs.run_library(
            config["library"], config["name"], config["hyper"], A, b, x0, STEPS
        )
        arrays[f"trajectory_{config['id']}"] = trajectory
        travelled = np.abs(trajectory[-1] - trajectory[0]).max()
        print(f"{config['id']:<48} moved {travelled:.3g}")
    np.savez_compressed(OUT / "conventions.npz", **arrays)
    meta = {
        "steps": STEPS,
        "dim": DIM,
        "problem": "the quadratics of scripts/make_references.py (make_problem(seed))",
        "tolerance": "max |optlib.conventions - library| <= 1e-7 * max |x| over the trajectory",
        "runs": "keras: torch backend, keras.config.set_floatx('float64'), optimizer.apply "
        "per step; optax: jax_enable_x64, optimizer.update then optax.apply_updates; "
        "gradients A x - b in numpy (tests/convention_runs.py)",
        "schedules": "cosine: keras CosineDecay(lr, total_steps, alpha=min_lr/lr), optax "
        "cosine_decay_schedule(lr, total_steps, alpha=min_lr/lr); exponential: keras "
        "ExponentialDecay(lr, 1, gamma) (Keras only: optax.exponential_decay computes in "
        "float32 even with x64); both libraries count steps from 0",
        **convention_runs.versions(),
    }
    # The chapter's tables of defaults read these, recorded from the libraries themselves.
    names = {library: sorted({c["name"] for c in table if c["library"] == library})
             for library in ("keras", "optax")}
    defaults = convention_runs.library_defaults(names["keras"], names["optax"])
    with open(OUT / "conventions.json", "w") as f:
        json.dump({"meta": meta, "defaults": defaults, "configs": table}, f, indent=1)
        f.write("\n")
    size = sum((OUT / name).stat().st_size for name in ("conventions.json", "conventions.npz"))
    seconds = time.perf_counter() - start
    print(f"wrote {len(table)} trajectories to {OUT} ({size / 1024:.0f} KiB) in {seconds:.1f} s")


if __name__ == "__main__":
    main()
