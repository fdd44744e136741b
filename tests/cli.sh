#!/bin/sh
# cli.sh — `invdes validate` and `invdes sample` as a user runs them: every
# verb answers --help and --version; a valid campaign prints its space and
# exits 0; an invalid one prints FILE:LINE:COL diagnostics and exits 2; sample
# prints exactly N feasible rows in CSV or JSON, reproducibly, and refuses bad
# options. Needs $INVDES and $top_srcdir (set by make check).
. "$(dirname "$0")/lib.sh"
: "${top_srcdir:?top_srcdir must name the source tree}"
ncm="$top_srcdir/campaigns/ncm-cathode.yaml"

# 1. --help and --version everywhere.
expect_exit 0 "invdes --help" "$INVDES" --help
grep -q "validate" "$tmp/out" && ok || bad "top-level help lists validate"
expect_exit 0 "invdes --version" "$INVDES" --version
grep -qE '^invdes [0-9]+\.[0-9]+' "$tmp/out" && ok || bad "version line: $(cat "$tmp/out")"
for verb in validate sample predict; do
  expect_exit 0 "$verb --help" "$INVDES" "$verb" --help
  grep -q "usage: invdes $verb" "$tmp/out" && ok || bad "$verb --help prints its usage"
  expect_exit 0 "$verb --version" "$INVDES" "$verb" --version
done
# Each verb's --help states the exit codes once, the shared map (README):
# a second, older "Exit status:" line contradicted it (amend: "1 other
# failures", run: no 3/4).
for verb in validate sample predict init run ask tell heartbeat status export best amend \
  retract import; do
  n=$("$INVDES" "$verb" --help | grep -c "^Exit status")
  [ "$n" -eq 1 ] && ok || bad "$verb --help has $n 'Exit status' paragraphs"
done
expect_exit 2 "no command" "$INVDES"
expect_exit 2 "unknown command" "$INVDES" frobnicate
grep -q "unknown command 'frobnicate'" "$tmp/err" && ok || bad "unknown command named"

# 2. validate: every example campaign is valid and described (from a copy
# holding the generated high-throughput pool).
examples_copy "$tmp/examples" || bad "copy the example campaigns"
for f in "$tmp"/examples/*.yaml; do
  expect_exit 0 "validate $(basename "$f")" "$INVDES" validate "$f"
  grep -q "^encoded dim" "$tmp/out" && ok || bad "$(basename "$f"): no encoded dimension"
done
"$INVDES" validate "$ncm" >"$tmp/out"
grep -qE '^ni +\[0\.33, 0\.95\]' "$tmp/out" || grep -qE '^  ni +\[0\.33, 0\.95\]' "$tmp/out" \
  && ok || bad "ncm: component ni and its bounds listed"
grep -qE '^dopant +categorical +\{none, Al, Mg, Ti, Zr\}' "$tmp/out" && ok || bad "ncm: categorical row"
grep -qE '^capacity +window \[195, 205\] +mAh/g' "$tmp/out" && ok || bad "ncm: target row"
grep -qE '^feasible +0\.[0-9]+' "$tmp/out" && ok || bad "ncm: feasible fraction"
expect_exit 0 "validate --quiet" "$INVDES" validate --quiet "$ncm"
[ ! -s "$tmp/out" ] && ok || bad "validate --quiet printed something"

# 3. validate: invalid campaigns exit 2 with FILE:LINE:COL.
bad_dir="$top_srcdir/tests/campaigns/bad"
expect_exit 2 "validate unknown key" "$INVDES" validate "$bad_dir/unknown_key_bound.yaml"
grep -qE "unknown_key_bound.yaml:[0-9]+:[0-9]+: unknown key 'bound'.*did you mean 'bounds'" "$tmp/err" \
  && ok || bad "unknown key message: $(cat "$tmp/err")"
expect_exit 2 "validate missing file" "$INVDES" validate "$tmp/nope.yaml"
grep -q "nope.yaml" "$tmp/err" && ok || bad "missing file named"
expect_exit 2 "validate two files" "$INVDES" validate "$ncm" "$ncm"
printf 'name: t\nparameters:\n  - {name: a, type: continuous, bounds: [0, 1]}\nconstraints: ["a >= 2"]\ntargets: [{name: y, goal: maximize}]\nobjective: {kind: station}\nbudget: {evaluations: 5}\n' >"$tmp/infeasible.yaml"
expect_exit 2 "validate infeasible" "$INVDES" validate "$tmp/infeasible.yaml"
grep -qi "no feasible point" "$tmp/err" && ok || bad "infeasible said: $(cat "$tmp/err")"

# 4. sample: N rows, feasible, reproducible, every design and format.
for design in sobol lhs random; do
  expect_exit 0 "sample $design" "$INVDES" sample "$ncm" -n 40 --design "$design"
  [ "$(wc -l <"$tmp/out")" -eq 41 ] && ok || bad "sample $design: $(wc -l <"$tmp/out") lines"
  # ni + mn + co = 1, bounds and both constraints hold on every row.
  awk -F, 'NR == 1 { next }
    { T = $1; ni = $5; mn = $6; co = $7
      if (ni + mn + co - 1 > 1e-9 || 1 - ni - mn - co > 1e-9) bad++
      if (T < 700 || T > 950 || ni < 0.33 - 1e-12 || ni > 0.95 + 1e-12) bad++
      if (T + 200 * ni > 1100 + 1e-9 || mn + co < 0.05 - 1e-9) bad++ }
    END { exit bad > 0 }' "$tmp/out" && ok || bad "sample $design: infeasible rows"
  cp "$tmp/out" "$tmp/first"
  "$INVDES" sample "$ncm" -n 40 --design "$design" >"$tmp/out"
  cmp -s "$tmp/out" "$tmp/first" && ok || bad "sample $design not reproducible"
  "$INVDES" sample "$ncm" -n 40 --design "$design" --seed 99 >"$tmp/out"
  cmp -s "$tmp/out" "$tmp/first" && bad "sample $design: --seed changed nothing" || ok
done
head -1 "$tmp/first" | grep -qx 'sinter_T,sinter_hours,li_excess,dopant,ni,mn,co' && ok \
  || bad "sample header: $(head -1 "$tmp/first")"
expect_exit 0 "sample json" "$INVDES" sample "$ncm" -n 3 --format json
if command -v python3 >/dev/null 2>&1; then
  python3 -c 'import json, sys
pts = json.load(open(sys.argv[1]))
assert len(pts) == 3
for p in pts:
    assert p["dopant"] in ["none", "Al", "Mg", "Ti", "Zr"]
    assert abs(p["ni"] + p["mn"] + p["co"] - 1) < 1e-9' "$tmp/out" && ok || bad "sample json content"
fi
pool="$top_srcdir/campaigns/redox-window.yaml"
expect_exit 0 "sample pool" "$INVDES" sample "$pool" -n 100 --design random
[ "$(tail -n +2 "$tmp/out" | cut -d, -f1 | sort -u | wc -l)" -eq 100 ] && ok || bad "pool rows not distinct"
expect_exit 2 "sample -n 0" "$INVDES" sample "$ncm" -n 0
expect_exit 2 "sample without -n" "$INVDES" sample "$ncm"
expect_exit 2 "sample bad design" "$INVDES" sample "$ncm" -n 3 --design grid
grep -q "unknown --design 'grid' (sobol, lhs or random)" "$tmp/err" && ok || bad "bad design named"
expect_exit 2 "sample bad format" "$INVDES" sample "$ncm" -n 3 --format xml
expect_exit 2 "sample more than the pool" "$INVDES" sample "$pool" -n 5000
expect_exit 2 "sample invalid campaign" "$INVDES" sample "$bad_dir/reversed_bounds.yaml" -n 3

finish cli.sh
