#!/bin/sh
# predict.sh — `invdes predict` end to end, as a user runs it: candidates come
# back with every field as written (quotes, commas, line breaks) plus the two
# prediction columns, the output reads back in, --cv prints its three lines,
# results do not depend on OMP_NUM_THREADS, and bad input exits 2 with a
# message naming the file, line, column and value. Needs $INVDES (set by
# make check).
. "$(dirname "$0")/lib.sh"

awk 'BEGIN { print "id,a,b,y"
  for (i = 0; i < 30; i++) { a = i / 29; b = ((i * 7) % 11) / 10
    printf "m%d,%.6f,%.6f,%.6f\n", i, a, b, 2 * a + b } }' >"$tmp/train.csv"
cat >"$tmp/cand.csv" <<'EOF'
name,a,b,note
"x, y",0.5,0.3,"say ""hi"""
plain,0.1,0.9,"two
lines"
" padded ",0.2,0.2,
EOF

# 1. Round trip keeps every field as written.
if "$INVDES" predict --train "$tmp/train.csv" --target y --model rf \
    --predict "$tmp/cand.csv" --out "$tmp/out.csv" 2>"$tmp/err"; then
  ok
  line() { sed -n "$1p" "$tmp/out.csv"; }
  [ "$(line 1)" = "name,a,b,note,y_mean,y_sd" ] && ok || bad "header: $(line 1)"
  case "$(line 2)" in '"x, y",0.5,0.3,"say ""hi""",'*) ok ;; *) bad "row 1: $(line 2)" ;; esac
  [ "$(line 3)" = 'plain,0.1,0.9,"two' ] && ok || bad "row 2 start: $(line 3)"
  case "$(line 4)" in 'lines",'*) ok ;; *) bad "row 2 end: $(line 4)" ;; esac
  case "$(line 5)" in '" padded ",0.2,0.2,,'*) ok ;; *) bad "row 3: $(line 5)" ;; esac
  [ "$(wc -l <"$tmp/out.csv")" -eq 5 ] && ok || bad "line count"
  # The appended columns are numbers, the sd positive (line 3 is the first
  # half of a record with a line break).
  if awk -F, 'NR > 1 && NR != 3 { if ($(NF) !~ /^[0-9.e+-]+$/ || $(NF) + 0 <= 0 ||
      $(NF - 1) !~ /^-?[0-9.e+-]+$/) bad = 1 } END { exit bad }' "$tmp/out.csv"; then ok
  else bad "appended columns not numeric: $(cat "$tmp/out.csv")"; fi
  # The output is a valid table: it serves as candidates again.
  if "$INVDES" predict --train "$tmp/train.csv" --target y --model rf \
      --predict "$tmp/out.csv" >"$tmp/out2.csv" 2>"$tmp/err"; then
    [ "$(sed -n 1p "$tmp/out2.csv")" = "name,a,b,note,y_mean,y_sd,y_mean,y_sd" ] && ok ||
      bad "second pass header"
  else bad "output does not read back: $(cat "$tmp/err")"; fi
else
  bad "predict failed: $(cat "$tmp/err")"
fi

# 2. Same predictions with one thread and two.
for t in 1 2; do
  OMP_NUM_THREADS=$t "$INVDES" predict --train "$tmp/train.csv" --target y --model rf \
    --seed 3 --predict "$tmp/cand.csv" >"$tmp/t$t.csv" 2>/dev/null
done
cmp -s "$tmp/t1.csv" "$tmp/t2.csv" && ok || bad "OMP_NUM_THREADS=1 and 2 differ"

# 3. --cv prints exactly rmse, mae, r2.
for m in rf gp; do
  if "$INVDES" predict --train "$tmp/train.csv" --target y --model $m --cv 5 \
      >"$tmp/cv" 2>"$tmp/err"; then
    if awk 'NR == 1 && /^rmse: [0-9.e+-]+$/ { k++ } NR == 2 && /^mae: [0-9.e+-]+$/ { k++ }
        NR == 3 && /^r2: -?[0-9.e+-]+$/ { k++ } END { exit !(k == 3 && NR == 3) }' "$tmp/cv"
    then ok; else bad "--cv output ($m): $(cat "$tmp/cv")"; fi
  else bad "--cv ($m) failed: $(cat "$tmp/err")"; fi
done

# 4. Bad input: exit 2 and a message with the parts a user needs.
expect2() { # expect2 "WORDS THE MESSAGE MUST HOLD" ARGS...
  want=$1
  shift
  "$INVDES" predict "$@" >/dev/null 2>"$tmp/err"
  rc=$?
  if [ $rc -ne 2 ]; then bad "exit $rc, not 2, for: $*"; return; fi
  for w in $want; do
    grep -qF -- "$w" "$tmp/err" || { bad "message lacks '$w': $(cat "$tmp/err")"; return; }
  done
  ok
}
printf 'a,b,y\n1,2,3\n2,3,4\n3,abc,5\n4,5,6\n' >"$tmp/bad.csv"
printf 'a,b,y\n1,2,3\n2,3,\n3,4,5\n' >"$tmp/hole.csv"
printf 'a,b,y\n1,2,3\n' >"$tmp/one.csv"
printf 'name,a\nq,0.5\n' >"$tmp/nob.csv"
expect2 "bad.csv:4 'b' 'abc'" --train "$tmp/bad.csv" --target y --model rf --cv 2
expect2 "hole.csv:3 'y' empty" --train "$tmp/hole.csv" --target y --model rf --cv 2
expect2 "'zz'" --train "$tmp/train.csv" --target y --features a,zz --cv 2
expect2 "'nope'" --train "$tmp/train.csv" --target nope --cv 2
expect2 "at least 2" --train "$tmp/one.csv" --target y --cv 2
expect2 "at least 31 rows" --train "$tmp/train.csv" --target y --model rf --cv 31
expect2 "--cv" --train "$tmp/train.csv" --target y --cv 1
expect2 "--target" --train "$tmp/train.csv" --cv 2
expect2 "exactly one" --train "$tmp/train.csv" --target y
expect2 "unknown model" --train "$tmp/train.csv" --target y --model nn --cv 2
expect2 "nob.csv 'b'" --train "$tmp/train.csv" --target y --model rf --predict "$tmp/nob.csv"
expect2 "missing.csv" --train "$tmp/missing.csv" --target y --cv 2

"$INVDES" predict --help | grep -q "usage: invdes predict" && ok || bad "--help"

finish predict.sh
