"""Write the reference trajectories that tests/test_reference.py compares optlib against.

    .venv/bin/python scripts/make_references.py        (or: make references)

For every config below it runs the torch implementation of the optimizer (torch.optim, or
pytorch_optimizer for Lion and Lookahead, schedulefree for ScheduleFreeAdamW; see
tests/reference_runs.py) for STEPS steps in float64 on a random convex quadratic
f(x) = 1/2 x^T A x - b^T x (over a matrix x for Muon), and writes

* tests/references/trajectories.npz: the problems (A, b, x0) and one trajectory per config;
* tests/references/configs.json: the configs, the problem recipe and the versions used.

The problems are generated deterministically from their seed with numpy, so re-running the script
gives the same problems; the trajectories change only if torch, pytorch_optimizer or schedulefree do.
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
#: Muon's problems are over a matrix: seed -> its shape (tall, wide and square).
MATRIX_SEEDS = {5: (5, 3), 6: (3, 5), 7: (4, 4)}
MATRIX_OPTIMIZERS = ("Muon",)


def make_problem(seed, dim=DIM, columns=None):
    """A seeded SPD quadratic: eigenvalues log-spaced in [1, kappa], kappa = 10**U(1, 2).

    With ``columns``, the unknown is a ``(dim, columns)`` matrix X, the loss
    1/2 tr(X^T A X) - tr(b^T X), and b and x0 are matrices of that shape.
    """
    rng = np.random.default_rng(seed)
    kappa = 10 ** rng.uniform(1.0, 2.0)
    eigenvalues = np.geomspace(1.0, kappa, dim)
    Q, _ = np.linalg.qr(rng.standard_normal((dim, dim)))
    A = Q @ np.diag(eigenvalues) @ Q.T
    A = (A + A.T) / 2
    shape = dim if columns is None else (dim, columns)
    b = rng.standard_normal(shape) * 3.0
    x0 = rng.standard_normal(shape) * 2.0
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
    "Muon": {
        "lr": 0.05, "weight_decay": 0.01, "momentum": 0.9, "nesterov": False,
        "ns_coefficients": [3.4445, -4.775, 2.0315], "eps": 1e-5, "ns_steps": 3,
        "adjust_lr_fn": "match_rms_adamw",
    },
    "ScheduleFreeAdamW": {
        "lr": 0.05, "beta1": 0.8, "beta2": 0.99, "eps": 1e-6, "weight_decay": 0.1,
        "warmup_steps": 10, "r": 1.0, "weight_lr_power": 1.0,
    },
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
    # Scheduled learning rates: StepLR, ExponentialLR, CosineAnnealingLR, LinearLR, LambdaLR in torch.
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
        "SGD",
        "linear_decay",
        SCHEDULE_SEED,
        {"lr": {"schedule": "linear_decay", "lr": 0.015, "total_steps": 40, "min_lr": 0.003}},
    ),
    (
        "SGD",
        "inverse_time",
        SCHEDULE_SEED,
        {"lr": {"schedule": "inverse_time", "lr": 0.015, "decay_steps": 10, "power": 1.0}},
    ),
    (
        "Momentum",
        "inverse_sqrt",
        SCHEDULE_SEED,
        {"lr": {"schedule": "inverse_time", "lr": 0.01, "decay_steps": 5, "power": 0.5}},
    ),
    (
        "AdamW",
        "warmup-linear",
        SCHEDULE_SEED,
        {
            "lr": {
                "schedule": "linear_warmup",
                "lr": 0.05,
                "warmup_steps": 10,
                "after": {"schedule": "linear_decay", "lr": 0.05, "total_steps": 50, "min_lr": 0.001},
            }
        },
    ),
    # Muon: Jordan's "original" shape factor on a tall matrix, plain momentum on a wide one, and
    # the classic cubic Newton-Schulz (1.5, -0.5, 0), which converges to 1, run for 10 steps.
    ("Muon", "tall-original", 5, {"lr": 0.02, "adjust_lr_fn": "original", "weight_decay": 0.0}),
    ("Muon", "wide-momentum", 6, {"lr": 0.03, "nesterov": False, "momentum": 0.5}),
    ("Muon", "cubic", 7, {"lr": 0.03, "ns_coefficients": [1.5, -0.5, 0.0], "ns_steps": 10}),
    # Schedule-Free: a warm-up with the default weighting, and no momentum in the y sequence.
    ("ScheduleFreeAdamW", "warmup", OTHER_SEED, {"lr": 0.1, "warmup_steps": 20}),
    ("ScheduleFreeAdamW", "beta1-0.5", SCHEDULE_SEED, {"lr": 0.05, "beta1": 0.5, "r": 0.5}),
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
        for seed in MATRIX_SEEDS if name in MATRIX_OPTIMIZERS else SEEDS:
            runs.append((name, "default", seed, hyper))
    for name, hyper in NON_DEFAULT.items():
        seed = min(MATRIX_SEEDS) if name in MATRIX_OPTIMIZERS else OTHER_SEED
        runs.append((name, "custom", seed, hyper))
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
    problems = {seed: make_problem(seed) for seed in (*SEEDS, OTHER_SEED, SCHEDULE_SEED)}
    problems.update({seed: make_problem(seed, *shape) for seed, shape in MATRIX_SEEDS.items()})
    for seed, (A, b, x0) in sorted(problems.items()):
        arrays[f"problem{seed}_A"], arrays[f"problem{seed}_b"], arrays[f"problem{seed}_x0"] = A, b, x0
    table = configs()
    for config in table:
        A, b, x0 = problems[config["problem"]]
        averages = [] if config["optimizer"] == "ScheduleFreeAdamW" else None
        trajectory = reference_runs.run_torch(
            config["optimizer"], config["hyper"], A, b, x0, STEPS, averages=averages
        )
        arrays[f"trajectory_{config['id']}"] = trajectory
        if averages is not None:
            arrays[f"average_{config['id']}"] = np.array(averages)
        if config["optimizer"] == "Muon":  # as torch ships it, for the chapter's bfloat16 comparison
            arrays[f"bfloat16_{config['id']}"] = reference_runs.run_torch(
                "Muon", config["hyper"], A, b, x0, STEPS, muon_in_float64=False
            )
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
        "matrix problems": "seeds 5, 6, 7: the unknown is a (5, 3), (3, 5), (4, 4) matrix X, "
        "the loss 1/2 tr(X^T A X) - tr(b^T X), A of size rows x rows by the same recipe, b and x0 "
        "matrices (Muon, whose torch Newton-Schulz runs in float64 for these references)",
        "bfloat16": "Muon: bfloat16_* is torch.optim.Muon as shipped (Newton-Schulz in bfloat16), "
        "trajectory_* the same run with torch's Newton-Schulz in float64",
        "averages": "ScheduleFreeAdamW: trajectory_* is y (the parameters in train mode), "
        "average_* is x (the parameters after optimizer.eval())",
        "torch": torch.__version__,
        "pytorch_optimizer": metadata.version("pytorch_optimizer"),
        "schedulefree": metadata.version("schedulefree"),
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
