# lib.sh — the preamble every shell test (tests/*.sh) shares;
# each sources it first with `. "$(dirname "$0")/lib.sh"`.
#
# It sets -u, makes a scratch folder $tmp removed on exit, counts checks
# (ok, bad) and runs a command for its exit status (expect_exit). A script
# ends with `finish NAME`, whose status is the script's: non-zero when any
# check failed, so make check reports it. Needs $INVDES (set by make check).
set -u
: "${INVDES:?INVDES must name the invdes binary}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
passed=0
failed=0
ok() { passed=$((passed + 1)); }
bad() { echo "FAIL: $*"; failed=$((failed + 1)); }
# expect_exit CODE DESCRIPTION COMMAND...: the command's exit status is CODE;
# its output is left in $tmp/out and $tmp/err for further checks.
expect_exit() {
  want=$1 what=$2; shift 2
  "$@" >"$tmp/out" 2>"$tmp/err"; got=$?
  [ "$got" -eq "$want" ] && ok || bad "$what: exit $got, wanted $want ($(head -c 400 "$tmp/err"))"
}
# need SCRIPT TOOL...: stops the script with a FAIL unless every TOOL is on
# the PATH (scripts/install-deps installs them).
need() {
  script=$1; shift
  for tool in "$@"; do
    command -v "$tool" >/dev/null 2>&1 ||
      { echo "FAIL: $script needs $tool (scripts/install-deps installs it)"; exit 1; }
  done
}
# dump_sum DB: the SHA-256 of a database's SQL dump (unchanged data, same sum).
dump_sum() { sqlite3 "$1" .dump | sha256sum; }
# finish NAME: prints the tally; returns 1 when a check failed.
finish() {
  echo "$1: $passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}
# examples_copy DIR: a writable copy of the example campaigns (campaigns/:
# YAML files, data, emulators) in DIR, with the generated pool of
# hts-screen.yaml made there by its recipe (campaigns/data/hts/make_pool.py),
# so every example validates and runs from DIR. Needs $top_srcdir.
examples_copy() {
  mkdir -p "$1" && cp -R "$top_srcdir"/campaigns/. "$1"/ && chmod -R u+w "$1" &&
    rm -f "$1"/*.db "$1"/*.db-wal "$1"/*.db-shm &&
    { [ -s "$1/data/hts/pool.csv" ] || "$1/data/hts/make_pool.py"; }
}
