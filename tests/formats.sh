#!/bin/sh
# formats.sh — what invdes reads and writes, the same everywhere (issue 8,
# Found 8 and 10):
# 1. `tell --from -` reads CSV or JSON reports from standard input.
# 2. A pool whose own id column is named `id` is exported (and asked) under
#    `pool.id`, so `id` is always the proposal's number that tell needs.
# 3. `export --units` carries the campaign's units: CSV headers NAME [UNIT],
#    JSON {"units": {...}, "rows": [...]}.
# 4. Decimal numbers only: hex, inf and nan are refused in tell values, in
#    option values and in campaign files alike, the value named.
# 5. A pool column of numbers with one bad cell is refused at load with
#    file:line and the column, not silently dropped from the features.
# 6. Every time printed is ISO 8601 UTC with milliseconds.
# Needs $INVDES and $top_srcdir.
. "$(dirname "$0")/lib.sh"
: "${top_srcdir:?top_srcdir must name the source tree}"
good="$top_srcdir/tests/campaigns/good"
db="$tmp/s.db"
"$INVDES" init "$good/station.yaml" --db "$db" >/dev/null || bad "init"
"$INVDES" ask --db "$db" -n 4 --station r1 >/dev/null || bad "ask"

# 1. --from - : CSV, then JSON, then a bad line named as standard input.
printf 'id,capacity,voltage\n1,190.5,3.7\n' |
  "$INVDES" tell --db "$db" --station r1 --from - >"$tmp/out" 2>"$tmp/err" && ok \
  || bad "tell --from - (CSV): $(cat "$tmp/err")"
grep -q "^standard input: recorded 1 report" "$tmp/out" && ok || bad "tell --from - says: $(cat "$tmp/out")"
printf '[{"id": 2, "capacity": 180}]' |
  "$INVDES" tell --db "$db" --station r1 --from - >/dev/null 2>"$tmp/err" && ok \
  || bad "tell --from - (JSON): $(cat "$tmp/err")"
printf 'id,capacity\n3,abc\n' | "$INVDES" tell --db "$db" --from - >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] && grep -q "standard input:2: column 'capacity': 'abc'" "$tmp/err" && ok \
  || bad "a bad line on standard input: $(cat "$tmp/err")"
"$INVDES" export --db "$db" >"$tmp/x.csv"
grep -q "^1,1,done,.*,190.5,3.7," "$tmp/x.csv" && grep -q "^2,1,partial,.*,180,," "$tmp/x.csv" && ok \
  || bad "the reports from standard input are not recorded: $(cat "$tmp/x.csv")"
# JSON saved by Windows tools starts with a UTF-8 byte order mark, as CSV
# does (the CSV reader skips it; the JSON one read it as a bad token).
printf '\357\273\277[{"id": 2, "voltage": 3.7}]' |
  "$INVDES" tell --db "$db" --station r1 --from - >/dev/null 2>"$tmp/err" && ok \
  || bad "tell --from - (JSON after a BOM): $(cat "$tmp/err")"
"$INVDES" export --db "$db" | grep -q "^2,1,done,.*,180,3.7," && ok \
  || bad "the JSON after a BOM was not recorded"

# 2. A pool whose id column is `id`.
(cd "$good" && "$INVDES" run pool.yaml --db "$tmp/pool.db" --quiet) >/dev/null 2>&1 || bad "pool run"
"$INVDES" export --db "$tmp/pool.db" >"$tmp/pool.csv"
head -1 "$tmp/pool.csv" | grep -q "^id,batch,status,pool.id,ered," && ok \
  || bad "pool export header: $(head -1 "$tmp/pool.csv")"
# The id column holds the proposals' numbers 1..N in order, pool.id the candidates.
awk -F, 'NR > 1 && $1 != NR - 1 { exit 1 } NR > 1 && $4 !~ /^R1_/ { exit 1 }' "$tmp/pool.csv" && ok \
  || bad "pool export rows: $(sed -n 2,3p "$tmp/pool.csv")"
"$INVDES" export --db "$tmp/pool.db" --format json >"$tmp/pool.json"
grep -q '"id": 1,' "$tmp/pool.json" && grep -q '"pool.id": "R1_' "$tmp/pool.json" && ok \
  || bad "pool JSON export: $(head -c 300 "$tmp/pool.json")"
"$INVDES" init "$good/pool.yaml" --db "$tmp/pool2.db" >/dev/null 2>&1
(cd "$good" && "$INVDES" ask --db "$tmp/pool2.db" -n 1 --format csv) >"$tmp/ask.csv" 2>"$tmp/err"
head -1 "$tmp/ask.csv" | grep -q "^id,pool.id,lease_expires$" && ok \
  || bad "ask CSV header of a pool: $(head -1 "$tmp/ask.csv") $(cat "$tmp/err")"

# 3. Units.
"$INVDES" export --db "$db" --units >"$tmp/u.csv" || bad "export --units"
head -1 "$tmp/u.csv" | grep -q "^id,batch,status,sinter_T \[degC\],dwell_h,dopant,capacity \[mAh/g\],voltage \[V\],capacity_sd \[mAh/g\]," \
  && ok || bad "units in the CSV header: $(head -1 "$tmp/u.csv")"
"$INVDES" export --db "$db" --units --format json >"$tmp/u.json" || bad "export --units -f json"
grep -q '"capacity_pred_mean": "mAh/g"' "$tmp/u.json" && grep -q '"rows": \[' "$tmp/u.json" && ok \
  || bad "units in the JSON export: $(head -c 300 "$tmp/u.json")"
# Without --units the columns are the plain names (what scripts look up).
head -1 "$tmp/x.csv" | grep -q "^id,batch,status,sinter_T,dwell_h,dopant,capacity,voltage," && ok \
  || bad "plain header: $(head -1 "$tmp/x.csv")"

# 4. Decimal numbers only.
for v in 0x10 0X1p4 inf -inf nan infinity 1,5 "1 " ""; do
  expect_exit 2 "tell capacity='$v'" "$INVDES" tell --db "$db" 3 "capacity=$v"
  [ -z "$v" ] || grep -qF "'$v'" "$tmp/err" && ok || bad "the refusal names '$v': $(cat "$tmp/err")"
done
for v in 0x10 inf nan; do
  expect_exit 2 "tell --sd capacity=$v" "$INVDES" tell --db "$db" 3 capacity=1 --sd "capacity=$v"
  expect_exit 2 "ask --lease $v" "$INVDES" ask --db "$db" --lease "$v"
  grep -qF "'$v'" "$tmp/err" && ok || bad "ask --lease names '$v': $(cat "$tmp/err")"
done
sed 's/bounds: \[700, 950\]/bounds: [0x2bc, 950]/' "$good/station.yaml" >"$tmp/hex.yaml"
expect_exit 2 "a campaign with a hex bound" "$INVDES" validate "$tmp/hex.yaml"
grep -q "0x2bc" "$tmp/err" && ok || bad "the campaign error names 0x2bc: $(cat "$tmp/err")"
sed 's/^seed: 11/seed: 0xb/' "$good/station.yaml" >"$tmp/hexseed.yaml"
expect_exit 2 "a campaign with a hex seed" "$INVDES" validate "$tmp/hexseed.yaml"
expect_exit 0 "tell capacity=1.5e2" "$INVDES" tell --db "$db" --station r1 3 capacity=1.5e2 voltage=.5
expect_exit 0 "ask --lease 1e3" "$INVDES" ask --db "$db" --lease 1e3 --station r9

# 5. A pool column of numbers with one bad cell.
printf 'name,a,b,label\nm1,1.0,2.0,x\nm2,1.5,2.5,y\nm3,2.0,abc,z\nm4,2.5,3.5,w\n' >"$tmp/bad_pool.csv"
cat >"$tmp/bad_pool.yaml" <<EOF
name: bad-pool
pool: {file: bad_pool.csv, id: name}
targets:
  - {name: y, goal: maximize}
objective: {kind: station}
budget: {evaluations: 3}
EOF
expect_exit 2 "a pool column with a bad cell" "$INVDES" validate "$tmp/bad_pool.yaml"
grep -q "bad_pool.csv:4: column 'b': 'abc' is not a number" "$tmp/err" && ok \
  || bad "the pool error names file, line and column: $(cat "$tmp/err")"
# A text column (labels) is no feature, and no error.
sed 's/abc/3.0/' "$tmp/bad_pool.csv" >"$tmp/fixed.csv" && mv "$tmp/fixed.csv" "$tmp/bad_pool.csv"
expect_exit 0 "the pool with the cell fixed" "$INVDES" validate "$tmp/bad_pool.yaml"

# 6. Times: ask (JSON and CSV), export, status, heartbeat.
iso='[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z'
"$INVDES" ask --db "$db" -n 1 --station r1 >"$tmp/a.json"
grep -qE "\"lease_expires\": \"$iso\"" "$tmp/a.json" && ok || bad "ask JSON lease: $(cat "$tmp/a.json")"
"$INVDES" ask --db "$db" -n 1 --station r1 --format csv | tail -1 | grep -qE ",$iso$" && ok \
  || bad "ask CSV lease"
"$INVDES" export --db "$db" | tail -1 | grep -qE ",$iso,$iso$" && ok || bad "export times"
"$INVDES" status --db "$db" | grep -qE " $iso" && ok || bad "status lease time"
"$INVDES" heartbeat --db "$db" --station r1 4 | grep -qE "lease until $iso$" && ok || bad "heartbeat time"

finish formats.sh
