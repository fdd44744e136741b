#!/bin/sh
# integrity.sh — a campaign database that cannot be trusted is never read
# from, one that cannot be written is still readable, and an export never
# destroys it (issue 8, Found 3, 5 and 9's read-only half).
# 1. A damaged page, a damaged index root page, index entries that no longer
#    match their rows, and a truncated file: every
#    verb (status, best, export, ask, tell, run) prints one message naming the
#    file and `sqlite3 FILE .recover`, exits non-zero and prints nothing on
#    standard output (no figures).
#    A table column or an index missing from the schema is named.
# 2. A database file of mode 0444, and one in a folder that cannot be written
#    (no -wal/-shm can be made there): status, best and export read it; tell
#    is refused with exit 1. Run as an unprivileged user when the test runs as
#    root (root writes anywhere), through setpriv.
# 3. export --out refuses the database and its -wal/-shm files, and any
#    existing file unless --force; a failed export leaves no file behind.
# Needs $INVDES, $top_srcdir and the sqlite3 program.
. "$(dirname "$0")/lib.sh"
: "${top_srcdir:?top_srcdir must name the source tree}"
command -v sqlite3 >/dev/null 2>&1 || { echo "FAIL: integrity.sh needs sqlite3"; exit 1; }
campaign="$top_srcdir/tests/campaigns/good/station.yaml"
db="$tmp/good.db"
"$INVDES" init "$campaign" --db "$db" >/dev/null || bad "init"
"$INVDES" ask --db "$db" -n 8 --station r1 >/dev/null || bad "ask"
for i in 1 2 3 4; do
  "$INVDES" tell --db "$db" --station r1 "$i" capacity=$((200 + i)) voltage=3.7 >/dev/null || bad "tell $i"
done
# Everything into the main file, so that damaging it damages the record.
sqlite3 "$db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
page=$(sqlite3 "$db" "PRAGMA page_size")
root() { sqlite3 "$db" "SELECT rootpage FROM sqlite_master WHERE name = '$1'"; }
# damage COPY PAGE: 64 bytes of 0xff over the start of page PAGE (1-based).
damage() {
  cp "$db" "$1"
  head -c 64 /dev/zero | tr '\0' '\377' |
    dd of="$1" bs=1 seek=$((($2 - 1) * page)) conv=notrunc 2>/dev/null
}
damage "$tmp/page.db" "$(root proposals)"
damage "$tmp/index.db" "$(root proposals_status)"
# keys.db: the index's entries no longer match their rows, its structure
# intact: every 'done' key of proposals_status spelt 'pend' (the damage that
# made status count 0 of 8 results; PRAGMA quick_check does not see it).
cp "$db" "$tmp/keys.db"
ipage=$(root proposals_status)
grep -obUa done "$tmp/keys.db" | cut -d: -f1 | while read -r at; do
  if [ "$at" -ge $(((ipage - 1) * page)) ] && [ "$at" -lt $((ipage * page)) ]; then
    printf pend | dd of="$tmp/keys.db" bs=1 seek="$at" conv=notrunc 2>/dev/null
  fi
done
cmp -s "$db" "$tmp/keys.db" && bad "the index keys were not changed"
cp "$db" "$tmp/short.db"
truncate -s $((($(root proposals_status) - 1) * page)) "$tmp/short.db"

for kind in page index keys short; do
  f="$tmp/$kind.db"
  for verb in status best export ask tell run; do
    case $verb in
      ask) set -- ask --db "$f" -n 1 --station r2 ;;
      tell) set -- tell --db "$f" --station r1 5 capacity=1 ;;
      run) set -- run "$campaign" --db "$f" ;;
      *) set -- "$verb" --db "$f" ;;
    esac
    "$INVDES" "$@" >"$tmp/out" 2>"$tmp/err"; rc=$?
    [ "$rc" -ne 0 ] && ok || bad "$verb on a $kind-damaged database exits 0"
    grep -q "$kind.db: the database file is damaged" "$tmp/err" && grep -q "sqlite3 $f .recover" "$tmp/err" \
      && ok || bad "$verb on a $kind-damaged database: $(head -c 300 "$tmp/err")"
    [ "$(grep -c . "$tmp/err")" -eq 1 ] && ok || bad "$verb ($kind): more than one message: $(cat "$tmp/err")"
    [ ! -s "$tmp/out" ] && ok || bad "$verb on a $kind-damaged database printed: $(head -c 200 "$tmp/out")"
  done
done

# 1b. The schema is checked: a column or an index dropped outside invdes is
# named; more than invdes makes (a table, a column of one's own) is fine.
cp "$db" "$tmp/nocol.db"
sqlite3 "$tmp/nocol.db" "ALTER TABLE proposals DROP COLUMN acquisition"
cp "$db" "$tmp/noindex.db"
sqlite3 "$tmp/noindex.db" "DROP INDEX proposals_status"
for verb in status best export; do
  expect_exit 2 "$verb without proposals.acquisition" "$INVDES" "$verb" --db "$tmp/nocol.db"
  grep -q "nocol.db: the column proposals.acquisition is missing" "$tmp/err" && [ ! -s "$tmp/out" ] && ok \
    || bad "$verb names the missing column: $(cat "$tmp/err")"
  expect_exit 2 "$verb without the index" "$INVDES" "$verb" --db "$tmp/noindex.db"
  grep -q "the index proposals_status is missing" "$tmp/err" && ok || bad "$verb names the index: $(cat "$tmp/err")"
done
# Without the trigger that writes each result's first version, tells would
# leave no trace in result_history: the audit trail silently incomplete.
cp "$db" "$tmp/notrigger.db"
sqlite3 "$tmp/notrigger.db" "DROP TRIGGER results_first_version"
expect_exit 2 "tell without the history trigger" "$INVDES" tell --db "$tmp/notrigger.db" 5 capacity=1
grep -q "the trigger results_first_version is missing" "$tmp/err" && ok \
  || bad "tell names the trigger: $(cat "$tmp/err")"
cp "$db" "$tmp/more.db"
sqlite3 "$tmp/more.db" "CREATE TABLE notes(t); ALTER TABLE proposals ADD COLUMN note TEXT"
expect_exit 0 "status with a table and a column of the lab's own" "$INVDES" status --db "$tmp/more.db"

# 2. Read-only databases.
as_user=""
if [ "$(id -u)" -eq 0 ]; then
  if command -v setpriv >/dev/null 2>&1; then
    as_user="setpriv --reuid=65534 --regid=65534 --clear-groups"
    chmod 755 "$tmp"
  else
    echo "NOTE: integrity.sh runs as root without setpriv: read-only checks left out"
  fi
fi
if [ "$(id -u)" -ne 0 ] || [ -n "$as_user" ]; then
  "$INVDES" status --db "$db" >"$tmp/status.want"
  mkdir "$tmp/rofile" "$tmp/rodir"
  cp "$db" "$tmp/rofile/c.db"
  cp "$db" "$tmp/rodir/c.db"
  chmod 777 "$tmp/rofile"
  chmod 444 "$tmp/rofile/c.db" "$tmp/rodir/c.db"
  chmod 555 "$tmp/rodir"
  for where in rofile rodir; do
    f="$tmp/$where/c.db"
    for verb in status best export; do
      expect_exit 0 "$verb of a read-only database ($where)" $as_user "$INVDES" "$verb" --db "$f"
    done
    $as_user "$INVDES" status --db "$f" 2>/dev/null | sed 1,2d >"$tmp/status.got"
    sed 1,2d "$tmp/status.want" | cmp -s - "$tmp/status.got" && ok \
      || bad "status of a read-only database ($where) differs from the writable one's"
    expect_exit 1 "tell into a read-only database ($where)" $as_user "$INVDES" tell --db "$f" --station r1 5 capacity=1
    grep -q "readonly\|read-only" "$tmp/err" && ok || bad "tell ($where) says why: $(cat "$tmp/err")"
  done
  chmod 755 "$tmp/rodir"
fi

# 3. export --out.
cp "$db" "$tmp/keep.db"
"$INVDES" export --db "$tmp/keep.db" >"$tmp/keep.csv"
# A reader holding the database open keeps its -wal and -shm files there.
{ echo "SELECT count(*) FROM proposals;"; sleep 5; } | sqlite3 "$tmp/keep.db" >/dev/null &
holder=$!
i=0
while [ ! -e "$tmp/keep.db-shm" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
for target in "$tmp/keep.db" "$tmp/./keep.db" "$tmp/keep.db-wal" "$tmp/keep.db-shm"; do
  [ -e "$target" ] || bad "$target is missing"
  expect_exit 2 "export --out onto $target" "$INVDES" export --db "$tmp/keep.db" --out "$target" --force
  grep -q "is the campaign database" "$tmp/err" && ok || bad "the refusal says why: $(cat "$tmp/err")"
done
kill "$holder" 2>/dev/null
wait "$holder" 2>/dev/null
# With no connection open the -wal and -shm files do not exist; an export
# renamed onto one of those names would be taken for the database's journal
# and deleted by the next close (exit 0, no file left). Refused by name.
mkdir "$tmp/fresh"
cp "$db" "$tmp/fresh/f.db"
for suffix in -wal -shm -journal; do
  [ -e "$tmp/fresh/f.db$suffix" ] && bad "f.db$suffix exists before the export"
  expect_exit 2 "export --out onto the absent f.db$suffix" "$INVDES" export \
    --db "$tmp/fresh/f.db" --out "$tmp/fresh/../fresh/f.db$suffix" --force
  grep -q "is the campaign database" "$tmp/err" && ok || bad "the refusal says why: $(cat "$tmp/err")"
  [ -e "$tmp/fresh/f.db$suffix" ] && bad "export --out left f.db$suffix" || ok
done
ln -s "$tmp/keep.db" "$tmp/link.db"
expect_exit 2 "export --out onto a link to the database" "$INVDES" export --db "$tmp/keep.db" \
  --out "$tmp/link.db" --force
expect_exit 0 "status after the refused exports" "$INVDES" status --db "$tmp/keep.db"
echo old >"$tmp/old.csv"
expect_exit 2 "export --out onto an existing file" "$INVDES" export --db "$tmp/keep.db" --out "$tmp/old.csv"
grep -q "already exists; give --force" "$tmp/err" && ok || bad "the refusal names --force: $(cat "$tmp/err")"
[ "$(cat "$tmp/old.csv")" = old ] && ok || bad "the existing file was changed"
expect_exit 0 "export --out --force" "$INVDES" export --db "$tmp/keep.db" --out "$tmp/old.csv" --force
cmp -s "$tmp/old.csv" "$tmp/keep.csv" && ok || bad "export --out --force wrote other data"
expect_exit 0 "export --out a new file" "$INVDES" export --db "$tmp/keep.db" --out "$tmp/new.csv"
cmp -s "$tmp/new.csv" "$tmp/keep.csv" && ok || bad "export --out wrote other data"
# A failed export (the database damaged) leaves neither the file nor a temporary one.
mkdir "$tmp/outdir"
"$INVDES" export --db "$tmp/page.db" --out "$tmp/outdir/x.csv" 2>/dev/null \
  && bad "export of a damaged database to a file exits 0" || ok
[ -z "$(ls -A "$tmp/outdir")" ] && ok || bad "a failed export left $(ls -A "$tmp/outdir")"

finish integrity.sh
