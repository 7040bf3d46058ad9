"""optlib.pages: numbers in the prose print with a real minus sign and powers of ten."""

import pytest

from optlib import pages


@pytest.mark.parametrize("text, expected", [
    ("-2.250", "−2.250"),
    ("(-2.250)", "(−2.250)"),
    ("1.23e-04", "1.23\u00a0×\u00a010⁻⁴"),
    ("-5.0E+05", "−5.0\u00a0×\u00a010⁵"),
    ("1e-06", "10⁻⁶"),
    ("0.960", "0.960"),
    ("rate -0.5, 17 steps", "rate −0.5, 17 steps"),
    ("x-1 and 2026-12-02", "x-1 and 2026-12-02"),  # a hyphen between words or digits stays
])
def test_typeset(text, expected):
    assert pages.typeset(text) == expected


def test_tex():
    assert pages.tex(-2.25, ".3f") == "-2.250"
    assert pages.tex(1.2e-4, ".1e") == r"1.2 \times 10^{-4}"
    assert pages.tex(1e-6, ".0e") == "10^{-6}"


def test_power_of_ten():
    assert pages.power_of_ten(1e-6) == "10⁻⁶"
    assert pages.power_of_ten(1000.0) == "10³"


def test_markdown_table_right_aligns_and_typesets():
    table = pages.markdown_table(["a", "b"], [["-1", "2e-03"]]).data
    assert table.splitlines() == ["| a | b |", "|---:|---:|", "| −1 | 2\u00a0×\u00a010⁻³ |"]


def test_glue_numbers_rounds_floats_to_ten_digits(monkeypatch):
    import myst_nb

    glued = {}
    monkeypatch.setattr(myst_nb, "glue", lambda name, value, display: glued.update({name: value}))
    import numpy as np

    pages.glue_numbers(rate=np.float64(0.1 + 0.2), steps=np.int64(40), label="x")
    assert glued == {"rate": 0.3, "steps": 40, "label": "x"}
    assert type(glued["steps"]) is int
