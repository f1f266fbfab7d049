"""Bad input raises ValueError with a one-line message naming the culprit
(the command line's message where it has one), never a crash."""

import numpy as np
import pytest

import fisheropt


@pytest.fixture
def data(rng):
    n = 50
    return {"y": (rng.random(n) < 0.5).astype(float), "x": rng.normal(size=n),
            "g": np.array(["a", "b"] * (n // 2), dtype=object)}


def raises(match, function, *args, **kwargs):
    with pytest.raises(ValueError, match=match) as info:
        function(*args, **kwargs)
    assert "\n" not in str(info.value)
    return str(info.value)


def test_unknown_column(data):
    message = raises("nope", fisheropt.glm, "y ~ x + nope", data)
    assert "columns" in message  # and lists the columns


def test_bad_family_and_link(data):
    message = raises("unknown family 'binomail'", fisheropt.glm, "y ~ x", data,
                     family="binomail")
    assert "binomial" in message  # the list of names
    raises("unknown link 'logitt'", fisheropt.glm, "y ~ x", data, link="logitt")
    # A pair R refuses.
    raises("link", fisheropt.glm, "y ~ x", data, family="poisson", link="logit")
    raises("family must be a name", fisheropt.glm, "y ~ x", data, family=3)


def test_bad_optimizer_and_covariance(data):
    raises("newtonn", fisheropt.glm, "y ~ x", data, optimizer="newtonn")
    raises("unknown covariance", fisheropt.glm, "y ~ x", data,
           covariance="robust")


def test_nan_and_inf_in_x(rng):
    x = rng.normal(size=(20, 2))
    y = (rng.random(20) < 0.5).astype(float)
    x[7, 1] = np.nan
    message = raises("not finite|NaN|nan", fisheropt.glm, x, y)
    assert "8" in message or "7" in message  # names the row
    x[7, 1] = np.inf
    raises("not finite|inf", fisheropt.glm, x, y)
    # NaN in a formula's numeric column is a missing value: an error naming
    # the column unless missing="drop".
    data = {"y": y, "x": x[:, 0].copy()}
    data["x"][3] = np.nan
    raises("'x'|x", fisheropt.glm, "y ~ x", data)
    dropped = fisheropt.glm("y ~ x", data, missing="drop")
    assert dropped.nobs == 19
    assert any("dropped 1 rows" in w for w in dropped.warnings)


def test_wrong_shapes(rng):
    x = rng.normal(size=(20, 2))
    y = (rng.random(20) < 0.5).astype(float)
    raises("y has 10 values but the data have 20 rows", fisheropt.glm, x, y[:10])
    raises("2-d", fisheropt.glm, x[:, 0], y)
    raises("weights", fisheropt.glm, x, y, weights=np.ones(3))
    raises("offset", fisheropt.glm, x, y, offset=np.ones(21))
    raises("names", fisheropt.glm, x, y, names=["a"])
    raises("more rows than coefficients", fisheropt.glm, x[:2], y[:2])
    raises("must be 1-d", fisheropt.glm, "y ~ x",
           {"y": y, "x": np.ones((20, 2))})
    raises("length|rows", fisheropt.glm, "y ~ x", {"y": y, "x": np.ones(19)})


def test_bad_response_and_weights(rng):
    x = np.column_stack([np.ones(20), rng.normal(size=20)])
    raises("y|response|0 and 1|\\[0, 1\\]", fisheropt.glm, x, np.full(20, 2.0))
    raises("weight", fisheropt.glm, x, (rng.random(20) < 0.5) * 1.0,
           weights=-np.ones(20))
    raises("response -1 in row 0 is outside the support", fisheropt.glm, x,
           -np.ones(20), family="poisson")


def test_negative_binomial_arguments(data):
    raises("theta is for the negative.binomial", fisheropt.glm, "y ~ x", data,
           theta=2.0)
    raises("theta", fisheropt.glm, np.ones((10, 1)), np.ones(10),
           family="negative.binomial")


def test_bad_data_argument():
    raises("dict of arrays or a pandas DataFrame", fisheropt.glm, "y ~ x",
           [[1, 2]])
    raises("needs data", fisheropt.glm, "y ~ x")
    raises("formula|position|~", fisheropt.glm, "y ~ ~ x", {"y": [1.0, 0.0]})


def test_predict_errors(data):
    fit = fisheropt.glm("y ~ x + g", data)
    raises("level|'c'", fit.predict, {"x": [0.0], "g": np.array(["c"], dtype=object)})
    raises("x", fit.predict, {"g": np.array(["a"], dtype=object)})
    raises("which", fit.predict, data, which="probability")


def test_load_errors(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text("{not json")
    raises("JSON|json", fisheropt.load, str(path))
    path.write_text('{"schema_version": 7}')
    raises("schema_version", fisheropt.load, str(path))


def test_pandas_column_kinds(rng):
    # Nullable integers are numbers (<NA> missing), bools are R's logicals
    # (a dummy named xTRUE), objects and strings are factors.
    import pandas as pd
    n = 40
    frame = pd.DataFrame({
        "y": pd.array(rng.poisson(3, size=n), dtype="Int64"),
        "count": pd.array(rng.integers(0, 5, size=n), dtype="Int64"),
        "flag": rng.random(n) < 0.5,
        "group": pd.Series(["u", "v", "w", "u"] * (n // 4), dtype="string"),
    })
    fit = fisheropt.glm("y ~ count + flag + group", frame, family="poisson")
    assert fit.param_names == ["(Intercept)", "count", "flagTRUE", "groupv",
                               "groupw"]
    frame.loc[5, "count"] = pd.NA
    raises("count", fisheropt.glm, "y ~ count", frame, family="poisson")
    assert fisheropt.glm("y ~ count", frame, family="poisson",
                         missing="drop").nobs == n - 1
