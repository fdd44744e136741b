#!/bin/sh
# bo.sh — the bo strategy benchmark of `make bench`: regret after 50 and 100
# evaluations (10 initial Sobol points, EI, GP Matérn 5/2, batch 1) and the
# seconds of a whole run, medians over 5 seeds, on Branin, Hartmann6, shifted
# Ackley-5D and Rosenbrock-4D; then the peers' figures from the project's
# anchors (bench/anchors.md: measured on a machine of this kind, not
# rerun here — scikit-optimize is not installed); then batch 4 on Branin
# and Hartmann6 (regret and proposals close to another of their batch), and
# Branin with evaluations failing in a region (bo's and random search's
# failure rates after the initial design). Runs from the build folder
# (top_builddir set by make); asserts nothing.
set -eu
build=${top_builddir:-.}
seeds=${BO_BENCH_SEEDS:-5}

echo "== bo strategy, 100 evaluations (10 initial Sobol points, EI, GP Matern 5/2) =="
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
"$build/bench/bench_bo" --seeds "$seeds" --evals 100
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
# two functions outside issue 9's list, against changes tuned to the four
# (Levy-3D / Levy-6D @100, 10 seeds, 2026-12-06: 0.0175 / 0.83)
echo "== the same, Levy-3D and Levy-6D (not among the tuned-for four) =="
"$build/bench/bench_bo" --seeds "$seeds" --evals 100 --only levy3 | tail -n 1
"$build/bench/bench_bo" --seeds "$seeds" --evals 100 --only levy6 | tail -n 1
cat <<'REF'
Reference (bench/anchors.md, medians, 100 evaluations, 10 initial points):
  scikit-optimize gp_minimize   Branin 7.1e-4 / 6.1e-5   Hartmann6 0.13 / 4.9e-4
                                90 s / 79 s per run
                                Ackley-5D shifted 1.50 / 1.50  Rosenbrock-4D 10.6 / 3.5
                                37 s / 46 s per run
  limbo defaults (fixed l = 1)  Hartmann6 0.036 / 1.5e-4, 0.15 s per run
  limbo, SE-ARD refitted, EI    Branin 1.3e-3 / 1.3e-3   Hartmann6 1.9 / 1.6, 9.8 s / 12 s
  random search                 Branin 0.31 / 0.31   Hartmann6 1.57 / 1.57
                                Ackley-5D 6.9 / 5.8   Rosenbrock-4D 43 / 34
REF

# which Hartmann6 basin each run ends in, against the
# basin of its best initial point (bench/basins.py, numpy)
if /usr/bin/python3 -c 'import numpy' 2>/dev/null; then
  echo "== bo on Hartmann6: the basin of the best initial point and of the result =="
  "$build/bench/bench_bo" --seeds "$seeds" --evals 100 --only hartmann6 --verbose 2 |
    /usr/bin/python3 "${top_srcdir:-.}/bench/basins.py"
fi

echo "== bo batches: batch 1 vs batch 4 (Branin, Hartmann6), and a failing region =="
"$build/bench/bench_bo" --seeds "$seeds" --evals 100 --batch 4 --only branin
"$build/bench/bench_bo" --seeds "$seeds" --evals 100 --batch 4 --only hartmann6
# evaluations fail where scaled x1 is in [0.6, 0.9] (30% of the box, next to
# two of Branin's minima); random search's failure rate for comparison
"$build/bench/bench_bo" --seeds "$seeds" --evals 100 --only branin --fail-box 0.6,0.9,0,1
"$build/bench/bench_bo" --seeds "$seeds" --evals 100 --only branin --fail-box 0.6,0.9,0,1 \
  --strategy random
