#!/usr/bin/env bash
# Runs one fisheropt_bench workload several times and prints, per solver, the
# time to the 1e-10 gap and its ratio to the best Ceres run of the same
# process in every repetition, then the median ratio: one run's ratio moves
# by about ±20 % on these shared 2-core machines.
#
#   bench/repeat.sh 5 logistic-isotropic-p500 fisher-bfgs-single,ceres-lbfgs-scaled,ceres-bfgs-scaled
#
# Arguments: repetitions, workload (as --only takes it), solvers (as
# --solvers takes them; include the Ceres runs to compare with). Extra
# arguments go to fisheropt_bench (e.g. --quick).
set -euo pipefail
repetitions="${1:?usage: bench/repeat.sh REPETITIONS WORKLOAD SOLVERS [fisheropt_bench options]}"
workload="${2:?workload}"
solvers="${3:?solvers}"
shift 3
bench="$(dirname "${BASH_SOURCE[0]}")/../build/bench/fisheropt_bench"
printf "%-22s %8s  %s\n" solver median "times to the gap (s); ratios to the best Ceres, sorted"
for ((r = 1; r <= repetitions; ++r)); do
  "$bench" --only "$workload" --solvers "$solvers" "$@" |
    awk -v r="$r" '$2 ~ /^[0-9]+$/ && NF == 13 { print r, $1, $6, $(NF-1) }'
done | awk '
  { t[$2] = t[$2] " " $3; ratio = $4; sub(/x$/, "", ratio);
    if (ratio != "-") { n[$2]++; v[$2, n[$2]] = ratio + 0 } }
  END {
    for (s in t) {
      m = n[s]
      for (i = 1; i <= m; ++i) for (j = i + 1; j <= m; ++j)
        if (v[s, j] < v[s, i]) { x = v[s, i]; v[s, i] = v[s, j]; v[s, j] = x }
      median = m == 0 ? "-" : (m % 2 ? v[s, (m + 1) / 2] : (v[s, m / 2] + v[s, m / 2 + 1]) / 2)
      line = ""
      for (i = 1; i <= m; ++i) line = line sprintf(" %.3f", v[s, i])
      printf "%-22s %7.3fx  times:%s; ratios:%s\n", s, median, t[s], line
    }
  }' | sort
