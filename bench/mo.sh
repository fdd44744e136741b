#!/bin/sh
# mo.sh — the multi-objective benchmark of `make bench`: hypervolume after
# 100 evaluations (both objectives minimized, to the problem's reference
# point), median over 10 seeds, on BraninCurrin (ref 18, 6; best 59.36),
# DTLZ2 d=6 (ref 1.1, 1.1; best 0.4246) and ZDT1 d=6 (ref 1.1, 1.1; best
# 0.8767): invdes bo (EHVI), ga (NSGA-II, population 20) and random beside
# Optuna's NSGA-II (population 20), multi-objective TPE (10 start-up trials)
# and random search, run here by Debian's python3-optuna; then NSGA-II at 500
# evaluations, invdes against Optuna. Runs from the build folder (top_builddir
# and top_srcdir set by make); a missing Optuna is said, not fatal. Asserts
# nothing.
set -eu
build=${top_builddir:-.}
src=${top_srcdir:-.}
seeds=${MO_BENCH_SEEDS:-10}
py=/usr/bin/python3

echo "== several objectives: hypervolume after 100 evaluations, median of $seeds seeds =="
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
OMP_NUM_THREADS=1 "$build/bench/bench_mo" --seeds "$seeds" --evals 100
if "$py" -c 'import optuna' 2>/dev/null; then
  OMP_NUM_THREADS=1 "$py" "$src/bench/optuna_mo.py" --seeds "$seeds" --evals 100
else
  echo "(python3-optuna is not installed for $py: no Optuna figures)"
fi
echo "== NSGA-II at 500 evaluations, median of $seeds seeds =="
OMP_NUM_THREADS=1 "$build/bench/bench_mo" --seeds "$seeds" --evals 500 --strategies ga
if "$py" -c 'import optuna' 2>/dev/null; then
  OMP_NUM_THREADS=1 "$py" "$src/bench/optuna_mo.py" --seeds "$seeds" --evals 500 --samplers nsga2
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
