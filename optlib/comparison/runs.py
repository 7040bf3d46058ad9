"""One benchmark run, and the whole sweep over problems, optimizers, trials and seeds.

Every run is a pure function of ``(problem, optimizer, hyper, seed, split)``: the
model's initialisation and the shuffling are drawn from ``seed``, and BLAS runs on one
thread, so the numbers do not depend on the order of the runs, on the number of workers,
or on the machine's thread count (only ``seconds`` does).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from numbers import Integral

import numpy as np

from .. import training
from .protocol import (FINAL_SEEDS, OPTIMIZER_NAMES, PROBLEMS, TRIALS, TUNING_SEED,
                       check_optimizer_name, check_problem_name, dataset, default_hyper,
                       make_optimizer, search_trials)


@dataclass(frozen=True)
class Run:
    """What one run recorded. Arrays have one entry per epoch ``0 .. epochs``; after a
    divergence they hold NaN. ``test_*`` is on the validation part for a tuning run."""

    train_loss: np.ndarray
    test_loss: np.ndarray
    test_metric: np.ndarray
    diverged: bool
    seconds: float


def _padded(values, length):
    padded = np.full(length, np.nan)
    padded[:len(values)] = values
    return padded


def run(problem: str, optimizer_name: str, hyper: dict, seed: int,
        split: str = "final") -> Run:
    """Train ``problem``'s model with ``optimizer_name`` at ``hyper`` (``{}``: its
    defaults) from ``seed``, on ``split`` (``"tuning"`` or ``"final"``); a
    :class:`Run`."""
    spec = PROBLEMS[check_problem_name(problem)]
    check_optimizer_name(optimizer_name)
    if not isinstance(hyper, dict):
        raise TypeError(f"Invalid hyper: {hyper!r} "
                        "(expected a dict like {'lr': 0.01})")
    if isinstance(seed, bool) or not isinstance(seed, Integral) or seed < 0:
        raise ValueError(f"Invalid seed: {seed!r} (expected an integer >= 0)")
    data = dataset(split)
    model = spec.model()
    optimizer = make_optimizer(optimizer_name, hyper, model)
    start = time.perf_counter()
    with _one_blas_thread():
        history = training.train(model, optimizer, data, epochs=spec.epochs,
                                 batch_size=spec.batch_size, seed=int(seed))
    seconds = time.perf_counter() - start
    metric = history.test_accuracy if spec.metric == "accuracy" else history.test_loss
    length = spec.epochs + 1
    return Run(_padded(history.train_loss, length), _padded(history.test_loss, length),
               _padded(metric, length), bool(history.diverged), seconds)


def _one_blas_thread():
    from threadpoolctl import threadpool_limits
    return threadpool_limits(limits=1)


# --- the sweep ------------------------------------------------------------

def _task(args):
    problem, optimizer_name, hyper, seed, split = args
    return run(problem, optimizer_name, hyper, seed, split)


def _map(tasks, n_jobs, progress, description):
    """``run`` over ``tasks`` in order, on ``n_jobs`` processes, with a tqdm bar."""
    from joblib import Parallel, delayed, parallel_config
    from tqdm.auto import tqdm

    with parallel_config(backend="loky", inner_max_num_threads=1):
        results = Parallel(n_jobs=n_jobs, return_as="generator")(
            delayed(_task)(task) for task in tasks)
        return list(tqdm(results, total=len(tasks), desc=description, unit="run",
                         disable=not progress, smoothing=0.05))


def choose(metric, loss, diverged, higher_is_better) -> int:
    """The index of the chosen trial: the best final validation metric, ties broken by
    the lower validation loss, then by the earlier trial; a diverged trial is never
    chosen (if every trial diverged, the first)."""
    candidates = [i for i in range(len(metric))
                  if not diverged[i] and math.isfinite(metric[i])]
    if not candidates:
        return 0
    sign = -1.0 if higher_is_better else 1.0
    return min(candidates, key=lambda i: (sign * metric[i], loss[i], i))


def sweep(problems=None, optimizer_names=None, trials: int = TRIALS, seeds=FINAL_SEEDS,
          n_jobs: int = 2, progress: bool = True) -> dict:
    """Tune every optimizer on every problem, then rerun the chosen and the default
    settings with ``seeds``. Returns the raw results (what
    :func:`optlib.comparison.results.save` writes)."""
    problems = (list(PROBLEMS) if problems is None
                else [check_problem_name(p) for p in problems])
    names = (list(OPTIMIZER_NAMES) if optimizer_names is None
             else [check_optimizer_name(n) for n in optimizer_names])
    if isinstance(trials, bool) or not isinstance(trials, Integral) or trials < 1:
        raise ValueError(f"Invalid trials: {trials!r} (expected an integer >= 1)")
    if isinstance(n_jobs, bool) or not isinstance(n_jobs, Integral) or n_jobs < 1:
        raise ValueError(f"Invalid n_jobs: {n_jobs!r} (expected an integer >= 1)")
    seeds = [int(s) for s in seeds]
    if not seeds:
        raise ValueError("Invalid seeds: [] (expected at least one seed)")
    started = time.perf_counter()
    # phase 1: the tuning trials and the default runs do not depend on each other
    tuning_tasks = [(p, n, hyper, TUNING_SEED, "tuning") for p in problems
                    for n in names for hyper in search_trials(n, trials)]
    default_tasks = [(p, n, {}, s, "final")
                     for p in problems for n in names for s in seeds]
    first = _map(tuning_tasks + default_tasks, n_jobs, progress, "tuning and defaults")
    tuning_runs, default_runs = first[:len(tuning_tasks)], first[len(tuning_tasks):]
    tuning, chosen = {}, {}
    for index, (p, n) in enumerate((p, n) for p in problems for n in names):
        block = tuning_runs[index * trials:(index + 1) * trials]
        hypers = search_trials(n, trials)
        metric = [r.test_metric[-1] for r in block]
        loss = [r.test_loss[-1] for r in block]
        diverged = [r.diverged for r in block]
        best = choose(metric, loss, diverged, PROBLEMS[p].higher_is_better)
        tuning[p, n] = {"hyper": hypers, "validation_metric": metric,
                        "validation_loss": loss, "diverged": diverged,
                        "seconds": [r.seconds for r in block], "chosen": best}
        chosen[p, n] = hypers[best]
    # phase 2: the chosen settings with every seed
    tuned_tasks = [(p, n, chosen[p, n], s, "final") for p in problems for n in names
                   for s in seeds]
    tuned_runs = _map(tuned_tasks, n_jobs, progress, "tuned settings")
    finals = {}
    for index, (p, n) in enumerate((p, n) for p in problems for n in names):
        window = slice(index * len(seeds), (index + 1) * len(seeds))
        finals[p, n, "tuned"] = (chosen[p, n], tuned_runs[window])
        finals[p, n, "default"] = (default_hyper(n), default_runs[window])
    return {"problems": problems, "optimizers": names, "trials": trials, "seeds": seeds,
            "tuning": tuning, "finals": finals, "n_jobs": n_jobs,
            "seconds": time.perf_counter() - started}
