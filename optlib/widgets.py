"""The book's live explorer: move the hyperparameters, the number of steps, the start point and the
test function, pick the optimizers to compare, and watch the trajectories and loss curves redraw.

.. code-block:: python

    from optlib import widgets
    widgets.explore()                                        # any of optlib's 17 optimizers
    widgets.explore(optimizers=["SGD", "Momentum", "Adam"])  # a few of them
    widgets.explore(optimizers={"gradient descent": lambda lr: optlib.SGD(lr)})  # your own

``explore(..., noise=0.5)`` adds a slider for the standard deviation of Gaussian noise added to
every gradient (a model of stochastic gradients, see :func:`optlib.minimize`) and one for its seed.

A factory's parameters named like the sliders (``lr``, ``momentum``, ``rho``, ``beta1``,
``beta2``, ``eps``) receive the sliders' values, and only the sliders of the chosen optimizers
are shown; every other hyperparameter keeps the optimizer's default. Every arrow-key press on a
slider changes the picture: the learning rate moves by a factor 10^0.05, ε by 10^0.5, and the
decays γ, ρ, β₁, β₂ through :data:`DECAYS` (0.05 apart up to 0.9, then 1 − γ on a log scale).
A line under the list of optimizers says how to pick several (Ctrl/⌘-click, Shift-click).
Each optimizer has its colour of the whole book (:func:`optlib.plotting.style_for`).

A slider answers within 100 ms (``make bench`` measures it) because a change redraws only
what changed: the contours, frames, titles and axis labels of each function are drawn once and
kept as pixels; the legend sits in a column of its own, so its pixels are kept for each set of
labels; the loss plot's axes and ticks are reused, with plain-text tick labels; and each
optimizer's run is kept until one of its own settings moves.

It needs a running kernel; the rendered book shows a precomputed counterpart instead. Not
imported by ``optlib`` itself: ``from optlib import widgets``.
"""

from __future__ import annotations

import inspect
import io
import math
from typing import Callable, Mapping

import ipywidgets as w
import matplotlib as mpl
import numpy as np
import PIL.Image
from IPython.display import Image, clear_output, display
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import (AutoLocator, FixedFormatter, FixedLocator, LogLocator, MaxNLocator,
                               NullLocator)

from . import functions as test_functions
from . import optimizers as library
from .functions import Objective
from .plotting import contour, plot_loss, plot_trajectories
from .trajectory import check_noise, minimize

Factory = Callable[..., object]

#: The hyperparameter sliders, by the name a factory's parameter must have to receive the value.
HYPERPARAMETERS = ("lr", "momentum", "rho", "beta1", "beta2", "eps")
#: Titles at a fixed height: matplotlib's automatic placement measures every tick label each draw.
FAST_DRAWING = {"axes.titley": 1.0}
#: Where the legend column starts, in figure coordinates: to the right of both plots.
LEGEND_LEFT = 0.80
#: The optimizers compared when the catalog is used and nothing else is said.
DEFAULT_SELECTION = ("SGD", "Momentum", "Adam")


def _loss_label(f: Objective) -> str:
    """The loss plot's y label, as :func:`optlib.plotting.plot_loss` writes it for ``f``."""
    return r"$J(\theta_t) - J^\star$" if np.isfinite(f.min_value) else r"$J(\theta_t)$"


_SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def _is_power_of_ten(value: float) -> bool:
    exponent = math.log10(value)
    return abs(exponent - round(exponent)) < 1e-9


def _tick_label(value: float, digits: int) -> str:
    """10⁻³, 2.5×10⁻³ or 4.5 as plain text, with at most ``digits`` significant digits: as quick
    to draw as any label, where mathtext takes milliseconds. Powers of ten are always written
    as such, so that a log axis over several decades reads 10⁻⁶ ... 10⁰."""
    if not (value > 0 and math.isfinite(value)):
        return ""
    if 1e-2 <= value < 1e3 and not _is_power_of_ten(value):  # 0.25, 4.5, 120: short as they are
        return f"{value:.{digits}g}"
    exponent = math.floor(math.log10(value) + 1e-9)
    mantissa = float(f"{value / 10.0**exponent:.{digits}g}")
    if mantissa >= 10:  # 9.999... rounded up
        mantissa, exponent = mantissa / 10, exponent + 1
    power = "10" + str(exponent).translate(_SUPERSCRIPTS)
    return power if mantissa == 1 else f"{mantissa:.{digits}g}×{power}"


def _log_ticks(low: float, high: float) -> list[float]:
    """At least two ticks inside [low, high] of a log axis: powers of ten when the range spans
    several decades, then 1-2-5 steps, then any round numbers (a loss that stays in one
    decade, as on the hilly curve)."""
    for subs in ((1.0,), (1.0, 2.0, 5.0), tuple(range(1, 10))):
        ticks = [v for v in LogLocator(base=10, subs=subs, numticks=12).tick_values(low, high)
                 if low <= v <= high]
        if len(ticks) >= 2:
            return ticks[:: max(1, math.ceil(len(ticks) / 6))]
    return [v for v in MaxNLocator(nbins=4).tick_values(low, high) if low <= v <= high and v > 0]


def _fast_ticks(ax):
    """Fewer, plain-text tick labels on the loss plot, which is redrawn at every change."""
    ax.yaxis.set_minor_locator(NullLocator())
    if ax.get_yscale() == "log":
        ticks = _log_ticks(*sorted(ax.get_ylim()))
        for digits in range(2, 16):  # as few digits as keep the labels apart
            labels = [_tick_label(value, digits) for value in ticks]
            if len(set(labels)) == len(labels):
                break
        ax.yaxis.set_major_locator(FixedLocator(ticks))
        ax.yaxis.set_major_formatter(FixedFormatter(labels))


class FromSliders:
    """Makes an optimizer from the sliders it takes (``sliders``), by keyword; everything else
    keeps the optimizer's own default."""

    def __init__(self, make: Factory, sliders):
        self.make, self.sliders = make, tuple(sliders)

    def __call__(self, **values):
        return self.make(**{name: values[name] for name in self.sliders})


def catalog() -> dict[str, FromSliders]:
    """optlib's optimizers by name, in the book's order. Lookahead wraps Adam; Muon sees each
    point as a 1 x 2 matrix (:class:`optlib.MuonOnPoints`); Schedule-Free AdamW's path is its
    average x, the point it evaluates."""
    def takes(cls):
        return [name for name in inspect.signature(cls).parameters if name in HYPERPARAMETERS]

    factories = {name: FromSliders(getattr(library, name), takes(getattr(library, name)))
                 for name in library.OPTIMIZERS}
    factories["Lookahead"] = FromSliders(
        lambda lr, beta1, beta2, eps: library.Lookahead(library.Adam(lr, beta1, beta2, eps)),
        ["lr", "beta1", "beta2", "eps"])
    # A point of a test function is a 1 x 2 matrix to Muon: normalised momentum.
    factories["Muon"] = FromSliders(
        lambda lr, momentum: library.MuonOnPoints(lr=lr, momentum=momentum), ["lr", "momentum"])
    return factories


def from_sliders(factory: Factory) -> FromSliders:
    """A user's factory: its parameters named like the sliders get their values; a factory
    ``lr -> optimizer`` whose one parameter has another name gets the learning rate."""
    if isinstance(factory, FromSliders):
        return factory
    names = [name for name in inspect.signature(factory).parameters if name in HYPERPARAMETERS]
    if names:
        return FromSliders(factory, names)
    return FromSliders(lambda lr: factory(lr), ["lr"])


def _chosen_functions(functions) -> dict[str, Objective]:
    """``None`` (the whole catalog), names from the catalog, objectives, or a dict name -> objective."""
    known = test_functions.catalog()
    if functions is None:
        return known
    if isinstance(functions, Mapping):
        chosen = dict(functions)
    else:
        chosen = {}
        for item in functions:
            if isinstance(item, str):
                if item not in known:
                    raise ValueError(f"unknown test function {item!r}; the catalog has {sorted(known)}")
                chosen[item] = known[item]
            else:
                chosen[item.name] = item
    if not chosen:
        raise ValueError("explore needs at least one test function")
    for name, f in chosen.items():
        if not isinstance(f, Objective) or f.dim not in (1, 2):
            raise ValueError(f"{name!r} must be a 1-D or 2-D functions.Objective, got {f!r}")
    return chosen


def _chosen_optimizers(optimizers) -> dict[str, FromSliders]:
    """``None`` (all of optlib's), names of optlib's optimizers, or a dict label -> factory."""
    known = catalog()
    if optimizers is None:
        return known
    if isinstance(optimizers, Mapping):
        return {str(label): from_sliders(make) for label, make in optimizers.items()}
    unknown = [name for name in optimizers if name not in known]
    if unknown:
        raise ValueError(f"unknown optimizers {unknown}; optlib has {list(known)}")
    return {name: known[name] for name in optimizers}


#: The values of a decay slider (γ, ρ, β₁, β₂): steps of 0.05 up to 0.9, then 1 − γ on a 1-2-5
#: log scale down to 10⁻⁴, where the averaging window 1/(1 − γ) changes the picture. Each arrow
#: key moves to the next value, so every press is visible.
DECAYS = (*(round(0.05 * k, 2) for k in range(19)),
          0.95, 0.98, 0.99, 0.995, 0.998, 0.999, 0.9995, 0.9998, 0.9999)
#: One arrow key on the log-scale sliders: η × 10^0.05 ≈ 1.12, ε × 10^0.5 ≈ 3.2 (ε matters by
#: orders of magnitude).
LOG_STEPS = {"lr": 0.05, "eps": 0.5}
#: How to compare several optimizers in the list: said beside it, since a plain click selects one.
SELECTION_HINT = ("Ctrl-click (⌘-click on a Mac) to add or remove an optimizer, "
                  "Shift-click for a range.")


def _decay_slider(label: str, value: float) -> w.SelectionSlider:
    """A slider over :data:`DECAYS` (and the given value, if it is not one of them)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < 1:
        raise ValueError(f"{label} must be a number in [0, 1), got {value!r}")
    options = sorted({*DECAYS, float(value)})
    return w.SelectionSlider(options=[(f"{v:g}", v) for v in options], value=float(value),
                             description=label, style={"description_width": "initial"},
                             continuous_update=False)


def _slider(name: str, value: float, lr_range: tuple[float, float]) -> w.Widget:
    style, quiet = {"description_width": "initial"}, dict(continuous_update=False)
    if name in ("lr", "eps"):
        low, high = (math.log10(v) for v in (lr_range if name == "lr" else (1e-12, 1.0)))
        label = "learning rate η" if name == "lr" else "ε"
        return w.FloatLogSlider(value=value, base=10, min=low, max=high, step=LOG_STEPS[name],
                                description=label, readout_format=".3g", style=style, **quiet)
    label = {"momentum": "momentum γ", "rho": "decay ρ", "beta1": "β₁", "beta2": "β₂"}[name]
    return _decay_slider(label, value)


class Explorer(w.VBox):
    """The explorer's widget: ``controls`` (by name), ``output``, and after each redraw the
    ``figure``, the ``trajectories`` and the count ``redraws``. Returned by :func:`explore`."""

    def __init__(self, functions: dict[str, Objective], optimizers: dict[str, FromSliders],
                 selected, lr: tuple[float, float], values: dict[str, float], steps: int, start,
                 noise: tuple[float, float] | None = None):
        self.functions, self.optimizers = functions, optimizers
        self.figure, self.trajectories, self.redraws = None, [], 0
        self._backgrounds = {}  # function key -> (figure, lines of its contour plot, its pixels)
        self._runs = {}  # (optimizer, function, start, steps, its sliders' values) -> trajectory
        self._legends = {}  # (function, labels) -> the legend's pixels
        self._quiet = False  # True while the controls are being set together
        style = {"description_width": "initial"}
        noise_slider = (1.0, 0.0) if noise is None else noise
        c = self.controls = {
            "function": w.Dropdown(options=[(f.name, key) for key, f in functions.items()],
                                   description="function", style=style),
            "optimizers": w.SelectMultiple(options=list(optimizers), value=tuple(selected), rows=5,
                                           description="optimizers", style=style),
            **{name: _slider(name, values[name], lr) for name in HYPERPARAMETERS},
            "steps": w.IntSlider(value=steps, min=0, max=max(4 * steps, 50), description="steps",
                                 step=_steps_step(steps), continuous_update=False, style=style),
            "noise": w.FloatSlider(value=noise_slider[1], min=0.0, max=noise_slider[0],
                                   step=noise_slider[0] / 20,
                                   description="gradient noise σ", readout_format=".3g",
                                   continuous_update=False, style=style),
            "seed": w.IntSlider(value=0, min=0, max=99, description="noise seed",
                                continuous_update=False, style=style),
            "x": w.FloatSlider(description="start θ₁", continuous_update=False, style=style),
            "y": w.FloatSlider(description="start θ₂", continuous_update=False, style=style),
        }
        c["optimizers"].layout.display = None if len(optimizers) > 1 else "none"
        if noise is None:
            c["noise"].layout.display = c["seed"].layout.display = "none"
        self.output = w.Output()
        sliders = w.VBox([c[name] for name in (*HYPERPARAMETERS, "steps", "noise", "seed", "x", "y")])
        self.hint = w.HTML(f"<small>{SELECTION_HINT}</small>", layout=w.Layout(max_width="22em"))
        self.hint.layout.display = c["optimizers"].layout.display
        choices = w.VBox([c["function"], c["optimizers"], self.hint])
        super().__init__([w.HBox([choices, sliders]), self.output])
        self._show_function(None if start is None else np.asarray(start, dtype=float))
        self._show_sliders()
        for name, control in c.items():
            control.observe(self._on_change, names="value")
        self.redraw()

    @property
    def function(self) -> Objective:
        return self.functions[self.controls["function"].value]

    @property
    def selected(self) -> list[str]:
        """The labels of the optimizers being compared, in the order of the list."""
        chosen = set(self.controls["optimizers"].value)
        return [label for label in self.optimizers if label in chosen]

    def _show_sliders(self):
        """Show only the hyperparameter sliders that the chosen optimizers take."""
        used = {name for label in self.selected for name in self.optimizers[label].sliders}
        for name in HYPERPARAMETERS:
            self.controls[name].layout.display = None if name in used else "none"

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
                slider.min, slider.max, slider.step = low, high, (high - low) / 50
            self.controls["y"].layout.display = None if f.dim == 2 else "none"
        finally:
            self._quiet = False

    def _on_change(self, change):
        if self._quiet:
            return
        if change["owner"] is self.controls["function"]:
            self._show_function()
        if change["owner"] is self.controls["optimizers"]:
            self._show_sliders()
        self.redraw()

    def _background(self):
        """The figure of the current function with everything that does not change drawn once and
        kept as pixels: the contours, the axes' frames, titles and labels."""
        key = self.controls["function"].value
        if key not in self._backgrounds:
            figure = Figure(figsize=(11, 4.3), dpi=90)
            FigureCanvasAgg(figure)
            path_ax, loss_ax = figure.subplots(1, 2, gridspec_kw=dict(left=0.055, right=LEGEND_LEFT - 0.01,
                                                                      bottom=0.12, top=0.92, wspace=0.25))
            contour(self.function, ax=path_ax)
            path_ax.set_title("")
            path_ax.get_legend().set_visible(False)
            for axis in (loss_ax.xaxis, loss_ax.yaxis):
                axis.set_major_locator(NullLocator())
                axis.set_minor_locator(NullLocator())
            loss_ax.set(title="Loss against step", xlabel="step $t$", ylabel=_loss_label(self.function))
            loss_ax.xaxis.set_label_coords(0.5, -0.1)  # fixed: they are drawn once, whatever the ticks
            loss_ax.yaxis.set_label_coords(-0.17, 0.5)
            figure.canvas.draw()
            pixels = figure.canvas.copy_from_bbox(figure.bbox)
            loss_ax.xaxis.set_major_locator(AutoLocator())  # the ticks are drawn at every redraw
            self._backgrounds[key] = (figure, len(path_ax.lines), pixels)
        return self._backgrounds[key]

    def redraw(self):
        """Run every chosen optimizer with the controls' values; redraw the paths and loss curves."""
        f, c = self.function, self.controls
        x0 = np.array([c["x"].value, c["y"].value][: f.dim])
        values = {name: float(c[name].value) for name in HYPERPARAMETERS}
        self.trajectories = [self._run(label, x0, values) for label in self.selected]
        with mpl.rc_context(FAST_DRAWING):
            self.figure = self._draw(f, f"{f.name}, η = {values['lr']:.3g}")
        self.redraws += 1
        with self.output:
            clear_output(wait=True)
            display(Image(data=self._png(), format="png"))

    def _run(self, label, x0, values):
        """One optimizer's trajectory; kept, so that moving β₂ does not rerun SGD."""
        make, steps = self.optimizers[label], int(self.controls["steps"].value)
        noise, seed = float(self.controls["noise"].value), int(self.controls["seed"].value)
        key = (label, self.controls["function"].value, tuple(x0), steps, noise, seed,
               tuple(values[name] for name in make.sliders))
        if key not in self._runs:
            if len(self._runs) > 256:
                self._runs.clear()
            self._runs[key] = minimize(self.function, x0, make(**values), steps, label=label,
                                       noise=noise, seed=seed)
        return self._runs[key]

    def _draw(self, f, title) -> Figure:
        """Over the kept pixels, only what changed: the paths, the loss curves and their ticks, and
        the legend (its pixels are kept too, for each set of labels)."""
        figure, contour_lines, pixels = self._background()
        path_ax, loss_ax = figure.axes
        for line in [*path_ax.lines[contour_lines:], *loss_ax.lines]:
            line.remove()
        loss_ax.relim()  # forget the old curves' limits; the axes and their ticks are reused
        loss_ax.set_autoscale_on(True)
        if self.trajectories:
            plot_trajectories(f, self.trajectories, ax=path_ax, title=title, contours=False)
            plot_loss(self.trajectories, ax=loss_ax, title="Loss against step")
            loss_ax.get_legend().remove()  # the paths' legend names the same colours
            _fast_ticks(loss_ax)
            handles, labels = path_ax.get_legend_handles_labels()
            path_ax.legend(handles, [label.replace(" (", "\n(") for label in labels], loc="upper left",
                           bbox_to_anchor=(LEGEND_LEFT, 0.92), bbox_transform=figure.transFigure,
                           borderaxespad=0.0, fontsize=9)
        else:
            path_ax.set_title(title)
            path_ax.get_legend().set_visible(False)
            loss_ax.set_title("Choose at least one optimizer")
        for text in (loss_ax.title, loss_ax.xaxis.label, loss_ax.yaxis.label):
            text.set_visible(not self.trajectories)  # else the kept pixels show them
        canvas = figure.canvas
        canvas.restore_region(pixels)
        for artist in [*path_ax.lines[contour_lines:], path_ax.title]:
            path_ax.draw_artist(artist)
        if self.trajectories:
            for artist in [*loss_ax.lines, loss_ax.xaxis, loss_ax.yaxis]:
                loss_ax.draw_artist(artist)
            self._draw_legend(path_ax.get_legend(), labels)
        else:
            loss_ax.draw_artist(loss_ax.title)
        return figure

    def _draw_legend(self, legend, labels):
        """Draw the legend, or paste its kept pixels: it sits outside both axes, alone."""
        key = (self.controls["function"].value, tuple(labels))
        canvas = legend.figure.canvas
        if key in self._legends:
            canvas.restore_region(self._legends[key])
            return
        legend.axes.draw_artist(legend)
        box = legend.get_window_extent().padded(4)  # with the antialiased edge of its frame
        if len(self._legends) > 64:
            self._legends.clear()
        self._legends[key] = canvas.copy_from_bbox(box)

    def _png(self) -> bytes:
        """The figure's pixels as a PNG (an image shows whatever the matplotlib backend)."""
        png = io.BytesIO()
        PIL.Image.frombuffer("RGBA", self.figure.canvas.get_width_height(),
                             self.figure.canvas.buffer_rgba()).save(png, format="png", compress_level=1)
        return png.getvalue()


def explore(functions=None, optimizers=None, lr: tuple[float, float, float] = (1e-4, 1.0, 0.01),
            steps: int = 100, start=None, selected=None, momentum: float = 0.9, rho: float = 0.9,
            beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8, noise: float | None = None,
            noise_max: float | None = None) -> Explorer:
    """A live explorer: sliders for the hyperparameters (learning rate and ε on a log scale), the
    number of steps and the start point, a dropdown of test functions, a list of optimizers to
    compare, and the trajectories and loss curves side by side.

    ``functions``: names from :func:`optlib.functions.catalog` (default: all of it), objectives,
    or a dict name -> objective. ``optimizers``: names of optlib's optimizers (default: all 15),
    or a dict label -> factory whose parameters named ``lr``, ``momentum``, ``rho``, ``beta1``,
    ``beta2`` or ``eps`` receive the sliders' values (a one-parameter factory gets the learning
    rate). ``selected``: the ones compared at first (default: SGD, Momentum and Adam from the
    catalog, else all given). ``lr`` is ``(low, high, initial)``; ``steps`` the initial number
    of steps; ``start`` the first function's start point (default: its ``start``);
    ``momentum``, ``rho`` (RMSprop's and AdaDelta's decay), ``beta1``, ``beta2``, ``eps`` the
    sliders' initial values. ``noise``: if given, the initial standard deviation of the gradient
    noise, with a slider up to ``noise_max`` (default: 4 × ``noise``, at least 1) and a slider
    for its seed. Returns the :class:`Explorer` widget.
    """
    functions, factories = _chosen_functions(functions), _chosen_optimizers(optimizers)
    if not factories:
        raise ValueError("explore needs at least one optimizer")
    if selected is None:
        selected = DEFAULT_SELECTION if optimizers is None else list(factories)
    if any(label not in factories for label in selected):
        raise ValueError(f"selected must name some of {list(factories)}, got {selected!r}")
    if len(lr) != 3 or not (0 < lr[0] <= lr[2] <= lr[1] and lr[0] < lr[1]):
        raise ValueError(f"lr must be (low, high, initial) with 0 < low <= initial <= high, got {lr!r}")
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 0:
        raise ValueError(f"steps must be a non-negative integer, got {steps!r}")
    values = dict(lr=float(lr[2]), momentum=momentum, rho=rho, beta1=beta1, beta2=beta2, eps=eps)
    return Explorer(functions, factories, selected, (float(lr[0]), float(lr[1])), values, int(steps), start,
                    _noise_slider(noise, noise_max))


def _steps_step(steps: int) -> int:
    """The steps slider's arrow key: 1/20 of the initial number of steps (at least 1), so that
    the curves visibly lengthen, and the initial number stays on the slider's grid."""
    for step in range(max(1, steps // 20), 0, -1):
        if steps % step == 0:
            return step
    return 1


def _noise_slider(noise, noise_max) -> tuple[float, float] | None:
    """(high, initial) of the noise slider, or None for exact gradients and no slider."""
    if noise is None:
        if noise_max is not None:
            raise ValueError(f"noise_max needs noise, got noise_max={noise_max!r} and noise=None")
        return None
    noise = check_noise(noise)
    high = max(4.0 * noise, 1.0) if noise_max is None else noise_max
    if isinstance(high, bool) or not isinstance(high, (int, float)) or not noise <= high < math.inf or high <= 0:
        raise ValueError(f"noise_max must be a finite number >= noise and > 0, got {noise_max!r}")
    return float(high), float(noise)
