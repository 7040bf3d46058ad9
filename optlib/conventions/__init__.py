r"""One name, several algorithms: the Keras 3 and optax optimizers, and the papers'
algorithm boxes, as optlib optimizers.

.. code-block:: python

    from optlib import conventions
    opt = conventions.VARIANTS[("keras", "Adam")](learning_rate=0.01, epsilon=0.1)
    state = opt.init(x0)
    x1, state = opt.step(x0, grad, state)  # optlib's contract: pure, new arrays
    optlib.minimize(f, x0, conventions.optax.adamw(0.01), steps=60)

``VARIANTS`` maps ``(library, name)`` to a factory, ``library`` one of :data:`LIBRARIES`
and ``name`` that library's own spelling (``("keras", "Nadam")``, ``("optax",
"adamw")``, ``("paper", "AMSGrad")``). Each factory takes the library's own keyword
names and the defaults of the version in :data:`VERIFIED_AGAINST` (optax's
``learning_rate`` has no default), and refuses options it cannot honour (``clipnorm``,
``use_ema``, ``mask``, ``mu_dtype``...) with a ``TypeError``. Bad values raise naming
the library's keyword, e.g. ``ValueError("Invalid learning_rate: -1.0")``.

The learning rate may be a schedule: a callable of optlib's 1-based step ``t``. Keras
calls its schedules with ``iterations`` and optax with ``count``, both ``t - 1``; wrap a
library schedule ``s`` as :func:`from_step_count`\ ``(s)`` (passing a Keras or optax
schedule object directly is refused, since it would shift the rates by one step).

Every Keras and optax variant is checked against the real library
(``tests/test_conventions.py``, recorded by ``scripts/make_convention_references.py``);
the paper variants by first steps computed by hand from the algorithm boxes.
"""

from __future__ import annotations

import json
from pathlib import Path

from . import keras, optax, paper
from ._common import Variant, from_step_count

LIBRARIES = ("keras", "optax", "paper")

#: The library versions the variants were verified against.
VERIFIED_AGAINST = {"keras": keras.VERIFIED_AGAINST, "optax": optax.VERIFIED_AGAINST,
                    "paper": "hand-computed first steps from the algorithm boxes"}


def _table(module):
    return {(module.__name__.rsplit(".", 1)[-1], name): getattr(module, name)
            for name in module.__all__}


#: ``{(library, name): factory}``.
VARIANTS = {**_table(keras), **_table(optax), **_table(paper)}

#: Where ``scripts/make_convention_references.py`` records the libraries' runs and defaults.
RECORDING = Path(__file__).resolve().parents[2] / "tests" / "references" / "conventions.json"


def recorded_defaults() -> dict:
    """The defaults of the real optimizers, read from their signatures when the references were
    recorded: ``{"torch": {"Adam": {"lr": 0.001, "betas": [0.9, 0.999], ...}, ...},
    "keras": {...}, "optax": {...}}`` (``None``: no default). From the book's repository
    (``tests/references/conventions.json``), so that a table of PyTorch's defaults is read from
    PyTorch, not from optlib's own choices (``optlib.RMSprop`` uses the lecture's rho = 0.9)."""
    if not RECORDING.exists():
        raise FileNotFoundError(f"{RECORDING} is missing: run optlib from a clone of the book "
                                "(pip install -e .), or `make references` to record it")
    return json.loads(RECORDING.read_text())["defaults"]


__all__ = ["VARIANTS", "LIBRARIES", "VERIFIED_AGAINST", "Variant", "from_step_count",
           "recorded_defaults", "keras", "optax", "paper"]
