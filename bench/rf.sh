#!/bin/sh
# rf.sh — random forest benchmark: invdes' forest against scikit-learn's
# RandomForestRegressor (100 trees, n_jobs=2, same defaults) on the same
# Hartmann6 points, n = 1,000 and 10,000, d = 6, 2,000 test points, prediction
# of mean + spread at 10,000 points. Prints medians and, when a python3 with
# scikit-learn is found, its figures and the ratios. Run by `make bench` from
# the build folder (top_builddir set); asserts nothing.
set -eu
builddir=${top_builddir:-.}
bin="$builddir/bench/bench_rf"
srcdir=${top_srcdir:-$(dirname "$0")/..}
reps=${RF_BENCH_REPS:-5}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

# Debian's python3-sklearn lives under /usr/bin/python3; a python3 earlier in
# PATH (pyenv, a venv) may lack it.
py=""
for cand in ${PYTHON3:-} python3 /usr/bin/python3; do
  if command -v "$cand" >/dev/null 2>&1 &&
     "$cand" -c 'import sklearn' >/dev/null 2>&1; then
    py=$cand
    break
  fi
done

field() { # field NAME LINE
  echo "$2" | tr ' ' '\n' | sed -n "s/^$1=//p"
}

echo "== random forest (100 trees, all features per split, min leaf 1), Hartmann6 d=6 =="
for n in 1000 10000; do
  ours=$("$bin" --n "$n" --reps "$reps" --write "$tmp")
  echo "$ours"
  if [ -n "$py" ]; then
    peer=$("$py" "$srcdir/bench/sklearn_rf.py" "$tmp" 3)
    echo "$peer"
    awk -v of="$(field fit_s "$ours")" -v sf="$(field fit_s "$peer")" \
        -v op="$(field predict_s "$ours")" -v sp="$(field predict_sd_s "$peer")" \
        -v orm="$(field rmse "$ours")" -v srm="$(field rmse "$peer")" -v n="$n" \
      'BEGIN { printf "ratio n=%d fit sklearn/invdes=%.1fx predict(mean+sd) sklearn/invdes=%.1fx rmse invdes/sklearn=%.3f\n", n, sf/of, sp/op, orm/srm }'
  else
    echo "(scikit-learn not found: no peer figures)"
  fi
done
