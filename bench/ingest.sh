#!/usr/bin/env bash
# End-to-end ingest benchmark of `fisheropt fit` (issue 16): two fisheropt
# binaries (a baseline, e.g. main's, and a candidate) on the same numeric
# CSV, the candidate on the same data as .npy, and R's read.csv + glm.
# Prints, per run, the median of the repeats of wall, user and system time
# and the median peak RSS (the "Maximum resident set size" of
# /usr/bin/time -v), and the ratios to the baseline.
#
#   bench/ingest.sh BASELINE_FISHEROPT CANDIDATE_FISHEROPT [ROWS [COLUMNS]]
#
# The data (ROWS × COLUMNS predictors x0.. ~ N(0, 1), a logistic response
# y; numpy's default_rng(20261206); 6 decimals in the CSV, float64 .npy) are
# written once to $FISHEROPT_INGEST_DIR (default /tmp/fisheropt-ingest) by
# Debian's python3 with numpy. FISHEROPT_REPEATS (default 3) repeats each
# fisheropt run, FISHEROPT_R_REPEATS (default 3; 0 skips R) each R run.
# Timings on a shared machine are noisy: compare medians from one run of
# the script, never numbers from different runs.
set -euo pipefail
baseline="${1:?usage: bench/ingest.sh BASELINE_FISHEROPT CANDIDATE_FISHEROPT [ROWS [COLUMNS]]}"
candidate="${2:?usage: bench/ingest.sh BASELINE_FISHEROPT CANDIDATE_FISHEROPT [ROWS [COLUMNS]]}"
rows="${3:-1000000}"
columns="${4:-20}"
dir="${FISHEROPT_INGEST_DIR:-/tmp/fisheropt-ingest}"
repeats="${FISHEROPT_REPEATS:-3}"
r_repeats="${FISHEROPT_R_REPEATS:-3}"
mkdir -p "$dir"
data="$dir/logistic-${rows}x${columns}"

if [ ! -f "$data.csv" ] || [ ! -f "$data-X.npy" ] || [ ! -f "$data-y.npy" ]; then
  echo "writing $data.csv, $data-X.npy, $data-y.npy" >&2
  /usr/bin/python3 - "$rows" "$columns" "$data" <<'PY'
import sys
import numpy as np
n, p, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
rng = np.random.default_rng(20261206)
x = rng.standard_normal((n, p))
beta = np.linspace(-1.0, 1.0, p)
eta = 0.25 + x @ beta / np.sqrt(p)
y = (rng.random(n) < 1.0 / (1.0 + np.exp(-eta))).astype(np.float64)
with open(out + ".csv", "w") as f:
    f.write(",".join(["y"] + [f"x{j}" for j in range(p)]) + "\n")
    row = ",".join(["%.0f"] + ["%.6f"] * p) + "\n"
    data = np.column_stack([y, x])
    for i in range(0, n, 10000):
        block = data[i:i + 10000]
        f.write((row * len(block)) % tuple(block.ravel()))
np.save(out + "-X.npy", x)
np.save(out + "-y.npy", y)
PY
fi

csv_bytes=$(stat -L -c %s "$data.csv")
# The design's doubles: N × (1 + COLUMNS) with the intercept.
x_bytes=$((rows * (columns + 1) * 8))
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "data: $data.csv ($csv_bytes bytes), X with intercept $x_bytes bytes"

# Runs a command $3.. `$1` times under /usr/bin/time -v, each expected to
# exit with status $2; prints the medians of wall, user, system seconds and
# peak RSS (kB) as "wall user sys rss". Lines of the command's stderr that
# start with "R:" are passed on.
measure() {
  local times="$1" expect="$2"
  shift 2
  local log status
  log=$(mktemp)
  for ((i = 0; i < times; ++i)); do
    status=0
    /usr/bin/time -v "$@" > /dev/null 2> "$log.err" || status=$?
    if [ "$status" -ne "$expect" ]; then
      echo "exit status $status, expected $expect: $*" >&2
      cat "$log.err" >&2
      exit 1
    fi
    grep '^R:' "$log.err" >&2 || true
    awk '/Elapsed \(wall clock\)/ {n = split($NF, t, ":"); wall = 0;
                                    for (k = 1; k <= n; ++k) wall = wall * 60 + t[k]}
         /User time/ {user = $NF}
         /System time/ {sys = $NF}
         /Maximum resident/ {rss = $NF}
         END {print wall, user, sys, rss}' "$log.err" >> "$log"
    rm -f "$log.err"
  done
  # The median of each column.
  for column in 1 2 3 4; do
    cut -d' ' -f"$column" "$log" | sort -g | awk '{v[NR] = $1}
      END {printf "%s ", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'
  done
  echo
  rm -f "$log"
}

report() {  # label wall user sys rss [baseline_wall]
  local label="$1" wall="$2" user="$3" sys="$4" rss="$5" base="${6:-}"
  local ratio=""
  if [ -n "$base" ]; then
    ratio=$(awk -v b="$base" -v w="$wall" 'BEGIN {printf "  baseline/this %.2fx", b / w}')
  fi
  awk -v l="$label" -v w="$wall" -v u="$user" -v s="$sys" -v r="$rss" \
      -v x="$x_bytes" -v c="$csv_bytes" -v q="$ratio" 'BEGIN {
    printf "%-34s wall %7.2f s  user %7.2f s  sys %6.2f s  peak RSS %6.0f MiB (%.2f x X)  %5.0f MB/s of CSV%s\n",
           l, w, u, s, r / 1024, r * 1024 / x, c / 1e6 / w, q}'
}

fit_args=(fit --data "$data.csv" --response y --model logistic)
# An unknown --response stops right after the file is read (the column is
# looked up when X is built), which times reading alone.
read_args=(fit --data "$data.csv" --response no-such-column --model logistic)
npy_args=(fit --data "$data-X.npy" --response-data "$data-y.npy" --model logistic)

echo "median of $repeats runs; commands:"
echo "  FISHEROPT ${fit_args[*]}"
echo "  FISHEROPT ${read_args[*]}   (reading only; exits 1)"
echo "  CANDIDATE ${npy_args[*]}"

read -r bw bu bs br <<< "$(measure "$repeats" 0 "$baseline" "${fit_args[@]}")"
report "fit CSV, baseline" "$bw" "$bu" "$bs" "$br"
read -r cw cu cs cr <<< "$(measure "$repeats" 0 "$candidate" "${fit_args[@]}")"
report "fit CSV, candidate" "$cw" "$cu" "$cs" "$cr" "$bw"
read -r w u s r <<< "$(measure "$repeats" 1 "$baseline" "${read_args[@]}")"
report "read CSV only, baseline" "$w" "$u" "$s" "$r"
read_base="$w"
read -r w u s r <<< "$(measure "$repeats" 1 "$candidate" "${read_args[@]}")"
report "read CSV only, candidate" "$w" "$u" "$s" "$r" "$read_base"
read -r w u s r <<< "$(measure "$repeats" 0 "$candidate" "${npy_args[@]}")"
report "fit .npy, candidate" "$w" "$u" "$s" "$r" "$bw"
for threads in 1 2; do
  read -r w u s r <<< "$(measure "$repeats" 0 env OMP_NUM_THREADS=$threads "$candidate" "${fit_args[@]}")"
  report "fit CSV, candidate, $threads thread(s)" "$w" "$u" "$s" "$r" "$bw"
done

if [ "$r_repeats" -gt 0 ]; then
  script=$(mktemp --suffix=.R)
  cat > "$script" <<'R'
t0 <- proc.time()[["elapsed"]]
d <- read.csv(commandArgs(TRUE)[1])
t1 <- proc.time()[["elapsed"]]
f <- glm(y ~ ., family = binomial, data = d)
t2 <- proc.time()[["elapsed"]]
message(sprintf("R: read.csv %.2f s, glm %.2f s", t1 - t0, t2 - t1))
R
  echo "  Rscript -e 'd <- read.csv(FILE); glm(y ~ ., family = binomial, data = d)'"
  read -r w u s r <<< "$(measure "$r_repeats" 0 Rscript "$script" "$data.csv")"
  report "R read.csv + glm" "$w" "$u" "$s" "$r" "$bw"
  rm -f "$script"
fi
