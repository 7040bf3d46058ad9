r"""Which optimizer should I use? Chapter 10's benchmark, its cache and its statistics.

.. code-block:: python

    from optlib import comparison
    results = comparison.load_results()     # the committed cache, no computation
    results.final("mlp", "Adam").final_metric   # test accuracy, one per seed
    comparison.summary(results, "mlp")      # mean, sd, 95 % interval, rank, ties

The protocol (:mod:`.protocol`) follows Schmidt, Schneider & Hennig (2021) and Choi et
al. (2019): the same number of quasi-random trials for every optimizer over its own
search space, scored on a validation split of the training set; the chosen setting and
the defaults rerun with ten seeds on the test set. :func:`sweep` runs it on two
processes (joblib) and :func:`save` writes the cache; ``scripts/compare.py`` does both
(``make compare``).
"""

from .protocol import (FINAL_SEEDS, NOTES, OPTIMIZER_NAMES, PROBLEMS, SEARCH_SPACES,
                       TRIALS, Dimension, Problem, dataset, default_hyper, halton,
                       make_optimizer, search_trials, validation_indices)
from .results import (CACHE, Final, Results, SummaryRow, Tuning, load_results, save,
                      summary, versions)
from .runs import Run, choose, run, sweep
from .statistics import (mean_interval, paired_difference, t_central_probability,
                         t_quantile)

__all__ = [
    "FINAL_SEEDS", "NOTES", "OPTIMIZER_NAMES", "PROBLEMS", "SEARCH_SPACES", "TRIALS",
    "Dimension", "Problem", "dataset", "default_hyper", "halton", "make_optimizer",
    "search_trials", "validation_indices", "CACHE", "Final", "Results", "SummaryRow",
    "Tuning", "load_results", "save", "summary", "versions", "Run", "choose", "run",
    "sweep", "mean_interval", "paired_difference", "t_central_probability",
    "t_quantile",
]
