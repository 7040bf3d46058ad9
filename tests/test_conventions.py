"""optlib.conventions reproduces Keras 3 and optax, and the papers' algorithm boxes.

* Every Keras/optax config in tests/references/conventions.json (written by
  scripts/make_convention_references.py from the real libraries) is matched from the committed
  trajectories, without keras or optax: max |ours - library| <= 1e-7 * max |x|.
* When keras / optax are importable, the same configs are rerun live, and the factories'
  keyword names and defaults are compared with ``inspect.signature`` of the real ones.
* Each convention the chapter states is checked: where a variant differs from optlib's
  PyTorch-matching class (by a visible amount, with a large epsilon) and where it agrees.
* The paper variants are checked against first steps computed by hand from the boxes.
"""

from __future__ import annotations

import inspect
import json
import math
import os
import sys
from pathlib import Path

import numpy as np
import pytest

import optlib
from optlib import conventions, schedules

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

import convention_runs  # noqa: E402

REFERENCES = HERE / "references"
with open(REFERENCES / "conventions.json") as _f:
    META_AND_CONFIGS = json.load(_f)
CONFIGS = META_AND_CONFIGS["configs"]
STEPS = META_AND_CONFIGS["meta"]["steps"]
ARRAYS = dict(np.load(REFERENCES / "conventions.npz"))
RELATIVE_TOLERANCE = 1e-7
# keras 3.15.1's torch backend calls np.array on its tensors inside apply(): its warning, not ours.
pytestmark = pytest.mark.filterwarnings(
    "ignore:__array__ implementation doesn't accept a copy keyword:DeprecationWarning"
)
#: "A visible amount": a relative difference over 60 steps a thousand times the tolerance
#: (some conventions are small by nature, e.g. AdaMax's epsilon, about 3.5e-4 with eps = 0.1).
VISIBLE = 1e-4

REQUIRED = {
    "keras": {"SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adadelta", "Adamax", "Nadam",
              "Lion"},
    "optax": {"sgd", "adam", "adamw", "amsgrad", "rmsprop", "adagrad", "adadelta", "adamax",
              "nadam", "nadamw", "radam", "lion"},
    "paper": {"AMSGrad", "AdaMax", "AdamW", "NAdam"},
}
#: Library options the variants refuse (they are not part of the update on one parameter).
NOT_HONOURED = {
    "clipnorm", "clipvalue", "global_clipnorm", "use_ema", "ema_momentum",
    "ema_overwrite_frequency", "loss_scale_factor", "gradient_accumulation_steps", "name",
    "kwargs", "mu_dtype", "accumulator_dtype", "mask", "weight_decay_mask",
}


def build_lr(spec):
    """A number, or the optlib schedule equal to the library's at ``count = t - 1``."""
    if not isinstance(spec, dict):
        return spec
    if spec["schedule"] == "cosine":
        return schedules.cosine(spec["lr"], spec["total_steps"], spec["min_lr"])
    if spec["schedule"] == "exponential":
        return schedules.exponential(spec["lr"], spec["gamma"])
    raise KeyError(spec["schedule"])


def build(config):
    hyper = dict(config["hyper"])
    if "learning_rate" in hyper:
        hyper["learning_rate"] = build_lr(hyper["learning_rate"])
    return conventions.VARIANTS[(config["library"], config["name"])](**hyper)


def problem(seed):
    return ARRAYS[f"problem{seed}_A"], ARRAYS[f"problem{seed}_b"], ARRAYS[f"problem{seed}_x0"]


def run(optimizer, A, b, x0, steps=STEPS):
    x, state = x0.copy(), optimizer.init(x0)
    trajectory = [x]
    for _ in range(steps):
        x, state = optimizer.step(x, A @ x - b, state)
        trajectory.append(x)
    return np.array(trajectory)


def relative_difference(ours, theirs):
    return np.abs(ours - theirs).max() / np.abs(theirs).max()


def by_id(config_id):
    return next(c for c in CONFIGS if c["id"] == config_id)


def reference(config_id):
    return ARRAYS[f"trajectory_{config_id}"]


# --- the committed references --------------------------------------------------------------


def test_variants_cover_the_required_names():
    for library, names in REQUIRED.items():
        assert library in conventions.LIBRARIES
        assert names <= {n for lib, n in conventions.VARIANTS if lib == library}, library


def test_every_keras_and_optax_variant_has_reference_runs():
    for library, name in conventions.VARIANTS:
        if library == "paper":
            continue
        runs = [c for c in CONFIGS if (c["library"], c["name"]) == (library, name)]
        assert runs, f"{library}.{name} has no reference run"
    meta = META_AND_CONFIGS["meta"]
    assert {"keras", "optax", "jax", "torch", "numpy", "python"} <= set(meta)


def test_references_cover_large_epsilon_options_and_schedules():
    hypers = [(c["library"], c["name"], c["hyper"]) for c in CONFIGS]
    large_eps = {(lib, n) for lib, n, h in hypers if h.get("epsilon", h.get("eps", 0)) >= 1e-2}
    assert {("keras", "Adam"), ("keras", "RMSprop"), ("keras", "Adagrad"), ("keras", "Adamax"),
            ("keras", "Nadam"), ("optax", "adam"), ("optax", "rmsprop"),
            ("optax", "adagrad"), ("optax", "adamax"), ("optax", "radam")} <= large_eps
    options = {(lib, n, key) for lib, n, h in hypers for key, value in h.items()
               if value is True or key in ("momentum", "weight_decay")}
    assert {("keras", "SGD", "nesterov"), ("keras", "Adam", "amsgrad"),
            ("keras", "RMSprop", "centered"), ("keras", "RMSprop", "momentum"),
            ("keras", "SGD", "weight_decay"), ("keras", "Adam", "weight_decay"),
            ("keras", "RMSprop", "weight_decay"), ("optax", "sgd", "nesterov"),
            ("optax", "rmsprop", "centered"), ("optax", "rmsprop", "momentum"),
            ("optax", "rmsprop", "bias_correction"), ("optax", "adam", "nesterov")} <= options
    assert any(h.get("eps_in_sqrt") is False for lib, n, h in hypers if n == "rmsprop")
    scheduled = {(lib, n) for lib, n, h in hypers if isinstance(h.get("learning_rate"), dict)}
    assert {("keras", "AdamW"), ("optax", "adamw")} <= scheduled


@pytest.mark.parametrize("config", CONFIGS, ids=[c["id"] for c in CONFIGS])
def test_matches_committed_library_trajectory(config):
    A, b, x0 = problem(config["problem"])
    theirs = reference(config["id"])
    ours = run(build(config), A, b, x0)
    np.testing.assert_array_equal(ours[0], theirs[0])
    assert relative_difference(ours, theirs) <= RELATIVE_TOLERANCE


@pytest.mark.parametrize("config_id", ["keras-AdamW-cosine-seed4", "optax-adamw-cosine-seed4"])
def test_schedule_is_read_at_the_steps_already_taken(config_id):
    """The library's schedule at t - 1 is optlib's at t; reading it at t is visibly wrong."""
    config = by_id(config_id)
    spec = config["hyper"]["learning_rate"]
    library_schedule = schedules.cosine(spec["lr"], spec["total_steps"], spec["min_lr"])
    one_step_late = dict(config["hyper"], learning_rate=lambda t: library_schedule(t + 1))
    A, b, x0 = problem(config["problem"])
    factory = conventions.VARIANTS[(config["library"], config["name"])]
    shifted = run(factory(**one_step_late), A, b, x0)
    assert relative_difference(shifted, reference(config_id)) > 1e-4


# --- live reruns and signatures --------------------------------------------------------------


def _live(library):
    if library == "keras":
        os.environ.setdefault("KERAS_BACKEND", "torch")  # else keras looks for tensorflow
        pytest.importorskip("keras")
        return convention_runs.keras_module()
    pytest.importorskip("optax")
    return convention_runs.optax_module()


@pytest.mark.parametrize("config", CONFIGS, ids=[c["id"] for c in CONFIGS])
def test_matches_live_library(config):
    _live(config["library"])
    A, b, x0 = problem(config["problem"])
    theirs = convention_runs.run_library(
        config["library"], config["name"], config["hyper"], A, b, x0, STEPS
    )
    assert relative_difference(run(build(config), A, b, x0), theirs) <= RELATIVE_TOLERANCE


LIBRARY_VARIANTS = [key for key in conventions.VARIANTS if key[0] != "paper"]


@pytest.mark.parametrize("key", LIBRARY_VARIANTS, ids=[".".join(k) for k in LIBRARY_VARIANTS])
def test_keywords_and_defaults_are_the_librarys(key):
    library, name = key
    module = _live(library)
    real = inspect.signature(getattr(module.optimizers if library == "keras" else module, name))
    ours = inspect.signature(conventions.VARIANTS[key])
    real_parameters = dict(real.parameters)
    for parameter in ours.parameters.values():
        assert parameter.name in real_parameters, f"{name}: {parameter.name} is not the library's"
        theirs = real_parameters[parameter.name]
        assert parameter.default == theirs.default, f"{name}.{parameter.name}"
        assert parameter.kind == theirs.kind, f"{name}.{parameter.name}: {parameter.kind}"
    assert set(real_parameters) - set(ours.parameters) <= NOT_HONOURED


RECORDED_DEFAULTS = META_AND_CONFIGS["defaults"]


@pytest.mark.parametrize("key", LIBRARY_VARIANTS, ids=[".".join(k) for k in LIBRARY_VARIANTS])
def test_the_recorded_defaults_are_the_factories(key):
    """The chapter's tables read the recorded defaults: they must be the factories' too."""
    library, name = key
    recorded = RECORDED_DEFAULTS[library][name]
    ours = convention_runs.signature_defaults(conventions.VARIANTS[key])
    assert ours == {argument: recorded[argument] for argument in ours}


@pytest.mark.parametrize("name", convention_runs.TORCH_OPTIMIZERS)
def test_the_recorded_torch_defaults_are_torchs(name):
    torch = pytest.importorskip("torch")
    recorded = RECORDED_DEFAULTS["torch"][name]
    assert convention_runs.signature_defaults(getattr(torch.optim, name)) == recorded


@pytest.mark.parametrize("library", ["keras", "optax"])
def test_the_recorded_library_defaults_are_the_librarys(library):
    module = _live(library)
    namespace = module.optimizers if library == "keras" else module
    for name, recorded in RECORDED_DEFAULTS[library].items():
        assert convention_runs.signature_defaults(getattr(namespace, name)) == recorded, name


def test_keras_schedule_objects_are_refused_not_shifted():
    keras = _live("keras")
    schedule = keras.optimizers.schedules.CosineDecay(0.1, 60)
    with pytest.raises(TypeError, match="from_step_count"):
        conventions.keras.Adam(learning_rate=schedule)
    wrapped = conventions.keras.Adam(learning_rate=conventions.from_step_count(schedule))
    assert wrapped.learning_rate(1) == pytest.approx(0.1)


def test_optax_schedule_functions_are_refused_not_shifted():
    optax = _live("optax")
    schedule = optax.cosine_decay_schedule(0.1, 60)
    with pytest.raises(TypeError, match="from_step_count"):
        conventions.optax.adamw(schedule)
    wrapped = conventions.optax.adamw(conventions.from_step_count(schedule))
    assert wrapped.learning_rate(1) == pytest.approx(0.1)


# --- bad input, purity, repr ----------------------------------------------------------------


def _factory_with_rate(key):
    return conventions.VARIANTS[key]


@pytest.mark.parametrize("key", list(conventions.VARIANTS), ids=".".join)
def test_bad_learning_rate_names_the_librarys_keyword(key):
    keyword = "lr" if key[0] == "paper" else "learning_rate"
    with pytest.raises(ValueError, match=f"Invalid {keyword}: -1.0"):
        conventions.VARIANTS[key](**{keyword: -1.0})
    with pytest.raises(TypeError, match=f"Invalid {keyword}"):
        conventions.VARIANTS[key](**{keyword: "fast"})


def test_bad_values_name_the_librarys_keyword():
    with pytest.raises(ValueError, match=r"Invalid epsilon value: 0\.0"):
        conventions.keras.Adam(epsilon=0.0)
    with pytest.raises(ValueError, match=r"Invalid beta_1 value: 1\.0"):
        conventions.keras.Nadam(beta_1=1.0)
    with pytest.raises(ValueError, match=r"Invalid rho value: -0\.1"):
        conventions.keras.RMSprop(rho=-0.1)
    with pytest.raises(ValueError, match=r"Invalid weight_decay value: -1"):
        conventions.keras.SGD(weight_decay=-1)
    with pytest.raises(ValueError, match="Invalid weight_decay: None"):
        conventions.keras.AdamW(weight_decay=None)
    with pytest.raises(ValueError, match=r"Invalid b2 value: 1\.5"):
        conventions.optax.adam(0.1, b2=1.5)
    with pytest.raises(ValueError, match=r"Invalid eps value: 0\.0"):
        conventions.optax.adamax(0.1, eps=0.0)
    with pytest.raises(ValueError, match=r"Invalid initial_accumulator_value value: -0\.1"):
        conventions.optax.adagrad(0.1, initial_accumulator_value=-0.1)
    with pytest.raises(ValueError, match=r"Invalid momentum value: 1\.0"):
        conventions.optax.sgd(0.1, momentum=1.0)
    with pytest.raises(TypeError, match="Invalid nesterov"):
        conventions.optax.sgd(0.1, momentum=0.9, nesterov="yes")
    with pytest.raises(TypeError, match="Invalid amsgrad"):
        conventions.keras.Adam(amsgrad=1)
    with pytest.raises(TypeError, match="Invalid weight_decay"):
        conventions.optax.adamw(0.1, weight_decay=lambda count: 0.1)
    with pytest.raises(ValueError, match="Invalid threshold"):
        conventions.optax.radam(0.1, threshold=math.inf)


@pytest.mark.parametrize("option", ["clipnorm", "use_ema", "name", "mu_dtype", "mask"])
def test_options_that_cannot_be_honoured_are_refused(option):
    with pytest.raises(TypeError, match=option):
        conventions.keras.Adam(**{option: 1.0})
    with pytest.raises(TypeError, match=option):
        conventions.optax.adamw(0.1, **{option: 1.0})


def _default_arguments(key):
    return {"learning_rate": 0.1} if key[0] == "optax" else {}


@pytest.mark.parametrize("key", list(conventions.VARIANTS), ids=".".join)
def test_step_is_pure_and_minimize_runs(key):
    optimizer = conventions.VARIANTS[key](**_default_arguments(key))
    x = np.array([1.0, -2.0, 0.5])
    grad = np.array([0.3, -0.1, 0.0])
    state = optimizer.init(x)
    x_copy, grad_copy = x.copy(), grad.copy()
    arrays_before = [np.array(a, copy=True) for a in state if isinstance(a, np.ndarray)]
    new_x, new_state = optimizer.step(x, grad, state)
    np.testing.assert_array_equal(x, x_copy)
    np.testing.assert_array_equal(grad, grad_copy)
    arrays_after = [a for a in state if isinstance(a, np.ndarray)]
    for before, after in zip(arrays_before, arrays_after):
        np.testing.assert_array_equal(before, after)
    assert new_state.t == 1 and new_x is not x
    assert repr(optimizer).startswith(f"{key[0]}.{key[1]}(")
    f = optlib.functions.rosenbrock()
    trajectory = optlib.minimize(f, f.start, optimizer, steps=5)
    assert trajectory.x.shape == (6, 2)


# --- each convention: where the variants differ from PyTorch (optlib) and where they agree ---


def _path(optimizer, seed=3, steps=STEPS):
    return run(optimizer, *problem(seed), steps=steps)


def _same(first, second, tolerance=1e-10):
    return relative_difference(first, second) <= tolerance


def test_optax_adam_with_eps_root_zero_is_pytorch_adam():
    assert _same(_path(conventions.optax.adam(0.1, b1=0.8, b2=0.99, eps=0.1)),
                 _path(optlib.Adam(lr=0.1, beta1=0.8, beta2=0.99, eps=0.1)))
    with_root = _path(conventions.optax.adam(0.1, b1=0.8, b2=0.99, eps=0.1, eps_root=0.1))
    assert relative_difference(with_root, _path(optlib.Adam(0.1, 0.8, 0.99, 0.1))) > VISIBLE


def _adam_with_eps_schedule(lr, beta1, beta2, eps_of_t, seed=3):
    """PyTorch's Adam written out with a step-dependent epsilon (the mapping to Keras)."""
    A, b, x = problem(seed)
    m = v = np.zeros_like(x)
    path = [x]
    for t in range(1, STEPS + 1):
        g = A @ x - b
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g**2
        m_hat, v_hat = m / (1 - beta1**t), v / (1 - beta2**t)
        x = x - lr * m_hat / (np.sqrt(v_hat) + eps_of_t(t))
        path.append(x)
    return np.array(path)


def test_keras_adam_epsilon_hat_is_a_growing_pytorch_epsilon():
    keras_path = _path(conventions.keras.Adam(learning_rate=0.1, beta_1=0.8, beta_2=0.99,
                                              epsilon=0.1))
    mapped = _adam_with_eps_schedule(0.1, 0.8, 0.99, lambda t: 0.1 / math.sqrt(1 - 0.99**t))
    assert _same(keras_path, mapped)
    pytorch = _path(optlib.Adam(lr=0.1, beta1=0.8, beta2=0.99, eps=0.1))
    assert relative_difference(keras_path, pytorch) > VISIBLE
    # with the default tiny epsilon the two are the same to plotting accuracy
    tiny = _path(conventions.keras.Adam(learning_rate=0.1, epsilon=1e-7))
    assert relative_difference(tiny, _path(optlib.Adam(lr=0.1, eps=1e-7))) < 1e-4


def test_keras_sgd_momentum_is_pytorchs_for_a_constant_rate_not_under_a_schedule():
    assert _same(_path(conventions.keras.SGD(learning_rate=0.01, momentum=0.9)),
                 _path(optlib.Momentum(lr=0.01, momentum=0.9)))
    assert _same(_path(conventions.keras.SGD(learning_rate=0.01, momentum=0.9, nesterov=True)),
                 _path(optlib.Nesterov(lr=0.01, momentum=0.9)))
    decay = schedules.exponential(0.01, 0.9)
    keras_path = _path(conventions.keras.SGD(learning_rate=decay, momentum=0.9))
    assert relative_difference(keras_path, _path(optlib.Momentum(lr=decay, momentum=0.9))) > VISIBLE
    # optax keeps the learning rate outside its trace, like PyTorch, also under a schedule
    assert _same(_path(conventions.optax.sgd(decay, momentum=0.9)),
                 _path(optlib.Momentum(lr=decay, momentum=0.9)))
    assert _same(_path(conventions.optax.sgd(decay, momentum=0.9, nesterov=True)),
                 _path(optlib.Nesterov(lr=decay, momentum=0.9)))


def test_keras_weight_decay_is_decoupled_and_scaled_by_the_learning_rate():
    A, b, x0 = problem(3)
    lr, decay = 0.02, 0.1
    x, path = x0, [x0]
    for _ in range(STEPS):  # theta <- theta (1 - lr lambda) - lr g(theta_old)
        x = x * (1 - lr * decay) - lr * (A @ x - b)
        path.append(x)
    keras_path = _path(conventions.keras.SGD(learning_rate=lr, weight_decay=decay))
    assert _same(keras_path, np.array(path))
    l2 = np.array(path[:1])  # L2 through the gradient, as torch's weight_decay: lr (g + lambda x)
    x = x0
    for _ in range(STEPS):
        x = x - lr * (A @ x - b + decay * x)
        l2 = np.vstack([l2, x])
    assert _same(keras_path, l2)  # plain SGD: decoupled decay and L2 are the same method
    adam_decoupled = _path(conventions.keras.Adam(learning_rate=0.05, weight_decay=0.5))
    adam_l2 = _path(conventions.keras.Adam(learning_rate=0.05))
    assert relative_difference(adam_decoupled, adam_l2) > VISIBLE


def test_rmsprop_epsilon_placement_and_momentum_form():
    keras_path = _path(conventions.keras.RMSprop(learning_rate=0.05, rho=0.5, epsilon=0.1))
    pytorch = _path(optlib.RMSprop(lr=0.05, rho=0.5, eps=0.1))
    assert relative_difference(keras_path, pytorch) > VISIBLE
    assert _same(keras_path, _path(conventions.optax.rmsprop(0.05, decay=0.5, eps=0.1)))
    outside = conventions.optax.rmsprop(0.05, decay=0.5, eps=0.1, eps_in_sqrt=False)
    assert _same(_path(outside), pytorch)
    assert _same(_path(conventions.keras.RMSprop(learning_rate=0.01, momentum=0.9)),
                 _path(conventions.optax.rmsprop(0.01, eps=1e-7, momentum=0.9)))


def test_adagrad_accumulator_and_epsilon():
    keras_path = _path(conventions.keras.Adagrad(learning_rate=0.5))
    optax_path = _path(conventions.optax.adagrad(0.5, eps=1e-7))
    assert _same(keras_path, optax_path)
    pytorch = _path(optlib.AdaGrad(lr=0.5))
    assert relative_difference(keras_path, pytorch) > VISIBLE
    no_start = _path(conventions.optax.adagrad(0.5, initial_accumulator_value=0.0, eps=1e-20))
    assert _same(no_start, _path(optlib.AdaGrad(lr=0.5, eps=1e-20)), 1e-8)


def test_adadelta_same_update_other_defaults_and_optax_default_ascends():
    assert _same(_path(conventions.keras.Adadelta(learning_rate=1.0, rho=0.8, epsilon=1e-3)),
                 _path(optlib.AdaDelta(lr=1.0, rho=0.8, eps=1e-3)))
    assert _same(_path(conventions.optax.adadelta(1.0)),
                 _path(optlib.AdaDelta(lr=1.0, rho=0.9, eps=1e-6)))
    A, b, x0 = problem(0)
    loss = lambda x: 0.5 * x @ A @ x - b @ x  # noqa: E731
    ascent = run(conventions.optax.adadelta(), A, b, x0)
    assert loss(ascent[-1]) > loss(ascent[0])
    assert _same(ascent, reference("optax-adadelta-no-learning-rate-seed0"), 1e-7)


def test_adamax_epsilon_inside_or_outside_the_max():
    keras_path = _path(conventions.keras.Adamax(learning_rate=0.05, epsilon=0.1))
    pytorch = _path(optlib.AdaMax(lr=0.05, eps=0.1))
    assert relative_difference(keras_path, pytorch) > VISIBLE
    assert _same(_path(conventions.optax.adamax(0.05, eps=0.1)), pytorch)


def test_nadam_momentum_schedules():
    keras_path = _path(conventions.keras.Nadam(learning_rate=0.05, epsilon=1e-8))
    assert _same(keras_path, _path(optlib.NAdam(lr=0.05, eps=1e-8, momentum_decay=1.0)))
    pytorch = _path(optlib.NAdam(lr=0.05, eps=1e-8))
    assert relative_difference(keras_path, pytorch) > VISIBLE
    assert relative_difference(_path(conventions.optax.nadam(0.05)), pytorch) > VISIBLE
    assert _same(_path(conventions.paper.NAdam(lr=0.05)), pytorch)
    # optax's Nesterov form is Dozat's with a constant mu_t = beta_1 (psi -> infinity)
    assert _same(_path(conventions.optax.nadam(0.05)),
                 _path(conventions.paper.NAdam(lr=0.05, schedule_decay=1e6)))


def test_adamw_decay_coupling():
    cosine = schedules.cosine(0.05, 60, 0.001)
    optax_path = _path(conventions.optax.adamw(cosine, weight_decay=0.5), seed=4)
    assert _same(optax_path, _path(optlib.AdamW(lr=cosine, weight_decay=0.5), seed=4))
    # the paper's lambda is not multiplied by alpha: lambda_paper = alpha * lambda_library
    alpha = 0.05
    multiplier = lambda t: cosine(t) / alpha  # noqa: E731
    paper_path = _path(conventions.paper.AdamW(lr=alpha, weight_decay=0.5 * alpha,
                                               schedule_multiplier=multiplier), seed=4)
    assert _same(paper_path, optax_path)
    same_numbers = _path(conventions.paper.AdamW(lr=alpha, weight_decay=0.5,
                                                 schedule_multiplier=multiplier), seed=4)
    assert relative_difference(same_numbers, optax_path) > VISIBLE
    keras_path = _path(conventions.keras.AdamW(learning_rate=cosine, weight_decay=0.5,
                                               epsilon=1e-12), seed=4)
    assert relative_difference(keras_path, optax_path) < 1e-6  # only epsilon-hat differs


def test_optax_amsgrad_takes_the_maximum_after_bias_correction():
    optax_path = _path(conventions.optax.amsgrad(0.1, b1=0.5, b2=0.9, eps=0.01))
    pytorch = _path(optlib.AMSGrad(lr=0.1, beta1=0.5, beta2=0.9, eps=0.01))
    assert relative_difference(optax_path, pytorch) > VISIBLE
    keras_path = _path(conventions.keras.Adam(learning_rate=0.1, beta_1=0.5, beta_2=0.9,
                                              epsilon=1e-12, amsgrad=True))
    assert relative_difference(keras_path, _path(optlib.AMSGrad(0.1, 0.5, 0.9, 1e-12))) < 1e-6


def test_radam_threshold_and_epsilon():
    near = dict(b2=0.7)
    optax_path = _path(conventions.optax.radam(0.02, **near, eps=1e-12))
    pytorch = _path(optlib.RAdam(lr=0.02, beta2=0.7, eps=1e-12))
    assert relative_difference(optax_path, pytorch) < 1e-6
    large = _path(conventions.optax.radam(0.05, b2=0.99, eps=0.1), seed=2)
    assert relative_difference(large, _path(optlib.RAdam(0.05, 0.9, 0.99, 0.1), seed=2)) > VISIBLE


def test_lion_is_the_same_update_with_other_default_decays():
    assert _same(_path(conventions.keras.Lion(learning_rate=0.01, weight_decay=0.1)),
                 _path(optlib.Lion(lr=0.01, weight_decay=0.1)))
    assert _same(_path(conventions.optax.lion(0.01)),
                 _path(optlib.Lion(lr=0.01, weight_decay=1e-3)))
    assert conventions.keras.Lion().weight_decay is None
    assert conventions.optax.lion(0.01).weight_decay == 1e-3


# --- the papers' boxes, first steps by hand ---------------------------------------------------


def test_paper_amsgrad_first_steps():
    """Reddi, Kale & Kumar, ICLR 2018, Algorithm 2 (AMSGrad), with alpha_t = alpha, beta_1t =
    beta_1: line 5 m_t = b1 m + (1 - b1) g; line 6 v_t = b2 v + (1 - b2) g^2; line 7 vhat_t =
    max(vhat_{t-1}, v_t); line 8 x_{t+1} = x_t - alpha_t m_t / sqrt(vhat_t) (no projection)."""
    opt = conventions.paper.AMSGrad(lr=0.1, beta1=0.9, beta2=0.99)
    x, state = opt.step(np.array([1.0]), np.array([2.0]), opt.init(np.array([1.0])))
    # m = 0.2, v = 0.04, vhat = 0.04: x = 1 - 0.1 * 0.2 / 0.2 = 0.9
    np.testing.assert_allclose(x, [0.9])
    x, state = opt.step(x, np.array([-1.0]), state)
    # m = 0.18 - 0.1 = 0.08; v = 0.0396 + 0.01 = 0.0496 (> 0.04): x = 0.9 - 0.1 * 0.08 / sqrt(.0496)
    np.testing.assert_allclose(x, [0.9 - 0.1 * 0.08 / math.sqrt(0.0496)])
    x, state = opt.step(x, np.array([0.0]), state)
    # m = 0.072; v = 0.049104 < vhat = 0.0496, which stays
    np.testing.assert_allclose(state.v_max, [0.0496])
    np.testing.assert_allclose(x, [0.9 - 0.1 * 0.08 / math.sqrt(0.0496)
                                   - 0.1 * 0.072 / math.sqrt(0.0496)])


def test_paper_adamax_first_steps():
    """Kingma & Ba, ICLR 2015, Algorithm 2 (AdaMax): m_t = b1 m + (1 - b1) g; u_t = max(b2 u,
    |g|); theta_t = theta - (alpha / (1 - b1^t)) m_t / u_t. No epsilon."""
    opt = conventions.paper.AdaMax()  # alpha = 0.002, b1 = 0.9, b2 = 0.999
    x, state = opt.step(np.array([1.0, 3.0]), np.array([4.0, 0.0]), opt.init(np.zeros(2)))
    # m = 0.4, u = 4: step = 0.002 / 0.1 * 0.4 / 4 = 0.002 (exactly alpha), second coordinate 0/0
    np.testing.assert_allclose(x, [0.998, 3.0])
    x, state = opt.step(x, np.array([1.0, 0.0]), state)
    # m = 0.36 + 0.1 = 0.46, u = max(3.996, 1) = 3.996: step = 0.002 / 0.19 * 0.46 / 3.996
    np.testing.assert_allclose(x, [0.998 - 0.002 / 0.19 * 0.46 / 3.996, 3.0])


def test_paper_adamw_first_step():
    """Loshchilov & Hutter, ICLR 2019, Algorithm 2 (AdamW, the decoupled line 12):
    theta_t = theta_{t-1} - eta_t (alpha mhat_t / (sqrt(vhat_t) + eps) + lambda theta_{t-1})."""
    opt = conventions.paper.AdamW(lr=0.01, eps=1e-8, weight_decay=0.1,
                                  schedule_multiplier=lambda t: 0.5 / t)
    x, state = opt.step(np.array([2.0]), np.array([3.0]), opt.init(np.array([2.0])))
    # t = 1: mhat = 3, vhat = 9; eta_1 = 0.5: 2 - 0.5 (0.01 * 3 / (3 + 1e-8) + 0.1 * 2)
    np.testing.assert_allclose(x, [2.0 - 0.5 * (0.01 * 3 / (3 + 1e-8) + 0.2)], rtol=1e-14)


def test_paper_nadam_first_step():
    """Dozat, "Incorporating Nesterov Momentum into Adam", ICLR 2016 workshop, Algorithm 2:
    ghat = g / (1 - mu_1); m_1 = (1 - b1) g; mhat = m_1 / (1 - mu_1 mu_2); n_1 = (1 - b2) g^2,
    nhat = n_1 / (1 - b2); mbar = (1 - mu_1) ghat + mu_2 mhat; theta -= alpha mbar / (sqrt(nhat)
    + eps), with mu_t = b1 (1 - 0.5 * 0.96^(t/250))."""
    opt = conventions.paper.NAdam(lr=0.002, eps=1e-8)
    x, _ = opt.step(np.array([1.0]), np.array([0.5]), opt.init(np.array([1.0])))
    mu1 = 0.9 * (1 - 0.5 * 0.96 ** (1 / 250))
    mu2 = 0.9 * (1 - 0.5 * 0.96 ** (2 / 250))
    g_hat = 0.5 / (1 - mu1)
    m_hat = 0.1 * 0.5 / (1 - mu1 * mu2)
    m_bar = (1 - mu1) * g_hat + mu2 * m_hat
    np.testing.assert_allclose(x, [1.0 - 0.002 * m_bar / (0.5 + 1e-8)], rtol=1e-14)


def test_recorded_defaults_reads_the_recording():
    assert conventions.recorded_defaults() == RECORDED_DEFAULTS
    assert conventions.recorded_defaults()["torch"]["RMSprop"]["alpha"] == 0.99
