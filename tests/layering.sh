#!/bin/sh
# layering.sh — the house's rules, checked on the sources and on the built
# library:
#  1. no file of the library (src/ outside src/cli and src/serve, surrogates/,
#     objectives/) includes a header of the tool (src/cli, src/serve);
#  2. a file under src/base includes only base headers (and system or
#     library headers): the base knows no subsystem;
#  3. every header the tool includes is an installed (public) header or the
#     tool's own: the tool is a client of the public API;
#  4. a public header includes only public headers, standard C headers and
#     those of the packages invdes.pc Requires (a program gets their flags);
#     the umbrella invdes.h includes every public header;
#  5. the library exports exactly the functions its public headers declare,
#     all named invdes_*: `nm -D --defined-only` on libinvdes.so, or, in a
#     build without a shared library (--disable-shared), the global symbols
#     of default visibility in the static archive (`readelf -s`), which are
#     those a shared library would export.
# Public headers are pkginclude_HEADERS in Makefile.am. Needs $top_srcdir,
# $top_builddir, $INVDES (tests/lib.sh) and $CC (set by make check).
. "$(dirname "$0")/lib.sh"
: "${top_srcdir:?top_srcdir must name the source tree}"
: "${top_builddir:?top_builddir must name the build tree}"
CC=${CC:-cc}
NM=${NM:-nm}

cd "$top_srcdir" || exit 99

# "FILE HEADER" for each #include "HEADER" of the files named (HEADER as
# written, path and all).
quoted_includes() {
  for f in "$@"; do
    sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f" |
      while read -r h; do echo "$f $h"; done
  done
}
# "FILE HEADER" for each #include <HEADER>.
angle_includes() {
  for f in "$@"; do
    sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*<\([^>]*\)>.*/\1/p' "$f" |
      while read -r h; do echo "$f $h"; done
  done
}
# Whether word $1 is one of the words in $2.
among() { case " $2 " in *" $1 "*) return 0 ;; esac; return 1; }
names() { for p in "$@"; do printf '%s ' "${p##*/}"; done; }

# Public headers: pkginclude_HEADERS, continuation lines joined.
public=$(sed -e ':a' -e '/\\$/N; s/\\\n/ /; ta' Makefile.am |
  sed -n 's/^pkginclude_HEADERS[[:space:]]*+*=//p' | tr -s ' \t' '\n' | sed '/^$/d')
[ -n "$public" ] && ok || bad "no pkginclude_HEADERS in Makefile.am"
public_names=$(names $public)
tool_files=$(find src/cli src/serve -name '*.[ch]' | sort)
tool_names=$(names $(find src/cli src/serve -name '*.h'))
lib_files=$(find src surrogates objectives -name '*.[ch]' ! -path 'src/cli/*' \
  ! -path 'src/serve/*' | sort)
base_files=$(find src/base -name '*.[ch]' | sort)
base_names=$(names $(find src/base -name '*.h'))

# 1. The library does not include the tool.
quoted_includes $lib_files >"$tmp/lib"
while read -r f h; do
  case "$h" in */cli/*) bad "$f includes the tool's $h"; continue ;; esac
  among "${h##*/}" "$tool_names" && bad "$f includes the tool's header $h"
done <"$tmp/lib"
ok

# 2. The base includes nothing above it.
quoted_includes $base_files >"$tmp/base"
while read -r f h; do
  [ "$h" = config.h ] && continue
  case "$h" in */*) bad "$f includes $h, outside src/base"; continue ;; esac
  among "$h" "$base_names" || bad "$f (base) includes $h, a header of another subsystem"
done <"$tmp/base"
ok

# 3. The tool uses the public headers only.
quoted_includes $tool_files >"$tmp/tool"
[ -s "$tmp/tool" ] && ok || bad "found no include in src/cli"
while read -r f h; do
  [ "$h" = config.h ] && continue
  among "${h##*/}" "$tool_names" &&
    { [ -f "src/cli/${h##*/}" ] || [ -f "src/serve/${h##*/}" ]; } && continue
  among "${h##*/}" "$public_names" || bad "$f includes $h, which is not installed"
done <"$tmp/tool"

# 4. Public headers stand on their own once installed.
requires=$(sed -n 's/^Requires:[[:space:]]*//p' invdes.pc.in | tr ',' ' ')
c_headers="assert.h complex.h ctype.h errno.h fenv.h float.h inttypes.h iso646.h
  limits.h locale.h math.h setjmp.h signal.h stdalign.h stdarg.h stdatomic.h
  stdbool.h stddef.h stdint.h stdio.h stdlib.h stdnoreturn.h string.h tgmath.h
  threads.h time.h uchar.h wchar.h wctype.h"
c_headers=$(echo $c_headers)
for p in $public; do
  [ -f "$p" ] || { bad "public header $p does not exist"; continue; }
  quoted_includes "$p" | while read -r f h; do
    among "$h" "$public_names" || echo "FAIL: $f (public) includes $h, which is not installed"
  done
  angle_includes "$p" | while read -r f h; do
    among "$h" "$c_headers" && continue
    among "${h%%/*}" "$requires" && continue
    echo "FAIL: $f (public) includes <$h>: not standard C nor a package invdes.pc Requires ($requires)"
  done
done >"$tmp/public"
if [ -s "$tmp/public" ]; then cat "$tmp/public"; failed=$((failed + 1)); else ok; fi
umbrella=$(for p in $public; do case "$p" in */invdes.h) echo "$p" ;; esac; done)
if [ -z "$umbrella" ]; then
  bad "no umbrella invdes.h among the public headers"
else
  for n in $public_names; do
    [ "$n" = invdes.h ] && continue
    grep -q "^#include \"$n\"" "$umbrella" || bad "$umbrella does not include $n"
  done
  ok
fi

# 5. Exports. The functions the public headers declare: every invdes_NAME(
# left in the preprocessed umbrella (comments gone; function pointer types
# are (*name)( and a type before one is TYPE (*, neither matches).
: >"$tmp/declared"
if [ -z "$umbrella" ]; then
  bad "no function list without an umbrella header"
elif "$CC" -E -P $(for p in $public; do printf -- '-I%s ' "${p%/*}"; done) \
    "$umbrella" >"$tmp/api.i" 2>"$tmp/cpp.err"; then
  grep -o 'invdes_[A-Za-z0-9_]*[[:space:]]*([^*]' "$tmp/api.i" | sed 's/[[:space:]]*(.$//' |
    sort -u >"$tmp/declared"
  [ -s "$tmp/declared" ] && ok || bad "found no function in the public headers"
else
  bad "cannot preprocess $umbrella: $(cat "$tmp/cpp.err")"
fi

shared=$("$top_builddir/libtool" --config 2>/dev/null | sed -n 's/^build_libtool_libs=//p')
if [ "$shared" = yes ]; then
  lib="$top_builddir/.libs/libinvdes.so"
  echo "exports: nm -D --defined-only $lib"
  if [ -f "$lib" ]; then
    $NM -D --defined-only "$lib" | awk 'NF >= 2 { print $NF }' | sort -u >"$tmp/exported"
  else
    bad "$lib not built"
    : >"$tmp/exported"
  fi
else
  # No shared library: what one would export are the defined symbols that
  # are global (or weak) with default visibility. Names starting "__" are
  # the compiler's own (the sanitizers' instrumentation, e.g. __odr_asan).
  lib="$top_builddir/.libs/libinvdes.a"
  echo "exports: no shared library in this build (--disable-shared); checking the"
  echo "symbols of default visibility in $lib with readelf -s instead"
  if [ -f "$lib" ]; then
    readelf -sW "$lib" |
      awk '($5 == "GLOBAL" || $5 == "WEAK") && $6 == "DEFAULT" && $7 != "UND" { print $8 }' |
      grep -v '^__' | sort -u >"$tmp/exported"
  else
    bad "$lib not built"
    : >"$tmp/exported"
  fi
fi
[ -s "$tmp/exported" ] && ok || bad "the library exports nothing"
leaked=$(grep -v '^invdes_' "$tmp/exported")
[ -z "$leaked" ] && ok ||
  bad "exported without the invdes_ prefix: $(echo $leaked | head -c 2000)"
private=$(comm -23 "$tmp/exported" "$tmp/declared" | grep '^invdes_')
[ -z "$private" ] && ok ||
  bad "exported but declared in no public header (drop INVDES_API or make the header public): $(echo $private | head -c 2000)"
unmarked=$(comm -13 "$tmp/exported" "$tmp/declared")
[ -z "$unmarked" ] && ok ||
  bad "declared in a public header but not exported (mark the declaration INVDES_API): $(echo $unmarked | head -c 2000)"

finish layering
