#!/usr/bin/env python3
"""Benchmark (not a test): a logistic regression on an N×p float64 array,
fisheropt.glm against statsmodels' GLM(...).fit() (IRLS) and
scikit-learn's LogisticRegression(solver="newton-cholesky", penalty=None),
in the same process, on the same data, medians of --repeats runs each.

    PYTHONPATH=build/python /usr/bin/python3 python/bench/bench_glm.py \
        --n 1000000 --p 100 --repeats 3

Prints a Markdown table (seconds per fit, median and each run; the ratios of
the others' medians to fisheropt's) with the machine, the date, the library
versions and the thread counts, and the largest relative difference of the
estimates from fisheropt's (all three reach the same MLE)."""

import argparse
import datetime
import os
import platform
import statistics
import sys
import time

import numpy as np


def machine():
    model = platform.processor() or "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return "%s, %d logical CPUs, %s" % (model, os.cpu_count(), platform.platform())


def timed(name, function, repeats):
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
        print("%s: %.3f s" % (name, times[-1]), file=sys.stderr, flush=True)
    return times, result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--p", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=20261206)
    parser.add_argument("--skip", nargs="*", default=[],
                        choices=["statsmodels", "sklearn"])
    args = parser.parse_args()

    import fisheropt
    rng = np.random.default_rng(args.seed)
    n, p = args.n, args.p
    # X column by column (no N×p temporary), an intercept and standard
    # normal predictors; β scaled so that η has unit variance.
    x = np.empty((n, p))
    x[:, 0] = 1.0
    for j in range(1, p):
        x[:, j] = rng.standard_normal(n)
    beta = rng.standard_normal(p) / np.sqrt(p)
    y = (rng.random(n) < 1.0 / (1.0 + np.exp(-(x @ beta)))).astype(np.float64)

    rows = []
    times, ours = timed("fisheropt",
                        lambda: fisheropt.glm(x, y, family="binomial"),
                        args.repeats)
    reference = np.asarray(ours.params)
    rows.append(("fisheropt.glm (Fisher scoring)", times, 0.0,
                 "%d iterations" % ours.iterations))

    if "statsmodels" not in args.skip:
        import statsmodels
        import statsmodels.api as sm
        times, result = timed(
            "statsmodels",
            lambda: sm.GLM(y, x, family=sm.families.Binomial()).fit(),
            args.repeats)
        difference = np.max(np.abs(result.params - reference) /
                            np.abs(reference))
        rows.append(("statsmodels %s GLM().fit() (IRLS)" % statsmodels.__version__,
                     times, difference, "%d iterations" % result.fit_history["iteration"]))

    if "sklearn" not in args.skip:
        import sklearn
        from sklearn.linear_model import LogisticRegression
        model = LogisticRegression(solver="newton-cholesky", penalty=None,
                                   fit_intercept=False, tol=1e-8, max_iter=100)
        times, result = timed("sklearn", lambda: model.fit(x, y), args.repeats)
        difference = np.max(np.abs(result.coef_.ravel() - reference) /
                            np.abs(reference))
        rows.append(("scikit-learn %s LogisticRegression(newton-cholesky)"
                     % sklearn.__version__, times, difference,
                     "%d iterations" % int(np.max(result.n_iter_))))

    ours_median = statistics.median(rows[0][1])
    print("## Logistic regression, N = %d, p = %d (float64, C order)\n" % (n, p))
    print("- date: %s" % datetime.datetime.now(datetime.timezone.utc)
          .strftime("%Y-%m-%d %H:%M UTC"))
    print("- machine: %s; load average at the end: %s"
          % (machine(), " ".join("%.2f" % v for v in os.getloadavg())))
    print("- numpy %s; OMP_NUM_THREADS=%s, OPENBLAS_NUM_THREADS=%s"
          % (np.__version__, os.environ.get("OMP_NUM_THREADS", "(unset)"),
             os.environ.get("OPENBLAS_NUM_THREADS", "(unset)")))
    print("- seed %d, %d repeats each, in one process\n" % (args.seed, args.repeats))
    print("| fit | median s | runs s | median / fisheropt's | max rel. diff. of β | |")
    print("|---|---:|---|---:|---:|---|")
    for name, times, difference, note in rows:
        median = statistics.median(times)
        print("| %s | %.3f | %s | %.2f | %.1e | %s |"
              % (name, median, ", ".join("%.3f" % t for t in times),
                 median / ours_median, difference, note))


if __name__ == "__main__":
    main()
