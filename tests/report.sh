#!/bin/sh
# report.sh — `invdes report` writes a page that opens in a real browser.
# The six example campaigns whose figures are checked below are run briefly
# (the dataset ones by `invdes run` with a smaller budget; the station ones
# by ask/tell by hand with values scripted from the parameters, one
# experiment failed; tests/campaigns.sh runs and reports every example), so is a
# two-objective station campaign, and each report's index.html is loaded in
# headless chromium: every <figure> the page has must hold an SVG with a
# non-empty data path in the DOM chromium built, and chromium's log must
# show no console message. Each figure's own .svg file must be well-formed
# XML. Bad input (a missing database, a file that is not one, an output
# path that is a file or cannot be written) is refused with a message and a
# non-zero exit; a campaign without results still gets a page that says so.
# Skips (77) only when chromium is not installed (scripts/install-deps
# installs it). Needs $INVDES and $top_srcdir (make check), jq, sqlite3 and
# xmllint.
. "$(dirname "$0")/lib.sh"
: "${top_srcdir:?top_srcdir must name the source tree}"
need report.sh jq xmllint sqlite3
examples="$top_srcdir/campaigns"
ln -s "$examples/data" "$tmp/data"

# scaled NAME N: the example campaign NAME with a budget of N evaluations,
# beside the data folder so its pool file resolves.
scaled() {
  sed "s/^  evaluations: .*/  evaluations: $2/" "$examples/$1.yaml" >"$tmp/$1.yaml"
}

# station DB ROUNDS N JQ: ROUNDS of ask N / tell, the values made by the jq
# filter JQ from each proposal's parameters; the first proposal of the
# second round fails with a reason full of markup.
station() {
  db=$1 rounds=$2 n=$3 prog=$4 r=0
  while [ "$r" -lt "$rounds" ]; do
    "$INVDES" ask --db "$db" -n "$n" --station s1 --format json >"$tmp/ask.json" ||
      { bad "ask on $db"; return; }
    if [ "$r" -eq 1 ]; then
      first=$(jq '.[0].id' "$tmp/ask.json")
      "$INVDES" tell --db "$db" --station s1 -q "$first" \
        --failed "cell <b>shorted</b> & 'vented'" || bad "tell --failed on $db"
      jq '.[1:]' "$tmp/ask.json" >"$tmp/ask2.json" && mv "$tmp/ask2.json" "$tmp/ask.json"
    fi
    jq "[.[] | {id, values: (.parameters | $prog)}]" "$tmp/ask.json" >"$tmp/tell.json" &&
      "$INVDES" tell --db "$db" --station s1 -q --from "$tmp/tell.json" ||
      bad "tell on $db: $(cat "$tmp/tell.json" | head -c 300)"
    r=$((r + 1))
  done
}

# values_of C DB: the jq filter making campaign C's station values from a
# proposal's parameters: a model of the example's chemistry where one is
# written here, else, for an example added later, each target a fraction of
# the parameters' sum spread over its declared range (or [1, 2]).
values_of() {
  case "$1" in
    mxene-rf) echo '{capacity: (120 + 35 * .n_layers + ({"O": 40, "OH": 25, "F": 10, "Cl": 5,
      "bare": 0}[.termination]) + (if .x_element == "N" then 15 else 0 end)),
      work_function: (3.1 + ({"O": 1.9, "OH": -0.4, "F": 1.1, "Cl": 0.8,
      "bare": 0.5}[.termination]) + 0.1 * .n_layers)}' ;;
    ncm-cathode) echo '{capacity: (140 + 80 * .ni - 15 * .co + (.sinter_T - 800) / 20),
      retention: (0.99 - 0.15 * .ni + 0.2 * .co)}' ;;
    porous-electrode) echo '{areal_capacity: (.coat_gap / 60 * .active * (1 - 0.3 * .solids)),
      rate_retention: (1.02 - .coat_gap / 600 - 0.5 * .binder
      + (.calender_pressure | log) / 40)}' ;;
    *) sqlite3 -separator ' ' "$2" \
         "SELECT name, coalesce(range_lo, 1), coalesce(range_hi, 2) FROM targets ORDER BY position" |
       awk '{ printf "%s\"%s\": (%s + (%s - %s) * ((([.[] | numbers] | add // 0) * %d + 0.1) | . - floor))",
              (NR > 1 ? ", " : "{"), $1, $2, $3, $2, NR + 2 } END { print "}" }' ;;
  esac
}

# 1.-2. The six examples: a short run of those invdes evaluates itself
# (builtin, dataset, command), ask/tell by hand for the station ones.
examples_run=""
for c in redox-screen redox-window redox-tradeoff ncm-cathode porous-electrode mxene-rf; do
  f="$examples/$c.yaml"
  examples_run="$examples_run $c"
  scaled "$c" 24
  if "$INVDES" run "$tmp/$c.yaml" --db "$tmp/$c.db" >/dev/null 2>"$tmp/err"; then
    ok
  elif grep -q 'tell' "$tmp/err"; then
    rm -f "$tmp/$c.db"
    "$INVDES" init "$f" --db "$tmp/$c.db" >/dev/null && ok || bad "init $c"
    station "$tmp/$c.db" 4 6 "$(values_of "$c" "$tmp/$c.db")"
  else
    bad "run $c: $(head -c 300 "$tmp/err")"
  fi
done
[ -n "$examples_run" ] && ok || bad "no example campaign under $examples"

# 3. A station campaign with two objectives (and a condition): its page has
# the Pareto front.
cat >"$tmp/two.yaml" <<'EOF'
name: two-objectives
description: Capacity against fade, voltage in a window (a report test)
seed: 5
parameters:
  - {name: sinter_T, type: continuous, bounds: [700, 900], unit: degC}
compositions:
  - name: tm
    total: 1.0
    components: {ni: [0.3, 0.9], mn: [0.05, 0.4], co: [0.05, 0.4], al: [0, 0.05]}
targets:
  - {name: capacity, goal: maximize, unit: mAh/g}
  - {name: fade, goal: minimize, unit: "% per 100 cycles"}
  - {name: voltage, goal: window, window: [3.6, 3.8], unit: V}
objective: {kind: station}
strategy: {kind: bo, batch: 4, initial: {design: sobol, count: 8}}
budget: {evaluations: 40}
EOF
"$INVDES" init "$tmp/two.yaml" --db "$tmp/two.db" >/dev/null && ok || bad "init two"
station "$tmp/two.db" 5 4 '{capacity: (150 + 70 * .ni + 0.02 * (.sinter_T - 700)),
  fade: (2 + 10 * .ni * .ni - 4 * .co + 0.002 * (.sinter_T - 700)),
  voltage: (3.5 + 0.5 * .mn + 0.4 * .co)}'

# Three objectives, a unit full of markup: the pairwise projections.
cat >"$tmp/three.yaml" <<'EOF'
name: three-objectives
seed: 9
parameters:
  - {name: x, type: continuous, bounds: [0, 1], unit: "um <thick> & 'dry'"}
  - {name: y, type: continuous, bounds: [0, 1]}
targets:
  - {name: capacity, goal: maximize, unit: "mAh/g <&>"}
  - {name: fade, goal: minimize}
  - {name: cost, goal: minimize, unit: "EUR/kg"}
objective: {kind: station}
strategy: {kind: random, batch: 8}
budget: {evaluations: 24}
EOF
"$INVDES" init "$tmp/three.yaml" --db "$tmp/three.db" >/dev/null && ok || bad "init three"
# (values by the generic rule an unknown example campaign gets)
station "$tmp/three.db" 3 8 "$(values_of three "$tmp/three.db")"

# 4. Every report is written, with the figures each campaign calls for.
reports="$examples_run two three"
for c in $reports; do
  expect_exit 0 "report $c" "$INVDES" report --db "$tmp/$c.db" --out "$tmp/$c-report"
  [ -s "$tmp/$c-report/index.html" ] && ok || bad "report $c wrote no index.html"
done
has_fig() { [ -s "$tmp/$1-report/$2.svg" ] && ok || bad "report $1 lacks figure $2"; }
for c in $reports; do has_fig "$c" best-so-far; done
has_fig redox-window target-ered
has_fig redox-window model-ered
has_fig porous-electrode model-areal_capacity
has_fig ncm-cathode target-retention
has_fig ncm-cathode ternary-tm-capacity
has_fig porous-electrode ternary-dry_film-areal_capacity
has_fig ncm-cathode model-capacity
grep -q 'out-of-sample' "$tmp/ncm-cathode-report/index.html" && ok ||
  bad "pso recorded no prediction: the model figure is cross-validated"
grep -q 'recorded\|when it proposed' "$tmp/porous-electrode-report/index.html" && ok ||
  bad "bo's recorded predictions are shown"
grep -q 'initial design' "$tmp/porous-electrode-report/best-so-far.svg" && ok ||
  bad "the initial design is marked"
grep -q 'class="band"' "$tmp/redox-window-report/target-ered.svg" && ok ||
  bad "the window is drawn as a band"
has_fig two pareto-front
grep -q 'hypervolume so far' "$tmp/two-report/best-so-far.svg" && ok ||
  bad "a multi-objective campaign's progress shows the hypervolume"
has_fig two ternary-tm-capacity
has_fig three pareto-front
[ "$(grep -c 'class="frame"' "$tmp/three-report/pareto-front.svg")" -eq 3 ] && ok ||
  bad "three objectives: three projections"
grep -qF 'mAh/g &lt;&amp;&gt;' "$tmp/three-report/target-capacity.svg" && ok ||
  bad "a unit is escaped in an axis label"
grep -q 'Failures' "$tmp/ncm-cathode-report/index.html" &&
  grep -qF 'cell &lt;b&gt;shorted&lt;/b&gt; &amp; &#39;vented&#39;' \
    "$tmp/ncm-cathode-report/index.html" && ok || bad "the failure's reason is escaped on the page"
grep -q '<b>shorted' "$tmp/ncm-cathode-report/index.html" && bad "a reason's markup reached the page"
grep -q 'name: ncm-cathode' "$tmp/ncm-cathode-report/index.html" && ok ||
  bad "the page shows the campaign as stored"
grep -q 'mAh/g' "$tmp/ncm-cathode-report/target-capacity.svg" && ok ||
  bad "an axis label carries its unit"
grep -Eq '(src|href)="(https?:)?//' "$tmp/two-report/index.html" && bad "the page refers to the network"
grep -qi '<script' "$tmp/two-report/index.html" && bad "the page has a script"

# 5. The default folder, an empty campaign, bad input.
(cd "$tmp" && "$INVDES" report --db two.db >/dev/null) && [ -s "$tmp/two-report/index.html" ] &&
  ok || bad "the default folder is <db name>-report"
"$INVDES" init "$tmp/two.yaml" --db "$tmp/empty.db" >/dev/null
expect_exit 0 "report of an empty campaign" "$INVDES" report --db "$tmp/empty.db" --out "$tmp/empty-report"
grep -q 'No results yet' "$tmp/empty-report/index.html" && ok || bad "the empty page says so"
expect_exit 2 "report of a missing database" "$INVDES" report --db "$tmp/none.db"
grep -q none.db "$tmp/err" && ok || bad "the message names the missing file"
[ ! -e "$tmp/none.db" ] && [ ! -e "$tmp/none-report" ] && ok || bad "report created files"
printf 'id,x\n1,2\n' >"$tmp/notdb.csv"
expect_exit 2 "report of a CSV file" "$INVDES" report --db "$tmp/notdb.csv" --out "$tmp/x"
echo keep >"$tmp/afile"
expect_exit 2 "report into a file" "$INVDES" report --db "$tmp/two.db" --out "$tmp/afile"
grep -q 'not a folder' "$tmp/err" && [ "$(cat "$tmp/afile")" = keep ] && ok ||
  bad "a file given as --out is refused and kept: $(cat "$tmp/err")"
expect_exit 2 "report under a file" "$INVDES" report --db "$tmp/two.db" --out "$tmp/afile/sub"
mkdir -p "$tmp/blocked/index.html"
"$INVDES" report --db "$tmp/two.db" --out "$tmp/blocked" >/dev/null 2>"$tmp/err" &&
  bad "report wrote over a folder named index.html"
grep -q 'cannot write' "$tmp/err" && ok || bad "an unwritable page is named: $(cat "$tmp/err")"
expect_exit 2 "report with an operand" "$INVDES" report --db "$tmp/two.db" extra
expect_exit 0 "invdes help report" "$INVDES" help report
grep -q 'usage: invdes report' "$tmp/out" && ok || bad "help report prints the usage"

# 6. Every figure file is well-formed XML.
for f in "$tmp"/*-report/*.svg; do
  xmllint --noout "$f" 2>"$tmp/xml" && ok || bad "$f is not well-formed: $(head -c 300 "$tmp/xml")"
done

# 7. In a browser. figures_rendered DOM: prints the figures without a
# series path with data (none: all rendered) and their count.
figures_rendered() {
  awk 'BEGIN { RS = "<figure"; n = 0; bad = "" }
       NR > 1 { n++; if ($0 !~ /<svg/ || $0 !~ /class="series"[^>]*d="M[0-9]/) bad = bad " " n }
       END { print n ":" bad }' "$1"
}
command -v chromium >/dev/null 2>&1 || { echo "SKIP: chromium is not installed"; 
  [ "$failed" -eq 0 ] && exit 77; finish report; exit; }
browse() {
  timeout 120 chromium --headless --no-sandbox --disable-gpu --enable-logging=stderr --v=0 \
    --user-data-dir="$tmp/chromium" --dump-dom "file://$1" >"$tmp/dom" 2>"$tmp/log"
}
# The checks catch what they look for: a console message, an empty figure.
printf '<!DOCTYPE html><html><body><script>console.error("x")</script><figure><svg>
<path class="series" d=""/></svg></figure></body></html>\n' >"$tmp/broken.html"
browse "$tmp/broken.html" && grep -q ':CONSOLE' "$tmp/log" &&
  [ "$(figures_rendered "$tmp/dom")" = "1: 1" ] && ok || bad "the browser checks see a broken page"
for c in $reports empty; do
  browse "$tmp/$c-report/index.html" || { bad "chromium on $c: $(tail -3 "$tmp/log")"; continue; }
  want=$(grep -c '<figure' "$tmp/$c-report/index.html")
  got=$(figures_rendered "$tmp/dom")
  [ "$got" = "$want:" ] && ok || bad "$c: figures (count:unrendered) $got, wanted $want:"
  grep ':CONSOLE' "$tmp/log" && bad "$c: console messages"
  grep -q '<h1>' "$tmp/dom" && ok || bad "$c: no page in the DOM"
done
finish report
