"""fisheropt.glm against statsmodels' GLM (Debian's python3-statsmodels).

statsmodels is refitted from our estimates with tol = 1e-14 (IRLS), so both
are at the MLE and the comparison is of numbers, not of stopping rules.
Conventions that differ and are compared accordingly:
- llf: R's logLik, which for the families with a dispersion evaluates the
  density at φ = deviance / n (statsmodels' llf uses its scale, Pearson
  χ²/df): compared with statsmodels' family.loglike at deviance / n;
- weights: R's prior weights, statsmodels' freq_weights for integers.
"""

import numpy as np
import pytest
import statsmodels.api as sm
import statsmodels.formula.api as smf

import fisheropt
from conftest import read_r_csv, relative_error

PARAMS_TOLERANCE = 1e-8
DEVIANCE_TOLERANCE = 1e-9


def refit(model, fit):
    return model.fit(start_params=np.asarray(fit.params), tol=1e-14,
                     maxiter=100)


def design(rng, n, p):
    x = np.column_stack([np.ones(n), rng.normal(size=(n, p - 1))])
    return x


def assert_same(fit, reference, llf=None):
    assert fit.converged
    assert relative_error(fit.params, reference.params) < PARAMS_TOLERANCE
    assert relative_error(fit.bse, reference.bse) < PARAMS_TOLERANCE
    assert relative_error(fit.deviance, reference.deviance) < DEVIANCE_TOLERANCE
    assert relative_error(fit.null_deviance,
                          reference.null_deviance) < DEVIANCE_TOLERANCE
    assert relative_error(fit.llf, reference.llf if llf is None else llf) \
        < DEVIANCE_TOLERANCE
    assert relative_error(fit.scale, reference.scale) < PARAMS_TOLERANCE
    assert relative_error(fit.cov_params(), reference.cov_params()) \
        < PARAMS_TOLERANCE


def test_logistic(rng):
    x = design(rng, 3000, 6)
    beta = np.array([-0.3, 1.0, -0.5, 0.25, 0.0, 0.8])
    y = (rng.random(3000) < 1 / (1 + np.exp(-x @ beta))).astype(float)
    fit = fisheropt.glm(x, y, family="binomial")
    reference = refit(sm.GLM(y, x, family=sm.families.Binomial()), fit)
    assert_same(fit, reference)
    assert fit.param_names[0] == "(Intercept)"
    # Wald intervals: estimate ± 1.959964 se.
    ci = np.asarray(fit.conf_int())
    assert relative_error(ci, reference.conf_int()) < PARAMS_TOLERANCE
    assert relative_error(fit.pvalues, reference.pvalues) < 1e-6


def test_poisson_with_offset(rng):
    n = 2000
    x = design(rng, n, 4)
    exposure = rng.uniform(0.5, 3.0, size=n)
    mu = exposure * np.exp(x @ np.array([0.2, 0.4, -0.3, 0.1]))
    y = rng.poisson(mu).astype(float)
    offset = np.log(exposure)
    fit = fisheropt.glm(x, y, family="poisson", offset=offset)
    reference = refit(sm.GLM(y, x, family=sm.families.Poisson(),
                             offset=offset), fit)
    assert_same(fit, reference)
    # The mean on new rows includes the offset given.
    new = x[:5]
    assert relative_error(fit.predict(new, offset=offset[:5]),
                          reference.predict(new, offset=offset[:5])) < 1e-10


@pytest.mark.parametrize("link", ["log", "inverse"])
def test_gamma(rng, link):
    n = 1500
    x = design(rng, n, 3)
    if link == "log":
        mu = np.exp(x @ np.array([1.0, 0.3, -0.2]))
        sm_link = sm.families.links.log()
    else:
        x[:, 1:] = np.abs(x[:, 1:])
        mu = 1 / (x @ np.array([0.5, 0.2, 0.1]))
        sm_link = sm.families.links.inverse_power()
    shape = 3.0
    y = rng.gamma(shape, mu / shape)
    fit = fisheropt.glm(x, y, family="Gamma", link=link)
    model = sm.GLM(y, x, family=sm.families.Gamma(link=sm_link))
    reference = refit(model, fit)
    r_llf = model.family.loglike(y, reference.mu,
                                 scale=reference.deviance / n)
    assert_same(fit, reference, llf=r_llf)


def test_negative_binomial_fixed_alpha(rng):
    # statsmodels' NegativeBinomial(alpha) is R's negative.binomial(theta)
    # with theta = 1 / alpha.
    n = 2000
    x = design(rng, n, 4)
    alpha = 0.5
    mu = np.exp(x @ np.array([1.0, 0.5, -0.25, 0.3]))
    y = rng.negative_binomial(1 / alpha, 1 / (1 + alpha * mu)).astype(float)
    fit = fisheropt.glm(x, y, family="negative.binomial", theta=1 / alpha)
    reference = refit(
        sm.GLM(y, x, family=sm.families.NegativeBinomial(alpha=alpha)), fit)
    assert_same(fit, reference)


def test_frequency_weights(rng):
    # Integer prior weights = frequency weights: the same as repeating rows.
    n = 800
    x = design(rng, n, 3)
    y = rng.poisson(np.exp(x @ np.array([0.5, 0.3, -0.4]))).astype(float)
    w = rng.integers(0, 4, size=n).astype(float)
    fit = fisheropt.glm(x, y, family="poisson", weights=w)
    reference = refit(sm.GLM(y, x, family=sm.families.Poisson(),
                             freq_weights=w), fit)
    assert_same(fit, reference)
    repeated = fisheropt.glm(np.repeat(x, w.astype(int), axis=0),
                             np.repeat(y, w.astype(int)), family="poisson")
    assert relative_error(fit.params, repeated.params) < 1e-10
    assert relative_error(fit.deviance, repeated.deviance) < 1e-10


def test_formula_with_factors_and_interaction():
    # warpbreaks: breaks ~ wool * tension with statsmodels' formula API.
    data = read_r_csv("warpbreaks.csv")
    fit = fisheropt.glm("breaks ~ wool * tension", data, family="poisson")
    model = smf.glm("breaks ~ C(wool) * C(tension)", data,
                    family=sm.families.Poisson())
    reference = refit(model, fit)
    # patsy's columns in R's order: Intercept, B, L, M, B:L, B:M.
    assert reference.model.exog_names == [
        "Intercept", "C(wool)[T.B]", "C(tension)[T.L]", "C(tension)[T.M]",
        "C(wool)[T.B]:C(tension)[T.L]", "C(wool)[T.B]:C(tension)[T.M]"]
    assert fit.param_names == ["(Intercept)", "woolB", "tensionL", "tensionM",
                               "woolB:tensionL", "woolB:tensionM"]
    assert relative_error(np.asarray(fit.params),
                          np.asarray(reference.params)) < PARAMS_TOLERANCE
    assert relative_error(np.asarray(fit.bse),
                          np.asarray(reference.bse)) < PARAMS_TOLERANCE
    assert relative_error(fit.deviance, reference.deviance) < DEVIANCE_TOLERANCE
    assert relative_error(fit.llf, reference.llf) < DEVIANCE_TOLERANCE


def test_formula_and_arrays_agree(rng):
    # The formula path (model frame) and the array path give one fit.
    n = 500
    x1, x2 = rng.normal(size=n), rng.normal(size=n)
    y = (rng.random(n) < 1 / (1 + np.exp(-(0.2 + x1 - x2)))).astype(float)
    by_formula = fisheropt.glm("y ~ x1 + x2", {"y": y, "x1": x1, "x2": x2})
    by_arrays = fisheropt.glm(np.column_stack([np.ones(n), x1, x2]), y,
                              names=["(Intercept)", "x1", "x2"])
    assert relative_error(by_formula.params, by_arrays.params) < 1e-12
    assert relative_error(by_formula.bse, by_arrays.bse) < 1e-12
