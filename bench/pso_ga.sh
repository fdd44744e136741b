#!/bin/sh
# pso_ga.sh — the pso / ga benchmark of `make bench`: runs bench/bench_pso_ga
# (regret on Branin, Hartmann6, shifted Ackley-5D and Rosenbrock-4D at 50 and
# 100 evaluations, median of 10 seeds, sequential asks, 10 initial Sobol
# points; asks per second including tells) for random search, plain pso and
# ga, and pso and ga on an rf and a knn surrogate, and prints the reference
# figures of bench/anchors.md beside them as text (no peer is run here).
# Runs from the build folder; top_builddir comes from make.
set -e
build=${top_builddir:-.}

echo "== pso and ga: regret (best found - optimum), median of 10 seeds =="
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
{
  "$build/bench/bench_pso_ga"
  "$build/bench/bench_pso_ga" --kinds pso,ga --surrogate rf
  "$build/bench/bench_pso_ga" --kinds pso,ga --surrogate knn
} | awk '
  { printf "%-16s %-7s %-6s regret@50 %-9s regret@100 %-9s asks/s %s\n",
           $2, $3, $4, $6, $8, $10 }' | sort -s -k1,1
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
cat <<'REF'
== reference figures (bench/anchors.md, 100 evaluations with 10 initial points, medians) ==
  Ackley-5D shifted regret @50 / @100:  Optuna 3.1 TPE 3.9 / 2.8; random search 6.9 / 5.8;
                                        scikit-optimize gp_minimize 1.50 / 1.50
  Rosenbrock-4D regret @50 / @100:      Optuna 3.1 TPE 5.8 / 4.9; random search 43 / 34;
                                        scikit-optimize gp_minimize 10.6 / 3.5
  Optuna 3.1 CMA-ES: Branin 1.0 / 0.038 @50 / @100, Hartmann6 0.72 / 0.33.
REF
