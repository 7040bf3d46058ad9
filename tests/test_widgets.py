"""The live explorer: it builds, every control redraws the figure with the new setting, only the
sliders of the chosen optimizers show, and the extreme settings (learning rates that diverge, β
near 1, a tiny ε, zero steps, every function, every optimizer) draw without a warning."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

import optlib  # noqa: E402
from optlib import functions, plotting, widgets  # noqa: E402

pytestmark = pytest.mark.filterwarnings("error")


def lines_drawn(explorer):
    path_ax, loss_ax = explorer.figure.axes
    return len(path_ax.get_lines()), len(loss_ax.get_lines())


def legend(ax):
    return [text.get_text().replace("\n", " ") for text in ax.get_legend().get_texts()]


@pytest.fixture
def explorer():
    return widgets.explore(
        optimizers={"SGD": lambda lr: optlib.SGD(lr), "Momentum": lambda lr: optlib.Momentum(lr, 0.9)},
        lr=(1e-4, 1.0, 0.01),
        steps=50,
    )


def test_it_builds_and_draws_once(explorer):
    assert explorer.redraws == 1
    assert set(explorer.controls) == {"function", "optimizers", "lr", "momentum", "rho", "beta1", "beta2",
                                      "eps", "steps", "noise", "seed", "x", "y"}
    shown = {name for name, c in explorer.controls.items() if c.layout.display != "none"}
    assert shown == {"function", "optimizers", "lr", "steps", "x", "y"}  # the factories take lr only
    path_ax, loss_ax = explorer.figure.axes
    assert {"SGD", "Momentum"} <= set(legend(path_ax))
    assert loss_ax.get_legend() is None  # the paths' legend names the colours
    assert len(loss_ax.get_xticks()) >= 3 and len(loss_ax.get_yticks()) >= 2  # redrawn each time
    assert [line.get_label() for line in loss_ax.get_lines()][:2] == ["SGD", "Momentum"]
    assert path_ax.get_title().startswith(explorer.function.name)
    assert [t.label for t in explorer.trajectories] == ["SGD", "Momentum"]
    assert explorer.output in explorer.children


def test_the_function_dropdown_offers_the_catalog_and_redraws(explorer):
    options = dict(explorer.controls["function"].options)  # label -> key
    assert set(options.values()) == set(functions.catalog())
    for key in functions.catalog():
        if key == explorer.controls["function"].value:
            continue
        before = explorer.redraws
        explorer.controls["function"].value = key
        assert explorer.redraws == before + 1  # one redraw, not one per slider that moved
        f = explorer.function
        assert explorer.trajectories[0].function_name == f.name
        np.testing.assert_allclose(explorer.trajectories[0].x[0], f.start)
        assert explorer.controls["x"].min == f.window[0, 0] and explorer.controls["x"].max == f.window[0, 1]
        assert explorer.controls["y"].layout.display == ("none" if f.dim == 1 else None)
        assert all(n > 0 for n in lines_drawn(explorer))


def test_learning_rate_slider(explorer):
    explorer.controls["lr"].value = 0.002
    assert explorer.redraws == 2
    assert "0.002" in explorer.figure.axes[0].get_title()
    first_step = explorer.trajectories[0].x[1] - explorer.trajectories[0].x[0]
    g = explorer.function.grad(explorer.trajectories[0].x[0])
    np.testing.assert_allclose(first_step, -0.002 * g, rtol=1e-12)


def test_steps_slider_including_zero(explorer):
    explorer.controls["steps"].value = 120
    assert explorer.trajectories[0].steps == 120
    explorer.controls["steps"].value = 0
    assert explorer.redraws == 3
    assert explorer.trajectories[0].steps == 0
    assert all(n > 0 for n in lines_drawn(explorer))


def test_start_sliders(explorer):
    explorer.controls["x"].value = 1.5
    explorer.controls["y"].value = -0.5
    assert explorer.redraws == 3
    np.testing.assert_array_equal(explorer.trajectories[0].x[0], [1.5, -0.5])


def test_a_huge_learning_rate_diverges_and_still_draws(explorer):
    explorer.controls["function"].value = "rosenbrock"
    explorer.controls["lr"].value = 1.0
    assert all(bool(t.diverged) for t in explorer.trajectories)
    texts = [text for text in legend(explorer.figure.axes[0]) if "minimum" not in text]
    assert len(texts) == 2 and all("diverged at step" in text for text in texts)


def test_one_dimensional_function_and_saddle_draw():
    explorer = widgets.explore(functions=["hilly", "saddle"], lr=(1e-3, 0.5, 0.05), steps=200)
    assert explorer.function.dim == 1
    assert explorer.controls["y"].layout.display == "none"
    explorer.controls["x"].value = 2.5
    assert explorer.trajectories[0].x.shape == (201, 1)
    explorer.controls["function"].value = "saddle"
    assert explorer.figure.axes[1].get_yscale() == "linear"  # unbounded below: the values themselves


def test_defaults_and_given_start():
    explorer = widgets.explore(start=[0.5, 0.25])
    assert list(explorer.optimizers) == list(optlib.OPTIMIZERS)
    assert explorer.selected == ["SGD", "Momentum", "Adam"]
    assert isinstance(explorer.trajectories[0], optlib.Trajectory)
    np.testing.assert_array_equal(explorer.trajectories[0].x[0], [0.5, 0.25])


def test_functions_as_a_dict_of_objectives():
    quad = functions.Quadratic(np.diag([1.0, 3.0]), name="my quadratic")
    explorer = widgets.explore(functions={"mine": quad}, steps=10)
    assert explorer.function is quad
    assert explorer.figure.axes[0].get_title().startswith("my quadratic")


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(functions=["no such function"]), "unknown test function"),
        (dict(functions=[functions.rastrigin(dim=3)]), "1-D or 2-D"),
        (dict(optimizers={}), "at least one optimizer"),
        (dict(lr=(0.1, 0.01, 0.05)), "lr must be"),
        (dict(lr=(0.0, 1.0, 0.5)), "lr must be"),
        (dict(steps=-1), "steps must be"),
        (dict(optimizers=["Adam", "Adamm"]), "unknown optimizers"),
        (dict(optimizers=["Adam"], selected=["SGD"]), "selected must name"),
        (dict(noise=-1.0), r"noise must be a finite number >= 0, got -1.0"),
        (dict(noise=0.5, noise_max=0.1), r"noise_max must be a finite number >= noise and > 0, got 0.1"),
        (dict(noise_max=2.0), r"noise_max needs noise"),
    ],
)
def test_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        widgets.explore(**kwargs)


def test_the_chapter_call_shows_only_the_learning_rate():
    explorer = widgets.explore(functions=["ravine", "hilly"],
                               optimizers={"gradient descent": lambda lr: optlib.SGD(lr)},
                               lr=(1e-4, 0.5, 0.05), steps=100)
    hidden = {name for name, c in explorer.controls.items() if c.layout.display == "none"}
    assert hidden == {"optimizers", "momentum", "rho", "beta1", "beta2", "eps", "noise", "seed"}
    assert [t.label for t in explorer.trajectories] == ["gradient descent"]


def test_choosing_optimizers_shows_their_sliders_and_uses_them():
    explorer = widgets.explore(functions=["rosenbrock"], steps=20)
    explorer.controls["optimizers"].value = ("Adam", "Lion")
    assert explorer.selected == ["Adam", "Lion"]
    shown = {name for name in widgets.HYPERPARAMETERS if explorer.controls[name].layout.display != "none"}
    assert shown == {"lr", "beta1", "beta2", "eps"}  # Lion has no eps, Adam has
    explorer.controls["beta1"].value = 0.5
    explorer.controls["eps"].value = 1e-3
    f, x0 = explorer.function, explorer.function.start
    adam = optlib.Adam(lr=explorer.controls["lr"].value, beta1=0.5, eps=explorer.controls["eps"].value)
    expected = optlib.minimize(f, x0, adam, 20)
    np.testing.assert_array_equal(explorer.trajectories[0].x, expected.x)
    assert legend(explorer.figure.axes[0])[-2:] == ["Adam", "Lion"]


def test_each_optimizer_keeps_its_colour_of_the_book():
    explorer = widgets.explore(functions=["himmelblau"], selected=list(optlib.OPTIMIZERS), steps=10)
    loss_lines = explorer.figure.axes[1].get_lines()
    colours = {line.get_label(): line.get_color() for line in loss_lines if not line.get_label().startswith("_")}
    assert colours == {name: plotting.color_for(name) for name in optlib.OPTIMIZERS}


def test_no_optimizer_chosen_draws_the_contours_and_says_so():
    explorer = widgets.explore(functions=["beale"])
    explorer.controls["optimizers"].value = ()
    assert explorer.trajectories == []
    assert "Choose" in explorer.figure.axes[1].get_title()


def test_the_contours_are_drawn_once_per_function():
    explorer = widgets.explore(functions=["rosenbrock", "beale"], steps=10)
    first = explorer.figure
    explorer.controls["lr"].value = 0.002
    explorer.controls["function"].value = "beale"
    explorer.controls["function"].value = "rosenbrock"
    assert explorer.figure is first and explorer.redraws == 4
    assert len(explorer.figure.axes[0].collections) == 1  # the one contour set, not one per redraw


# --- the sweep: every function, every optimizer, the extremes of every control -----------------

EXTREMES = {"lr": [1e-4, 1.0], "momentum": [0.0, 0.9999], "rho": [0.0, 0.9999],
            "beta1": [0.0, 0.9999], "beta2": [0.0, 0.9999], "eps": [1e-12, 1.0],
            "steps": [0, 300], "noise": [100.0, 0.0]}


@pytest.mark.parametrize("function", list(functions.catalog()))
def test_sweep_over_the_extremes(function):
    explorer = widgets.explore(functions=[function], selected=list(optlib.OPTIMIZERS), lr=(1e-4, 1e3, 0.01),
                               noise=0.0, noise_max=100.0)
    corners = {axis: [explorer.controls[axis].min, explorer.controls[axis].max] for axis in ("x", "y")}
    for name, extremes in {**EXTREMES, "lr": [1e-4, 1e3], **corners}.items():
        if explorer.controls[name].layout.display == "none":  # θ₂ of a 1-D function
            continue
        for value in extremes:
            before = explorer.redraws
            explorer.controls[name].value = value
            assert explorer.redraws == before + 1
            path_ax, loss_ax = explorer.figure.axes
            drawn = path_ax.get_lines()
            assert len(loss_ax.get_lines()) >= 15 and drawn, f"{name}={value}: an empty plot"
            for traj in explorer.trajectories:
                if traj.diverged:  # divergence is shown: the legend says so and a cross sits in the view
                    assert any(text.startswith(f"{traj.label} (diverged") for text in legend(path_ax))
            crosses = [line for line in drawn if line.get_marker() == "X"]
            low, high = np.array([path_ax.get_xlim(), path_ax.get_ylim()]).T
            for cross in crosses:
                xy = np.column_stack([cross.get_xdata(), cross.get_ydata()])
                assert np.all((xy >= low - 1e-9) & (xy <= high + 1e-9)), "a divergence cross outside the view"
        explorer.controls[name].value = extremes[0]


def test_a_learning_rate_of_a_thousand_diverges_everywhere_it_should():
    explorer = widgets.explore(functions=["rosenbrock"], optimizers=["SGD", "Momentum"], lr=(1e-4, 1e3, 1e3))
    assert all(t.diverged for t in explorer.trajectories)
    crosses = [line for line in explorer.figure.axes[0].get_lines() if line.get_marker() == "X"]
    assert len(crosses) == 2


def test_a_slider_reruns_only_the_optimizers_that_take_it():
    explorer = widgets.explore(functions=["rosenbrock"], optimizers=["SGD", "Adam"], steps=30)
    sgd, adam = explorer.trajectories
    explorer.controls["beta2"].value = 0.99
    assert explorer.trajectories[0] is sgd and explorer.trajectories[1] is not adam
    np.testing.assert_array_equal(
        explorer.trajectories[1].x,
        optlib.minimize(explorer.function, explorer.function.start,
                        optlib.Adam(lr=0.01, beta2=0.99), 30).x)


def test_the_noise_sliders_run_seeded_noisy_gradients():
    explorer = widgets.explore(functions=["saddle"], optimizers=["SGD", "Momentum"], steps=40, noise=0.5)
    assert explorer.controls["noise"].layout.display != "none" and explorer.controls["noise"].max == 2.0
    f = explorer.function

    def expected(seed, noise=0.5):
        return optlib.minimize(f, f.start, optlib.SGD(0.01), 40, noise=noise, seed=seed).x

    np.testing.assert_array_equal(explorer.trajectories[0].x, expected(0))
    explorer.controls["seed"].value = 7
    np.testing.assert_array_equal(explorer.trajectories[0].x, expected(7))
    explorer.controls["noise"].value = 0.0
    np.testing.assert_array_equal(explorer.trajectories[0].x, expected(7, noise=0.0))
    explorer.controls["noise"].value = 2.0  # the top of the slider still draws
    assert len(explorer.figure.axes[1].get_lines()) >= 2


def test_kept_legend_pixels_equal_a_legend_drawn_afresh():
    explorer = widgets.explore(functions=["rosenbrock"], optimizers=["SGD", "Momentum", "Adam"], steps=60)
    explorer.controls["lr"].value = 0.001
    explorer.controls["lr"].value = 0.05  # diverging runs: other labels, another legend
    labels = legend(explorer.figure.axes[0])
    explorer.controls["lr"].value = 0.001  # the legend of the first value, pasted
    assert legend(explorer.figure.axes[0]) != labels
    kept = np.asarray(explorer.figure.canvas.buffer_rgba()).copy()
    explorer._legends.clear()
    explorer.redraw()
    np.testing.assert_array_equal(np.asarray(explorer.figure.canvas.buffer_rgba()), kept)


def loss_tick_labels(explorer):
    loss_ax = explorer.figure.axes[1]
    low, high = sorted(loss_ax.get_ylim())
    ticks = [v for v in loss_ax.yaxis.get_major_locator()() if low <= v <= high]
    return loss_ax.yaxis.get_major_formatter().format_ticks(ticks)


@pytest.mark.parametrize("function", sorted(functions.catalog()))
def test_every_loss_axis_has_labelled_ticks_whatever_its_range(function):
    """Each optimizer alone (the narrowest ranges), at the default rate and at a small one that
    keeps the loss inside one decade: at least two distinct, non-empty labels."""
    explorer = widgets.explore(functions=[function], selected=["SGD"], steps=60)
    for name in optlib.OPTIMIZERS:
        explorer.controls["optimizers"].value = (name,)
        for lr in (0.01, 1e-4):
            explorer.controls["lr"].value = lr
            labels = loss_tick_labels(explorer)
            assert len(labels) >= 2 and all(labels), (function, name, lr, labels)
            assert len(set(labels)) == len(labels), (function, name, lr, labels)


# --- the keyboard: one arrow key changes the picture visibly -----------------------------------

def pressed(slider, presses=1):
    """The value after ``presses`` arrow-key presses to the right, as the browser moves it."""
    if isinstance(slider, widgets.w.SelectionSlider):
        return slider.options[slider.index + presses][1]
    if isinstance(slider, widgets.w.FloatLogSlider):
        return slider.value * slider.base ** (presses * slider.step)
    return slider.value + presses * slider.step


def pixels(explorer):
    return np.asarray(explorer.figure.canvas.buffer_rgba(), dtype=int)[..., :3].copy()


def changed_pixels(before, after):
    return int(np.count_nonzero(np.abs(before - after).max(axis=-1) > 32))


def test_every_decay_slider_moves_by_a_visible_step_near_one():
    explorer = widgets.explore(functions=["ravine"], optimizers=["Momentum", "RMSprop", "Adam"],
                               selected=["Momentum", "RMSprop", "Adam"])
    for name in ("momentum", "rho", "beta1", "beta2"):
        values = np.array([value for _, value in explorer.controls[name].options])
        windows = 1 / (1 - values[values >= 0.9])  # averaging windows: 10 ... 10,000 steps
        assert values.min() == 0.0 and values.max() == 0.9999
        ratios = windows[1:] / windows[:-1]  # a 1-2-5 scale: each press doubles or so the window
        assert np.all(np.diff(values) > 0) and np.all((ratios >= 1.9) & (ratios <= 2.5 + 1e-6))
        assert np.all(np.diff(values[values <= 0.9]) <= 0.05 + 1e-12)


def test_a_decay_value_off_the_grid_is_kept_and_a_bad_one_refused():
    explorer = widgets.explore(functions=["ravine"], optimizers=["Momentum"], momentum=0.93)
    assert explorer.controls["momentum"].value == 0.93
    assert explorer.trajectories[0].label == "Momentum"
    with pytest.raises(ValueError, match="momentum γ must be a number in"):
        widgets.explore(functions=["ravine"], optimizers=["Momentum"], momentum=1.0)


#: For each slider: the optimizer it drives, and a setting where it matters at all (ε not
#: negligible beside √v; β₂'s window 1/(1 − β₂) not much longer than the run, else bias
#: correction undoes any change; gradient noise for its seed).
WHERE_IT_MATTERS = {"lr": ("SGD", {}), "momentum": ("Momentum", {}), "rho": ("RMSprop", {}),
                    "beta1": ("Adam", {}), "beta2": ("Adam", dict(beta2=0.95)),
                    "eps": ("Adam", dict(eps=0.1)), "steps": ("SGD", {}),
                    "noise": ("SGD", dict(noise=0.5)), "seed": ("SGD", dict(noise=0.5)),
                    "x": ("SGD", {}), "y": ("SGD", {})}


@pytest.mark.parametrize("name", list(WHERE_IT_MATTERS))
def test_one_arrow_key_on_every_slider_changes_the_picture(name):
    optimizer, setting = WHERE_IT_MATTERS[name]
    explorer = widgets.explore(functions=["ravine"], optimizers=[optimizer],
                               lr=(1e-4, 1.0, 0.01), steps=100, **setting)
    slider = explorer.controls[name]
    assert slider.layout.display != "none" and not slider.continuous_update
    before = pixels(explorer)
    slider.value = pressed(slider)
    assert changed_pixels(before, pixels(explorer)) > 100, f"one press on {name} is not visible"


def test_the_steps_step_keeps_the_initial_number_on_the_grid():
    for steps in (0, 7, 100, 150, 200, 300):
        step = widgets.explore(functions=["ravine"], optimizers=["SGD"], steps=steps).controls["steps"].step
        assert steps % step == 0 and step >= max(1, steps // 40)


def test_the_optimizer_list_says_how_to_pick_several():
    explorer = widgets.explore(functions=["ravine"], optimizers=["SGD", "Adam"])
    assert "Ctrl-click" in explorer.hint.value and "Shift-click" in explorer.hint.value
    assert explorer.hint.layout.display is None and explorer.hint in explorer.children[0].children[0].children
    alone = widgets.explore(functions=["ravine"], optimizers=["SGD"])
    assert alone.hint.layout.display == "none"  # one optimizer: no list, no hint
