#!/bin/sh
# gp.sh — the GP benchmark of `make bench`: runs bench/bench_gp (fit times for
# n = 100/500/1000/2000 as medians, predict time at 10,000 points, test RMSE
# on Hartmann6) and, when a python3 with scikit-learn is found, the
# scikit-learn peer on the same data files for n = 100/500/1000 (2,000 would
# take ~10 minutes), then prints the ratios. Runs from the build folder;
# top_srcdir and top_builddir come from make.
set -e
src=${top_srcdir:-.}
build=${top_builddir:-.}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

echo "== GP on Hartmann6 (d = 6, 2,000 test points) =="
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
"$build/bench/bench_gp" --data "$tmp" --reps 3 | tee "$tmp/ours.txt"

py=
for p in "${PYTHON3:-}" python3 /usr/bin/python3; do
  [ -n "$p" ] || continue
  if "$p" -c 'import sklearn' >/dev/null 2>&1; then py=$p; break; fi
done
if [ -z "$py" ]; then
  echo "scikit-learn not importable: no peer run (apt-get install python3-sklearn)"
  exit 0
fi
echo "== scikit-learn $("$py" -c 'import sklearn; print(sklearn.__version__)') GaussianProcessRegressor, same data =="
"$py" "$src/bench/sklearn_gp.py" "$tmp" 100 500 1000 | tee "$tmp/sk.txt"

echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
echo "== ratios (scikit-learn time / invdes time; invdes RMSE / scikit-learn RMSE) =="
cat "$tmp/ours.txt" "$tmp/sk.txt" | awk '
  $1 == "gp_fit" { t[$2] = $4; r[$2] = $6 }
  $1 == "sk_fit" { st[$2] = $4; sr[$2] = $6 }
  $1 == "gp_predict" { pt = $5 }
  $1 == "sk_predict" { spt = $5 }
  END {
    for (k in st) if (k in t)
      printf "%s: fit %.1fx faster, RMSE ratio %.3f (invdes %s, scikit-learn %s)\n",
             k, st[k] / t[k], r[k] / sr[k], r[k], sr[k]
    if (pt > 0 && spt > 0)
      printf "predict mean+sd at 10,000 points, n=1000: %.1fx faster (invdes %s s, scikit-learn %s s)\n",
             spt / pt, pt, spt
  }' | sort -t= -k2 -n
