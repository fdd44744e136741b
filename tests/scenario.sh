#!/bin/sh
# scenario.sh — a laboratory's month with one campaign database, as issue 8
# describes it: three stations with leases, a sabotage attempt by the wrong
# station, a late result, an amendment, a retraction, 20 prior experiments
# imported, and a migration to a grown campaign. After every step the best
# that `best` and `status` name, and the counts `status` gives, must agree
# with what this script computes itself from `export` (rank.py below: meets
# every condition first, then the objective; else the fewest unmeasured
# conditions, then the least normalized violation; ties to the older id).
# Needs $INVDES, $top_srcdir, python3, jq and sqlite3.
. "$(dirname "$0")/lib.sh"
: "${top_srcdir:?top_srcdir must name the source tree}"
need scenario.sh python3 jq sqlite3

cat >"$tmp/lab.yaml" <<'EOF'
name: scenario
seed: 5
parameters:
  - {name: sinter_T, type: continuous, bounds: [700, 950], unit: degC}
  - {name: dwell_h, type: integer, bounds: [1, 12]}
  - {name: dopant, type: categorical, values: [none, Al, Mg]}
targets:
  - {name: capacity, goal: maximize, unit: mAh/g, range: [0, 400]}
  - {name: voltage, goal: window, window: [3.6, 3.9], unit: V}
objective: {kind: station}
strategy: {kind: random, batch: 3}
budget: {evaluations: 200}
EOF
# The grown campaign: a wider temperature range and a new dopant.
sed -e 's/bounds: \[700, 950\]/bounds: [650, 1000]/' -e 's/\[none, Al, Mg\]/[none, Al, Mg, Ti]/' \
  -e 's/name: scenario/name: scenario-grown/' "$tmp/lab.yaml" >"$tmp/grown.yaml"

# The independent ranking: reads an export (JSON) on stdin, prints the id of
# the best proposal (0 when none has a value) and the count of proposals
# that have a value and that meet every condition.
cat >"$tmp/rank.py" <<'EOF'
import json, sys
rows = json.load(sys.stdin)
lo, hi = 3.6, 3.9
def key(r):
    cap, volt = r["capacity"], r["voltage"]
    if volt is not None and lo <= volt <= hi:
        return (0, 0, 0.0, -cap if cap is not None else float("inf"), cap is None, r["id"])
    unmeasured = 1 if volt is None else 0
    viol = 0.0 if volt is None else (lo - volt if volt < lo else volt - hi) / (hi - lo)
    return (1, unmeasured, viol, -cap if cap is not None else float("inf"), cap is None, r["id"])
ranked = [r for r in rows if r["status"] in ("done", "partial")
          and (r["capacity"] is not None or r["voltage"] is not None)]
meeting = [r for r in ranked if r["voltage"] is not None and lo <= r["voltage"] <= hi]
best = min(ranked, key=key)["id"] if ranked else 0
print(best, len(ranked), len(meeting))
EOF

# agree DB STEP: best, status and export tell the same story.
agree() {
  db=$1 step=$2
  "$INVDES" export --db "$db" --format json >"$tmp/x.json" || { bad "$step: export"; return; }
  set -- $(python3 "$tmp/rank.py" <"$tmp/x.json")
  want=$1 n_ranked=$2 n_meeting=$3
  "$INVDES" best --db "$db" --format json >"$tmp/b.json" 2>"$tmp/b.err"
  got=$(jq -r '.proposal // 0' "$tmp/b.json" 2>/dev/null)
  [ "$got" = "$want" ] && ok || bad "$step: best names ${got:-nothing}, the ranking $want ($(cat "$tmp/b.err"))"
  "$INVDES" status --db "$db" --format json >"$tmp/s.json" || { bad "$step: status"; return; }
  [ "$(jq -r '.best.proposal // 0' "$tmp/s.json")" = "$want" ] && ok ||
    bad "$step: status names $(jq -c '.best.proposal' "$tmp/s.json"), the ranking $want"
  if [ "$want" != 0 ]; then
    [ "$(jq -r '.n_ranked' "$tmp/b.json")" = "$n_ranked" ] &&
      [ "$(jq -r '.n_meeting' "$tmp/b.json")" = "$n_meeting" ] && ok ||
      bad "$step: best counts $(jq -c '[.n_ranked, .n_meeting]' "$tmp/b.json"), the export [$n_ranked, $n_meeting]"
  fi
  for st in done partial failed abandoned; do
    n=$(jq "[.[] | select(.status == \"$st\")] | length" "$tmp/x.json")
    [ "$(jq -r ".counts.$st" "$tmp/s.json")" = "$n" ] && ok ||
      bad "$step: status counts $(jq -r ".counts.$st" "$tmp/s.json") $st, the export $n"
  done
}
# ids STATION N FILE: N proposals for STATION (lease 1 h), ids into FILE.
ids() {
  "$INVDES" ask --db "$db" -n "$2" --station "$1" --lease 3600 --format json |
    jq -r '.[].id' >"$3" || bad "ask for $1"
}

db="$tmp/lab.db"
"$INVDES" init "$tmp/lab.yaml" --db "$db" >/dev/null || bad "init"
agree "$db" "empty"

# 1. Three stations take work under their own leases.
ids s1 3 "$tmp/s1"
ids s2 3 "$tmp/s2"
"$INVDES" ask --db "$db" -n 2 --station s3 --lease 1 --format json | jq -r '.[].id' >"$tmp/s3"
[ "$(sort -u "$tmp/s1" "$tmp/s2" "$tmp/s3" | wc -l)" -eq 8 ] && ok || bad "eight distinct proposals"
a1=$(sed -n 1p "$tmp/s1") a2=$(sed -n 2p "$tmp/s1") a3=$(sed -n 3p "$tmp/s1")
b1=$(sed -n 1p "$tmp/s2") b2=$(sed -n 2p "$tmp/s2") b3=$(sed -n 3p "$tmp/s2")
c1=$(sed -n 1p "$tmp/s3")

# 2. Sabotage: s2 reports on, fails, gives back and heartbeats s1's work; no
#    station named at all; every attempt is "not yours" and changes nothing.
before=$(dump_sum "$db")
expect_exit 3 "s2 tells s1's proposal" "$INVDES" tell --db "$db" --station s2 "$a1" capacity=399 voltage=3.7
grep -q "s1" "$tmp/err" && ok || bad "the refusal names the holder: $(cat "$tmp/err")"
expect_exit 3 "s2 fails s1's proposal" "$INVDES" tell --db "$db" --station s2 "$a1" --failed "sabotage"
expect_exit 3 "s2 gives s1's proposal back" "$INVDES" tell --db "$db" --station s2 "$a2" --abandon
expect_exit 3 "s2 heartbeats s1's proposal" "$INVDES" heartbeat --db "$db" --station s2 "$a3"
expect_exit 3 "an unnamed report on s1's proposal" "$INVDES" tell --db "$db" "$a1" capacity=1 voltage=3.7
[ "$(dump_sum "$db")" = "$before" ] && ok || bad "the sabotage changed the database"
agree "$db" "after the sabotage"

# 3. The stations report; s1's third fails; s2's third comes half (partial).
expect_exit 0 "s1 reports" "$INVDES" tell --db "$db" --station s1 "$a1" capacity=215.09 voltage=3.71
expect_exit 0 "s1 reports" "$INVDES" tell --db "$db" --station s1 "$a2" capacity=217.77 voltage=3.567
expect_exit 0 "s1 fails one" "$INVDES" tell --db "$db" --station s1 "$a3" --failed "furnace trip"
expect_exit 0 "s2 reports" "$INVDES" tell --db "$db" --station s2 "$b1" capacity=190 voltage=3.8
expect_exit 0 "s2 reports" "$INVDES" tell --db "$db" --station s2 "$b2" capacity=230 voltage=3.95
expect_exit 0 "s2 reports half" "$INVDES" tell --db "$db" --station s2 "$b3" capacity=250
agree "$db" "after the reports"
"$INVDES" export --db "$db" --format json | jq -r ".[] | select(.id == $b3) | .status" >"$tmp/st"
[ "$(cat "$tmp/st")" = partial ] && ok || bad "a half report is partial, not $(cat "$tmp/st")"

# 4. A late result: s3's lease (1 s) runs out; its result is still taken, once.
sleep 1.2
expect_exit 0 "s3's late result" "$INVDES" tell --db "$db" --station s3 "$c1" capacity=205 voltage=3.65
expect_exit 2 "the same late result again" "$INVDES" tell --db "$db" --station s3 "$c1" capacity=205 voltage=3.65
[ "$(sqlite3 "$db" "SELECT count(*) FROM events WHERE kind = 'late_result' AND proposal = $c1")" = 1 ] &&
  ok || bad "one late_result event"
agree "$db" "after the late result"

# 5. An amendment (the balance was misread) and a retraction (a shorted cell).
expect_exit 0 "amend" "$INVDES" amend --db "$db" "$b1" capacity=240 --reason "misread the balance" --station s2
agree "$db" "after the amendment"
[ "$(jq -r '.proposal' "$tmp/b.json")" = "$b1" ] && ok || bad "the amended result is the best now"
expect_exit 0 "retract" "$INVDES" retract --db "$db" "$b1" --reason "cell shorted" --station s2
agree "$db" "after the retraction"
[ "$(jq -r '.proposal' "$tmp/b.json")" = "$a1" ] && ok || bad "the best after the retraction is s1's $a1"
"$INVDES" export --db "$db" --history --format json >"$tmp/h.json"
[ "$(jq "[.[] | select(.id == $b1 and .target == \"capacity\")] | length" "$tmp/h.json")" = 3 ] && ok ||
  bad "capacity of $b1 has three versions (recorded, amended, retracted)"

# 6. Twenty experiments made before the campaign.
python3 - "$tmp/prior.csv" <<'EOF'
import sys
with open(sys.argv[1], "w") as f:
    f.write("sinter_T,dwell_h,dopant,capacity,voltage\n")
    for i in range(20):
        f.write("%g,%d,%s,%g,%g\n" % (700 + 12.5 * i, 1 + i % 12, ["none", "Al", "Mg"][i % 3],
                                      150 + 3 * i, 3.5 + 0.02 * i))
EOF
expect_exit 0 "import 20 prior rows" "$INVDES" import --db "$db" "$tmp/prior.csv" --station lab
[ "$("$INVDES" export --db "$db" --format json | jq '[.[] | select(.strategy == "import")] | length')" = 20 ] &&
  ok || bad "20 imported proposals"
agree "$db" "after the import"

# 7. The campaign grows: every result inside the new space is carried over.
expect_exit 0 "init --from" "$INVDES" init "$tmp/grown.yaml" --db "$tmp/grown.db" --from "$db"
grep -q "carried" "$tmp/out" && ok || bad "init --from says what it carried: $(cat "$tmp/out")"
agree "$tmp/grown.db" "after the migration"
"$INVDES" export --db "$db" --format json >"$tmp/old.json"
"$INVDES" export --db "$tmp/grown.db" --format json >"$tmp/new.json"
valued='[.[] | select(.status == "done" and (.capacity != null or .voltage != null))'
[ "$(jq "$valued | [.capacity, .voltage]] | sort" "$tmp/new.json")" = \
  "$(jq "$valued | [.capacity, .voltage]] | sort" "$tmp/old.json")" ] && ok ||
  bad "the grown campaign holds exactly the old campaign's done results"
"$INVDES" best --db "$db" --format json | jq -c '[.targets[].value]' >"$tmp/best_old"
"$INVDES" best --db "$tmp/grown.db" --format json | jq -c '[.targets[].value]' >"$tmp/best_new"
cmp -s "$tmp/best_old" "$tmp/best_new" && ok ||
  bad "the grown campaign's best is the old one's: $(cat "$tmp/best_new") vs $(cat "$tmp/best_old")"

finish scenario.sh
