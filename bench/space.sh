#!/bin/sh
# space.sh — design-space benchmark: ns per constraint evaluation (muparser
# byte code against the same constraints compiled as C), ns per decode of a
# uniform z (including repairs), samples per second for random, Sobol and
# LHS designs of 100,000 points, and the estimated feasible fraction, on the
# acceptance campaign of tests/space_fixtures.h. Run by `make bench` from the
# build folder; asserts nothing.
set -eu
builddir=${top_builddir:-.}
echo "== design space (bench/bench_space) =="
"$builddir/bench/bench_space" 2>/dev/null
