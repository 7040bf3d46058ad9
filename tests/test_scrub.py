"""optlib.scrub: the kernel-free slider figures (the browser side is in test_browser.py)."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

import optlib
from optlib import functions, scrub

RAVINE = functions.ravine(condition=10.0)
LRS = np.arange(2, 46) / 200


def sgd(lr):
    return optlib.SGD(lr)


def momentum(lr, momentum):
    return optlib.Momentum(lr, momentum)


@pytest.fixture(scope="module")
def one_slider():
    return scrub.trajectory_slider(RAVINE, sgd, {"lr": LRS}, steps=40,
                                   labels={"lr": "learning rate η"}, initial={"lr": 0.1})


@pytest.fixture(scope="module")
def two_sliders():
    etas, gammas = np.linspace(0.0, 0.5, 51), np.linspace(0.0, 0.99, 34)
    heat = np.add.outer(gammas, etas)  # any map over (eta, gamma) will do here
    return scrub.trajectory_slider(
        RAVINE, momentum, {"lr": np.arange(1, 21) / 50, "momentum": [0.0, 0.5, 0.9]},
        steps=30, heatmap=(etas, gammas, heat), heatmap_label="eta + gamma")


def embedded(figure) -> dict:
    """The data as the page holds it, parsed back out of the HTML."""
    text = re.search(r'<script type="application/json" class="optlib-scrub-data">(.*?)</script>',
                     figure._repr_html_(), re.S).group(1)
    return json.loads(text.replace("<\\/", "</"))


def test_paths_round_trip_to_float32_of_a_fresh_run(one_slider):
    data = embedded(one_slider)
    paths = scrub.decode(data["paths"], (len(LRS), 41, 2))
    for i, lr in enumerate(LRS):
        fresh = optlib.minimize(RAVINE, RAVINE.start, optlib.SGD(lr), 40)
        np.testing.assert_array_equal(paths[i], fresh.x.astype(np.float32))
    gaps = scrub.decode(data["loss"]["values"], (len(LRS), 41))
    np.testing.assert_allclose(gaps[5], one_slider.runs[5].values, rtol=1e-6)


def test_the_grid_order_is_the_first_hyperparameter_outermost(two_sliders):
    data = embedded(two_sliders)
    paths = scrub.decode(data["paths"], (20 * 3, 31, 2))
    index = two_sliders.index(lr=0.3, momentum=0.5)
    assert index == 14 * 3 + 1
    fresh = optlib.minimize(RAVINE, RAVINE.start, optlib.Momentum(0.3, 0.5), 30)
    np.testing.assert_array_equal(paths[index], fresh.x.astype(np.float32))
    # the heat map's value at each grid point is the nearest cell of the given map
    assert data["heat"]["atPoints"][index] == pytest.approx(0.3 + 0.5, abs=0.02)


def test_diverged_runs_are_kept_as_nan_and_marked(one_slider):
    data = embedded(one_slider)
    assert data["divergedAt"] == [int(run.diverged_at) for run in one_slider.runs]
    paths = scrub.decode(data["paths"], (len(LRS), 41, 2))
    for i, run in enumerate(one_slider.runs):
        np.testing.assert_array_equal(np.isnan(paths[i]), np.isnan(run.x))


def test_sliders_are_labelled_and_start_where_asked(one_slider):
    (param,) = embedded(one_slider)["params"]
    assert param["label"] == "learning rate η" and param["values"][param["initial"]] == 0.1
    assert param["texts"][0] == "0.01" and len(param["texts"]) == len(LRS)


def test_each_figure_stays_within_its_budget(one_slider, two_sliders):
    for figure in (one_slider, two_sliders):
        assert len(figure._repr_html_().encode()) <= scrub.MAX_BYTES
    with pytest.raises(ValueError, match="max_bytes=1000"):
        scrub.trajectory_slider(RAVINE, sgd, {"lr": LRS}, steps=40, max_bytes=1000)


def test_the_same_inputs_give_the_same_page(one_slider):
    again = scrub.trajectory_slider(RAVINE, sgd, {"lr": LRS}, steps=40,
                                    labels={"lr": "learning rate η"}, initial={"lr": 0.1})
    assert again._repr_html_() == one_slider._repr_html_()
    assert repr(again) == "<ScrubFigure: 44 grid, 40 steps>"


def test_the_page_embeds_its_script_and_needs_nothing_else(one_slider):
    html = one_slider._repr_html_()
    assert scrub.SCRIPT.read_text() in html
    assert not re.search(r'(src|href)="(https?:)?//', html), "nothing from another host"


@pytest.mark.parametrize("kwargs, error, message", [
    (dict(grid={}), ValueError, "one or two hyperparameters"),
    (dict(grid={"lr": LRS, "momentum": LRS, "nesterov": LRS}), ValueError, "one or two"),
    (dict(grid={"lr": [0.1]}), ValueError, r"grid\['lr'\] must be at least two"),
    (dict(grid={"lr": [0.1, np.nan]}), ValueError, "finite"),
    (dict(grid={"lr": ["a", "b"]}), ValueError, r"grid\['lr'\]"),
    (dict(grid={"lr": [0.2, 0.1]}), ValueError, "increasing"),
    (dict(grid={"not a name": LRS}), ValueError, "keyword names"),
    (dict(initial={"lr": 0.123}), ValueError, r"initial\['lr'\] = 0.123"),
    (dict(labels={"momentum": "γ"}), ValueError, "not in the grid"),
    (dict(steps=0), ValueError, "steps must be an integer >= 1, got 0"),
    (dict(steps=2.5), ValueError, "got 2.5"),
    (dict(start=[1.0]), ValueError, "start must be a finite point of shape"),
    (dict(make_optimizer=42), TypeError, "make_optimizer must be callable, got 42"),
    (dict(f=functions.hilly()), ValueError, "2-D functions"),
    (dict(grid={"learning_rate": LRS}), TypeError, r"make_optimizer\(\*\*\{'learning_rate'"),
    (dict(heatmap=([0, 1], [0, 1], [[0, 1], [1, 2]])), ValueError, "two hyperparameters"),
])
def test_bad_input_is_named(kwargs, error, message):
    arguments = dict(f=RAVINE, make_optimizer=sgd, grid={"lr": LRS}, steps=5)
    arguments.update(kwargs)
    with pytest.raises(error, match=message):
        scrub.trajectory_slider(arguments.pop("f"), arguments.pop("make_optimizer"),
                                arguments.pop("grid"), **arguments)


@pytest.mark.parametrize("heatmap, message", [
    (([0.0, 1.0], [0.0, 1.0], np.zeros((3, 2))), r"shape \(len\(y\), len\(x\)\) = \(2, 2\)"),
    (([0.0, 0.1], [0.0, 1.0], np.zeros((2, 2))), r"grid\['lr'\] leaves the heatmap's range"),
    ((1, 2), "heatmap must be"),
])
def test_a_bad_heatmap_is_named(heatmap, message):
    with pytest.raises(ValueError, match=message):
        scrub.trajectory_slider(RAVINE, momentum, {"lr": [0.1, 0.2], "momentum": [0.0, 0.5]},
                                steps=5, heatmap=heatmap)


def test_index_names_a_value_off_the_grid(one_slider):
    with pytest.raises(ValueError, match=r"lr=0.333 is not on the grid"):
        one_slider.index(lr=0.333)
    with pytest.raises(ValueError, match="give a value for each of"):
        one_slider.index(momentum=0.5)
