"""`cmake --install <build> --component python` into a temporary prefix
gives a package that imports and fits without the build tree."""

import os
import pathlib
import shutil
import subprocess
import sys

import pytest

BUILD_DIR = os.environ.get("FISHEROPT_BUILD_DIR")


@pytest.mark.skipif(not BUILD_DIR or not shutil.which("cmake"),
                    reason="needs FISHEROPT_BUILD_DIR (set by ctest) and cmake")
def test_installed_package_imports(tmp_path):
    subprocess.run(["cmake", "--install", BUILD_DIR, "--component", "python",
                    "--prefix", str(tmp_path)], check=True,
                   capture_output=True)
    packages = list(tmp_path.glob("lib/python3*/site-packages/fisheropt"))
    assert len(packages) == 1, list(tmp_path.rglob("*"))
    code = ("import fisheropt, numpy as np\n"
            "x = np.column_stack([np.ones(8), np.arange(8.0)])\n"
            "y = np.array([0, 0, 1, 0, 1, 0, 1, 1.0])\n"
            "fit = fisheropt.glm(x, y)\n"
            "print(fisheropt.__file__)\n"
            "print(fit.converged, fit.param_names)\n")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONPATH"] = str(packages[0].parent)
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=tmp_path,
                         capture_output=True, text=True, check=True).stdout
    lines = out.splitlines()
    assert pathlib.Path(lines[0]).resolve().is_relative_to(tmp_path.resolve())
    assert lines[1] == "True ['(Intercept)', 'x1']"
