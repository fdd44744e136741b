#!/bin/sh
# scale.sh — bo at scale, in `make bench` (issue 9 item 7): the time of one
# proposal late in a long Hartmann6 campaign (bench/bench_bo_scale at
# SCALE_N, default n = 1,000 and 5,000 told evaluations; goals <= 1 s and
# <= 5 s on a 2-core machine), and bo over a generated pool of SCALE_ROWS
# candidates (default 1,000,000; written to a scratch folder, removed after):
# loading it, then one iteration with 10 and with 100 told results (goal
# <= 2 s), peak memory from /usr/bin/time -v (goal <= 1 GB). Wall times on
# a shared machine count other people's work too: the CPU seconds are
# printed beside them. OMP_NUM_THREADS is left as the caller set it.
# Runs from the build folder; asserts nothing.
set -eu
build=${top_builddir:-.}
ns=${SCALE_N:-1000,5000}
rows=${SCALE_ROWS:-1000000}
dir=$(mktemp -d "${TMPDIR:-/tmp}/invdes-bench-scale.XXXXXX")
trap 'rm -rf "$dir"' EXIT INT TERM

echo "== bo at scale: seconds per proposal on Hartmann6 after n told evaluations (OMP_NUM_THREADS=${OMP_NUM_THREADS:-unset}) =="
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
"$build/bench/bench_bo_scale" --n "$ns"
echo "== bo over a pool of $rows generated candidates (6 features) =="
for told in 10 100; do
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -v "$build/bench/bench_pool" "$dir" --rows "$rows" --told "$told" --iters 2 \
      2> "$dir/time.txt"
    grep -E "Maximum resident|Elapsed" "$dir/time.txt" | sed 's/^[[:space:]]*/  \/usr\/bin\/time: /'
  else
    "$build/bench/bench_pool" "$dir" --rows "$rows" --told "$told" --iters 2
  fi
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
