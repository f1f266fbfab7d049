"""Conversion of Python data (dicts of arrays, pandas DataFrames) into the
columns of the library's DataFrame (stats/data_frame.h).

Numeric columns (float, int) are passed as float64 vectors, NaN marking a
missing value; every other column (str, object, pandas categorical, bool)
becomes a text column, i.e. a factor in a formula. Booleans are written
"FALSE"/"TRUE" as R's logicals, so a dummy is named "xTRUE" as in R. The
levels of a factor are sorted bytewise (R's C-locale order of a text
column), whatever the order of a pandas Categorical's categories.
"""

import math

import numpy as np

from . import _fisheropt

try:  # pandas is optional
    import pandas as _pd
except ImportError:  # pragma: no cover - exercised only without pandas
    _pd = None

# The names of the columns that carry weights= and offset= arrays given
# with a formula (R's names for them in a model frame).
WEIGHTS_COLUMN = "(weights)"
OFFSET_COLUMN = "(offset)"


def is_data_frame(data):
    return _pd is not None and isinstance(data, _pd.DataFrame)


def _missing(value):
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return _pd is not None and value is _pd.NA


def _column(name, values):
    column = _fisheropt.Column()
    column.name = str(name)
    if _pd is not None and isinstance(values, (_pd.Series, _pd.Index)):
        if isinstance(values.dtype, _pd.CategoricalDtype):
            values = values.astype(object)
        if (_pd.api.types.is_numeric_dtype(values.dtype) and
                not _pd.api.types.is_bool_dtype(values.dtype)):
            # Nullable integers and floats too: <NA> becomes NaN (missing).
            values = values.to_numpy(dtype=np.float64, na_value=np.nan)
        else:
            values = values.to_numpy(dtype=object)
    array = np.asarray(values)
    if array.ndim != 1:
        raise ValueError(
            "column '%s' must be 1-d, got shape %s" % (column.name, array.shape))
    if array.dtype.kind in "iuf":
        column.numbers = np.ascontiguousarray(array, dtype=np.float64)
        return column
    if array.dtype.kind == "b":
        column.text = ["TRUE" if v else "FALSE" for v in array]
        column.missing = []
        return column
    text = []
    missing = []
    for value in array.tolist():
        if _missing(value):
            text.append("")
            missing.append(True)
        elif isinstance(value, bool):
            text.append("TRUE" if value else "FALSE")
            missing.append(False)
        else:
            text.append(str(value))
            missing.append(False)
    column.text = text
    column.missing = missing if any(missing) else []
    return column


def columns_of(data, extra=()):
    """The library's columns of `data` (dict or DataFrame) plus `extra`
    (name, values) pairs."""
    if is_data_frame(data):
        items = [(name, data[name]) for name in data.columns]
    elif isinstance(data, dict):
        items = list(data.items())
    else:
        raise ValueError(
            "data must be a dict of arrays or a pandas DataFrame, got %s"
            % type(data).__name__)
    names = [str(name) for name, _ in items]
    for name, _ in extra:
        if name in names:
            raise ValueError("data has a column named '%s', which fisheropt "
                             "uses for the weights=/offset= arrays" % name)
    return [_column(name, values) for name, values in list(items) + list(extra)]
