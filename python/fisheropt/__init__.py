"""fisheropt: GLMs fitted by Fisher scoring, and second-order optimization
with Fisher information, from Python.

    fisheropt.glm("y ~ x + C", data, family="binomial")   # R's glm
    fisheropt.glm(X, y, family="poisson")                  # arrays
    fisheropt.load("fit.json")                             # fit --json
    fisheropt.minimize(fun_and_grad, x0, curvature=fisher)
    fisheropt.compare(problems=["logistic"], optimizers=[...])
    fisheropt.check(model="logistic")

Errors in the input raise ValueError with the command line's one-line
message; Ctrl-C stops a fit between two iterations (KeyboardInterrupt).
"""

import os

# libgomp's threads spin while they wait (OMP_WAIT_POLICY=active, its
# default), which on a loaded machine takes the cores the other thread of a
# fit needs (the command line re-executes itself with "passive" for the same
# reason: docs/experiments/2026-12-06-stats-layer.md). Read once, when
# libgomp is loaded, i.e. by the import below unless another module loaded
# it first; a policy the user set is kept.
os.environ.setdefault("OMP_WAIT_POLICY", "passive")

import numpy as np  # noqa: E402

from . import _data  # noqa: E402
from . import _fisheropt  # noqa: E402
from ._results import GLMResults

__all__ = ["glm", "load", "minimize", "compare", "check", "GLMResults",
           "families", "optimizers"]


def families():
    """The family names glm accepts (R's, plus the obvious spellings)."""
    return list(_fisheropt.family_names())


def optimizers():
    """The optimizer names (the command line's --optimizer), besides "auto"."""
    return list(_fisheropt.optimizer_names())


def _arguments(family, link, theta, optimizer, covariance, max_iterations,
               tol):
    if not isinstance(family, str):
        raise ValueError("family must be a name such as 'binomial' or "
                         "'poisson', got %r" % (family,))
    arguments = _fisheropt.FitArguments()
    arguments.family = family
    arguments.link = "" if link is None else str(link)
    arguments.theta = None if theta is None else float(theta)
    arguments.optimizer = str(optimizer)
    arguments.covariance = str(covariance)
    arguments.max_iterations = int(max_iterations)
    arguments.tolerance = None if tol is None else float(tol)
    return arguments


def _call_text(first, family, link, theta, optimizer):
    parts = [repr(first) if isinstance(first, str) else "X, y",
             "family=%r" % family]
    if link is not None:
        parts.append("link=%r" % link)
    if theta is not None:
        parts.append("theta=%r" % theta)
    if optimizer != "auto":
        parts.append("optimizer=%r" % optimizer)
    return "fisheropt.glm(%s)" % ", ".join(parts)


def _vector(values, what, n=None):
    array = np.ascontiguousarray(np.asarray(values, dtype=np.float64))
    if array.ndim != 1:
        raise ValueError("%s must be 1-d, got shape %s" % (what, array.shape))
    if n is not None and array.shape[0] != n:
        raise ValueError("%s has %d values but the data have %d rows"
                         % (what, array.shape[0], n))
    return array


def glm(formula_or_x, data=None, family="binomial", link=None, weights=None,
        offset=None, optimizer="auto", covariance="fisher", theta=None,
        names=None, missing="raise", max_iterations=100, tol=None):
    """Fits a GLM, as R's glm / MASS::glm.nb.

    Formula form: glm("y ~ a * b + offset(log(t))", data, family=...),
    data a dict of arrays or a pandas DataFrame (text, object, categorical
    and bool columns are factors). weights / offset: a column name or an
    array of one value per row (R's glm(weights=, offset=); weights are
    prior / frequency weights, statsmodels' freq_weights). missing="drop"
    drops rows with a missing value in a used column (R's na.omit);
    "raise" (default) makes one an error.

    Array form: glm(X, y, family=...), X an N×p array (a C-contiguous
    float64 array is read in place; the fit makes one N×p working copy,
    which it orthonormalizes) or a DataFrame of numbers; no intercept is
    added (as statsmodels' GLM): a column of ones is the intercept, named
    "(Intercept)". names= names X's columns (default: the DataFrame's, else
    x0, x1, ...).

    family: a name of fisheropt.families() ("binomial", "poisson",
    "Gamma", "gaussian", "inverse.gaussian", "negative.binomial",
    "quasipoisson", "probit", ...); link: R's link name to override the
    family's. negative.binomial: theta= fixes θ (statsmodels'
    NegativeBinomial(alpha) is theta = 1/alpha); without it θ is estimated
    (glm.nb, formula form only).

    optimizer: "auto" is the library's default GLM solver (Fisher scoring
    with an Armijo line search, then up to three Newton polishing steps);
    any name of fisheropt.optimizers() runs that optimizer instead, as
    `fisheropt fit --optimizer`. covariance: "fisher" (R's), "observed",
    "sandwich", or "HC0" ... "HC3" (R's sandwich::vcovHC). tol: the relative
    function tolerance (default 1e-12).
    """
    arguments = _arguments(family, link, theta, optimizer, covariance,
                           max_iterations, tol)
    call = _call_text(formula_or_x, family, link, theta, optimizer)
    if missing not in ("raise", "drop"):
        raise ValueError("missing must be 'raise' or 'drop', got %r" % (missing,))
    if isinstance(formula_or_x, str):
        if data is None:
            raise ValueError("a formula needs data= (a dict of arrays or a "
                             "pandas DataFrame)")
        if names is not None:
            raise ValueError("names= is for the array form; a formula names "
                             "its coefficients")
        extra = []
        weights_column = offset_column = ""
        if isinstance(weights, str):
            weights_column = weights
        elif weights is not None:
            extra.append((_data.WEIGHTS_COLUMN, _vector(weights, "weights")))
            weights_column = _data.WEIGHTS_COLUMN
        if isinstance(offset, str):
            offset_column = offset
        elif offset is not None:
            extra.append((_data.OFFSET_COLUMN, _vector(offset, "offset")))
            offset_column = _data.OFFSET_COLUMN
        columns = _data.columns_of(data, extra)
        handle = _fisheropt.fit_formula(formula_or_x, columns, weights_column,
                                        offset_column, missing == "drop",
                                        arguments)
        return GLMResults(handle, call)

    if data is None:
        raise ValueError("glm(X, y): y is missing")
    if missing != "raise":
        raise ValueError("missing='drop' is for the formula form")
    x = formula_or_x
    if _data.is_data_frame(x):
        if names is None:
            names = [str(c) for c in x.columns]
        x = x.to_numpy()  # a view where pandas can give one
    x = np.asarray(x)
    if x.dtype != np.float64:
        if x.dtype.kind not in "iufb":
            raise ValueError("X must hold numbers, got dtype %s" % x.dtype)
        x = x.astype(np.float64)  # not float64: converted (one more copy)
    if x.ndim != 2:
        raise ValueError("X must be a 2-d array, got shape %s" % (x.shape,))
    n, p = x.shape
    response_name = "y"
    if hasattr(data, "name") and isinstance(getattr(data, "name"), str):
        response_name = data.name
    y = _vector(data, "y", n)
    if names is None:
        names = ["x%d" % j for j in range(p)]
        # A column of ones is the intercept (R's name, which makes the null
        # deviance that of the intercept-only model). Candidates are the
        # columns whose first value is 1; each is then checked in full.
        if n > 0:
            for j in np.flatnonzero(x[0] == 1.0):
                if np.all(x[:, j] == 1.0):
                    names[j] = "(Intercept)"
                    break
    else:
        names = [str(name) for name in names]
        if len(names) != p:
            raise ValueError("X has %d columns but %d names were given"
                             % (p, len(names)))
        # statsmodels' add_constant names its column "const".
        for j, name in enumerate(names):
            if name in ("const", "Intercept") and n > 0 and np.all(x[:, j] == 1.0):
                names[j] = "(Intercept)"
                break
    handle = _fisheropt.fit_arrays(
        x, y, names, response_name,
        None if weights is None else _vector(weights, "weights", n),
        None if offset is None else _vector(offset, "offset", n),
        arguments)
    result = GLMResults(handle, call)
    result._array_fit = True
    return result


def load(path):
    """A fit from the JSON of `fisheropt fit --json` or GLMResults.to_json
    (schema_version 1): coefficients, covariance, deviances and the model
    frame, enough for summary(), predict() and the statistics."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    return GLMResults(_fisheropt.load_json(text))


class MinimizeResult(dict):
    """minimize's result: x, converged, termination, message, iterations,
    final_cost, counts and trace (per-iteration arrays: iteration, cost,
    gradient_norm, step_norm, time, damping, kl). Keys are also
    attributes."""

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


def minimize(fun_and_grad, x0, curvature=None, method="fisher-scoring",
             max_iterations=100, function_tolerance=1e-12,
             gradient_tolerance=1e-10, parameter_tolerance=1e-12):
    """Minimizes a user's objective with the library's Newton-like solver.

    fun_and_grad(x) -> (value, gradient); curvature(x) -> p×p matrix (the
    Fisher information or a generalized Gauss–Newton matrix of the
    objective: positive semidefinite), or None for the Hessian by central
    differences of the gradient (2p gradient calls per curvature). method:
    a Newton-like optimizer of fisheropt.optimizers() that takes a user's
    curvature: "fisher-scoring" (line search), "fisher-wolfe",
    "natural-gradient" (fixed step), "natural-gradient-kl" (KL trust
    region), "fisher-lm" (Levenberg–Marquardt), "fisher-reuse", ... Its
    curvature options (subsampling, precision) do not apply. The stopping
    rules are Ceres' (optim/solver_options.h). An exception raised by a
    callback ends the solve and propagates."""
    result = _fisheropt.minimize(fun_and_grad, np.asarray(x0, dtype=np.float64),
                                 curvature, str(method), int(max_iterations),
                                 float(function_tolerance),
                                 float(gradient_tolerance),
                                 float(parameter_tolerance))
    return MinimizeResult(result)


def compare(problems=None, optimizers=None, max_iterations=0,
            return_text=False):
    """`fisheropt compare` on the built-in problems: {problem: {description,
    reference_nll, reference_optimum, runs: {optimizer: {x: solution,
    converged, iterations, nll_gap, relative_distance, trace: {iteration,
    time, cost, nll_minus_reference, gradient_norm, step_norm, damping,
    kl}}}}}. problems / optimizers default to all (fisheropt's
    problem and optimizer names); max_iterations 0 keeps compare's 1000.
    return_text=True also returns the command line's tables."""
    result, text = _fisheropt.compare(list(problems or []),
                                      list(optimizers or []),
                                      int(max_iterations))
    for problem in result.values():
        for run in problem["runs"].values():
            run["x"] = run.pop("solution")
    return (result, text) if return_text else result


def check(model="logistic", samples=500, draws=1000, seed=20261128,
          perturbation=0.5):
    """`fisheropt check`: the Fisher-information identities of a built-in
    model at its MLE and at a perturbed point, by Monte Carlo. Returns
    {model, all_pass, text, points: {"MLE": [rows], "perturbed": [rows]}},
    each row a dict (name, kind, estimate, target, standard_error,
    tolerance, pass, note)."""
    return _fisheropt.check(str(model), int(samples), int(draws), int(seed),
                            float(perturbation))
