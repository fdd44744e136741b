#!/bin/sh
# serve_page.sh — the live campaign page of `invdes serve` (issue 11's
# acceptance): a database with ten results and one proposal still pending,
# the real server on a free loopback port with a tokens file; the page
# needs a token (401 without, a viewer's will do); then tests/serve_page.py
# opens it in headless chromium at /?token=VIEWER and checks that the
# figures are drawn (every <figure> an <svg> with a data path), no external
# script is loaded, the token leaves the address bar, and that after the
# station posts one more result the open page shows it within 5 s. Skips
# (77) only when chromium is not installed (scripts/install-deps installs
# it). Needs $INVDES, $top_srcdir (make check), curl and sqlite3.
. "$(dirname "$0")/lib.sh"
: "${top_srcdir:?top_srcdir must name the source tree}"
. "$top_srcdir/tests/serve_lib.sh"
. "$top_srcdir/tests/stations_lib.sh"
need serve_page.sh curl sqlite3
command -v chromium >/dev/null 2>&1 || { echo "SKIP: chromium is not installed"; exit 77; }
db="$tmp/page.db"
"$INVDES" init "$top_srcdir/tests/campaigns/good/station.yaml" --db "$db" >/dev/null && ok || bad init
set -- $("$INVDES" ask --db "$db" -n 11 --station s1 --lease 3600 --format csv | awk -F, 'NR > 1 { print $1 }')
k=0
for id in "$@"; do
  k=$((k + 1))
  [ $k -eq 11 ] && { last=$id; break; }
  "$INVDES" tell --db "$db" "$id" capacity=$((150 + k * 3)) voltage=3.$((5 + k % 4)) \
    --station s1 >/dev/null || bad "tell $id"
done
serve_tokens "$tmp/tokens" s1:station viewer:viewer
serve_start serve --db "$db" --listen 127.0.0.1:0 --tokens "$tmp/tokens" || { finish serve_page; exit 1; }
code=$(curl -s -o /dev/null -w '%{http_code}' "$url/")
[ "$code" = 401 ] && ok || bad "the page without a token: $code"
code=$(curl -s -o "$tmp/page.html" -w '%{http_code}' -H "Authorization: Bearer $(token viewer)" "$url/")
[ "$code" = 200 ] && grep -q '<svg' "$tmp/page.html" && ok || bad "the page with a viewer token: $code"
mkdir "$tmp/chromium"
"$python" "$top_srcdir/tests/serve_page.py" "$(command -v chromium)" "$url" "$(token viewer)" \
  "$(token s1)" "$last" 4321.5 "$tmp/chromium" && ok ||
  bad "the live page (above; chromium's log: $(tail -3 "$tmp/chromium/chromium.log"))"
serve_stop TERM
[ "$serve_status" -eq 0 ] && ok || bad "serve stopped with status $serve_status"
finish serve_page
