#!/bin/sh
# serve_kill.sh — SIGKILL of `invdes serve` in the middle of a parallel run
# (issue 11's acceptance): 8 copies of examples/station.py, as in
# serve_parallel.sh, work through a budget of 400 evaluations; once 100
# results are in, the server is killed with SIGKILL and, a moment later,
# started again on the same database and port. The stations retry through the outage (back-off, the same ask and
# the same result posted again) and complete the campaign: each exits 0,
# the budget is spent (400 results, no duplicate target value), and every
# result a station was answered 2xx for (each logs them) is in the database
# with the value it posted. Needs $INVDES, $top_srcdir (make check), curl,
# jq and sqlite3.
. "$(dirname "$0")/lib.sh"
: "${top_srcdir:?top_srcdir must name the source tree}"
. "$top_srcdir/tests/serve_lib.sh"
. "$top_srcdir/tests/stations_lib.sh"
need serve_kill.sh curl jq sqlite3
db="$tmp/kill.db"
stations="k1 k2 k3 k4 k5 k6 k7 k8"
cp "$top_srcdir/tests/campaigns/good/station.yaml" "$tmp/c.yaml"  # 400 evaluations
"$INVDES" init "$tmp/c.yaml" --db "$db" >/dev/null && ok || bad init
serve_tokens "$tmp/tokens" k1:station k2:station k3:station k4:station \
  k5:station k6:station k7:station k8:station
serve_start serve --db "$db" --listen 127.0.0.1:0 --tokens "$tmp/tokens" --threads 4 || { finish serve_kill; exit 1; }
for s in $stations; do
  token "$s" >"$tmp/$s.token"
  "$python" "$top_srcdir/examples/station.py" --url "$url" --token-file "$tmp/$s.token" \
    --lease 600 --patience 60 --idle 0.2 --log "$tmp/$s.log" 2>"$tmp/$s.err" &
  echo $! >"$tmp/$s.pid"; also_kill $!
done
results() { sqlite3 "$db" "SELECT count(*) FROM proposals WHERE status IN ('done', 'failed')"; }
i=0
while [ "$(results)" -lt 100 ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
[ "$(results)" -ge 100 ] && ok || bad "only $(results) results before the kill"
serve_stop KILL
[ "$serve_status" -eq 137 ] && ok || bad "serve was not killed by SIGKILL: $serve_status"
at_kill=$(results)
sleep 1   # the stations meet refused connections and back off
# the same port (the stations know no other); a bind may need a moment
for try in 1 2 3 4 5; do
  serve_start restarted --db "$db" --listen "127.0.0.1:$port" --tokens "$tmp/tokens" \
    --threads 4 >"$tmp/restart.out" && break
  sleep 1
done
[ -n "$serve_pid" ] && ok || { bad "no restart: $(cat "$tmp/restart.out")"; finish serve_kill; exit 1; }
for s in $stations; do
  wait "$(cat "$tmp/$s.pid")" && ok || bad "station $s: exit $? ($(tail -3 "$tmp/$s.err"))"
done
echo "killed at $at_kill results; $(cat "$tmp"/k?.err | grep 'results posted' | tr '\n' ';')"

# The campaign completed: 400 results, none twice.
[ "$(results)" = 400 ] && ok || bad "$(results) results after the restart, wanted 400"
[ "$(sqlite3 "$db" "SELECT count(*) FROM (SELECT proposal, target FROM results GROUP BY 1, 2 HAVING count(*) > 1)")" = 0 ] &&
  ok || bad "a target has two results"
# Every 2xx a station logged is in the database, as posted (the values
# compared as numbers: jq and sqlite3 print them with different digits).
cat "$tmp"/k?.log | jq -r 'select(.path | endswith("/result")) |
  [(.path | split("/")[3]), .request.values.capacity, .request.values.voltage] | @tsv' |
  sort -u >"$tmp/answered"
sqlite3 -separator ' ' "$db" "SELECT c.proposal, c.value, v.value FROM results c JOIN results v
  ON v.proposal = c.proposal AND v.target = 'voltage' WHERE c.target = 'capacity'" >"$tmp/held"
n=$(wc -l <"$tmp/answered")
[ "$n" -eq 400 ] && ok || bad "the stations logged $n distinct answered results, wanted 400"
awk 'function off(a, b) { return (a - b) ^ 2 > 1e-18 * (1 + a * a) }
  NR == FNR { c[$1] = $2; v[$1] = $3; next }
  !($1 in c) { print "proposal " $1 " missing"; next }
  off(c[$1], $2) || off(v[$1], $3) { print "proposal " $1 ": held " c[$1] " " v[$1] ", posted " $2 " " $3 }' \
  "$tmp/held" "$tmp/answered" >"$tmp/differ"
[ ! -s "$tmp/differ" ] && ok || bad "answered results not held as posted: $(head -3 "$tmp/differ")"
serve_stop TERM
[ "$serve_status" -eq 0 ] && ok || bad "serve stopped with status $serve_status"
finish serve_kill
