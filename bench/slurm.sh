#!/bin/sh
# slurm.sh — the slurm objective's overhead on the one-node Slurm of
# tests/slurm_lib.sh (started and stopped here; skipped without root or
# Slurm): seconds from submitting an empty script to its result being
# recorded, against plain `sbatch --wait` of the same script, median of 5
# each. invdes: from the job's intent row (jobs.created, written just before
# sbatch) to the result's time in the database; poll 0.1 s. Run by
# `make bench` from the build folder; asserts nothing.
builddir=${top_builddir:-.}
srcdir=${top_srcdir:-.}
bin="$builddir/invdes"
if [ "$(id -u)" != 0 ] || ! command -v sbatch >/dev/null 2>&1; then
  echo "slurm: skipped (needs root and Slurm: scripts/install-deps)"; exit 0
fi
. "$srcdir/tests/slurm_lib.sh"
PATH=$PATH:/usr/sbin
dir=$(mktemp -d "${TMPDIR:-/tmp}/invdes-bench-slurm.XXXXXX")
trap 'slurm_down; rm -rf "$dir"' EXIT INT TERM
slurm_up || exit 1
cat >"$dir/empty.sh" <<'SH'
#!/bin/sh
echo '{"y": 1}' >result.json
SH
chmod +x "$dir/empty.sh"
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
now() { date +%s.%N; }
for rep in 1 2 3 4 5; do
  t0=$(now)
  (cd "$dir" && sbatch --wait -Q -o /dev/null ./empty.sh >/dev/null)
  awk -v a="$(now)" -v b="$t0" 'BEGIN { print a - b }'
done | median >"$dir/plain"
for rep in 1 2 3 4 5; do
  mkdir -p "$dir/r$rep"
  cat >"$dir/r$rep/c.yaml" <<YAML
name: bench_slurm
parameters: [{name: x, type: continuous, bounds: [0, 1]}]
targets: [{name: y, goal: minimize}]
strategy: {kind: random, batch: 1}
objective: {kind: slurm, script: ../empty.sh, poll: 0.1}
budget: {evaluations: 1}
YAML
  "$bin" run -q "$dir/r$rep/c.yaml" >/dev/null 2>&1 || { echo "slurm: invdes run failed"; exit 1; }
  sqlite3 "$dir/r$rep/c.db" "SELECT (SELECT max(time) FROM results) - (SELECT min(created) FROM jobs)"
done | median >"$dir/invdes"
echo "slurm: empty script, submit to result recorded, median of 5:" \
  "invdes $(printf %.2f "$(cat "$dir/invdes")") s, sbatch --wait $(printf %.2f "$(cat "$dir/plain")") s"
