r"""Test functions: the landscapes the book's optimizers walk on.

Every objective ``f`` is an :class:`Objective`:

* ``f(x)`` takes points of shape ``(..., d)`` (a plain list works too) and returns values of
  shape ``(...)``; ``f.grad(x)`` returns the analytic gradients, shape ``(..., d)``.
* ``f.name`` (for titles), ``f.dim`` (``d``), ``f.minima`` (the global minimisers, shape
  ``(k, d)``; ``(0, d)`` if there are none), ``f.min_value`` (``-inf`` if unbounded below),
  ``f.local_minima`` (the other local minima, ``(k, d)``, possibly empty), ``f.window`` (the
  plotting window, ``(d, 2)`` rows of ``[low, high]``) and ``f.start`` (a start point, ``(d,)``,
  chosen so that the trajectories from it show something).

The arrays are read-only. :func:`catalog` lists the two-dimensional ones and :func:`hilly` by
name, for the explorer widget. Everything here is numpy only.

A warning the book repeats: how an optimizer moves on a two-dimensional test function says
little about how it trains a real network; these pictures are for building intuition.
"""

from __future__ import annotations

import itertools
from typing import Callable

import numpy as np

Array = np.ndarray


def _frozen(array, shape_name: str, shape: tuple) -> Array:
    """``array`` as a read-only float64 array of the given shape (``-1`` is free)."""
    out = np.array(array, dtype=np.float64)
    if out.ndim != len(shape) or any(s not in (-1, n) for s, n in zip(shape, out.shape)):
        expected = "(" + ", ".join("k" if s == -1 else str(s) for s in shape) + ")"
        raise ValueError(f"{shape_name} must have shape {expected}, got {out.shape}")
    out.setflags(write=False)
    return out


class Objective:
    """A differentiable function of ``d`` variables with its known minima and a plotting window.

    ``value(x)`` and ``grad(x)`` receive a float array of shape ``(..., d)`` and return arrays of
    shape ``(...)`` and ``(..., d)``. Build one from your own formulas, or use the constructors
    of this module. ``window`` defaults to ``[-2, 2]`` per coordinate and ``start`` to a point
    a fifth of the way into the window from its lower corner.
    """

    def __init__(
        self,
        name: str,
        dim: int,
        value: Callable[[Array], Array],
        grad: Callable[[Array], Array],
        *,
        minima=None,
        min_value: float = float("nan"),
        local_minima=None,
        window=None,
        start=None,
    ):
        if isinstance(dim, bool) or not isinstance(dim, (int, np.integer)) or dim < 1:
            raise ValueError(f"dim must be a positive integer, got {dim!r}")
        self.name = str(name)
        self.dim = int(dim)
        self._value = value
        self._grad = grad
        empty = np.zeros((0, self.dim))
        self.minima = _frozen(empty if minima is None else minima, "minima", (-1, self.dim))
        self.local_minima = _frozen(
            empty if local_minima is None else local_minima, "local_minima", (-1, self.dim)
        )
        self.min_value = float(min_value)
        default_window = np.tile([-2.0, 2.0], (self.dim, 1))
        self.window = _frozen(default_window if window is None else window, "window", (self.dim, 2))
        if not np.all(self.window[:, 0] < self.window[:, 1]):
            raise ValueError(f"window rows must be [low, high] with low < high, got {self.window.tolist()}")
        low, high = self.window[:, 0], self.window[:, 1]
        self.start = _frozen(low + 0.2 * (high - low) if start is None else start, "start", (self.dim,))

    def points(self, x) -> Array:
        """``x`` as a float array of shape ``(..., d)``; a clear error otherwise."""
        array = np.asarray(x)
        if not np.issubdtype(array.dtype, np.floating):
            array = array.astype(np.float64)
        if array.ndim == 0 or array.shape[-1] != self.dim:
            raise ValueError(
                f"{self.name} takes points of shape (..., {self.dim}), got shape {array.shape}"
            )
        return array

    def __call__(self, x) -> Array:
        """The value at each point: shape ``(...)`` for ``x`` of shape ``(..., d)``."""
        return self._value(self.points(x))

    def grad(self, x) -> Array:
        """The gradient at each point: shape ``(..., d)``."""
        return self._grad(self.points(x))

    def __repr__(self) -> str:
        return f"<Objective {self.name!r}, dim={self.dim}, min_value={self.min_value:g}>"


# --- quadratics -------------------------------------------------------------------------------


class Quadratic(Objective):
    r"""The quadratic :math:`f(x) = \tfrac12 x^\top A x - b^\top x + c`, gradient :math:`Ax - b`.

    ``A`` must be symmetric. Extra attributes: ``hessian`` (:math:`A`), ``lipschitz`` (its
    largest eigenvalue :math:`L`, the Lipschitz constant of the gradient), ``mu`` (its smallest
    eigenvalue) and ``condition_number`` (:math:`L/\mu`, ``inf`` if :math:`\mu \le 0`).

    If :math:`A` is positive definite the minimiser is :math:`x^\star = A^{-1} b` with value
    :math:`c - \tfrac12 b^\top A^{-1} b`. If :math:`A` has a negative eigenvalue, or is singular
    with :math:`b` outside its range, :math:`f` is unbounded below (no minima,
    ``min_value = -inf``). If :math:`A` is singular and :math:`b` is in its range the minimisers
    form an affine subspace; ``minima`` then holds its point of smallest norm.
    The default window is the minimiser (or the origin) :math:`\pm 2` per coordinate.
    """

    def __init__(self, A, b=None, c=0.0, *, name="Quadratic", window=None, start=None):
        A = np.array(A, dtype=np.float64)
        if A.ndim != 2 or A.shape[0] != A.shape[1] or A.shape[0] == 0:
            raise ValueError(f"A must be a square matrix, got shape {A.shape}")
        if not np.all(np.isfinite(A)) or not np.allclose(A, A.T, rtol=1e-12, atol=1e-12):
            raise ValueError("A must be a finite symmetric matrix")
        d = A.shape[0]
        b = np.zeros(d) if b is None else np.array(b, dtype=np.float64)
        if b.shape != (d,):
            raise ValueError(f"b must have shape ({d},), got {b.shape}")
        A.setflags(write=False)
        b.setflags(write=False)
        self.hessian, self.b, self.c = A, b, float(c)
        eigenvalues = np.linalg.eigvalsh(A)
        self.mu, self.lipschitz = float(eigenvalues[0]), float(eigenvalues[-1])
        self.condition_number = self.lipschitz / self.mu if self.mu > 0 else float("inf")

        scale = max(abs(self.lipschitz), abs(self.mu), 1e-300)
        x_star = np.linalg.lstsq(A, b, rcond=None)[0]
        bounded = self.mu >= -1e-12 * scale and np.allclose(A @ x_star, b, atol=1e-9 * (1 + np.abs(b).max()))
        if bounded:
            minima, min_value = x_star[None, :], self.c - 0.5 * float(b @ x_star)
        else:
            minima, min_value = np.zeros((0, d)), -np.inf
        centre = x_star if bounded else np.zeros(d)
        if window is None:
            window = np.column_stack([centre - 2.0, centre + 2.0])
        if start is None:
            start = centre + 1.5 * np.where(np.arange(d) % 2 == 0, -1.0, 1.0)
        super().__init__(name, d, self._quadratic_value, self._quadratic_grad, minima=minima,
                         min_value=min_value, window=window, start=start)

    def _quadratic_value(self, x):
        return 0.5 * np.sum(x * (x @ self.hessian), axis=-1) - x @ self.b + self.c

    def _quadratic_grad(self, x):
        return x @ self.hessian - self.b


def ravine(condition: float = 10.0) -> Quadratic:
    r"""A long narrow valley: :math:`f(x, y) = \tfrac12 (x^2 + \kappa\, y^2)`, :math:`\kappa` = ``condition``.

    The Hessian is ``diag(1, condition)``: curvature :math:`\mu = 1` along the valley floor
    (:math:`x`) and :math:`L = \kappa` across it (:math:`y`). Minimum 0 at the origin. Gradient
    descent with a learning rate near :math:`2/L` zig-zags across the valley while it creeps
    along it; the start ``(-9, 2)`` excites both directions.
    """
    condition = float(condition)
    if not (np.isfinite(condition) and condition >= 1.0):
        raise ValueError(f"condition must be a finite number >= 1, got {condition}")
    return Quadratic(np.diag([1.0, condition]), name=f"Ravine (κ = {condition:g})",
                     window=[[-10.0, 10.0], [-4.0, 4.0]], start=[-9.0, 2.0])


def random_quadratic(dim: int, condition: float, rng=0) -> Quadratic:
    r"""A random positive definite quadratic :math:`\tfrac12 x^\top A x - b^\top x`.

    :math:`A = Q\,\mathrm{diag}(\lambda)\,Q^\top` with :math:`Q` a random rotation and
    eigenvalues :math:`\lambda` spaced geometrically from 1 to ``condition`` (so
    ``condition_number == condition``); :math:`b \sim \mathcal N(0, I)`. ``rng`` is a seed or a
    ``numpy.random.Generator``; the same seed gives the same function.
    """
    if isinstance(dim, bool) or not isinstance(dim, (int, np.integer)) or dim < 1:
        raise ValueError(f"dim must be a positive integer, got {dim!r}")
    condition = float(condition)
    if not (np.isfinite(condition) and condition >= 1.0):
        raise ValueError(f"condition must be a finite number >= 1, got {condition}")
    if dim == 1 and condition != 1.0:
        raise ValueError(f"a 1-D quadratic has condition number 1, got condition={condition}")
    rng = np.random.default_rng(rng)
    q, r = np.linalg.qr(rng.normal(size=(dim, dim)))
    q = q * np.sign(np.diag(r))  # a uniformly random rotation (Haar measure)
    eigenvalues = np.geomspace(1.0, condition, dim)
    A = (q * eigenvalues) @ q.T
    A = 0.5 * (A + A.T)
    b = rng.normal(size=dim)
    return Quadratic(A, b, name=f"Random quadratic (d = {dim}, κ = {condition:g})")


# --- the classic two-dimensional test functions -------------------------------------------------


def rosenbrock(a: float = 1.0, b: float = 100.0) -> Objective:
    r"""Rosenbrock's banana valley: :math:`f(x, y) = (a - x)^2 + b\,(y - x^2)^2`.

    Global minimum 0 at :math:`(a, a^2)`, at the end of a curved, flat-bottomed valley that
    gradient descent finds quickly and then follows slowly. Start: the classic
    :math:`(a - 2.2, a^2)`, i.e. :math:`(-1.2, 1)`.

    H. H. Rosenbrock, "An automatic method for finding the greatest or least value of a
    function", The Computer Journal 3(3), 175-184, 1960.
    """
    a, b = float(a), float(b)
    if not b > 0:
        raise ValueError(f"b must be > 0, got {b}")

    def value(p):
        x, y = p[..., 0], p[..., 1]
        return (a - x) ** 2 + b * (y - x**2) ** 2

    def grad(p):
        x, y = p[..., 0], p[..., 1]
        valley = y - x**2
        return np.stack([-2 * (a - x) - 4 * b * x * valley, 2 * b * valley], axis=-1)

    return Objective("Rosenbrock", 2, value, grad, minima=[[a, a * a]], min_value=0.0,
                     window=[[a - 3.0, a + 1.0], [a * a - 2.0, a * a + 2.0]],
                     start=[round(a - 2.2, 12), a * a])


def beale() -> Objective:
    r"""Beale's function: :math:`f(x, y) = \sum_{i=1}^{3} (c_i - x + x y^i)^2`.

    Here :math:`c = (1.5, 2.25, 2.625)`. Global minimum 0 at :math:`(3, 0.5)`, in a narrow
    curved valley; the function is flat (:math:`\approx 14.2`) along :math:`x = 0` and rises
    like :math:`x^2 y^6` in the corners, so a learning rate that is safe everywhere is tiny.
    Two saddle points, no other local minimum in the window :math:`[-4.5, 4.5]^2`.

    E. M. L. Beale, "On an iterative method for finding a local minimum of a function of more
    than one variable", Technical Report 25, Statistical Techniques Research Group,
    Princeton University, 1958.
    """
    c = np.array([1.5, 2.25, 2.625])
    powers = np.arange(1, 4)

    def value(p):
        x, y = p[..., 0, None], p[..., 1, None]
        return np.sum((c - x + x * y**powers) ** 2, axis=-1)

    def grad(p):  # written out term by term: twice as fast as the broadcast form on one point
        x, y = p[..., 0], p[..., 1]
        y2, y3 = y * y, y * y * y
        r1, r2, r3 = c[0] - x + x * y, c[1] - x + x * y2, c[2] - x + x * y3
        dx = 2 * (r1 * (y - 1) + r2 * (y2 - 1) + r3 * (y3 - 1))
        dy = 2 * x * (r1 + 2 * r2 * y + 3 * r3 * y2)
        return np.stack([dx, dy], axis=-1)

    return Objective("Beale", 2, value, grad, minima=[[3.0, 0.5]], min_value=0.0,
                     window=[[-4.5, 4.5], [-4.5, 4.5]], start=[1.0, 1.4])


# The four minima of Himmelblau's function: (3, 2) exactly, the others refined by Newton's
# method to the last digit (tests/test_functions.py checks the gradient vanishes there).
_HIMMELBLAU_MINIMA = [
    [3.0, 2.0],
    [-2.805118086952745, 3.131312518250573],
    [-3.779310253377747, -3.283185991286169],
    [3.5844283403304917, -1.8481265269644036],
]


def himmelblau() -> Objective:
    r"""Himmelblau's function: :math:`f(x, y) = (x^2 + y - 11)^2 + (x + y^2 - 7)^2`.

    Four global minima, all with value 0: :math:`(3, 2)`, :math:`(-2.805, 3.131)`,
    :math:`(-3.779, -3.283)` and :math:`(3.584, -1.848)`; which one an optimizer reaches
    depends on where it starts and how it moves. Window :math:`[-5, 5]^2`.

    D. M. Himmelblau, *Applied Nonlinear Programming*, McGraw-Hill, 1972.
    """

    def value(p):
        x, y = p[..., 0], p[..., 1]
        return (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2

    def grad(p):
        x, y = p[..., 0], p[..., 1]
        u, v = x**2 + y - 11, x + y**2 - 7
        return np.stack([4 * x * u + 2 * v, 2 * u + 4 * y * v], axis=-1)

    return Objective("Himmelblau", 2, value, grad, minima=_HIMMELBLAU_MINIMA, min_value=0.0,
                     window=[[-5.0, 5.0], [-5.0, 5.0]], start=[-0.5, -4.5])


def saddle() -> Objective:
    r"""The saddle :math:`f(x, y) = x^2 - y^2`: no minimum (unbounded below).

    The origin is a saddle point (``f.saddle_points``), where the gradient vanishes but the
    function curves up along :math:`x` and down along :math:`y`. From the start
    :math:`(-1.8, 0.05)`, close to the line :math:`y = 0`, gradient descent first heads for the
    saddle and then slowly escapes from it along :math:`y`.
    """

    def value(p):
        return p[..., 0] ** 2 - p[..., 1] ** 2

    def grad(p):
        return np.stack([2 * p[..., 0], -2 * p[..., 1]], axis=-1)

    f = Objective("Saddle", 2, value, grad, min_value=-np.inf,
                  window=[[-2.0, 2.0], [-2.0, 2.0]], start=[-1.8, 0.05])
    f.saddle_points = _frozen([[0.0, 0.0]], "saddle_points", (1, 2))
    return f


def _rastrigin_minima_1d(amplitude: float, low: float, high: float) -> Array:
    """The local minima of ``x**2 - A cos(2 pi x)`` in ``[low, high]`` (Newton from each integer)."""
    found = []
    for n in range(int(np.floor(low)), int(np.ceil(high)) + 1):
        x = float(n)
        for _ in range(50):
            slope = 2 * x + 2 * np.pi * amplitude * np.sin(2 * np.pi * x)
            curvature = 2 + 4 * np.pi**2 * amplitude * np.cos(2 * np.pi * x)
            if curvature <= 0:
                break
            x -= slope / curvature
        curvature = 2 + 4 * np.pi**2 * amplitude * np.cos(2 * np.pi * x)
        slope = 2 * x + 2 * np.pi * amplitude * np.sin(2 * np.pi * x)
        if curvature > 0 and abs(slope) < 1e-9 and low <= x <= high:
            if not any(abs(x - other) < 1e-6 for other in found):
                found.append(x)
    return np.array(sorted(found))


def rastrigin(dim: int = 2, amplitude: float = 10.0) -> Objective:
    r"""Rastrigin's function: :math:`f(x) = A d + \sum_{i=1}^{d} \left(x_i^2 - A \cos(2\pi x_i)\right)`.

    A bowl covered in regularly spaced bumps: global minimum 0 at the origin and a local
    minimum near every integer point. With :math:`A = 10` and the window
    :math:`[-5.12, 5.12]^d` there are :math:`11^d - 1` local minima; they are listed in
    ``local_minima`` when :math:`11^d \le 10^5` (``d <= 4``), otherwise that array is empty.

    L. A. Rastrigin, *Systems of Extremal Control*, Nauka, Moscow, 1974; in :math:`d`
    dimensions: H. Mühlenbein, D. Schomisch & J. Born, "The parallel genetic algorithm as
    function optimizer", Parallel Computing 17, 619-632, 1991.
    """
    if isinstance(dim, bool) or not isinstance(dim, (int, np.integer)) or dim < 1:
        raise ValueError(f"dim must be a positive integer, got {dim!r}")
    A = float(amplitude)
    if not (np.isfinite(A) and A >= 0):
        raise ValueError(f"amplitude must be a finite number >= 0, got {amplitude}")

    def value(p):
        return A * p.shape[-1] + np.sum(p**2 - A * np.cos(2 * np.pi * p), axis=-1)

    def grad(p):
        return 2 * p + 2 * np.pi * A * np.sin(2 * np.pi * p)

    one_d = _rastrigin_minima_1d(A, -5.12, 5.12)
    if len(one_d) ** dim <= 100_000:
        grid = np.array(list(itertools.product(one_d, repeat=dim))).reshape(-1, dim)
        local = grid[np.any(grid != 0.0, axis=-1)]
    else:
        local = np.zeros((0, dim))
    return Objective("Rastrigin", dim, value, grad, minima=np.zeros((1, dim)), min_value=0.0,
                     local_minima=local, window=np.tile([-5.12, 5.12], (dim, 1)),
                     start=np.resize([-2.7, 3.3], dim))


# --- one dimension --------------------------------------------------------------------------------


def hilly() -> Objective:
    r"""A 1-D curve with a local minimum, a bump, and a lower global minimum.

    .. math::

        f(x) = \tfrac{1}{12}(x + 1)^2 (3x^2 - 14x + 19), \qquad
        f'(x) = (x + 1)(x - 1)(x - 2)

    The global minimum is :math:`f(-1) = 0` (the quadratic factor has no real root, so
    :math:`f > 0` elsewhere), the local minimum :math:`f(2) = 9/4`, with the top of the bump
    :math:`f(1) = 8/3` between them. Started at :math:`x = 3`, gradient descent with a modest
    learning rate (0.05, say) settles in the local minimum at 2; with momentum
    :math:`\gamma = 0.9` it crosses the bump into the global minimum at -1. That depends on
    the start and the step: from 2.5 momentum stays at 2, and gradient descent with a learning
    rate near 0.28 also crosses from 3 (the momentum chapter compares them fairly). All the
    minima are exact by construction.
    """

    def value(p):
        x = p[..., 0]
        return (x + 1) ** 2 * (3 * x**2 - 14 * x + 19) / 12

    def grad(p):
        return (p + 1) * (p - 1) * (p - 2)

    return Objective("Hilly curve", 1, value, grad, minima=[[-1.0]], min_value=0.0,
                     local_minima=[[2.0]], window=[[-2.0, 3.5]], start=[3.0])


def catalog() -> dict[str, Objective]:
    """The functions the explorer offers, by short name: the 2-D ones and the hilly curve."""
    return {
        "ravine": ravine(),
        "rosenbrock": rosenbrock(),
        "himmelblau": himmelblau(),
        "beale": beale(),
        "saddle": saddle(),
        "rastrigin": rastrigin(),
        "hilly": hilly(),
    }
