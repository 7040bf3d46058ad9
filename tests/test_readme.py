"""The README's example runs as printed, and does what its comments say."""

import re

import matplotlib
import numpy as np

from conftest import ROOT

matplotlib.use("Agg")


def test_the_using_optlib_example_runs_and_its_comments_hold(capsys):
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("## Using optlib"):]
    code = re.search(r"```python\n(.*?)```", section, re.S)[1]
    namespace = {}
    exec(compile(code, "README.md", "exec"), namespace)
    capsys.readouterr()
    trajectory, history = namespace["trajectory"], namespace["history"]
    np.testing.assert_allclose(trajectory.final_x, [1.0, 1.0], atol=1e-3)  # "close to (1, 1)"
    assert 1e-9 < trajectory.final_value < 1e-7  # "value about 1e-8"
    assert abs(history.test_accuracy[-1] - 0.96) <= 0.01  # "about 0.96"
    assert namespace["noisy"].x.shape == (2001, 2)
