#!/usr/bin/env bash
# Data-parallel Fisher scoring on this machine: `mpirun -np K fisheropt fit`
# for K = 1, 2 on one synthetic logistic CSV file, REPETITIONS runs each, and
# per K the medians of the solver's wall time per iteration (the --trace
# file's time at the last iteration / iterations: the reading of the file is
# left out) and of the whole command, their ratios to K = 1 in the same
# script, and the doubles reduced (the JSON's reduced_values). Then the cost
# model of bench/mpi_cost_model.sh for a cluster.
#
#   bench/mpi_scaling.sh [REPETITIONS=3] [ROWS=400000] [PARAMETERS=20]
#
# Open MPI refuses to run as root unless told: the script sets
# OMPI_ALLOW_RUN_AS_ROOT(_CONFIRM). One OpenMP thread per process, so that
# K = 2 uses the second core instead of a second thread.
set -euo pipefail
repetitions="${1:-3}"
rows="${2:-400000}"
parameters="${3:-20}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
fisheropt="$root/build/tools/fisheropt"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMP_NUM_THREADS=1 OMP_WAIT_POLICY=passive

# y ~ Bernoulli(σ(0.25 + Σ_j b_j x_j)), x_j ~ N(0, 1) (Box–Muller), fixed seed.
awk -v n="$rows" -v p="$parameters" 'BEGIN {
  srand(20261206); pi = atan2(0, -1)
  printf "y"; for (j = 1; j < p; ++j) { printf ",x%d", j; b[j] = (j % 5 - 2) * 0.4 / sqrt(p) }
  printf "\n"
  for (i = 0; i < n; ++i) {
    eta = 0.25; line = ""
    for (j = 1; j < p; ++j) {
      x = sqrt(-2 * log(1 - rand())) * cos(2 * pi * rand())
      eta += b[j] * x; line = line sprintf(",%.6f", x)
    }
    print (rand() < 1 / (1 + exp(-eta)) ? 1 : 0) line
  }
}' > "$work/data.csv"
echo "data: $rows rows, $parameters coefficients, $(du -h "$work/data.csv" | cut -f1)"

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

printf "%3s %10s %14s %12s %10s %14s %12s\n" K iterations "s/iteration" ratio "command s" "reduced/iter" "bytes/iter"
for processes in 1 2; do
  : > "$work/iteration.txt"; : > "$work/command.txt"
  for ((r = 1; r <= repetitions; ++r)); do
    start=$(date +%s.%N)
    mpirun --oversubscribe -np "$processes" "$fisheropt" fit --data "$work/data.csv" \
      --model binomial --response y --trace "$work/trace.csv" --json "$work/fit.json" > /dev/null
    end=$(date +%s.%N)
    echo "$end - $start" | bc >> "$work/command.txt"
    awk -F, 'NR > 1 { it = $1; t = $2 } END { print t / it }' "$work/trace.csv" >> "$work/iteration.txt"
  done
  iterations=$(awk -F, 'NR > 1 { it = $1 } END { print it }' "$work/trace.csv")
  reduced=$(grep -o '"reduced_values": [0-9]*' "$work/fit.json" | grep -o '[0-9]*$' || echo 0)
  per_iteration=$(median < "$work/iteration.txt")
  [ "$processes" = 1 ] && baseline="$per_iteration"
  # Per iteration of Fisher scoring with a line search: one Fisher matrix
  # (lower triangle + a flag) and one value-and-gradient (p + 2) at least.
  p="$parameters"
  per_iter_values=$((processes > 1 ? p * (p + 1) / 2 + 1 + p + 2 : 0))
  printf "%3d %10d %14.6f %11.2fx %10.3f %14d %12d   (run total: %s doubles)\n" \
    "$processes" "$iterations" "$per_iteration" \
    "$(echo "$per_iteration / $baseline" | bc -l)" "$(median < "$work/command.txt")" \
    "$per_iter_values" $((per_iter_values * 8)) "$reduced"
done
echo
"$root/bench/mpi_cost_model.sh" "$baseline" "$rows" "$parameters"
