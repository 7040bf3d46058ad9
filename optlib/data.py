r"""The data the training chapters use: :func:`digits`, a small image-classification problem.

.. code-block:: python

    data = digits()              # 1347 training and 450 test images of 8x8 pixels
    data.x_train.shape           # (1347, 64), pixel intensities in [0, 1]
    data.y_train[:5]             # integer labels 0..9

The images are scikit-learn's bundled copy of the UCI handwritten digits (Alpaydin & Kaynak,
1998): 1797 grey-scale 8x8 images, 16 intensity levels. They ship inside the scikit-learn
package, so nothing is downloaded. scikit-learn is imported only here, when :func:`digits` is
called; the rest of optlib needs numpy alone.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from numbers import Integral, Real

import numpy as np


@dataclass(frozen=True)
class Dataset:
    """A classification problem split into a training and a test set (read-only arrays).

    ``x_train``: features, shape ``(n_train, n_features)``; ``y_train``: integer labels in
    ``0 .. n_classes - 1``, shape ``(n_train,)``; likewise ``x_test`` and ``y_test``.
    ``image_shape``: the shape of one example as an image (``(8, 8)`` for the digits), so
    ``x[i].reshape(image_shape)`` can be shown. ``name``: for titles.
    """

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    n_classes: int
    image_shape: tuple
    name: str

    @property
    def n_features(self) -> int:
        """The number of features of one example (64 for the digits)."""
        return self.x_train.shape[1]

    @property
    def n_train(self) -> int:
        """The number of training examples."""
        return self.x_train.shape[0]


def stratified_split(y: np.ndarray, test_fraction: float, rng: np.random.Generator):
    """Indices ``(train, test)``, shuffled: ``test_fraction`` of every class goes to the test set."""
    train, test = [], []
    for label in np.unique(y):
        members = rng.permutation(np.flatnonzero(y == label))
        n_test = int(round(test_fraction * len(members)))
        test.append(members[:n_test])
        train.append(members[n_test:])
    return rng.permutation(np.concatenate(train)), rng.permutation(np.concatenate(test))


def _check_test_fraction(test_fraction) -> float:
    if isinstance(test_fraction, bool) or not isinstance(test_fraction, Real):
        raise TypeError(f"Invalid test_fraction: {test_fraction!r} (expected a number in (0, 1))")
    value = float(test_fraction)
    if not (math.isfinite(value) and 0.0 < value < 1.0):
        raise ValueError(f"Invalid test_fraction: {test_fraction} (must be in (0, 1))")
    return value


def _check_seed(seed) -> int:
    if isinstance(seed, bool) or not isinstance(seed, Integral) or seed < 0:
        raise ValueError(f"Invalid seed: {seed!r} (expected an integer >= 0)")
    return int(seed)


def _read_only(array: np.ndarray) -> np.ndarray:
    array = np.ascontiguousarray(array)
    array.setflags(write=False)
    return array


def digits(test_fraction: float = 0.25, seed: int = 0) -> Dataset:
    """The handwritten digits, pixels scaled to ``[0, 1]``, split by class into train and test.

    ``test_fraction`` of each digit's images (shuffled with ``seed``) form the test set, so both
    sets have the same mix of classes. Features are float64 (pixel / 16), labels int64.
    """
    test_fraction = _check_test_fraction(test_fraction)
    seed = _check_seed(seed)
    try:
        from sklearn.datasets import load_digits
    except ImportError as error:  # pragma: no cover - scikit-learn is in requirements.txt
        raise ImportError("optlib.data.digits needs scikit-learn: pip install scikit-learn") from error

    bunch = load_digits()
    x = np.asarray(bunch.data, dtype=np.float64) / 16.0
    y = np.asarray(bunch.target, dtype=np.int64)
    train, test = stratified_split(y, test_fraction, np.random.default_rng(seed))
    return Dataset(
        x_train=_read_only(x[train]),
        y_train=_read_only(y[train]),
        x_test=_read_only(x[test]),
        y_test=_read_only(y[test]),
        n_classes=int(y.max()) + 1,
        image_shape=tuple(bunch.images.shape[1:]),
        name="digits",
    )
