#!/bin/sh
# noise.sh — `invdes best` with noisy measurements (issue 9, item 3): ten
# results on -(x-0.3)² imported with a reported sd of 0.1, the one at
# x = 0.55 lucky by +0.16; best recommends by the model's posterior mean a
# point near the optimum and says so in text and JSON, naming the best
# measured proposal. The same values on smooth data without sd's keep the
# measured ranking, as before; wiggly data without sd's keep it too, with a
# note naming the model's choice. Needs $INVDES and jq.
. "$(dirname "$0")/lib.sh"
need noise.sh jq
cat >"$tmp/c.yaml" <<'YAML'
name: noisy
seed: 3
parameters:
  - {name: x, type: continuous, bounds: [0, 1]}
targets:
  - {name: f, goal: maximize}
objective: {kind: station}
strategy: {kind: bo, initial: {design: sobol, count: 8}}
budget: {evaluations: 30}
YAML
cat >"$tmp/noisy.csv" <<'CSV'
x,f,f_sd
0.05,-0.0645,0.1
0.15,-0.0195,0.1
0.25,0.0015,0.1
0.35,-0.0085,0.1
0.45,0.0000,0.1
0.55,0.0975,0.1
0.65,-0.1250,0.1
0.75,-0.2000,0.1
0.85,-0.3050,0.1
0.95,-0.4200,0.1
CSV
db="$tmp/noisy.db"
expect_exit 0 "init" "$INVDES" init "$tmp/c.yaml" --db "$db"
expect_exit 0 "import with sd" "$INVDES" import --db "$db" "$tmp/noisy.csv"
expect_exit 0 "best text" "$INVDES" best --db "$db"
head -n 1 "$tmp/out" | grep -qE "^best: proposal (3|4) \(batch 1\), recommended by the model's posterior mean; measured value f = " &&
  ok || bad "best text recommends by the posterior mean: $(cat "$tmp/out")"
grep -q "noisy measurements: f (sd reported); the best measured value is proposal 6's" "$tmp/out" &&
  ok || bad "best text names the noisy target and the best measured: $(cat "$tmp/out")"
expect_exit 0 "best json" "$INVDES" best --db "$db" --format json
jq -e '(.proposal == 3 or .proposal == 4) and .ranking == "posterior_mean"
       and .recommended_by == "posterior_mean" and .best_measured == 6
       and (.note | startswith("recommended by the model'"'"'s posterior mean; measured value f = "))
       and .targets[0].noisy and .targets[0].sd_reported
       and (.targets[0].posterior_mean < 0.0975)' "$tmp/out" >/dev/null &&
  ok || bad "best json recommends by the posterior mean: $(cat "$tmp/out")"

# Smooth values, no sd: the measured ranking, as before.
printf 'x,f\n' >"$tmp/smooth.csv"
for x in 0.05 0.15 0.25 0.35 0.45 0.55 0.65 0.75 0.85 0.95; do
  awk -v x="$x" 'BEGIN { printf "%s,%.6f\n", x, -(x - 0.3) * (x - 0.3) }' >>"$tmp/smooth.csv"
done
db2="$tmp/smooth.db"
expect_exit 0 "init smooth" "$INVDES" init "$tmp/c.yaml" --db "$db2"
expect_exit 0 "import smooth" "$INVDES" import --db "$db2" "$tmp/smooth.csv"
expect_exit 0 "best smooth" "$INVDES" best --db "$db2" --format json
jq -e '.proposal == 3 and .ranking != "posterior_mean" and (has("note") | not)' "$tmp/out" \
  >/dev/null && ok || bad "best without noise keeps the measured ranking: $(cat "$tmp/out")"

# 24 values with a wiggle of sd about 0.02 and no sd: the model learns the
# noise; best keeps the measured ranking (x = 0.2292, lucky) and notes the
# model's choice (x = 0.3125, next to the optimum).
{ printf 'x,f\n'
  for i in $(seq 0 23); do
    awk -v i="$i" 'BEGIN { x = (i + 0.5) / 24; printf "%.4f,%.6f\n", x, -(x - 0.3) * (x - 0.3) + 0.03 * sin(i * 2.7) }'
  done; } >"$tmp/wiggle.csv"
db3="$tmp/wiggle.db"
expect_exit 0 "init wiggle" "$INVDES" init "$tmp/c.yaml" --db "$db3"
expect_exit 0 "import wiggle" "$INVDES" import --db "$db3" "$tmp/wiggle.csv"
expect_exit 0 "best wiggle" "$INVDES" best --db "$db3"
head -n 1 "$tmp/out" | grep -q "^best: proposal 6 (batch 1), by the objective" &&
  grep -q "^note: a model of the results finds noise in f (no sd reported); by its posterior mean proposal 8 ranks first" "$tmp/out" &&
  ok || bad "best with a learned noise notes the model's choice: $(cat "$tmp/out")"
expect_exit 0 "best wiggle json" "$INVDES" best --db "$db3" --format json
jq -e '.proposal == 6 and .model_recommends == 8 and .ranking != "posterior_mean"' "$tmp/out" \
  >/dev/null && ok || bad "best json with a learned noise: $(cat "$tmp/out")"
finish noise.sh
