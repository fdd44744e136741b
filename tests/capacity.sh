#!/bin/sh
# capacity.sh — `invdes capacity` as a chemist uses it: the textbook
# capacities, variables and a voltage; hostile formulas and options exit 2
# with the column at fault (and a caret under it), never a crash; and a
# campaign whose objective is the capacity kind validates and runs. Needs
# $INVDES (set by make check).
. "$(dirname "$0")/lib.sh"

# 1. Textbook values (one electron), as printed.
cap() { "$INVDES" capacity "$@" | sed -n 's/^capacity *\([0-9.]*\) mAh\/g$/\1/p'; }
[ "$(cap LiCoO2)" = 273.84 ] && ok || bad "LiCoO2: $(cap LiCoO2)"
[ "$(cap LiFePO4)" = 169.89 ] && ok || bad "LiFePO4: $(cap LiFePO4)"
[ "$(cap LiMn2O4)" = 148.23 ] && ok || bad "LiMn2O4: $(cap LiMn2O4)"
[ "$(cap LiNi0.8Mn0.1Co0.1O2)" = 275.51 ] && ok || bad "NMC811: $(cap LiNi0.8Mn0.1Co0.1O2)"
[ "$(cap FeS2 --electrons 4)" = 893.64 ] && ok || bad "FeS2, 4 e: $(cap FeS2 --electrons 4)"
expect_exit 0 "variables and voltage" "$INVDES" capacity 'Li(Ni{ni}Mn{mn}Co{co})O2' \
  --var ni=0.8 --var mn=0.1 --var co=0.1 --voltage 3.8
grep -q '^capacity    275.51 mAh/g$' "$tmp/out" && ok || bad "variables: $(cat "$tmp/out")"
grep -q '^energy      1046.9 Wh/kg at 3.8 V$' "$tmp/out" && ok || bad "energy: $(cat "$tmp/out")"

# 2. Hostile input: exit 2, the column named, a caret under it.
expect_exit 2 "two dots" "$INVDES" capacity 'Li0..5'
grep -q "column 5: expected a digit after the decimal point" "$tmp/err" && ok ||
  bad "two dots: $(cat "$tmp/err")"
[ "$(sed -n 3p "$tmp/err")" = "      ^" ] && ok || bad "caret: $(cat "$tmp/err")"
for f in '' 'Li(FePO4' 'LiFe)PO4' 'li' 'Xx2' 'Li99999999' 'Li Fe' "$(printf 'Li\303\251')" \
  "$(printf 'Li\377')" '{x}' '((((((((((((((((((Li))))))))))))))))))'; do
  expect_exit 2 "formula '$f'" "$INVDES" capacity "$f"
  LC_ALL=C grep -q "^invdes capacity: formula '.*': column [0-9]*: " "$tmp/err" && ok ||
    bad "'$f': $(cat "$tmp/err")"
done
expect_exit 2 "a variable without a value" "$INVDES" capacity 'Li{x}FePO4'
grep -q "variable {x} (column 4) has no value" "$tmp/err" && ok || bad "no value: $(cat "$tmp/err")"
expect_exit 2 "a variable not in the formula" "$INVDES" capacity LiFePO4 --var x=1
expect_exit 2 "zero electrons" "$INVDES" capacity LiFePO4 --electrons 0
expect_exit 2 "hex voltage" "$INVDES" capacity LiFePO4 --voltage 0x10
expect_exit 2 "no formula" "$INVDES" capacity

# 3. A campaign whose objective is the capacity kind runs.
cat >"$tmp/c.yaml" <<'YAML'
name: nmc-capacity
compositions:
  - {name: tm, components: {ni: [0.3, 0.9], mn: [0.05, 0.4], co: [0.05, 0.4]}}
targets:
  - {name: capacity, goal: window, window: [270, 272], unit: mAh/g}
objective: {kind: capacity, formula: 'Li(Ni{ni}Mn{mn}Co{co})O2'}
strategy: {kind: random}
budget: {evaluations: 20}
YAML
expect_exit 0 "validate" "$INVDES" validate "$tmp/c.yaml"
grep -q "capacity Li(Ni{ni}Mn{mn}Co{co})O2, 1 electron" "$tmp/out" && ok ||
  bad "validate: $(cat "$tmp/out")"
expect_exit 0 "run" "$INVDES" run "$tmp/c.yaml" --db "$tmp/c.db" --quiet
expect_exit 0 "export" "$INVDES" export --db "$tmp/c.db" --format csv
[ "$(grep -c '^[0-9]*,[0-9]*,done,' "$tmp/out")" -eq 20 ] && ok || bad "export: $(head -3 "$tmp/out")"

# 4. A computed capacity beside a measured retention (kind combined): every
#    result carries both; a re-run of the same file is accepted as it is.
cat >"$tmp/m.yaml" <<YAML
name: nmc-measured
compositions:
  - {name: tm, components: {ni: [0.3, 0.95], mn: [0.02, 0.4], co: [0.02, 0.4]}}
targets:
  - {name: capacity, goal: window, window: [270, 280], unit: mAh/g}
  - {name: retention, goal: maximize, unit: "%"}
objective:
  kind: combined
  parts:
    - {kind: capacity, formula: "Li(Ni{ni}Mn{mn}Co{co})O2", targets: [capacity]}
    - {kind: command, command: $top_srcdir/tests/evaluators/retention.py, targets: [retention]}
strategy: {kind: random}
budget: {evaluations: 6}
YAML
expect_exit 0 "validate combined" "$INVDES" validate "$tmp/m.yaml"
grep -q "combined capacity .* -> capacity; command .* -> retention" "$tmp/out" && ok ||
  bad "validate combined: $(grep objective "$tmp/out")"
expect_exit 0 "run combined" "$INVDES" run "$tmp/m.yaml" --db "$tmp/m.db" --quiet
expect_exit 0 "export combined" "$INVDES" export --db "$tmp/m.db" --format csv
awk -F, 'NR > 1 && $3 == "done" && $7 != "" && $8 != "" { n++ } END { exit n == 0 }' \
  "$tmp/out" && ok || bad "export combined: $(head -3 "$tmp/out")"
expect_exit 0 "run combined again" "$INVDES" run "$tmp/m.yaml" --db "$tmp/m.db" --quiet

finish capacity.sh
