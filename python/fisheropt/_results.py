"""GLMResults: a fitted GLM with statsmodels' GLMResults names where one
exists (params, bse, tvalues, pvalues, conf_int, cov_params, deviance,
null_deviance, llf, aic, bic, scale, df_resid, df_model, nobs) and R's
numbers and conventions (summary.glm, logLik, AIC/BIC with the dispersion
counted as a parameter)."""

import json

import numpy as np

from . import _data

try:
    import pandas as _pd
except ImportError:  # pragma: no cover
    _pd = None


class GLMResults:
    """The result of fisheropt.glm or fisheropt.load.

    Coefficients are pandas Series indexed by R's coefficient names when
    pandas is installed, else NumPy arrays (names in `param_names`). An
    aliased coefficient (a column that is a linear combination of earlier
    ones) is NaN, as R's NA.

    tvalues / pvalues are z statistics with normal p-values for the
    binomial, Poisson and negative binomial families, and t statistics on
    df_resid for the families with an estimated dispersion (R's
    summary.glm; statsmodels uses the normal throughout)."""

    def __init__(self, handle, call=""):
        self._handle = handle
        self._call = call

    # -- coefficients ------------------------------------------------------
    @property
    def param_names(self):
        return list(self._handle.names)

    def _vector(self, values):
        if _pd is not None:
            return _pd.Series(values, index=self.param_names)
        return values

    @property
    def params(self):
        return self._vector(self._handle.estimates)

    @property
    def bse(self):
        return self._vector(self._handle.std_errors)

    @property
    def tvalues(self):
        return self._vector(self._handle.statistics)

    @property
    def pvalues(self):
        return self._vector(self._handle.p_values)

    @property
    def aliased(self):
        return self._vector(np.asarray(self._handle.aliased, dtype=bool))

    def cov_params(self):
        covariance = self._handle.covariance
        if _pd is not None:
            names = self.param_names
            return _pd.DataFrame(covariance, index=names, columns=names)
        return covariance

    def conf_int(self, alpha=0.05):
        """Wald intervals at level 1 − alpha (z or t quantile as tvalues);
        columns 0 and 1 (lower, upper), as statsmodels."""
        if abs(alpha - 0.05) < 1e-15:
            lower = self._handle.conf_lower
            upper = self._handle.conf_upper
        else:
            if not 0.0 < alpha < 1.0:
                raise ValueError("alpha = %r must be in (0, 1)" % (alpha,))
            from scipy import stats  # only for a level other than 95%
            df = self._handle.df_statistic
            q = (stats.t.ppf(1 - alpha / 2, df) if df > 0
                 else stats.norm.ppf(1 - alpha / 2))
            estimates = self._handle.estimates
            bse = self._handle.std_errors
            lower, upper = estimates - q * bse, estimates + q * bse
        table = np.column_stack([lower, upper])
        if _pd is not None:
            return _pd.DataFrame(table, index=self.param_names)
        return table

    # -- fit statistics ----------------------------------------------------
    deviance = property(lambda self: self._handle.deviance)
    null_deviance = property(lambda self: self._handle.null_deviance)
    # R's logLik (φ̂ = deviance / n for gaussian, Gamma, inverse.gaussian).
    llf = property(lambda self: self._handle.log_likelihood)
    aic = property(lambda self: self._handle.aic)
    bic = property(lambda self: self._handle.bic)
    # R's dispersion: Pearson χ² / df_resid where the family estimates one,
    # else 1 (statsmodels' scale).
    scale = property(lambda self: self._handle.dispersion)
    pearson_chi2 = property(lambda self: self._handle.pearson_chi2)
    converged = property(lambda self: self._handle.converged)
    mle_exists = property(lambda self: self._handle.mle_exists)
    iterations = property(lambda self: self._handle.iterations)
    nobs = property(lambda self: self._handle.num_observations)
    df_resid = property(lambda self: self._handle.df_residual)
    df_model = property(
        lambda self: self._handle.rank - (1 if self._handle.has_intercept else 0))
    rank = property(lambda self: self._handle.rank)
    family = property(lambda self: self._handle.family)
    link = property(lambda self: self._handle.link)
    formula = property(lambda self: self._handle.formula)
    warnings = property(lambda self: list(self._handle.warnings))
    # The negative binomial with θ estimated (glm.nb): θ, its standard
    # error; NaN otherwise.
    theta = property(lambda self: self._handle.theta)
    theta_se = property(lambda self: self._handle.theta_se)

    @property
    def solver_summary(self):
        """The solver's summary (termination, counts, per-iteration trace
        as arrays)."""
        return self._handle.solver_summary

    def summary(self):
        """The text `fisheropt fit` prints: R's summary.glm table,
        dispersion, deviances, AIC, log-likelihood, the optimizer's line and
        the warnings."""
        return self._handle.report(self._call)

    def __str__(self):
        return self.summary()

    # -- prediction --------------------------------------------------------
    def predict(self, newdata, which="mean", se=False, offset=None):
        """R's predict.glm: which="mean" (type="response") or "linear"
        (type="link"); se=True returns (prediction, standard error) by the
        delta method. A formula fit takes a dict or DataFrame with the
        formula's columns (and its offset column); an array fit takes a 2-d
        array with the fit's columns (and offset=)."""
        if which not in ("mean", "linear"):
            raise ValueError("unknown which='%s'; use 'mean' or 'linear'" % which)
        if self._handle.formula and not self._array_fit:
            if offset is not None:
                raise ValueError("a formula fit takes its offset from newdata's "
                                 "offset column or offset() terms")
            fit, se_fit = self._handle.predict(
                _data.columns_of(newdata), which)
        else:
            x = np.asarray(newdata, dtype=np.float64)
            if x.ndim == 1:
                x = x.reshape(1, -1)
            fit, se_fit = self._handle.predict_array(
                x, None if offset is None else np.asarray(offset, dtype=np.float64),
                which)
        return (fit, se_fit) if se else fit

    _array_fit = False

    # -- JSON --------------------------------------------------------------
    def to_json(self, path=None):
        """The JSON of `fisheropt fit --json` (schema_version 1); written
        to `path` when given, returned otherwise. fisheropt.load and the
        command line's `predict` and `anova` read it."""
        text = self._handle.to_json()
        if np.isfinite(self._handle.theta):
            record = json.loads(text)
            record["theta"] = self._handle.theta
            record["theta_std_error"] = (
                self._handle.theta_se if np.isfinite(self._handle.theta_se)
                else None)
            record["twologlik"] = self._handle.two_log_likelihood
            text = json.dumps(record, indent=2)
        if path is None:
            return text
        with open(path, "w", encoding="utf-8") as out:
            out.write(text + ("" if text.endswith("\n") else "\n"))
        return None
