#!/bin/sh
# runs.sh — `invdes run` processes sharing one database (issue 8, Found 4).
# The design: one run loop per database. A second `invdes run` on a database
# another live run is working on refuses at once with exit 1 ("busy, retry
# later") and evaluates nothing; stations (ask/tell) are not affected. The
# lock is the kernel's, so a run killed with SIGKILL never blocks the next.
# Checked with a command evaluator that logs every call: with two and with
# four runs started together every proposal is evaluated exactly once, the
# campaign completes, and the record equals the one a single run makes with
# the same seed (every column but the timestamps); after a SIGKILL the next
# run resumes at once and completes. Needs $INVDES; bounded by the
# evaluator's 0.05 s per call (24 calls per campaign).
. "$(dirname "$0")/lib.sh"

cat >"$tmp/eval.sh" <<'EOF'
#!/bin/sh
# Logs the request (one line, it holds the proposal's id), answers after a
# moment so that runs started together overlap.
req=$(cat)
printf '%s\n' "$req" >>"$RUNS_LOG"
sleep 0.05
echo '{"y": 1}'
EOF
chmod +x "$tmp/eval.sh"
cat >"$tmp/runs.yaml" <<EOF
name: shared-runs
seed: 5
parameters:
  - {name: x, type: continuous, bounds: [0, 1]}
  - {name: n, type: integer, bounds: [1, 9]}
targets:
  - {name: y, goal: maximize}
objective:
  kind: command
  command: ["$tmp/eval.sh"]
  timeout: 30
strategy: {kind: random, batch: 2}
budget: {evaluations: 24}
EOF
# snapshot DB: the export without created/updated (the last two columns).
snapshot() { "$INVDES" export --db "$1" | awk -F, 'BEGIN { OFS = "," } { NF -= 2; print }'; }
# ids LOG: every proposal id the evaluator was called for, one a line.
ids() { sed 's/.*"id": *\([0-9]*\).*/\1/' "$1"; }

# The reference: one run alone.
RUNS_LOG="$tmp/one.log" "$INVDES" run "$tmp/runs.yaml" --db "$tmp/one.db" --quiet >/dev/null 2>&1 \
  && ok || bad "a single run failed"
export RUNS_LOG
snapshot "$tmp/one.db" >"$tmp/one.csv"
[ "$(wc -l <"$tmp/one.log")" -eq 24 ] && ok || bad "a single run made $(wc -l <"$tmp/one.log") calls, wanted 24"

# together N: starts N runs on one database as close together as the shell can.
together() {
  n=$1 db="$tmp/together$1.db"
  RUNS_LOG="$tmp/together$n.log"
  : >"$RUNS_LOG"
  "$INVDES" init "$tmp/runs.yaml" --db "$db" >/dev/null || bad "init for $n runs"
  pids=""
  for k in $(seq "$n"); do
    "$INVDES" run "$tmp/runs.yaml" --db "$db" --quiet >"$tmp/run$k.out" 2>"$tmp/run$k.err" &
    pids="$pids $!"
  done
  k=0 completed=0 refused=0
  for p in $pids; do
    k=$((k + 1))
    wait "$p"; rc=$?
    if [ "$rc" -eq 0 ]; then completed=$((completed + 1))
    elif [ "$rc" -eq 1 ] && grep -q "another \`invdes run\` is working on this database" "$tmp/run$k.err"
    then refused=$((refused + 1))
    else bad "$n runs: run $k exit $rc: $(head -c 300 "$tmp/run$k.err")"
    fi
  done
  [ "$completed" -ge 1 ] && [ $((completed + refused)) -eq "$n" ] && ok \
    || bad "$n runs: $completed completed, $refused refused"
  # Every proposal evaluated exactly once, all 24, whoever ran them.
  [ "$(ids "$RUNS_LOG" | sort | uniq -d | wc -l)" -eq 0 ] && ok \
    || bad "$n runs: evaluated twice: $(ids "$RUNS_LOG" | sort | uniq -d | tr '\n' ' ')"
  [ "$(ids "$RUNS_LOG" | sort -u | wc -l)" -eq 24 ] && ok \
    || bad "$n runs: $(ids "$RUNS_LOG" | sort -u | wc -l) proposals evaluated, wanted 24"
  snapshot "$db" >"$tmp/together$n.csv"
  cmp -s "$tmp/one.csv" "$tmp/together$n.csv" && ok \
    || bad "$n runs: the record differs from a single run's: $(diff "$tmp/one.csv" "$tmp/together$n.csv" | head -5)"
}
together 2
together 4

# A run refused while another works, named in the message; it evaluates nothing.
RUNS_LOG="$tmp/busy.log"
: >"$RUNS_LOG"
"$INVDES" run "$tmp/runs.yaml" --db "$tmp/busy.db" --quiet >/dev/null 2>&1 &
first=$!
i=0
while [ ! -s "$RUNS_LOG" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
expect_exit 1 "a second run while the first works" "$INVDES" run "$tmp/runs.yaml" --db "$tmp/busy.db"
grep -q "busy.db: another \`invdes run\` is working on this database" "$tmp/err" && ok \
  || bad "the refusal names the database and the reason: $(cat "$tmp/err")"
wait "$first" && ok || bad "the first run did not complete"
[ "$(ids "$RUNS_LOG" | sort | uniq -d | wc -l)" -eq 0 ] && ok || bad "busy: a proposal evaluated twice"

# A run killed with SIGKILL does not block the next one, which completes the
# campaign with the same record as a single run.
RUNS_LOG="$tmp/kill.log"
: >"$RUNS_LOG"
"$INVDES" run "$tmp/runs.yaml" --db "$tmp/kill.db" --quiet >/dev/null 2>&1 &
victim=$!
i=0
while [ "$(wc -l <"$RUNS_LOG")" -lt 5 ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
kill -9 "$victim"
wait "$victim" 2>/dev/null
expect_exit 0 "a run after a SIGKILLed one" "$INVDES" run "$tmp/runs.yaml" --db "$tmp/kill.db" --quiet
snapshot "$tmp/kill.db" >"$tmp/kill.csv"
cmp -s "$tmp/one.csv" "$tmp/kill.csv" && ok \
  || bad "after a kill: the record differs from a single run's: $(diff "$tmp/one.csv" "$tmp/kill.csv" | head -5)"

# A grid over a continuous space ends when the grid is used up (4 points of
# a budget of 10), and says that it is the grid, not the space.
printf 'name: g\nseed: 1\nparameters:\n  - {name: x1, type: continuous, bounds: [-5, 10]}\n  - {name: x2, type: continuous, bounds: [0, 15]}\ntargets: [{name: y, goal: minimize}]\nobjective: {kind: builtin, name: branin}\nstrategy: {kind: grid, grid: {levels: 2}}\nbudget: {evaluations: 10}\n' >"$tmp/grid.yaml"
expect_exit 0 "a grid run" "$INVDES" run "$tmp/grid.yaml" --db "$tmp/grid.db"
grep -q "the strategy can propose (the space's, or its grid's) has been tried" "$tmp/err" \
  && ok || bad "grid run: why it stopped: $(cat "$tmp/err")"
"$INVDES" status --db "$tmp/grid.db" | grep -q "^results *4 / 10" && ok \
  || bad "grid run: 4 results: $("$INVDES" status --db "$tmp/grid.db" | head -3)"

# A run beside a station (README: stations may ask and tell meanwhile): the
# station's 3 proposals hold their place in the budget; the run evaluates
# the other 21 (a last round smaller than its batch too), then says the rest
# is held by stations and exits 4, not 0 with "every candidate has been
# tried" after 20; once the station reports, the campaign is complete.
RUNS_LOG="$tmp/mixed.log"
: >"$RUNS_LOG"
"$INVDES" init "$tmp/runs.yaml" --db "$tmp/mixed.db" >/dev/null || bad "init for the mixed run"
"$INVDES" ask --db "$tmp/mixed.db" -n 3 --station robot --format csv >"$tmp/mixed.ask" \
  || bad "the station's ask failed"
expect_exit 4 "a run whose last budget is held by a station" \
  "$INVDES" run "$tmp/runs.yaml" --db "$tmp/mixed.db" --quiet
grep -q "held by proposals out with stations" "$tmp/err" && ok \
  || bad "the run says why it stops: $(cat "$tmp/err")"
[ "$(ids "$RUNS_LOG" | sort -u | wc -l)" -eq 21 ] && ok \
  || bad "mixed: the run evaluated $(ids "$RUNS_LOG" | sort -u | wc -l) proposals, wanted 21"
for id in $(tail -n +2 "$tmp/mixed.ask" | cut -d, -f1); do
  "$INVDES" tell --db "$tmp/mixed.db" --station robot -q "$id" y=2 || bad "tell $id"
done
"$INVDES" status --db "$tmp/mixed.db" | grep -q "^results    24 / 24" && ok \
  || bad "mixed: $("$INVDES" status --db "$tmp/mixed.db" | grep '^results')"

finish runs.sh
