#!/bin/sh
# amend.sh — a wrong value corrected, prior data imported and a campaign
# grown, from the command line (issue 8, Found 6): a declared range refuses
# `tell 1 capacity=1e308`; without one a huge value is kept and bo still asks;
# amend and retract change what best/export show while export --history keeps
# every version with who and why; import is all or nothing, naming the row
# and column; init --from carries what lies in the new space and counts the
# rest by reason. Every refusal exits 2 and leaves the database unchanged.
# Needs $INVDES, $top_srcdir, sqlite3 and jq.
. "$(dirname "$0")/lib.sh"
: "${top_srcdir:?top_srcdir must name the source tree}"
for tool in sqlite3 jq; do
  command -v "$tool" >/dev/null 2>&1 || { echo "FAIL: amend.sh needs $tool"; exit 1; }
done
station="$top_srcdir/tests/campaigns/good/station.yaml"
sum() { sqlite3 "$1" .dump | sha256sum; }
# cell DB ID COLUMN: the CSV export's cell.
cell() {
  "$INVDES" export --db "$1" >"$tmp/x.csv" || return 1
  awk -F, -v id="$2" -v col="$3" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
    $1 == id { print $(c[col]) }' "$tmp/x.csv"
}
sed 's|^    unit: mAh/g|    unit: mAh/g\n    range: [0, 400]|' "$station" >"$tmp/ranged.yaml"
grep -q 'range: \[0, 400\]' "$tmp/ranged.yaml" && ok || bad "the ranged campaign was not written"
db="$tmp/r.db"
"$INVDES" init "$tmp/ranged.yaml" --db "$db" >/dev/null
"$INVDES" ask --db "$db" -n 4 --station r1 >/dev/null

# 1. Found 6: an implausible value is refused with the range, nothing written.
before=$(sum "$db")
expect_exit 2 "tell 1e308 with a range" "$INVDES" tell --db "$db" --station r1 1 capacity=1e308 voltage=3.7
grep -q "outside the plausible range \[0, 400\]" "$tmp/err" && ok || bad "the range is named: $(cat "$tmp/err")"
# The value as typed, not its 17-digit expansion (400.10000000000002).
"$INVDES" tell --db "$db" --station r1 1 capacity=400.1 >/dev/null 2>"$tmp/err"
grep -q "capacity = 400.1 is outside" "$tmp/err" && ok || bad "the value as typed: $(cat "$tmp/err")"
[ "$(sum "$db")" = "$before" ] && ok || bad "a refused tell changed the database"
for i in 1 2 3; do
  "$INVDES" tell --db "$db" "$i" capacity=$((200 + i)) voltage=3.7 --station r1 >/dev/null
done
# 2. Without a range a huge finite value is kept, and a model-based ask still works.
sed 's/kind: random/kind: bo/' "$station" >"$tmp/bo.yaml"
"$INVDES" init "$tmp/bo.yaml" --db "$tmp/bo.db" >/dev/null
"$INVDES" ask --db "$tmp/bo.db" -n 6 --station r1 >/dev/null
for i in 1 2 3 4 5; do "$INVDES" tell --db "$tmp/bo.db" --station r1 "$i" capacity=$((100 + i)) voltage=3.7 >/dev/null; done
expect_exit 0 "tell 1e308 without a range" "$INVDES" tell --db "$tmp/bo.db" --station r1 6 capacity=1e308 voltage=3.7
expect_exit 0 "bo asks after 1e308" "$INVDES" ask --db "$tmp/bo.db" -n 2 --station r1
expect_exit 0 "amend the huge value" "$INVDES" amend --db "$tmp/bo.db" 6 capacity=106 --reason "exponent typo"
expect_exit 0 "bo asks after the amendment" "$INVDES" ask --db "$tmp/bo.db" -n 2 --station r2
expect_exit 0 "retract in a bo campaign" "$INVDES" retract --db "$tmp/bo.db" 2 --reason "bad cell"
expect_exit 0 "bo asks after a retraction" "$INVDES" ask --db "$tmp/bo.db" -n 2 --station r3

# 3. amend: the new value counts; the old one stays in the history.
expect_exit 0 "amend" "$INVDES" amend --db "$db" 3 capacity=150 --reason "misread the balance" --station alice
expect_exit 0 "amend with an sd" "$INVDES" amend --db "$db" 1 capacity=201 --sd capacity=2.5 --reason "sd forgotten" --station alice
[ "$(cell "$db" 1 capacity_sd)" = 2.5 ] && ok || bad "export shows the amended sd"
[ "$(cell "$db" 3 capacity)" = 150 ] && ok || bad "export shows the amended value"
"$INVDES" best --db "$db" --format json >"$tmp/best.json"
[ "$(jq -r '.proposal' "$tmp/best.json")" = 2 ] && ok || bad "best follows the amendment: $(head -c 300 "$tmp/best.json")"
before=$(sum "$db")
expect_exit 2 "amend out of range" "$INVDES" amend --db "$db" 3 capacity=900 --reason x
grep -q "\[0, 400\]" "$tmp/err" && ok || bad "amend names the range"
expect_exit 2 "amend an unknown proposal" "$INVDES" amend --db "$db" 99 capacity=1 --reason x
expect_exit 2 "amend without a reason" "$INVDES" amend --db "$db" 3 capacity=1
expect_exit 2 "amend an sd of no new value" "$INVDES" amend --db "$db" 3 capacity=1 --sd voltage=1 --reason x
expect_exit 2 "amend a target never reported" "$INVDES" amend --db "$db" 4 capacity=1 --reason x
[ "$(sum "$db")" = "$before" ] && ok || bad "a refused amend changed the database"
"$INVDES" export --db "$db" --history >"$tmp/h.csv"
head -1 "$tmp/h.csv" | grep -qx "id,target,version,action,value,sd,who,time,reason" && ok || bad "history header"
grep -q "^3,capacity,1,recorded,203,,station:r1," "$tmp/h.csv" && ok || bad "the first version is kept"
grep -q "^3,capacity,2,amended,150,,alice,.*,misread the balance$" "$tmp/h.csv" && ok || bad "the amendment with who and why"
"$INVDES" export --db "$db" --history --format json >"$tmp/h.json"
[ "$(jq '[.[] | select(.id == 3 and .target == "capacity")] | length' "$tmp/h.json")" = 2 ] && ok ||
  bad "JSON history has both versions"

# 4. retract: the values stop counting, stay in the history; tell refuses them.
expect_exit 0 "retract" "$INVDES" retract --db "$db" 2 --reason "contaminated" --station bob
[ -z "$(cell "$db" 2 capacity)" ] && [ "$(cell "$db" 2 status)" = done ] && ok || bad "retracted values leave the export"
"$INVDES" best --db "$db" --format json >"$tmp/best.json"
[ "$(jq -r '.proposal' "$tmp/best.json")" = 1 ] && ok || bad "best skips the retracted result: $(head -c 300 "$tmp/best.json")"
expect_exit 2 "tell a retracted proposal" "$INVDES" tell --db "$db" 2 capacity=1
expect_exit 2 "retract twice" "$INVDES" retract --db "$db" 2 --reason again
[ "$("$INVDES" export --db "$db" --history | grep -c '^2,.*,retracted,.*,bob,.*,contaminated$')" = 2 ] && ok ||
  bad "two retracted versions (capacity, voltage) by bob"

# 5. import: 20 prior rows; one bad row refuses the whole file.
{ echo "sinter_T,dwell_h,dopant,capacity,capacity_sd,voltage"
  i=0; while [ $i -lt 20 ]; do echo "$((710 + 10 * i)),$((1 + i % 12)),Mg,$((120 + i)),1.5,3.7"; i=$((i + 1)); done
} >"$tmp/prior.csv"
sed '8s/,Mg,/,Zn,/' "$tmp/prior.csv" >"$tmp/label.csv"
sed '5s/^[0-9]*,/990,/' "$tmp/prior.csv" >"$tmp/bounds.csv"
sed '3s/,Mg,121,/,Mg,1e308,/' "$tmp/prior.csv" >"$tmp/range.csv"
before=$(sum "$db")
expect_exit 2 "import an unknown label" "$INVDES" import --db "$db" "$tmp/label.csv"
grep -q "label.csv:8 (row 7).*dopant.*'Zn'" "$tmp/err" && ok || bad "row and column named: $(cat "$tmp/err")"
expect_exit 2 "import out of bounds" "$INVDES" import --db "$db" "$tmp/bounds.csv"
grep -q "bounds.csv:5 (row 4).*sinter_T" "$tmp/err" && ok || bad "bounds row named: $(cat "$tmp/err")"
expect_exit 2 "import out of range" "$INVDES" import --db "$db" "$tmp/range.csv"
grep -q "range.csv:3 (row 2): column 'capacity'.*\[0, 400\]" "$tmp/err" && ok || bad "range row named: $(cat "$tmp/err")"
printf 'sinter_T,dwell_h,capacity\n800,3,100\n' >"$tmp/novar.csv"
expect_exit 2 "import without a variable" "$INVDES" import --db "$db" "$tmp/novar.csv"
grep -q "no column for variable 'dopant'" "$tmp/err" && ok || bad "the missing variable is named"
[ "$(sum "$db")" = "$before" ] && ok || bad "a refused import changed the database"
expect_exit 0 "import 20 rows" "$INVDES" import --db "$db" "$tmp/prior.csv" --station lab
[ "$("$INVDES" export --db "$db" | grep -c ',import,lab,')" = 20 ] && ok || bad "20 imported proposals"
[ "$(cell "$db" 24 capacity)" = 139 ] && [ "$(cell "$db" 24 capacity_sd)" = 1.5 ] && ok || bad "imported values and sds"
expect_exit 0 "ask after the import" "$INVDES" ask --db "$db" -n 1 --station r1
# r1's own pending proposal 4 comes back first: 24 proposals in all.
[ "$("$INVDES" export --db "$db" | tail -n +2 | wc -l)" -eq 24 ] && ok || bad "24 proposals after the ask"

# A composition's sum is checked to 1e-6.
cat >"$tmp/comp.yaml" <<'EOF'
name: comp
parameters:
  - {name: t, type: continuous, bounds: [0, 1]}
compositions:
  - name: tm
    total: 1
    components: {ni: [0, 1], mn: [0, 1]}
targets:
  - {name: y, goal: maximize}
objective: {kind: station}
budget: {evaluations: 10}
EOF
"$INVDES" init "$tmp/comp.yaml" --db "$tmp/comp.db" >/dev/null
printf 't,ni,mn,y\n0.5,0.3,0.7,1\n0.5,0.3,0.6,2\n' >"$tmp/comp.csv"
expect_exit 2 "import a composition off its total" "$INVDES" import --db "$tmp/comp.db" "$tmp/comp.csv"
grep -q "comp.csv:3 (row 2).*'tm' sum to 0.9" "$tmp/err" && ok || bad "the sum is named: $(cat "$tmp/err")"

# 6. init --from: a grown campaign carries everything; a narrowed one says why not.
sed -e 's/bounds: \[700, 950\]/bounds: [650, 1000]/' -e 's/values: \[none, Al, Mg\]/values: [none, Al, Mg, Zn]/' \
  "$tmp/ranged.yaml" >"$tmp/grown.yaml"
expect_exit 0 "init --from (grown)" "$INVDES" init "$tmp/grown.yaml" --db "$tmp/grown.db" --from "$db" --station lead
grep -q "carried 22 of 24 proposals" "$tmp/out" && ok || bad "carried count: $(cat "$tmp/out")"
grep -q "not carried: 1: retracted, no current value" "$tmp/out" && ok || bad "retracted reason"
grep -q "not carried: 1: pending, no result" "$tmp/out" && ok || bad "pending reason: $(cat "$tmp/out")"
"$INVDES" export --db "$tmp/grown.db" --history >"$tmp/gh.csv"
grep -q ",amended,150,,alice,.*misread the balance" "$tmp/gh.csv" && grep -q ",migrated,150,,lead," "$tmp/gh.csv" &&
  ok || bad "the audit trail travels: $(head -5 "$tmp/gh.csv")"
sed 's/bounds: \[700, 950\]/bounds: [700, 800]/' "$tmp/ranged.yaml" >"$tmp/narrow.yaml"
expect_exit 0 "init --from (narrowed)" "$INVDES" init "$tmp/narrow.yaml" --db "$tmp/narrow.db" --from "$db"
grep -q "not carried: [0-9]*: 'sinter_T' is outside its bounds" "$tmp/out" && ok || bad "bounds reason: $(cat "$tmp/out")"
expect_exit 2 "init --from into an existing database" "$INVDES" init "$tmp/narrow.yaml" --db "$tmp/narrow.db" --from "$db"
expect_exit 2 "init --from a missing file" "$INVDES" init "$tmp/narrow.yaml" --db "$tmp/n2.db" --from "$tmp/none.db"
[ ! -e "$tmp/n2.db" ] && ok || bad "a failed init --from left a database behind"
# A failed carry removes the new database; it must not say it created it.
echo "not a database" >"$tmp/junk.db"
expect_exit 2 "init --from a file that is no database" "$INVDES" init "$tmp/narrow.yaml" \
  --db "$tmp/n3.db" --from "$tmp/junk.db"
[ ! -e "$tmp/n3.db" ] && ok || bad "a failed init --from left n3.db behind"
grep -q "created" "$tmp/out" && bad "a failed init --from says: $(cat "$tmp/out")" || ok

# A partial proposal whose retracted value is amended back, its other
# target told meanwhile, has every target again: it is done (it stayed
# partial, holding its place in the budget, and nothing could finish it but
# --close).
pdb="$tmp/partial.db"
"$INVDES" init "$station" --db "$pdb" >/dev/null
"$INVDES" ask --db "$pdb" -n 1 --station r1 >/dev/null
"$INVDES" tell --db "$pdb" --station r1 -q 1 capacity=100
"$INVDES" retract --db "$pdb" -q 1 --reason "wrong cell"
"$INVDES" tell --db "$pdb" --station r1 -q 1 voltage=3.7
expect_exit 0 "amend the retracted value of a partial proposal" \
  "$INVDES" amend --db "$pdb" 1 capacity=101 --reason "re-measured"
[ "$(cell "$pdb" 1 status)" = done ] && ok \
  || bad "a partial proposal with every target amended back is $(cell "$pdb" 1 status), wanted done"
"$INVDES" status --db "$pdb" | grep -q "^results    1 / 400 (1 done" && ok \
  || bad "status: $("$INVDES" status --db "$pdb" | grep '^results')"
# A partial proposal is not carried by init --from; the reason says so and
# how to carry it (it said "partial, no result" of a proposal with values).
"$INVDES" ask --db "$pdb" -n 1 --station r1 >/dev/null
"$INVDES" tell --db "$pdb" --station r1 -q 2 capacity=90
expect_exit 0 "init --from a database with a partial proposal" \
  "$INVDES" init "$station" --db "$tmp/from-partial.db" --from "$pdb"
grep -q "not carried: 1: partial (targets still to come); close it (tell ID --close) to carry it" \
  "$tmp/out" && ok || bad "the partial reason: $(cat "$tmp/out")"

finish amend.sh
