#!/bin/sh
# rank.sh — one ranking for best, status, the run's progress line and
# stop_when (issue 8, Found 1): results that meet every condition first, the
# best objective among them; when none meets them, the least normalized
# violation. A station campaign (capacity maximize, voltage window
# [3.6, 3.9]) told by hand through init/ask/tell, then a pool campaign run
# by the dataset objective with stop_when: satisfied and with a level.
# Needs $INVDES, $top_srcdir (set by make check) and jq.
. "$(dirname "$0")/lib.sh"
: "${top_srcdir:?top_srcdir must name the source tree}"
command -v jq >/dev/null 2>&1 || { echo "FAIL: rank.sh needs jq (scripts/install-deps installs it)"; exit 1; }
db="$tmp/station.db"
"$INVDES" init "$top_srcdir/tests/campaigns/good/station.yaml" --db "$db" >/dev/null && ok ||
  bad "init"
"$INVDES" ask --db "$db" -n 4 --station s1 --format json | jq -r '.[].id' >"$tmp/ids"
set -- $(cat "$tmp/ids")
p1=$1 p2=$2 p3=$3 p4=$4

# 1. Nothing meets the window yet: the least violation, said so.
expect_exit 0 "tell outside" "$INVDES" tell --db "$db" --station s1 "$p1" capacity=217.77 voltage=3.567
expect_exit 0 "tell further outside" "$INVDES" tell --db "$db" --station s1 "$p3" capacity=230 voltage=4.2
expect_exit 0 "best json, least violation" "$INVDES" best --db "$db" --format json
jq -e ".proposal == $p1 and .ranking == \"least_violation\" and .n_meeting == 0
       and .n_ranked == 2 and (.violation - 0.033/0.3 | fabs) < 1e-9" "$tmp/out" >/dev/null &&
  ok || bad "best json before any result meets the window: $(cat "$tmp/out")"
expect_exit 0 "best text, least violation" "$INVDES" best --db "$db"
grep -q "^best: proposal $p1 (batch 1), least violation 0.11.*no result of 2 meets every condition" \
  "$tmp/out" && ok || bad "best text names the least violation: $(cat "$tmp/out")"

# 2. Found 1: 217.77 (voltage 3.567, outside) is not the best once 215.09
# meets the window; a larger capacity without a voltage does not either.
expect_exit 0 "tell inside" "$INVDES" tell --db "$db" --station s1 "$p2" capacity=215.09 voltage=3.71
expect_exit 0 "tell capacity only" "$INVDES" tell --db "$db" --station s1 "$p4" capacity=300
expect_exit 0 "best json" "$INVDES" best --db "$db" --format json
jq -e ".proposal == $p2 and .ranking == \"meets_all\" and .violation == 0 and .n_meeting == 1
       and .n_ranked == 4 and .targets[0].value == 215.09 and .targets[1].value == 3.71
       and .targets[1].meets == true and .targets[0].meets == null
       and (.parameters | has(\"sinter_T\"))" "$tmp/out" >/dev/null &&
  ok || bad "best json names 215.09: $(cat "$tmp/out")"
expect_exit 0 "best text" "$INVDES" best --db "$db"
grep -q "^best: proposal $p2 (batch 1), meets every condition (1 of 4 results do)" "$tmp/out" &&
  grep -qE "^  capacity +maximize +215.09$" "$tmp/out" &&
  grep -qE "^  voltage +window \[3.6, 3.9\] +3.71 +meets$" "$tmp/out" && ok ||
  bad "best text names 215.09: $(cat "$tmp/out")"
expect_exit 0 "status" "$INVDES" status --db "$db"
grep -q "^best: proposal $p2 (batch 1), meets every condition" "$tmp/out" && ok ||
  bad "status shows the same best: $(cat "$tmp/out")"
expect_exit 0 "status json" "$INVDES" status --db "$db" --format json
jq -e ".best.proposal == $p2 and .best.ranking == \"meets_all\"" "$tmp/out" >/dev/null && ok ||
  bad "status json best: $(cat "$tmp/out")"

# 3. A run: the progress line and best agree, by the same ranking. The pool
# has larger capacities outside the window (a, d) than the best inside (b).
cat >"$tmp/pool.csv" <<'EOF'
id,x,capacity,voltage
a,1,217.77,3.567
b,2,215.09,3.71
c,3,190,3.8
d,4,230,4.2
e,5,205,3.65
f,6,212,3.88
g,7,180,3.5
h,8,199,3.75
EOF
write_campaign() { # NAME STOP_WHEN
  printf 'name: %s\nseed: 3\npool: {file: pool.csv, id: id, features: [x]}\ntargets:\n  - {name: capacity, goal: maximize}\n  - {name: voltage, goal: window, window: [3.6, 3.9]}\nobjective: {kind: dataset}\nstrategy: {kind: random}\nbudget: {evaluations: 8%s}\n' \
    "$1" "$2" >"$tmp/$1.yaml"
}
write_campaign plain ""
expect_exit 0 "run" "$INVDES" run "$tmp/plain.yaml" --db "$tmp/plain.db"
tail -n 2 "$tmp/err" | grep -qE "^invdes run: 8/8 results; best #[0-9]+ capacity=215.09 voltage=3.71 \(meets every condition\)" &&
  ok || bad "progress line names 215.09: $(cat "$tmp/err")"
expect_exit 0 "best after the run" "$INVDES" best --db "$tmp/plain.db" --format json
jq -e '.targets[0].value == 215.09 and .ranking == "meets_all" and .n_meeting == 5' "$tmp/out" >/dev/null &&
  ok || bad "best after the run: $(cat "$tmp/out")"

# 4. stop_when: satisfied with a maximize target does not stop at the first
# result inside the window (no level says what would be enough): it says so
# and runs to the budget.
write_campaign sat ", stop_when: satisfied"
expect_exit 0 "validate satisfied" "$INVDES" validate "$tmp/sat.yaml"
grep -q "stop_when: satisfied cannot stop early: 'capacity' is to maximize" "$tmp/out" && ok ||
  bad "validate explains satisfied: $(cat "$tmp/out")"
expect_exit 0 "run satisfied" "$INVDES" run "$tmp/sat.yaml" --db "$tmp/sat.db"
grep -q "^invdes run: budget reached" "$tmp/err" && grep -q "note: stop_when: satisfied cannot stop early" "$tmp/err" &&
  ok || bad "satisfied with maximize runs to the budget: $(cat "$tmp/err")"

# 5. stop_when with a level: stops at the first result meeting the window
# with capacity >= 210 (b or f), and no earlier result did.
write_campaign level ", stop_when: {capacity: {at_least: 210}}"
expect_exit 0 "validate level" "$INVDES" validate "$tmp/level.yaml"
grep -q "or until a result meets every condition and capacity >= 210" "$tmp/out" && ok ||
  bad "validate describes the level: $(cat "$tmp/out")"
expect_exit 0 "run level" "$INVDES" run "$tmp/level.yaml" --db "$tmp/level.db"
grep -q "^invdes run: a result satisfies stop_when" "$tmp/err" && ok || bad "run level: $(cat "$tmp/err")"
"$INVDES" export --db "$tmp/level.db" --format json >"$tmp/level.json"
jq -e '(map(select(.capacity >= 210 and .voltage >= 3.6 and .voltage <= 3.9)) | length == 1)
       and (last | .capacity >= 210 and .voltage >= 3.6 and .voltage <= 3.9) and length < 8' \
  "$tmp/level.json" >/dev/null && ok || bad "stopped at the first result reaching the level: $(cat "$tmp/level.json")"

finish rank.sh
