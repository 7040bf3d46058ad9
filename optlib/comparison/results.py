"""The committed cache of the sweep: writing it, reading it, the summary per problem.

The cache is one compressed numpy file (``notebooks/data/comparison.npz``). Its entry
``meta`` is a JSON text (protocol, versions, timings, every tuning trial, the final
runs' settings, seeds, divergence flags and seconds); the per-epoch curves of the final
runs are float64 arrays named ``"<problem>/<optimizer>/<setting>/<field>"`` of shape
``(seeds, epochs + 1)``.
"""

from __future__ import annotations

import hashlib
import json
import math
import platform
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .protocol import PROBLEMS, check_optimizer_name, check_problem_name, protocol
from .statistics import mean_interval, paired_difference

CACHE = Path(__file__).resolve().parents[2] / "notebooks" / "data" / "comparison.npz"
FIELDS = ("train_loss", "test_loss", "test_metric")
SETTINGS = ("tuned", "default")


@dataclass(frozen=True)
class Tuning:
    """An optimizer's tuning trials on one problem (scored on the validation split)."""

    hyper: tuple
    validation_metric: np.ndarray
    validation_loss: np.ndarray
    diverged: np.ndarray
    seconds: np.ndarray
    chosen: int

    @property
    def best_hyper(self) -> dict:
        return dict(self.hyper[self.chosen])

    @property
    def runs(self) -> int:
        return len(self.hyper)

    @property
    def total_seconds(self) -> float:
        return float(self.seconds.sum())


@dataclass(frozen=True)
class Final:
    """One setting of one optimizer on one problem, rerun with every seed (test set).

    ``train_loss``, ``test_loss``, ``test_metric``: shape ``(seeds, epochs + 1)``, NaN
    after a divergence. ``final_metric``: the test metric after the last epoch, one per
    seed, a diverged run counting with its metric before training (epoch 0).
    """

    hyper: dict
    seeds: np.ndarray
    train_loss: np.ndarray
    test_loss: np.ndarray
    test_metric: np.ndarray
    diverged: np.ndarray
    seconds: np.ndarray

    @property
    def epochs(self) -> np.ndarray:
        return np.arange(self.test_metric.shape[1])

    @property
    def final_metric(self) -> np.ndarray:
        return np.where(self.diverged, self.test_metric[:, 0], self.test_metric[:, -1])


class Results:
    """The cache, read into memory. See :func:`load_results`."""

    def __init__(self, meta: dict, arrays: dict):
        self.meta = meta
        self.problems = tuple(meta["problems"])
        self.optimizers = tuple(meta["optimizers"])
        self._arrays = arrays

    def _check(self, problem, optimizer):
        if check_problem_name(problem) not in self.problems:
            raise ValueError(f"Invalid problem: {problem!r} "
                             f"(the cache holds {self.problems})")
        if check_optimizer_name(optimizer) not in self.optimizers:
            raise ValueError(f"Invalid optimizer: {optimizer!r} (the cache holds "
                             f"{self.optimizers})")

    def tuning(self, problem: str, optimizer: str) -> Tuning:
        self._check(problem, optimizer)
        record = self.meta["tuning"][problem][optimizer]
        return Tuning(tuple(record["hyper"]), _array(record["validation_metric"]),
                      _array(record["validation_loss"]), np.array(record["diverged"]),
                      _array(record["seconds"]), int(record["chosen"]))

    def final(self, problem: str, optimizer: str, setting: str = "tuned") -> Final:
        self._check(problem, optimizer)
        if setting not in SETTINGS:
            raise ValueError(f"Invalid setting: {setting!r} "
                             f"(expected one of {SETTINGS})")
        record = self.meta["finals"][problem][optimizer][setting]
        curves = {field: self._arrays[f"{problem}/{optimizer}/{setting}/{field}"]
                  for field in FIELDS}
        return Final(dict(record["hyper"]), np.array(self.meta["seeds"]), **curves,
                     diverged=np.array(record["diverged"]),
                     seconds=_array(record["seconds"]))

    def tuning_cost(self, problem: str, optimizer: str) -> tuple:
        """``(runs, seconds)`` spent tuning ``optimizer`` on ``problem``."""
        tuning = self.tuning(problem, optimizer)
        return tuning.runs, tuning.total_seconds


def _array(values) -> np.ndarray:
    return np.array([math.nan if v is None else v for v in values], dtype=np.float64)


def _json_number(value):
    return None if not math.isfinite(value) else float(value)


def _find_cache() -> Path:
    # beside the package in a checkout; else from the chapters' folder or the repository
    nearby = [Path(folder) / CACHE.name for folder in ("data", "notebooks/data")]
    for candidate in (CACHE, *nearby):
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"no benchmark cache at {CACHE}; run `make compare`")


def load_results(path=None) -> Results:
    """The committed cache, read from ``path`` (default: the repository's
    ``notebooks/data/comparison.npz``), with no computation."""
    path = _find_cache() if path is None else Path(path)
    with np.load(path, allow_pickle=False) as archive:
        meta = json.loads(str(archive["meta"]))
        arrays = {key: archive[key] for key in archive.files if key != "meta"}
    for array in arrays.values():
        array.setflags(write=False)
    return Results(meta, arrays)


# --- writing -------------------------------------------------------------------------

#: The sources that decide the numbers (hashed into the cache's versions).
SOURCES = ("optlib/comparison", "optlib/optimizers", "optlib/models.py",
           "optlib/training.py", "optlib/data.py")


def _git(root, *arguments) -> str:
    # --no-optional-locks: a read-only look that never rewrites git's index
    return subprocess.run(["git", "--no-optional-locks", *arguments], cwd=root,
                          capture_output=True, text=True, check=True).stdout.strip()


def versions() -> dict:
    """The versions that made the numbers: python, numpy, scikit-learn, joblib, the git
    commit (in a git checkout), whether :data:`SOURCES` differ from it, and a SHA-256 of
    :data:`SOURCES`."""
    import joblib
    import sklearn

    root = Path(__file__).resolve().parents[2]
    digest = hashlib.sha256()
    for source in SOURCES:
        path = root / source
        for file in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            digest.update(file.relative_to(root).as_posix().encode())
            digest.update(file.read_bytes())
    info = {"python": platform.python_version(), "numpy": np.__version__,
            "scikit-learn": sklearn.__version__, "joblib": joblib.__version__,
            "sources": list(SOURCES), "sources_sha256": digest.hexdigest(),
            "git_commit": None, "sources_modified_since_commit": None}
    try:
        info["git_commit"] = _git(root, "rev-parse", "HEAD")
        changed = _git(root, "status", "--porcelain", "--", *SOURCES)
        info["sources_modified_since_commit"] = bool(changed)
    except (OSError, subprocess.CalledProcessError):
        pass
    return info


def save(raw: dict, path=CACHE, extra_meta=None) -> Path:
    """Write the output of :func:`optlib.comparison.runs.sweep` to ``path``."""
    tuning, finals, arrays = {}, {}, {}
    for (problem, optimizer), record in raw["tuning"].items():
        tuning.setdefault(problem, {})[optimizer] = {
            "hyper": record["hyper"], "chosen": record["chosen"],
            "diverged": [bool(d) for d in record["diverged"]],
            "validation_metric": [_json_number(v) for v in record["validation_metric"]],
            "validation_loss": [_json_number(v) for v in record["validation_loss"]],
            "seconds": [round(s, 4) for s in record["seconds"]]}
    for (problem, optimizer, setting), (hyper, runs) in raw["finals"].items():
        finals.setdefault(problem, {}).setdefault(optimizer, {})[setting] = {
            "hyper": hyper, "diverged": [r.diverged for r in runs],
            "seconds": [round(r.seconds, 4) for r in runs]}
        for field in FIELDS:
            arrays[f"{problem}/{optimizer}/{setting}/{field}"] = np.stack(
                [getattr(r, field) for r in runs])
    meta = {"problems": raw["problems"], "optimizers": raw["optimizers"],
            "seeds": raw["seeds"], "protocol": protocol(raw["trials"], raw["seeds"]),
            "versions": versions(),
            "seconds": {"sweep_wall": round(raw["seconds"], 1), "n_jobs": raw["n_jobs"],
                        "run_seconds_total": round(_total_run_seconds(raw), 1)},
            "created_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "tuning": tuning, "finals": finals, **(extra_meta or {})}
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(path, meta=np.array(json.dumps(meta)), **arrays)
    return path


def _total_run_seconds(raw) -> float:
    tuned = sum(sum(record["seconds"]) for record in raw["tuning"].values())
    return tuned + sum(r.seconds for _, runs in raw["finals"].values() for r in runs)


# --- the summary ----------------------------------------------------------

@dataclass(frozen=True)
class SummaryRow:
    """One optimizer's line of a problem's table (the final test metric over seeds).

    ``ci``: the 95 % t-interval of the mean. ``rank``: 1 is the best mean (equal means
    share a rank; the first row is "the best", ties going to the book's order).
    ``difference``, ``difference_ci``, ``p_value``: the paired comparison with the best
    optimizer, seed by seed (this row minus the best). ``tied_with_best``: the
    difference's interval contains 0, so the gap to the best is within the seed-to-seed
    noise.
    """

    optimizer: str
    mean: float
    sd: float
    ci: tuple
    rank: int
    difference: float
    difference_ci: tuple
    p_value: float
    tied_with_best: bool
    n_diverged: int
    hyper: dict


def summary(results: Results, problem: str, setting: str = "tuned",
            confidence: float = 0.95) -> tuple:
    """The table of ``problem`` for ``setting`` (``"tuned"`` or ``"default"``): a tuple
    of :class:`SummaryRow`, best first."""
    finals = {name: results.final(problem, name, setting)
              for name in results.optimizers}
    sign = 1.0 if PROBLEMS[problem].higher_is_better else -1.0
    order = sorted(finals, key=lambda name: (-sign * finals[name].final_metric.mean(),
                                             results.optimizers.index(name)))
    best = finals[order[0]].final_metric
    means = {name: sign * finals[name].final_metric.mean() for name in order}
    rows = []
    for name in order:
        values = finals[name].final_metric
        # equal means share a rank
        rank = 1 + sum(other > means[name] for other in means.values())
        mean, sd, ci = mean_interval(values, confidence)
        difference, difference_ci, p_value = paired_difference(values, best, confidence)
        tied = name == order[0] or difference_ci[0] <= 0.0 <= difference_ci[1]
        rows.append(SummaryRow(name, mean, sd, ci, rank, difference, difference_ci,
                               p_value, bool(tied), int(finals[name].diverged.sum()),
                               finals[name].hyper))
    return tuple(rows)
