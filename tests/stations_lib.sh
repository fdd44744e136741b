# stations_lib.sh — what the station-side tests of `invdes serve`
# (serve_parallel, serve_hostile, serve_kill, serve_page) add to
# serve_lib.sh, sourced after it: a tokens file, the station processes
# stopped with the server however the script ends, Debian's python.
#
#   serve_tokens FILE NAME:ROLE...  writes a tokens file (mode 0600), one
#                                   random token per NAME
#   token NAME                      prints NAME's token
#   also_kill PID...                processes (stations) to kill at exit,
#                                   before the server is
#   $python                         /usr/bin/python3 (the stdlib is enough)
python=/usr/bin/python3
[ -x "$python" ] || python=python3
children=
also_kill() { children="$children $*"; }
trap 'for c in $children; do kill "$c" 2>/dev/null; done; serve_stop KILL 2>/dev/null; rm -rf "$tmp"' EXIT

serve_tokens() {
  file=$1; shift
  : >"$file" && chmod 600 "$file"
  echo "# TOKEN NAME ROLE" >>"$file"
  for nr in "$@"; do
    printf '%s %s %s\n' "$("$python" -c 'import secrets; print(secrets.token_hex(16))')" \
      "${nr%%:*}" "${nr#*:}" >>"$file"
  done
  serve_token_file=$file
}
token() { awk -v n="$1" '$2 == n { print $1 }' "$serve_token_file"; }
