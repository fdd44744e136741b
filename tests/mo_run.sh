#!/bin/sh
# mo_run.sh — the multi-objective strategies through `invdes run` (issue 10):
# for bo (EHVI) and ga (NSGA-II) on a two-objective builtin campaign with
# batches of 2, a run with OMP_NUM_THREADS=2 and a run with one thread that
# stops at half the budget and is resumed with the full budget (the saved
# state and the told history rebuilt from the database) record the same
# proposals and results (every exported column but the timestamps). Needs
# $INVDES; a few seconds.
. "$(dirname "$0")/lib.sh"

snapshot() { "$INVDES" export --db "$1" | awk -F, 'BEGIN { OFS = "," } { NF -= 2; print }'; }

campaign() { # KIND BUDGET EXTRA
  cat <<EOF2
name: mo-run
seed: 4
parameters:
  - {name: x1, type: continuous, bounds: [0, 1]}
  - {name: x2, type: continuous, bounds: [0, 1]}
  - {name: x3, type: continuous, bounds: [0, 1]}
targets:
  - {name: f1, goal: minimize, reference: 1.1}
  - {name: f2, goal: minimize}
objective: {kind: builtin, name: zdt1}
strategy: {kind: $1, batch: 2$3}
budget: {evaluations: $2}
EOF2
}

for kind in bo ga; do
  extra=""
  [ "$kind" = ga ] && extra=", initial: {design: sobol, count: 6}, ga: {population: 6}"
  campaign "$kind" 24 "$extra" >"$tmp/full.yaml"
  campaign "$kind" 12 "$extra" >"$tmp/half.yaml"
  expect_exit 0 "$kind: uninterrupted run, 2 threads" \
    env OMP_NUM_THREADS=2 "$INVDES" run "$tmp/full.yaml" --db "$tmp/$kind-a.db" --quiet
  expect_exit 0 "$kind: first half, 1 thread" \
    env OMP_NUM_THREADS=1 "$INVDES" run "$tmp/half.yaml" --db "$tmp/$kind-b.db" --quiet
  expect_exit 0 "$kind: resumed with the full budget" \
    env OMP_NUM_THREADS=1 "$INVDES" run "$tmp/full.yaml" --db "$tmp/$kind-b.db" --quiet
  snapshot "$tmp/$kind-a.db" >"$tmp/a.csv"
  snapshot "$tmp/$kind-b.db" >"$tmp/b.csv"
  [ "$(wc -l <"$tmp/a.csv")" -eq 25 ] && ok || bad "$kind: $(wc -l <"$tmp/a.csv") rows, wanted 24 and a header"
  cmp -s "$tmp/a.csv" "$tmp/b.csv" && ok ||
    bad "$kind: the resumed one-thread run differs: $(diff "$tmp/a.csv" "$tmp/b.csv" | head -4)"
done

finish mo_run.sh
