"""What the chapters' pages need besides plots: numbers printed the way the book prints them.

A number in the prose comes from code, through myst-nb's ``glue``. Two forms:

* ``{glue:text}`key:.3f``` pastes a number into a sentence as text. The book's Sphinx
  extension (``book/_ext/offline.py``) passes every pasted text through :func:`typeset`, so a
  minus sign is ``−`` (not a hyphen) and ``1.2e-04`` reads ``1.2 × 10⁻⁴``.
* ``{glue:md}`key:myst``` pastes Markdown, parsed as MyST (``:myst``; without it myst-nb reads
  plain CommonMark and the dollar signs stay as text). :func:`glue_math` glues a LaTeX
  expression, so numbers inside an equation are typeset as mathematics
  (``$w_1 = 1 - 0.3 \\times (-2.25)$``) instead of as text between pieces of maths.

:func:`tex` formats a number for such an expression; :func:`markdown_table` turns rows of
strings into a table shown as a cell's output. IPython and myst-nb are imported only by the
functions that need them, so ``import optlib.pages`` works without them.
"""

from __future__ import annotations

import math
import re

MINUS = "\N{MINUS SIGN}"
NBSP = "\N{NO-BREAK SPACE}"  # 1.2 × 10⁻⁴ never breaks across lines (in a narrow table cell)
_SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
# a number as Python formats it: sign, digits, optional fraction, optional exponent
_NUMBER = re.compile(r"(?<![\w.])-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?(?![\w.])")


def _mantissa_exponent(text: str) -> tuple[str, int | None]:
    mantissa, _, exponent = text.lower().partition("e")
    return mantissa, (int(exponent) if exponent else None)


def _typeset_number(match: re.Match) -> str:
    mantissa, exponent = _mantissa_exponent(match.group(0))
    mantissa = mantissa.replace("-", MINUS)
    if exponent is None:
        return mantissa
    power = "10" + str(exponent).translate(_SUPERSCRIPTS)
    return power if mantissa == "1" else f"{mantissa}{NBSP}×{NBSP}{power}"


def typeset(text: str) -> str:
    """Numbers in ``text`` as the book prints them: ``-2.250`` -> ``−2.250``,
    ``1.2e-04`` -> ``1.2 × 10⁻⁴`` (no-break spaces), ``1e+03`` -> ``10³``. Other text is
    left alone."""
    return _NUMBER.sub(_typeset_number, text)


def tex(value: float, fmt: str = ".3g") -> str:
    """A number as LaTeX for an equation: ``tex(-2.25, '.3f')`` -> ``-2.250``,
    ``tex(1.2e-4, '.1e')`` -> ``1.2 \\times 10^{-4}``."""
    mantissa, exponent = _mantissa_exponent(format(value, fmt))
    if exponent is None:
        return mantissa
    if mantissa in ("1", "1.0"):
        return f"10^{{{exponent}}}"
    return f"{mantissa} \\times 10^{{{exponent}}}"


def power_of_ten(x: float) -> str:
    """The power of ten nearest to ``x``, as text: ``1e-06`` -> ``10⁻⁶``."""
    return "10" + str(round(math.log10(x))).translate(_SUPERSCRIPTS)


def glue_math(name: str, latex: str) -> None:
    """Glue an inline LaTeX expression under ``name``, to paste with ``{glue:md}`name:myst```."""
    from IPython.display import Markdown
    from myst_nb import glue

    glue(name, Markdown(f"${latex}$"), display=False)


def glue_numbers(**values) -> None:
    """Glue each keyword's value under its name (``glue_numbers(steps=40, rate=0.9)``), for
    ``{glue:text}`` roles. Numpy scalars become Python numbers, and floats are rounded to ten
    significant digits, so that the glued text is the same on every run even where the last
    bits of a result depend on the order of a sum."""
    from myst_nb import glue

    for name, value in values.items():
        value = value.item() if hasattr(value, "item") else value
        if isinstance(value, float):
            value = float(f"{value:.10g}")
        glue(name, value, display=False)


def markdown_table(header, rows):
    """A table (column titles, rows of strings) as a cell's output, numbers right-aligned."""
    from IPython.display import Markdown

    lines = ["| " + " | ".join(header) + " |", "|" + "---:|" * len(header)]
    lines += ["| " + " | ".join(typeset(cell) for cell in row) + " |" for row in rows]
    return Markdown("\n".join(lines))
