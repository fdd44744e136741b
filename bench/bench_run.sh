#!/bin/sh
# bench_run.sh — throughput of `invdes run`: 20,000 evaluations of a built-in
# function (Branin, 2 continuous parameters) with the random strategy, batch 1
# and batch 10, each on a fresh database, median of 3 runs of the whole
# command (start-up, campaign check and database creation included). Goal:
# >= 5,000 evaluations/s on a 2-core machine. Run by `make bench` from the
# build folder; asserts nothing.
set -eu
builddir=${top_builddir:-.}
bin="$builddir/invdes"
n=${RUN_BENCH_EVALUATIONS:-20000}
dir=$(mktemp -d "${TMPDIR:-/tmp}/invdes-bench-run.XXXXXX")
trap 'rm -rf "$dir"' EXIT INT TERM
now() { date +%s.%N; }
echo "run: $n evaluations of branin, random strategy, median of 3 (TMPDIR=${TMPDIR:-/tmp})"
for batch in 1 10; do
  cat > "$dir/bench.yaml" <<YAML
name: bench-run
seed: 5
parameters:
  - {name: x1, type: continuous, bounds: [-5, 10]}
  - {name: x2, type: continuous, bounds: [0, 15]}
targets:
  - {name: f, goal: minimize}
objective: {kind: builtin, name: branin}
strategy: {kind: random, batch: $batch}
budget: {evaluations: $n}
YAML
  rates=""
  for rep in 1 2 3; do
    rm -f "$dir/bench.db" "$dir/bench.db-wal" "$dir/bench.db-shm"
    t0=$(now)
    "$bin" run --quiet "$dir/bench.yaml"
    t1=$(now)
    rate=$(echo "$t0 $t1 $n" | awk '{ printf "%.0f", $3 / ($2 - $1) }')
    rates="$rates $rate"
  done
  median=$(echo $rates | tr ' ' '\n' | sort -n | sed -n 2p)
  echo "  batch $batch: median $median evaluations/s (runs:$rates)"
done
