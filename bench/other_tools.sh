#!/usr/bin/env bash
# Times R's glm.fit, statsmodels' Logit (Newton) and scikit-learn's
# LogisticRegression (lbfgs and newton-cholesky) on the data that
# `fisheropt_bench --write-data DIR` exported, so that other tools are timed
# on identical data. Installs the Debian packages it needs (r-base-core,
# python3-sklearn, python3-statsmodels, python3-numpy). Prints one line per
# tool and data set: time to fit, iterations, and the NLL reached.
#
#   build/bench/fisheropt_bench --quick --write-data /tmp/fisheropt-data
#   bench/other_tools.sh /tmp/fisheropt-data
#
# FISHEROPT_LBFGS_MAX_ITER (default 10000) caps scikit-learn's L-BFGS, which
# does not converge on the ill-conditioned designs: at full scale an
# iteration costs ~0.1 s, so full runs use 1000.
set -euo pipefail
dir="${1:?usage: bench/other_tools.sh DIR (from fisheropt_bench --write-data DIR)}"
export FISHEROPT_LBFGS_MAX_ITER="${FISHEROPT_LBFGS_MAX_ITER:-10000}"
for package in r-base-core python3-sklearn python3-statsmodels python3-numpy; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$package" > /dev/null
  fi
done
for x in "$dir"/*-X.npy; do
  y="${x%-X.npy}-y.npy"
  name="$(basename "${x%-X.npy}")"
  # Debian's Python (not a pyenv one first on PATH), with its numpy.
  /usr/bin/python3 - "$x" "$y" "$name" <<'PY'
import os, sys, time, warnings
import numpy as np
warnings.filterwarnings("ignore")
x, y, name = np.load(sys.argv[1]), np.load(sys.argv[2]), sys.argv[3]
def nll(beta):
    eta = x @ beta
    return float(np.sum(np.logaddexp(0.0, eta) - y * eta))
import statsmodels.api as sm
t = time.perf_counter()
fit = sm.Logit(y, x).fit(method="newton", tol=1e-10, maxiter=100, disp=0)
print(f"{name:40s} statsmodels Logit newton   {time.perf_counter()-t:8.2f} s  "
      f"{fit.mle_retvals['iterations']:4d} it  NLL {nll(fit.params):.10f}")
from sklearn.linear_model import LogisticRegression
for solver in ("lbfgs", "newton-cholesky"):
    try:
        max_iter = int(os.environ["FISHEROPT_LBFGS_MAX_ITER"]) \
            if solver == "lbfgs" else 10000
        model = LogisticRegression(penalty="none", solver=solver, tol=1e-10,
                                   max_iter=max_iter, fit_intercept=False)
        t = time.perf_counter()
        model.fit(x, y)
        print(f"{name:40s} sklearn {solver:18s} {time.perf_counter()-t:8.2f} s  "
              f"{int(model.n_iter_[0]):4d} it  NLL {nll(model.coef_[0]):.10f}")
    except ValueError as error:  # newton-cholesky needs scikit-learn >= 1.2
        print(f"{name:40s} sklearn {solver}: {error}")
PY
  Rscript - "$x" "$y" "$name" <<'R'
args <- commandArgs(trailingOnly = TRUE)
read_npy <- function(path) {
  con <- file(path, "rb"); on.exit(close(con))
  readBin(con, "raw", 8); header_length <- readBin(con, "integer", 1, size = 2)
  header <- rawToChar(readBin(con, "raw", header_length))
  shape <- as.integer(strsplit(gsub(".*\\((.*)\\).*", "\\1", header), ",")[[1]])
  shape <- shape[!is.na(shape)]
  values <- readBin(con, "double", prod(shape))
  if (length(shape) == 2) matrix(values, nrow = shape[1], byrow = TRUE) else values
}
x <- read_npy(args[1]); y <- read_npy(args[2])
t <- system.time(fit <- glm.fit(x, y, family = binomial(),
                                control = glm.control(epsilon = 1e-10)))[["elapsed"]]
eta <- drop(x %*% fit$coefficients)
cat(sprintf("%-40s R glm.fit                 %8.2f s  %4d it  NLL %.10f\n",
            args[3], t, fit$iter, sum(log1p(exp(-abs(eta))) + pmax(eta, 0) - y * eta)))
R
done
