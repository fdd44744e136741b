#!/bin/sh
# station.sh — a robotic station's loop by hand, as a lab script runs it:
# init → ask → tell (values, partial results, sds, failures, give-backs,
# results files) → status → export → best → heartbeat; every bad tell is
# refused with a clear message, exit 2 and the database unchanged (its dump's
# SHA-256); no verb creates a missing database. Reports name their station:
# only the holder of a live lease may report (tests/ownership.sh). Then the concurrency
# acceptance: 8 processes × 25 ask(1)/tell cycles on one database give 200
# distinct proposals and 200 results without an error.
# Needs $INVDES, $top_srcdir and $top_builddir (set by make check) and the
# sqlite3 and jq programs (scripts/install-deps). Databases come from
# `invdes init` and proposals from `invdes ask`.
. "$(dirname "$0")/lib.sh"
: "${top_srcdir:?top_srcdir must name the source tree}"
need station.sh sqlite3 jq
campaign="$top_srcdir/tests/campaigns/good/station.yaml"
db="$tmp/station.db"
sum() { dump_sum "$1"; }

make_db() { "$INVDES" init "$campaign" --db "$1" >/dev/null; }
# ask_ids DB N STATION: prints the ids handed out, one a line.
ask_ids() {
  "$INVDES" ask --db "$1" -n "$2" --station "$3" --format json | jq -r '.[].id'
}
# field ID COLUMN: the cell of proposal ID in the CSV export of $db (no quoting).
field() {
  "$INVDES" export --db "$db" >"$tmp/x.csv" || return 1
  awk -F, -v id="$1" -v col="$2" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
    $1 == id { print $(c[col]) }' "$tmp/x.csv"
}

# 1. Every verb answers --help and --version.
for verb in tell heartbeat status export best; do
  expect_exit 0 "$verb --help" "$INVDES" "$verb" --help
  grep -q "usage: invdes $verb" "$tmp/out" && ok || bad "$verb --help prints its usage"
  expect_exit 0 "$verb --version" "$INVDES" "$verb" --version
  expect_exit 2 "$verb without --db" "$INVDES" "$verb"
done

# 2. A missing file is never created; a file that is not a database is refused unchanged.
for verb in status export best; do
  expect_exit 2 "$verb on a missing database" "$INVDES" "$verb" --db "$tmp/none.db"
  grep -q "none.db" "$tmp/err" && ok || bad "$verb names the missing file"
done
expect_exit 2 "tell on a missing database" "$INVDES" tell --db "$tmp/none.db" 1 capacity=1
expect_exit 2 "tell --from on a missing database" "$INVDES" tell --db "$tmp/none.db" --from "$campaign"
expect_exit 2 "heartbeat on a missing database" "$INVDES" heartbeat --db "$tmp/none.db" 1
[ ! -e "$tmp/none.db" ] && ok || bad "a verb created the missing database"
printf 'id,capacity\n1,2\n' >"$tmp/notdb.csv"
cp "$tmp/notdb.csv" "$tmp/notdb.orig"
expect_exit 2 "tell into a CSV file" "$INVDES" tell --db "$tmp/notdb.csv" 1 capacity=1
cmp -s "$tmp/notdb.csv" "$tmp/notdb.orig" && ok || bad "tell changed a file that is no database"
expect_exit 2 "status of a CSV file" "$INVDES" status --db "$tmp/notdb.csv"
: >"$tmp/empty.db"
expect_exit 2 "tell into an empty file" "$INVDES" tell --db "$tmp/empty.db" 1 capacity=1
[ ! -s "$tmp/empty.db" ] && [ ! -e "$tmp/empty.db-wal" ] && ok || bad "tell wrote into an empty file"

# 3. A station asks for four proposals and reports on them.
make_db "$db" && ok || bad "making the database"
ask_ids "$db" 4 r1 >"$tmp/ids"
[ "$(wc -l <"$tmp/ids")" -eq 4 ] && ok || bad "ask gave $(wc -l <"$tmp/ids") ids, wanted 4"
set -- $(cat "$tmp/ids")
p1=$1 p2=$2 p3=$3 p4=$4
expect_exit 0 "tell values with an sd" "$INVDES" tell --db "$db" "$p1" capacity=180.5 voltage=3.7 --sd capacity=1.5 --station r1
grep -q "proposal $p1: done" "$tmp/out" && ok || bad "tell says what it recorded: $(cat "$tmp/out")"
[ "$(field "$p1" capacity)" = 180.5 ] && [ "$(field "$p1" capacity_sd)" = 1.5 ] &&
  [ "$(field "$p1" voltage)" = 3.7 ] && [ -z "$(field "$p1" voltage_sd)" ] &&
  [ "$(field "$p1" status)" = done ] && ok || bad "export of $p1: $(grep "^$p1," "$tmp/x.csv")"

# 4. Bad tells by the holder: exit 2, a message naming the problem, the database unchanged.
before=$(sum "$db")
bad_tell() {
  what=$1 said=$2; shift 2
  expect_exit 2 "$what" "$INVDES" tell --db "$db" --station r1 "$@"
  grep -qF -- "$said" "$tmp/err" && ok || bad "$what: wanted '$said' in: $(cat "$tmp/err")"
  [ "$(sum "$db")" = "$before" ] && ok || bad "$what changed the database"
}
bad_tell "unknown id" "no proposal 999" 999 capacity=1
bad_tell "second result for a target" "already has a result for 'capacity'" "$p1" capacity=181
bad_tell "unknown target" "unknown target 'capcity' (targets: capacity, voltage)" "$p2" capcity=1
bad_tell "non-numeric value" "'abc' is not a number" "$p2" capacity=abc
bad_tell "nan" "'nan' is not a finite number" "$p2" capacity=nan
bad_tell "inf" "'inf' is not a finite number" "$p2" voltage=inf
bad_tell "NAME without VALUE" "'capacity' is not NAME=VALUE" "$p2" capacity
bad_tell "VALUE without NAME" "'=3' is not NAME=VALUE" "$p2" =3
bad_tell "id that is no number" "'x7' is not a proposal id" x7 capacity=1
bad_tell "target given twice" "'capacity' given twice" "$p2" capacity=1 capacity=2
bad_tell "bad sd" "'-' is not a number" "$p2" capacity=1 --sd capacity=-
bad_tell "negative sd" "must be finite and >= 0" "$p2" capacity=1 --sd capacity=-2
bad_tell "sd without value" "no value given for 'voltage'" "$p2" capacity=1 --sd voltage=0.1
bad_tell "another campaign" "holds campaign 'station-demo', but the report is for campaign 'other'" \
  "$p2" capacity=1 --campaign other
bad_tell "failure of a done proposal" "is already done" "$p1" --failed "too late"
bad_tell "give back a done proposal" "only a pending proposal can be given back" "$p1" --abandon
bad_tell "failure without reason" "--failed needs a reason" "$p2" --failed ""
bad_tell "values and --failed" "values go with neither" "$p2" capacity=1 --failed x
bad_tell "no report" "give NAME=VALUE..., --failed REASON, --abandon or --close" "$p2"
printf '{"campaign": "other", "results": [{"id": %s, "capacity": 1}]}\n' "$p2" >"$tmp/other.json"
bad_tell "results file of another campaign" "report is for campaign 'other'" --from "$tmp/other.json"
printf 'id,capacity,voltage\n%s,170,\n%s,abc,3.8\n' "$p2" "$p3" >"$tmp/bad.csv"
bad_tell "a bad row rejects the whole CSV" "bad.csv:3: column 'capacity': 'abc' is not a number" --from "$tmp/bad.csv"
printf '[{"id": %s, "capacity": 170}, {"id": 999, "capacity": 1}]\n' "$p2" >"$tmp/bad.json"
bad_tell "an unknown id rejects the whole JSON file" "none of the 2 reports was recorded" --from "$tmp/bad.json"
printf '[{"id": %s, "capacity": 170}, {"id": %s, "capacity": "nan"}]\n' "$p2" "$p3" >"$tmp/nan.json"
bad_tell "a string value in JSON" "capacity: \"nan\" is not a number" --from "$tmp/nan.json"
printf 'id,capacity,colour\n%s,1,red\n' "$p2" >"$tmp/col.csv"
bad_tell "an unknown column" "unknown column 'colour'" --from "$tmp/col.csv"
[ "$(field "$p2" status)" = pending ] && ok || bad "$p2 is still pending after the refused tells"

# 5. Partial results: one target now (status partial), the other later (done).
expect_exit 0 "partial result" "$INVDES" tell --db "$db" "$p2" voltage=3.95 --station r1
grep -q "proposal $p2: partial: voltage=3.95" "$tmp/out" && ok || bad "tell says partial: $(cat "$tmp/out")"
[ "$(field "$p2" status)" = partial ] && [ -z "$(field "$p2" capacity)" ] &&
  [ "$(field "$p2" voltage)" = 3.95 ] && ok || bad "partial result row: $(grep "^$p2," "$tmp/x.csv")"
expect_exit 0 "the missing target later" "$INVDES" tell --db "$db" "$p2" capacity=150 --station r1
[ "$(field "$p2" capacity)" = 150 ] && [ "$(field "$p2" status)" = done ] && ok ||
  bad "second target of $p2 recorded, and it is done"
[ "$(sqlite3 "$db" "SELECT source FROM results WHERE proposal = $p2 AND target = 'capacity'")" = station:r1 ] &&
  ok || bad "--station recorded as the source"

# 6. A failure and a give-back.
expect_exit 0 "tell --failed" "$INVDES" tell --db "$db" "$p3" --failed "furnace tripped, sample lost" -s r1
[ "$(field "$p3" status)" = failed ] && ok || bad "$p3 failed"
grep -q "^$p3,.*,\"furnace tripped, sample lost\"," "$tmp/x.csv" && ok || bad "failure reason exported"
expect_exit 0 "tell --abandon" "$INVDES" tell --db "$db" "$p4" --abandon --reason "out of Mg" -s r1
[ "$(field "$p4" status)" = abandoned ] && ok || bad "$p4 abandoned"
ask_ids "$db" 1 r2 >"$tmp/again"
[ "$(cat "$tmp/again")" = "$p4" ] && ok || bad "the given-back proposal is offered again (got $(cat "$tmp/again"))"
[ "$(field "$p4" status)" = pending ] && [ "$(field "$p4" station)" = r2 ] && ok ||
  bad "offered again to r2: $(grep "^$p4," "$tmp/x.csv")"
expect_exit 0 "result for the proposal offered again" "$INVDES" tell --db "$db" "$p4" capacity=175 voltage=3.75 -s r2

# 7. Results files: CSV and JSON, each all or nothing, every accepted form.
ask_ids "$db" 5 r3 >"$tmp/ids2"
set -- $(cat "$tmp/ids2")
q1=$1 q2=$2 q3=$3 q4=$4 q5=$5
printf 'id,capacity,capacity_sd,voltage,failed,campaign\n%s,190.25,2,3.8,,station-demo\n%s,,,,"no pellet, cracked",\n' \
  "$q1" "$q2" >"$tmp/good.csv"
expect_exit 0 "tell --from CSV" "$INVDES" tell --db "$db" --from "$tmp/good.csv" --station r3
grep -q "recorded 2 reports: 1 result (2 values), 1 failure" "$tmp/out" && ok || bad "CSV summary: $(cat "$tmp/out")"
[ "$(field "$q1" capacity)" = 190.25 ] && [ "$(field "$q1" capacity_sd)" = 2 ] &&
  [ "$(field "$q2" status)" = failed ] && ok || bad "CSV reports recorded"
printf '{"campaign": "station-demo", "results": [{"id": %s, "values": {"capacity": 160}, "sd": {"capacity": 3}},\n {"id": %s, "capacity": 165.5, "voltage": 3.65},\n {"id": %s, "abandon": true}]}\n' \
  "$q3" "$q4" "$q5" >"$tmp/good.json"
expect_exit 0 "tell --from JSON" "$INVDES" tell --db "$db" --from "$tmp/good.json" --campaign station-demo -s r3
[ "$(field "$q3" capacity_sd)" = 3 ] && [ "$(field "$q4" voltage)" = 3.65 ] &&
  [ "$(field "$q5" status)" = abandoned ] && ok || bad "JSON reports recorded"

# 8. status: counts, results against the budget, best with its proposal, pending with leases.
expect_exit 0 "status" "$INVDES" status --db "$db"
evaluated=$(sqlite3 "$db" "SELECT count(*) FROM proposals WHERE status IN ('done', 'failed')")
grep -qE "^results +$evaluated / 400 " "$tmp/out" && ok || bad "status results line: $(cat "$tmp/out")"
grep -q "^best: proposal $q1 " "$tmp/out" && grep -qE "^  capacity +maximize +190.25( |$)" "$tmp/out" &&
  ok || bad "status best: $(cat "$tmp/out")"
expect_exit 0 "status json" "$INVDES" status --db "$db" --format json
jq -e ".evaluated == $evaluated and .budget == 400 and .counts.failed == 2 and .counts.abandoned == 1
       and .best.proposal == $q1 and .best.targets[1].goal == \"window\" and .best.targets[1].window == [3.6, 3.9]
       and (.pending | map(.id) | index($q5) | not)" "$tmp/out" >/dev/null && ok ||
  bad "status json: $(cat "$tmp/out")"

# 9. export: the column contract, one row per proposal, JSON the same with nulls.
expect_exit 0 "export csv" "$INVDES" export --db "$db" --format csv
head -1 "$tmp/out" >"$tmp/header"
echo "id,batch,status,sinter_T,dwell_h,dopant,capacity,voltage,capacity_sd,voltage_sd,capacity_pred_mean,capacity_pred_sd,voltage_pred_mean,voltage_pred_sd,acquisition,strategy,station,reason,created,updated" >"$tmp/want"
cmp -s "$tmp/header" "$tmp/want" && ok || bad "export header: $(cat "$tmp/header")"
total=$(sqlite3 "$db" "SELECT count(*) FROM proposals")
[ "$(($(wc -l <"$tmp/out") - 1))" -eq "$total" ] && ok || bad "export has one row per proposal"
grep -qE "^$p1,[0-9]+,done,[0-9.]+,[0-9]+,(none|Al|Mg),180.5,3.7,1.5,,,,,,,[a-z]+,r1,,[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z,[0-9-]+T[0-9:]+\.[0-9]{3}Z$" \
  "$tmp/out" && ok || bad "export row of $p1: $(grep "^$p1," "$tmp/out")"
expect_exit 0 "export --out" "$INVDES" export --db "$db" --out "$tmp/e.csv"
cmp -s "$tmp/e.csv" "$tmp/x.csv" && ok || bad "export --out writes the same table"
expect_exit 0 "export json" "$INVDES" export --db "$db" --format json
jq -e "length == $total and (.[0] | keys_unsorted) == $(jq -R -c 'split(",")' "$tmp/want")
       and (map(select(.id == $p2))[0] | .capacity == 150 and .voltage == 3.95 and .capacity_sd == null)
       and (map(select(.id == $p3))[0].reason == \"furnace tripped, sample lost\")" "$tmp/out" >/dev/null &&
  ok || bad "export json: $(head -c 600 "$tmp/out")"
expect_exit 2 "export --format xml" "$INVDES" export --db "$db" --format xml

# 10. best: the best result by the one ranking (tests/rank.sh), with parameters.
expect_exit 0 "best json" "$INVDES" best --db "$db" --format json
jq -e ".targets[0].target == \"capacity\" and .proposal == $q1 and .targets[0].value == 190.25
       and .targets[0].sd == 2 and (.parameters | has(\"sinter_T\") and has(\"dopant\"))
       and .targets[1].meets == true and .targets[1].value >= 3.6 and .targets[1].value <= 3.9" "$tmp/out" >/dev/null &&
  ok || bad "best json: $(cat "$tmp/out")"
expect_exit 0 "best text" "$INVDES" best --db "$db"
grep -q "^best: proposal $q1 " "$tmp/out" && grep -qE "^  capacity +maximize +190.25( |$)" "$tmp/out" &&
  ok || bad "best text: $(cat "$tmp/out")"

# 11. heartbeat: extends a pending lease; refuses another station's or a finished proposal.
ask_ids "$db" 1 r9 >"$tmp/hb"
h=$(cat "$tmp/hb")
before=$(sum "$db")
expect_exit 3 "heartbeat by another station" "$INVDES" heartbeat --db "$db" "$h" --station r8
grep -q "leased to station 'r9' until" "$tmp/err" && ! grep -q expired "$tmp/err" && ok ||
  bad "heartbeat by another station names the holder: $(cat "$tmp/err")"
expect_exit 2 "heartbeat of a done proposal" "$INVDES" heartbeat --db "$db" "$h" "$p1" -s r9
expect_exit 2 "heartbeat with a bad lease" "$INVDES" heartbeat --db "$db" "$h" --lease -5
[ "$(sum "$db")" = "$before" ] && ok || bad "refused heartbeats changed the database"
old=$(sqlite3 "$db" "SELECT lease_expires FROM proposals WHERE id = $h")
expect_exit 0 "heartbeat" "$INVDES" heartbeat --db "$db" "$h" --station r9 --lease 900000
grep -qE "^$h lease until [0-9-]+T[0-9:]+\.[0-9]{3}Z$" "$tmp/out" && ok || bad "heartbeat output: $(cat "$tmp/out")"
new=$(sqlite3 "$db" "SELECT lease_expires FROM proposals WHERE id = $h")
awk -v a="$old" -v b="$new" 'BEGIN { exit !(b > a) }' && ok || bad "lease $old not extended ($new)"

# 12. Short options mean the same in every verb: the --help of each lists
# "-X, --NAME" pairs that agree with one another and with the tool's map, and
# the same letters drive ask, tell, heartbeat, status, export and best.
for verb in validate sample predict init run ask tell heartbeat status export best; do
  "$INVDES" "$verb" --help | sed -n 's/^ *-\([A-Za-z]\), --\([a-z-]*\).*/\1 \2/p' >>"$tmp/pairs"
done
"$INVDES" --help | tr ',' '\n' | sed -n 's/^ *-\([A-Za-z]\) --\([a-z-]*\).*/\1 \2/p' >"$tmp/map"
[ "$(wc -l <"$tmp/map")" -ge 10 ] && ok || bad "invdes --help lists the short options: $(cat "$tmp/map")"
sort -u "$tmp/pairs" "$tmp/map" | awk '{ n[$1]++; m[$1] = m[$1] " --" $2 }
  END { for (c in n) if (n[c] > 1) { print "-" c ":" m[c]; bad = 1 } exit bad }' >"$tmp/clash" &&
  ok || bad "a short option with two meanings: $(cat "$tmp/clash")"
sort -u "$tmp/pairs" | while read -r c name; do grep -qx "$c $name" "$tmp/map" || echo "-$c --$name"; done >"$tmp/off"
[ ! -s "$tmp/off" ] && ok || bad "short options in a --help but not in the map: $(cat "$tmp/off")"
sdb="$tmp/short.db"
make_db "$sdb"
"$INVDES" ask -d "$sdb" -n 2 -s lab1 -f csv -l 600 >"$tmp/out" 2>"$tmp/err" && ok || bad "ask -d -n -s -f -l: $(cat "$tmp/err")"
[ "$(head -1 "$tmp/out" | cut -d, -f1)" = id ] && [ "$(wc -l <"$tmp/out")" -eq 3 ] && ok ||
  bad "ask -f csv -n 2: $(cat "$tmp/out")"
s1=$(sed -n 2p "$tmp/out" | cut -d, -f1)
s2=$(sed -n 3p "$tmp/out" | cut -d, -f1)
expect_exit 3 "heartbeat -s of another station" "$INVDES" heartbeat -d "$sdb" "$s1" -s lab2
expect_exit 0 "heartbeat -d -s -l -q" "$INVDES" heartbeat -d "$sdb" "$s1" -s lab1 -l 900 -q
[ ! -s "$tmp/out" ] && ok || bad "heartbeat -q printed: $(cat "$tmp/out")"
expect_exit 0 "tell -d -s -q" "$INVDES" tell -d "$sdb" "$s1" capacity=170 voltage=3.7 -s lab1 -q
[ ! -s "$tmp/out" ] && ok || bad "tell -q printed: $(cat "$tmp/out")"
[ "$(sqlite3 "$sdb" "SELECT source FROM results WHERE proposal = $s1 AND target = 'capacity'")" = station:lab1 ] &&
  ok || bad "tell -s recorded as the source station"
for verb in status best; do
  expect_exit 0 "$verb -d -f json" "$INVDES" "$verb" -d "$sdb" -f json
  jq -e . "$tmp/out" >/dev/null && ok || bad "$verb -f json: $(cat "$tmp/out")"
done
expect_exit 0 "export -d -f json -o" "$INVDES" export -d "$sdb" -f json -o "$tmp/short.json"
jq -e "length == 2 and (map(select(.id == $s1))[0].station == \"lab1\")" "$tmp/short.json" >/dev/null &&
  ok || bad "export -o: $(head -c 300 "$tmp/short.json")"
# Short forms that meant something else before the map are refused, by name.
before=$(sum "$sdb")
short_refused() {
  what=$1 said=$2; shift 2
  expect_exit 2 "$what" "$INVDES" "$@"
  grep -qF -- "$said" "$tmp/err" && ok || bad "$what: wanted '$said' in: $(cat "$tmp/err")"
}
short_refused "tell -f (was --failed)" "-f is --format in every invdes command and tell takes no --format; write --failed REASON" \
  tell -d "$sdb" "$s2" -f "furnace tripped"
short_refused "tell -s NAME=SD (was --sd)" "a standard deviation is --sd NAME=SD" \
  tell -d "$sdb" "$s2" capacity=1 -s capacity=0.5
short_refused "tell -S (was the station)" "-S is no longer an option: write -s or --station" \
  tell -d "$sdb" "$s2" capacity=1 -S lab1
short_refused "heartbeat -S" "-S is no longer an option: write -s or --station" heartbeat -d "$sdb" "$s2" -S lab1
short_refused "sample -d (was --design)" "write --design" sample "$campaign" -n 2 -d lhs
short_refused "sample -s (was --seed)" "write --seed" sample "$campaign" -n 2 -s 3
short_refused "predict -n (was --trees)" "-n is --count in every invdes command and predict takes no --count; write --trees N" \
  predict -t "$tmp/x.csv" -y capacity --cv 3 -n 10
short_refused "status -o" "-o is --out in every invdes command, and status takes no --out" status -d "$sdb" -o x
[ "$(sum "$sdb")" = "$before" ] && ok || bad "a refused short option changed the database"

# 13. Concurrency: 8 stations × 25 ask(1)/tell cycles on one database at once.
cdb="$tmp/conc.db"
make_db "$cdb"
k=1
while [ $k -le 8 ]; do
  (
    i=1
    while [ $i -le 25 ]; do
      id=$("$INVDES" ask --db "$cdb" -n 1 --station "s$k" --format json 2>>"$tmp/conc.err" | jq -r '.[0].id')
      echo "$id" >>"$tmp/conc.$k"
      "$INVDES" tell --db "$cdb" "$id" capacity="$k$i" voltage=3.7 --station "s$k" -q 2>>"$tmp/conc.err" ||
        echo "tell $id failed" >>"$tmp/conc.err"
      i=$((i + 1))
    done
  ) &
  k=$((k + 1))
done
wait
[ ! -s "$tmp/conc.err" ] && ok || bad "concurrency errors: $(head -c 600 "$tmp/conc.err")"
cat "$tmp"/conc.[1-8] >"$tmp/conc.ids"
[ "$(grep -cE '^[0-9]+$' "$tmp/conc.ids")" -eq 200 ] && ok || bad "concurrency: $(wc -l <"$tmp/conc.ids") ids handed out"
[ "$(sort -u "$tmp/conc.ids" | wc -l)" -eq 200 ] && ok || bad "concurrency: $(sort -u "$tmp/conc.ids" | wc -l) distinct proposals, wanted 200"
"$INVDES" status --db "$cdb" --format json >"$tmp/conc.json"
jq -e '.counts.proposals == 200 and .counts.done == 200 and .counts.results == 400 and .evaluated == 200' \
  "$tmp/conc.json" >/dev/null && ok || bad "concurrency status: $(cat "$tmp/conc.json" | head -c 400)"

finish station.sh
