# serve_lib.sh — what the tests of `invdes serve` share, sourced after
# lib.sh: starting a server on a free loopback port (port 0: the kernel picks
# one, the server prints it when it is ready), stopping it in any case when
# the script ends, and one HTTP request with curl.
#
#   serve_start NAME ARGS...   starts `invdes serve ARGS...` in the
#                              background, its stderr in $tmp/NAME.log; sets
#                              $url (http(s)://127.0.0.1:PORT) and $serve_pid;
#                              returns 1 when it is not ready within 20 s
#   serve_stop [SIGNAL]        signals it (TERM by default), waits, sets
#                              $serve_status to its exit status
#   http METHOD PATH [TOKEN] [BODY|@FILE] [CURL ARGS...]
#                              sets $code (the HTTP status); the body is in
#                              $tmp/body, the headers in $tmp/hdr
serve_pid=
serve_status=
trap 'if [ -n "$serve_pid" ]; then kill -KILL "$serve_pid" 2>/dev/null; wait "$serve_pid" 2>/dev/null; fi; rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM

serve_start() {
  name=$1; shift
  : >"$tmp/$name.log"
  "$INVDES" serve "$@" 2>"$tmp/$name.log" &
  serve_pid=$!
  i=0
  while [ $i -lt 200 ]; do
    port=$(sed -n 's|^invdes serve: listening on https*://[^ ]*:\([0-9][0-9]*\)/ .*|\1|p' "$tmp/$name.log")
    if [ -n "$port" ]; then
      scheme=$(sed -n 's|^invdes serve: listening on \(https*\)://.*|\1|p' "$tmp/$name.log")
      url="$scheme://127.0.0.1:$port"
      return 0
    fi
    kill -0 "$serve_pid" 2>/dev/null || break
    sleep 0.1
    i=$((i + 1))
  done
  kill -KILL "$serve_pid" 2>/dev/null
  wait "$serve_pid" 2>/dev/null
  serve_pid=
  echo "serve did not start: $(cat "$tmp/$name.log")"
  return 1
}

serve_stop() {
  [ -n "$serve_pid" ] || return 0
  kill "-${1:-TERM}" "$serve_pid" 2>/dev/null
  wait "$serve_pid"
  serve_status=$?
  serve_pid=
}

http() {
  method=$1 path=$2 token=${3:-} body=${4:-}
  shift 2; [ $# -gt 0 ] && shift; [ $# -gt 0 ] && shift
  set -- -s -o "$tmp/body" -D "$tmp/hdr" -w '%{http_code}' -X "$method" "$@"
  [ -n "$token" ] && set -- "$@" -H "Authorization: Bearer $token"
  if [ -n "$body" ]; then
    case $body in @*) ;; *) printf '%s' "$body" >"$tmp/req"; body=@$tmp/req ;; esac
    set -- "$@" -H 'Content-Type: application/json' --data-binary "$body"
  fi
  code=$(curl "$@" "$url$path")
}
