"""The README's Python example runs and prints R's estimates
(tests/data/r/reference/warpbreaks_poisson.json, R's glm)."""

import json
import os
import pathlib
import re
import subprocess
import sys

import fisheropt
from conftest import R_DATA, SOURCE_DIR


def readme_example():
    text = (SOURCE_DIR / "README.md").read_text()
    section = text.split("\n## Python\n", 1)[1].split("\n## ", 1)[0]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def test_readme_example_prints_r_estimates():
    code = readme_example()
    assert len(code.strip().splitlines()) == 3
    output = subprocess.run([sys.executable, "-c", code], cwd=SOURCE_DIR,
                            capture_output=True, text=True, check=True,
                            env=dict(os.environ, PYTHONPATH=str(
                                pathlib.Path(fisheropt.__file__).resolve()
                                .parents[1]))).stdout
    reference = json.loads(
        (R_DATA / "reference" / "warpbreaks_poisson.json").read_text())
    for name, estimate in zip(reference["names"], reference["estimates"]):
        line = next(l for l in output.splitlines() if l.split()[:1] == [name])
        printed = float(line.split()[1])
        # Report() prints 6 significant digits.
        assert abs(printed - estimate) <= 1e-5 * abs(estimate), (line, estimate)
