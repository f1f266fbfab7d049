"""Writes tests/data/r/breast_cancer.csv from scikit-learn's bundled copy of
the Wisconsin Diagnostic Breast Cancer data (load_breast_cancer: 569 rows,
30 features). Column names are scikit-learn's feature names with spaces as
underscores; `benign` is scikit-learn's target (1 = benign, 0 = malignant).
Numbers are written with repr(), which reads back as the same double.

Run from the repository root with Debian's python3-sklearn:

    /usr/bin/python3 tests/data/r/make_breast_cancer.py
"""
import csv

from sklearn.datasets import load_breast_cancer


def number_text(value):
    value = float(value)
    return str(int(value)) if value.is_integer() else repr(value)


def main():
    data = load_breast_cancer()
    names = [name.replace(" ", "_") for name in data.feature_names]
    with open("tests/data/r/breast_cancer.csv", "w", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(names + ["benign"])
        for row, target in zip(data.data, data.target):
            writer.writerow([number_text(v) for v in row] + [int(target)])


if __name__ == "__main__":
    main()
