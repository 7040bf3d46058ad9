"""The book's figures: the palette, and every drawing function renders on Agg with a title, axis
labels and a legend, without a single warning, including the divergence and degenerate cases."""

from __future__ import annotations

import io
import re
import subprocess
import sys

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402

import optlib  # noqa: E402
from optlib import functions, plotting  # noqa: E402

pytestmark = pytest.mark.filterwarnings("error")

OKABE_ITO = {"#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7"}


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def render(ax):
    """Draw the whole figure, as saving it does; warnings are errors here."""
    ax.figure.savefig(io.BytesIO(), format="png", dpi=40)


def legend_texts(ax):
    legend = ax.get_legend()
    assert legend is not None, "no legend"
    return [text.get_text() for text in legend.get_texts()]


def assert_labelled(ax):
    assert ax.get_title()
    assert ax.get_xlabel() and ax.get_ylabel()
    assert legend_texts(ax)


def runs_on(f, *optimizers, steps=40):
    return [optlib.minimize(f, f.start, opt, steps) for opt in optimizers]


# --- the palette ------------------------------------------------------------------------------------


def test_palette_is_okabe_ito_without_black():
    assert OKABE_ITO <= set(plotting.PALETTE)
    assert "#000000" not in plotting.PALETTE and "#FFFFFF" not in [c.upper() for c in plotting.PALETTE]
    assert len(set(plotting.PALETTE)) == len(plotting.PALETTE)


def test_known_optimizers_have_their_fixed_colours():
    fixed = {"SGD": "#0072B2", "Momentum": "#E69F00", "Nesterov": "#009E73", "AdaGrad": "#CC79A7",
             "RMSprop": "#56B4E9", "Adam": "#D55E00", "AdamW": "#009E73", "Lion": "#CC79A7"}
    for name, color in fixed.items():
        assert plotting.color_for(name) == color
    assert set(plotting.OPTIMIZER_STYLES) == set(optlib.OPTIMIZERS)
    for name in optlib.OPTIMIZERS:
        assert plotting.color_for(name) in plotting.PALETTE


def test_every_optimizer_has_its_own_marker_and_style():
    styles = [plotting.style_for(name) for name in optlib.OPTIMIZERS]
    markers = [s["marker"] for s in styles]
    assert len(set(markers)) == len(markers)
    assert len({(s["color"], s["linestyle"]) for s in styles}) == len(styles)


@pytest.mark.parametrize(
    "group",
    [
        ["SGD", "Momentum", "Nesterov"],
        ["SGD", "Momentum", "AdaGrad", "RMSprop", "AdaDelta"],
        ["SGD", "Momentum", "RMSprop", "Adam", "AdaGrad"],
        ["Adam", "AMSGrad", "AdamW", "AdaMax", "NAdam", "RAdam"],
        ["Adam", "RAdam", "Lion", "Lookahead", "Ranger"],
    ],
)
def test_optimizers_compared_in_one_chapter_have_different_colours(group):
    assert len({plotting.color_for(name) for name in group}) == len(group)


def test_aliases_and_case():
    assert plotting.color_for("gradient descent") == plotting.color_for("SGD")
    assert plotting.color_for("adam") == plotting.color_for("Adam")
    assert plotting.color_for("heavy ball") == plotting.color_for("Momentum")


def test_other_labels_get_a_deterministic_colour_and_neighbours_differ():
    labels = [f"learning rate {i} (test_plotting)" for i in range(4)]
    first = [plotting.color_for(label) for label in labels]
    assert [plotting.color_for(label) for label in labels] == first  # stable
    assert len(set(first)) == len(first)  # consecutive new labels differ
    assert all(color in plotting.PALETTE for color in first)


def test_book_style_applies_and_the_context_manager_restores():
    before = dict(matplotlib.rcParams)
    with plotting.book_style():
        assert matplotlib.rcParams["font.size"] == plotting.BOOK_RC["font.size"]
        assert [to_hex(c["color"]).upper() for c in matplotlib.rcParams["axes.prop_cycle"]] == [
            c.upper() for c in plotting.PALETTE
        ]
    assert matplotlib.rcParams["font.size"] == before["font.size"]
    assert matplotlib.rcParams["figure.figsize"] == before["figure.figsize"]


# --- contour ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(functions.catalog()))
def test_contour_of_every_catalog_function(name):
    f = functions.catalog()[name]
    ax = plotting.contour(f)
    render(ax)
    assert_labelled(ax)
    assert ax.get_title() == f.name
    if f.dim == 2:
        assert ax.collections, "no contour lines"
        assert ax.get_xlim() == tuple(f.window[0]) and ax.get_ylim() == tuple(f.window[1])
    texts = legend_texts(ax)
    assert ("global minimum" in texts) == (len(f.minima) > 0)
    assert ("local minimum" in texts) == (len(f.local_minima) > 0)
    stars = [line for line in ax.get_lines() if line.get_marker() == "*"]
    assert len(stars) == (1 if len(f.minima) else 0)
    if len(f.minima):
        assert len(stars[0].get_xdata()) == len(f.minima)


def test_contour_levels_are_log_spaced_on_rosenbrock_and_rings_on_the_ravine():
    ax = plotting.contour(functions.rosenbrock())
    levels = ax.collections[0].levels
    ratios = levels[1:] / levels[:-1]
    np.testing.assert_allclose(ratios, ratios[0], rtol=1e-9)
    assert levels[-1] / levels[0] > 1e3
    ax = plotting.contour(functions.ravine(), levels=20)
    assert np.all(np.diff(ax.collections[0].levels) > 0)
    flat = plotting.contour(functions.rosenbrock(), log=False)
    assert flat.collections[0].levels[-1] / flat.collections[0].levels[0] < 1e3


def test_contour_draws_on_a_given_axes_and_refuses_three_dimensions():
    fig, ax = plt.subplots()
    assert plotting.contour(functions.himmelblau(), ax=ax) is ax
    with pytest.raises(ValueError, match="dim=3"):
        plotting.contour(functions.rastrigin(dim=3))


def test_contour_colours_are_neutral():
    ax = plotting.contour(functions.himmelblau())
    rgba = ax.collections[0].get_edgecolor()
    assert np.allclose(rgba[:, 0], rgba[:, 1]) and np.allclose(rgba[:, 1], rgba[:, 2])  # grey
    assert np.all((rgba[:, 0] > 0.2) & (rgba[:, 0] < 0.8))  # neither black nor white


# --- trajectories -----------------------------------------------------------------------------------------


def test_plot_trajectories_draws_each_path_in_its_colour():
    f = functions.rosenbrock()
    runs = runs_on(f, optlib.SGD(1e-3), optlib.Momentum(lr=2e-4), optlib.Adam(lr=0.05))
    ax = plotting.plot_trajectories(f, runs, title="three optimizers")
    render(ax)
    assert_labelled(ax)
    assert ax.get_title() == "three optimizers"
    assert {"SGD", "Momentum", "Adam"} <= set(legend_texts(ax))
    for run in runs:
        (path,) = [line for line in ax.get_lines() if line.get_label() == run.label]
        assert to_hex(path.get_color()).upper() == plotting.color_for(run.label).upper()
        np.testing.assert_array_equal(path.get_xdata()[: len(run.x)], run.x[:, 0])


def test_plot_trajectories_default_title_and_single_trajectory():
    f = functions.himmelblau()
    ax = plotting.plot_trajectories(f, optlib.minimize(f, f.start, optlib.SGD(0.01), 30))
    render(ax)
    assert ax.get_title() == f.name


def test_plot_trajectories_marks_divergence():
    f = functions.ravine(condition=10.0)
    runs = [optlib.minimize(f, f.start, optlib.SGD(eta), 60, label=label)
            for label, eta in [("converges", 0.1), ("diverges", 0.25)]]
    assert runs[1].diverged
    ax = plotting.plot_trajectories(f, runs)
    render(ax)
    assert f"diverges (diverged at step {int(runs[1].diverged_at)})" in legend_texts(ax)
    crosses = [line for line in ax.get_lines() if line.get_marker() == "X"]
    assert len(crosses) == 1
    x, y = crosses[0].get_xdata()[0], crosses[0].get_ydata()[0]
    assert f.window[0, 0] <= x <= f.window[0, 1] and f.window[1, 0] <= y <= f.window[1, 1]
    assert ax.get_xlim() == tuple(f.window[0])  # the leap does not zoom the view out


def test_plot_trajectories_of_a_batch_with_some_diverged():
    f = functions.rosenbrock()
    x0 = np.random.default_rng(0).uniform(f.window[:, 0], f.window[:, 1], size=(25, 2))
    runs = [optlib.minimize(f, x0, optlib.Adam(0.05), 50), optlib.minimize(f, x0, optlib.SGD(3e-3), 50)]
    assert runs[1].diverged.any() and not runs[1].diverged.all()
    ax = plotting.plot_trajectories(f, runs)
    render(ax)
    assert "Adam" in legend_texts(ax)
    assert any("runs diverged" in text for text in legend_texts(ax))


def test_plot_trajectories_in_one_dimension():
    f = functions.hilly()
    runs = [optlib.minimize(f, f.start, optlib.SGD(0.05), 100, label="gradient descent"),
            optlib.minimize(f, f.start, optlib.Momentum(lr=0.05, momentum=0.9), 100),
            optlib.minimize(f, f.start, optlib.SGD(5.0), 100, label="too large")]
    assert runs[2].diverged
    ax = plotting.plot_trajectories(f, runs)
    render(ax)
    assert_labelled(ax)
    assert ax.get_xlabel() == r"$\theta$"
    texts = legend_texts(ax)
    assert {"gradient descent", "Momentum", "global minimum", "local minimum"} <= set(texts)
    assert any(text.startswith("too large (diverged at step") for text in texts)


def test_plot_trajectories_with_no_steps():
    f = functions.saddle()
    ax = plotting.plot_trajectories(f, optlib.minimize(f, f.start, optlib.SGD(0.1), 0))
    render(ax)
    assert "saddle point" in legend_texts(ax)


def test_plot_trajectories_refuses_a_trajectory_of_another_dimension():
    f = functions.hilly()
    run = optlib.minimize(functions.ravine(), [1.0, 1.0], optlib.SGD(0.1), 3)
    with pytest.raises(ValueError, match="dim"):
        plotting.plot_trajectories(f, [run])


# --- loss curves -------------------------------------------------------------------------------------------


def test_plot_loss_log_scale_of_the_gap():
    f = functions.rosenbrock()
    runs = runs_on(f, optlib.SGD(1e-3), optlib.Adam(lr=0.05), steps=100)
    ax = plotting.plot_loss(runs, f_min=f.min_value, title="gap")
    render(ax)
    assert_labelled(ax)
    assert ax.get_yscale() == "log" and ax.get_title() == "gap"
    assert legend_texts(ax) == ["SGD", "Adam"]
    line = ax.get_lines()[0]
    np.testing.assert_allclose(line.get_ydata()[:101], runs[0].values - f.min_value)
    assert to_hex(line.get_color()).upper() == plotting.color_for("SGD").upper()


def test_plot_loss_defaults():
    f = functions.Quadratic(np.array([[2.0]]), b=[2.0], c=3.0)  # min_value 2
    run = optlib.minimize(f, [3.0], optlib.SGD(0.1), 30)
    ax = plotting.plot_loss([run])
    render(ax)
    assert ax.get_title() == "Loss against step" and ax.get_xlabel() == "step $t$"
    np.testing.assert_allclose(ax.get_lines()[0].get_ydata()[:31], run.values - 2.0)  # f_min from f
    linear = plotting.plot_loss([run], log=False)
    assert linear.get_yscale() == "linear"


def test_plot_loss_marks_divergence_and_keeps_the_other_curves_readable():
    f = functions.rosenbrock()
    runs = runs_on(f, optlib.Adam(lr=0.05), optlib.SGD(0.02), steps=60)
    assert runs[1].diverged
    ax = plotting.plot_loss(runs)
    render(ax)
    k = int(runs[1].diverged_at)
    assert f"SGD (diverged at step {k})" in legend_texts(ax)
    crosses = [line for line in ax.get_lines() if line.get_marker() == "X"]
    assert len(crosses) == 1
    low, high = ax.get_ylim()
    assert low <= crosses[0].get_ydata()[0] <= high
    assert high < 1e30


def test_plot_loss_on_the_saddle_falls_back_to_a_linear_scale():
    f = functions.saddle()
    ax = plotting.plot_loss(runs_on(f, optlib.SGD(0.1), steps=40))
    render(ax)
    assert ax.get_yscale() == "linear"
    assert ax.get_ylabel() == r"$J(\theta_t)$"


def test_plot_loss_of_a_batch_and_of_zero_steps():
    f = functions.himmelblau()
    x0 = np.random.default_rng(2).uniform(-4, 4, size=(10, 2))
    ax = plotting.plot_loss([optlib.minimize(f, x0, optlib.Adam(0.1), 50)])
    render(ax)
    assert legend_texts(ax) == ["Adam"]
    ax = plotting.plot_loss([optlib.minimize(f, f.start, optlib.Adam(0.1), 0)])
    render(ax)
    assert ax.get_yscale() == "log"


def test_plot_loss_when_the_minimum_is_hit_exactly():
    f = functions.Quadratic(np.array([[2.0]]))
    run = optlib.minimize(f, [1.0], optlib.SGD(0.5), 10)  # eta = 1/L: x_1 = 0 exactly
    assert run.values[1] == 0.0
    ax = plotting.plot_loss([run])
    render(ax)
    at_minimum = optlib.minimize(f, [0.0], optlib.SGD(0.5), 5)  # nothing positive to log-scale
    ax = plotting.plot_loss([at_minimum])
    render(ax)
    assert ax.get_yscale() == "linear"


# --- the house rules ---------------------------------------------------------------------------------------


def test_figures_have_the_book_style_when_asked():
    with plotting.book_style():
        fig, ax = plt.subplots()
        assert tuple(fig.get_size_inches()) == plotting.BOOK_RC["figure.figsize"]


def test_optlib_does_not_import_matplotlib():
    code = (
        "import sys, optlib; "
        "assert 'matplotlib' not in sys.modules and 'optlib.plotting' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_optimizer_markers_are_not_the_minimum_star_or_the_divergence_cross():
    for name in optlib.OPTIMIZERS:
        assert plotting.style_for(name)["marker"] not in ("*", "X")


@pytest.mark.parametrize(
    "name, log", [("rosenbrock", True), ("ravine", True), ("saddle", True), ("rosenbrock", False)]
)
def test_contour_draws_the_number_of_levels_asked_for(name, log):
    ax = plotting.contour(functions.catalog()[name], levels=12, log=log)
    assert len(ax.collections[0].levels) == 12


def test_animate_trajectories_is_a_light_player_with_one_frame_per_steps():
    f = functions.ravine(condition=10.0)
    runs = [optlib.minimize(f, f.start, optlib.SGD(lr=eta), 20, label=name)
            for name, eta in [("SGD", 0.05), ("slow", 0.01)]]
    html = plotting.animate_trajectories(f, runs, steps_per_frame=2, labels=["fast", "slow"])
    frames = re.findall(r"data:image/png;base64,", html)
    assert len(frames) == 20 // 2 + 1
    assert "play" in html.lower() and len(html) < 300_000


def test_animate_trajectories_works_offline_with_icons_of_its_own():
    f = functions.ravine()
    html = plotting.animate_trajectories(f, [optlib.minimize(f, f.start, optlib.SGD(0.1), 4)])
    assert "font-awesome" not in html  # no stylesheet from a CDN
    assert "http" not in html
    for icon in ["play", "pause", "step-forward", "step-backward", "fast-forward", "fast-backward"]:
        assert f'class="fa fa-{icon}' in html and f".animation .fa-{icon}:before{{content:" in html


def test_animate_trajectories_refuses_bad_input():
    f = functions.ravine()
    run = optlib.minimize(f, f.start, optlib.SGD(lr=0.05), 4)
    with pytest.raises(ValueError, match="steps_per_frame must be a positive integer, got 0"):
        plotting.animate_trajectories(f, [run], steps_per_frame=0)
    hilly = functions.hilly()
    with pytest.raises(ValueError, match="has dim 1"):
        plotting.animate_trajectories(hilly, [optlib.minimize(hilly, hilly.start, optlib.SGD(), 3)])


def test_animation_text_is_at_least_12_pixels_high(monkeypatch):
    """The player shows each frame at its own size: 12 pixels are 9 points on the page."""
    from matplotlib import animation

    drawn = []
    to_jshtml = animation.FuncAnimation.to_jshtml

    def measure(player, *args, **kwargs):
        fig = player._fig
        fig.canvas.draw()
        drawn.extend(text.get_fontsize() * fig.dpi / 72 for text in fig.findobj(
            matplotlib.text.Text) if text.get_visible() and text.get_text())
        return to_jshtml(player, *args, **kwargs)

    monkeypatch.setattr(animation.FuncAnimation, "to_jshtml", measure)
    f = functions.ravine()
    with plotting.book_style():
        plotting.animate_trajectories(f, [optlib.minimize(f, f.start, optlib.SGD(0.05), 4)])
    assert drawn and min(drawn) >= 12
