#!/bin/sh
# search.sh — the search table of `make bench` (issue 9): regret (best value
# found minus the known minimum) at half and all of the budget, median
# [worst seed] over BENCH_SEEDS seeds (default 10), 10 initial points, for
# every strategy of bench/bench_search (bo gp, bo rf, pso, ga, the
# surrogate-assisted pso / ga where this build accepts them, random) beside
# Optuna's TPE (Debian's python3-optuna under /usr/bin/python3, 10 start-up
# trials) and scikit-optimize where installed, run here on the same
# functions (bench/optuna_search.py, checked against invdes's definitions
# first). Branin, Hartmann6, shifted Ackley-5D, Rosenbrock-4D at 100
# evaluations (r50 / r100); shifted Ackley-20D at 200 (r100 / r200). A
# strategy or peer that is refused or missing is left out with a note.
# BENCH_ONLY=KEY,... limits the problems (branin, hartmann6, ackley,
# rosenbrock, ackley20). Runs from the build folder; asserts nothing.
set -eu
build=${top_builddir:-.}
src=${top_srcdir:-.}
seeds=${BENCH_SEEDS:-10}
only=${BENCH_ONLY:-branin,hartmann6,ackley,rosenbrock,ackley20}
py=/usr/bin/python3
out=$(mktemp "${TMPDIR:-/tmp}/invdes-search.XXXXXX")
trap 'rm -f "$out" "$out.values"' EXIT INT TERM

echo "== search quality: regret @half / @all of the budget, median [worst] of $seeds seeds, 10 initial points =="
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
OMP_NUM_THREADS=${OMP_NUM_THREADS:-1} "$build/bench/bench_search" --seeds "$seeds" --only "$only" >> "$out"
if [ -x "$py" ] && "$py" -c 'import optuna' 2>/dev/null; then
  "$build/bench/bench_search" --values 1 --only "$only" > "$out.values"
  if "$py" "$src/bench/optuna_search.py" --check "$out.values" --seeds "$seeds" \
       --only "$only" >> "$out"; then :; else
    echo "(the peers were not run: their definitions disagree with invdes's, see above)"
  fi
else
  echo "(Optuna not found under $py: the peer columns are left out)"
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
awk -v order="$only" '
  function header(first, second) {
    printf "| %s |%s", first, second
    for (c = 1; c <= nc; c++) printf " %s |", cols[c]
    printf "\n| --- |%s", second == "" ? "" : " --- |"
    for (c = 1; c <= nc; c++) printf " --- |"
    printf "\n"
  }
  $1 != "search" { next }
  $4 == "refused" {
    if (!(($3) in note)) { r = ""; for (i = 5; i <= NF; i++) r = r " " $i; note[$3] = r }
    next
  }
  {
    if (!(($3) in seen)) { seen[$3] = 1; cols[++nc] = $3 }
    cell[$2, $3] = sprintf("%s / %s [%s / %s]", $6, $7, $8, $9)
    secs[$2, $3] = $10
    evals[$2] = $4
  }
  END {
    n = split(order, keys, ",")
    label["branin"] = "Branin"; label["hartmann6"] = "Hartmann6"
    label["ackley"] = "Ackley-5D shifted"; label["rosenbrock"] = "Rosenbrock-4D"
    label["ackley20"] = "Ackley-20D shifted"
    header("function", " regret |")
    for (k = 1; k <= n; k++) {
      key = keys[k]
      if (!(key in evals)) continue
      printf "| %s | r%d / r%d |", (key in label ? label[key] : key), evals[key] / 2, evals[key]
      for (c = 1; c <= nc; c++) printf " %s |", ((key, cols[c]) in cell ? cell[key, cols[c]] : "-")
      printf "\n"
    }
    printf "\nmedian seconds per run:\n"
    header("function", "")
    for (k = 1; k <= n; k++) {
      key = keys[k]
      if (!(key in evals)) continue
      printf "| %s |", key
      for (c = 1; c <= nc; c++) printf " %s |", ((key, cols[c]) in secs ? secs[key, cols[c]] : "-")
      printf "\n"
    }
    for (s in note) printf "left out: %s:%s\n", s, note[s]
  }' "$out"
