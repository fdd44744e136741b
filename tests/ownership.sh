#!/bin/sh
# ownership.sh — stations own their proposals, the budget holds, the exit
# codes mean one thing each (issue 8: Found 2, 7, 9 and the lease items of
# Found 10):
#   1. another station (or none named) cannot report on, fail, give back,
#      close or heartbeat a proposal leased to r1: exit 3, the holder and the
#      lease's end named, the database unchanged (its dump's SHA-256); the
#      holder's own result then goes in and every change names its station;
#   2. a late result after the lease ran out is accepted, once per target;
#   3. leases: beyond ten years or not finite is refused with the range; a
#      repeated ask keeps (never shortens) the lease;
#   4. budget: ask hands out at most budget - results - outstanding, in well
#      under a second even for -n 1000000; none left is exit 4; --over-budget;
#      a partial proposal holds its place until complete or closed;
#   5. exit 1 for a database that cannot be written (a read-only file, a
#      read-only folder, a full disk), never 2 (test_station.c has the full
#      database inside a tell);
#   6. a database made by schema version 1 is upgraded in place;
#   7. every verb's --help lists the exit codes.
# Needs $INVDES, $top_srcdir (set by make check), sqlite3 and jq.
. "$(dirname "$0")/lib.sh"
: "${top_srcdir:?top_srcdir must name the source tree}"
need ownership.sh sqlite3 jq
campaign="$top_srcdir/tests/campaigns/good/station.yaml"
db="$tmp/own.db"
sum() { dump_sum "$1"; }
ask_ids() { "$INVDES" ask --db "$1" -n "$2" --station "$3" --format json | jq -r '.[].id'; }
status_of() { sqlite3 "$db" "SELECT status FROM proposals WHERE id = $1"; }

# 1. The wrong station is refused with exit 3 and changes nothing.
"$INVDES" init "$campaign" --db "$db" >/dev/null && ok || bad "init"
set -- $(ask_ids "$db" 3 robot1)
p1=$1 p2=$2 p3=$3
before=$(sum "$db")
not_yours() {
  what=$1; shift
  expect_exit 3 "$what" "$INVDES" "$@"
  grep -q "proposal [0-9]* is leased to station 'robot1' until [0-9-]*T[0-9:.]*Z" "$tmp/err" && ok ||
    bad "$what: names the holder and the lease's end: $(cat "$tmp/err")"
  [ "$(sum "$db")" = "$before" ] && ok || bad "$what changed the database"
}
not_yours "tell --failed by robot2" tell --db "$db" "$p1" --failed sabotage --station robot2
not_yours "tell --abandon by robot2" tell --db "$db" "$p1" --abandon --station robot2
not_yours "tell values by robot2" tell --db "$db" "$p1" capacity=1 --station robot2
not_yours "tell values without --station" tell --db "$db" "$p1" capacity=1
not_yours "heartbeat by robot2" heartbeat --db "$db" "$p1" --station robot2
grep -q expired "$tmp/err" && bad "heartbeat by robot2 says expired: $(cat "$tmp/err")" || ok
printf '[{"id": %s, "capacity": 5, "voltage": 3.7}]\n' "$p1" >"$tmp/r.json"
not_yours "tell --from by robot2" tell --db "$db" --from "$tmp/r.json" --station robot2
# the holder's real result goes in; the events name who did what
expect_exit 0 "robot1's result" "$INVDES" tell --db "$db" "$p1" capacity=180 voltage=3.7 --station robot1
[ "$(status_of "$p1")" = done ] && ok || bad "p1 done: $(status_of "$p1")"
expect_exit 0 "robot1 fails p2" "$INVDES" tell --db "$db" "$p2" --failed "furnace" --station robot1
expect_exit 0 "robot1 gives p3 back" "$INVDES" tell --db "$db" "$p3" --abandon --station robot1
[ "$(sqlite3 "$db" "SELECT kind || ':' || station FROM events WHERE proposal IN ($p2, $p3) ORDER BY id" | tr '\n' ' ')" = \
  "failed:robot1 abandoned:robot1 " ] && ok ||
  bad "events name the station: $(sqlite3 "$db" "SELECT * FROM events")"
[ "$(sqlite3 "$db" "SELECT source FROM results WHERE proposal = $p1 LIMIT 1")" = station:robot1 ] && ok ||
  bad "results name the station"
# offered again to robot2: now it is robot2's, and the event says so
set -- $(ask_ids "$db" 1 robot2)
[ "${1:-}" = "$p3" ] && ok || bad "the given-back proposal goes to robot2 (got ${1:-none})"
[ "$(sqlite3 "$db" "SELECT station FROM events WHERE kind = 'offered_again' AND proposal = $p3")" = robot2 ] &&
  ok || bad "offered_again names robot2"

# 2. A late result: the lease ran out, nobody took it; accepted once per target.
q=$("$INVDES" ask --db "$db" -n 1 --station slow --lease 1 --format json | jq -r '.[0].id')
q2=$("$INVDES" ask --db "$db" -n 1 --station gone --lease 1 --format json | jq -r '.[0].id')
sleep 2
expect_exit 0 "a late result" "$INVDES" tell --db "$db" "$q" capacity=170 --station slow
[ "$(sqlite3 "$db" "SELECT count(*) FROM events WHERE kind = 'late_result' AND proposal = $q AND station = 'slow'")" = 1 ] &&
  ok || bad "late_result logged with its station"
expect_exit 2 "the same target again" "$INVDES" tell --db "$db" "$q" capacity=171 --station slow
# offered again after the lease ran out: the event names the end as every
# output does, ISO 8601 UTC with milliseconds (it printed Unix seconds)
"$INVDES" ask --db "$db" -n 3 --station next >/dev/null 2>&1
sqlite3 "$db" "SELECT message FROM events WHERE kind = 'offered_again' AND proposal = $q2" |
  grep -Eq "^offered again to station 'next': the lease of station 'gone' expired at 20[0-9-]{8}T[0-9:]{8}\.[0-9]{3}Z$" &&
  ok || bad "offered_again after an expiry: $(sqlite3 "$db" "SELECT message FROM events WHERE proposal = $q2")"

# 3. Leases: a sane range; a repeated ask keeps the longer lease.
before=$(sum "$db")
for bad_lease in 1e30 inf nan -1 315576001; do
  expect_exit 2 "ask --lease $bad_lease" "$INVDES" ask --db "$db" --station robot1 --lease "$bad_lease"
  expect_exit 2 "heartbeat --lease $bad_lease" "$INVDES" heartbeat --db "$db" "$q" --station slow --lease "$bad_lease"
done
grep -q "from more than 0 to 315576000 (10 years)" "$tmp/err" && ok || bad "the range is named: $(cat "$tmp/err")"
[ "$(sum "$db")" = "$before" ] && ok || bad "refused leases changed the database"
expect_exit 0 "ask --lease 315576000" "$INVDES" ask --db "$db" --station decade --lease 315576000
grep -q '"lease_expires": null' "$tmp/out" && bad "ten-year lease printed as null" || ok
h=$(ask_ids "$db" 1 keeper)
sqlite3 "$db" "UPDATE proposals SET lease_expires = lease_expires + 500000 WHERE id = $h"
long=$(sqlite3 "$db" "SELECT lease_expires FROM proposals WHERE id = $h")
[ "$(ask_ids "$db" 1 keeper)" = "$h" ] && ok || bad "a repeated ask gives the same proposal"
[ "$(sqlite3 "$db" "SELECT lease_expires FROM proposals WHERE id = $h")" = "$long" ] && ok ||
  bad "a repeated ask reset the lease ($long -> $(sqlite3 "$db" "SELECT lease_expires FROM proposals WHERE id = $h"))"

# 4. The budget: 400 evaluations.
bdb="$tmp/budget.db"
"$INVDES" init "$campaign" --db "$bdb" >/dev/null
start=$(date +%s%N)
"$INVDES" ask --db "$bdb" -n 1000000 --station big --format csv >"$tmp/big.csv" 2>"$tmp/big.err"
rc=$?
ms=$((($(date +%s%N) - start) / 1000000))
echo "ownership.sh: ask -n 1000000 on a budget of 400: $ms ms, $(($(wc -l <"$tmp/big.csv") - 1)) proposals"
[ "$rc" -eq 0 ] && [ "$(($(wc -l <"$tmp/big.csv") - 1))" -eq 400 ] && ok || bad "ask -n 1000000: exit $rc, $(wc -l <"$tmp/big.csv") lines"
[ "$ms" -lt 1000 ] && ok || bad "ask -n 1000000 took $ms ms"
grep -q "400 of 1000000 proposals: the budget of 400 evaluations is spent" "$tmp/big.err" && ok ||
  bad "ask says the budget stopped it: $(cat "$tmp/big.err")"
before=$(sum "$bdb")
expect_exit 4 "ask with the budget spent" "$INVDES" ask --db "$bdb" -n 1 --station other
grep -q "0 results and 400 proposals out" "$tmp/err" && ok || bad "ask names the spent budget: $(cat "$tmp/err")"
[ "$(sum "$bdb")" = "$before" ] && ok || bad "an ask with nothing to do changed the database"
expect_exit 0 "the station's own proposals come back" "$INVDES" ask --db "$bdb" -n 2 --station big
expect_exit 0 "ask --over-budget" "$INVDES" ask --db "$bdb" -n 2 --station other --over-budget
[ "$(jq length "$tmp/out")" -eq 2 ] && ok || bad "--over-budget hands out 2"
# a partial result holds its place; --close makes it a result
first=$(sed -n 2p "$tmp/big.csv" | cut -d, -f1)
expect_exit 0 "a partial result" "$INVDES" tell --db "$bdb" "$first" voltage=3.7 --station big
[ "$(sqlite3 "$bdb" "SELECT status FROM proposals WHERE id = $first")" = partial ] && ok || bad "partial status"
"$INVDES" status --db "$bdb" --format json >"$tmp/st.json"
jq -e '.evaluated == 0' "$tmp/st.json" >/dev/null && ok || bad "a partial proposal is no result: $(cat "$tmp/st.json")"
# a restarted station gets its partial proposal back first, still partial
"$INVDES" ask --db "$bdb" -n 1 --station big --format json >"$tmp/back.json" 2>"$tmp/err"
[ "$(jq -r '.[0].id' "$tmp/back.json")" = "$first" ] && ok ||
  bad "the partial proposal $first comes back to its station: $(cat "$tmp/back.json" "$tmp/err")"
[ "$(sqlite3 "$bdb" "SELECT status FROM proposals WHERE id = $first")" = partial ] && ok ||
  bad "a partial proposal handed back stays partial"
expect_exit 3 "close by another station" "$INVDES" tell --db "$bdb" "$first" --close --station other
expect_exit 0 "tell --close" "$INVDES" tell --db "$bdb" "$first" --close --station big
[ "$(sqlite3 "$bdb" "SELECT status FROM proposals WHERE id = $first")" = done ] && ok || bad "closed is done"
"$INVDES" status --db "$bdb" --format json >"$tmp/st.json"
jq -e '.evaluated == 1' "$tmp/st.json" >/dev/null && ok || bad "a closed proposal is a result"
expect_exit 2 "a value for a closed proposal" "$INVDES" tell --db "$bdb" "$first" capacity=1 --station big

# 5. A database that cannot be written is a system error (1), never refused input (2).
run_as() { "$@"; }
if [ "$(id -u)" -eq 0 ]; then
  if command -v setpriv >/dev/null 2>&1; then
    run_as() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
  else
    run_as() { return 1; }
  fi
fi
chmod 755 "$tmp"
mkdir "$tmp/rofile" "$tmp/rodir"
cp "$db" "$tmp/rofile/own.db" && cp "$db" "$tmp/rodir/own.db"
chmod 777 "$tmp/rofile"
chmod 444 "$tmp/rofile/own.db" "$tmp/rodir/own.db"
chmod 555 "$tmp/rodir"
before=$(sum "$tmp/rofile/own.db")
for where in rofile rodir; do
  expect_exit 1 "tell into a read-only $where" run_as "$INVDES" tell --db "$tmp/$where/own.db" "$p1" capacity=1 --station robot1
  grep -q "readonly\|read-only\|permission\|unable to open" "$tmp/err" && ok || bad "tell says why ($where): $(cat "$tmp/err")"
done
[ "$(sum "$tmp/rofile/own.db")" = "$before" ] && ok || bad "a read-only database changed"
chmod 755 "$tmp/rodir"
# A full disk: files may not grow past 4 KiB (ulimit -f; SIGXFSZ ignored, so
# a write fails with EFBIG as on a full file system).
cp "$db" "$tmp/full.db"
before=$(sum "$tmp/full.db")
expect_exit 1 "tell on a full disk" sh -c 'trap "" XFSZ; ulimit -f 4; exec "$@"' sh \
  "$INVDES" tell --db "$tmp/full.db" "$p1" capacity=1 --station robot1
[ "$(sum "$tmp/full.db")" = "$before" ] && ok || bad "a tell on a full disk changed the database"

# 6. A database made by schema version 1 (tests/databases/schema_v1.sql) is upgraded.
vdb="$tmp/v1.db"
sqlite3 "$vdb" <"$top_srcdir/tests/databases/schema_v1.sql"
[ "$(sqlite3 "$vdb" "PRAGMA user_version")" = 1 ] && ok || bad "the fixture is version 1"
expect_exit 0 "status of a version-1 database" "$INVDES" status --db "$vdb"
[ "$(sqlite3 "$vdb" "PRAGMA user_version")" = 5 ] && ok || bad "upgraded to version 5"
[ "$(sqlite3 "$vdb" "SELECT count(*) FROM jobs") $(sqlite3 "$vdb" "SELECT count(*) FROM job_tasks")" = "0 0" ] &&
  ok || bad "version 5: empty jobs and job_tasks tables"
# its campaign names no weight: the weight recorded as 1 becomes NULL (not given)
[ "$(sqlite3 "$vdb" "SELECT count(*) FROM targets WHERE weight IS NULL AND reference IS NULL AND goal = 'maximize'")" = 1 ] &&
  ok || bad "version 4: weights not given are NULL"
[ "$(sqlite3 "$vdb" "SELECT count(*) FROM events WHERE station IS NULL")" -ge 2 ] && ok || bad "old events kept, station NULL"
[ "$(sqlite3 "$vdb" "SELECT group_concat(status) FROM (SELECT status FROM proposals ORDER BY id)")" = done,done,failed,abandoned ] &&
  ok || bad "old statuses kept: $(sqlite3 "$vdb" "SELECT group_concat(status) FROM proposals")"
[ "$(sqlite3 "$vdb" "PRAGMA integrity_check")" = ok ] && ok || bad "the upgraded file is sound"
n=$(ask_ids "$vdb" 1 r5)
expect_exit 0 "a partial result in the upgraded file" "$INVDES" tell --db "$vdb" "$n" voltage=3.7 --station r5
[ "$(sqlite3 "$vdb" "SELECT status FROM proposals WHERE id = $n")" = partial ] && ok || bad "partial in v2"
[ "$(sqlite3 "$vdb" "PRAGMA integrity_check")" = ok ] && ok || bad "the upgraded file is still sound"

# 7. Every verb's --help ends with the exit codes.
for verb in validate sample predict init run ask tell heartbeat status export best; do
  "$INVDES" "$verb" --help >"$tmp/help" 2>&1
  grep -q "Exit status: 0 ok; 1 system error" "$tmp/help" && grep -q "3 not yours" "$tmp/help" &&
    grep -q "4 nothing to do" "$tmp/help" && ok || bad "$verb --help lists the exit codes"
done

finish ownership.sh
