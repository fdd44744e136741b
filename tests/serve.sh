#!/bin/sh
# serve.sh — `invdes serve` on a free loopback port, driven with curl:
# the record issue's station scenario over HTTP (leases, the wrong station
# refused with the database unchanged, a late result, idempotent repeats 200,
# conflicting ones 409, status and best equal to the command line's on the
# same database), tokens (401, 403, a viewer cannot post, a readable or
# malformed tokens file refused), admin corrections, request limits, 503 with
# Retry-After while another process holds the write lock, the live page and
# its tag, the command line working beside the server, TLS, and SIGTERM:
# exit 0 and a database that passes PRAGMA integrity_check.
# Needs $INVDES, curl, jq, sqlite3, python3 (openssl for the TLS part).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/serve_lib.sh"
need serve.sh curl jq sqlite3 python3

cat >"$tmp/lab.yaml" <<'EOF'
# a cathode sintering campaign run by robots over the network
name: served
seed: 11
targets:
  - {name: capacity, goal: maximize, unit: mAh/g, range: [0, 400]}
  - {name: voltage, goal: window, window: [3.6, 3.9], unit: V}
parameters:
  - name: sinter_T
    type: continuous
    bounds: [700, 950]
  - {name: dwell_h, type: integer, bounds: [1, 12]}
  - {name: dopant, type: categorical, values: [none, Al, Mg]}
strategy: {kind: random, batch: 3}
objective: {kind: station}
budget: {evaluations: 100}
EOF
db="$tmp/lab.db"
"$INVDES" init "$tmp/lab.yaml" --db "$db" >/dev/null || bad "init"

T1=s1-0123456789abcdef T2=s2-0123456789abcdef T3=s3-0123456789abcdef
TV=viewer-0123456789abcdef TA=admin-0123456789abcdef
cat >"$tmp/tokens" <<EOF
# token                 name   role
$T1 s1 station
$T2 s2 station   # the second robot
$T3 s3 station

$TV lab-tv viewer
$TA alice admin
EOF
chmod 600 "$tmp/tokens"

# ---- refusals at start ------------------------------------------------------
chmod 644 "$tmp/tokens"
expect_exit 2 "a tokens file others may read" "$INVDES" serve --db "$db" --tokens "$tmp/tokens" --listen 127.0.0.1:0
grep -q "chmod 600" "$tmp/err" && ok || bad "the refusal says chmod 600: $(cat "$tmp/err")"
chmod 600 "$tmp/tokens"
printf '%s s1 station\nshort s2 station\n' "$T1" >"$tmp/badtokens"
chmod 600 "$tmp/badtokens"
expect_exit 2 "a malformed tokens file" "$INVDES" serve --db "$db" --tokens "$tmp/badtokens" --listen 127.0.0.1:0
grep -q "badtokens:2:" "$tmp/err" && ok || bad "the message names file:line: $(cat "$tmp/err")"
expect_exit 2 "no --tokens off loopback" "$INVDES" serve --db "$db" --listen 0.0.0.0:0
grep -q "loopback" "$tmp/err" && ok || bad "the refusal explains loopback: $(cat "$tmp/err")"
expect_exit 2 "a missing database" "$INVDES" serve --db "$tmp/none.db" --listen 127.0.0.1:0

serve_start main --db "$db" --tokens "$tmp/tokens" --listen 127.0.0.1:0 --threads 4 \
  --busy-timeout 0.3 || { finish serve.sh; exit 1; }
ok

# ---- who may do what ------------------------------------------------------
http GET /v1/status
[ "$code" = 401 ] && grep -qi '^WWW-Authenticate: Bearer' "$tmp/hdr" && ok || bad "no token: $code"
[ "$(jq -r .error.code "$tmp/body")" = unauthorized ] && ok || bad "401 body: $(cat "$tmp/body")"
http GET /v1/status wrong-0123456789abcdef
[ "$code" = 401 ] && ok || bad "a wrong token: $code"
http GET /v1/status "$TV"
[ "$code" = 200 ] && ok || bad "a viewer reads the status: $code"
http POST /v1/ask "$TV" '{"n": 1}'
[ "$code" = 403 ] && [ "$(jq -r .error.code "$tmp/body")" = forbidden ] && ok || bad "a viewer asks: $code"
http GET /v1/whoami "$T1"
[ "$(jq -c . "$tmp/body")" = '{"name":"s1","role":"station"}' ] && ok || bad "whoami: $(cat "$tmp/body")"
http GET /v1/openapi.json
[ "$code" = 200 ] && jq -e '.openapi and .paths["/v1/ask"]' "$tmp/body" >/dev/null && ok ||
  bad "the OpenAPI description without a token: $code"
cmp -s "$tmp/body" "$top_srcdir/docs/openapi.json" && ok || bad "/v1/openapi.json is docs/openapi.json"

# ---- the station scenario over HTTP ------------------------------------------
ask() { # TOKEN N LEASE -> ids in $tmp/ids
  http POST /v1/ask "$1" "{\"n\": $2, \"lease\": $3}"
  [ "$code" = 200 ] && ok || bad "ask for $1: $code $(cat "$tmp/body")"
  jq -r '.proposals[].id' "$tmp/body" >"$tmp/ids"
}
ask "$T1" 3 3600; cp "$tmp/ids" "$tmp/s1"
ask "$T1" 3 3600
cmp -s "$tmp/ids" "$tmp/s1" && ok || bad "an ask repeated before reporting gives the same proposals"
ask "$T2" 3 3600; cp "$tmp/ids" "$tmp/s2"
ask "$T3" 2 1; cp "$tmp/ids" "$tmp/s3"
[ "$(sort -u "$tmp/s1" "$tmp/s2" "$tmp/s3" | wc -l)" -eq 8 ] && ok || bad "eight distinct proposals"
a1=$(sed -n 1p "$tmp/s1") a2=$(sed -n 2p "$tmp/s1") a3=$(sed -n 3p "$tmp/s1")
b1=$(sed -n 1p "$tmp/s2") b2=$(sed -n 2p "$tmp/s2") b3=$(sed -n 3p "$tmp/s2")
c1=$(sed -n 1p "$tmp/s3")
"$INVDES" status --db "$db" --format json | jq -r ".pending[] | select(.id == $a1) | .station" >"$tmp/holder"
[ "$(cat "$tmp/holder")" = s1 ] && ok || bad "the token's name holds the lease: $(cat "$tmp/holder")"

# Sabotage: s2 reports on, fails, gives back and heartbeats s1's work; s2
# claims to be s1 in the body. Every attempt is refused and changes nothing.
before=$(dump_sum "$db")
for body in '{"values": {"capacity": 399, "voltage": 3.7}}' '{"failed": "sabotage"}' '{"abandon": true}'; do
  http POST "/v1/proposals/$a1/result" "$T2" "$body"
  [ "$code" = 403 ] && [ "$(jq -r .error.code "$tmp/body")" = not_yours ] && ok ||
    bad "s2 posts $body on s1's $a1: $code $(cat "$tmp/body")"
done
http POST "/v1/proposals/$a3/heartbeat" "$T2" '{"lease": 60}'
[ "$code" = 403 ] && ok || bad "s2 heartbeats s1's proposal: $code"
http POST "/v1/proposals/$a1/result" "$T2" '{"values": {"capacity": 1}, "station": "s1"}'
[ "$code" = 403 ] && ok || bad "s2 names itself s1 in the body: $code"
http POST "/v1/proposals/$a1/result" "$TV" '{"values": {"capacity": 1}}'
[ "$code" = 403 ] && ok || bad "a viewer posts a result: $code"
[ "$(dump_sum "$db")" = "$before" ] && ok || bad "the refused requests changed the database"

# The stations report; a failure; a half report (partial); a heartbeat.
post() { # TOKEN ID BODY WANT
  http POST "/v1/proposals/$2/result" "$1" "$3"
  [ "$code" = "$4" ] && ok || bad "result $3 on $2: $code (wanted $4) $(cat "$tmp/body")"
}
post "$T1" "$a1" '{"values": {"capacity": 215.09, "voltage": 3.71}}' 200
[ "$(jq -c '[.status, .recorded]' "$tmp/body")" = '["done",true]' ] && ok || bad "result body: $(cat "$tmp/body")"
post "$T1" "$a2" '{"capacity": 217.77, "voltage": 3.567}' 200
post "$T1" "$a3" '{"failed": "furnace trip"}' 200
post "$T2" "$b1" '{"values": {"capacity": 190, "voltage": 3.8}, "sd": {"capacity": 1.5}}' 200
post "$T2" "$b2" '{"values": {"capacity": 230, "voltage": 3.95}}' 200
post "$T2" "$b3" '{"values": {"capacity": 250}}' 200
[ "$(jq -r .status "$tmp/body")" = partial ] && ok || bad "a half report is partial: $(cat "$tmp/body")"
http POST "/v1/proposals/$b3/heartbeat" "$T2" '{"lease": 120}'
[ "$code" = 200 ] && jq -e '.lease_expires | test("Z$")' "$tmp/body" >/dev/null && ok ||
  bad "heartbeat: $code $(cat "$tmp/body")"
http POST "/v1/proposals/$a1/heartbeat" "$T1" '{}'
[ "$code" = 409 ] && ok || bad "a heartbeat on a done proposal: $code"

# Idempotency: the same report again is 200 and changes nothing; a
# different one is 409 and changes nothing.
before=$(dump_sum "$db")
post "$T1" "$a1" '{"values": {"capacity": 215.09, "voltage": 3.71}}' 200
[ "$(jq -r .recorded "$tmp/body")" = false ] && ok || bad "a repeat says recorded false"
post "$T2" "$b1" '{"values": {"capacity": 190, "voltage": 3.8}, "sd": {"capacity": 1.5}}' 200
post "$T1" "$a3" '{"failed": "furnace trip"}' 200
post "$T2" "$b3" '{"values": {"capacity": 250}}' 200
post "$T1" "$a1" '{"values": {"capacity": 215.1, "voltage": 3.71}}' 409
[ "$(jq -r .error.code "$tmp/body")" = conflict ] && ok || bad "409 body: $(cat "$tmp/body")"
post "$T1" "$a3" '{"failed": "another reason"}' 409
post "$T1" "$a1" '{"failed": "after all"}' 409
post "$T2" "$b3" '{"values": {"capacity": 251}}' 409
[ "$(dump_sum "$db")" = "$before" ] && ok || bad "repeats and conflicts changed the database"

# A late result: s3's lease (1 s) runs out; its result is taken once.
sleep 1.1
post "$T3" "$c1" '{"values": {"capacity": 205, "voltage": 3.65}}' 200
post "$T3" "$c1" '{"values": {"capacity": 205, "voltage": 3.65}}' 200
[ "$(jq -r .recorded "$tmp/body")" = false ] && ok || bad "the late result repeated is not recorded twice"
[ "$(sqlite3 "$db" "SELECT count(*) FROM events WHERE kind = 'late_result' AND proposal = $c1")" = 1 ] &&
  ok || bad "one late_result event"

# ---- the command line beside the server, and agreement with it ---------------
"$INVDES" ask --db "$db" -n 1 --station cli --lease 600 --format json >"$tmp/cli.json" &&
  c=$(jq -r '.[0].id' "$tmp/cli.json") &&
  "$INVDES" tell --db "$db" --station cli "$c" capacity=260 voltage=3.75 -q && ok ||
  bad "ask and tell on the command line while serve runs"
agree() { # STEP: status, best and export equal the command line's
  http GET /v1/status "$TV"; jq -S 'del(.pending[].expired)' "$tmp/body" >"$tmp/h.json"
  "$INVDES" status --db "$db" --format json | jq -S 'del(.pending[].expired)' >"$tmp/c.json"
  cmp -s "$tmp/h.json" "$tmp/c.json" && ok || bad "$1: GET /v1/status differs from invdes status"
  http GET /v1/best "$TV"; jq -S . "$tmp/body" >"$tmp/h.json"
  "$INVDES" best --db "$db" --format json | jq -S . >"$tmp/c.json"
  cmp -s "$tmp/h.json" "$tmp/c.json" && ok || bad "$1: GET /v1/best differs from invdes best"
  http GET '/v1/export?format=csv' "$TV"
  "$INVDES" export --db "$db" >"$tmp/c.csv"
  cmp -s "$tmp/body" "$tmp/c.csv" && ok || bad "$1: GET /v1/export differs from invdes export"
}
agree "after the reports"
[ "$(jq -r .proposal "$tmp/c.json" 2>/dev/null || true)" != null ] || bad "a best exists"
http GET '/v1/proposals?state=pending,partial' "$TV"
[ "$(jq -c '[.proposals[].id]' "$tmp/body")" = "$(sqlite3 -json "$db" \
  "SELECT id FROM proposals WHERE status IN ('pending','partial') ORDER BY id" | jq -c '[.[].id]')" ] &&
  ok || bad "proposals?state=pending,partial: $(cat "$tmp/body" | head -c 300)"
http GET '/v1/proposals?state=nonsense' "$TV"
[ "$code" = 400 ] && ok || bad "an unknown state: $code"
http GET "/v1/proposals/$a1" "$TV"
[ "$(jq -r '[.id, .status, .capacity] | @csv' "$tmp/body")" = "$a1,\"done\",215.09" ] && ok ||
  bad "one proposal: $(cat "$tmp/body")"
http GET /v1/campaign "$TV"
[ "$(jq -r '.name + " " + (.targets | map(.name) | join(","))' "$tmp/body")" = "served capacity,voltage" ] &&
  [ "$(jq -r .sha256 "$tmp/body")" = "$(sqlite3 "$db" 'SELECT sha256 FROM campaign')" ] && ok ||
  bad "campaign: $(head -c 300 "$tmp/body")"

# ---- admin corrections ----------------------------------------------------------
http POST "/v1/proposals/$b1/amend" "$T2" '{"values": {"capacity": 240}, "reason": "misread"}'
[ "$code" = 403 ] && ok || bad "a station amends: $code"
http POST "/v1/proposals/$b1/amend" "$TA" '{"values": {"capacity": 240}, "reason": "misread the balance"}'
[ "$code" = 200 ] && [ "$(jq -r .capacity "$tmp/body")" = 240 ] && ok || bad "amend: $code $(cat "$tmp/body")"
[ "$(sqlite3 "$db" "SELECT who FROM result_history WHERE proposal = $b1 AND action = 'amended'")" = alice ] &&
  ok || bad "the amendment is recorded as alice's"
http POST "/v1/proposals/$b1/retract" "$TA" '{"reason": "cell shorted"}'
[ "$code" = 200 ] && [ "$(jq -r .capacity "$tmp/body")" = null ] && ok || bad "retract: $code"
http POST /v1/proposals/999999/retract "$TA" '{"reason": "x"}'
[ "$code" = 404 ] && ok || bad "retract an unknown proposal: $code"
printf 'sinter_T,dwell_h,dopant,capacity,voltage\n800,4,Al,201,3.7\n850,6,none,188,3.8\n' >"$tmp/prior.csv"
http POST /v1/import "$TA" "@$tmp/prior.csv"
[ "$code" = 200 ] && [ "$(jq '.ids | length' "$tmp/body")" = 2 ] && ok || bad "import: $code $(cat "$tmp/body")"
printf 'sinter_T,dwell_h,dopant,capacity,voltage\n800,4,Zr,201,3.7\n' >"$tmp/bad.csv"
http POST /v1/import "$TA" "@$tmp/bad.csv"
[ "$code" = 400 ] && grep -q ':2' "$tmp/body" && ok || bad "a bad import row: $code $(cat "$tmp/body")"
agree "after the corrections"

# ---- limits and malformed requests ----------------------------------------------
before=$(dump_sum "$db")
python3 -c 'print("[" * 40 + "]" * 40)' >"$tmp/deep.json"
http POST /v1/ask "$T1" "@$tmp/deep.json"
[ "$code" = 413 ] && ok || bad "JSON nested 40 deep: $code"
python3 -c 'print("{\"n\": 1, \"x\": \"" + "a" * 1100000 + "\"}")' >"$tmp/big.json"
http POST /v1/ask "$T1" "@$tmp/big.json"
[ "$code" = 413 ] && [ "$(jq -r .error.code "$tmp/body")" = too_large ] && ok || bad "a 1.1 MB body: $code"
http POST /v1/ask "$T1" "@$tmp/big.json" -H 'Transfer-Encoding: chunked'
[ "$code" = 413 ] && ok || bad "a 1.1 MB body in chunks (no length given): $code"
for body in '{"n": ' '[1]' '{"n": "2"}' '{"n": 0}' '{"lease": -1}' '{"n": 1, "n": 2}' '{"m": 1}' \
  '{"lease": NaN}' '{"lease": 1e999}'; do
  http POST /v1/ask "$T1" "$body"
  [ "$code" = 400 ] && [ "$(jq -r .error.code "$tmp/body")" = bad_request ] && ok || bad "ask $body: $code"
done
for body in '{"values": {"capacity": "high"}}' '{"values": {"nosuch": 1}}' '{"values": {"capacity": 999}}' \
  '{}' '{"id": 1, "values": {"capacity": 1}}' '{"failed": ""}' '{"abandon": false}'; do
  http POST "/v1/proposals/$a2/result" "$T1" "$body"
  case $code in 400 | 409) ok ;; *) bad "result $body: $code" ;; esac
done
http POST /v1/proposals/999999/result "$T1" '{"values": {"capacity": 1}}'
[ "$code" = 404 ] && ok || bad "an unknown proposal: $code"
for path in /v1/nope /v1/proposals/abc/result /v1/proposals/-1/result /v1/proposals/0 \
  /v1/proposals/1/../../status /v1/status/ /../etc/passwd; do
  http GET "$path" "$TV" '' --path-as-is
  [ "$code" = 404 ] && ok || bad "GET $path: $code"
done
http DELETE /v1/status "$TA"
[ "$code" = 405 ] && grep -qi '^Allow: GET' "$tmp/hdr" && ok || bad "DELETE /v1/status: $code"
[ "$(dump_sum "$db")" = "$before" ] && ok || bad "the refused requests changed the database"

# ---- busy: another process holds the write lock -> 503 with Retry-After -------
python3 - "$db" "$tmp/locked" <<'EOF' &
import sqlite3, sys, time
con = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=10)
con.execute("BEGIN IMMEDIATE")
open(sys.argv[2], "w").close()
time.sleep(2)
con.execute("ROLLBACK")
EOF
locker=$!
i=0; while [ ! -e "$tmp/locked" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
http POST /v1/ask "$T1" '{"n": 1}'
[ "$code" = 503 ] && grep -qi '^Retry-After: 1' "$tmp/hdr" && [ "$(jq -r .error.code "$tmp/body")" = busy ] &&
  ok || bad "an ask while another process writes: $code $(cat "$tmp/body")"
http GET /v1/status "$TV"
[ "$code" = 200 ] && ok || bad "reading while another process writes: $code"
wait "$locker"
http POST /v1/ask "$T1" '{"n": 1}'
[ "$code" = 200 ] && ok || bad "the ask once the lock is gone: $code"

# ---- the live page ------------------------------------------------------------------
http GET /v1/etag "$TV"; tag=$(jq -r .etag "$tmp/body")
grep -qi "^ETag: $tag" "$tmp/hdr" && ok || bad "the ETag header carries the tag"
http GET /v1/etag "$TV" '' -H "If-None-Match: $tag"
[ "$code" = 304 ] && ok || bad "If-None-Match with the tag: $code"
http GET "/?token=$TV"
[ "$code" = 200 ] && grep -q '<svg' "$tmp/body" && grep -q '/v1/etag' "$tmp/body" && ok ||
  bad "the page with ?token=: $code"
grep -qi '<script[^>]*src' "$tmp/body" && bad "the page loads an external script" || ok
grep -qi '^Set-Cookie: invdes_token=.*HttpOnly.*SameSite=Strict' "$tmp/hdr" && ok || bad "the page sets its cookie"
# The page's script compares the tag it was drawn at with GET /v1/etag's:
# equal while nothing changes, or the page would reload without end.
sed -n "s/^  var drawn = '\(.*\)';$/\1/p" "$tmp/body" >"$tmp/drawn"
http GET /v1/etag "$TV"
[ "$(cat "$tmp/drawn")" = "$(jq -r .etag "$tmp/body")" ] && ok ||
  bad "the page was drawn at $(cat "$tmp/drawn"), the tag is $(jq -r .etag "$tmp/body")"
http GET /v1/etag '' '' -H "Cookie: invdes_token=$TV"
[ "$code" = 200 ] && ok || bad "the cookie reads the tag: $code"
http POST /v1/ask '' '{"n": 1}' -H "Cookie: invdes_token=$T1"
[ "$code" = 401 ] && ok || bad "a cookie never authenticates a POST: $code"
http GET "/v1/status?token=$TV"
[ "$code" = 401 ] && ok || bad "?token= works on GET / only: $code"
ask "$T1" 1 600
post "$T1" "$(cat "$tmp/ids")" '{"values": {"capacity": 111, "voltage": 3.7}}' 200
http GET /v1/etag "$TV"
[ "$(jq -r .etag "$tmp/body")" != "$tag" ] && ok || bad "a result changes the tag"

# ---- the log, then SIGTERM ------------------------------------------------------------
grep -q " s1 POST /v1/proposals/$a1/result id=$a1 200 " "$tmp/main.log" && ok ||
  bad "an access line per request: $(grep result "$tmp/main.log" | head -2)"
grep -q " s2 POST /v1/proposals/$a1/result id=$a1 403 " "$tmp/main.log" && ok || bad "refusals are logged"
grep -qe "$T1" -e "$TV" -e "$TA" "$tmp/main.log" && bad "a token reached the log" || ok
# SIGTERM while a request is under way: a client has sent half its body.
# No new connection is taken; the request finishes with 200; then exit 0.
python3 - "${url##*:}" "$T1" "$tmp/half" "$tmp/go" >"$tmp/slow" <<'EOF' &
import os, socket, sys, time
port, token, half, go = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
body = b'{"n": 1, "lease": 60}'
s = socket.create_connection(("127.0.0.1", port))
s.sendall(b"POST /v1/ask HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token.encode() +
          b"\r\nContent-Length: %d\r\nConnection: close\r\n\r\n" % len(body) + body[:8])
time.sleep(0.3)
open(half, "w").close()
while not os.path.exists(go):
    time.sleep(0.02)
s.sendall(body[8:])
print(s.makefile("rb").readline().decode().split()[1])
EOF
slow=$!
i=0; while [ ! -e "$tmp/half" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
kill -TERM "$serve_pid"
sleep 0.5
kill -0 "$serve_pid" 2>/dev/null && ok || bad "serve waits for the request under way"
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TV" "$url/v1/status" || true)
[ "$code" = 000 ] && ok || bad "a new connection after SIGTERM: $code"
touch "$tmp/go"
wait "$slow"
[ "$(cat "$tmp/slow")" = 200 ] && ok || bad "the request under way at SIGTERM: $(cat "$tmp/slow")"
serve_stop TERM
[ "$serve_status" = 0 ] && ok || bad "SIGTERM: exit $serve_status"
grep -q "stopped; database closed" "$tmp/main.log" && ok || bad "the stop is logged"
[ "$(sqlite3 "$db" 'PRAGMA integrity_check')" = ok ] && ok || bad "integrity_check after the stop"

# ---- without tokens: loopback, read-write, the station in the body ----------------
serve_start open --db "$db" --listen 127.0.0.1:0 --threads 1 || { finish serve.sh; exit 1; }
grep -q "loopback only" "$tmp/open.log" && ok || bad "serve says it is open on loopback"
http POST /v1/ask '' '{"n": 1, "station": "bench", "lease": 60}'
[ "$code" = 200 ] && ok || bad "an ask without tokens: $code"
id=$(jq -r '.proposals[0].id' "$tmp/body")
"$INVDES" status --db "$db" --format json | jq -r ".pending[] | select(.id == $id) | .station" >"$tmp/holder"
[ "$(cat "$tmp/holder")" = bench ] && ok || bad "the body's station holds it: $(cat "$tmp/holder")"
post '' "$id" '{"values": {"capacity": 120, "voltage": 3.7}, "station": "other"}' 403
post '' "$id" '{"values": {"capacity": 120, "voltage": 3.7}, "station": "bench"}' 200
http POST /v1/ask '' '{"n": 1000, "station": "greedy", "lease": 60}'
n=$(jq '.proposals | length' "$tmp/body")
[ "$code" = 200 ] && [ "$n" -gt 0 ] && [ "$n" -lt 100 ] && jq -r .note "$tmp/body" | grep -q 'budget of 100.*over_budget' &&
  ok || bad "an ask past the budget: $code, $n proposals, note $(jq .note "$tmp/body")"
http POST /v1/ask '' '{"n": 1, "station": "late", "lease": 60}'
[ "$code" = 200 ] && [ "$(jq -c .proposals "$tmp/body")" = '[]' ] && ok || bad "an ask with the budget spent: $code"
serve_stop INT
[ "$serve_status" = 0 ] && ok || bad "SIGINT: exit $serve_status"

# ---- TLS with a self-signed certificate ------------------------------------------------
if command -v openssl >/dev/null 2>&1; then
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
    -addext subjectAltName=IP:127.0.0.1 -keyout "$tmp/key.pem" -out "$tmp/cert.pem" 2>/dev/null
  serve_start tls --db "$db" --tokens "$tmp/tokens" --listen 127.0.0.1:0 --threads 1 \
    --tls-cert "$tmp/cert.pem" --tls-key "$tmp/key.pem" || { finish serve.sh; exit 1; }
  case $url in https://*) ok ;; *) bad "TLS serves https: $url" ;; esac
  http GET /v1/whoami "$TV" '' --cacert "$tmp/cert.pem"
  [ "$code" = 200 ] && [ "$(jq -r .name "$tmp/body")" = lab-tv ] && ok || bad "whoami over TLS: $code"
  code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:${url##*:}/v1/whoami" || true)
  [ "$code" != 200 ] && ok || bad "plain HTTP on the TLS port"
  serve_stop TERM
  [ "$serve_status" = 0 ] && ok || bad "TLS server: exit $serve_status"
  expect_exit 2 "a bad TLS key" "$INVDES" serve --db "$db" --tokens "$tmp/tokens" --listen 127.0.0.1:0 \
    --tls-cert "$tmp/cert.pem" --tls-key "$tmp/missing.pem"
fi
[ "$(sqlite3 "$db" 'PRAGMA integrity_check')" = ok ] && ok || bad "integrity_check at the end"

finish serve.sh
