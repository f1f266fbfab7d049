"""The array fit reads X in place: one N×p working copy (the Dataset's X,
which FitGlm orthonormalizes in place) and nothing else of X's size.

Measured in a fresh process: the peak resident set (VmHWM) grows by
about one X during the fit (the working copy), not two; tracemalloc, which
sees NumPy's allocations, sees no N×p array made on the Python side."""

import json
import os
import subprocess
import sys
import textwrap

import pytest

SCRIPT = textwrap.dedent("""
    import json, sys, tracemalloc
    import numpy as np
    import fisheropt
    order = sys.argv[1]
    n, p = 200000, 50
    rng = np.random.default_rng(1)
    # Filled column by column: no temporary of X's size raises the peak
    # before the measurement.
    x = np.empty((n, p), order=order)
    x[:, 0] = 1.0
    for j in range(1, p):
        x[:, j] = rng.standard_normal(n)
    y = (rng.random(n) < 1 / (1 + np.exp(-x[:, :3].sum(axis=1)))).astype(float)
    fisheropt.glm(x[:1000], y[:1000])  # loads everything, warms the pools
    def peak_bytes():
        # VmHWM: this process's peak resident set. (ru_maxrss is not: Linux
        # carries the parent's peak across fork and exec, so under a large
        # pytest process the baseline would already be above the fit's.)
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
        raise RuntimeError("no VmHWM in /proc/self/status")
    before = peak_bytes()
    tracemalloc.start()
    fit = fisheropt.glm(x, y)
    traced_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert fit.converged
    print(json.dumps({"x_bytes": x.nbytes, "rss_growth": peak_bytes() - before,
                      "traced_peak": traced_peak}))
""")


@pytest.mark.parametrize("order", ["C", "F"])
def test_one_working_copy(order):
    result = subprocess.run([sys.executable, "-c", SCRIPT, order],
                            capture_output=True, text=True, check=True,
                            env=dict(os.environ, OMP_NUM_THREADS="2"))
    numbers = json.loads(result.stdout)
    x_bytes = numbers["x_bytes"]
    # One working copy (plus O(N) vectors, ~2% of X here), not two.
    assert 0.9 * x_bytes < numbers["rss_growth"] < 1.5 * x_bytes, numbers
    # No NumPy copy of X: the Python side allocates O(N) at most.
    assert numbers["traced_peak"] < 0.05 * x_bytes, numbers
