r"""Means, confidence intervals over seeds, and which differences are within noise.

The interval is Student's t-interval, :math:`\bar x \pm t_{0.975,\,n-1}\, s / \sqrt n`.
The t quantile is computed here from the closed form of the t distribution for an
integer number of degrees of freedom :math:`\nu` (Abramowitz & Stegun, *Handbook of
Mathematical Functions*, 26.7.3-4): with :math:`\vartheta = \arctan(t / \sqrt\nu)`,

.. math::

    P(|T| \le t) = \begin{cases}
      \sin\vartheta \sum_{j=0}^{(\nu-2)/2} c_j \cos^{2j}\vartheta,
        \quad c_0 = 1,\ c_j = c_{j-1} \frac{2j - 1}{2j} & \nu \text{ even} \\
      \frac{2}{\pi}\Bigl(\vartheta + \sin\vartheta\cos\vartheta \sum_{j=0}^{(\nu-3)/2}
        d_j \cos^{2j}\vartheta\Bigr), \quad d_0 = 1,\ d_j = d_{j-1} \frac{2j}{2j + 1}
        & \nu \text{ odd}
    \end{cases}

(the sum is empty for :math:`\nu = 1`), and the quantile by bisection.

Two optimizers ran with the same seeds (the same initialisations and the same
shuffling), so their results pair up seed by seed: the paired difference
:math:`d_s = x_s - y_s` removes the part of the noise the seed causes in both, and its
t-interval says whether the two differ.
"""

from __future__ import annotations

import math

import numpy as np


def _check_degrees(df) -> int:
    if isinstance(df, bool) or not isinstance(df, (int, np.integer)) or df < 1:
        raise ValueError(f"Invalid degrees of freedom: {df!r} "
                         "(expected an integer >= 1)")
    return int(df)


def t_central_probability(t: float, df: int) -> float:
    """:math:`P(|T| \\le t)` for Student's t with ``df`` degrees of freedom."""
    df = _check_degrees(df)
    theta = math.atan(abs(t) / math.sqrt(df))
    cos2 = math.cos(theta) ** 2
    total, term = 0.0, 1.0
    if df % 2 == 0:
        for j in range(df // 2):
            total += term
            term *= cos2 * (2 * j + 1) / (2 * j + 2)
        return math.sin(theta) * total
    for j in range((df - 1) // 2):
        total += term
        term *= cos2 * (2 * j + 2) / (2 * j + 3)
    return 2.0 / math.pi * (theta + math.sin(theta) * math.cos(theta) * total)


def t_quantile(probability: float, df: int) -> float:
    """The ``probability`` quantile of Student's t (``probability`` in (0.5, 1))."""
    if not 0.5 < probability < 1.0:
        raise ValueError(f"Invalid probability: {probability!r} "
                         "(expected a number in (0.5, 1))")
    central = 2.0 * probability - 1.0
    low, high = 0.0, 1.0
    while t_central_probability(high, df) < central:
        high *= 2.0
    for _ in range(200):  # bisection to the last bit
        middle = 0.5 * (low + high)
        if middle in (low, high):
            break
        if t_central_probability(middle, df) < central:
            low = middle
        else:
            high = middle
    return 0.5 * (low + high)


def _check_sample(values) -> np.ndarray:
    sample = np.asarray(values, dtype=np.float64)
    if sample.ndim != 1 or sample.size < 2:
        raise ValueError(f"Invalid sample: shape {sample.shape} "
                         "(expected at least 2 values)")
    if not np.all(np.isfinite(sample)):
        raise ValueError("Invalid sample: it holds nan or inf")
    return sample


def mean_interval(values, confidence: float = 0.95):
    """``(mean, standard deviation, (low, high))``: the sample's mean, its standard
    deviation (``ddof=1``) and the t-interval for the mean at ``confidence``."""
    sample = _check_sample(values)
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"Invalid confidence: {confidence!r} "
                         "(expected a number in (0, 1))")
    mean, sd = float(sample.mean()), float(sample.std(ddof=1))
    t = t_quantile(0.5 + confidence / 2.0, sample.size - 1)
    half = t * sd / math.sqrt(sample.size)
    return mean, sd, (mean - half, mean + half)


def paired_difference(first, second, confidence: float = 0.95):
    """``(mean difference, (low, high), p)`` of ``first - second`` seed by seed: the
    mean of the differences, their t-interval, and the two-sided p-value of the paired
    t-test (1.0 when every difference is zero; 0.0 when they are all equal and not
    zero)."""
    a, b = _check_sample(first), _check_sample(second)
    if a.shape != b.shape:
        raise ValueError("paired samples must have the same length, "
                         f"got {a.size} and {b.size}")
    differences = a - b
    mean, sd, interval = mean_interval(differences, confidence)
    if sd == 0.0:
        return mean, interval, 1.0 if mean == 0.0 else 0.0
    statistic = mean / (sd / math.sqrt(differences.size))
    return mean, interval, 1.0 - t_central_probability(statistic, differences.size - 1)
