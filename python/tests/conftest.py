"""Shared helpers of the Python tests (run by ctest as python_tests, with
PYTHONPATH=<build>/python and FISHEROPT_BUILD_DIR / FISHEROPT_SOURCE_DIR set
by python/CMakeLists.txt)."""

import csv
import os
import pathlib

import numpy as np
import pytest

SOURCE_DIR = pathlib.Path(
    os.environ.get("FISHEROPT_SOURCE_DIR",
                   pathlib.Path(__file__).resolve().parents[2]))
R_DATA = SOURCE_DIR / "tests" / "data" / "r"


def relative_error(actual, expected):
    """max |a − e| / max(|e|, tiny), elementwise, NaN-aware (NaN must match
    NaN)."""
    a = np.atleast_1d(np.asarray(actual, dtype=float))
    e = np.atleast_1d(np.asarray(expected, dtype=float))
    assert a.shape == e.shape, (a.shape, e.shape)
    assert np.array_equal(np.isnan(a), np.isnan(e)), (a, e)
    keep = ~np.isnan(e)
    if not keep.any():
        return 0.0
    scale = np.maximum(np.abs(e[keep]), 1e-300)
    return float(np.max(np.abs(a[keep] - e[keep]) / scale))


def read_r_csv(name):
    """A CSV of tests/data/r as the library's reader sees it: quoted cells
    are text (factors, even "1"), unquoted cells numbers. Returns a dict of
    NumPy arrays (float64 or object)."""
    with open(R_DATA / name, newline="") as f:
        header = next(csv.reader(f))
        body = list(csv.reader(f, quoting=csv.QUOTE_NONNUMERIC))
    data = {}
    for j, column in enumerate(header):
        values = [row[j] for row in body]
        if all(isinstance(v, float) for v in values):
            data[column] = np.array(values, dtype=np.float64)
        else:
            data[column] = np.array([str(v) for v in values], dtype=object)
    return data


@pytest.fixture
def rng():
    return np.random.default_rng(20261206)
