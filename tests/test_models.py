"""optlib.models: backpropagation against finite differences, the layout of theta, input checks."""

import math
import warnings

import numpy as np
import pytest

from optlib.models import MLP, Autoencoder, LogisticRegression, log_softmax, sigmoid

N_FEATURES, N_HIDDEN, N_CLASSES = 6, 5, 4

MODELS = {
    "logistic": LogisticRegression(N_FEATURES, N_CLASSES),
    "logistic-l2": LogisticRegression(N_FEATURES, N_CLASSES, l2=0.3),
    "mlp-tanh": MLP(N_FEATURES, N_HIDDEN, N_CLASSES, activation="tanh"),
    "mlp-relu": MLP(N_FEATURES, N_HIDDEN, N_CLASSES, activation="relu"),
    "mlp-tanh-l2": MLP(N_FEATURES, N_HIDDEN, N_CLASSES, activation="tanh", l2=0.1),
}


def batch(seed, n=5):
    rng = np.random.default_rng(seed)
    return rng.uniform(0, 1, size=(n, N_FEATURES)), rng.integers(0, N_CLASSES, size=n)


def finite_difference_grad(model, theta, x, y, h=1e-6):
    grad = np.empty_like(theta)
    for i in range(theta.size):
        step = np.zeros_like(theta)
        step[i] = h
        grad[i] = (model.loss(theta + step, x, y) - model.loss(theta - step, x, y)) / (2 * h)
    return grad


@pytest.mark.parametrize("name", MODELS)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_backprop_matches_central_finite_differences(name, seed):
    model = MODELS[name]
    rng = np.random.default_rng(100 + seed)
    theta = rng.normal(0.0, 1.0, size=model.n_params)  # random, not just the initial point
    x, y = batch(seed, n=1 + seed * 3)
    loss, grad = model.loss_and_grad(theta, x, y)
    assert grad.shape == theta.shape and grad.dtype == np.float64
    assert loss == pytest.approx(model.loss(theta, x, y), rel=1e-12)
    np.testing.assert_allclose(grad, finite_difference_grad(model, theta, x, y), rtol=1e-6, atol=1e-8)
    np.testing.assert_array_equal(model.grad(theta, x, y), grad)


@pytest.mark.parametrize("name", MODELS)
def test_zero_parameters_give_loss_log_k(name):
    model = MODELS[name]
    x, y = batch(0)
    assert model.loss(np.zeros(model.n_params), x, y) == pytest.approx(math.log(N_CLASSES))


def test_log_softmax_is_stable_for_huge_logits():
    z = np.array([[1e300, 0.0, -1e300], [1000.0, 1000.0, 1000.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = log_softmax(z)
    np.testing.assert_allclose(out[0], [0.0, -1e300, -2e300])
    np.testing.assert_allclose(out[1], np.full(3, -math.log(3)))


def test_unflatten_names_the_weights_and_flatten_inverts_it():
    model = MODELS["mlp-tanh"]
    theta = model.init(seed=3)
    weights = model.unflatten(theta)
    assert {k: v.shape for k, v in weights.items()} == {
        "W1": (N_FEATURES, N_HIDDEN), "b1": (N_HIDDEN,), "W2": (N_HIDDEN, N_CLASSES), "b2": (N_CLASSES,)}
    assert model.n_params == theta.size == N_FEATURES * N_HIDDEN + N_HIDDEN + N_HIDDEN * N_CLASSES + N_CLASSES
    np.testing.assert_array_equal(model.flatten(weights), theta)
    with pytest.raises(ValueError, match="read-only"):
        weights["W1"][0, 0] = 1.0
    assert list(LogisticRegression(3, 2).unflatten(np.arange(8.0))) == ["W", "b"]


def test_init_is_seeded_and_glorot_scaled():
    model = MLP(64, 32, 10)
    a, b, c = model.init(0), model.init(0), model.init(1)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    w1 = model.unflatten(a)["W1"]
    assert np.abs(w1).max() <= math.sqrt(6 / (64 + 32))
    assert np.all(model.unflatten(a)["b1"] == 0)
    relu = MLP(64, 32, 10, activation="relu").unflatten(MLP(64, 32, 10, activation="relu").init(0))
    assert np.abs(relu["W1"]).max() <= math.sqrt(6 / 64)


def test_predict_and_accuracy():
    model = LogisticRegression(2, 3)
    theta = model.flatten({"W": np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]), "b": np.array([0.0, 0.0, 0.5])})
    x = np.array([[2.0, 0.0], [0.0, 2.0], [0.0, 0.0]])
    np.testing.assert_array_equal(model.predict(theta, x), [0, 1, 2])
    assert model.accuracy(theta, x, np.array([0, 1, 0])) == pytest.approx(2 / 3)


def test_theta_and_inputs_are_not_modified():
    model = MODELS["mlp-tanh-l2"]
    theta = model.init(0)
    x, y = batch(1)
    copies = theta.copy(), x.copy(), y.copy()
    model.loss_and_grad(theta, x, y)
    for before, after in zip(copies, (theta, x, y)):
        np.testing.assert_array_equal(before, after)


@pytest.mark.parametrize("make, message", [
    (lambda: LogisticRegression(0, 3), "n_features: 0"),
    (lambda: LogisticRegression(4, 1), "n_classes: 1"),
    (lambda: LogisticRegression(4, 3.0), "n_classes: 3.0"),
    (lambda: LogisticRegression(4, 3, l2=-1.0), "l2: -1.0"),
    (lambda: MLP(4, 0, 3), "n_hidden: 0"),
    (lambda: MLP(4, 5, 3, activation="sigmoid"), "activation: 'sigmoid'"),
])
def test_bad_hyperparameters_are_refused(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_bad_shapes_and_labels_are_refused():
    model = MODELS["mlp-tanh"]
    theta = model.init(0)
    x, y = batch(0)
    with pytest.raises(ValueError, match=rf"theta must have shape \({model.n_params},\).*got \(3,\)"):
        model.loss(np.zeros(3), x, y)
    with pytest.raises(ValueError, match=r"x must have shape \(n, 6\), got \(5, 7\)"):
        model.grad(theta, np.zeros((5, 7)), y)
    with pytest.raises(ValueError, match=r"y must have shape \(5,\)"):
        model.loss(theta, x, y[:3])
    with pytest.raises(ValueError, match="labels must be in 0..3, got 4"):
        model.loss(theta, x, np.array([0, 1, 4, 2, 0]))
    with pytest.raises(ValueError, match="labels must be in 0..3, got -1"):
        model.accuracy(theta, x, np.array([0, -1, 1, 2, 0]))
    with pytest.raises(ValueError, match="integer class labels"):
        model.loss(theta, x, y.astype(float))
    with pytest.raises(ValueError, match="x must hold at least one example"):
        model.loss(theta, np.zeros((0, N_FEATURES)), np.zeros(0, dtype=int))
    with pytest.raises(ValueError, match=r"weight 'b2' must have shape \(4,\)"):
        model.flatten({**model.unflatten(theta), "b2": np.zeros(5)})
    with pytest.raises(ValueError, match=r"expected weights named \['W1', 'b1', 'W2', 'b2'\], got \['W1'\]"):
        model.flatten({"W1": np.zeros((N_FEATURES, N_HIDDEN))})
    with pytest.raises(ValueError, match=r"x must have shape \(n, 6\), got \(6,\)"):
        model.predict(theta, np.zeros(N_FEATURES))


# --- the autoencoder -----------------------------------------------------------------------------

AUTOENCODERS = {
    "shallow": Autoencoder((N_FEATURES, 3, N_FEATURES)),
    "deep": Autoencoder((N_FEATURES, 5, 2, 4, N_FEATURES)),
}


@pytest.mark.parametrize("name", AUTOENCODERS)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_autoencoder_backprop_matches_central_finite_differences(name, seed):
    model = AUTOENCODERS[name]
    rng = np.random.default_rng(200 + seed)
    theta = rng.normal(0.0, 1.0, size=model.n_params)
    x, _ = batch(seed, n=1 + seed * 3)
    loss, grad = model.loss_and_grad(theta, x)
    assert grad.shape == theta.shape and grad.dtype == np.float64
    assert loss == pytest.approx(model.loss(theta, x), rel=1e-12)
    np.testing.assert_allclose(grad, finite_difference_grad(model, theta, x, None),
                               rtol=1e-6, atol=1e-8)
    np.testing.assert_array_equal(model.grad(theta, x), grad)


def test_autoencoder_layers_code_and_loss_by_hand():
    model = Autoencoder((6, 5, 2, 4, 6))
    assert model.n_layers == 4 and model.code_layer == 2
    assert list(model.shapes) == ["W1", "b1", "W2", "b2", "W3", "b3", "W4", "b4"]
    theta = model.init(seed=0)
    np.testing.assert_array_equal(theta, model.init(seed=0))
    x, y = batch(0)
    weights = model.unflatten(theta)
    # by hand: tanh, linear code, tanh, sigmoid; loss = squared error per example
    h1 = np.tanh(x @ weights["W1"] + weights["b1"])
    code = h1 @ weights["W2"] + weights["b2"]
    h3 = np.tanh(code @ weights["W3"] + weights["b3"])
    x_hat = 1.0 / (1.0 + np.exp(-(h3 @ weights["W4"] + weights["b4"])))
    np.testing.assert_allclose(model.encode(theta, x), code, rtol=1e-12)
    np.testing.assert_allclose(model.reconstruct(theta, x), x_hat, rtol=1e-12)
    expected = np.sum((x_hat - x) ** 2) / len(x)
    assert model.loss(theta, x, y) == pytest.approx(expected, rel=1e-12)  # y is ignored
    assert model.loss(theta, x) == model.loss(theta, x, y)
    assert not hasattr(model, "accuracy")


def test_autoencoder_sigmoid_does_not_overflow():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        np.testing.assert_allclose(sigmoid(np.array([-1e4, 0.0, 1e4])), [0.0, 0.5, 1.0])


def test_autoencoder_trains_on_the_digits_with_optlib_train():
    import optlib

    digits = optlib.data.digits()
    model = Autoencoder((64, 16, 4, 16, 64))
    run = optlib.train(model, optlib.Adam(3e-3), digits, epochs=5, batch_size=64, seed=0)
    assert run.test_loss[-1] < 0.5 * run.test_loss[0]
    assert np.all(np.isnan(run.test_accuracy)) and np.all(np.isnan(run.train_accuracy))


@pytest.mark.parametrize("sizes, error, message", [
    ((6, 6), ValueError, "at least one hidden layer"),
    ((6, 3, 5), ValueError, "as wide as the input, 6"),
    ((6, 0, 6), ValueError, "layer size: 0"),
    ((6, 2.5, 6), ValueError, "layer size: 2.5"),
    (7, TypeError, "Invalid layer_sizes: 7"),
])
def test_autoencoder_bad_layer_sizes_are_refused(sizes, error, message):
    with pytest.raises(error, match=message):
        Autoencoder(sizes)


def test_autoencoder_bad_inputs_are_refused():
    model = AUTOENCODERS["deep"]
    x, y = batch(0)
    with pytest.raises(ValueError, match=r"theta must have shape"):
        model.loss(np.zeros(3), x)
    with pytest.raises(ValueError, match=r"x must have shape \(n, 6\), got \(5, 7\)"):
        model.loss(model.init(0), np.zeros((5, 7)))
    with pytest.raises(ValueError, match=r"y must have shape \(5,\) to match x"):
        model.loss_and_grad(model.init(0), x, y[:2])
