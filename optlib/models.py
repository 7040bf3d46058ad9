r"""Small numpy models with hand-written backpropagation: :class:`LogisticRegression`, :class:`MLP`
(classifiers) and :class:`Autoencoder` (reconstructs its input).

All parameters of a model live in **one flat vector** :math:`\theta`, so that every optlib
optimizer, which works on arrays, can train it:

.. code-block:: python

    model = MLP(n_features=64, n_hidden=32, n_classes=10)
    theta = model.init(seed=0)                   # shape (model.n_params,)
    loss, g = model.loss_and_grad(theta, x, y)   # g has the shape of theta
    theta, state = optimizer.step(theta, g, state)
    model.unflatten(theta)["W1"]                 # the named weight matrices, for the reader

The classifiers' loss is the mean cross-entropy of the softmax of the logits :math:`z`,

.. math::

    J(\theta) = \frac{1}{n} \sum_{i=1}^n -\log \operatorname{softmax}(z_i)_{y_i}
              + \frac{\lambda}{2} \sum_{\text{weight matrices}} \lVert W \rVert^2,

computed with a stable log-softmax (:math:`z - \max z - \log \sum e^{z - \max z}`). Its gradient
with respect to the logits is :math:`(\operatorname{softmax}(z_i) - e_{y_i}) / n`; backpropagation
carries it to each weight matrix by the chain rule (Rumelhart, Hinton & Williams, "Learning
representations by back-propagating errors", Nature 323, 1986).
"""

from __future__ import annotations

import math
from numbers import Integral, Real

import numpy as np


def log_softmax(z: np.ndarray) -> np.ndarray:
    """Row-wise ``log softmax(z)``, stable for large logits (the row maximum is subtracted first)."""
    shifted = z - z.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def _check_count(name: str, value) -> int:
    if isinstance(value, bool) or not isinstance(value, Integral) or value < 1:
        raise ValueError(f"Invalid {name}: {value!r} (expected an integer >= 1)")
    return int(value)


def _check_l2(l2) -> float:
    if isinstance(l2, bool) or not isinstance(l2, Real) or not (math.isfinite(l2) and l2 >= 0):
        raise ValueError(f"Invalid l2: {l2!r} (expected a finite number >= 0)")
    return float(l2)


class FlatParameters:
    """What every model shares: the layout of :math:`\\theta` and the checks of its inputs.

    A subclass sets ``shapes`` (name -> shape of each weight array, in the order they are stored
    in :math:`\\theta`) and ``n_features``.
    """

    shapes: dict
    n_features: int

    @property
    def n_params(self) -> int:
        """The length of :math:`\\theta`."""
        return sum(math.prod(shape) for shape in self.shapes.values())

    # --- theta <-> named weights -------------------------------------------------------------

    def unflatten(self, theta) -> dict:
        """The named weight arrays stored in ``theta`` (views of it, e.g. ``{"W": ..., "b": ...}``)."""
        theta = self.check_theta(theta)
        weights, start = {}, 0
        for name, shape in self.shapes.items():
            size = math.prod(shape)
            view = theta[start:start + size].reshape(shape)
            view.flags.writeable = False  # a read-only view: editing it would edit theta
            weights[name] = view
            start += size
        return weights

    def flatten(self, weights: dict) -> np.ndarray:
        """The inverse of :meth:`unflatten`: one float64 vector from the named weight arrays."""
        if set(weights) != set(self.shapes):
            raise ValueError(f"expected weights named {list(self.shapes)}, got {list(weights)}")
        parts = []
        for name, shape in self.shapes.items():
            array = np.asarray(weights[name], dtype=np.float64)
            if array.shape != shape:
                raise ValueError(f"weight {name!r} must have shape {shape}, got {array.shape}")
            parts.append(array.ravel())
        return np.concatenate(parts)

    # --- checks ------------------------------------------------------------------------------

    def check_theta(self, theta) -> np.ndarray:
        """``theta`` as a float array of shape ``(n_params,)``, or a clear ``ValueError``."""
        theta = np.asarray(theta)
        if not np.issubdtype(theta.dtype, np.floating):
            theta = theta.astype(np.float64)
        if theta.shape != (self.n_params,):
            raise ValueError(f"theta must have shape ({self.n_params},) for {self!r}, got {theta.shape}")
        return theta

    def check_features(self, x) -> np.ndarray:
        """``x`` as floats of shape ``(n, n_features)`` with ``n >= 1``, or a clear ``ValueError``."""
        x = np.asarray(x)
        if not np.issubdtype(x.dtype, np.floating):
            x = x.astype(np.float64)
        if x.ndim != 2 or x.shape[1] != self.n_features:
            raise ValueError(f"x must have shape (n, {self.n_features}), got {x.shape}")
        if x.shape[0] == 0:
            raise ValueError("x must hold at least one example, got none")
        return x


class Model(FlatParameters):
    """What both classifiers share: the layout of :math:`\\theta`, input checks, loss, predictions.

    A subclass sets ``shapes`` and ``n_classes``, and writes ``logits(weights, x)`` and
    ``backward(weights, x, y)``, which returns ``(loss, gradient as a dict like weights)``.
    """

    n_classes: int
    l2: float

    def check_data(self, x, y):
        """``(x, y)`` checked: ``x`` by :meth:`check_features`, ``y`` one label ``0..n_classes-1`` per row."""
        x = self.check_features(x)
        y = np.asarray(y)
        if y.shape != (x.shape[0],):
            raise ValueError(f"y must have shape ({x.shape[0]},) to match x, got {y.shape}")
        if not np.issubdtype(y.dtype, np.integer):
            raise ValueError(f"y must hold integer class labels, got dtype {y.dtype}")
        if y.min() < 0 or y.max() >= self.n_classes:
            bad = y[(y < 0) | (y >= self.n_classes)][0]
            raise ValueError(f"labels must be in 0..{self.n_classes - 1}, got {bad}")
        return x, y

    # --- loss, gradient, predictions ---------------------------------------------------------

    def penalty(self, weights: dict) -> float:
        """The L2 term :math:`\\frac{\\lambda}{2} \\sum \\lVert W \\rVert^2` (weights, not biases)."""
        if self.l2 == 0.0:
            return 0.0
        squares = sum(float(np.sum(w * w)) for name, w in weights.items() if name.startswith("W"))
        return 0.5 * self.l2 * squares

    def loss(self, theta, x, y) -> float:
        """The mean cross-entropy on ``(x, y)`` plus the L2 term."""
        weights = self.unflatten(theta)
        x, y = self.check_data(x, y)
        log_p = log_softmax(self.logits(weights, x))
        return float(-log_p[np.arange(len(y)), y].mean()) + self.penalty(weights)

    def loss_and_grad(self, theta, x, y):
        """``(loss, gradient)``: the loss and its gradient with respect to ``theta`` (same shape)."""
        weights = self.unflatten(theta)
        x, y = self.check_data(x, y)
        loss, grads = self.backward(weights, x, y)
        return loss + self.penalty(weights), self.flatten_like(grads, weights)

    def grad(self, theta, x, y) -> np.ndarray:
        """The gradient of :meth:`loss` with respect to ``theta``, same shape as ``theta``."""
        return self.loss_and_grad(theta, x, y)[1]

    def flatten_like(self, grads: dict, weights: dict) -> np.ndarray:
        """The gradient dict as one vector, with the L2 term's :math:`\\lambda W` added to each ``W``."""
        if self.l2 != 0.0:
            grads = {n: g + self.l2 * weights[n] if n.startswith("W") else g for n, g in grads.items()}
        return np.concatenate([grads[name].ravel() for name in self.shapes])

    def predict(self, theta, x) -> np.ndarray:
        """The predicted class of each row of ``x``: the index of its largest logit."""
        return np.argmax(self.logits(self.unflatten(theta), self.check_features(x)), axis=1)

    def accuracy(self, theta, x, y) -> float:
        """The fraction of examples whose predicted class is their label."""
        x, y = self.check_data(x, y)
        return float(np.mean(self.predict(theta, x) == y))

    @staticmethod
    def softmax_error(z: np.ndarray, y: np.ndarray):
        """``(mean cross-entropy, dJ/dz)`` for logits ``z``:
        ``dJ/dz = (softmax(z) - onehot(y)) / n``."""
        n = len(y)
        log_p = log_softmax(z)
        delta = np.exp(log_p)
        delta[np.arange(n), y] -= 1.0
        return float(-log_p[np.arange(n), y].mean()), delta / n


def glorot(rng: np.random.Generator, fan_in: int, fan_out: int) -> np.ndarray:
    """Glorot/Xavier uniform weights :math:`U(-a, a)`, :math:`a = \\sqrt{6 / (n_{in} + n_{out})}`.

    Glorot & Bengio, "Understanding the difficulty of training deep feedforward neural networks",
    AISTATS 2010.
    """
    limit = math.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, size=(fan_in, fan_out))


def he(rng: np.random.Generator, fan_in: int, fan_out: int) -> np.ndarray:
    """He uniform weights for ReLU layers: :math:`U(-a, a)`, :math:`a = \\sqrt{6 / n_{in}}`.

    He, Zhang, Ren & Sun, "Delving deep into rectifiers", ICCV 2015.
    """
    limit = math.sqrt(6.0 / fan_in)
    return rng.uniform(-limit, limit, size=(fan_in, fan_out))


class LogisticRegression(Model):
    r"""Softmax (multinomial logistic) regression: logits :math:`z = x W + b`.

    Weights ``W`` of shape ``(n_features, n_classes)`` and bias ``b`` of shape ``(n_classes,)``.
    With :math:`\delta = (\operatorname{softmax}(z) - e_y)/n` the gradient is
    :math:`\nabla_W J = x^\top \delta + \lambda W`, :math:`\nabla_b J = \sum_i \delta_i`.
    The loss is convex in :math:`\theta`. ``l2`` is :math:`\lambda` (on ``W`` only).
    """

    def __init__(self, n_features: int, n_classes: int, *, l2: float = 0.0):
        self.n_features = _check_count("n_features", n_features)
        self.n_classes = _check_count("n_classes", n_classes)
        if self.n_classes < 2:
            raise ValueError(f"Invalid n_classes: {n_classes} (a classifier needs at least 2)")
        self.l2 = _check_l2(l2)
        self.shapes = {"W": (self.n_features, self.n_classes), "b": (self.n_classes,)}

    def init(self, seed: int = 0) -> np.ndarray:
        """A starting :math:`\\theta`: Glorot-uniform ``W`` drawn with ``seed``, zero ``b``."""
        rng = np.random.default_rng(seed)
        weights = glorot(rng, self.n_features, self.n_classes)
        return self.flatten({"W": weights, "b": np.zeros(self.n_classes)})

    def logits(self, weights: dict, x: np.ndarray) -> np.ndarray:
        return x @ weights["W"] + weights["b"]

    def backward(self, weights: dict, x: np.ndarray, y: np.ndarray):
        loss, delta = self.softmax_error(self.logits(weights, x), y)
        return loss, {"W": x.T @ delta, "b": delta.sum(axis=0)}

    def __repr__(self) -> str:
        return (f"LogisticRegression(n_features={self.n_features}, n_classes={self.n_classes}, "
                f"l2={self.l2})")


ACTIVATIONS = ("tanh", "relu")


class MLP(Model):
    r"""A network with one hidden layer: :math:`h = \sigma(x W_1 + b_1)`, logits :math:`z = h W_2 + b_2`.

    ``activation`` :math:`\sigma` is ``"tanh"`` or ``"relu"``. Backpropagation, with
    :math:`\delta_2 = (\operatorname{softmax}(z) - e_y)/n`:

    .. math::

        \nabla_{W_2} J = h^\top \delta_2, \quad \nabla_{b_2} J = \textstyle\sum_i \delta_{2,i}, \quad
        \delta_1 = (\delta_2 W_2^\top) \odot \sigma'(a_1), \quad
        \nabla_{W_1} J = x^\top \delta_1, \quad \nabla_{b_1} J = \textstyle\sum_i \delta_{1,i},

    where :math:`a_1 = x W_1 + b_1`, :math:`\tanh' = 1 - \tanh^2` and
    :math:`\operatorname{relu}'(a) = [a > 0]`; ``l2`` adds :math:`\lambda W` to each weight matrix.
    Weights start Glorot-uniform for tanh, He-uniform for ReLU; biases at zero.
    """

    def __init__(self, n_features: int, n_hidden: int, n_classes: int, activation: str = "tanh", *,
                 l2: float = 0.0):
        self.n_features = _check_count("n_features", n_features)
        self.n_hidden = _check_count("n_hidden", n_hidden)
        self.n_classes = _check_count("n_classes", n_classes)
        if self.n_classes < 2:
            raise ValueError(f"Invalid n_classes: {n_classes} (a classifier needs at least 2)")
        if activation not in ACTIVATIONS:
            raise ValueError(f"Invalid activation: {activation!r} (expected one of {ACTIVATIONS})")
        self.activation = activation
        self.l2 = _check_l2(l2)
        self.shapes = {
            "W1": (self.n_features, self.n_hidden), "b1": (self.n_hidden,),
            "W2": (self.n_hidden, self.n_classes), "b2": (self.n_classes,),
        }

    def init(self, seed: int = 0) -> np.ndarray:
        """A starting :math:`\\theta` drawn with ``seed`` (Glorot for tanh, He for ReLU; zero biases)."""
        rng = np.random.default_rng(seed)
        draw = glorot if self.activation == "tanh" else he
        return self.flatten({
            "W1": draw(rng, self.n_features, self.n_hidden), "b1": np.zeros(self.n_hidden),
            "W2": glorot(rng, self.n_hidden, self.n_classes), "b2": np.zeros(self.n_classes),
        })

    def hidden(self, weights: dict, x: np.ndarray):
        """``(a1, h)``: the hidden layer before and after the activation."""
        a1 = x @ weights["W1"] + weights["b1"]
        return a1, (np.tanh(a1) if self.activation == "tanh" else np.maximum(a1, 0.0))

    def logits(self, weights: dict, x: np.ndarray) -> np.ndarray:
        return self.hidden(weights, x)[1] @ weights["W2"] + weights["b2"]

    def backward(self, weights: dict, x: np.ndarray, y: np.ndarray):
        a1, h = self.hidden(weights, x)
        loss, delta2 = self.softmax_error(h @ weights["W2"] + weights["b2"], y)
        slope = 1.0 - h * h if self.activation == "tanh" else (a1 > 0).astype(h.dtype)
        delta1 = (delta2 @ weights["W2"].T) * slope
        return loss, {"W1": x.T @ delta1, "b1": delta1.sum(axis=0),
                      "W2": h.T @ delta2, "b2": delta2.sum(axis=0)}

    def __repr__(self) -> str:
        return (f"MLP(n_features={self.n_features}, n_hidden={self.n_hidden}, n_classes={self.n_classes}, "
                f"activation={self.activation!r}, l2={self.l2})")


def sigmoid(a: np.ndarray) -> np.ndarray:
    """The logistic function :math:`1 / (1 + e^{-a})`, written as
    ``(1 + tanh(a / 2)) / 2`` so that no ``exp`` overflows for very negative ``a``."""
    return 0.5 * (1.0 + np.tanh(0.5 * a))


class Autoencoder(FlatParameters):
    r"""A deep autoencoder: it squeezes each input through a narrow code, then rebuilds.

    ``layer_sizes`` lists the widths from the input to the output, e.g.
    ``(64, 32, 8, 32, 64)``; the first and the last are ``n_features``. Layer
    :math:`l = 1 \dots L` computes :math:`a_l = h_{l-1} W_l + b_l`,
    :math:`h_l = f_l(a_l)` from :math:`h_0 = x`, with :math:`f_l = \tanh` for the
    hidden layers except the narrowest, the *code*, which is linear (as in Hinton &
    Salakhutdinov, Science 313, 2006), and the logistic sigmoid for the output
    :math:`\hat x = h_L`, since pixels lie in :math:`[0, 1]`. The loss is the squared
    reconstruction error per example, the measure Sutskever et al. (ICML 2013) report:

    .. math::

        J(\theta) = \frac{1}{n} \sum_{i=1}^n \lVert \hat x_i - x_i \rVert^2 .

    Backpropagation starts from
    :math:`\delta_L = \frac{2}{n} (\hat x - x) \odot \hat x \odot (1 - \hat x)` and runs
    :math:`\delta_{l-1} = (\delta_l W_l^\top) \odot f'_{l-1}(a_{l-1})`; then
    :math:`\nabla_{W_l} J = h_{l-1}^\top \delta_l` and
    :math:`\nabla_{b_l} J = \sum_i \delta_{l,i}`. Weights start Glorot-uniform,
    biases at zero.

    The labels ``y`` that :func:`optlib.train` passes are ignored (the target is ``x``),
    and there is no ``accuracy``: the History's accuracy columns are NaN.
    """

    def __init__(self, layer_sizes=(64, 32, 8, 32, 64)):
        try:
            sizes = tuple(layer_sizes)
        except TypeError:
            raise TypeError(f"Invalid layer_sizes: {layer_sizes!r} (expected a "
                            "sequence of integers like (64, 32, 8, 32, 64))") from None
        if len(sizes) < 3:
            raise ValueError(f"Invalid layer_sizes: {layer_sizes!r} (expected at least "
                             "one hidden layer between the input and the output)")
        sizes = tuple(_check_count("layer size", size) for size in sizes)
        if sizes[0] != sizes[-1]:
            raise ValueError(f"Invalid layer_sizes: {layer_sizes!r} (the output must "
                             f"be as wide as the input, {sizes[0]})")
        self.layer_sizes = sizes
        self.n_features = sizes[0]
        hidden = sizes[1:-1]
        self.code_layer = 1 + hidden.index(min(hidden))  # the narrowest hidden layer
        self.shapes = {}
        for layer, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:]), start=1):
            self.shapes[f"W{layer}"] = (fan_in, fan_out)
            self.shapes[f"b{layer}"] = (fan_out,)

    @property
    def n_layers(self) -> int:
        """:math:`L`, the number of weight matrices."""
        return len(self.layer_sizes) - 1

    def init(self, seed: int = 0) -> np.ndarray:
        """A starting :math:`\\theta`: Glorot-uniform weights drawn with ``seed``, zero
        biases."""
        rng = np.random.default_rng(seed)
        weights = {}
        for layer in range(1, self.n_layers + 1):
            fan_in, fan_out = self.shapes[f"W{layer}"]
            weights[f"W{layer}"] = glorot(rng, fan_in, fan_out)
            weights[f"b{layer}"] = np.zeros(fan_out)
        return self.flatten(weights)

    def check_data(self, x, y=None):
        """``(x, y)``: ``x`` checked by :meth:`check_features`; ``y``, if given, one
        entry per row (it is not used)."""
        x = self.check_features(x)
        if y is not None and np.shape(y) != (x.shape[0],):
            raise ValueError(f"y must have shape ({x.shape[0]},) to match x, "
                             f"got {np.shape(y)}")
        return x, y

    def forward(self, weights: dict, x: np.ndarray) -> list:
        """The activations :math:`h_0 = x, h_1, \\dots, h_L = \\hat x` of the layers."""
        layers = [x]
        for layer in range(1, self.n_layers + 1):
            a = layers[-1] @ weights[f"W{layer}"] + weights[f"b{layer}"]
            if layer == self.n_layers:
                layers.append(sigmoid(a))
            elif layer == self.code_layer:
                layers.append(a)
            else:
                layers.append(np.tanh(a))
        return layers

    def slope(self, layer: int, h: np.ndarray) -> np.ndarray:
        """:math:`f'_l(a_l)` written with :math:`h_l = f_l(a_l)`."""
        if layer == self.n_layers:
            return h * (1.0 - h)
        if layer == self.code_layer:
            return np.ones_like(h)
        return 1.0 - h * h

    def reconstruct(self, theta, x) -> np.ndarray:
        """:math:`\\hat x`, the reconstruction of every row of ``x``."""
        return self.forward(self.unflatten(theta), self.check_features(x))[-1]

    def encode(self, theta, x) -> np.ndarray:
        """The code of every row of ``x`` (the narrowest layer's activations)."""
        layers = self.forward(self.unflatten(theta), self.check_features(x))
        return layers[self.code_layer]

    def loss(self, theta, x, y=None) -> float:
        """The squared reconstruction error per example, :math:`J(\\theta)`."""
        x, _ = self.check_data(x, y)
        error = self.reconstruct(theta, x) - x
        return float(np.sum(error * error) / len(x))

    def loss_and_grad(self, theta, x, y=None):
        """``(loss, gradient)``: the gradient by backpropagation, shaped like theta."""
        weights = self.unflatten(theta)
        x, _ = self.check_data(x, y)
        layers = self.forward(weights, x)
        error = layers[-1] - x
        delta = (2.0 / len(x)) * error * self.slope(self.n_layers, layers[-1])
        grads = {}
        for layer in range(self.n_layers, 0, -1):
            grads[f"W{layer}"] = layers[layer - 1].T @ delta
            grads[f"b{layer}"] = delta.sum(axis=0)
            if layer > 1:
                below = self.slope(layer - 1, layers[layer - 1])
                delta = (delta @ weights[f"W{layer}"].T) * below
        gradient = np.concatenate([grads[name].ravel() for name in self.shapes])
        return float(np.sum(error * error) / len(x)), gradient

    def grad(self, theta, x, y=None) -> np.ndarray:
        """The gradient of :meth:`loss` with respect to ``theta``, shaped like it."""
        return self.loss_and_grad(theta, x, y)[1]

    def __repr__(self) -> str:
        return f"Autoencoder(layer_sizes={self.layer_sizes})"
