"""Kernel-free slider figures: a grid of optlib runs, redrawn in the browser as the reader drags.

.. code-block:: python

    figure = scrub.trajectory_slider(ravine, lambda lr: optlib.SGD(lr),
                                     {"lr": np.linspace(0.01, 0.22, 22)}, steps=40)
    figure  # in a notebook or in the book: a contour panel, a loss panel and the sliders

Every point of the grid of hyperparameters (one or two of them) is run here, by
:func:`optlib.minimize`, when the notebook executes. The paths and the losses are embedded in
the page as float32 arrays (base64), with the contour lines drawn once by
:func:`optlib.plotting.contour` into a PNG. The vendored script ``scrub.js`` only draws: it
picks the run of the sliders' grid point and writes its points, as stored, into an SVG path
(in the data's own coordinates, so the path can be read back and compared). An optional heat
map of any quantity over the same two hyperparameters (a rate, say) is shown beside it, with
the current grid point marked. Nothing needs a kernel, a server or a network.
"""

from __future__ import annotations

import base64
import hashlib
import io
import itertools
import json
import math
from numbers import Integral
from pathlib import Path

import matplotlib
import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import LogLocator, MaxNLocator

from . import plotting
from .trajectory import minimize

#: The largest a figure may be, in bytes of HTML (the issue's budget is about 500 kB).
MAX_BYTES = 500_000
#: The most grid points a figure may hold (all are run at build time).
MAX_POINTS = 2_000
SCRIPT = Path(__file__).with_name("scrub.js")
PLOT_WIDTH = 256  # CSS pixels of a panel's plotting area
IMAGE_SCALE = 2  # image pixels per CSS pixel, for sharp lines on high-density screens


class ScrubFigure:
    """A slider figure: ``_repr_html_`` for the book and JupyterLab, ``data`` for tests."""

    def __init__(self, data: dict, runs: list):
        self.data = data
        self.runs = runs  # the optlib Trajectory of every grid point, in the grid's order
        self.html = _html(data)

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:  # deterministic: the chapters' printed text is compared
        shape = "x".join(str(len(p["values"])) for p in self.data["params"])
        return f"<ScrubFigure: {shape} grid, {self.data['steps']} steps>"

    def index(self, **point) -> int:
        """The flat index of the grid point with these exact hyperparameter values."""
        names = [p["name"] for p in self.data["params"]]
        if sorted(point) != sorted(names):
            raise ValueError(f"give a value for each of {names}, got {sorted(point)}")
        where = []
        for p in self.data["params"]:
            matches = np.flatnonzero(np.asarray(p["values"]) == point[p["name"]])
            if not matches.size:
                raise ValueError(f"{p['name']}={point[p['name']]!r} is not on the grid "
                                 f"{p['values']}")
            where.append(int(matches[0]))
        return int(np.ravel_multi_index(where, [len(p["values"]) for p in self.data["params"]]))


def decode(text: str, shape) -> np.ndarray:
    """The float32 array that :func:`encode` wrote into ``text``, with ``shape``."""
    return np.frombuffer(base64.b64decode(text), dtype="<f4").reshape(shape)


def encode(array) -> str:
    """``array`` as little-endian float32 bytes in base64 (``nan`` kept: a diverged run)."""
    return base64.b64encode(np.asarray(array, dtype="<f4").tobytes()).decode("ascii")


def trajectory_slider(f, make_optimizer, grid: dict, *, steps: int, start=None,
                      labels: dict | None = None, initial: dict | None = None,
                      heatmap=None, heatmap_label: str = "", heatmap_max: float | None = None,
                      title: str | None = None, caption: str = "",
                      max_bytes: int = MAX_BYTES) -> ScrubFigure:
    """A slider figure of ``make_optimizer(**point)`` on the 2-D function ``f``.

    ``grid`` maps one or two keyword names of ``make_optimizer`` to their increasing values;
    every combination runs ``steps`` steps from ``start`` (default ``f.start``). ``labels``
    names each slider for the reader (default: the keyword), ``initial`` picks the values
    shown first (default: the middle of each grid). ``heatmap = (x, y, values)``, ``values``
    of shape ``(len(y), len(x))`` over the two hyperparameters (the first along x), is drawn
    beside the paths with ``heatmap_label``; values above ``heatmap_max`` are white.
    ``caption`` (plain text, no TeX) is shown under the figure.
    Raises ``ValueError`` if the page would be larger than ``max_bytes``.
    """
    params = _check_grid(grid, labels or {}, initial or {})
    if getattr(f, "dim", None) != 2:
        raise ValueError(f"trajectory_slider draws 2-D functions, got {getattr(f, 'name', f)!r}"
                         f" with dim={getattr(f, 'dim', None)}")
    if not callable(make_optimizer):
        raise TypeError(f"make_optimizer must be callable, got {make_optimizer!r}")
    if isinstance(steps, bool) or not isinstance(steps, Integral) or steps < 1:
        raise ValueError(f"steps must be an integer >= 1, got {steps!r}")
    start = np.asarray(f.start if start is None else start, dtype=float)
    if start.shape != (2,) or not np.all(np.isfinite(start)):
        raise ValueError(f"start must be a finite point of shape (2,), got {start!r}")
    runs = [minimize(f, start, _optimizer(make_optimizer, point), int(steps))
            for point in _points(params)]
    data = {
        "title": f.name if title is None else str(title),
        "params": params,
        "steps": int(steps),
        "paths": encode(np.stack([run.x for run in runs])),
        "divergedAt": [int(run.diverged_at) for run in runs],
        "contour": _contour_panel(f),
        "loss": _loss_panel(f, runs),
        "caption": str(caption),
    }
    if heatmap is not None:
        data["heat"] = _heat_panel(heatmap, params, heatmap_label, heatmap_max)
    figure = ScrubFigure(data, runs)
    if len(figure.html.encode()) > max_bytes:
        raise ValueError(f"the figure would take {len(figure.html.encode())} bytes, more than "
                         f"max_bytes={max_bytes}: use fewer grid points or steps")
    return figure


# --- inputs ---------------------------------------------------------------------------------


def _check_grid(grid, labels, initial) -> list[dict]:
    if not isinstance(grid, dict) or not 1 <= len(grid) <= 2:
        raise ValueError(f"grid must be a dict of one or two hyperparameters, got {grid!r}")
    params = []
    for name, values in grid.items():
        if not isinstance(name, str) or not name.isidentifier():
            raise ValueError(f"grid keys must be keyword names, got {name!r}")
        array = np.asarray(values, dtype=float) if _numeric(values) else None
        if array is None or array.ndim != 1 or len(array) < 2 or not np.all(np.isfinite(array)):
            raise ValueError(f"grid[{name!r}] must be at least two finite numbers, got {values!r}")
        if np.any(np.diff(array) <= 0):
            raise ValueError(f"grid[{name!r}] must be increasing, got {values!r}")
        chosen = initial.get(name, array[len(array) // 2])
        if chosen not in array:
            raise ValueError(f"initial[{name!r}] = {chosen!r} is not one of grid[{name!r}]")
        params.append({"name": name, "label": str(labels.get(name, name)),
                       "values": [float(v) for v in array],
                       "texts": [f"{v:.3g}" for v in array],
                       "initial": int(np.flatnonzero(array == chosen)[0])})
    unknown = set(labels) | set(initial)
    if not unknown <= set(grid):
        raise ValueError(f"labels/initial name {sorted(unknown - set(grid))}, not in the grid")
    if math.prod(len(p["values"]) for p in params) > MAX_POINTS:
        raise ValueError(f"the grid has more than {MAX_POINTS} points: use fewer values")
    return params


def _numeric(values) -> bool:
    try:
        return np.asarray(values).dtype.kind in "iuf"
    except (TypeError, ValueError):
        return False


def _optimizer(make_optimizer, point):
    try:
        return make_optimizer(**point)
    except TypeError as error:
        raise TypeError(f"make_optimizer(**{point!r}) failed: {error} (the grid's names must "
                        "be make_optimizer's keywords)") from error


def _points(params):
    names = [p["name"] for p in params]
    for combination in itertools.product(*(p["values"] for p in params)):
        yield dict(zip(names, combination))


# --- panels: images and axes, computed here, drawn by scrub.js ------------------------------


def _png(fig) -> str:
    buffer = io.BytesIO()
    # the whole canvas, whatever savefig.bbox the chapter set: the image is the plot area
    fig.savefig(buffer, format="png", transparent=True, dpi=fig.dpi, bbox_inches=None,
                pad_inches=0, metadata={"Software": None})
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _bare_axes(width_px: float, height_px: float):
    fig = Figure(figsize=(width_px / 100, height_px / 100), dpi=100 * IMAGE_SCALE)
    ax = fig.add_axes((0, 0, 1, 1))
    return fig, ax


def _ticks(low: float, high: float) -> list[list]:
    values = MaxNLocator(5).tick_values(low, high)
    inside = [v for v in values if low - 1e-9 * (high - low) <= v <= high + 1e-9 * (high - low)]
    return [[float(v), f"{round(v, 10):g}"] for v in inside]


def _contour_panel(f) -> dict:
    (x_low, x_high), (y_low, y_high) = np.asarray(f.window, dtype=float)
    height = PLOT_WIDTH * (y_high - y_low) / (x_high - x_low)  # equal aspect, as plotting's
    fig, ax = _bare_axes(PLOT_WIDTH, height)
    with plotting.book_style():
        plotting.contour(f, ax=ax)
    if ax.get_legend() is not None:  # the minima are explained in the caption
        ax.get_legend().remove()
    ax.set_title("")  # the script writes the title, in the page's colour
    ax.set_axis_off()
    return {"src": _png(fig), "x": [x_low, x_high], "y": [y_low, y_high], "height": height,
            "xticks": _ticks(x_low, x_high), "yticks": _ticks(y_low, y_high),
            "xlabel": "θ₁", "ylabel": "θ₂"}


def _loss_panel(f, runs) -> dict:
    values = np.stack([run.values for run in runs])
    floor = f.min_value if np.isfinite(f.min_value) else np.nanmin(values)
    gap = values - floor
    positive = gap[np.isfinite(gap) & (gap > 0)]
    top = float(np.nanmax(gap[:, 0])) * 100
    bottom = max(float(positive.min()) if positive.size else top * 1e-6, top * 1e-12)
    low, high = math.floor(math.log10(bottom)), math.ceil(math.log10(top))
    return {"values": encode(np.maximum(gap, 0.0)), "y": [low, high],
            "x": [0, runs[0].steps], "xticks": _ticks(0, runs[0].steps),
            "yticks": _log_ticks(low, high), "xlabel": "step t",
            "ylabel": "J(θₜ) − J*" if np.isfinite(f.min_value) else "J(θₜ) − min"}


SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def _log_ticks(low: int, high: int) -> list[list]:
    """Powers of ten between 10**low and 10**high, every few decades: log10 and a label."""
    powers = LogLocator(numticks=6).tick_values(10.0**low, 10.0**high)
    exponents = sorted({round(math.log10(p)) for p in powers if 10.0**low <= p <= 10.0**high})
    return [[e, "10" + str(e).translate(SUPERSCRIPTS)] for e in exponents]


def _heat_panel(heatmap, params, label, vmax) -> dict:
    if len(params) != 2:
        raise ValueError("a heatmap needs a grid of two hyperparameters (x, then y)")
    try:
        x, y, values = (np.asarray(a, dtype=float) for a in heatmap)
    except (TypeError, ValueError):
        raise ValueError(f"heatmap must be (x, y, values) arrays, got {heatmap!r}") from None
    if x.ndim != 1 or y.ndim != 1 or values.shape != (len(y), len(x)):
        raise ValueError(f"heatmap values must have shape (len(y), len(x)) = ({len(y)}, "
                         f"{len(x)}), got {values.shape}")
    for p, axis in zip(params, (x, y)):
        if min(p["values"]) < axis.min() or max(p["values"]) > axis.max():
            raise ValueError(f"grid[{p['name']!r}] leaves the heatmap's range "
                             f"[{axis.min():g}, {axis.max():g}]")
    height = PLOT_WIDTH * 0.75
    fig, ax = _bare_axes(PLOT_WIDTH, height)
    cmap = matplotlib.colormaps["cividis"].with_extremes(over="white")
    top = float(np.nanmax(values)) if vmax is None else float(vmax)
    ax.pcolormesh(x, y, values, cmap=cmap, vmin=float(np.nanmin(values)), vmax=top,
                  shading="auto", rasterized=True)
    ax.set(xlim=(x[0], x[-1]), ylim=(y[0], y[-1]))
    ax.set_axis_off()
    columns = [int(np.argmin(np.abs(x - v))) for v in params[0]["values"]]
    rows = [int(np.argmin(np.abs(y - v))) for v in params[1]["values"]]
    at_points = [float(values[r, c]) for c in columns for r in rows]  # the grid's order
    return {"src": _png(fig), "x": [float(x[0]), float(x[-1])], "y": [float(y[0]), float(y[-1])],
            "height": height, "xticks": _ticks(x[0], x[-1]), "yticks": _ticks(y[0], y[-1]),
            "xlabel": params[0]["label"], "ylabel": params[1]["label"], "label": str(label),
            "atPoints": [round(v, 4) for v in at_points]}


# --- the page -------------------------------------------------------------------------------


def _html(data: dict) -> str:
    payload = json.dumps(data, separators=(",", ":"), sort_keys=True)
    figure_id = "optlib-scrub-" + hashlib.sha1(payload.encode()).hexdigest()[:12]
    safe = payload.replace("</", "<\\/")  # never closes the script element early
    caption = f"<figcaption>{_attr(data['caption'])}</figcaption>" if data["caption"] else ""
    return (f'<figure class="optlib-scrub" id="{figure_id}" role="group" '
            f'aria-label="{_attr(data["title"])}: drag the sliders to change the run">'
            f'<div class="optlib-scrub-body"><noscript>This figure needs JavaScript.</noscript>'
            f"</div>{caption}"
            f'<script type="application/json" class="optlib-scrub-data">{safe}</script>'
            f"</figure>"
            f"<script>{SCRIPT.read_text()}\noptlibScrub.start({json.dumps(figure_id)});</script>")


def _attr(text: str) -> str:
    return (str(text).replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
            .replace(">", "&gt;"))
