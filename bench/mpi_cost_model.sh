#!/usr/bin/env bash
# The cost model of one data-parallel Fisher-scoring iteration on a cluster:
#
#   T(K) = N (p² + 4p) / (K · C · R)                 the slowest node's rows
#        + p³ / (3 C R)                               the Cholesky solve, which
#                                                    every node repeats
#        + 2 ⌈log₂ K⌉ (α + 8 m / β)                  the fixed-tree reduction
#                                                    and broadcast of m doubles
#   m = p(p + 1)/2 + 1  (the Fisher matrix's lower triangle and a flag)
#     + p + 2           (value, gradient and a flag of one line-search trial)
#
# R, the rate of one core in row-flops/s (a row costs p² for its rank-1 part
# of XᵀWX and ~4p for η = Xβ and the gradient), is calibrated from a
# measured iteration time on this machine; C cores per node are assumed to
# scale perfectly (the row passes are OpenMP-parallel and memory-bound parts
# are ignored), every node holds N/K rows, and α (latency) and β (bandwidth)
# are parameters of the network. Printed for N = 10⁹ rows, p = 100 and 1000,
# K = 8 … 1024 nodes, for two networks.
#
#   bench/mpi_cost_model.sh SECONDS_PER_ITERATION ROWS PARAMETERS \
#       [CORES_PER_NODE=32] [ALPHA_US=2 BETA_GBPS=12] [ALPHA2_US=50 BETA2_GBPS=1.25]
set -euo pipefail
seconds="${1:?usage: bench/mpi_cost_model.sh SECONDS_PER_ITERATION ROWS PARAMETERS [CORES] [ALPHA_US BETA_GBPS] [ALPHA2_US BETA2_GBPS]}"
rows="${2:?rows}"
parameters="${3:?parameters}"
cores="${4:-32}"
alpha1="${5:-2}"; beta1="${6:-12}"
alpha2="${7:-50}"; beta2="${8:-1.25}"
awk -v t="$seconds" -v n0="$rows" -v p0="$parameters" -v cores="$cores" \
    -v a1="$alpha1" -v b1="$beta1" -v a2="$alpha2" -v b2="$beta2" 'BEGIN {
  rate = n0 * (p0 * p0 + 4 * p0) / t
  printf "calibration: %.3g s per iteration for %d rows x %d coefficients on one core => R = %.3g row-flops/s\n", t, n0, p0, rate
  printf "assumed: N = 1e9 rows, %d cores per node at R each; network A: alpha = %g us, beta = %g GB/s; network B: alpha = %g us, beta = %g GB/s\n\n", cores, a1, b1, a2, b2
  n = 1e9
  split("100 1000", ps, " ")
  for (q = 1; q <= 2; ++q) {
    p = ps[q]; m = p * (p + 1) / 2 + 1 + p + 2
    printf "p = %d: %d doubles (%.3g MB) reduced per iteration\n", p, m, 8 * m / 1e6
    printf "%6s %12s %12s %12s %9s %12s %9s\n", "nodes", "compute s", "A: reduce s", "A: total s", "A: eff", "B: total s", "B: eff"
    for (k = 8; k <= 1024; k *= 2) {
      levels = 0; for (x = 1; x < k; x *= 2) ++levels
      compute = n * (p * p + 4 * p) / (k * cores * rate) + p * p * p / (3 * cores * rate)
      ca = 2 * levels * (a1 * 1e-6 + 8 * m / (b1 * 1e9))
      cb = 2 * levels * (a2 * 1e-6 + 8 * m / (b2 * 1e9))
      if (k == 8) { base_a = 8 * (compute + ca); base_b = 8 * (compute + cb) }
      printf "%6d %12.4g %12.4g %12.4g %8.0f%% %12.4g %8.0f%%\n", k, compute, ca, compute + ca, 100 * base_a / (k * (compute + ca)), compute + cb, 100 * base_b / (k * (compute + cb))
    }
    printf "\n"
  }
  printf "eff: parallel efficiency relative to 8 nodes, (8 T(8)) / (K T(K)).\n"
}'
