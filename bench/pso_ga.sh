#!/bin/sh
# pso_ga.sh — the pso / ga benchmark of `make bench`: runs bench/bench_pso_ga
# (regret on shifted Ackley-5D and Rosenbrock-4D at 100 and 500 evaluations,
# median of 5 seeds, sequential asks, 10 initial Sobol points; asks per
# second including tells) and prints the reference figures of
# bench/anchors.md beside them as text (no peer is run here).
# Runs from the build folder; top_builddir comes from make.
set -e
build=${top_builddir:-.}

echo "== pso and ga: regret (best found - optimum), median of 5 seeds =="
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
"$build/bench/bench_pso_ga" | awk '
  { printf "%-16s %-7s %-8s regret@100 %-8s regret@500 %-8s asks/s %s\n",
           $2, $3, $4, $6, $8, $10 }'
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
cat <<'REF'
== reference figures (bench/anchors.md, 100 evaluations with 10 initial points, medians) ==
  Ackley-5D shifted regret @50 / @100:  Optuna 3.1 TPE 3.9 / 2.8; random search 6.9 / 5.8;
                                        scikit-optimize gp_minimize 1.50 / 1.50
  Rosenbrock-4D regret @50 / @100:      Optuna 3.1 TPE 5.8 / 4.9; random search 43 / 34;
                                        scikit-optimize gp_minimize 10.6 / 3.5
  Optuna 3.1 CMA-ES has figures only for Branin (regret 1.0 / 0.038 @50 / @100) and
  Hartmann6 (0.72 / 0.33) in bench/anchors.md, not for these two functions.
REF
