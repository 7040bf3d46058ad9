"""The test functions: analytic gradients against finite differences, the stated minima, shapes,
windows and start points, and the hilly curve's promise (gradient descent stuck, momentum through)."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

import optlib
from optlib import functions

ALL = {
    **functions.catalog(),
    "rosenbrock(a=2, b=5)": functions.rosenbrock(a=2.0, b=5.0),
    "ravine(100)": functions.ravine(condition=100.0),
    "rastrigin(dim=1)": functions.rastrigin(dim=1),
    "rastrigin(dim=3, amplitude=3)": functions.rastrigin(dim=3, amplitude=3.0),
    "random_quadratic(5, 30)": functions.random_quadratic(5, 30.0, rng=1),
    "quadratic 1-D": functions.Quadratic([[2.0]], name="1-D quadratic"),
    "quadratic with b and c": functions.Quadratic([[3.0, 1.0], [1.0, 2.0]], b=[1.0, -2.0], c=0.5),
    "indefinite quadratic": functions.Quadratic([[1.0, 0.0], [0.0, -2.0]], b=[1.0, 1.0]),
}
NAMES = list(ALL)


def random_points(f, shape, seed=0):
    """Points of the given batch shape, uniform over the window of f."""
    rng = np.random.default_rng(seed)
    low, high = f.window[:, 0], f.window[:, 1]
    return low + (high - low) * rng.random(shape + (f.dim,))


def central_differences(f, x, h=1e-6):
    grad = np.zeros_like(x)
    for i in range(f.dim):
        step = np.zeros(f.dim)
        step[i] = h
        grad[..., i] = (f(x + step) - f(x - step)) / (2 * h)
    return grad


def numerical_hessian(f, x, h=1e-5):
    return np.array([(f.grad(x + h * e) - f.grad(x - h * e)) / (2 * h) for e in np.eye(f.dim)])


# --- the contract every objective keeps ---------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("batch", [(), (64,), (4, 5)])
def test_gradient_matches_central_differences(name, batch):
    f = ALL[name]
    x = random_points(f, batch, seed=len(batch))
    analytic = f.grad(x)
    assert analytic.shape == x.shape
    numeric = central_differences(f, x)
    scale = 1.0 + np.abs(analytic).max()
    np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=2e-6 * scale)


@pytest.mark.parametrize("name", NAMES)
def test_values_are_batched(name):
    f = ALL[name]
    x = random_points(f, (3, 4))
    values = f(x)
    assert values.shape == (3, 4)
    np.testing.assert_allclose(values[1, 2], f(x[1, 2]), rtol=1e-14)
    assert np.ndim(f(x[0, 0])) == 0
    assert f(list(x[0, 0])) == pytest.approx(float(f(x[0, 0])))
    assert f.grad([0.5] * f.dim).shape == (f.dim,)


@pytest.mark.parametrize("name", NAMES)
def test_attributes_have_the_documented_shapes(name):
    f = ALL[name]
    assert isinstance(f, functions.Objective)
    assert isinstance(f.name, str) and f.name
    assert f.minima.ndim == 2 and f.minima.shape[1] == f.dim
    assert f.local_minima.ndim == 2 and f.local_minima.shape[1] == f.dim
    assert f.window.shape == (f.dim, 2) and np.all(f.window[:, 0] < f.window[:, 1])
    assert f.start.shape == (f.dim,)
    assert isinstance(f.min_value, float)
    for array in (f.minima, f.local_minima, f.window, f.start):
        with pytest.raises(ValueError):
            array[...] = 0.0  # read-only: nobody moves the minimum by accident


@pytest.mark.parametrize("name", NAMES)
def test_minima_have_zero_gradient_and_the_stated_value(name):
    f = ALL[name]
    if len(f.minima) == 0:
        assert f.min_value == -np.inf
        return
    np.testing.assert_allclose(f.grad(f.minima), 0.0, atol=1e-10)
    np.testing.assert_allclose(f(f.minima), f.min_value, atol=1e-12)
    # and no point of the window is lower
    assert np.min(f(random_points(f, (2000,)))) >= f.min_value - 1e-12


@pytest.mark.parametrize("name", NAMES)
def test_local_minima_are_local_minima_and_not_global(name):
    f = ALL[name]
    for x in f.local_minima:
        np.testing.assert_allclose(f.grad(x), 0.0, atol=1e-9)
        hessian = numerical_hessian(f, x)
        assert np.all(np.linalg.eigvalsh(0.5 * (hessian + hessian.T)) > 0)
        assert f(x) > f.min_value + 1e-6


@pytest.mark.parametrize("name", NAMES)
def test_window_contains_minima_local_minima_and_start(name):
    f = ALL[name]
    low, high = f.window[:, 0], f.window[:, 1]
    for points in (f.minima, f.local_minima, f.start[None, :]):
        assert np.all((points >= low) & (points <= high))
    assert np.all(np.isfinite(f(f.start))) and np.all(np.isfinite(f.grad(f.start)))


@pytest.mark.parametrize("bad", [[1.0, 2.0, 3.0], 1.0, np.zeros((4, 3))])
def test_points_of_the_wrong_dimension_are_refused(bad):
    f = functions.rosenbrock()
    with pytest.raises(ValueError, match=r"\(\.\.\., 2\)"):
        f(bad)
    with pytest.raises(ValueError, match="shape"):
        f.grad(bad)


def test_catalog_offers_the_two_dimensional_functions_and_hilly():
    catalog = functions.catalog()
    assert {"ravine", "rosenbrock", "himmelblau", "beale", "saddle", "rastrigin", "hilly"} <= set(catalog)
    assert all(f.dim in (1, 2) for f in catalog.values())
    assert catalog["hilly"].dim == 1
    assert len({f.name for f in catalog.values()}) == len(catalog)


def test_no_class_looks_like_a_pytest_test():
    assert not [name for name in vars(functions) if name.lower().startswith("test")]


def test_functions_import_numpy_only():
    code = (
        "import sys, optlib, optlib.functions, optlib.trajectory; "
        "bad = [m for m in ('matplotlib', 'ipywidgets', 'optlib.plotting', 'optlib.widgets') "
        "if m in sys.modules]; "
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_exported_from_optlib():
    assert optlib.functions is functions
    assert {"minimize", "Trajectory"} <= set(optlib.__all__)


# --- the individual functions ---------------------------------------------------------------------


def test_rosenbrock_formula_and_classic_start():
    f = functions.rosenbrock()
    assert f(np.array([0.0, 0.0])) == 1.0
    assert f(np.array([-1.0, 2.0])) == 4.0 + 100.0
    np.testing.assert_array_equal(f.minima, [[1.0, 1.0]])
    np.testing.assert_array_equal(f.start, [-1.2, 1.0])
    np.testing.assert_array_equal(functions.rosenbrock(a=2.0, b=5.0).minima, [[2.0, 4.0]])
    with pytest.raises(ValueError, match="b must be > 0"):
        functions.rosenbrock(b=0.0)


def test_beale_minimum():
    f = functions.beale()
    np.testing.assert_array_equal(f.minima, [[3.0, 0.5]])
    assert f(np.array([3.0, 0.5])) == 0.0
    assert f(np.array([0.0, 1.0])) == pytest.approx(1.5**2 + 2.25**2 + 2.625**2)


def test_himmelblau_has_four_global_minima():
    f = functions.himmelblau()
    assert f.minima.shape == (4, 2)
    known = [[3.0, 2.0], [-2.805118, 3.131312], [-3.779310, -3.283186], [3.584428, -1.848126]]
    np.testing.assert_allclose(f.minima, known, atol=1e-6)
    np.testing.assert_allclose(f(f.minima), 0.0, atol=1e-25)
    np.testing.assert_allclose(f.grad(f.minima), 0.0, atol=1e-13)
    distances = np.linalg.norm(f.minima[:, None] - f.minima[None], axis=-1)
    assert np.all(distances + np.eye(4) * 10 > 1.0)  # four different points
    assert len(f.local_minima) == 0


def test_saddle_is_unbounded_with_a_saddle_point():
    f = functions.saddle()
    assert f.minima.shape == (0, 2) and f.min_value == -np.inf
    np.testing.assert_array_equal(f.saddle_points, [[0.0, 0.0]])
    np.testing.assert_array_equal(f.grad(f.saddle_points), [[0.0, 0.0]])
    assert f(np.array([1.0, 0.0])) == 1.0 and f(np.array([0.0, 1.0])) == -1.0


def test_rastrigin_minima():
    f = functions.rastrigin()
    np.testing.assert_array_equal(f.minima, [[0.0, 0.0]])
    assert f.local_minima.shape == (11**2 - 1, 2)  # one near every integer point of [-5, 5]^2
    nearest = np.round(f.local_minima)
    assert np.abs(f.local_minima - nearest).max() < 0.1
    grid = {(i, j) for i in range(-5, 6) for j in range(-5, 6)} - {(0, 0)}
    assert {tuple(p) for p in nearest.astype(int).tolist()} == grid
    assert f(np.zeros(2)) == 0.0
    assert functions.rastrigin(dim=5).local_minima.shape == (0, 5)  # too many to list
    assert functions.rastrigin(dim=3, amplitude=0.0).local_minima.shape == (0, 3)  # a plain bowl
    with pytest.raises(ValueError, match="dim"):
        functions.rastrigin(dim=0)


def test_quadratic_attributes():
    A, b, c = np.array([[3.0, 1.0], [1.0, 2.0]]), np.array([1.0, -2.0]), 0.5
    f = functions.Quadratic(A, b, c)
    x_star = np.linalg.solve(A, b)
    np.testing.assert_allclose(f.minima, [x_star], rtol=1e-14)
    assert f.min_value == pytest.approx(c - 0.5 * b @ x_star, rel=1e-14)
    np.testing.assert_array_equal(f.hessian, A)
    eigenvalues = np.linalg.eigvalsh(A)
    assert f.lipschitz == pytest.approx(eigenvalues[-1]) and f.mu == pytest.approx(eigenvalues[0])
    assert f.condition_number == pytest.approx(eigenvalues[-1] / eigenvalues[0])
    x = np.array([0.3, -0.7])
    assert f(x) == pytest.approx(0.5 * x @ A @ x - b @ x + c)
    np.testing.assert_allclose(f.grad(x), A @ x - b)


def test_quadratic_iterates_are_exact_in_one_dimension():
    """The chapter checks (1 - eta L)^t to the last digit: the arithmetic must be the plain one."""
    f = functions.Quadratic(np.array([[2.0]]))
    assert f.grad(np.array([1.0]))[0] == 2.0 and f(np.array([1.0])) == 1.0


def test_unbounded_and_degenerate_quadratics():
    indefinite = functions.Quadratic(np.diag([1.0, -1.0]))
    assert indefinite.minima.shape == (0, 2) and indefinite.min_value == -np.inf
    assert indefinite.condition_number == np.inf
    flat_consistent = functions.Quadratic(np.diag([2.0, 0.0]), b=[2.0, 0.0])
    np.testing.assert_allclose(flat_consistent.minima, [[1.0, 0.0]], atol=1e-12)
    assert flat_consistent.min_value == pytest.approx(-1.0)
    flat_tilted = functions.Quadratic(np.diag([2.0, 0.0]), b=[0.0, 1.0])
    assert flat_tilted.minima.shape == (0, 2) and flat_tilted.min_value == -np.inf


@pytest.mark.parametrize(
    "A, b, message",
    [
        (np.ones((2, 3)), None, "square"),
        ([[1.0, 2.0], [0.0, 1.0]], None, "symmetric"),
        ([[1.0, np.nan], [np.nan, 1.0]], None, "finite"),
        (np.eye(2), [1.0, 2.0, 3.0], r"b must have shape \(2,\)"),
    ],
)
def test_quadratic_validates(A, b, message):
    with pytest.raises(ValueError, match=message):
        functions.Quadratic(A, b)


def test_ravine_is_an_axis_aligned_valley_where_gradient_descent_zigzags():
    f = functions.ravine(condition=10.0)
    np.testing.assert_array_equal(f.hessian, np.diag([1.0, 10.0]))
    assert f.lipschitz == 10.0 and f.mu == 1.0 and f.condition_number == 10.0
    np.testing.assert_array_equal(f.minima, [[0.0, 0.0]])
    assert f.min_value == 0.0
    run = optlib.minimize(f, f.start, optlib.SGD(1.9 / f.lipschitz), 20)
    steep = run.x[:, 1]
    assert np.all(np.sign(steep[1:]) == -np.sign(steep[:-1]))  # across the valley at every step
    assert np.all(np.diff(np.abs(run.x[:, 0])) < 0)  # and slowly along it
    with pytest.raises(ValueError, match="condition"):
        functions.ravine(condition=0.5)


def test_random_quadratic_is_seeded_and_has_the_condition_number():
    f = functions.random_quadratic(6, 50.0, rng=3)
    g = functions.random_quadratic(6, 50.0, rng=np.random.default_rng(3))
    h = functions.random_quadratic(6, 50.0, rng=4)
    np.testing.assert_array_equal(f.hessian, g.hessian)
    np.testing.assert_array_equal(f.b, g.b)
    assert not np.allclose(f.hessian, h.hessian)
    assert f.condition_number == pytest.approx(50.0, rel=1e-9)
    assert f.mu == pytest.approx(1.0, rel=1e-9)
    np.testing.assert_allclose(f.hessian, f.hessian.T)
    with pytest.raises(ValueError, match="condition"):
        functions.random_quadratic(1, 10.0)


def test_custom_objective_and_its_validation():
    f = functions.Objective("bowl", 3, lambda x: np.sum(x**2, axis=-1), lambda x: 2 * x,
                            minima=[[0.0, 0.0, 0.0]], min_value=0.0)
    assert f(np.ones(3)) == 3.0
    np.testing.assert_array_equal(f.window, [[-2.0, 2.0]] * 3)
    assert np.all((f.start > -2) & (f.start < 2))
    assert "bowl" in repr(f)
    with pytest.raises(ValueError, match=r"window must have shape \(3, 2\)"):
        functions.Objective("bowl", 3, np.sum, np.sign, window=[[0.0, 1.0]])
    with pytest.raises(ValueError, match="low < high"):
        functions.Objective("bowl", 1, np.sum, np.sign, window=[[1.0, 0.0]])
    with pytest.raises(ValueError, match="dim"):
        functions.Objective("bowl", 0, np.sum, np.sign)


# --- hilly: the landscape of the momentum chapter ------------------------------------------------------


def test_hilly_minima_are_exact():
    f = functions.hilly()
    np.testing.assert_array_equal(f.minima, [[-1.0]])
    np.testing.assert_array_equal(f.local_minima, [[2.0]])
    assert f.min_value == 0.0 and f(np.array([-1.0])) == 0.0
    assert f(np.array([2.0])) == pytest.approx(9 / 4, rel=1e-15)
    assert f(np.array([1.0])) == pytest.approx(8 / 3, rel=1e-15)  # the top of the bump
    x = np.linspace(-2, 3.5, 101)[:, None]
    np.testing.assert_allclose(f.grad(x), (x + 1) * (x - 1) * (x - 2), rtol=1e-14, atol=1e-14)
    assert np.all(f(x[np.abs(x[:, 0] + 1) > 1e-9]) > 0)  # -1 is the only zero
    assert f.start[0] > f.local_minima[0, 0]  # the local minimum lies on the way down


def heavy_ball(f, x0, lr, momentum, steps):
    """Momentum written out (PyTorch's form): v <- gamma v + g, theta <- theta - eta v."""
    theta, velocity = np.array(x0, dtype=float), np.zeros_like(x0, dtype=float)
    for _ in range(steps):
        velocity = momentum * velocity + f.grad(theta)
        theta = theta - lr * velocity
    return theta


@pytest.mark.parametrize("lr", [0.02, 0.05, 0.1])
def test_hilly_gradient_descent_gets_stuck_but_momentum_rolls_through(lr):
    f = functions.hilly()
    local, best = f.local_minima[0, 0], f.minima[0, 0]
    stuck = optlib.minimize(f, f.start, optlib.SGD(lr), 300)
    assert abs(stuck.final_x[0] - local) < 1e-6
    assert stuck.final_value > f.min_value + 2.0
    through = heavy_ball(f, f.start, lr, 0.9, 300)
    assert abs(through[0] - best) < 1e-5
    assert float(f(through)) < 1e-9
    # not momentum in general: too little of it (0.5) still stops in the local minimum
    assert abs(heavy_ball(f, f.start, lr, 0.5, 300)[0] - local) < 1e-6


def test_hilly_with_the_library_momentum_matches_the_hand_written_loop():
    f = functions.hilly()
    run = optlib.minimize(f, f.start, optlib.Momentum(lr=0.05, momentum=0.9), 300)
    np.testing.assert_allclose(run.final_x, heavy_ball(f, f.start, 0.05, 0.9, 300), rtol=1e-12)
    assert abs(run.final_x[0] - f.minima[0, 0]) < 1e-5
