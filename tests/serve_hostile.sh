#!/bin/sh
# serve_hostile.sh — `invdes serve` under malformed and hostile requests
# (issue 11): starts the real server on a free loopback port with a tokens
# file (stations s1 and s2, a viewer, an admin) on a database where s1 holds
# one proposal (leased for an hour) and has reported another, then runs
# tests/serve_hostile.py: over 300 requests with bad JSON, wrong types, NaN,
# huge bodies, unknown ids, path tricks, bad or other roles' tokens, wrong
# methods, deep nesting, header floods and slow clients, each with its
# status, the database dump's SHA-256 unchanged after every refused one, a
# valid request answered after every batch. make check runs it in the
# ASan/UBSan build too (.ci/run), where a memory error fails the server.
# Needs $INVDES, $top_srcdir (make check), curl and sqlite3.
. "$(dirname "$0")/lib.sh"
: "${top_srcdir:?top_srcdir must name the source tree}"
. "$top_srcdir/tests/serve_lib.sh"
. "$top_srcdir/tests/stations_lib.sh"
need serve_hostile.sh curl sqlite3
db="$tmp/hostile.db"
"$INVDES" init "$top_srcdir/tests/campaigns/good/station.yaml" --db "$db" >/dev/null && ok || bad init
set -- $("$INVDES" ask --db "$db" -n 2 --station s1 --lease 3600 --format csv | awk -F, 'NR > 1 { print $1 }')
pending=$1 done_id=$2
"$INVDES" tell --db "$db" "$done_id" capacity=170 voltage=3.8 --station s1 >/dev/null && ok ||
  bad "s1 reports $done_id"
serve_tokens "$tmp/tokens" s1:station s2:station viewer:viewer admin:admin
serve_start serve --db "$db" --listen 127.0.0.1:0 --tokens "$tmp/tokens" --threads 4 || { finish serve_hostile; exit 1; }
"$python" "$top_srcdir/tests/serve_hostile.py" 127.0.0.1 "$port" "$db" "$tmp/tokens" \
  "$pending" "$done_id" && ok || bad "hostile requests (above)"
kill -0 "$serve_pid" 2>/dev/null && ok || bad "serve died: $(tail -5 "$tmp/serve.log")"
# A clean stop after all that: exit 0, nothing from the sanitizers.
serve_stop TERM
[ "$serve_status" -eq 0 ] && ok || bad "serve stopped with status $serve_status"
grep -E 'ERROR: AddressSanitizer|runtime error:|LeakSanitizer' "$tmp/serve.log" &&
  bad "sanitizer reports in serve's log" || ok
"$INVDES" status --db "$db" >/dev/null && ok || bad "status after serve"
finish serve_hostile
