"""The book's figures: one palette, contours, trajectories and loss curves (matplotlib).

* :data:`PALETTE` and :func:`color_for` / :func:`style_for`: the Okabe–Ito colour-blind-safe
  colours, with a fixed colour, line style and marker for every optimizer of the book, so that
  Adam looks the same in every chapter and lines stay distinct in greyscale.
* :func:`contour`, :func:`plot_trajectories`, :func:`plot_loss`: each draws on ``ax`` (a new
  figure if ``None``), sets a title, axis labels and a legend, and returns the Axes.
* :func:`book_style`: the rc settings the chapters use.

Contour lines are a neutral grey and nothing assumes a white or black background, so the
figures read on light and dark themes. Not imported by ``optlib`` itself: ``from optlib import
plotting``.

Okabe & Ito, "Color Universal Design (CUD): How to make figures and presentations that are
friendly to colorblind people", 2002, https://jfly.uni-koeln.de/color/.
"""

from __future__ import annotations

from typing import Iterable

import matplotlib as mpl
import matplotlib.pyplot as plt
from matplotlib.lines import Line2D
import numpy as np

from .trajectory import Trajectory

#: Okabe–Ito colours, most distinct first; their black is replaced by a grey that reads on
#: light and dark backgrounds, and yellow (weak on white) comes last.
PALETTE = [
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#999999",  # grey (for Okabe–Ito's black)
    "#F0E442",  # yellow
]
BLUE, VERMILLION, GREEN, PURPLE, ORANGE, SKY, GREY, YELLOW = PALETTE

#: optimizer -> (colour, line style, marker). Optimizers shown together in a chapter get
#: different colours; every optimizer has its own marker, so greyscale prints work too.
#: The star (a global minimum) and the filled cross (a diverged run) are not used here.
OPTIMIZER_STYLES = {
    "SGD": (BLUE, "-", "o"),
    "Momentum": (ORANGE, "--", "s"),
    "Nesterov": (GREEN, "-.", "^"),
    "AdaGrad": (PURPLE, ":", "D"),
    "RMSprop": (SKY, "--", "v"),
    "AdaDelta": (GREEN, "-", "P"),
    "Adam": (VERMILLION, "-", "p"),
    "AMSGrad": (BLUE, "--", "h"),
    "AdamW": (GREEN, "--", ">"),
    "AdaMax": (PURPLE, "-.", "<"),
    "NAdam": (ORANGE, ":", "d"),
    "RAdam": (SKY, "-", "8"),
    "Lion": (PURPLE, "-", "+"),
    "Lookahead": (GREEN, ":", "1"),
    "Ranger": (ORANGE, "-", "H"),
    "Muon": (VERMILLION, "-.", "2"),
    "ScheduleFreeAdamW": (BLUE, "-.", "3"),
}
#: other names for the same methods, in the words of the chapters
ALIASES = {"gradient descent": "SGD", "gd": "SGD", "heavy ball": "Momentum", "nag": "Nesterov"}

# grey would vanish among the contour lines and yellow on white: not for lines
_STRONG = PALETTE[:6]
_OTHER_LINESTYLES = ["-", "--", "-.", ":"]
_OTHER_MARKERS = ["o", "s", "^", "D", "v", "p", "h", ">"]
_assigned: dict[str, tuple[str, str, str]] = {}  # labels that are not optimizer names

CONTOUR_COLOR = "0.55"  # neutral grey: visible on white and on dark backgrounds
MINIMUM_STYLE = dict(marker="*", markersize=15, color=YELLOW, markeredgecolor="0.3", linestyle="none")
LOCAL_MINIMUM_STYLE = dict(marker="o", markersize=5, markerfacecolor="none", markeredgecolor="0.45",
                           linestyle="none")
SADDLE_STYLE = dict(marker="x", markersize=9, markeredgewidth=2, color="0.45", linestyle="none")


def _known_name(label: str) -> str | None:
    lowered = label.strip().lower()
    for name in OPTIMIZER_STYLES:
        if name.lower() == lowered:
            return name
    return ALIASES.get(lowered)


def style_for(label: str) -> dict:
    """``dict(color=..., linestyle=..., marker=...)`` for a legend label.

    An optimizer's name (any case, or an alias such as ``"gradient descent"``) always gets its
    fixed style. Any other label gets the next unused style of the palette, in order of first
    use, and keeps it: a notebook run from top to bottom always gets the same colours.
    """
    label = str(label)
    name = _known_name(label)
    if name is not None:
        color, linestyle, marker = OPTIMIZER_STYLES[name]
    else:
        if label not in _assigned:
            i = len(_assigned)
            _assigned[label] = (
                _STRONG[i % len(_STRONG)],
                _OTHER_LINESTYLES[(i // len(_STRONG)) % len(_OTHER_LINESTYLES)],
                _OTHER_MARKERS[i % len(_OTHER_MARKERS)],
            )
        color, linestyle, marker = _assigned[label]
    return dict(color=color, linestyle=linestyle, marker=marker)


def color_for(label: str) -> str:
    """The colour of a label: fixed for the book's optimizers (see :func:`style_for`)."""
    return style_for(label)["color"]


# --- style --------------------------------------------------------------------------------------

#: The book's column shows a figure at most ``COLUMN_PX`` CSS pixels wide (measured at a
#: 1280-pixel-wide window; ``tests/test_browser.py`` checks it), and a figure's PNG has
#: ``figure.dpi`` pixels per inch, so a figure wider than ``MAX_FIGURE_WIDTH`` inches is shrunk
#: and its 11-point tick labels would read smaller than 9 points. Three panels across at most.
COLUMN_PX = 672
MAX_FIGURE_WIDTH = 8.5

BOOK_RC = {
    "figure.figsize": (6.4, 4.0),
    "figure.dpi": 100,
    "savefig.dpi": 150,
    "savefig.bbox": "tight",
    "font.size": 12,
    "axes.titlesize": 12.5,
    "axes.labelsize": 12,
    "legend.fontsize": 10.5,
    "xtick.labelsize": 11,
    "ytick.labelsize": 11,
    "lines.linewidth": 1.8,
    "lines.markersize": 5,
    "legend.framealpha": 0.85,
    "axes.prop_cycle": mpl.cycler(color=PALETTE),
    "image.cmap": "cividis",
}


class book_style:
    """The book's rc settings. Calling ``book_style()`` applies them; used as a context
    manager (``with book_style(): ...``) they are undone at the end of the block."""

    def __init__(self, **overrides):
        settings = {**BOOK_RC, **overrides}
        self._saved = {key: mpl.rcParams[key] for key in settings}
        mpl.rcParams.update(settings)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        mpl.rcParams.update(self._saved)
        return False


# --- helpers ------------------------------------------------------------------------------------


def _axes(ax):
    if ax is None:
        _, ax = plt.subplots()
    return ax


def _as_list(trajectories) -> list[Trajectory]:
    if isinstance(trajectories, Trajectory):
        return [trajectories]
    return list(trajectories)


def _batch(x, values):
    """A trajectory's arrays as ``x (T, N, d)`` and ``values (T, N)``: N runs, maybe just one."""
    return x.reshape(x.shape[0], -1, x.shape[-1]), values.reshape(values.shape[0], -1)


def _joined(a):
    """``(T, N, ...)`` runs joined into one array along time, a ``nan`` row between runs (one line)."""
    gap = np.full((1,) + a.shape[1:], np.nan)
    return np.concatenate([a, gap]).swapaxes(0, 1).reshape((-1,) + a.shape[2:])


def _last_finite(finite):
    """For ``finite`` of shape ``(T, N)``, the index of each run's last finite row."""
    return finite.shape[0] - 1 - np.argmax(finite[::-1], axis=0)


def _legend_label(traj: Trajectory) -> str:
    at = np.ravel(traj.diverged_at)
    at = at[at >= 0]
    if at.size == 0:
        return traj.label
    if np.size(traj.diverged) == 1:
        return f"{traj.label} (diverged at step {at[0]})"
    return f"{traj.label} ({at.size} of {np.size(traj.diverged)} runs diverged)"


def _quiet_corner(ax, weight_of_marks: float = 100.0) -> str:
    """The corner of ``ax`` that covers the fewest plotted points (marks such as minima count more)."""
    to_axes = ax.transData + ax.transAxes.inverted()
    counts = {}
    boxes = {"upper right": (0.55, 0.6), "upper left": (0.0, 0.6), "lower left": (0.0, 0.0),
             "lower right": (0.55, 0.0)}
    chunks = []
    for line in ax.get_lines():
        xy = np.column_stack([line.get_xdata(), line.get_ydata()]).astype(float)
        xy = to_axes.transform(xy[np.all(np.isfinite(xy), axis=1)])
        weight = weight_of_marks if line.get_linestyle() in ("None", "none", "") else 1.0
        chunks.append((xy, weight))
    for corner, (x0, y0) in boxes.items():
        counts[corner] = sum(w * np.count_nonzero((xy[:, 0] >= x0) & (xy[:, 0] <= x0 + 0.45) &
                                                   (xy[:, 1] >= y0) & (xy[:, 1] <= y0 + 0.4))
                             for xy, w in chunks)
    return min(counts, key=counts.get)  # ties: the first, upper right


def _finish(ax, title, xlabel, ylabel, corner=False):
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    handles, _ = ax.get_legend_handles_labels()
    if handles:
        if corner:  # over contours: the emptiest corner, never over a minimum
            ax.legend(loc=_quiet_corner(ax))
        else:  # "best" is slow on huge batches, so not for those
            points = sum(len(line.get_xdata()) for line in ax.get_lines())
            ax.legend(loc="best" if points < 20_000 else "upper right")
    return ax


def _levels(f, Z, levels: int | None, log: bool):
    """Contour levels: log-spaced above the minimum when the values span decades."""
    finite = Z[np.isfinite(Z)]
    floor = f.min_value if np.isfinite(f.min_value) else finite.min()
    gap = finite - floor
    top = gap.max()
    if top <= 0:
        return None
    if np.isfinite(f.min_value) and log and top > 5 * np.median(gap):
        low = max(np.quantile(gap, 0.005), top * 1e-7)
        return floor + np.geomspace(low, top, levels or 30)
    if np.isfinite(f.min_value):  # quadratic spacing: evenly spaced rings around a minimum
        return floor + top * np.linspace(0, 1, (levels or 15) + 1)[1:] ** 2
    return np.linspace(finite.min(), finite.max(), (levels or 15) + 2)[1:-1]


def _mark_minima(f, ax, one_d=False):
    def points(p):
        return (p[:, 0], f(p)) if one_d else (p[:, 0], p[:, 1])

    if len(f.minima):
        ax.plot(*points(f.minima), label="global minimum", zorder=5, **MINIMUM_STYLE)
    if len(f.local_minima):
        ax.plot(*points(f.local_minima), label="local minimum", zorder=4, **LOCAL_MINIMUM_STYLE)
    saddles = getattr(f, "saddle_points", np.zeros((0, f.dim)))
    if len(saddles):
        ax.plot(*points(saddles), label="saddle point", zorder=4, **SADDLE_STYLE)


def _curve(f, ax, n=400):
    (low, high), = f.window
    theta = np.linspace(low, high, n)
    values = f(theta[:, None])
    ax.plot(theta, values, color=CONTOUR_COLOR, linewidth=1.5, label=r"$J(\theta)$", zorder=1)
    ax.set_xlim(low, high)
    span = values.max() - values.min()
    ax.set_ylim(values.min() - 0.08 * span, values.max() + 0.08 * span)
    _mark_minima(f, ax, one_d=True)


# --- the figures ----------------------------------------------------------------------------------


def contour(f, ax=None, levels: int | None = None, log: bool = True):
    """Contour lines of a 2-D ``f`` over ``f.window`` (the curve, for a 1-D ``f``).

    ``levels`` contour levels (default: 30 log-spaced ones, or 15 rings), log-spaced above
    ``f.min_value`` when the function spans decades over the window (Rosenbrock, Beale,
    Himmelblau) and ``log`` is true, otherwise rings evenly spaced in distance. Global
    minima are marked with a star, other local minima with a circle, saddle points with a cross.
    """
    ax = _axes(ax)
    if f.dim == 1:
        _curve(f, ax)
        return _finish(ax, f.name, r"$\theta$", r"$J(\theta)$", corner=True)
    if f.dim != 2:
        raise ValueError(f"contour draws 1-D and 2-D functions, {f.name} has dim={f.dim}")
    (x_low, x_high), (y_low, y_high) = f.window
    X, Y = np.meshgrid(np.linspace(x_low, x_high, 241), np.linspace(y_low, y_high, 241))
    Z = f(np.stack([X, Y], axis=-1))
    chosen = _levels(f, Z, levels, log)
    if chosen is not None:
        ax.contour(X, Y, Z, levels=chosen, colors=CONTOUR_COLOR, linewidths=0.7, alpha=0.9,
                   negative_linestyles="solid", zorder=1)
    _mark_minima(f, ax)
    ax.set_xlim(x_low, x_high)
    ax.set_ylim(y_low, y_high)
    ax.set_aspect("equal")
    return _finish(ax, f.name, r"$\theta_1$", r"$\theta_2$", corner=True)


def plot_trajectories(f, trajectories, ax=None, title: str | None = None, contours: bool = True):
    """Each trajectory's path over the contours of ``f`` (over its curve, for a 1-D ``f``).

    Start points are hollow circles, end points filled markers. The view is ``f.window``: a path
    that leaves it is clipped at the edge, and a diverged run ends in a cross at the edge, its
    legend entry saying at which step it diverged. A batch of runs draws every run, thinner.
    ``contours=False`` draws on an ``ax`` that already shows :func:`contour` (the live explorer
    keeps its contours and redraws only the paths).
    """
    ax = _axes(ax)
    if contours:
        contour(f, ax=ax)
    if f.dim == 1:  # the view, in the coordinates drawn: (theta, J) or (theta_1, theta_2)
        low, high = np.array([f.window[0, 0], ax.get_ylim()[0]]), np.array([f.window[0, 1], ax.get_ylim()[1]])
    else:
        low, high = f.window[:, 0], f.window[:, 1]
    for traj in _as_list(trajectories):
        if traj.x.shape[-1] != f.dim:
            raise ValueError(f"trajectory {traj.label!r} has dim {traj.x.shape[-1]}, "
                             f"{f.name} has dim {f.dim}")
        style = style_for(traj.label)
        x, values = _batch(traj.x, traj.values)
        steps, n = values.shape[0] - 1, values.shape[1]
        many = n > 1
        last = x[_last_finite(np.all(np.isfinite(x), axis=-1)), np.arange(n)]  # (N, d)
        diverged = np.ravel(traj.diverged)
        if f.dim == 1:  # points on the curve: (theta, J(theta))
            x = np.concatenate([x, values[..., None]], axis=-1)
            last = np.column_stack([last[:, 0], f(last)])
        path = _joined(x)
        ax.plot(path[:, 0], path[:, 1], color=style["color"], linestyle=style["linestyle"],
                marker=None if many else style["marker"], markevery=max(1, steps // 12), markersize=3.5,
                linewidth=0.9 if many else 1.6, alpha=0.5 if many else 0.95, label=_legend_label(traj),
                zorder=3)
        size = 0.6 if many else 1.0
        ax.plot(x[0, :, 0], x[0, :, 1], marker="o", markersize=8 * size, markerfacecolor="none",
                markeredgewidth=1.5 * size, markeredgecolor=style["color"], linestyle="none", zorder=4)
        ends = last[~diverged]
        if len(ends):
            outline = "0.3" if style["marker"] in Line2D.filled_markers else style["color"]
            ax.plot(ends[:, 0], ends[:, 1], marker=style["marker"], markersize=9 * size, color=style["color"],
                    markeredgecolor=outline, markeredgewidth=1.0 if outline == "0.3" else 2.0,
                    linestyle="none", zorder=6)
        if diverged.any():  # a cross where the run leaves the view (or where it stopped)
            edge = np.clip(last[diverged], low, high)
            ax.plot(edge[:, 0], edge[:, 1], marker="X", markersize=11 * size, color=style["color"],
                    markeredgecolor="0.3", linestyle="none", zorder=6, clip_on=False)
    if f.dim == 1:
        return _finish(ax, f.name if title is None else title, r"$\theta$", r"$J(\theta)$", corner=True)
    return _finish(ax, f.name if title is None else title, r"$\theta_1$", r"$\theta_2$", corner=True)


def plot_loss(trajectories, ax=None, f_min: float | None = None, log: bool = True, title: str | None = None):
    """The loss gap :math:`J(\\theta_t) - J^\\star` against the step ``t``, on a log scale.

    ``f_min`` (:math:`J^\\star`) defaults to the functions' ``min_value`` when it is finite and
    the same for all trajectories, else 0 (the values themselves). The scale is logarithmic if
    ``log`` and no value lies below ``f_min`` (on the saddle, say); gaps of exactly 0 are not
    drawn on it. A diverged run ends with a cross at its last finite value.
    """
    ax = _axes(ax)
    trajectories = _as_list(trajectories)
    if f_min is None:
        known = {t.min_value for t in trajectories}
        common = known.pop() if len(known) == 1 else float("nan")
        f_min = common if np.isfinite(common) else None
    gaps = [_batch(t.x, t.values)[1] - (0.0 if f_min is None else f_min) for t in trajectories]
    finite = np.concatenate([g[np.isfinite(g)] for g in gaps])
    roundoff = 1e-12 * max(1.0, float(np.abs(finite).max(initial=0.0)))
    use_log = log and finite.size > 0 and finite.min() >= -roundoff and np.any(finite > 0)

    top = -np.inf  # the highest value before any run diverged: the view stops a little above it
    crosses = []  # (steps, values, style, many) of the diverged runs' last finite values
    for traj, gap in zip(trajectories, gaps):
        style = style_for(traj.label)
        # a diverging run's last value can be 1e300: log axes' margins around it would overflow
        shown = np.where(gap > 0, np.minimum(gap, 1e200), np.nan) if use_log else gap
        steps, n = shown.shape[0] - 1, shown.shape[1]
        t = np.broadcast_to(np.arange(steps + 1.0)[:, None], shown.shape)
        ax.plot(_joined(t), _joined(shown), color=style["color"], linestyle=style["linestyle"],
                marker=style["marker"] if steps < 2 else None,  # a lone point needs a marker
                linewidth=0.9 if n > 1 else 1.6, alpha=0.5 if n > 1 else 0.95, label=_legend_label(traj))
        diverged_at = np.ravel(traj.diverged_at)
        before = np.where(t < np.where(diverged_at >= 0, diverged_at, steps + 1), shown, np.nan)
        top = max(top, np.nanmax(before, initial=-np.inf))
        runs = np.flatnonzero(diverged_at >= 0)
        last = _last_finite(np.isfinite(shown))[runs]
        ok = np.isfinite(shown[last, runs])
        if ok.any():
            crosses.append((last[ok], shown[last[ok], runs[ok]], style, n > 1))
    ax.set_yscale("log" if use_log else "linear")  # explicit: ``ax`` may be reused
    if use_log:
        if any(np.any(t.diverged) for t in trajectories) and np.isfinite(top) and top > 0:
            low, high = ax.get_ylim()
            ax.set_ylim(low, min(high, top * 1e3))  # a leap to 1e70 would flatten every other curve
    low, high = ax.get_ylim()
    for steps, values, style, many in crosses:  # a cross at each diverged run's last value, in view
        ax.plot(steps, np.clip(values, low, high), marker="X", markersize=7 if many else 10,
                color=style["color"], markeredgecolor="0.3", linestyle="none", zorder=5, clip_on=False)
    ylabel = r"$J(\theta_t)$" if f_min is None else r"$J(\theta_t) - J^\star$"
    return _finish(ax, "Loss against step" if title is None else title, "step $t$", ylabel)


__all__ = [
    "PALETTE",
    "OPTIMIZER_STYLES",
    "book_style",
    "color_for",
    "style_for",
    "contour",
    "plot_trajectories",
    "plot_loss",
]


def animate_trajectories(f, trajectories, *, steps: int | None = None, steps_per_frame: int = 1,
                         labels: Iterable[str] | None = None, levels: int = 8, figsize=(5.2, 2.9),
                         dpi: int = 80, colors: int = 64, interval: int = 250) -> str:
    """The trajectories drawn step by step over the contours of a 2-D ``f``, as a self-contained
    HTML player (play, pause, step, scrub) that needs no kernel: matplotlib's ``to_jshtml``.

    ``steps`` (default: all) are shown, ``steps_per_frame`` at a time; ``labels`` replace the
    trajectories' own in the legend. Frames are re-encoded with a palette of ``colors`` colours
    to keep the page light (about 15 kB a frame at the defaults). Display the result with
    ``IPython.display.HTML``. The frames are shown at their own size, so every text is set at
    ``ANIMATION_TEXT_PT`` points of ``dpi`` pixels per inch: 12 pixels (9 points) or more at the
    default ``dpi``.
    """
    import base64
    import io
    import re

    from matplotlib import animation
    from PIL import Image

    runs = _as_list(trajectories)
    if f.dim != 2:
        raise ValueError(f"animate_trajectories draws 2-D functions; {f.name} has dim {f.dim}")
    if isinstance(steps_per_frame, bool) or not isinstance(steps_per_frame, int) or steps_per_frame < 1:
        raise ValueError(f"steps_per_frame must be a positive integer, got {steps_per_frame!r}")
    steps = min(run.steps for run in runs) if steps is None else int(steps)
    labels = [run.label for run in runs] if labels is None else list(labels)

    text = {key: ANIMATION_TEXT_PT for key in ("font.size", "axes.titlesize", "axes.labelsize",
                                               "xtick.labelsize", "ytick.labelsize",
                                               "legend.fontsize")}
    with plt.rc_context({"savefig.dpi": dpi, "savefig.bbox": "standard", **text}):
        fig, ax = plt.subplots(figsize=figsize, dpi=dpi)
        contour(f, ax=ax, levels=levels)
        ax.get_legend().remove()
        lines = [ax.plot([], [], color=style_for(run.label)["color"], marker="o", markersize=3,
                         linewidth=1.2, label=label)[0] for run, label in zip(runs, labels)]
        ax.legend(loc="upper right")
        ax.set_title(f"{f.name}: step {steps}")  # the longest title, for the layout
        fig.tight_layout()  # so that the axis labels fit in the small frame

        def draw(frame):
            t = frame * steps_per_frame
            for line, run in zip(lines, runs):
                line.set_data(run.x[: t + 1, 0], run.x[: t + 1, 1])
            ax.set_title(f"{f.name}: step {t}")
            return lines

        player = animation.FuncAnimation(fig, draw, frames=steps // steps_per_frame + 1, interval=interval)
        html = player.to_jshtml(default_mode="once")
        plt.close(fig)

    def requantize(match):
        png = base64.b64decode(match.group(1).replace("\\\n", ""))
        image = Image.open(io.BytesIO(png)).convert("RGB").quantize(colors)
        buffer = io.BytesIO()
        image.save(buffer, format="PNG", optimize=True)
        return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()

    html = re.sub(r"data:image/png;base64,([A-Za-z0-9+/=\\\n]+)", requantize, html)
    return re.sub(r"<link[^>]*font-awesome[^>]*>", _PLAYER_ICONS, html)  # no stylesheet from a CDN


#: The size of every text of an animation's frames, in points (see :func:`animate_trajectories`).
ANIMATION_TEXT_PT = 11

#: The player's button icons as plain characters (fonts every system has), in place of the
#: Font Awesome stylesheet that matplotlib links from a CDN: the page works offline.
_PLAYER_ICONS = "<style>" + "".join(
    f".animation .fa-{name}:before{{content:'{glyph}'}}"
    for name, glyph in {"minus": "\u2212", "plus": "+", "play": "\u25b6", "pause": "\u275a\u275a",
                        "step-forward": "\u25b6\u275a", "step-backward": "\u275a\u25c0",
                        "fast-forward": "\u25b6\u25b6\u275a", "fast-backward": "\u275a\u25c0\u25c0"}.items()
) + ".animation .fa{font-style:normal}.animation .fa-flip-horizontal{display:inline-block;transform:scaleX(-1)}</style>"
