#!/bin/sh
# serve_parallel.sh — 8 stations over HTTP at once (issue 11's acceptance):
# `invdes serve` on a free loopback port with a tokens file (mode 0600, one
# token per station), 8 copies of examples/station.py × 50 ask/report
# cycles in parallel. Then: every station exited 0; 400 distinct proposals,
# 400 results, each recorded by the station that asked for it, no duplicate
# (checked in `invdes export` and in the database with sqlite3); a station
# posting to another's proposal with its own token gets 403 not_yours and
# the database dump's SHA-256 is unchanged; a station whose work outlasts
# its lease keeps it alive with heartbeats. Needs $INVDES, $top_srcdir
# (make check), curl, jq and sqlite3.
. "$(dirname "$0")/lib.sh"
: "${top_srcdir:?top_srcdir must name the source tree}"
. "$top_srcdir/tests/serve_lib.sh"
. "$top_srcdir/tests/stations_lib.sh"
need serve_parallel.sh curl jq sqlite3
db="$tmp/par.db"
stations="s1 s2 s3 s4 s5 s6 s7 s8"
# station.yaml's budget is 400: one more for the 403 check, three for the heartbeats.
sed 's/evaluations: 400/evaluations: 404/' "$top_srcdir/tests/campaigns/good/station.yaml" >"$tmp/c.yaml"
"$INVDES" init "$tmp/c.yaml" --db "$db" >/dev/null && ok || bad init
serve_tokens "$tmp/tokens" s1:station s2:station s3:station s4:station s5:station \
  s6:station s7:station s8:station viewer:viewer
[ "$(stat -c %a "$tmp/tokens")" = 600 ] && ok || bad "tokens file mode $(stat -c %a "$tmp/tokens")"
serve_start serve --db "$db" --listen 127.0.0.1:0 --tokens "$tmp/tokens" --threads 4 || { finish serve_parallel; exit 1; }

# 1. 8 stations × 50 cycles, all at once.
for s in $stations; do
  token "$s" >"$tmp/$s.token"
  "$python" "$top_srcdir/examples/station.py" --url "$url" --token-file "$tmp/$s.token" \
    --cycles 50 --lease 600 --log "$tmp/$s.log" 2>"$tmp/$s.err" &
  echo $! >"$tmp/$s.pid"; also_kill $!
done
for s in $stations; do
  wait "$(cat "$tmp/$s.pid")" && ok || bad "station $s: exit $? ($(tail -3 "$tmp/$s.err"))"
done
grep -h '"/v1/ask"' "$tmp"/s?.log >/dev/null && ok || bad "the stations logged no ask"

# 2. 400 distinct proposals, 400 results, each by its station, no duplicate.
"$INVDES" export --db "$db" --format json >"$tmp/export.json" && ok || bad export
[ "$(jq length "$tmp/export.json")" = 400 ] && ok || bad "export has $(jq length "$tmp/export.json") rows"
[ "$(jq '[.[] | select(.status == "done")] | length' "$tmp/export.json")" = 400 ] && ok ||
  bad "done: $(jq -c '[.[] | .status] | group_by(.) | map({(.[0]): length}) | add' "$tmp/export.json")"
[ "$(jq '[.[].id] | unique | length' "$tmp/export.json")" = 400 ] && ok || bad "ids not distinct"
[ "$(jq -r '[.[] | [.sinter_T, .dwell_h, .dopant]] | unique | length' "$tmp/export.json")" = 400 ] &&
  ok || bad "parameter sets not distinct"
for s in $stations; do
  n=$(jq --arg s "$s" '[.[] | select(.station == $s)] | length' "$tmp/export.json")
  [ "$n" = 50 ] && ok || bad "station $s has $n proposals in the export, wanted 50"
  # what the station posted is what the database holds
  grep '/result"' "$tmp/$s.log" | jq -r '[(.path | split("/")[3]), .request.values.capacity] | @tsv' \
    | sort -n >"$tmp/$s.posted"
  [ "$(wc -l <"$tmp/$s.posted")" = 50 ] && ok || bad "$s logged $(wc -l <"$tmp/$s.posted") 2xx results"
  jq -r --arg s "$s" '.[] | select(.station == $s) | [.id, .capacity] | @tsv' "$tmp/export.json" \
    | sort -n >"$tmp/$s.held"
  cmp -s "$tmp/$s.posted" "$tmp/$s.held" && ok || bad "$s: posted and recorded results differ"
done
q() { sqlite3 "$db" "$1"; }
[ "$(q "SELECT count(*) FROM results")" = 800 ] && ok || bad "results rows: $(q "SELECT count(*) FROM results")"
[ "$(q "SELECT count(*) FROM (SELECT proposal, target FROM results GROUP BY 1, 2 HAVING count(*) > 1)")" = 0 ] &&
  ok || bad "a target has two results"
[ "$(q "SELECT count(DISTINCT proposal) FROM results")" = 400 ] && ok || bad "results cover not 400 proposals"
[ "$(q "SELECT count(*) FROM results WHERE source NOT LIKE 'station:s_'")" = 0 ] && ok ||
  bad "results not recorded as from their station"
[ "$(q "SELECT count(*) FROM results r JOIN proposals p ON p.id = r.proposal
        WHERE r.source != 'station:' || p.station")" = 0 ] && ok || bad "a result from another station"

# 3. Another station's proposal: 403 not_yours, the database unchanged.
p=$(curl -s -X POST -H "Authorization: Bearer $(token s1)" -d '{"n": 1, "lease": 600}' "$url/v1/ask" |
  jq '.proposals[0].id')
[ "$p" -gt 0 ] 2>/dev/null && ok || bad "s1's last ask gave '$p'"
before=$(dump_sum "$db")
code=$(curl -s -o "$tmp/403.json" -w '%{http_code}' -X POST -H "Authorization: Bearer $(token s2)" \
  -d '{"values": {"capacity": 1, "voltage": 3.7}}' "$url/v1/proposals/$p/result")
[ "$code" = 403 ] && [ "$(jq -r .error.code "$tmp/403.json")" = not_yours ] && ok ||
  bad "s2 on s1's proposal: $code $(cat "$tmp/403.json")"
[ "$(dump_sum "$db")" = "$before" ] && ok || bad "the refused report changed the database"
grep -q "$(token s2)" "$tmp/serve.log" && bad "a token in serve's log" || ok

# 4. Work longer than the lease: station.py heartbeats every proposal it
# holds, so 3 proposals of 0.8 s each on a 1 s lease are all reported
# within their leases (no late_result event).
printf '%s\n' '#!/bin/sh' 'cat >/dev/null; sleep 0.8; echo "{\"capacity\": 1, \"voltage\": 3.7}"' >"$tmp/slow.sh"
chmod +x "$tmp/slow.sh"
"$python" "$top_srcdir/examples/station.py" --url "$url" --token-file "$tmp/s3.token" -n 3 \
  --cycles 3 --lease 1 --command "$tmp/slow.sh" 2>"$tmp/slow.err" && ok || bad "slow station: $(cat "$tmp/slow.err")"
beats=$(grep -c 's3 POST /v1/proposals/[0-9]*/heartbeat .* 200 ' "$tmp/serve.log")
[ "$beats" -ge 4 ] && ok || bad "$beats heartbeats answered 200, wanted 4 or more"
[ "$(q "SELECT count(*) FROM events WHERE kind = 'late_result'")" = 0 ] && ok ||
  bad "late results: $(q "SELECT proposal FROM events WHERE kind = 'late_result'" | tr '\n' ' ')"
[ "$(q "SELECT count(*) FROM proposals WHERE station = 's3' AND status = 'done'")" = 53 ] && ok ||
  bad "s3's three slow proposals are not done"
serve_stop TERM
[ "$serve_status" -eq 0 ] && ok || bad "serve stopped with status $serve_status"
finish serve_parallel
