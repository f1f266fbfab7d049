"""fisheropt.glm on R's data sets against R's own numbers
(tests/data/r/reference/*.json, written by tests/data/r/make_reference.R:
R's glm / MASS::glm.nb refitted with epsilon = 1e-14; each file holds its
call)."""

import json

import numpy as np
import pandas as pd
import pytest

import fisheropt
from conftest import R_DATA, read_r_csv, relative_error

# The GLM cases (multinomial and anova files are other commands').
CASES = sorted(
    path.stem for path in (R_DATA / "reference").glob("*.json")
    if json.loads(path.read_text()).get("formula") and
    json.loads(path.read_text())["family"] != "multinomial")


def load_reference(case):
    return json.loads((R_DATA / "reference" / (case + ".json")).read_text())


def fit_case(reference, data, covariance="fisher"):
    family = reference["family"]
    return fisheropt.glm(reference["formula"], data, family=family,
                         link=None if family == "negative.binomial"
                         else reference["link"],
                         weights=reference["weights"], covariance=covariance)


def test_cases_found():
    # Every GLM family of the reference set is exercised.
    assert len(CASES) == 14, CASES


@pytest.mark.parametrize("case", CASES)
def test_matches_r(case):
    reference = load_reference(case)
    data = read_r_csv(reference["data"])
    fit = fit_case(reference, data)
    assert fit.converged
    assert list(fit.params.index) == reference["names"]
    # R's glm(epsilon = 1e-14) refit: both are at the MLE to ~1e-12.
    assert relative_error(fit.params, reference["estimates"]) < 1e-8
    assert relative_error(fit.bse, reference["std_errors"]) < 1e-8
    assert relative_error(fit.tvalues, reference["statistics"]) < 1e-8
    assert relative_error(fit.deviance, reference["deviance"]) < 1e-9
    assert relative_error(fit.null_deviance, reference["null_deviance"]) < 1e-9
    if reference["loglik"] is not None:
        assert relative_error(fit.llf, reference["loglik"]) < 1e-9
        assert relative_error(fit.aic, reference["aic"]) < 1e-9
        assert relative_error(fit.bic, reference["bic"]) < 1e-9
    else:
        assert np.isnan(fit.llf)
    assert relative_error(fit.scale, reference["dispersion"]) < 1e-8
    assert fit.df_resid == reference["df_residual"]
    assert fit.nobs == reference["nobs"]
    if "theta" in reference:
        assert relative_error(fit.theta, reference["theta"]) < 1e-8
    # predict.glm on R's new data, both scales, with standard errors.
    newdata = {k: np.asarray(v, dtype=object if isinstance(v[0], str) else float)
               for k, v in reference["newdata"].items()}
    link, link_se = fit.predict(newdata, which="linear", se=True)
    mean, mean_se = fit.predict(newdata, which="mean", se=True)
    assert relative_error(link, reference["predict_link"]) < 1e-8
    assert relative_error(link_se, reference["predict_link_se"]) < 1e-8
    assert relative_error(mean, reference["predict_response"]) < 1e-8
    assert relative_error(mean_se, reference["predict_response_se"]) < 1e-8


def test_pandas_data_frame_with_categoricals_equals_dict():
    # The same fit from a DataFrame whose factors are pandas Categoricals
    # (with a category order that is not R's) and from a dict of arrays.
    reference = load_reference("warpbreaks_poisson")
    data = read_r_csv("warpbreaks.csv")
    frame = pd.DataFrame({
        "breaks": data["breaks"].astype(int),
        "wool": pd.Categorical(data["wool"]),
        "tension": pd.Categorical(data["tension"], categories=["M", "L", "H"]),
    })
    fit = fisheropt.glm("breaks ~ wool * tension", frame, family="poisson")
    assert list(fit.params.index) == reference["names"]
    assert relative_error(fit.params, reference["estimates"]) < 1e-8
    assert relative_error(fit.bse, reference["std_errors"]) < 1e-8


@pytest.mark.parametrize("case", [c for c in CASES
                                  if "std_errors_hc0" in load_reference(c)])
def test_robust_standard_errors_match_sandwich(case):
    # R: sqrt(diag(sandwich::vcovHC(fit2, type = "HC0" ... "HC3"))).
    reference = load_reference(case)
    data = read_r_csv(reference["data"])
    for type_ in ("HC0", "HC1", "HC2", "HC3"):
        fit = fit_case(reference, data, covariance=type_)
        expected = reference["std_errors_" + type_.lower()]
        assert relative_error(fit.bse, expected) < 1e-7, type_
