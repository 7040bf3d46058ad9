"""Write the reference trajectories that tests/test_reference.py compares optlib against.

    .venv/bin/python scripts/make_references.py        (or: make references)

For every config below it runs the torch implementation of the optimizer (torch.optim, or
pytorch_optimizer for Lion and Lookahead; see tests/reference_runs.py) for STEPS steps in float64
on a random convex quadratic f(x) = 1/2 x^T A x - b^T x, and writes

* tests/references/trajectories.npz: the problems (A, b, x0) and one trajectory per config;
* tests/references/configs.json: the configs, the problem recipe and the versions used.

The problems are generated deterministically from their seed with numpy, so re-running the script
gives the same problems; the trajectories change only if torch or pytorch_optimizer do.
"""

from __future__ import annotations

import json
import platform
import sys
from importlib import metadata
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import reference_runs  # noqa: E402

OUT = ROOT / "tests" / "references"
STEPS = 60
DIM = 5
SEEDS = (0, 1, 2)  # every optimizer, default hyperparameters
OTHER_SEED = 3  # every optimizer, non-default hyperparameters
SCHEDULE_SEED = 4  # scheduled learning rates


def make_problem(seed, dim=DIM):
    """A seeded SPD quadratic: eigenvalues log-spaced in [1, kappa], kappa = 10**U(1, 2)."""
    rng = np.random.default_rng(seed)
    kappa = 10 ** rng.uniform(1.0, 2.0)
    eigenvalues = np.geomspace(1.0, kappa, dim)
    Q, _ = np.linalg.qr(rng.standard_normal((dim, dim)))
    A = Q @ np.diag(eigenvalues) @ Q.T
    A = (A + A.T) / 2
    b = rng.standard_normal(dim) * 3.0
    x0 = rng.standard_normal(dim) * 2.0
    return A, b, x0


# Non-default hyperparameters: each one moved away from its default, with learning rates large
# enough that the trajectories travel.
NON_DEFAULT = {
    "SGD": {"lr": 0.015},
    "Momentum": {"lr": 0.005, "momentum": 0.5},
    "Nesterov": {"lr": 0.004, "momentum": 0.95},
    "AdaGrad": {"lr": 0.5, "eps": 1e-3},
    "RMSprop": {"lr": 0.05, "rho": 0.5, "eps": 1e-4},
    "AdaDelta": {"lr": 0.5, "rho": 0.8, "eps": 1e-3},
    "Adam": {"lr": 0.1, "beta1": 0.8, "beta2": 0.99, "eps": 1e-3},
    "AMSGrad": {"lr": 0.1, "beta1": 0.5, "beta2": 0.9, "eps": 1e-6},
    "AdamW": {"lr": 0.05, "beta1": 0.85, "beta2": 0.99, "eps": 1e-6, "weight_decay": 0.5},
    "AdaMax": {"lr": 0.05, "beta1": 0.8, "beta2": 0.99, "eps": 1e-4},
    "NAdam": {"lr": 0.05, "beta1": 0.95, "beta2": 0.99, "eps": 1e-6, "momentum_decay": 0.05},
    "RAdam": {"lr": 0.05, "beta1": 0.8, "beta2": 0.99, "eps": 1e-6},
    "Lion": {"lr": 0.01, "beta1": 0.8, "beta2": 0.95, "weight_decay": 0.1},
    "Lookahead": {"inner": {"name": "Adam", "hyper": {"lr": 0.05}}, "k": 3, "alpha": 0.8},
    "Ranger": {"lr": 0.05, "beta1": 0.9, "beta2": 0.99, "eps": 1e-6, "k": 4, "alpha": 0.6},
}

# Lookahead has no default inner optimizer; its default-hyperparameter runs wrap plain SGD.
DEFAULT_RUNS = {name: {} for name in NON_DEFAULT}
DEFAULT_RUNS["Lookahead"] = {"inner": {"name": "SGD", "hyper": {}}}


def cosine(lr, total_steps, min_lr=0.0):
    return {"schedule": "cosine", "lr": lr, "total_steps": total_steps, "min_lr": min_lr}


EXTRA = [
    # RAdam with rho_inf = 5.67: the switch to the rectified update happens late, near the threshold.
    ("RAdam", "rho-near-threshold", OTHER_SEED, {"lr": 0.02, "beta2": 0.7}),
    (
        "Lookahead",
        "momentum-k1",
        OTHER_SEED,
        {"inner": {"name": "Momentum", "hyper": {"lr": 0.005}}, "k": 1, "alpha": 0.3},
    ),
    # Scheduled learning rates: StepLR, ExponentialLR, CosineAnnealingLR, LambdaLR in torch.
    (
        "SGD",
        "step_decay",
        SCHEDULE_SEED,
        {"lr": {"schedule": "step_decay", "lr": 0.015, "drop_every": 20, "factor": 0.5}},
    ),
    ("SGD", "warmup", SCHEDULE_SEED, {"lr": {"schedule": "linear_warmup", "lr": 0.015, "warmup_steps": 10}}),
    (
        "Momentum",
        "warmup",
        SCHEDULE_SEED,
        {"lr": {"schedule": "linear_warmup", "lr": 0.01, "warmup_steps": 10}},
    ),
    (
        "Momentum",
        "exponential",
        SCHEDULE_SEED,
        {"lr": {"schedule": "exponential", "lr": 0.01, "gamma": 0.97}},
    ),
    ("Nesterov", "cosine", SCHEDULE_SEED, {"lr": cosine(0.01, 60, 1e-4)}),
    ("Adam", "cosine", SCHEDULE_SEED, {"lr": cosine(0.1, 60)}),
    (
        "Adam",
        "warmup-cosine",
        SCHEDULE_SEED,
        {"lr": {"schedule": "linear_warmup", "lr": 0.1, "warmup_steps": 10, "after": cosine(0.1, 50, 1e-3)}},
    ),
    ("AdamW", "cosine", SCHEDULE_SEED, {"lr": cosine(0.05, 60), "weight_decay": 0.5}),
    (
        "Lookahead",
        "momentum-exponential",
        SCHEDULE_SEED,
        {
            "inner": {
                "name": "Momentum",
                "hyper": {"lr": {"schedule": "exponential", "lr": 0.01, "gamma": 0.97}},
            }
        },
    ),
]


def configs():
    runs = []
    for name, hyper in DEFAULT_RUNS.items():
        for seed in SEEDS:
            runs.append((name, "default", seed, hyper))
    for name, hyper in NON_DEFAULT.items():
        runs.append((name, "custom", OTHER_SEED, hyper))
    runs.extend(EXTRA)
    return [
        {
            "id": f"{name}-{label}-seed{seed}",
            "optimizer": name,
            "hyper": hyper,
            "resolved": reference_runs.resolved(name, hyper),
            "problem": seed,
        }
        for name, label, seed, hyper in runs
    ]


def main():
    import torch

    OUT.mkdir(parents=True, exist_ok=True)
    arrays = {}
    for seed in sorted({*SEEDS, OTHER_SEED, SCHEDULE_SEED}):
        A, b, x0 = make_problem(seed)
        arrays[f"problem{seed}_A"], arrays[f"problem{seed}_b"], arrays[f"problem{seed}_x0"] = A, b, x0
    table = configs()
    for config in table:
        seed = config["problem"]
        A, b, x0 = arrays[f"problem{seed}_A"], arrays[f"problem{seed}_b"], arrays[f"problem{seed}_x0"]
        trajectory = reference_runs.run_torch(config["optimizer"], config["hyper"], A, b, x0, STEPS)
        arrays[f"trajectory_{config['id']}"] = trajectory
        travelled = np.abs(trajectory[-1] - trajectory[0]).max()
        print(f"{config['id']:<40} moved {travelled:.3g}")
    np.savez_compressed(OUT / "trajectories.npz", **arrays)
    meta = {
        "steps": STEPS,
        "dim": DIM,
        "problem": "f(x) = 1/2 x^T A x - b^T x, A = Q diag(geomspace(1, kappa, dim)) Q^T, "
        "kappa = 10**U(1, 2), b = 3 N(0, 1), x0 = 2 N(0, 1), from numpy.random.default_rng(seed) "
        "in that order (see scripts/make_references.py)",
        "tolerance": "max |optlib - torch| <= 1e-7 * max |x| over the trajectory",
        "torch": torch.__version__,
        "pytorch_optimizer": metadata.version("pytorch_optimizer"),
        "numpy": np.__version__,
        "python": platform.python_version(),
    }
    with open(OUT / "configs.json", "w") as f:
        json.dump({"meta": meta, "configs": table}, f, indent=1)
        f.write("\n")
    size = sum(p.stat().st_size for p in OUT.iterdir())
    print(f"wrote {len(table)} trajectories to {OUT} ({size / 1024:.0f} KiB)")


if __name__ == "__main__":
    main()
