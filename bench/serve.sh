#!/bin/sh
# serve.sh — ask+report round trips per second through `invdes serve`
# against the command line doing the same work (issue 11): with 1 and with 8
# clients, each round trip an ask for one proposal and its result, on a
# fresh database of tests/campaigns/good/station.yaml (random strategy, the
# budget raised so it never ends), the stations named by their tokens.
#   serve: bench/serve_load.py, one process and one kept-alive connection
#          per client, `serve --threads 8`;
#   CLI:   per client a shell loop of `invdes ask -n 1 --station S` and
#          `invdes tell ID ... --station S` (a process each).
# $SERVE_BENCH_CYCLES round trips per configuration (default 800 for serve,
# a sixteenth of it for the CLI, whose round trip starts two processes),
# median of 3; prints the medians and the ratio serve / CLI. Run by `make
# bench` from the build folder; asserts nothing.
set -eu
builddir=${top_builddir:-.}
srcdir=${top_srcdir:-.}
bin="$builddir/invdes"
python=/usr/bin/python3
[ -x "$python" ] || python=python3
total=${SERVE_BENCH_CYCLES:-800}
cli_total=$((total / 16))
dir=$(mktemp -d "${TMPDIR:-/tmp}/invdes-bench-serve.XXXXXX")
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$dir"' EXIT
trap 'exit 1' INT TERM
sed 's/evaluations: 400/evaluations: 1000000/' "$srcdir/tests/campaigns/good/station.yaml" >"$dir/c.yaml"
: >"$dir/tokens"; chmod 600 "$dir/tokens"
for i in 1 2 3 4 5 6 7 8; do
  echo "$("$python" -c 'import secrets; print(secrets.token_hex(16))') b$i station" >>"$dir/tokens"
done
now() { date +%s.%N; }
fresh_db() { rm -f "$dir/b.db" "$dir/b.db-wal" "$dir/b.db-shm"; "$bin" init "$dir/c.yaml" --db "$dir/b.db" >/dev/null; }
median() { echo $* | tr ' ' '\n' | sort -n | sed -n 2p; }

serve_rate() { # CLIENTS: one run on a fresh database and server
  fresh_db
  port=$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  "$bin" serve --db "$dir/b.db" --listen "127.0.0.1:$port" --tokens "$dir/tokens" --threads 8 2>/dev/null &
  pid=$!
  i=0; until curl -s -o /dev/null "http://127.0.0.1:$port/v1/openapi.json"; do
    i=$((i + 1)); [ $i -lt 100 ] || { echo "serve did not start" >&2; exit 1; }; sleep 0.1; done
  line=$("$python" "$srcdir/bench/serve_load.py" 127.0.0.1 "$port" "$dir/tokens" "$1" $((total / $1)))
  kill "$pid"; wait "$pid" || true; pid=
  echo "$line" | tr ' ' '\n' | sed -n 's/^round_trips_per_s=//p'
}
cli_client() { # STATION CYCLES
  k=0
  while [ $k -lt "$2" ]; do
    id=$("$bin" ask --db "$dir/b.db" -n 1 --station "$1" --lease 600 --format csv | sed -n '2s/,.*//p')
    "$bin" tell --db "$dir/b.db" "$id" capacity=$((100 + k)) voltage=3.7 --station "$1" >/dev/null
    k=$((k + 1))
  done
}
cli_rate() { # CLIENTS
  fresh_db
  t0=$(now)
  c=1; pids=""
  while [ $c -le "$1" ]; do cli_client "b$c" $((cli_total / $1)) & pids="$pids $!"; c=$((c + 1)); done
  for p in $pids; do wait "$p"; done
  echo "$t0 $(now) $((cli_total / $1 * $1))" | awk '{ printf "%.0f", $3 / ($2 - $1) }'
}
echo "serve: ask+report round trips/s, $total per run through serve, $cli_total through the CLI, median of 3 (TMPDIR=${TMPDIR:-/tmp})"
for clients in 1 8; do
  s=""; c=""
  for rep in 1 2 3; do s="$s $(serve_rate $clients)"; c="$c $(cli_rate $clients)"; done
  ms=$(median $s) mc=$(median $c)
  echo "  $clients client(s): serve median $ms/s (runs:$s), CLI median $mc/s (runs:$c), ratio $(echo "$ms $mc" | awk '{ printf "%.1f", $1 / $2 }')"
done
