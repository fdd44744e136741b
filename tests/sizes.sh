#!/bin/sh
# sizes.sh — the size rule of the house as a check: no .c, .h or .sh file
# under src, surrogates, objectives, tests or bench over 600 lines, and no C
# function over 100 lines. A function runs from the line at column 0 where
# its definition starts to its closing brace at column 0 (the style of this
# code base: the opening brace ends the signature, the closing one starts a
# line); data tables and declarations are not functions. There are no
# exceptions. Needs $top_srcdir (set by make check).
. "$(dirname "$0")/lib.sh"
: "${top_srcdir:?top_srcdir must name the source tree}"
max_file=600
max_function=100

cd "$top_srcdir" || exit 1
find src surrogates objectives tests bench \( -name '*.c' -o -name '*.h' -o -name '*.sh' \) \
  -type f | sort >"$tmp/files"
[ "$(grep -c '\.c$' "$tmp/files")" -gt 50 ] && ok || bad "found only $(grep -c '\.c$' "$tmp/files") C files"

# Files.
while read -r f; do
  n=$(wc -l <"$f")
  [ "$n" -le "$max_file" ] || bad "$f: $n lines (over $max_file: split it by concern)"
done <"$tmp/files"

# Functions: "FILE LINE LENGTH NAME", one per definition.
grep '\.[ch]$' "$tmp/files" | xargs awk '
  FNR == 1 { infn = 0; cand = 0 }
  !infn && /^[A-Za-z_]/ {
    cand = $0 ~ /\(/ && $0 !~ /=/ && $0 !~ /;[ \t]*$/ &&
           $0 !~ /^(typedef|struct|enum|union)[ \t]/ ? FNR : 0
    head = $0
  }
  !infn && cand && /;[ \t]*$/ { cand = 0 }
  !infn && cand && /\{[ \t]*$/ { infn = 1; start = cand; name = head; next }
  infn && /^}/ {
    sub(/\(.*/, "", name); sub(/.*[ *]/, "", name)
    print FILENAME, start, FNR - start + 1, name
    infn = 0; cand = 0
  }' >"$tmp/functions"
# The measure must see the functions: every closing brace at column 0 of a
# .c file ends one definition it found.
braces=$(grep '\.c$' "$tmp/files" | xargs cat | grep -c '^}$')
found=$(grep -c '\.c ' "$tmp/functions")
[ "$found" -eq "$braces" ] && ok || bad "measured $found functions in .c files, $braces end at column 0"
while read -r f line len name; do
  [ "$len" -le "$max_function" ] && continue
  bad "$f:$line: $name is $len lines (over $max_function: split it)"
done <"$tmp/functions"
sort -k3 -n -r "$tmp/functions" | awk 'NR == 1 { print "longest function: " $1 ":" $2 " " $4 " (" $3 " lines)" }'
xargs wc -l <"$tmp/files" | sort -n -r | awk 'NR == 2 { print "longest file: " $2 " (" $1 " lines)" }'
finish sizes.sh
