#!/bin/sh
# slurm.sh — the slurm objective (objectives/slurm*.c) on a real one-node
# Slurm started by tests/slurm_lib.sh (munged, slurmctld, slurmd; stopped at
# the end). Skipped (77) with INVDES_SLURM_TESTS=0 or when not root; FAILS
# when Slurm is not installed.
#  A. a 60-evaluation bo campaign, batch 8, array_max 2, tasks sleeping 1-3
#     s: completes; every proposal ran exactly once; arrays of 8 in Slurm.
#  B. the same campaign (tasks that do not sleep) with the coordinator SIGKILLed 10
#     times at seeded random moments and restarted: the same proposals and
#     results as A, no proposal in two submitted jobs (an intent killed
#     before its sbatch ran is followed by a new one), each ran once. B runs
#     beside A: the two share the node.
#  C. a task scancel'ed and the node set DOWN while tasks run: retried; a
#     script exiting 1 fails at once with its stderr tail; a result.json that
#     is not JSON fails.
#  D. SIGINT leaves the jobs running and says so; `invdes cancel` cancels
#     them; the next run submits anew without spending a retry.
#  E. the coordinator SIGKILLed after sbatch submitted, before it recorded
#     the job id (an sbatch shim kills it): the next run finds the job by
#     its tag and submits nothing.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/slurm_lib.sh"
slurm_skip_or_need slurm.sh
# A run whose cluster stops answering keeps polling it (as it should: a
# controller may come back), which would hang CI. After
# INVDES_SLURM_WATCHDOG seconds (600; the test takes about 2 minutes) the
# watchdog kills every process working in $tmp, again every 2 s, so the
# waiting checks fail and the test ends.
watchdog() {
  sleep "${INVDES_SLURM_WATCHDOG:-600}"
  echo "FAIL: slurm.sh: still running after ${INVDES_SLURM_WATCHDOG:-600} s (does the cluster answer?)"
  while :; do
    for d in /proc/[0-9]*; do
      case $(readlink "$d/cwd" 2>/dev/null) in "$tmp" | "$tmp"/*) kill -9 "${d#/proc/}" 2>/dev/null ;; esac
    done
    sleep 2
  done
}
watchdog &
watchdog_pid=$!
trap 'pkill -P "$watchdog_pid"; kill "$watchdog_pid" 2>/dev/null; slurm_down; rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM
slurm_up || exit 1
src="$top_srcdir/tests/slurm"
unset INVDES_TEST_FAIL_ID INVDES_TEST_BAD_ID

# campaign DIR [SED-EXPR]: a copy of the test campaign in $tmp/DIR.
campaign() {
  mkdir -p "$tmp/$1" && cp "$src/task.py" "$tmp/$1/" &&
    sed "${2:-s/^//}" "$src/branin.yaml" >"$tmp/$1/branin.yaml"
}
q() { sqlite3 "$1" "$2"; }
# wait_for SECONDS TEST...: polls every 0.1 s until TEST succeeds; 1 on time-out.
wait_for() {
  n=$(($1 * 10)); shift
  while [ "$n" -gt 0 ]; do "$@" && return 0; sleep 0.1; n=$((n - 1)); done
  return 1
}

# ---- A and B, side by side ---------------------------------------------------
campaign a
campaign b
(cd "$tmp/a" && INVDES_TEST_SLEEP=1-3 INVDES_TEST_LOG="$tmp/a/log" \
  "$INVDES" run -q branin.yaml >out 2>err; echo $? >rc) &
apid=$!
kills=0
k=1
while [ "$k" -le 10 ]; do
  (cd "$tmp/b" && INVDES_TEST_SLEEP=0 INVDES_TEST_LOG="$tmp/b/log" \
    exec "$INVDES" run -q branin.yaml 2>>err) &
  bpid=$!
  # a seeded moment 0.2-4 s into the run: asking, submitting, waiting, reading
  sleep "$(awk -v k="$k" 'BEGIN { srand(1000 + k); printf "%.2f", 0.2 + 3.8 * rand() }')"
  kill -9 "$bpid" 2>/dev/null && kills=$((kills + 1))
  wait "$bpid" 2>/dev/null
  k=$((k + 1))
done
[ "$kills" -ge 8 ] && ok || bad "B: only $kills of 10 kills found the run alive"
(cd "$tmp/b" && INVDES_TEST_SLEEP=0 INVDES_TEST_LOG="$tmp/b/log" \
  "$INVDES" run -q branin.yaml 2>>err)
[ $? -eq 0 ] && ok || bad "B: the last run failed: $(tail -3 "$tmp/b/err")"
wait "$apid"
[ "$(cat "$tmp/a/rc")" = 0 ] && ok || bad "A: exit $(cat "$tmp/a/rc"): $(tail -3 "$tmp/a/err")"
for r in a b; do
  db="$tmp/$r/branin.db"
  [ "$(q "$db" "SELECT status || count(*) FROM proposals GROUP BY status")" = done60 ] &&
    ok || bad "$r: not 60 done: $(q "$db" "SELECT status, count(*) FROM proposals GROUP BY 1")"
  [ "$(sort -n "$tmp/$r/log" | uniq | wc -l) $(wc -l <"$tmp/$r/log")" = "60 60" ] &&
    ok || bad "$r: every proposal must run once: $(sort -n "$tmp/$r/log" | uniq -d | head -5)"
  # an intent whose sbatch never ran (killed in between) has no scheduler id
  # and is legitimately followed by a second one; two submitted jobs are not
  [ -z "$(q "$db" "SELECT t.proposal FROM job_tasks t JOIN jobs j ON j.id = t.job
                   WHERE j.scheduler_id IS NOT NULL GROUP BY t.proposal HAVING count(*) > 1")" ] &&
    ok || bad "$r: a proposal was submitted twice: $(q "$db" "SELECT t.proposal, j.tag,
      coalesce(j.scheduler_id, '-') FROM job_tasks t JOIN jobs j ON j.id = t.job WHERE t.proposal IN
      (SELECT proposal FROM job_tasks GROUP BY proposal HAVING count(*) > 1)" | head -6 | tr '\n' ' ')"
done
db="$tmp/a/branin.db"
[ "$(q "$db" "SELECT group_concat(n, ' ') FROM (SELECT count(*) n FROM job_tasks GROUP BY job ORDER BY job)")" = "8 8 8 8 8 8 8 4" ] &&
  ok || bad "A: arrays: $(q "$db" "SELECT group_concat(n, ' ') FROM (SELECT count(*) n FROM job_tasks GROUP BY job)")"
# Slurm's own view: each job is one array of 8 tasks (the last of 4)
sizes=$(for id in $(q "$db" "SELECT scheduler_id FROM jobs ORDER BY id"); do
  squeue -h -r -t all -j "$id" -o %K | wc -l; done | tr '\n' ' ')
[ "$sizes" = "8 8 8 8 8 8 8 4 " ] && ok || bad "A: squeue shows arrays of $sizes"
scontrol show job -o "$(q "$db" "SELECT scheduler_id FROM jobs LIMIT 1")" |
  grep -q "ArrayTaskThrottle=2" && ok || bad "A: the arrays are not throttled to 2"
for t in "SELECT id, batch, iteration, parameters, status FROM proposals ORDER BY id" \
  "SELECT proposal, target, value FROM results ORDER BY proposal, target"; do
  [ "$(q "$tmp/a/branin.db" "$t")" = "$(q "$tmp/b/branin.db" "$t")" ] && ok ||
    bad "B (killed $kills times) differs from A: $t"
done

# ---- C: lost tasks are retried, a script's own failure is not ----------------
campaign c 's/evaluations: 60/evaluations: 6/; s/batch: 8/batch: 6/; s/retries: 1/retries: 2/; s/kind: bo/kind: random/'
(cd "$tmp/c" && INVDES_TEST_SLEEP=2 INVDES_TEST_FAIL_ID=5 INVDES_TEST_BAD_ID=6 \
  INVDES_TEST_LOG="$tmp/c/log" "$INVDES" run -q branin.yaml >out 2>err; echo $? >rc) &
cpid=$!
w="$tmp/c/slurm_branin.slurm"
db="$tmp/c/branin.db"
wait_for 30 test -f "$w/1/job" || bad "C: task 0 never started"
job=$(q "$db" "SELECT scheduler_id FROM jobs ORDER BY id LIMIT 1")
scancel "${job}_0" && ok || bad "C: scancel ${job}_0"
wait_for 30 test -f "$w/3/job" || bad "C: task 2 never started"
scontrol update nodename=localhost state=down reason=test && ok || bad "C: node down"
sleep 1
scontrol update nodename=localhost state=resume 2>/dev/null
slurm_idle 30 || slurm_idle 30 || bad "C: the node did not come back"
wait "$cpid"
[ "$(cat "$tmp/c/rc")" = 0 ] && ok || bad "C: exit $(cat "$tmp/c/rc"): $(tail -3 "$tmp/c/err")"
[ "$(q "$db" "SELECT group_concat(status, ' ') FROM (SELECT status FROM proposals ORDER BY id)")" = "done done done done failed failed" ] &&
  ok || bad "C: statuses $(q "$db" "SELECT group_concat(status || ':' || coalesce(reason, ''), ' | ') FROM proposals")"
[ "$(q "$db" "SELECT max(retries) >= 1 FROM job_tasks WHERE proposal = 1")" = 1 ] &&
  ok || bad "C: the cancelled task was not retried"
[ "$(q "$db" "SELECT max(retries) >= 1 FROM job_tasks WHERE proposal = 3")" = 1 ] &&
  ok || bad "C: the task on the DOWN node was not retried"
q "$db" "SELECT reason FROM proposals WHERE id = 5" | grep -q "exited 1.*solver diverged" &&
  ok || bad "C: exit 1's reason: $(q "$db" "SELECT reason FROM proposals WHERE id = 5")"
[ "$(q "$db" "SELECT count(*) FROM job_tasks WHERE proposal = 5")" = 1 ] &&
  ok || bad "C: the script's own failure was retried"
q "$db" "SELECT reason FROM proposals WHERE id = 6" | grep -q "result.json: output is not JSON" &&
  ok || bad "C: bad result.json: $(q "$db" "SELECT reason FROM proposals WHERE id = 6")"

# ---- D: SIGINT leaves jobs running; invdes cancel cancels them ---------------
campaign d 's/evaluations: 60/evaluations: 2/; s/batch: 8/batch: 2/; s/kind: bo/kind: random/'
db="$tmp/d/branin.db"
(cd "$tmp/d" && INVDES_TEST_SLEEP=30 exec "$INVDES" run -q branin.yaml >out 2>err) &
dpid=$!
wait_for 30 test -f "$tmp/d/slurm_branin.slurm/1/job" || bad "D: no task started"
kill -INT "$dpid"
wait "$dpid"
[ $? -eq 130 ] && ok || bad "D: SIGINT: exit not 130"
grep -q "2 jobs\|1 job left running" "$tmp/d/err" && ok || bad "D: no word of running jobs: $(cat "$tmp/d/err")"
job=$(q "$db" "SELECT scheduler_id FROM jobs")
squeue -h -j "$job" -o %T | grep -q RUNNING && ok || bad "D: the job did not keep running"
expect_exit 0 "D: invdes cancel" "$INVDES" cancel --db "$db"
grep -q "^1 job cancelled" "$tmp/out" && ok || bad "D: cancel says $(cat "$tmp/out")"
wait_for 20 sh -c "! squeue -h -j $job -o %T 2>/dev/null | grep -q 'RUNNING\|PENDING'" ||
  bad "D: the job still runs after invdes cancel"
(cd "$tmp/d" && INVDES_TEST_SLEEP=0 "$INVDES" run -q branin.yaml 2>>err) && ok ||
  bad "D: the run after cancel failed: $(tail -3 "$tmp/d/err")"
[ "$(q "$db" "SELECT count(*) || ' ' || max(retries) FROM job_tasks")" = "4 0" ] &&
  ok || bad "D: resubmission after cancel: $(q "$db" "SELECT * FROM job_tasks")"
expect_exit 0 "D: cancel with nothing left" "$INVDES" cancel --db "$db"
grep -q "^0 jobs cancelled" "$tmp/out" && ok || bad "D: second cancel says $(cat "$tmp/out")"

# ---- E: killed between submit and record --------------------------------------
# An sbatch on PATH that submits, then SIGKILLs the coordinator before it
# can record the job id: the next run must find the job by its tag.
campaign e 's/evaluations: 60/evaluations: 2/; s/batch: 8/batch: 2/; s/kind: bo/kind: random/'
db="$tmp/e/branin.db"
mkdir -p "$tmp/shim"
printf '#!/bin/sh\nout=$("%s" "$@") || exit 1\nkill -9 $PPID\necho "$out"\n' \
  "$(command -v sbatch)" >"$tmp/shim/sbatch"
chmod +x "$tmp/shim/sbatch"
(cd "$tmp/e" && PATH="$tmp/shim:$PATH" INVDES_TEST_LOG="$tmp/e/log" INVDES_TEST_SLEEP=1 \
  exec "$INVDES" run -q branin.yaml 2>err)
[ $? -eq 137 ] && ok || bad "E: the coordinator was not killed by the sbatch shim"
[ "$(q "$db" "SELECT count(*) || ' ' || count(scheduler_id) FROM jobs")" = "1 0" ] &&
  ok || bad "E: jobs after the kill: $(q "$db" "SELECT * FROM jobs")"
(cd "$tmp/e" && INVDES_TEST_LOG="$tmp/e/log" INVDES_TEST_SLEEP=1 \
  "$INVDES" run -q branin.yaml 2>>err) && ok ||
  bad "E: the resumed run failed: $(tail -3 "$tmp/e/err")"
[ "$(q "$db" "SELECT count(*) || ' ' || count(scheduler_id) FROM jobs")" = "1 1" ] &&
  ok || bad "E: the job was submitted again: $(q "$db" "SELECT * FROM jobs")"
[ "$(sort -n "$tmp/e/log" | tr '\n' ' ')" = "1 2 " ] && ok || bad "E: runs: $(cat "$tmp/e/log")"
[ "$(q "$db" "SELECT group_concat(status) FROM proposals")" = done,done ] &&
  ok || bad "E: not done: $(q "$db" "SELECT status, reason FROM proposals")"
finish slurm.sh
