"""What every chapter's checks share: the three kinds of case, comparing and showing values,
the digests of the by-hand answers, and the linear map of one momentum step.

A check never holds the answer a student is asked to find:

* a function exercise is checked against optlib's public primitives (``optlib.SGD``,
  ``optlib.minimize``, ...), a closed form, or better the property that defines a right answer
  (:class:`PropertyCase`); its messages may show the values it compares with;
* a by-hand exercise (a dict of numbers) is checked against salted digests of the right numbers
  (:class:`HiddenCase`), so that neither the package nor a failure message holds them.
"""

from __future__ import annotations

import functools
import hashlib
import math
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Context, Decimal
from fractions import Fraction
from numbers import Integral, Real
from typing import Any, Callable

import numpy as np


class ExerciseCheckFailed(AssertionError):
    """A check of an exercise failed; the message says which input and why."""


@dataclass
class Case:
    """One check: what is tested, the expected value, and how to get the student's value."""

    what: str
    expected: Any
    student: Callable[[], Any]

    def verdict(self, got) -> str | None:
        """None if ``got`` agrees with the expected value, else the two values."""
        if agrees(self.expected, got):
            return None
        return f"expected: {show(self.expected)}\n    got:      {show(got)}"


@dataclass
class PropertyCase:
    """One check of a property every right answer has (rather than of one value).

    ``judge(got)`` is None if the student's value ``got`` has it, else says what it breaks.
    """

    what: str
    student: Callable[[], Any]
    judge: Callable[[Any], "str | None"]

    def verdict(self, got) -> str | None:
        return self.judge(got)


# ---------------------------------------------------------------------------------------------
# Comparing and showing values


def agrees(expected, got, rtol=1e-7, atol=1e-10) -> bool:
    """Equal structure, numbers equal to within ``rtol``/``atol``."""
    if isinstance(expected, (list, tuple)):
        return (isinstance(got, (list, tuple)) and len(got) == len(expected)
                and all(agrees(e, g, rtol, atol) for e, g in zip(expected, got)))
    try:
        got = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        return False
    expected = np.asarray(expected, dtype=float)
    return got.shape == expected.shape and bool(np.allclose(got, expected, rtol=rtol, atol=atol))


def show(value, limit=160) -> str:
    if isinstance(value, np.ndarray):
        text = np.array2string(value, precision=8, separator=", ", threshold=12)
    elif isinstance(value, (list, tuple)) and any(isinstance(v, np.ndarray) for v in value):
        opening, closing = "()" if isinstance(value, tuple) else "[]"
        text = opening + ", ".join(show(v, limit) for v in value) + closing
    else:
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def entry(answer, key):
    """``answer[key]`` for a by-hand answer given as a dict."""
    if not isinstance(answer, dict):
        raise TypeError(f"the answer must be a dict with the keys of the exercise, got {type(answer).__name__}")
    if key not in answer:
        raise KeyError(f"the answer has no entry {key!r}")
    return answer[key]


# ---------------------------------------------------------------------------------------------
# By-hand answers: digests, never values
#
# A number is written on a grid of FIGURES significant figures, m * 10**e with
# 10**(FIGURES-1) <= |m| < 10**FIGURES, and only the salted, slow digest of that text is
# stored. Slow (PBKDF2) because the answers are few and short: a fast hash would let a script
# try all 9000 four-figure mantissas of a decade in a blink; this one takes minutes.

FIGURES = 4
RELATIVE = 1e-4  # a number this close to the right one, relative to it, always passes
ZERO_BELOW = 1e-9  # sizes below this are 0: an exact 0 and 1e-300 are the same answer
ITERATIONS = 50_000
NUMBER = "4sf:"  # the prefix of a stored digest of a number compared to FIGURES figures
INTEGER = "int:"  # ... of an integer, compared exactly
NUMBER_RULE = (f"compared to {FIGURES} significant figures: right if within "
               f"{RELATIVE:.0e} (relative) of the right value rounded to {FIGURES} figures, give "
               f"or take half a unit of its last figure; sizes below {ZERO_BELOW:.0e} count as "
               "0").replace("e-0", "e-")
INTEGER_RULE = "an integer, compared exactly"


def _grid(x: float) -> tuple[int, int]:
    """(m, e): x rounded half to even to FIGURES significant figures, m * 10**e."""
    exact = Decimal(x)  # the float's exact binary value, so that rounding is reproducible
    e = exact.adjusted() - (FIGURES - 1)
    m = int(exact.scaleb(-e).quantize(Decimal(1), rounding=ROUND_HALF_EVEN,
                                      context=Context(prec=FIGURES + 10)))
    if abs(m) == 10**FIGURES:  # 9.9996 rounds up into the next decade: 1000e-2
        m, e = m // 10, e + 1
    return m, e


def _step(m: int, e: int, up: bool) -> tuple[int, int]:
    """The grid number next to m * 10**e, away from 0 if ``up``, towards 0 if not."""
    sign, size = (1 if m > 0 else -1), abs(m) + (1 if up else -1)
    if size == 10**FIGURES:
        size, e = 10 ** (FIGURES - 1), e + 1
    elif size == 10 ** (FIGURES - 1) - 1:  # below 1000e0 comes 9999e-1, not 999e0
        size, e = 10**FIGURES - 1, e - 1
    return sign * size, e


def number_texts(x: float) -> list[str]:
    """The texts of the grid numbers g that a student's number x may be: those with
    |x − g| <= ½·10**e(g) + RELATIVE·|x|/(1 − RELATIVE), g = m(g)·10**e(g); x's own rounding
    first. A right value t rounds to some g with |t − g| <= ½·10**e(g), so every x with
    |x − t| <= RELATIVE·|t| finds it, on whichever side of a rounding boundary it lies; and x
    off by one in the third figure of t is farther than that from every g that t rounds to."""
    if abs(x) < ZERO_BELOW:
        return ["0"]
    exact = Decimal(x)
    slack = Decimal(RELATIVE) * abs(exact) / (1 - Decimal(RELATIVE))
    m, e = _grid(x)
    # no g that passes is farther than 10 units of x's rounding (g's unit is at most ten times
    # that one's): walk the grid both ways as far as that, and keep those that pass
    reach = 10 * Decimal(1).scaleb(e) + slack
    texts = []
    for up in (True, False):
        n, k = m, e
        while abs(Decimal(n).scaleb(k) - exact) <= reach:
            if abs(Decimal(n).scaleb(k) - exact) <= Decimal(1).scaleb(k) / 2 + slack:
                text = f"{n}e{k}"
                if text not in texts:
                    texts.append(text)
            n, k = _step(n, k, up)
    return texts


@functools.lru_cache(maxsize=4096)
def digest(label: str, key: str, index: int, text: str) -> str:
    """The salted digest of the text of one number: entry ``index`` of ``answer[key]`` of
    exercise ``label`` (``index`` 0 for a single number). The salt makes equal numbers of two
    entries look different."""
    salt = f"optlib.exercises|{label}|{key}|{index}".encode()
    return hashlib.pbkdf2_hmac("sha256", text.encode(), salt, ITERATIONS).hex()[:32]


def _as_number(value) -> float | None:
    """value as a finite float (ints, floats, numpy numbers, fractions, 0-d arrays), or None."""
    if isinstance(value, np.ndarray) and value.shape == ():
        value = value[()]
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, Real):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _integer(value) -> int | None:
    """value as an int if it is an integer (28, 28.0, np.int64(28), Fraction(56, 2)), or None."""
    number = _as_number(value)
    if number is None:
        return None
    if isinstance(value, Fraction):
        return int(value) if value.denominator == 1 else None
    return int(value) if float(number).is_integer() else None


def is_right(label: str, key: str, index: int, stored: str, value) -> bool:
    """Whether a student's number matches the stored digest of entry ``index`` of ``key``."""
    if stored.startswith(INTEGER):
        n = _integer(value)
        return n is not None and digest(label, key, index, f"integer {n}") == stored[len(INTEGER):]
    number = _as_number(value)
    return number is not None and any(digest(label, key, index, text) == stored[len(NUMBER):]
                                      for text in number_texts(number))


def digests_of(label: str, key: str, value) -> str | list[str]:
    """What the package stores for the right value of ``answer[key]``: a digest for a number
    (exact if it is a Python or numpy integer), a list of digests for a vector. Only the tests
    call it, on values they compute (tests/test_exercise_answers.py)."""
    def one(index, number):
        if isinstance(number, (Integral, np.integer)):
            return INTEGER + digest(label, key, index, f"integer {int(number)}")
        return NUMBER + digest(label, key, index, number_texts(float(number))[0])  # its rounding

    if isinstance(value, (list, tuple, np.ndarray)) and np.ndim(value) == 1:
        return [one(index, number) for index, number in enumerate(value)]
    if np.ndim(value) != 0:
        raise ValueError(f"{label} {key}: a by-hand answer is a number or a vector, got {value!r}")
    return one(0, value.item() if isinstance(value, np.ndarray) else value)


@dataclass
class HiddenCase:
    """One entry of a by-hand answer, checked against the digest(s) of the right value."""

    what: str
    student: Callable[[], Any]
    label: str
    key: str
    stored: "str | list[str]"

    def verdict(self, got) -> str | None:
        def rule(stored):
            return INTEGER_RULE if stored.startswith(INTEGER) else NUMBER_RULE

        if isinstance(self.stored, str):
            if is_right(self.label, self.key, 0, self.stored, got):
                return None
            return f"got:      {show(got)}, which is not right ({rule(self.stored)})"
        size = len(self.stored)
        if (not isinstance(got, (list, tuple, np.ndarray)) or np.ndim(got) != 1
                or len(got) != size):
            return f"got:      {show(got)}, but the answer is a list of {size} numbers"
        wrong = [index for index, (stored, value) in enumerate(zip(self.stored, got))
                 if not is_right(self.label, self.key, index, stored, value)]
        if not wrong:
            return None
        entries = ", ".join(f"[{index}]" for index in wrong)
        return (f"got:      {show(got)}; {'entries' if len(wrong) > 1 else 'entry'} {entries} "
                f"not right (each {rule(self.stored[wrong[0]])})")


def by_hand(label: str, answer, stored: dict) -> list[HiddenCase]:
    """One case per entry of a by-hand answer (a dict): ``answer[key]`` against the digests
    ``stored[key]``.

    The rule, said in every failure message: the right value t is stored rounded (half to
    even) to 4 significant figures, g = m·10**e with 1000 <= |m| <= 9999, and a number x
    passes if |x − g| <= ½·10**e + 1e-4·|x|/(1 − 1e-4). So every x within 1e-4·|t| of t
    passes, even when x and t round to different sides of a boundary (2.1665 for 13/6, 9.9991
    for 9.9996 that rounds to 10.00), and every x off by one or more in the 3rd significant
    figure of t fails (2.17 for 13/6). Sizes below 1e-9 count as 0. An integer answer (a
    number of steps) must be exact; 28.0 is 28. A vector (list, tuple or numpy array) is
    compared entry by entry. The message never shows the right value.
    """
    return [HiddenCase(f"answer[{key!r}]", lambda key=key: entry(answer, key), label, key, digests)
            for key, digests in stored.items()]


# ---------------------------------------------------------------------------------------------
# An optimizer's state along a given sequence of gradients


def states_along(optimizer, gradients) -> list:
    """The states of ``optimizer`` after each of ``gradients`` (the rows, one per step), fed
    from θ₀ = 0: what its moving averages (``v``, ``u``, ...) hold, for checks that read them."""
    gradients = np.asarray(gradients, dtype=float)
    theta = np.zeros(gradients.shape[1:])
    state, states = optimizer.init(theta), []
    for g in gradients:
        theta, state = optimizer.step(theta, g, state)
        states.append(state)
    return states


# ---------------------------------------------------------------------------------------------
# Momentum's linear map, read off the optimizer


def step_matrices(optimizer, lam: float) -> tuple[np.ndarray, np.ndarray]:
    """(A, B): one step of ``optimizer`` (``optlib.Momentum`` or ``optlib.Nesterov``, constant
    lr) on J = lam θ²/2 with the gradient lam θ + ξ, as the linear map
    (θ, b) ↦ A (θ, b) + B ξ of its state; probed from ``optimizer.step`` itself, so that the
    checks follow what optlib does, not a formula copied here."""
    def step(theta, b, xi):
        state = optimizer.init(np.zeros(1))._replace(b=np.array([b]))
        gradient = np.array([lam * theta + xi])
        new_theta, new_state = optimizer.step(np.array([theta]), gradient, state)
        return np.array([new_theta[0], new_state.b[0]])

    A = np.column_stack([step(1.0, 0.0, 0.0), step(0.0, 1.0, 0.0)])
    return A, step(0.0, 0.0, 1.0)


def spectral_radius(optimizer, lam: float) -> float:
    """The largest |eigenvalue| of the step's matrix A on J = lam θ²/2: the rate per step."""
    A, _ = step_matrices(optimizer, lam)
    return float(np.abs(np.linalg.eigvals(A)).max())
