#!/bin/sh
# campaigns.sh — every example campaign under campaigns/ validates, runs to
# completion with a short budget, and gets its report.
# The examples are copied to a scratch folder (lib.sh examples_copy, which
# also generates the high-throughput pool by its recipe) and each copy's
# budget.evaluations is lowered to $budget: the budget is a harmless change
# of a campaign, and nothing else of the file moves. Campaigns invdes
# evaluates itself (dataset, command, builtin) run with `invdes run`; a
# station campaign must name the emulator that answers for its laboratory
# (a `# station-emulator: PATH` line) and is run as a scripted station:
# ask a batch, let the emulator answer it, tell the answers, until ask
# says the budget is spent (exit 4). Each run must end with every result
# told (status: the budget reached, or a result met stop_when) and with no
# failure; then `invdes report` writes its page. Needs $INVDES, $top_srcdir,
# jq and python3 (the emulators and the pool generator, standard library).
. "$(dirname "$0")/lib.sh"
: "${top_srcdir:?top_srcdir must name the source tree}"
need campaigns.sh jq python3
budget=24
ex="$tmp/examples"
examples_copy "$ex" && ok || bad "copy the examples and generate the pool"
n_pool=$(($(wc -l <"$ex/data/hts/pool.csv") - 1))
[ "$n_pool" -ge 100000 ] && ok || bad "the generated pool has $n_pool candidates, not 100000"

# scripted_station CAMPAIGN DB EMULATOR: ask/tell rounds answered by EMULATOR.
scripted_station() {
  "$INVDES" init "$1" --db "$2" >/dev/null || { bad "init $1"; return; }
  rounds=0
  while "$INVDES" ask --db "$2" -n 8 --station emu --format json >"$tmp/ask.json" 2>"$tmp/err"; do
    rounds=$((rounds + 1))
    [ "$rounds" -le $budget ] || { bad "$1: ask never says the budget is spent"; return; }
    "$3" <"$tmp/ask.json" | "$INVDES" tell --db "$2" --station emu -q --from - ||
      { bad "$1: tell of the emulator's answers"; return; }
  done
  grep -q 'budget' "$tmp/err" && ok || bad "$1: ask ended with: $(cat "$tmp/err")"
}

count=0
for f in "$ex"/*.yaml; do
  c=$(basename "$f" .yaml)
  count=$((count + 1))
  expect_exit 0 "validate $c" "$INVDES" validate "$f"
  # the opening comment, its lines joined, cites the review
  sed -n '1,/^[^#]/s/^# *//p' "$f" | tr '\n' ' ' | grep -q 'Energy Adv\. 2023, 2, 449' && ok ||
    bad "$c does not open with a comment citing the review"
  sed -i "s/^  evaluations: .*/  evaluations: $budget/" "$f"
  db="$ex/$c.db"
  if grep -q '^  kind: station' "$f"; then
    emu=$(sed -n 's/^# station-emulator: //p' "$f")
    [ -n "$emu" ] && [ -x "$ex/$emu" ] && ok || { bad "$c: no runnable station-emulator line"; continue; }
    scripted_station "$f" "$db" "$ex/$emu"
  else
    expect_exit 0 "run $c" "$INVDES" run --quiet "$f" --db "$db"
    cp "$tmp/err" "$tmp/run.err"
  fi
  "$INVDES" status --db "$db" --format json >"$tmp/status.json" 2>"$tmp/err" ||
    { bad "status $c: $(cat "$tmp/err")"; continue; }
  done=$(jq '.counts.done' "$tmp/status.json")
  nfailed=$(jq '.counts.failed' "$tmp/status.json")
  pending=$(jq '(.counts.pending // 0) + (.counts.partial // 0)' "$tmp/status.json")
  [ "$nfailed" = 0 ] && [ "$pending" = 0 ] && [ "$done" -ge 1 ] && [ "$done" -le $budget ] && ok ||
    bad "$c: $done done, $nfailed failed, $pending pending after the run"
  # short of the budget only when a result met stop_when
  [ "$done" -eq $budget ] || { [ -f "$tmp/run.err" ] && grep -q stop_when "$tmp/run.err"; } && ok ||
    bad "$c: $done of $budget results and no stop_when met"
  rm -f "$tmp/run.err"
  expect_exit 0 "report $c" "$INVDES" report --db "$db" --out "$ex/$c-report"
  [ -s "$ex/$c-report/index.html" ] && ok || bad "report $c wrote no page"
done
[ "$count" -ge 12 ] && ok || bad "only $count example campaigns"
finish campaigns.sh
