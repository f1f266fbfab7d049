"""The Python package and the command line agree: the same summary text,
and each reads the other's fit JSON (stats/glm_json.h, schema_version 1).
Needs the tool of the same build tree (<build>/tools/fisheropt)."""

import csv
import json
import os
import pathlib
import subprocess

import numpy as np
import pytest

import fisheropt
from conftest import R_DATA, read_r_csv, relative_error

BUILD_DIR = pathlib.Path(os.environ.get("FISHEROPT_BUILD_DIR", "build"))
TOOL = BUILD_DIR / "tools" / "fisheropt"
pytestmark = pytest.mark.skipif(not TOOL.exists(),
                                reason="no fisheropt tool in %s" % BUILD_DIR)


def without_call(text):
    # The "Call:" block echoes how each was called; the rest is the fit's.
    assert text.startswith("Call:\n")
    return text.split("\n\n", 1)[1]


def run_tool(*arguments):
    return subprocess.run([str(TOOL), *map(str, arguments)],
                          capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize("model,formula,extra", [
    ("poisson", "breaks ~ wool * tension", {}),
    ("negative.binomial", "Days ~ Eth + Sex + Age + Lrn", {}),
])
def test_summary_text_and_json(tmp_path, model, formula, extra):
    data_file = {"poisson": "warpbreaks.csv",
                 "negative.binomial": "quine.csv"}[model]
    json_path = tmp_path / "cli.json"
    cli_text = run_tool("fit", "--data", R_DATA / data_file, "--model", model,
                        "--formula", formula, "--json", json_path)
    fit = fisheropt.glm(formula, read_r_csv(data_file), family=model)
    assert without_call(fit.summary()) == without_call(cli_text)

    # The CLI's JSON loads with the CLI's numbers, exactly.
    loaded = fisheropt.load(str(json_path))
    assert loaded.param_names == fit.param_names
    np.testing.assert_array_equal(loaded.params, fit.params)
    np.testing.assert_array_equal(loaded.bse, fit.bse)
    assert loaded.deviance == fit.deviance and loaded.llf == fit.llf

    # Ours: the same record as the CLI's (key by key).
    ours = json.loads(fit.to_json())
    theirs = json.loads(json_path.read_text())
    theirs.pop("model", None), ours.pop("model", None)
    theirs.pop("optimizer", None), ours.pop("optimizer", None)
    assert ours == theirs


def test_cli_predicts_from_python_json(tmp_path):
    data = read_r_csv("clotting.csv")
    fit = fisheropt.glm("lot1 ~ log(u)", data, family="Gamma", link="log")
    fit_path = tmp_path / "fit.json"
    fit.to_json(str(fit_path))
    new_path = tmp_path / "new.csv"
    new_path.write_text("u\n5\n12.5\n100\n")
    out = run_tool("predict", "--fit", fit_path, "--data", new_path,
                   "--type", "response", "--se")
    rows = list(csv.DictReader(out.splitlines()))
    mean, se = fit.predict({"u": np.array([5, 12.5, 100.0])}, se=True)
    assert relative_error([float(r["fit"]) for r in rows], mean) < 1e-14
    assert relative_error([float(r["se_fit"]) for r in rows], se) < 1e-14
    # And fisheropt.load reads it back to the same predictions.
    again = fisheropt.load(str(fit_path)).predict({"u": np.array([5, 12.5, 100.0])})
    np.testing.assert_array_equal(again, mean)


def test_array_fit_json_predicts(tmp_path, rng):
    # An array fit records response ~ its columns, as the CLI's numeric fit.
    n = 300
    x = np.column_stack([np.ones(n), rng.normal(size=(n, 2))])
    y = rng.poisson(np.exp(x @ [0.3, 0.5, -0.2])).astype(float)
    fit = fisheropt.glm(x, y, family="poisson")
    path = tmp_path / "fit.json"
    fit.to_json(str(path))
    assert json.loads(path.read_text())["formula"] == "y ~ x1 + x2"
    loaded = fisheropt.load(str(path))
    new = {"x1": x[:4, 1].copy(), "x2": x[:4, 2].copy()}
    np.testing.assert_allclose(loaded.predict(new), fit.predict(x[:4]),
                               rtol=1e-14)
