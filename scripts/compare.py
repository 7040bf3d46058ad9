"""Recompute the benchmark of Chapter 10 and write its cache (``make compare``).

    python scripts/compare.py           # the full protocol, on 2 processes
    python scripts/compare.py --trials 4 --seeds 2 --output /tmp/small.npz   # a look

Every run uses one BLAS thread (set here before numpy loads, and again in each run), so
two processes use two cores without oversubscription; the numbers do not depend on
--n-jobs.
"""

import os

for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

import argparse  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from optlib import comparison  # noqa: E402


def parse(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=comparison.TRIALS,
                        help="tuning trials per optimizer and problem")
    parser.add_argument("--seeds", type=int, default=len(comparison.FINAL_SEEDS),
                        help="seeds of the final runs (1, 2, ..., N)")
    parser.add_argument("--n-jobs", type=int, default=2, help="worker processes")
    parser.add_argument("--problems", nargs="+", choices=list(comparison.PROBLEMS))
    parser.add_argument("--optimizers", nargs="+",
                        choices=list(comparison.OPTIMIZER_NAMES))
    parser.add_argument("--output", type=Path, default=comparison.CACHE)
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse(argv)
    seeds = tuple(range(1, args.seeds + 1))
    full = (args.trials == comparison.TRIALS and seeds == comparison.FINAL_SEEDS
            and args.problems is None and args.optimizers is None)
    load_before = os.getloadavg()[0]  # other work on the machine slows the sweep
    started = time.perf_counter()
    raw = comparison.sweep(args.problems, args.optimizers, trials=args.trials,
                           seeds=seeds, n_jobs=args.n_jobs, progress=True)
    command = " ".join(sys.argv[1:] if argv is None else argv)
    path = comparison.save(raw, args.output, extra_meta={
        "budget": "full" if full else "reduced",
        "command": f"python scripts/compare.py {command}".strip(),
        "cpu_count": os.cpu_count(),
        "load_average_1min": {"before": round(load_before, 2),
                              "after": round(os.getloadavg()[0], 2)}})
    elapsed = time.perf_counter() - started
    print(f"wrote {path} ({path.stat().st_size / 1e6:.2f} MB) in {elapsed:.0f} s "
          f"(sweep {raw['seconds']:.0f} s on {args.n_jobs} processes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
