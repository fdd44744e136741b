#!/bin/sh
# pareto.sh — a multi-objective campaign end to end (issue 10, item 1):
# capacity and retention maximized, voltage a window, no weights. Results
# told by hand with ties, duplicates, failures, window misses and partial
# reports; then `best` (text, csv, json) must list exactly the front a
# brute-force filter finds in the export, sorted by the first objective;
# `export` must give every result its Pareto rank (peeled by brute force
# here); `status` must give the front's size and the hypervolume computed
# here from the documented reference rule. The same campaign with one
# weight keeps today's single best and export columns. A pool campaign run
# by the dataset objective shows the front in its progress line.
# Needs $INVDES, $top_srcdir (set by make check) and jq.
. "$(dirname "$0")/lib.sh"
: "${top_srcdir:?top_srcdir must name the source tree}"
need pareto.sh jq

write_campaign() { # NAME WEIGHT (e.g. ", weight: 1")
  cat >"$tmp/$1.yaml" <<EOF
name: $1
seed: 5
parameters:
  - {name: x, type: continuous, bounds: [0, 1]}
targets:
  - {name: capacity, goal: maximize, unit: mAh/g$2}
  - {name: voltage, goal: window, window: [3.6, 3.9], unit: V}
  - {name: retention, goal: maximize, unit: "%"}
objective: {kind: station}
strategy: {kind: random, batch: 1}
budget: {evaluations: 100}
EOF
}

# One line per proposal: capacity voltage retention, FAIL, or PART capacity.
cat >"$tmp/values" <<'EOF'
200 3.7 80
180 3.7 90
220 4.0 95
200 3.8 80
FAIL
190 3.65 85
170 3.65 70
200 3.6 80
210 3.9 60
210 3.55 99
PART 250
150 3.75 99
150 3.75 99
185 3.7 85
205 3.7 75
205 3.7 75
160 3.62 92
FAIL
175 3.88 88
195 3.61 82
EOF

tell_all() { # DB
  n=$(wc -l <"$tmp/values")
  "$INVDES" ask --db "$1" -n "$n" --format json | jq -r '.[].id' >"$tmp/ids"
  paste -d ' ' "$tmp/ids" "$tmp/values" | while read -r id a b c; do
    case $a in
      FAIL) "$INVDES" tell --db "$1" "$id" --failed "cracked" ;;
      PART) "$INVDES" tell --db "$1" "$id" capacity="$b" ;;
      *) "$INVDES" tell --db "$1" "$id" capacity="$a" voltage="$b" retention="$c" ;;
    esac >/dev/null || echo "tell $id failed"
  done
}

write_campaign mo ""
"$INVDES" init "$tmp/mo.yaml" --db "$tmp/mo.db" >/dev/null && ok || bad "init"
[ -z "$(tell_all "$tmp/mo.db")" ] && ok || bad "telling the results"
# the database records no weight (NULL) for a campaign that gave none
[ "$(sqlite3 "$tmp/mo.db" "SELECT count(*) FROM targets WHERE weight IS NULL AND goal = 'maximize'")" = 2 ] &&
  ok || bad "weights not given are recorded as NULL"

# The brute force, on the export: candidates meet the window and have both
# objectives; rank by peeling the non-dominated set off, again and again.
expect_exit 0 "export json" "$INVDES" export --db "$tmp/mo.db" --format json
cp "$tmp/out" "$tmp/export.json"
cat >"$tmp/brute.jq" <<'EOF'
def cand: .status == "done" and .capacity != null and .retention != null
          and .voltage != null and .voltage >= 3.6 and .voltage <= 3.9;
def beats($a): .capacity >= $a.capacity and .retention >= $a.retention
               and (.capacity > $a.capacity or .retention > $a.retention);
def peel($r): if length == 0 then [] else
  . as $s | [ .[] | . as $a | select(($s | map(beats($a)) | any) | not) | {id, rank: $r} ] as $f
  | ($f | map(.id)) as $ids | [$f[]] + ([ $s[] | select(.id as $i | $ids | index($i) | not) ] | peel($r + 1))
  end;
[ .[] | select(cand) ] | peel(0)
EOF
jq -c -f "$tmp/brute.jq" "$tmp/export.json" >"$tmp/ranks.json"
jq -e 'length == 15' "$tmp/ranks.json" >/dev/null && ok || bad "fixture: 15 candidates, got $(cat "$tmp/ranks.json")"
# export's pareto_rank agrees with the peel, and is null off every front
jq -e --slurpfile r "$tmp/ranks.json" '
  ($r[0] | map({key: (.id | tostring), value: .rank}) | from_entries) as $want
  | all(.[]; .pareto_rank == $want[.id | tostring])' "$tmp/export.json" >/dev/null &&
  ok || bad "export pareto_rank differs from the brute force: $(jq -c 'map({id, pareto_rank})' "$tmp/export.json")"
expect_exit 0 "export csv" "$INVDES" export --db "$tmp/mo.db"
head -n 1 "$tmp/out" | grep -q "^id,batch,status,x,capacity,voltage,retention,pareto_rank,capacity_sd," &&
  ok || bad "export csv header: $(head -n 1 "$tmp/out")"

# best lists exactly the rank-0 results, capacity best first, then retention
jq -c '[.[] | select(.rank == 0) | .id]' "$tmp/ranks.json" >"$tmp/front_ids"
jq -c --slurpfile f "$tmp/front_ids" '[.[] | select(.id as $i | $f[0] | index($i))]
  | sort_by([-.capacity, -.retention, .id]) | map(.id)' "$tmp/export.json" >"$tmp/want_order"
expect_exit 0 "best json" "$INVDES" best --db "$tmp/mo.db" --format json
jq -e --slurpfile w "$tmp/want_order" '.ranking == "pareto" and (.front | map(.id)) == $w[0]
  and .n_front == ($w[0] | length) and .n_meeting == 15 and .n_results == 20
  and all(.front[]; .pareto_rank == 0)' "$tmp/out" >/dev/null &&
  ok || bad "best json front: $(jq -c '{front: [.front[].id], n_front, n_meeting}' "$tmp/out"), wanted $(cat "$tmp/want_order")"
cp "$tmp/out" "$tmp/best.json"
expect_exit 0 "best csv" "$INVDES" best --db "$tmp/mo.db" --format csv
[ "$(tail -n +2 "$tmp/out" | cut -d, -f1 | paste -sd, -)" = "$(jq -r 'map(tostring) | join(",")' "$tmp/want_order")" ] &&
  ok || bad "best csv rows: $(cat "$tmp/out")"
head -n 1 "$tmp/out" | grep -q "^id,batch,status,x,capacity,voltage,retention,pareto_rank," && ok ||
  bad "best csv has the export's columns: $(head -n 1 "$tmp/out")"
expect_exit 0 "best text" "$INVDES" best --db "$tmp/mo.db"
grep -q "^best: the Pareto front, $(jq length "$tmp/want_order") results (of 15 meeting every condition; 20 results), best capacity first" \
  "$tmp/out" && ok || bad "best text headline: $(cat "$tmp/out")"

# The hypervolume: reference = worst + 10% of the range per objective over
# the candidates; the 2-d staircase of the front, capacity best first.
hv=$(jq -r --slurpfile f "$tmp/front_ids" '
  def cand: .status == "done" and .capacity != null and .retention != null
            and .voltage >= 3.6 and .voltage <= 3.9;
  [.[] | select(cand)] as $c
  | ($c | map(.capacity) | min) as $clo | ($c | map(.capacity) | max) as $chi
  | ($c | map(.retention) | min) as $rlo | ($c | map(.retention) | max) as $rhi
  | ($clo - 0.1 * ($chi - $clo)) as $cref | ($rlo - 0.1 * ($rhi - $rlo)) as $rref
  | [$c[] | select(.id as $i | $f[0] | index($i))] | sort_by([-.capacity, -.retention])
  | reduce range(0; length) as $k (
      {hv: 0, top: $rref, pts: .};
      .pts[$k] as $p | .top = ([.top, $p.retention] | max)
      | .hv += ($p.capacity - (if $k + 1 < (.pts | length) then .pts[$k + 1].capacity else $cref end)) * (.top - $rref))
  | .hv' "$tmp/export.json")
jq -e --argjson hv "$hv" '(.hypervolume - $hv | fabs) <= 1e-9 * $hv and $hv > 0' "$tmp/best.json" >/dev/null &&
  ok || bad "best json hypervolume $(jq .hypervolume "$tmp/best.json"), computed here $hv"
expect_exit 0 "status json" "$INVDES" status --db "$tmp/mo.db" --format json
jq -e --slurpfile b "$tmp/best.json" '.best.hypervolume == $b[0].hypervolume
  and .best.n_front == $b[0].n_front and .best.ranking == "pareto"' "$tmp/out" >/dev/null &&
  ok || bad "status json front: $(jq -c '.best | {hypervolume, n_front}' "$tmp/out")"
expect_exit 0 "status" "$INVDES" status --db "$tmp/mo.db"
grep -q "^front      $(jq length "$tmp/want_order") results on the Pareto front, of 15 meeting every condition" "$tmp/out" &&
  grep -q "^hypervolume $(jq -r '.hypervolume' "$tmp/best.json" | sed 's/\.0$//')$" "$tmp/out" &&
  ! grep -q "^best:" "$tmp/out" && ok || bad "status text: $(cat "$tmp/out")"

# A reference given in the campaign is recorded and used; changing it is allowed.
sed 's/unit: "%"}/unit: "%", reference: 50}/' "$tmp/mo.yaml" >"$tmp/ref.yaml"
sed -i 's/^name: mo$/name: ref/' "$tmp/ref.yaml"
"$INVDES" init "$tmp/ref.yaml" --db "$tmp/ref.db" >/dev/null && ok || bad "init with a reference"
[ "$(sqlite3 "$tmp/ref.db" "SELECT reference FROM targets WHERE name = 'retention'")" = 50.0 ] && ok ||
  bad "reference recorded: $(sqlite3 "$tmp/ref.db" "SELECT name, reference FROM targets")"
[ -z "$(tell_all "$tmp/ref.db")" ] && ok || bad "telling the results (reference)"
expect_exit 0 "best json, reference" "$INVDES" best --db "$tmp/ref.db" --format json
jq -e '.reference[1] == {target: "retention", value: 50, given: true} and .reference[0].given == false' \
  "$tmp/out" >/dev/null && ok || bad "best json names the reference: $(jq -c .reference "$tmp/out")"

# validate says the campaign is multi-objective and shows the references
expect_exit 0 "validate the example" "$INVDES" validate "$top_srcdir/campaigns/redox-tradeoff.yaml"
grep -qE "^ered +minimize, reference 3.4 +V vs Li/Li\+$" "$tmp/out" &&
  grep -q "several objectives, no weights: the answer is their Pareto front" "$tmp/out" && ok ||
  bad "validate of a multi-objective campaign: $(cat "$tmp/out")"

# One weight: today's weighted sum, one best, no pareto_rank column.
write_campaign weighted ", weight: 1"
"$INVDES" validate "$tmp/weighted.yaml" | grep -q "several objectives" && bad "weighted is no front" || ok
"$INVDES" init "$tmp/weighted.yaml" --db "$tmp/weighted.db" >/dev/null && ok || bad "init weighted"
[ -z "$(tell_all "$tmp/weighted.db")" ] && ok || bad "telling the results (weighted)"
expect_exit 0 "best json, weighted" "$INVDES" best --db "$tmp/weighted.db" --format json
jq -e '.ranking == "meets_all" and .targets[0].value + .targets[2].value == 280' "$tmp/out" >/dev/null &&
  ok || bad "weighted best is the largest capacity + retention: $(cat "$tmp/out")"
expect_exit 0 "export weighted" "$INVDES" export --db "$tmp/weighted.db"
head -n 1 "$tmp/out" | grep -q "pareto_rank" && bad "a weighted campaign has no pareto_rank" || ok
expect_exit 0 "best csv, weighted" "$INVDES" best --db "$tmp/weighted.db" --format csv
[ "$(wc -l <"$tmp/out")" -eq 2 ] && ok || bad "weighted best csv: one row: $(cat "$tmp/out")"

# A run: the progress line gives the front's size and hypervolume, the same
# as status's once the run is over.
cat >"$tmp/pool.csv" <<'EOF'
id,x,capacity,voltage,retention
a,1,217.77,3.567,90
b,2,215.09,3.71,80
c,3,190,3.8,88
d,4,230,4.2,99
e,5,205,3.65,85
f,6,212,3.88,70
g,7,180,3.5,95
h,8,199,3.75,86
EOF
printf 'name: run\nseed: 3\npool: {file: pool.csv, id: id, features: [x]}\ntargets:\n  - {name: capacity, goal: maximize}\n  - {name: voltage, goal: window, window: [3.6, 3.9]}\n  - {name: retention, goal: maximize}\nobjective: {kind: dataset}\nstrategy: {kind: random}\nbudget: {evaluations: 8}\n' >"$tmp/run.yaml"
expect_exit 0 "run" "$INVDES" run "$tmp/run.yaml" --db "$tmp/run.db"
cp "$tmp/err" "$tmp/run.err"
expect_exit 0 "status json after the run" "$INVDES" status --db "$tmp/run.db" --format json
want=$(jq -r '"front \(.best.n_front), hypervolume \(.best.hypervolume)"' "$tmp/out")
# b, c, e, f, h meet the window; f (212, 70) is behind b (215.09, 80)
jq -e '.best.n_front == 4 and .best.n_meeting == 5' "$tmp/out" >/dev/null && ok ||
  bad "run's front: $(jq -c .best "$tmp/out")"
line=$(grep "^invdes run: 8/8 results" "$tmp/run.err" | tail -n 1)
hv_line=$(echo "$line" | sed -n 's/.*; front \([0-9]*\), hypervolume \([^;]*\);.*/\1 \2/p')
[ -n "$hv_line" ] && [ "$(echo "$hv_line" | cut -d' ' -f1)" = 4 ] &&
  jq -en --argjson a "$(echo "$hv_line" | cut -d' ' -f2)" --slurpfile s "$tmp/out" \
    '($a - $s[0].best.hypervolume | fabs) <= 1e-5 * $a' >/dev/null && ok ||
  bad "progress line '$line' against status '$want'"

finish pareto.sh
