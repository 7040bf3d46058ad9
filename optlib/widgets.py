"""The book's live explorer: move the learning rate, the number of steps, the start point and the
test function, and watch the trajectories and the loss curves redraw (ipywidgets).

.. code-block:: python

    from optlib import widgets
    widgets.explore(optimizers={"SGD": lambda lr: optlib.SGD(lr), "Adam": lambda lr: optlib.Adam(lr)})

It needs a running kernel; the rendered book shows a precomputed counterpart instead. Not
imported by ``optlib`` itself: ``from optlib import widgets``.
"""

from __future__ import annotations

import io
import math
from typing import Callable, Mapping

import ipywidgets as w
import numpy as np
from IPython.display import Image, clear_output, display
from matplotlib.figure import Figure

from . import functions as test_functions
from .functions import Objective
from .optimizers import SGD
from .plotting import plot_loss, plot_trajectories
from .trajectory import minimize

Factory = Callable[[float], object]


def _chosen_functions(functions) -> dict[str, Objective]:
    """``None`` (the whole catalog), names from the catalog, objectives, or a dict name -> objective."""
    catalog = test_functions.catalog()
    if functions is None:
        return catalog
    if isinstance(functions, Mapping):
        chosen = dict(functions)
    else:
        chosen = {}
        for item in functions:
            if isinstance(item, str):
                if item not in catalog:
                    raise ValueError(f"unknown test function {item!r}; the catalog has {sorted(catalog)}")
                chosen[item] = catalog[item]
            else:
                chosen[item.name] = item
    if not chosen:
        raise ValueError("explore needs at least one test function")
    for name, f in chosen.items():
        if not isinstance(f, Objective) or f.dim not in (1, 2):
            raise ValueError(f"{name!r} must be a 1-D or 2-D functions.Objective, got {f!r}")
    return chosen


class Explorer(w.VBox):
    """The explorer's widget: ``controls`` (by name), ``output``, and after each redraw the
    ``figure``, the ``trajectories`` and the count ``redraws``. Returned by :func:`explore`."""

    def __init__(self, functions: dict[str, Objective], optimizers: dict[str, Factory],
                 lr: tuple[float, float, float], steps: int, start):
        self.functions, self.optimizers = functions, optimizers
        self.figure, self.trajectories, self.redraws = None, [], 0
        self._start = None if start is None else np.asarray(start, dtype=float)
        self._quiet = False  # True while the controls are being set together
        lr_low, lr_high, lr_value = lr
        exponents = math.log10(lr_low), math.log10(lr_high)
        style = {"description_width": "initial"}
        self.controls = {
            "function": w.Dropdown(options=[(f.name, key) for key, f in functions.items()],
                                   description="function", style=style),
            "lr": w.FloatLogSlider(value=lr_value, base=10, min=exponents[0], max=exponents[1],
                                   step=(exponents[1] - exponents[0]) / 200, description="learning rate η",
                                   readout_format=".3g", continuous_update=False, style=style),
            "steps": w.IntSlider(value=steps, min=0, max=max(4 * steps, 50), description="steps",
                                 continuous_update=False, style=style),
            "x": w.FloatSlider(description="start θ₁", continuous_update=False, style=style),
            "y": w.FloatSlider(description="start θ₂", continuous_update=False, style=style),
        }
        self.output = w.Output()
        c = self.controls
        rows = [w.HBox([c["function"], c["lr"], c["steps"]]), w.HBox([c["x"], c["y"]]), self.output]
        super().__init__(rows)
        self._show_function(self._start)
        for name, control in c.items():
            control.observe(self._on_function if name == "function" else self._on_change, names="value")
        self.redraw()

    @property
    def function(self) -> Objective:
        return self.functions[self.controls["function"].value]

    def _show_function(self, start=None):
        """Fit the start sliders to the current function's window and put them at its start."""
        f = self.function
        start = f.start if start is None or len(start) != f.dim else start
        self._quiet = True
        try:
            for i, name in enumerate(["x", "y"][: f.dim]):
                slider, (low, high) = self.controls[name], f.window[i]
                slider.min, slider.max = min(low, slider.min), max(high, slider.max)  # never min > max
                slider.value = float(np.clip(start[i], low, high))
                slider.min, slider.max, slider.step = low, high, (high - low) / 200
            self.controls["y"].layout.display = None if f.dim == 2 else "none"
        finally:
            self._quiet = False

    def _on_function(self, change):
        self._show_function()
        self.redraw()

    def _on_change(self, change):
        if not self._quiet:
            self.redraw()

    def redraw(self):
        """Run every optimizer with the controls' values and draw the paths and loss curves."""
        f, c = self.function, self.controls
        x0 = np.array([c["x"].value, c["y"].value][: f.dim])
        lr = float(c["lr"].value)
        self.trajectories = [minimize(f, x0, make(lr), int(c["steps"].value), label=label)
                             for label, make in self.optimizers.items()]
        figure = Figure(figsize=(11, 4.3), layout="constrained")
        path_ax, loss_ax = figure.subplots(1, 2)
        plot_trajectories(f, self.trajectories, ax=path_ax, title=f"{f.name}, η = {lr:.3g}")
        plot_loss(self.trajectories, ax=loss_ax, title="Loss against step")
        png = io.BytesIO()  # an image, not the figure: shows whatever the matplotlib backend
        figure.savefig(png, format="png")
        self.figure = figure
        self.redraws += 1
        with self.output:
            clear_output(wait=True)
            display(Image(data=png.getvalue(), format="png"))


def explore(functions=None, optimizers: dict[str, Factory] | None = None,
            lr: tuple[float, float, float] = (1e-4, 1.0, 0.01), steps: int = 100, start=None) -> Explorer:
    """A live explorer: sliders for the learning rate (log scale), the number of steps and the
    start point, a dropdown of test functions, and the trajectories and loss curves side by side.

    ``functions``: names from :func:`optlib.functions.catalog` (default: all of it), objectives,
    or a dict name -> objective. ``optimizers``: label -> factory ``lr -> optimizer`` (default
    ``{"SGD": lambda lr: optlib.SGD(lr=lr)}``), each run on the same settings. ``lr`` is
    ``(low, high, initial)``; ``steps`` the initial number of steps; ``start`` the initial start
    point for the first function (default: its ``start``). Returns the :class:`Explorer` widget.
    """
    functions = _chosen_functions(functions)
    optimizers = {"SGD": lambda rate: SGD(lr=rate)} if optimizers is None else dict(optimizers)
    if not optimizers:
        raise ValueError("explore needs at least one optimizer")
    if len(lr) != 3 or not (0 < lr[0] <= lr[2] <= lr[1] and lr[0] < lr[1]):
        raise ValueError(f"lr must be (low, high, initial) with 0 < low <= initial <= high, got {lr!r}")
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 0:
        raise ValueError(f"steps must be a non-negative integer, got {steps!r}")
    return Explorer(functions, optimizers, tuple(float(v) for v in lr), int(steps), start)
