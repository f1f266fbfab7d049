"""fisheropt.minimize on users' objectives, compare and check."""

import numpy as np
import pytest

import fisheropt
from conftest import relative_error


def logistic_problem(rng, n=400, p=4):
    x = np.column_stack([np.ones(n), rng.normal(size=(n, p - 1))])
    y = (rng.random(n) < 1 / (1 + np.exp(-x @ np.linspace(-1, 1, p)))).astype(float)

    def fun_and_grad(beta):
        eta = x @ beta
        # Σ log(1 + e^η) − yη, stably; gradient Xᵀ(μ − y).
        value = np.sum(np.logaddexp(0.0, eta) - y * eta)
        return value, x.T @ (1 / (1 + np.exp(-eta)) - y)

    def fisher(beta):
        mu = 1 / (1 + np.exp(-(x @ beta)))
        return (x * (mu * (1 - mu))[:, None]).T @ x

    return x, y, fun_and_grad, fisher


@pytest.mark.parametrize("method", ["fisher-scoring", "natural-gradient-kl",
                                    "fisher-lm", "fisher-wolfe"])
def test_user_fisher_reaches_the_glm_estimates(rng, method):
    x, y, fun_and_grad, fisher = logistic_problem(rng)
    result = fisheropt.minimize(fun_and_grad, np.zeros(4), curvature=fisher,
                                method=method)
    assert result.converged, result.message
    reference = fisheropt.glm(x, y, family="binomial")
    assert relative_error(result.x, reference.params) < 1e-7
    # The trace: one entry per iteration plus the start, costs decreasing.
    trace = result.trace
    assert trace["cost"].shape == (result.iterations + 1,)
    assert np.all(np.diff(trace["cost"]) <= 1e-9 * abs(trace["cost"][0]))
    assert relative_error(result.final_cost, -reference.llf) < 1e-10


def test_fisher_scoring_is_quadratic_on_the_logistic(rng):
    # Expected Fisher = Hessian for the canonical link: Newton's rate, a
    # handful of iterations from zero.
    _, _, fun_and_grad, fisher = logistic_problem(rng)
    result = fisheropt.minimize(fun_and_grad, np.zeros(4), curvature=fisher)
    assert result.iterations <= 8


def test_without_curvature_finite_difference_hessian():
    # Rosenbrock: the minimum (1, 1) from the classical start.
    def fun_and_grad(v):
        a, b = v
        value = (1 - a) ** 2 + 100 * (b - a * a) ** 2
        return value, np.array([-2 * (1 - a) - 400 * a * (b - a * a),
                                200 * (b - a * a)])

    result = fisheropt.minimize(fun_and_grad, [-1.2, 1.0], method="newton",
                                max_iterations=200)
    assert result.converged, result.message
    assert np.max(np.abs(result.x - 1.0)) < 1e-6


def test_callback_errors_propagate():
    def broken(v):
        raise RuntimeError("boom in the objective")

    with pytest.raises(RuntimeError, match="boom in the objective"):
        fisheropt.minimize(broken, [1.0, 2.0], curvature=lambda v: np.eye(2))

    def fun_and_grad(v):
        return float(v @ v), 2 * v

    with pytest.raises(ValueError, match="curvature must return a 2x2"):
        fisheropt.minimize(fun_and_grad, [1.0, 2.0],
                           curvature=lambda v: np.eye(3))
    with pytest.raises(ValueError, match="gradient must have 2 entries"):
        fisheropt.minimize(lambda v: (float(v @ v), np.ones(3)), [1.0, 2.0])
    with pytest.raises(ValueError, match="ceres-lbfgs"):
        fisheropt.minimize(fun_and_grad, [1.0, 2.0], method="ceres-lbfgs")
    with pytest.raises(ValueError, match="unknown|newtonn"):
        fisheropt.minimize(fun_and_grad, [1.0, 2.0], method="newtonn")


def test_compare_traces():
    result = fisheropt.compare(problems=["logistic"],
                               optimizers=["fisher-scoring", "newton",
                                           "natural-gradient"])
    problem = result["logistic"]
    assert list(problem["runs"]) == ["fisher-scoring", "newton",
                                     "natural-gradient"]
    for name, run in problem["runs"].items():
        trace = run["trace"]
        k = run["iterations"] + 1
        for key in ("iteration", "time", "cost", "nll_minus_reference",
                    "gradient_norm", "step_norm", "kl"):
            assert trace[key].shape == (k,), (name, key)
        np.testing.assert_array_equal(trace["iteration"], np.arange(k))
        assert np.all(np.diff(trace["time"]) >= 0)
        # Every method reaches the reference optimum.
        assert abs(trace["nll_minus_reference"][-1]) < \
            1e-9 * abs(problem["reference_nll"]), name
        assert run["relative_distance"] < 1e-5, name
    # Fisher scoring (Newton's rate) needs far fewer iterations than the
    # fixed-step natural gradient (linear rate).
    assert problem["runs"]["fisher-scoring"]["iterations"] * 3 < \
        problem["runs"]["natural-gradient"]["iterations"]
    with pytest.raises(ValueError, match="nope"):
        fisheropt.compare(problems=["nope"])


def test_check_diagnostics():
    report = fisheropt.check(model="logistic", samples=300, draws=300)
    assert report["all_pass"], report["text"]
    assert set(report["points"]) == {"MLE", "perturbed"}
    rows = report["points"]["MLE"]
    assert rows and all(set(row) >= {"name", "estimate", "target", "pass"}
                        for row in rows)
    assert all(row["pass"] for row in rows if row["kind"] == "check")
    with pytest.raises(ValueError, match="nope"):
        fisheropt.check(model="nope")
