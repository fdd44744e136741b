#!/bin/sh
# store.sh — SQLite store throughput: ask+tell cycles per second at the store
# level (no strategy, no evaluator), 20,000 cycles per mode, median of 3 runs.
# The goal it serves: `invdes run` at >= 5,000 evaluations/s. Run by
# `make bench` from the build folder; asserts nothing.
set -eu
builddir=${top_builddir:-.}
bin="$builddir/bench/bench_store"
cycles=${STORE_BENCH_CYCLES:-20000}
echo "store: $cycles cycles per mode, median of 3 (TMPDIR=${TMPDIR:-/tmp})"
for mode in run station batch grouped; do
  rates=""
  for rep in 1 2 3; do
    line=$("$bin" "$mode" "$cycles")
    rates="$rates $(echo "$line" | tr ' ' '\n' | sed -n 's/^cycles_per_s=//p')"
    last=$line
  done
  median=$(echo $rates | tr ' ' '\n' | sort -n | sed -n 2p)
  echo "  $mode: median $median cycles/s ($last)"
done
