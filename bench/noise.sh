#!/bin/sh
# noise.sh — bo under measurement noise, for `make bench`: Hartmann6 with
# Gaussian noise sd 0.05 on every evaluation, 100 evaluations, 10 initial
# Sobol points; the noise-free regret of the recommended point with the sd
# reported (posterior-mean recommendation, per-point noise in the GP)
# against the same runs without it (the best measured value's point),
# medians over 10 seeds. Runs from the build folder; asserts nothing.
set -eu
build=${top_builddir:-.}
seeds=${NOISE_BENCH_SEEDS:-10}
echo "== bo under noise: Hartmann6, noise sd 0.05, 100 evaluations =="
"$build/bench/bench_noise" --seeds "$seeds" --evals 100 --noise 0.05 --only hartmann6
