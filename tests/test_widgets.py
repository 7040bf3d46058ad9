"""The live explorer: it builds, every control redraws the figure with the new setting, and the
extreme settings (a learning rate that diverges, zero steps, a 1-D function) still draw."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

import optlib  # noqa: E402
from optlib import functions, widgets  # noqa: E402

pytestmark = pytest.mark.filterwarnings("error")


def lines_drawn(explorer):
    path_ax, loss_ax = explorer.figure.axes
    return len(path_ax.get_lines()), len(loss_ax.get_lines())


def legend(ax):
    return [text.get_text() for text in ax.get_legend().get_texts()]


@pytest.fixture
def explorer():
    return widgets.explore(
        optimizers={"SGD": lambda lr: optlib.SGD(lr), "Momentum": lambda lr: optlib.Momentum(lr, 0.9)},
        lr=(1e-4, 1.0, 0.01),
        steps=50,
    )


def test_it_builds_and_draws_once(explorer):
    assert explorer.redraws == 1
    assert set(explorer.controls) == {"function", "lr", "steps", "x", "y"}
    path_ax, loss_ax = explorer.figure.axes
    assert {"SGD", "Momentum"} <= set(legend(path_ax))
    assert legend(loss_ax) == ["SGD", "Momentum"]
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
    texts = legend(explorer.figure.axes[1])
    assert all("diverged at step" in text for text in texts)


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
    assert list(explorer.optimizers) == ["SGD"]
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
    ],
)
def test_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        widgets.explore(**kwargs)
